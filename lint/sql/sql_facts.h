#pragma once
/// What a SQL text does to the database, statement by statement: the table-level locks it
/// takes, whether it rewrites or scans a table, whether it can fail on existing rows or drop
/// data. Read with libpg_query (the real PostgreSQL parser); nothing is ever executed.
///
/// The facts are the model PostgreSQL follows (the per-command lock levels of "Explicit
/// Locking" and each command's Notes), checked against a real server by tests/pg/. Everything
/// here is plain data; this header does not expose libpg_query.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/boxed.h"

namespace alint {

/// PostgreSQL's table-level lock modes, weakest first (the numeric order is the one
/// PostgreSQL uses; a higher mode is not always a superset of a lower one, see LocksConflict).
enum class LockMode : uint8_t {
  kNone,
  kAccessShare,
  kRowShare,
  kRowExclusive,
  kShareUpdateExclusive,
  kShare,
  kShareRowExclusive,
  kExclusive,
  kAccessExclusive
};

/// "ACCESS EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", ...; "" for kNone.
std::string_view LockModeName(LockMode mode);
/// The pg_locks spelling: "AccessExclusiveLock", ...; "" for kNone.
std::string_view LockModePgName(LockMode mode);
/// Parses either spelling (case-insensitive for the SQL one).
std::optional<LockMode> ParseLockMode(std::string_view name);
/// What concurrent sessions cannot do on the relation while `mode` is held, for messages:
/// "reads and writes", "writes", "DDL, VACUUM and CREATE INDEX", ...
std::string BlockedOperations(LockMode mode);
/// True when a session holding `a` blocks another asking for `b` (PostgreSQL's conflict table).
bool LocksConflict(LockMode a, LockMode b);

/// What kind of object a RelationEffect names.
enum class RelationKind : uint8_t { kTable, kIndex, kView, kMaterializedView, kSequence, kOther };

/// One relation a statement touches.
struct RelationEffect {
  std::string relation;  ///< as written, schema-qualified if it was ("public.users")
  RelationKind kind = RelationKind::kTable;
  LockMode lock = LockMode::kNone;  ///< strongest table-level lock taken on it
  /// For kind == kIndex: the lock taken on the index's table, whose name the SQL does not say
  /// (DROP INDEX, REINDEX INDEX, ALTER INDEX).
  LockMode table_lock = LockMode::kNone;
  bool rewrite = false;  ///< the table (and its indexes) is rewritten into new files
  bool scan = false;     ///< read in full while the lock is held (validation, index build, ...)
  bool created = false;  ///< the statement creates this relation
};

/// What a statement is. Every kind the model singles out has a value; the rest (GRANT,
/// CREATE FUNCTION, ALTER INDEX ... SET, DROP FUNCTION, ...) are kOther, whose stable name is
/// kept in StatementFacts::other_kind. The ALTER TABLE values (kAddColumn ... kReplicaIdentity)
/// are subcommands of ALTER TABLE (or ALTER TABLE ... RENAME for the kRename* values), never of
/// ALTER INDEX / VIEW / SEQUENCE / FOREIGN TABLE, which are kOther.
enum class StatementKind : uint8_t {
  kOther,
  // CREATE / DROP
  kCreateTable,
  kCreateTableAs,
  kCreateMaterializedView,
  kCreateView,
  kCreateSequence,
  kCreateIndex,
  kCreateTrigger,
  kCreatePolicy,
  kAlterPolicy,
  kCreateSchema,
  kCreateEnum,
  kCreateDatabase,
  kDropDatabase,
  kDropTable,
  kDropForeignTable,
  kDropIndex,
  kDropView,
  kDropMaterializedView,
  kDropSequence,
  kDropTrigger,
  kDropPolicy,
  kDropRule,
  kDropSchema,
  kDropType,
  // RENAME (ALTER ... RENAME)
  kRenameTable,
  kRenameColumn,
  kRenameIndex,
  kRenameConstraint,
  kRenameView,
  kRenameMaterializedView,
  kRenameSequence,
  kRenameTrigger,
  kRenamePolicy,
  kRenameRule,
  // ALTER TABLE subcommands
  kAddColumn,
  kDropColumn,
  kAlterColumnType,
  kSetNotNull,
  kDropNotNull,
  kSetDefault,
  kDropDefault,
  kAddConstraint,  ///< which one: StatementFacts::constraint_kind
  kValidateConstraint,
  kDropConstraint,
  kAlterConstraint,
  kSetStatistics,
  kSetColumnOptions,
  kResetColumnOptions,
  kSetStorage,
  kSetCompression,
  kAddIdentity,
  kSetIdentity,
  kDropIdentity,
  kDropExpression,
  kSetOptions,
  kResetOptions,
  kSetTablespace,
  kSetLogged,
  kSetUnlogged,
  kSetAccessMethod,
  kClusterOn,
  kSetWithoutCluster,
  kDisableTrigger,
  kEnableTrigger,
  kRowLevelSecurity,
  kInherit,
  kNoInherit,
  kAttachPartition,
  kDetachPartition,
  kDetachPartitionFinalize,
  kOwnerTo,
  kReplicaIdentity,
  // ALTER TYPE (enums)
  kAlterTypeAddValue,
  kAlterTypeRenameValue,
  // data
  kInsert,
  kUpdate,
  kDelete,
  kMerge,
  kSelect,
  kCopy,
  kTruncate,
  // maintenance
  kReindex,
  kVacuum,
  kVacuumFull,
  kAnalyze,
  kCluster,
  kRefreshMaterializedView,
  kLockTable,
  kComment,
  kDo,
  // session and transaction control
  kSet,
  kReset,
  kBegin,
  kStart,
  kCommit,
  kRollback,
  kSavepoint,
  kRelease,
  kRollbackTo,
  kPrepare,
  kCommitPrepared,
  kRollbackPrepared,
};

/// The stable name of a kind, as FactsToJson prints it: "create_index",
/// "alter_table.add_column", "transaction.commit", ... ("alter_table.add_constraint" for
/// kAddConstraint, whose full name adds the constraint kind; "" for kOther: see
/// StatementFacts::KindName).
std::string_view StatementKindName(StatementKind kind);

/// The constraint an ADD CONSTRAINT adds (kNone for every other statement).
enum class ConstraintKind : uint8_t {
  kNone,
  kForeignKey,
  kCheck,
  kUnique,
  kPrimaryKey,
  kExclusion,
  kOther
};

/// "foreign_key", "check", "unique", "primary_key", "exclude", "other"; "" for kNone.
std::string_view ConstraintKindName(ConstraintKind kind);

/// A column as a statement defines it (CREATE TABLE, ADD COLUMN), for the schema model.
struct ColumnSpec {
  std::string name;
  std::string type;       ///< as PostgreSQL prints it ("character varying(20)", "integer[]")
  bool not_null = false;  ///< NOT NULL, PRIMARY KEY, or a serial type
  bool has_default = false;
  /// The default as SQL text ("now()", "'draft'::text", "0"); "(expression)" for a form the
  /// model does not print; "" without a default.
  std::string default_expr;

  friend bool operator==(const ColumnSpec&, const ColumnSpec&) = default;
};

/// A constraint as a statement defines it (in CREATE TABLE, ADD COLUMN or ADD CONSTRAINT).
struct ConstraintSpec {
  std::string name;  ///< "" when PostgreSQL picks the name
  ConstraintKind kind = ConstraintKind::kOther;
  std::vector<std::string> columns;  ///< its columns (FOREIGN KEY: the referencing ones)
  std::string references;            ///< FOREIGN KEY: the referenced table, as written
  std::string not_null_column;       ///< CHECK (col IS NOT NULL): col
  std::string using_index;           ///< ADD ... USING INDEX: the index
  bool not_valid = false;

  friend bool operator==(const ConstraintSpec&, const ConstraintSpec&) = default;
};

/// What a statement defines, beyond the names StatementFacts carries: read by the schema
/// model (lint/schema), set only on the statements that define objects (CREATE TABLE, ADD
/// COLUMN, ADD CONSTRAINT, CREATE INDEX, CREATE TYPE ... AS ENUM, CREATE TABLE ... PARTITION
/// OF / BY).
struct ObjectDetail {
  std::vector<ColumnSpec> columns;
  std::vector<ConstraintSpec> constraints;
  /// CREATE INDEX: the indexed columns or expressions ("lower(email)" is "(expression)");
  /// CREATE TYPE ... AS ENUM: the labels.
  std::vector<std::string> items;
  bool unique = false;       ///< CREATE UNIQUE INDEX
  bool partitioned = false;  ///< CREATE TABLE ... PARTITION BY
  std::string partition_of;  ///< CREATE TABLE ... PARTITION OF parent / ATTACH PARTITION

  friend bool operator==(const ObjectDetail&, const ObjectDetail&) = default;
};

/// Facts about one statement, or one subcommand of a multi-command ALTER TABLE (each gets its
/// own StatementFacts with the statement's range and the subcommand's anchor).
struct StatementFacts {
  uint32_t begin = 0, end = 0;  ///< the statement's bytes in the SQL text given (no trailing ';')
  uint32_t anchor = 0;          ///< the most relevant token (the subcommand, the CONCURRENTLY ...)
  uint32_t anchor_end = 0;      ///< end of the anchored part (the subcommand's text)
  StatementKind kind = StatementKind::kOther;
  ConstraintKind constraint_kind = ConstraintKind::kNone;  ///< kAddConstraint: which constraint
  /// kOther only: the stable name ("grant", "create_extension", "alter_index.set_statistics",
  /// "drop_function"); rules never look at it.
  std::string other_kind;
  /// For display only ("ALTER TABLE users ADD COLUMN email"): rules may quote it in a message
  /// but never read names out of it; the names are the fields below.
  std::string summary;
  /// The command as PostgreSQL names it, without names or options: "CREATE INDEX",
  /// "REINDEX TABLE", "ALTER TABLE", "VACUUM", "COMMIT", "CREATE EXTENSION", ...
  std::string command;
  /// The table the statement acts on, as written (schema-qualified if it was): the target of
  /// ALTER TABLE and of its RENAME forms, CREATE TABLE's new table, the table of CREATE INDEX,
  /// CREATE TRIGGER / POLICY, INSERT / UPDATE / DELETE / MERGE / COPY, REINDEX TABLE and
  /// CLUSTER. "" for statements about another kind of relation (an index, a view, a sequence)
  /// and for those that may name several (DROP, TRUNCATE, LOCK, VACUUM): read `effects`.
  std::string table;
  /// ALTER TYPE ... ADD / RENAME VALUE and CREATE TYPE ... AS ENUM: the type, as written
  /// ("status", "public.status").
  std::string type_name;
  /// DROP SCHEMA: the schemas dropped; CREATE SCHEMA: the schema created (its name, or the
  /// owner's when only AUTHORIZATION is given).
  std::vector<std::string> schemas;
  std::vector<RelationEffect> effects;
  /// CREATE/DROP INDEX, REINDEX, DETACH PARTITION, REFRESH MATERIALIZED VIEW ... CONCURRENTLY.
  bool concurrently = false;
  bool no_transaction = false;    ///< cannot run inside a transaction block
  bool can_fail_on_rows = false;  ///< may fail because of existing rows (NOT NULL, UNIQUE, casts)
  bool data_loss = false;         ///< destroys data (DROP TABLE/COLUMN, TRUNCATE, DELETE/UPDATE
                                  ///< without WHERE, lossy type change, ... CASCADE)
  bool not_valid = false;         ///< a constraint added NOT VALID
  /// Whether `rewrite` depends on something the SQL does not say (the column's current type,
  /// the volatility of a user function); the model then assumes the worst.
  bool rewrite_uncertain = false;
  /// The statement needs at least this server version (DETACH ... CONCURRENTLY: 14); 0 if any.
  int requires_pg = 0;
  std::optional<std::string> sets_lock_timeout;       ///< SET [LOCAL] lock_timeout (value; "0" off)
  std::optional<std::string> sets_statement_timeout;  ///< SET [LOCAL] statement_timeout
  bool set_local = false;                             ///< the SET was SET LOCAL
  bool if_exists = false;                             ///< IF EXISTS / IF NOT EXISTS given
  bool cascade = false;  ///< DROP ... CASCADE (also drops what depends on the objects)
  /// Subcommand details rules need; empty when not applicable.
  std::string column;      ///< the column added/dropped/altered (CHECK (col IS NOT NULL): col)
  std::string constraint;  ///< the constraint added/validated/dropped, or the index created
  std::string new_type;    ///< ALTER COLUMN TYPE / ADD COLUMN: the type as PostgreSQL prints it
  std::string new_name;    ///< RENAME: the new name
  /// ADD COLUMN ... NOT NULL without a default: fails on a table that has rows.
  bool not_null_without_default = false;
  /// What the statement defines, for the schema model; empty for most statements.
  Boxed<ObjectDetail> detail;
  /// Why the flags are what they are, for messages ("volatile default clock_timestamp()").
  std::vector<std::string> notes;

  /// The stable name FactsToJson prints: StatementKindName, with the constraint kind for ADD
  /// CONSTRAINT ("alter_table.add_constraint.check"), `other_kind` for kOther.
  std::string KindName() const;

  /// The effect on `relation`, or nullptr.
  const RelationEffect* Effect(std::string_view relation) const;
  /// The strongest lock this statement takes on any relation.
  LockMode StrongestLock() const;
};

/// A parse error: PostgreSQL's message and the byte offset it points at.
struct SqlError {
  uint32_t offset = 0;
  std::string message;
};

/// Known current column types, "table.column" (or "schema.table.column") -> type as
/// PostgreSQL prints it ("character varying(20)", "numeric(10,2)", "integer"). Lets the model
/// decide whether ALTER COLUMN TYPE is binary-coercible (no rewrite).
using ColumnTypes = std::map<std::string, std::string, std::less<>>;

struct SqlOptions {
  int pg_version = 15;                        ///< target server major version, 11..18
  const ColumnTypes* column_types = nullptr;  ///< optional; not owned, must outlive the call
};

/// The facts of every statement of a SQL text, in order. On a parse error `facts` is empty and
/// `error` says where. `driver_errors` are what the database driver refuses before PostgreSQL
/// sees the text (a NUL byte, bytes that are not UTF-8): the migration fails there too, but the
/// statements are still analysed (with those bytes replaced, offsets unchanged).
struct SqlAnalysis {
  std::vector<StatementFacts> facts;
  std::optional<SqlError> error;
  std::vector<SqlError> driver_errors;
};

/// Analyzes `sql` (one or more statements). Driver placeholders Alembic SQL may hold (`%s`,
/// `%(name)s`, `:name`) are accepted; offsets always refer to `sql` as given. Thread-safe.
SqlAnalysis AnalyzeSql(std::string_view sql, const SqlOptions& options = {});

/// The stable JSON form of facts (what `alint_sql_facts` prints), one object per statement.
std::string FactsToJson(const SqlAnalysis& analysis);

/// Every field of `f`, one per line: what tests and fuzzers compare when two paths must give
/// the same facts (FactsToJson leaves out the fields only the rules and the schema model read).
std::string FactsDebugString(const StatementFacts& f);

}  // namespace alint
