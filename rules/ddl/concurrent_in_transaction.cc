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
  if (f.kind == "create_index") return "CREATE INDEX CONCURRENTLY";
  if (f.kind == "drop_index") return "DROP INDEX CONCURRENTLY";
  if (f.kind == "reindex") {
    if (f.concurrently) return "REINDEX CONCURRENTLY";
    // REINDEX SCHEMA/DATABASE/SYSTEM name
    const size_t end = f.summary.find(' ', 8);
    return f.summary.substr(0, end);
  }
  if (f.kind.find("detach_partition") != std::string::npos) {
    return "ALTER TABLE ... DETACH CONCURRENTLY";
  }
  if (f.kind.rfind("vacuum", 0) == 0) return "VACUUM";
  if (f.kind == "cluster") return "CLUSTER";
  return f.summary;
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
      if (!s.facts.no_transaction || !s.in_transaction || s.facts.kind == "alter_type.add_value") {
        continue;
      }
      const std::string command = CommandName(s.facts);
      Finding& f = ddl::ReportStatement(
          ctx, s,
          fmt::format("{} cannot run inside a transaction block, and Alembic runs every "
                      "migration in one{}: the deploy fails with \"{} cannot run inside a "
                      "transaction block\"",
                      command, ddl::PhaseSuffix(s), command));
      std::string code = s.op != nullptr ? ddl::OpCallSource(ctx.file(m.file), *s.op)
                                         : ddl::OpExecute(ddl::StatementSql(s));
      f.help = fmt::format(
          "run it in an autocommit block (it commits what the migration did so far, then runs "
          "the statement on its own):\n{}",
          ddl::InAutocommitBlock(code));
      if (s.facts.concurrently && s.facts.kind == "create_index") {
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
