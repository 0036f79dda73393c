// drop-column: ALTER TABLE ... DROP COLUMN / op.drop_column on a column that holds data.
#include <fmt/format.h>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

class DropColumn final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"drop-column", "A migration drops a column and its data",
                                Severity::kError, "data"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis& a = *ctx.analysis();
    const rulekit::StatementIndex index(a);  // asked once per statement: indexed once
    for (size_t i = 0; i < a.statements.size(); ++i) {
      const PlannedStatement& s = a.statements[i];
      if (s.facts.kind != StatementKind::kDropColumn) continue;
      const std::string table = s.facts.table;
      const std::string& column = s.facts.column;
      if (s.IsNew(table) || index.ColumnAddedBefore(i, table, column)) continue;
      if (s.phase == Phase::kDowngrade &&
          (index.CreatedInUpgrade(table) || index.ColumnAddedInUpgrade(table, column))) {
        continue;  // the ordinary inverse of this migration's upgrade
      }
      // A downgrade that adds it back restores the column, not its values.
      const bool recreated =
          s.phase == Phase::kUpgrade && index.ColumnAddedInDowngrade(table, column);
      Finding& f = ctx.ReportStatement(
          s,
          fmt::format("drops column `{}.{}`{}: its data is deleted for good, and application code "
                      "still running during the deploy fails on queries that name it{}",
                      table, column, PhaseSuffix(s.phase),
                      recreated ? "; downgrade() adds it back empty: no downgrade brings the "
                                  "values back"
                                : ""));
      f.help = fmt::format(
          "remove every use of `{0}.{1}` from the application (and from the SQLAlchemy model, "
          "or mark it `deferred`) in a release deployed before this migration, then drop it; "
          "keep a backup if the data may be needed. If losing it is intended, suppress with "
          "`# alembic-lint: ignore[drop-column] <reason>`",
          table, column);
    }
  }
};

}  // namespace

const Rule& DropColumnRule() {
  static const DropColumn r;
  return r;
}

}  // namespace alint
