// add-check-constraint-validated: ADD CHECK without NOT VALID on an existing table: every row
// is checked under ACCESS EXCLUSIVE.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/constraint_util.h"
#include "lint/rulekit/lock_rule_util.h"
#include "lint/rulekit/lock_timeout_util.h"

namespace alint {
namespace {

class AddCheckConstraintValidated final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"add-check-constraint-validated",
                                "ADD CHECK without NOT VALID blocks reads and writes while every "
                                "existing row is checked",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    for (const PlannedStatement& s : a->statements) {
      if (!rulekit::IsAddConstraint(s.facts, ConstraintKind::kCheck) || s.facts.not_valid) continue;
      const std::string table = s.facts.table;
      if (table.empty() || s.IsNew(table)) continue;
      const RelationEffect* own = s.facts.Effect(table);
      const LockMode lock = own != nullptr ? own->lock : LockMode::kAccessExclusive;
      Finding& f = ctx.ReportStatement(
          s,
          fmt::format("adding {}checks every existing row of `{}` while "
                      "holding {} on it{}{}: {} wait until the scan finishes",
                      s.facts.constraint.empty() ? std::string("a check constraint ")
                                                 : "check constraint `" + s.facts.constraint + "` ",
                      table, LockModeName(lock), PhaseSuffix(s.phase),
                      rulekit::HeldSince(ctx, s, table, lock),
                      BlockedOperations(rulekit::LockWhileRunning(s, table, lock))));
      std::string add = rulekit::NotValidAddCode(
          ctx.file(m.file), s, "create_check_constraint", "CHECK",
          "ALTER TABLE " + table + " ADD CONSTRAINT <name> CHECK (...) NOT VALID");
      f.help = rulekit::NotValidThenValidateHelp(
          add, table, s.facts.constraint,
          "a brief lock, no scan; new and updated rows are checked at once");
    }
    rulekit::ReportValidateInSameTransaction(*a, ctx, ConstraintKind::kCheck);
  }
};

}  // namespace

const Rule& AddCheckConstraintValidatedRule() {
  static const AddCheckConstraintValidated r;
  return r;
}

}  // namespace alint
