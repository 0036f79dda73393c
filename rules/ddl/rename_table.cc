// rename-table: ALTER TABLE ... RENAME TO / op.rename_table while old code still runs.
#include <fmt/format.h>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

// True when the upgrade renames `to` -> `from` (this downgrade rename puts it back).
bool InvertsUpgrade(const MigrationAnalysis& a, const std::string& from, const std::string& to) {
  for (const PlannedStatement& s : a.statements) {
    if (s.phase == Phase::kUpgrade && s.facts.kind == StatementKind::kRenameTable &&
        NormalizeRelation(s.facts.table) == NormalizeRelation(to) &&
        NormalizeRelation(s.facts.new_name) == NormalizeRelation(from)) {
      return true;
    }
  }
  return false;
}

class RenameTable final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"rename-table",
                                "A migration renames a table the running application still uses",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis& a = *ctx.analysis();
    for (const PlannedStatement& s : a.statements) {
      if (s.facts.kind != StatementKind::kRenameTable) continue;
      const std::string from = s.facts.table;
      const std::string& to = s.facts.new_name;
      if (from.empty() || s.IsNew(from)) continue;
      if (s.phase == Phase::kDowngrade && InvertsUpgrade(a, from, to)) continue;
      Finding& f = ctx.ReportStatement(
          s, fmt::format("renames table `{}` to `{}`{}: application instances still running the "
                         "old code during the deploy query `{}` and fail until all of them run "
                         "the new code",
                         from, to, PhaseSuffix(s.phase), from));
      f.help = fmt::format(
          "keep the old name working while both versions run: rename and create a view in the "
          "same migration, `op.rename_table(\"{0}\", \"{1}\")` then "
          "`op.execute(\"CREATE VIEW {0} AS SELECT * FROM {1}\")` (a simple view is updatable), "
          "and drop the view in a later migration once no code uses `{0}`",
          from, to);
    }
  }
};

}  // namespace

const Rule& RenameTableRule() {
  static const RenameTable r;
  return r;
}

}  // namespace alint
