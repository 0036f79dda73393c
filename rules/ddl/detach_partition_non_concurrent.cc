// detach-partition-non-concurrent: DETACH PARTITION without CONCURRENTLY takes ACCESS
// EXCLUSIVE on the partitioned table, which stops reads and writes of every partition.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/constraint_util.h"
#include "lint/rulekit/lock_rule_util.h"

namespace alint {
namespace {

class DetachPartitionNonConcurrent final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"detach-partition-non-concurrent",
                                "DETACH PARTITION without CONCURRENTLY blocks reads and writes "
                                "of the whole partitioned table",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    const int pg = ctx.settings().pg_version;
    for (const PlannedStatement& s : a->statements) {
      if (s.facts.kind != StatementKind::kDetachPartition || s.facts.concurrently) continue;
      const std::string parent = s.facts.table;
      if (parent.empty() || s.IsNew(parent)) continue;
      // Before 14 there is no concurrent form: a lock_timeout is all one can do.
      if (pg < 14 && s.HasLockTimeout()) continue;
      const RelationEffect* own = s.facts.Effect(parent);
      const LockMode lock = own != nullptr ? own->lock : LockMode::kAccessExclusive;
      std::string partition;
      for (const RelationEffect& e : s.facts.effects) {
        if (e.relation != parent) partition = e.relation;
      }
      Finding& f = ctx.ReportStatement(
          s, fmt::format("detaching partition {}from `{}` without CONCURRENTLY takes {} on the "
                         "partitioned table{}: {} of every partition wait, first for running "
                         "queries to finish",
                         partition.empty() ? "" : "`" + partition + "` ", parent,
                         LockModeName(lock), PhaseSuffix(s.phase), BlockedOperations(lock)));
      if (pg >= 14) {
        std::string sql(rulekit::StatementSql(s));
        if (sql.empty()) sql = "ALTER TABLE " + parent + " DETACH PARTITION " + partition;
        f.help = fmt::format(
            "detach concurrently (PostgreSQL 14+: a SHARE UPDATE EXCLUSIVE lock; not allowed "
            "when the table has a default partition; it cannot run in a transaction):\n{}",
            rulekit::InAutocommitBlock(rulekit::OpExecute(sql + " CONCURRENTLY")));
      } else {
        f.help = fmt::format(
            "DETACH PARTITION CONCURRENTLY needs PostgreSQL 14 (target: {}); bound the wait "
            "instead, set first in the migration:\n{}",
            pg, rulekit::OpExecute("SET lock_timeout = '5s'"));
      }
    }
  }
};

}  // namespace

const Rule& DetachPartitionNonConcurrentRule() {
  static const DetachPartitionNonConcurrent r;
  return r;
}

}  // namespace alint
