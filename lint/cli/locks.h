#pragma once
/// `alembic-lint locks`: per migration, each table with the strongest lock it takes, what
/// that blocks, rewrite and scan, and the statements responsible; upgrade and downgrade apart.
/// Built from the DDL analysis (lint/analysis/), rendered as a Markdown-friendly table or JSON
/// (documented in README.md, "Lock summary").

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/linter.h"

namespace alint {

/// One statement that takes a lock on a table.
struct LockStatement {
  Span anchor;
  std::string summary;
  LockMode lock = LockMode::kNone;
  bool in_transaction = true;
  std::optional<std::string> lock_timeout;
};

/// One table (or index, sequence, view) in one phase of one migration.
struct TableLocks {
  std::string table;
  bool is_new = false;              ///< created earlier in the same migration, or by the statement
  LockMode lock = LockMode::kNone;  ///< strongest
  bool rewrite = false;
  bool scan = false;
  std::vector<LockStatement> statements;  ///< in execution order
};

/// Something whose locks are unknown: an op with non-literal arguments, run-time SQL, SQL
/// PostgreSQL cannot parse.
struct UnknownLocks {
  Span at;
  std::string reason;
};

struct PhaseLocks {
  std::vector<TableLocks> tables;  ///< in order of first appearance
  std::vector<UnknownLocks> unknown;
};

struct MigrationLocks {
  FileId file = kNoFile;
  std::string revision;  ///< empty for a .sql file or a migration without a literal id
  std::string title;     ///< the docstring's first line
  PhaseLocks upgrade, downgrade;
  /// The transaction model the locks were worked out under (TransactionModelName): "per-run"
  /// (Alembic's default), "per-migration", "none" (transactional_ddl=False), "psql" (a .sql
  /// file), "file" (a .sql file with --assume-in-transaction).
  std::string transaction;
};

/// The transaction model of migration `m` of an environment with env.py facts `env` (null
/// when env.py was not read).
std::string TransactionModel(const Migration& m, const EnvFacts* env, bool assume_in_transaction);

/// The lock summary of one migration. `a` must be AnalyzeMigration(m, file, ...).
MigrationLocks SummarizeLocks(const Migration& m, const SourceFile& file,
                              const MigrationAnalysis& a);

/// The files of env `e` in graph order from the bases to the heads (parents and
/// depends_on first; file order among equals); files the graph does not order (no literal
/// revision, a cycle) follow in file order.
std::vector<FileId> GraphOrder(const Workspace& ws, size_t e);

/// Markdown: one section per migration, one table per phase.
std::string FormatLocksText(std::span<const MigrationLocks> migrations,
                            const std::vector<SourceFile>& files);
/// The JSON form (README.md, "Lock summary").
std::string FormatLocksJson(std::span<const MigrationLocks> migrations,
                            const std::vector<SourceFile>& files);

}  // namespace alint
