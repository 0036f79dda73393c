#include "lint/core/source.h"

#include <algorithm>
#include <cstring>

namespace alint {

LineIndex::LineIndex(std::string_view text) {
  starts_.push_back(0);
  // memchr scans a word at a time; a byte loop was 6% of `heads` on a large history.
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (!text.empty() && std::memchr(begin, '\r', text.size()) != nullptr) {
    // A lone CR ends a line too, as in CPython (old Mac line endings); CRLF is one break.
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
        starts_.push_back(static_cast<uint32_t>(i + 1));
      }
    }
    return;
  }
  for (const char* p = begin; p < end;) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    p = static_cast<const char*>(nl) + 1;
    starts_.push_back(static_cast<uint32_t>(p - begin));
  }
}

uint32_t LineIndex::LineStart(uint32_t line) const {
  if (line == 0) return 0;
  if (line > starts_.size()) return starts_.back();
  return starts_[line - 1];
}

namespace {
// Length in bytes of the UTF-8 sequence starting with `lead` (1 for invalid bytes, so a
// malformed file still gets monotonic columns).
uint32_t Utf8Len(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}
}  // namespace

LineCol LineIndex::Locate(std::string_view text, uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  uint32_t line0 = static_cast<uint32_t>(it - starts_.begin()) - 1;
  LineCol lc;
  lc.line = line0 + 1;
  uint32_t i = starts_[line0];
  uint32_t col = 0, col16 = 0;
  while (i < offset) {
    uint32_t n = Utf8Len(static_cast<unsigned char>(text[i]));
    col += 1;
    col16 += n == 4 ? 2 : 1;
    i += n;
  }
  lc.column = col + 1;
  lc.utf16_column = col16;
  return lc;
}

uint32_t LineIndex::OffsetOfUtf16(std::string_view text, uint32_t line0, uint32_t character) const {
  if (line0 >= starts_.size()) return static_cast<uint32_t>(text.size());
  uint32_t i = starts_[line0];
  uint32_t end =
      line0 + 1 < starts_.size() ? starts_[line0 + 1] : static_cast<uint32_t>(text.size());
  uint32_t col16 = 0;
  while (i < end && col16 < character && text[i] != '\n' && text[i] != '\r') {
    uint32_t n = Utf8Len(static_cast<unsigned char>(text[i]));
    col16 += n == 4 ? 2 : 1;
    i += n;
  }
  return std::min(i, end);
}

SourceFile::SourceFile(FileId file_id, std::string file_path, std::string file_text)
    : id(file_id),
      path(std::move(file_path)),
      display_path(path),
      text(std::move(file_text)),
      lines(text) {}

std::string_view SourceFile::LineText(uint32_t line) const {
  uint32_t b = lines.LineStart(line);
  uint32_t e =
      line < lines.line_count() ? lines.LineStart(line + 1) : static_cast<uint32_t>(text.size());
  std::string_view s = std::string_view(text).substr(b, e - b);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

size_t Utf8SequenceAt(std::string_view text, size_t i) {
  auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // U+D800..U+DFFF: a lone surrogate from a Python str
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  for (size_t k = 1; k <= n; ++k) {
    if (i + k >= text.size()) return 0;
    auto b = static_cast<unsigned char>(text[i + k]);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
  }
  return n + 1;
}

}  // namespace alint
