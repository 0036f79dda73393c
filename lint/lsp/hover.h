#pragma once
/// Hover texts: the documentation of the rule behind a diagnostic, and what an `op.*` call or
/// a SQL statement does to the database (locks, rewrite, scan, data loss).

#include <optional>
#include <string>
#include <vector>

#include "lint/analysis/migration_analysis.h"
#include "lint/core/source.h"
#include "lint/engine/settings.h"
#include "lint/lsp/lint_session.h"
#include "lint/python/migration.h"

namespace alint::lsp {

/// A hover answer: markdown and the range it applies to.
struct HoverText {
  std::string markdown;
  Range range;
};

/// Markdown for the diagnostics covering `offset` (begin <= offset <= end): rule name,
/// severity, message, help and the rule's "What it does" section from its embedded doc.
std::optional<HoverText> DiagnosticHover(const std::vector<Diagnostic>& diagnostics,
                                         uint32_t offset);

/// Markdown for the innermost `op.*` call or SQL statement of `m` at `offset`, from the
/// migration analysis (AnalyzeMigration): the statement as PostgreSQL runs it, the locks it
/// takes and what they block, rewrite / scan / data loss, whether it runs in a transaction and
/// the lock_timeout in effect. nullopt when nothing is there. `m` must be a full parse of
/// `file`; `env` (env.py's facts) may be null.
std::optional<HoverText> LockHover(const Migration& m, const SourceFile& file, uint32_t offset,
                                   const LintSettings& settings, const EnvFacts* env);

/// The "## What it does" section of a rule's embedded doc (trimmed), or "" when none.
std::string RuleDocSummary(std::string_view rule);

}  // namespace alint::lsp
