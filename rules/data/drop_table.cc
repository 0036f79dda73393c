// drop-table: DROP TABLE / op.drop_table on a table that holds data.
#include <fmt/format.h>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

class DropTable final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"drop-table", "A migration drops a table and every row in it",
                                Severity::kError, "data"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis& a = *ctx.analysis();
    const rulekit::StatementIndex index(a);  // asked once per statement: indexed once
    for (const PlannedStatement& s : a.statements) {
      if (s.facts.kind != StatementKind::kDropTable) continue;
      for (const RelationEffect& e : s.facts.effects) {
        // Dropping what this migration created is not data loss: a table created earlier in
        // the same function, or (in downgrade) the table the upgrade creates.
        if (s.IsNew(e.relation)) continue;
        if (s.phase == Phase::kDowngrade && index.CreatedInUpgrade(e.relation)) continue;
        // A downgrade that re-creates it restores the table, not its rows.
        const bool recreated = s.phase == Phase::kUpgrade && index.CreatedInDowngrade(e.relation);
        Finding& f = ctx.ReportStatement(
            s,
            fmt::format("drops table `{}`{}: every row is deleted for good, and application code "
                        "still running during the deploy fails on the missing table{}{}",
                        e.relation, PhaseSuffix(s.phase),
                        s.facts.notes.empty() ? "" : " (" + s.facts.notes.front() + ")",
                        recreated ? "; downgrade() re-creates it empty: no downgrade brings "
                                    "the rows back"
                                  : ""));
        f.help = fmt::format(
            "stop using `{0}` in a release deployed before this migration, keep a backup, and "
            "drop it in a later migration; or rename it first (`op.rename_table(\"{0}\", "
            "\"{0}_deprecated\")`) so it can be restored. If losing the data is intended, "
            "suppress with `# alembic-lint: ignore[drop-table] <reason>`",
            e.relation);
      }
    }
  }
};

}  // namespace

const Rule& DropTableRule() {
  static const DropTable r;
  return r;
}

}  // namespace alint
