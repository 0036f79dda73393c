// The one name table of StatementKind and ConstraintKind: the stable names FactsToJson prints
// (and tests/sql, tests/pg compare).

#include <array>
#include <utility>

#include "lint/sql/analyze_internal.h"
#include "lint/sql/sql_facts.h"

namespace alint {
namespace {

using K = StatementKind;

constexpr std::array<std::pair<StatementKind, std::string_view>, 103> kNames{{
    {K::kOther, ""},
    {K::kCreateTable, "create_table"},
    {K::kCreateTableAs, "create_table_as"},
    {K::kCreateMaterializedView, "create_materialized_view"},
    {K::kCreateView, "create_view"},
    {K::kCreateSequence, "create_sequence"},
    {K::kCreateIndex, "create_index"},
    {K::kCreateTrigger, "create_trigger"},
    {K::kCreatePolicy, "create_policy"},
    {K::kAlterPolicy, "alter_policy"},
    {K::kCreateSchema, "create_schema"},
    {K::kCreateEnum, "create_enum"},
    {K::kCreateDatabase, "create_database"},
    {K::kDropDatabase, "drop_database"},
    {K::kDropTable, "drop_table"},
    {K::kDropForeignTable, "drop_foreign_table"},
    {K::kDropIndex, "drop_index"},
    {K::kDropView, "drop_view"},
    {K::kDropMaterializedView, "drop_materialized_view"},
    {K::kDropSequence, "drop_sequence"},
    {K::kDropTrigger, "drop_trigger"},
    {K::kDropPolicy, "drop_policy"},
    {K::kDropRule, "drop_rule"},
    {K::kDropSchema, "drop_schema"},
    {K::kDropType, "drop_type"},
    {K::kRenameTable, "rename_table"},
    {K::kRenameColumn, "rename_column"},
    {K::kRenameIndex, "rename_index"},
    {K::kRenameConstraint, "rename_constraint"},
    {K::kRenameView, "rename_view"},
    {K::kRenameMaterializedView, "rename_materialized_view"},
    {K::kRenameSequence, "rename_sequence"},
    {K::kRenameTrigger, "rename_trigger"},
    {K::kRenamePolicy, "rename_policy"},
    {K::kRenameRule, "rename_rule"},
    {K::kAddColumn, "alter_table.add_column"},
    {K::kDropColumn, "alter_table.drop_column"},
    {K::kAlterColumnType, "alter_table.alter_column_type"},
    {K::kSetNotNull, "alter_table.set_not_null"},
    {K::kDropNotNull, "alter_table.drop_not_null"},
    {K::kSetDefault, "alter_table.set_default"},
    {K::kDropDefault, "alter_table.drop_default"},
    {K::kAddConstraint, "alter_table.add_constraint"},
    {K::kValidateConstraint, "alter_table.validate_constraint"},
    {K::kDropConstraint, "alter_table.drop_constraint"},
    {K::kAlterConstraint, "alter_table.alter_constraint"},
    {K::kSetStatistics, "alter_table.set_statistics"},
    {K::kSetColumnOptions, "alter_table.set_column_options"},
    {K::kResetColumnOptions, "alter_table.reset_column_options"},
    {K::kSetStorage, "alter_table.set_storage"},
    {K::kSetCompression, "alter_table.set_compression"},
    {K::kAddIdentity, "alter_table.add_identity"},
    {K::kSetIdentity, "alter_table.set_identity"},
    {K::kDropIdentity, "alter_table.drop_identity"},
    {K::kDropExpression, "alter_table.drop_expression"},
    {K::kSetOptions, "alter_table.set_options"},
    {K::kResetOptions, "alter_table.reset_options"},
    {K::kSetTablespace, "alter_table.set_tablespace"},
    {K::kSetLogged, "alter_table.set_logged"},
    {K::kSetUnlogged, "alter_table.set_unlogged"},
    {K::kSetAccessMethod, "alter_table.set_access_method"},
    {K::kClusterOn, "alter_table.cluster_on"},
    {K::kSetWithoutCluster, "alter_table.set_without_cluster"},
    {K::kDisableTrigger, "alter_table.disable_trigger"},
    {K::kEnableTrigger, "alter_table.enable_trigger"},
    {K::kRowLevelSecurity, "alter_table.row_level_security"},
    {K::kInherit, "alter_table.inherit"},
    {K::kNoInherit, "alter_table.no_inherit"},
    {K::kAttachPartition, "alter_table.attach_partition"},
    {K::kDetachPartition, "alter_table.detach_partition"},
    {K::kDetachPartitionFinalize, "alter_table.detach_partition_finalize"},
    {K::kOwnerTo, "alter_table.owner_to"},
    {K::kReplicaIdentity, "alter_table.replica_identity"},
    {K::kAlterTypeAddValue, "alter_type.add_value"},
    {K::kAlterTypeRenameValue, "alter_type.rename_value"},
    {K::kInsert, "insert"},
    {K::kUpdate, "update"},
    {K::kDelete, "delete"},
    {K::kMerge, "merge"},
    {K::kSelect, "select"},
    {K::kCopy, "copy"},
    {K::kTruncate, "truncate"},
    {K::kReindex, "reindex"},
    {K::kVacuum, "vacuum"},
    {K::kVacuumFull, "vacuum_full"},
    {K::kAnalyze, "analyze"},
    {K::kCluster, "cluster"},
    {K::kRefreshMaterializedView, "refresh_materialized_view"},
    {K::kLockTable, "lock_table"},
    {K::kComment, "comment"},
    {K::kDo, "do"},
    {K::kSet, "set"},
    {K::kReset, "reset"},
    {K::kBegin, "transaction.begin"},
    {K::kStart, "transaction.start"},
    {K::kCommit, "transaction.commit"},
    {K::kRollback, "transaction.rollback"},
    {K::kSavepoint, "transaction.savepoint"},
    {K::kRelease, "transaction.release"},
    {K::kRollbackTo, "transaction.rollback_to"},
    {K::kPrepare, "transaction.prepare"},
    {K::kCommitPrepared, "transaction.commit_prepared"},
    {K::kRollbackPrepared, "transaction.rollback_prepared"},
}};

// The table is in enum order, so a kind's name is one index away (checked at compile time).
constexpr bool InEnumOrder() {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (static_cast<size_t>(kNames[i].first) != i) return false;
  }
  return static_cast<size_t>(K::kRollbackPrepared) + 1 == kNames.size();
}
static_assert(InEnumOrder(), "kNames must list every StatementKind once, in enum order");

constexpr std::string_view kAlterTablePrefix = "alter_table.";

}  // namespace

std::string_view StatementKindName(StatementKind kind) {
  const auto i = static_cast<size_t>(kind);
  return i < kNames.size() ? kNames[i].second : std::string_view();
}

std::string_view ConstraintKindName(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kNone:
      return "";
    case ConstraintKind::kForeignKey:
      return "foreign_key";
    case ConstraintKind::kCheck:
      return "check";
    case ConstraintKind::kUnique:
      return "unique";
    case ConstraintKind::kPrimaryKey:
      return "primary_key";
    case ConstraintKind::kExclusion:
      return "exclude";
    case ConstraintKind::kOther:
      return "other";
  }
  return "";
}

std::string StatementFacts::KindName() const {
  if (kind == StatementKind::kOther) return other_kind;
  std::string name(StatementKindName(kind));
  if (kind == StatementKind::kAddConstraint) {
    name += ".";
    name += ConstraintKindName(constraint_kind);
  }
  return name;
}

namespace sql_internal {

void SetKind(StatementFacts& f, std::string name) {
  for (const auto& [kind, known] : kNames) {
    if (kind != K::kOther && known == name) {
      f.kind = kind;
      f.other_kind.clear();
      return;
    }
  }
  f.kind = K::kOther;
  f.other_kind = std::move(name);
}

std::string AlterSubcommandName(StatementKind kind) {
  std::string_view name = StatementKindName(kind);
  if (name.substr(0, kAlterTablePrefix.size()) == kAlterTablePrefix) {
    name.remove_prefix(kAlterTablePrefix.size());
  }
  return std::string(name);
}

}  // namespace sql_internal
}  // namespace alint
