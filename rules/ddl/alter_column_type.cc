// alter-column-type: ALTER COLUMN ... TYPE that rewrites the table (not the binary-coercible
// changes such as varchar widening or varchar -> text).
#include <fmt/format.h>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

class AlterColumnType final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"alter-column-type",
                                "A column type change rewrites the whole table under an "
                                "ACCESS EXCLUSIVE lock",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    for (const PlannedStatement& s : ctx.analysis()->statements) {
      if (s.facts.kind != StatementKind::kAlterColumnType) continue;
      const std::string table = s.facts.table;
      const RelationEffect* e = s.facts.Effect(table);
      if (e == nullptr || !e->rewrite || s.IsNew(table)) continue;
      // Putting back the type the upgrade changed is the ordinary inverse.
      if (s.phase == Phase::kDowngrade &&
          rulekit::UpgradeChangesColumn(*ctx.analysis(), s.facts.kind, table, s.facts.column)) {
        continue;
      }
      const bool uncertain = s.facts.rewrite_uncertain;
      std::string why;
      for (const std::string& n : s.facts.notes) why += "; " + n;
      if (s.facts.data_loss) why += "; existing values are changed (data loss)";
      Finding& f = ctx.ReportStatement(
          s, fmt::format("changing `{}.{}` to `{}`{} {} the whole table and its indexes while "
                         "holding an {} for the whole time{}",
                         table, s.facts.column, s.facts.new_type, PhaseSuffix(s.phase),
                         uncertain ? "may rewrite" : "rewrites",
                         rulekit::LockPhrase(s.facts, table), why));
      // Without the current type the model assumes the worst: say so, one level lower.
      if (uncertain) ctx.LowerSeverity(f);
      std::string help = fmt::format(
          "add a new column `{1}_new {2}`, fill it in batches (and keep it in sync from the "
          "application or a trigger), switch the application to it, then drop `{1}` and "
          "rename; only binary-coercible changes (varchar(n) -> varchar(m > n), varchar -> "
          "text, numeric(p,s) -> numeric(q > p,s)) are instant",
          table, s.facts.column, s.facts.new_type);
      if (uncertain && s.op != nullptr) {
        help += "; pass `existing_type=` to op.alter_column so the change can be judged";
      }
      f.help = std::move(help);
    }
  }
};

}  // namespace

const Rule& AlterColumnTypeRule() {
  static const AlterColumnType r;
  return r;
}

}  // namespace alint
