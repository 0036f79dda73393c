#include "lint/python/file_checks.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <string_view>

#include "lint/python/py_layout.h"

namespace alint {
namespace {

// Offset of the first byte that is not part of a well-formed UTF-8 sequence (no overlongs, no
// surrogates, nothing above U+10FFFF), or npos.
size_t FirstInvalidUtf8(std::string_view s, size_t from) {
  // Nearly every file is valid: one vectorised pass says so (simdjson's validator accepts
  // exactly what Utf8SequenceAt accepts); the byte walk only runs to find where it is not.
  if (from <= s.size() && simdjson::validate_utf8(s.data() + from, s.size() - from)) {
    return std::string_view::npos;
  }
  for (size_t i = from; i < s.size();) {
    size_t n = Utf8SequenceAt(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

// True when `at` sits in a comment: a '#' outside quotes earlier on its line, and the line not
// inside a triple-quoted string (judged by counting triple quotes before it). An approximation
// of Python's tokenizer, good for the one question it answers: would CPython even decode this
// byte? (CPython 3.11 does not decode comments, so invalid UTF-8 there still imports.)
bool InComment(std::string_view s, size_t at) {
  // A bare CR ends a line too (Python reads \r, \n and \r\n alike): `# x\r\xff` is code.
  size_t line = at == 0 ? std::string_view::npos : s.find_last_of("\r\n", at - 1);
  line = line == std::string_view::npos ? 0 : line + 1;
  size_t triples = 0;
  for (size_t i = 0; i + 2 < line; ++i) {
    if ((s[i] == '"' || s[i] == '\'') && s[i + 1] == s[i] && s[i + 2] == s[i]) {
      ++triples;
      i += 2;
    }
  }
  if (triples % 2) return false;
  char quote = 0;
  for (size_t i = line; i < at; ++i) {
    char c = s[i];
    if (quote) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      return true;
    }
  }
  return false;
}

// The encoding a PEP 263 comment on line 1 or 2 declares, lowercased, or "".
std::string DeclaredEncoding(std::string_view text) {
  size_t line_begin = 0;
  for (int line = 0; line < 2 && line_begin < text.size(); ++line) {
    size_t eol = text.find('\n', line_begin);
    std::string_view l =
        text.substr(line_begin, eol == std::string_view::npos ? text.npos : eol - line_begin);
    size_t k = 0;
    while (k < l.size() && (l[k] == ' ' || l[k] == '\t' || l[k] == '\f')) ++k;
    if (k < l.size() && l[k] == '#') {
      size_t c = l.find("coding", k);
      if (c != std::string_view::npos && c + 6 < l.size() && (l[c + 6] == ':' || l[c + 6] == '=')) {
        size_t b = c + 7;
        while (b < l.size() && (l[b] == ' ' || l[b] == '\t')) ++b;
        size_t e = b;
        while (e < l.size() && (std::isalnum(static_cast<unsigned char>(l[e])) || l[e] == '-' ||
                                l[e] == '_' || l[e] == '.')) {
          ++e;
        }
        std::string enc(l.substr(b, e - b));
        for (char& ch : enc) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return enc;
      }
    } else if (k < l.size()) {
      break;  // only comment lines may carry the declaration
    }
    if (eol == std::string_view::npos) break;
    line_begin = eol + 1;
  }
  return "";
}

}  // namespace

std::string FileTooLargeMessage(uint64_t bytes) {
  return fmt::format("not parsed: the file is {:.1f} MiB, over the {} MiB limit",
                     static_cast<double>(bytes) / (1 << 20), kMaxFileBytes >> 20);
}

FileCheck CheckFileBytes(const SourceFile& file, bool layout) {
  FileCheck r;
  std::string_view text = file.text;
  if (text.size() > kMaxFileBytes) {
    r.parse = false;
    r.problems.push_back({Span{file.id, 0, 0}, FileTooLargeMessage(text.size()),
                          /*not_read=*/true});
    return r;
  }
  if (const void* nul = std::memchr(text.data(), 0, text.size())) {
    auto at = static_cast<uint32_t>(static_cast<const char*>(nul) - text.data());
    LineCol lc = file.Locate(at);
    r.parse = false;
    r.problems.push_back(
        {Span{file.id, at, at + 1},
         fmt::format("binary file: NUL byte at line {}, column {}; Python refuses source code "
                     "that contains null bytes",
                     lc.line, lc.column)});
    return r;
  }
  if (text.starts_with("\xEF\xBB\xBF")) r.start = 3;
  std::string enc = DeclaredEncoding(text.substr(r.start));
  bool utf8 = enc.empty() || enc == "utf-8" || enc == "utf8" || enc.starts_with("utf-8-") ||
              enc.starts_with("utf_8");
  if (utf8) {
    size_t bad = FirstInvalidUtf8(text, r.start);
    if (bad != std::string_view::npos) {
      // Python only refuses the file when a bad byte is outside comments.
      size_t fatal = bad;
      while (fatal != std::string_view::npos && InComment(text, fatal)) {
        fatal = FirstInvalidUtf8(text, fatal + 1);
      }
      size_t shown = fatal != std::string_view::npos ? fatal : bad;
      auto at = static_cast<uint32_t>(shown);
      LineCol lc = file.Locate(at);
      // Still parsed: the facts that can be read keep the revision graph whole.
      SyntaxProblem p{Span{file.id, at, at + 1}, "", false, fatal == std::string_view::npos};
      p.message = p.python_accepts
                      ? fmt::format(
                            "invalid UTF-8 in a comment: byte 0x{:02X} at line {}, column {}; "
                            "CPython skips comments so the file still imports, but editors "
                            "and tools that read it as UTF-8 fail; save it as UTF-8",
                            static_cast<unsigned char>(text[shown]), lc.line, lc.column)
                      : fmt::format(
                            "invalid UTF-8: byte 0x{:02X} at line {}, column {} cannot be "
                            "decoded, so Python refuses to import this file; save it as UTF-8",
                            static_cast<unsigned char>(text[shown]), lc.line, lc.column);
      r.problems.push_back(std::move(p));
    }
  }
  if (layout) CheckLayout(file, r);
  return r;
}

void CheckLayout(const SourceFile& file, FileCheck& r) {
  std::string_view text = file.text;
  PyLayout layout = ScanLayout(text, r.start);
  if (layout.error) {
    // Past CPython's bounds the parse would recurse or overflow: report and stop here.
    // A block still due at the end of the file is reported at its end: an empty span there
    // (a span past the last byte would slice outside the text).
    auto size = static_cast<uint32_t>(text.size());
    uint32_t at = std::min(layout.error->offset, size);
    r.parse = false;
    r.problems.push_back(
        {Span{file.id, at, at < size ? at + 1 : at}, std::move(layout.error->message)});
    return;
  }
  r.newlines = std::move(layout.newlines);
  r.subscript_stars = std::move(layout.subscript_stars);
}

}  // namespace alint
