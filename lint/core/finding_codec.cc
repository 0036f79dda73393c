#include "lint/core/finding_codec.h"

#include <cstdint>
#include <cstring>

#include "lint/core/byte_codec.h"

namespace alint {

namespace {

// A leading count and a trailing marker frame the whole encoding.
constexpr uint8_t kEndMarker = 0x5A;  // below 0x80: one varint byte

using codec::Reader;
using codec::Writer;

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
    w.File(r.file);
    w.S(r.new_name);
  }
  w.File(fix.new_id.file);
  w.S(fix.new_id.from);
  w.S(fix.new_id.to);
  w.U(fix.new_id.references ? 1 : 0);
  w.S(fix.rule);
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
    rn.file = r.File();
    rn.new_name = r.S();
  }
  fix.new_id.file = r.File();
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
