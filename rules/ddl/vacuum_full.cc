// vacuum-full: VACUUM FULL and CLUSTER rewrite the whole table under ACCESS EXCLUSIVE.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_rule_util.h"

namespace alint {
namespace {

class VacuumFull final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"vacuum-full",
                                "VACUUM FULL or CLUSTER rewrites the table while blocking reads "
                                "and writes",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    for (const PlannedStatement& s : a->statements) {
      const bool vacuum = s.facts.kind == StatementKind::kVacuumFull;
      if (!vacuum && s.facts.kind != StatementKind::kCluster) continue;
      std::string tables;
      bool all_new = !s.facts.effects.empty();
      for (const RelationEffect& e : s.facts.effects) {
        tables += (tables.empty() ? "`" : ", `") + e.relation + "`";
        all_new = all_new && s.IsNew(e.relation);
      }
      if (all_new) continue;
      if (tables.empty()) tables = vacuum ? "every table of the database" : "every clustered table";
      Finding& f = ctx.ReportStatement(
          s,
          fmt::format("{} rewrites {} into new files while holding ACCESS EXCLUSIVE{}: reads and "
                      "writes wait for the whole rewrite, and it needs free disk space for a "
                      "full copy",
                      vacuum ? "VACUUM FULL" : "CLUSTER", tables, PhaseSuffix(s.phase)));
      f.help =
          "keep table maintenance out of schema migrations: a plain VACUUM (no FULL) reclaims "
          "space for reuse without blocking; to shrink or reorder a live table use an online "
          "tool such as pg_repack, scheduled outside the deploy";
    }
  }
};

}  // namespace

const Rule& VacuumFullRule() {
  static const VacuumFull r;
  return r;
}

}  // namespace alint
