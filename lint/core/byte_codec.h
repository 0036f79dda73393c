#pragma once
/// The byte format of alembic-lint's in-memory encodings (findings set aside until the
/// report, the bodies of migrations kept for the history's second pass): numbers are LEB128
/// varints (most are small: offsets, counts, enum values), strings a length then their bytes.
/// A Reader never reads past its bytes: a short or damaged input sets !ok() and reads zeros.

#include <cstdint>
#include <string>
#include <string_view>

#include "lint/core/source.h"

namespace alint::codec {

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
    Raw(s);
  }
  /// Bytes without their length (the caller wrote it).
  void Raw(std::string_view s) { out_->append(s); }
  void I32(int32_t v) { U(v < 0 ? 0 : uint64_t(v) + 1); }  // -1 (none) and up
  void File(FileId f) { U(f == kNoFile ? 0 : uint64_t{f} + 1); }
  void Sp(const Span& s) {
    File(s.file);
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
  int32_t I32() {  // Writer::I32's: -1 and up
    const uint64_t v = U();
    if (v == 0) return -1;
    if (v - 1 > INT32_MAX) return static_cast<int32_t>(Fail()) - 1;
    return static_cast<int32_t>(v - 1);
  }
  /// A count of items that each take at least one byte: never more than the bytes left.
  size_t Count() {
    const uint64_t n = U();
    return n > in_.size() - pos_ ? static_cast<size_t>(Fail()) : static_cast<size_t>(n);
  }
  std::string S() { return Bytes(U()); }
  /// The next `n` bytes (their length read by the caller).
  std::string Bytes(uint64_t n) {
    if (!ok_ || n > in_.size() - pos_) {
      Fail();
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  FileId File() {
    const uint64_t file = U();
    return file == 0 || file > UINT32_MAX ? kNoFile : static_cast<FileId>(file - 1);
  }
  Span Sp() {
    Span s;
    s.file = File();
    s.begin = U32();
    s.end = U32();
    return s;
  }
  bool B() { return U() != 0; }
  template <typename E>
  E Enum(uint64_t max) {
    const uint64_t v = U();
    return static_cast<E>(v > max ? Fail() : v);
  }
  /// Marks the input damaged (a reader that found a value out of range).
  void Invalid() { Fail(); }

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

}  // namespace alint::codec
