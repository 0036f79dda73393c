#pragma once
/// What a migration does to the database, statement by statement, in execution order: the
/// op.* calls (through the op model) and the SQL strings (through AnalyzeSql) of upgrade() and
/// downgrade(), with Alembic's transaction model and the timeouts in effect. Computed once
/// per migration by the engine and shared by every DDL rule (RuleContext::analysis()).
///
/// Positions are .py file offsets: a statement from a SQL string is mapped back through the
/// string's segments, so a finding points at the statement's own line and column inside the
/// Python string.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/source.h"
#include "lint/python/migration.h"
#include "lint/sql/sql_facts.h"

namespace alint {

/// What env.py sets for every migration of the environment (read statically from env.py).
struct EnvFacts {
  bool found = false;                      ///< env.py was read
  bool transaction_per_migration = false;  ///< context.configure(transaction_per_migration=True)
  /// context.configure(transactional_ddl=False): Alembic opens no transaction, so every
  /// statement commits on its own (nullopt: not set, the dialect's default: True on
  /// PostgreSQL).
  std::optional<bool> transactional_ddl;
  std::optional<std::string>
      lock_timeout;  ///< connect_args/options "-c lock_timeout=..." or an executed SET
  std::optional<std::string> statement_timeout;
  Span lock_timeout_span;  ///< where env.py sets it (file is kNoFile unless env.py has an id)
  std::string path;        ///< env.py's path, for messages ("" when not found)
  uint32_t lock_timeout_line = 0;  ///< 1-based line of the setting in env.py, 0 if none
  /// The dialect of the literal database URLs env.py names (`create_engine("mysql://...")`,
  /// `set_main_option("sqlalchemy.url", "sqlite:///...")`), when they all agree and env.py
  /// builds no URL at run time; "" otherwise. `url_line`: the first one's line.
  std::string url_dialect;
  uint32_t url_line = 0;
  /// env.py replaces alembic.ini's sqlalchemy.url at run time (set_main_option with a
  /// computed value, create_engine of a computed URL, a connection handed in through
  /// config.attributes): the ini's URL says nothing about the real database.
  bool replaces_url = false;
  /// context.configure(version_table=..., version_table_schema=...) when literal (the last
  /// one written); nullopt when env.py does not set them. `version_table_dynamic`: env.py sets
  /// one of them to a computed value, so the table `status` must read is unknown.
  /// How downgrade() is written in the environment's script.py.mako (what `alembic revision`
  /// starts every migration from); nullopt without a template. kAbsent: forward-only by design.
  std::optional<BodyShape> template_downgrade;
  std::optional<std::string> version_table;
  std::optional<std::string> version_table_schema;
  bool version_table_dynamic = false;
};

/// What the migrations before this one established, from the schema model (lint/schema):
/// the facts the upgrade's statements cannot see in their own text. Keys use
/// NormalizeRelation names. Absent facts are unknown, never "safe".
struct PriorSchema {
  ColumnTypes column_types;                     ///< "table.column" -> type as PostgreSQL prints it
  std::set<std::string, std::less<>> not_null;  ///< "table|column" already NOT NULL
  /// "table|column" with a validated CHECK (column IS NOT NULL).
  std::set<std::string, std::less<>> proven_not_null;
  /// "table|constraint" -> column: CHECK (column IS NOT NULL) constraints (valid or not).
  std::map<std::string, std::string, std::less<>> not_null_checks;
  /// "table|constraint" -> referenced table: foreign keys.
  std::map<std::string, std::string, std::less<>> foreign_keys;
  std::map<std::string, std::string, std::less<>> index_tables;  ///< index -> its table
  /// Tables created by an earlier migration of the same change (PR mode, the files named):
  /// not deployed yet, so empty.
  std::set<std::string, std::less<>> new_tables;
  /// Where those facts come from, for notes: "table.column" or "table|constraint" -> revision.
  std::map<std::string, std::string, std::less<>> source;
};

struct AnalysisOptions {
  int pg_version = 15;
  const PriorSchema* prior = nullptr;  ///< optional: what earlier migrations established
  const EnvFacts* env = nullptr;       ///< optional
  /// A .sql file is one transaction (a tool wraps it in BEGIN/COMMIT), not psql's
  /// statement-by-statement autocommit (`--assume-in-transaction`).
  bool sql_file_in_transaction = false;
};

/// A table-level lock a transaction holds when a statement starts: taken by an earlier
/// statement of the same transaction (PostgreSQL keeps table locks until commit).
struct HeldLock {
  std::string relation;             ///< NormalizeRelation form
  LockMode mode = LockMode::kNone;  ///< the strongest mode held on it
  Span taken_at;                    ///< anchor of the statement that took that mode
  std::string taken_by;             ///< that statement's summary
};

/// One statement the migration runs.
struct PlannedStatement {
  StatementFacts facts;  ///< offsets in `facts` are relative to its source; use span/anchor
  Span span;             ///< the whole statement in the .py file (for an op: the call)
  Span anchor;           ///< the most relevant token in the .py file (finding anchor)
  Phase phase = Phase::kOther;
  const OpCall* op = nullptr;      ///< set when it came from an op.* call
  const SqlString* sql = nullptr;  ///< set when it came from a SQL string
  /// Runs inside a transaction block (false inside autocommit_block()).
  bool in_transaction = true;
  /// Index of the transaction it runs in (statements of one transaction share it; each
  /// autocommit statement gets its own). Alembic runs one migration in one transaction on
  /// PostgreSQL (transactional DDL); transaction_per_migration does not change that.
  uint32_t transaction = 0;
  /// The lock_timeout in effect when it runs ("0" = disabled), from a SET earlier in the
  /// migration or from env.py; nullopt when none.
  std::optional<std::string> lock_timeout;
  /// The statement_timeout in effect, tracked the same way.
  std::optional<std::string> statement_timeout;
  /// Every relation this statement touches that was created earlier in the same migration
  /// and phase (locks on a new, empty table are harmless).
  std::vector<std::string> new_relations;
  /// The locks its transaction already holds on existing relations when it starts: the
  /// first `held_count` entries of the transaction's lock log (one entry per lock taken or
  /// strengthened, shared by every statement of the transaction, so a long transaction costs
  /// one log, not a copy per statement). Empty outside a transaction block and for the first
  /// statement of a transaction. Read it through Held().
  std::shared_ptr<const std::vector<HeldLock>> held_log;
  uint32_t held_count = 0;
  /// For a statement on an index whose table the SQL does not name (DROP INDEX): the table
  /// the op call names (`op.drop_index(..., table_name=...)`); "" when unknown.
  std::string index_table;

  /// The strongest lock the transaction already holds on `relation`, or nullptr.
  const HeldLock* Held(std::string_view relation) const;
  /// True when taking `mode` on `relation` cannot wait: the transaction already holds a lock
  /// there that every lock other sessions could hold is compatible with (ACCESS EXCLUSIVE
  /// covers everything; the same mode covers itself).
  bool AlreadyGranted(std::string_view relation, LockMode mode) const;
  /// True when `relation` was created earlier in this migration (and phase). Names compare
  /// after NormalizeRelation ("public.users" is "users").
  bool IsNew(std::string_view relation) const;
  /// True when a non-zero lock_timeout is in effect (see IsLockTimeoutOff).
  bool HasLockTimeout() const;
};

/// A SQL string libpg_query rejected.
struct SqlProblem {
  Span at;  ///< Postgres' error position mapped into the .py file
  std::string message;
  Phase phase = Phase::kOther;
  /// The driver refuses the text before PostgreSQL sees it (NUL byte, not UTF-8); the
  /// statements around it were still analysed.
  bool driver = false;
};

struct MigrationAnalysis {
  /// Upgrade first, then downgrade, then statements of other functions (helpers the
  /// migration calls), each in source order. Each phase starts from env.py's settings with
  /// nothing created yet; the transaction index keeps counting across phases.
  ///
  /// `facts` include what one SQL text cannot see: a column added earlier in the migration
  /// gives its type to a later ALTER COLUMN TYPE, and a CHECK (col IS NOT NULL) validated by
  /// an earlier statement lets SET NOT NULL skip its scan on PostgreSQL 12+.
  std::vector<PlannedStatement> statements;
  std::vector<SqlProblem> sql_errors;
  /// op.* calls the op model could not read (an argument is not a literal): their locks are
  /// unknown, which rules must not take for "safe".
  std::vector<const OpCall*> unmodelled_ops;
};

/// The relation name used to compare relations: "public." is dropped (the default schema);
/// everything else is kept as PostgreSQL would store it.
std::string NormalizeRelation(std::string_view relation);

/// True when `value` means "no lock_timeout": absent, empty or zero in any unit ("0", "0ms",
/// "'0s'"). A value env.py computes at run time ("{TIMEOUT}") counts as set.
bool IsLockTimeoutOff(const std::optional<std::string>& value);

/// Analyses `m` (which must be a full parse; an empty analysis otherwise). Thread-safe; `m` and
/// `file` must outlive the result (it points into them).
MigrationAnalysis AnalyzeMigration(const Migration& m, const SourceFile& file,
                                   const AnalysisOptions& options);

/// Reads env.py's facts (transaction_per_migration, timeouts) from its text, statically: a
/// `transaction_per_migration=True` keyword, `-c lock_timeout=...` in connect options, or a
/// `SET lock_timeout ...` string it executes. Comments are ignored. `found` is set.
EnvFacts ReadEnvFacts(const SourceFile& env_py);

/// The shape of downgrade() in a script.py.mako template: kAbsent when it has none, kRaises
/// when it only raises, kEmpty when it is only `pass`, kCode otherwise (Alembic's default
/// `${downgrades if downgrades else "pass"}` is kCode: autogenerate fills it in).
BodyShape TemplateDowngradeShape(std::string_view mako);

}  // namespace alint
