#pragma once
/// Byte-level helpers over SQL text that keep offsets stable (internal to lint/sql, exposed
/// for tests).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace alint::sql_text {

/// Replaces DB-API placeholders (`%s`, `%(name)s`, `:name`) outside string literals, quoted
/// identifiers, comments and dollar-quoted bodies by `$1` padded with spaces to the same
/// length, and `%%` by `% `, so that libpg_query accepts the text and every offset still
/// points at the same byte of the original.
std::string NeutralizePlaceholders(std::string_view sql);

/// First offset in [begin, end) that is not whitespace or inside a comment (end if none).
uint32_t SkipSpaceAndComments(std::string_view sql, uint32_t begin, uint32_t end);
/// End of [begin, end) without trailing whitespace, comments and semicolons.
uint32_t TrimEnd(std::string_view sql, uint32_t begin, uint32_t end);

/// Splits [begin, end) at commas outside parentheses, brackets, literals and comments.
/// Returns the start offsets of each part (the first is `begin`) plus `end` as the last entry.
std::vector<uint32_t> SplitTopLevelCommas(std::string_view sql, uint32_t begin, uint32_t end);

/// Offset just after the (possibly schema-qualified, possibly quoted) name starting at `at`,
/// and after a following `*`.
uint32_t SkipQualifiedName(std::string_view sql, uint32_t at, uint32_t end);

/// Offset of the first occurrence of keyword `word` (case-insensitive, whole word) in
/// [begin, end) outside literals and comments, or `end`.
uint32_t FindKeyword(std::string_view sql, uint32_t begin, uint32_t end, std::string_view word);

}  // namespace alint::sql_text
