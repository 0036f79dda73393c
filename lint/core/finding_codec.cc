#include "lint/core/finding_codec.h"

#include <cstdint>
#include <cstring>

namespace alint {

namespace {

// Numbers are LEB128 varints (most are small: offsets, counts, enum values); strings are a
// length then their bytes. A leading count and a trailing marker frame the whole encoding.
constexpr uint8_t kEndMarker = 0x5A;  // below 0x80: one varint byte

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}
  void U(uint64_t v) {
    while (v >= 0x80) {
      out_->push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out_->push_back(static_cast<char>(v));
  }
  void S(std::string_view s) {
    U(s.size());
    out_->append(s);
  }
  void Sp(const Span& s) {
    U(s.file == kNoFile ? 0 : uint64_t{s.file} + 1);
    U(s.begin);
    U(s.end);
  }

 private:
  std::string* out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ == in_.size(); }
  uint64_t U() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return Fail();
      const auto byte = static_cast<uint8_t>(in_[pos_++]);
      v |= uint64_t{byte & 0x7Fu} << shift;
      if ((byte & 0x80) == 0) return v;
    }
    return Fail();
  }
  uint32_t U32() {
    const uint64_t v = U();
    return v > UINT32_MAX ? static_cast<uint32_t>(Fail()) : static_cast<uint32_t>(v);
  }
  // A count of items that each take at least one byte: never more than the bytes left.
  size_t Count() {
    const uint64_t n = U();
    return n > in_.size() - pos_ ? static_cast<size_t>(Fail()) : static_cast<size_t>(n);
  }
  std::string S() {
    const uint64_t n = U();
    if (!ok_ || n > in_.size() - pos_) {
      Fail();
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  Span Sp() {
    Span s;
    const uint64_t file = U();
    s.file = file == 0 || file > UINT32_MAX ? kNoFile : static_cast<FileId>(file - 1);
    s.begin = U32();
    s.end = U32();
    return s;
  }
  template <typename E>
  E Enum(uint64_t max) {
    const uint64_t v = U();
    return static_cast<E>(v > max ? Fail() : v);
  }

 private:
  uint64_t Fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void EncodeFix(Writer& w, const Fix& fix) {
  w.S(fix.title);
  w.U(static_cast<uint64_t>(fix.applicability));
  w.U(fix.edits.size());
  for (const Edit& e : fix.edits) {
    w.Sp(e.span);
    w.S(e.replacement);
  }
  w.U(fix.renames.size());
  for (const FileRename& r : fix.renames) {
    w.U(r.file == kNoFile ? 0 : uint64_t{r.file} + 1);
    w.S(r.new_name);
  }
  w.U(fix.new_id.file == kNoFile ? 0 : uint64_t{fix.new_id.file} + 1);
  w.S(fix.new_id.from);
  w.S(fix.new_id.to);
  w.U(fix.new_id.references ? 1 : 0);
  w.S(fix.rule);
}

FileId DecodeFile(Reader& r) {
  const uint64_t file = r.U();
  return file == 0 || file > UINT32_MAX ? kNoFile : static_cast<FileId>(file - 1);
}

Fix DecodeFix(Reader& r) {
  Fix fix;
  fix.title = r.S();
  fix.applicability = r.Enum<Applicability>(static_cast<uint64_t>(Applicability::kDisplayOnly));
  fix.edits.resize(r.Count());
  for (Edit& e : fix.edits) {
    e.span = r.Sp();
    e.replacement = r.S();
  }
  fix.renames.resize(r.Count());
  for (FileRename& rn : fix.renames) {
    rn.file = DecodeFile(r);
    rn.new_name = r.S();
  }
  fix.new_id.file = DecodeFile(r);
  fix.new_id.from = r.S();
  fix.new_id.to = r.S();
  fix.new_id.references = r.U() != 0;
  fix.rule = r.S();
  return fix;
}

}  // namespace

void EncodeFindings(const std::vector<Finding>& findings, std::string* out) {
  Writer w(out);
  w.U(findings.size());
  for (const Finding& f : findings) {
    w.S(f.rule);
    w.U(static_cast<uint64_t>(f.severity));
    w.Sp(f.span);
    w.S(f.message);
    w.U(f.help ? 1 : 0);
    if (f.help) w.S(*f.help);
    w.U(f.related.size());
    for (const Related& r : f.related) {
      w.Sp(r.span);
      w.S(r.message);
    }
    w.U(f.fix ? 1 : 0);
    if (f.fix) EncodeFix(w, *f.fix);
    w.U(f.notes.size());
    for (const Note& n : f.notes) {
      w.S(n.rule);
      w.U(static_cast<uint64_t>(n.severity));
      w.S(n.message);
    }
  }
  out->push_back(static_cast<char>(kEndMarker));
}

Result<std::vector<Finding>> DecodeFindings(std::string_view bytes) {
  Reader r(bytes);
  std::vector<Finding> out(r.Count());
  const auto max_severity = static_cast<uint64_t>(Severity::kError);
  for (Finding& f : out) {
    f.rule = r.S();
    f.severity = r.Enum<Severity>(max_severity);
    f.span = r.Sp();
    f.message = r.S();
    if (r.U() != 0) f.help = r.S();
    f.related.resize(r.Count());
    for (Related& rel : f.related) {
      rel.span = r.Sp();
      rel.message = r.S();
    }
    if (r.U() != 0) f.fix = DecodeFix(r);
    f.notes.resize(r.Count());
    for (Note& n : f.notes) {
      n.rule = r.S();
      n.severity = r.Enum<Severity>(max_severity);
      n.message = r.S();
    }
    if (!r.ok()) break;
  }
  if (r.ok() && r.U() != kEndMarker) return Error{"the encoded findings have no end marker"};
  if (!r.ok() || !r.done()) return Error{"the encoded findings are cut short or damaged"};
  return out;
}

}  // namespace alint
