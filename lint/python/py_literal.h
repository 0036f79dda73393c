#pragma once
/// Python string literals read from source text: prefixes, quotes, escape sequences and the map
/// from each decoded byte back to the .py bytes it came from. Shared by the tree-sitter
/// extractor and the header scanner so both read a literal identically.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/python/migration.h"

namespace alint {

enum class LiteralKind : uint8_t {
  kStr,      ///< a str literal (with or without u/r prefixes)
  kBytes,    ///< b'...' / rb'...'
  kFString,  ///< f'...' (never decoded: its value needs running the code)
  kInvalid   ///< not a literal Python accepts (bad prefix, bad escape, str + bytes concatenation)
};

/// A decoded literal (or implicit concatenation of literals).
struct DecodedString {
  LiteralKind kind = LiteralKind::kStr;
  std::string value;                 ///< decoded bytes (UTF-8 for str); empty for kFString
  std::vector<SqlSegment> segments;  ///< value offsets -> file offsets, sorted, contiguous
};

/// Decodes one literal token `file[begin, end)`: optional prefix, opening quote(s), body,
/// closing quote(s). Never fails: problems give kInvalid. With `plain_fstrings`, an f-string
/// whose body has no `{` or `}` (no replacement field, so its value is its text) decodes like
/// the same literal without the `f`; otherwise f-strings are kFString.
DecodedString DecodeLiteral(std::string_view file, uint32_t begin, uint32_t end,
                            bool plain_fstrings = false);

/// Implicit concatenation: appends `piece` to `into`, combining kinds the way Python does.
void AppendLiteral(DecodedString& into, const DecodedString& piece);

/// File offset of decoded byte `offset` (escape bytes map to the escape's first byte);
/// `fallback` when there are no segments.
uint32_t MapBegin(const std::vector<SqlSegment>& segments, uint32_t offset, uint32_t fallback);
/// File offset just after decoded byte `end - 1` (the end of a half-open decoded range).
uint32_t MapEnd(const std::vector<SqlSegment>& segments, uint32_t end, uint32_t fallback);

/// Reads `Revision ID:`, `Revises:` and `Create Date:` lines of a module docstring.
void ReadDocstringFields(const DecodedString& doc, Docstring& out, FileId file);

/// A `# alembic-lint: ...` directive in the comment `file.text[begin, end)`, or nullopt when the
/// comment holds none.
std::optional<Suppression> ReadSuppression(const SourceFile& file, uint32_t begin, uint32_t end);

/// Equality of two short strings (a keyword and a name), compared in place: in the scanners'
/// keyword lookups a memcmp call per candidate cost more than the comparison.
inline bool SameShortText(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace alint
