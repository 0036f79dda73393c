// rename-column: ALTER TABLE ... RENAME COLUMN / op.alter_column(new_column_name=...) while
// old code still runs.
#include <fmt/format.h>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

// True when the upgrade renames table.`to` -> `from` (this downgrade rename puts it back).
bool InvertsUpgrade(const MigrationAnalysis& a, const std::string& table, const std::string& from,
                    const std::string& to) {
  for (const PlannedStatement& s : a.statements) {
    if (s.phase == Phase::kUpgrade && s.facts.kind == StatementKind::kRenameColumn &&
        NormalizeRelation(s.facts.table) == NormalizeRelation(table) && s.facts.column == to &&
        s.facts.new_name == from) {
      return true;
    }
  }
  return false;
}

class RenameColumn final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"rename-column",
                                "A migration renames a column the running application still uses",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis& a = *ctx.analysis();
    const rulekit::StatementIndex index(a);  // asked once per statement: indexed once
    for (size_t i = 0; i < a.statements.size(); ++i) {
      const PlannedStatement& s = a.statements[i];
      if (s.facts.kind != StatementKind::kRenameColumn) continue;
      const std::string table = s.facts.table;
      const std::string& from = s.facts.column;
      const std::string& to = s.facts.new_name;
      if (table.empty() || s.IsNew(table) || index.ColumnAddedBefore(i, table, from)) continue;
      if (s.phase == Phase::kDowngrade && InvertsUpgrade(a, table, from, to)) continue;
      Finding& f = ctx.ReportStatement(
          s, fmt::format("renames column `{0}.{1}` to `{2}`{3}: application instances still "
                         "running the old code during the deploy read and write `{1}` and fail "
                         "until all of them run the new code",
                         table, from, to, PhaseSuffix(s.phase)));
      f.help = fmt::format(
          "rename in steps: add `{0}.{2}`, write both columns from the application, backfill "
          "`{2}` from `{1}` in batches, switch reads to `{2}`, and drop `{1}` in a later "
          "release; or keep the database name and rename only the Python attribute "
          "(`{2} = sa.Column(\"{1}\", ...)`)",
          table, from, to);
    }
  }
};

}  // namespace

const Rule& RenameColumnRule() {
  static const RenameColumn r;
  return r;
}

}  // namespace alint
