#pragma once
/// Reading a migration file into Migration facts.

#include "lint/python/migration.h"

namespace alint {

enum class ParseMode {
  kHeader,  ///< revision identifiers, docstring, suppressions only (fast; for graph work)
  kFull     ///< everything, including upgrade()/downgrade() bodies
};

/// Facts of one file. Never fails: problems become Migration::syntax_problems (binary, not
/// UTF-8, too large, tree-sitter syntax errors). Header facts are identical in both modes;
/// kHeader reports tree-sitter syntax errors only when its fast scanner fell back to a parse.
/// Thread-safe: may be called from many threads at once. The result holds no views into
/// `file`, only spans.
Migration ExtractMigration(const SourceFile& file, ParseMode mode);

}  // namespace alint
