// concurrent-in-transaction: a statement PostgreSQL refuses inside a transaction block
// (CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY,
// VACUUM, ...) outside autocommit_block(): Alembic runs the migration in a transaction, so the
// deploy fails.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_rule_util.h"

namespace alint {
namespace {

// The command as PostgreSQL names it in "... cannot run inside a transaction block".
std::string CommandName(const StatementFacts& f) {
  switch (f.kind) {
    case StatementKind::kCreateIndex:
      return "CREATE INDEX CONCURRENTLY";
    case StatementKind::kDropIndex:
      return "DROP INDEX CONCURRENTLY";
    case StatementKind::kReindex:  // REINDEX SCHEMA / DATABASE / SYSTEM are never allowed
      return f.concurrently ? "REINDEX CONCURRENTLY" : f.command;
    case StatementKind::kDetachPartition:
    case StatementKind::kDetachPartitionFinalize:
      return "ALTER TABLE ... DETACH CONCURRENTLY";
    case StatementKind::kVacuum:
    case StatementKind::kVacuumFull:
      return "VACUUM";
    case StatementKind::kCluster:
      return "CLUSTER";
    default:
      return f.command;  // CREATE / DROP DATABASE: PostgreSQL names the command only
  }
}

class ConcurrentInTransaction final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"concurrent-in-transaction",
                                "CONCURRENTLY (or VACUUM) inside the migration's transaction "
                                "fails at deploy time",
                                Severity::kError, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    for (const PlannedStatement& s : a->statements) {
      // ALTER TYPE ... ADD VALUE (before 12) is enum-add-value-in-transaction's.
      if (!s.facts.no_transaction || !s.in_transaction ||
          s.facts.kind == StatementKind::kAlterTypeAddValue) {
        continue;
      }
      const std::string command = CommandName(s.facts);
      if (rulekit::InSqlFile(s)) {
        Finding& f = ctx.ReportStatement(
            s, fmt::format("{} cannot run inside a transaction block, and this file runs it {}: "
                           "the deploy fails with \"{} cannot run inside a transaction block\"",
                           command, rulekit::SqlFileTransaction(ctx), command));
        f.help = ctx.settings().sql_files_in_transaction
                     ? "run it in a file of its own that the tool does not wrap in a "
                       "transaction (psql runs each statement on its own)"
                     : "move it out of the BEGIN ... COMMIT (after the COMMIT, or before the "
                       "BEGIN): psql then runs it on its own";
        continue;
      }
      Finding& f = ctx.ReportStatement(
          s, fmt::format("{} cannot run inside a transaction block, and Alembic runs every "
                         "migration in one{}: the deploy fails with \"{} cannot run inside a "
                         "transaction block\"",
                         command, PhaseSuffix(s.phase), command));
      std::string code = s.op != nullptr ? rulekit::OpCallSource(ctx.file(m.file), *s.op)
                                         : rulekit::OpExecute(rulekit::StatementSql(s));
      f.help = fmt::format(
          "run it in an autocommit block (it commits what the migration did so far, then runs "
          "the statement on its own):\n{}",
          rulekit::InAutocommitBlock(code));
      if (s.facts.concurrently && s.facts.kind == StatementKind::kCreateIndex) {
        *f.help +=
            "\nmake it safe to re-run: a failed concurrent build leaves an INVALID index "
            "(if_not_exists=True / IF NOT EXISTS would then keep the broken one: drop it first)";
      }
    }
  }
};

}  // namespace

const Rule& ConcurrentInTransactionRule() {
  static const ConcurrentInTransaction r;
  return r;
}

}  // namespace alint
