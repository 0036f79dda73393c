#pragma once
/// A hand-written scanner for the header facts (module docstring, the four module-level
/// revision assignments, suppression comments) that skips the tree-sitter parse graph-only
/// commands do not need. It tokenizes the whole file the way Python does (string prefixes,
/// triple quotes, comments, brackets, line continuations) so text inside a string or a def body
/// is never misread, and gives up on anything it is not sure of; the caller then parses.

#include <optional>
#include <string_view>
#include <vector>

#include "lint/python/migration.h"

namespace alint {

/// What ScanHeader reads: exactly the header part of a Migration.
struct HeaderFacts {
  RevisionValue revision;
  RevisionValue down_revision;
  RevisionValue branch_labels;
  RevisionValue depends_on;
  Docstring docstring;
  std::vector<Suppression> suppressions;

  void MoveInto(Migration& m);
};

/// Reads the header facts of `file.text` from byte `start` (after any BOM), or nullopt when the
/// file holds something the scanner does not handle (tuple unpacking, a conditional
/// assignment, a syntax error, ...): the caller must then use a full parse. When it returns
/// facts they are equal to what the tree-sitter reader gives. Thread-safe.
std::optional<HeaderFacts> ScanHeader(const SourceFile& file, uint32_t start);

/// Length (1 to 3) of the Python operator or delimiter starting at `t[p]`, a punctuation
/// character, by the tokenizer's longest match (`**=`, `->`, `...`, `:=`, ...).
uint32_t PythonOperatorLength(std::string_view t, uint32_t p);

}  // namespace alint
