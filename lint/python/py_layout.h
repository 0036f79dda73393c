#pragma once
/// A tokenizer-aware pass over Python source that runs before any parse and checks the bounds
/// CPython's tokenizer enforces: at most 200 nested brackets ("too many nested parentheses")
/// and at most 99 indentation levels ("too many levels of indentation"), plus dedents that
/// match no outer level. Past those bounds nothing is parsed: the recursive readers and
/// tree-sitter (whose 0.20.7 release corrupts its heap on ~65,540 unclosed brackets) never see
/// such a file. It also records where CPython's tokenizer ends each logical line (its NEWLINE
/// tokens), so a parse that joined two lines can be caught. Misplaced stars that
/// tree-sitter-python reads without an error are CPython's syntax errors here: a starred slice
/// bound (`a[*b:c]`, `a[b:*c]`), a starred dictionary value (`{k: *v}`) and a starred item
/// alone in parentheses (`(*a)`).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alint {

/// CPython 3.11's tokenizer bounds (Parser/tokenizer.h: MAXLEVEL, MAXINDENT).
inline constexpr int kMaxBracketDepth = 200;
inline constexpr int kMaxIndentLevels = 99;
/// Prefix operators (`not`, `lambda`, `await`, unary `-` `+` `~`), `**`, calls and subscripts
/// in a row, each nesting the rest of the expression (or, for a call or subscript, what
/// precedes it) one level deeper; brackets between them do not reset the count. CPython 3.11
/// compiles 2,500 of them and fails near 3,000 (RecursionError, MemoryError); libtree-sitter
/// 0.20.7 corrupts its heap (ts_subtree_release) when an error follows about 65,534 nested
/// nodes (65,534 `not`, 32,767 `lambda:`) and the body reader recursed per call, so the bound
/// keeps both from ever seeing one.
inline constexpr int kMaxPrefixChain = 2000;

struct PyLayoutError {
  uint32_t offset = 0;  ///< where CPython points (the bracket, the start of the line)
  std::string message;  ///< CPython's wording, with the error class
};

struct PyLayout {
  std::optional<PyLayoutError> error;
  /// Offsets of the line breaks that end a logical line (CPython's NEWLINE tokens), ascending.
  /// Only filled up to the first error.
  std::vector<uint32_t> newlines;
  /// Offsets of the `*` that start a subscript's items (`a[*b]`, `a[1, *(c)]`), ascending:
  /// the parse reads them as blanks (see TsFile). Only filled up to the first error.
  std::vector<uint32_t> subscript_stars;
};

/// Scans `text` from byte `start` (after a BOM). Linear in the size of the text; never
/// recurses. `\n`, `\r\n` and a lone `\r` all end a line, as in CPython.
PyLayout ScanLayout(std::string_view text, uint32_t start);

}  // namespace alint
