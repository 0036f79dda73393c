// refresh-materialized-view-non-concurrent: REFRESH MATERIALIZED VIEW without CONCURRENTLY
// holds ACCESS EXCLUSIVE on the view while its whole query runs.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_rule_util.h"

namespace alint {
namespace {

class RefreshMaterializedViewNonConcurrent final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"refresh-materialized-view-non-concurrent",
                                "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of "
                                "the view while its query runs",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    for (const PlannedStatement& s : a->statements) {
      if (s.facts.kind != StatementKind::kRefreshMaterializedView || s.facts.concurrently ||
          s.facts.effects.empty()) {
        continue;
      }
      const RelationEffect& view = s.facts.effects[0];
      // A view created in this migration has no readers yet, and CONCURRENTLY is refused on
      // a view that was created WITH NO DATA.
      if (s.IsNew(view.relation)) continue;
      Finding& f = ctx.ReportStatement(
          s, fmt::format("refreshing materialized view `{}` without CONCURRENTLY holds {} on it "
                         "while the view's query runs in full{}: every read of the view waits",
                         view.relation, LockModeName(view.lock), PhaseSuffix(s.phase)));
      f.help = fmt::format(
          "refresh concurrently (readers keep the old contents until it finishes; it needs a "
          "unique index on the view covering all rows, without WHERE):\n{}",
          rulekit::OpExecute("REFRESH MATERIALIZED VIEW CONCURRENTLY " + view.relation));
    }
  }
};

}  // namespace

const Rule& RefreshMaterializedViewNonConcurrentRule() {
  static const RefreshMaterializedViewNonConcurrent r;
  return r;
}

}  // namespace alint
