#pragma once
/// Header values written as imported constants, resolved statically.
///
/// Some projects name their branch labels (or any of the four header values) through a
/// module-level constant of their own code:
///
///     from myproject.db.migration import cli
///     branch_labels = (cli.CONTRACT_BRANCH,)
///
/// Alembic imports the file and sees the string. Here the imported module's file is found in
/// the repository (under the environment's package roots, or relative to the migration for
/// `from . import x`) and its literal module-level assignment is read, following plain
/// re-assignments (`A = B`) and imports (`from .x import A`) a few steps deep. Nothing is ever
/// imported or run. Only top-level statements count (an assignment inside `if`/`try`/`def` is
/// not read); when anything is not plain, the value stays kNotLiteral with the reason.
///
/// Works on the file text and the value spans only, so the result does not depend on which
/// reader (the fast header scanner or tree-sitter) produced the Migration.

#include <string>
#include <vector>

#include "lint/core/file_source.h"
#include "lint/core/source.h"
#include "lint/python/migration.h"

namespace alint {

/// At most this many name or import steps per value (a chain `A = B`, `from x import B`, ...).
inline constexpr int kMaxConstSteps = 8;

/// Resolves every kNotLiteral, unconditional header value of `m` (the facts of `file`) whose
/// right-hand side is a name, a dotted name, or a tuple/list of those and string literals,
/// when each part reaches a string literal (or, for a whole value, None or a tuple/list of
/// strings). A resolved value becomes kString / kSequence / kNone, with `resolved_from` set;
/// each item's span is the part of the migration's expression it came from. Values that do
/// not resolve are left as they are, with `unresolved` saying why. Thread-safe (reads `fs`).
void ResolveImportedConstants(const FileSource& fs, const std::vector<std::string>& package_roots,
                              const SourceFile& file, Migration* m);

}  // namespace alint
