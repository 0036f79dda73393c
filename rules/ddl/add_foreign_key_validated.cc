// add-foreign-key-validated: ADD FOREIGN KEY without NOT VALID on an existing table: every
// row is checked while writes to both tables are blocked.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/constraint_util.h"
#include "lint/rulekit/lock_rule_util.h"
#include "lint/rulekit/lock_timeout_util.h"

namespace alint {
namespace {

class AddForeignKeyValidated final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"add-foreign-key-validated",
                                "ADD FOREIGN KEY without NOT VALID blocks writes to both tables "
                                "while every existing row is checked",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    for (const PlannedStatement& s : a->statements) {
      if (!rulekit::IsAddConstraint(s.facts, ConstraintKind::kForeignKey) || s.facts.not_valid)
        continue;
      const std::string table = s.facts.table;
      if (table.empty() || s.IsNew(table)) continue;
      const RelationEffect* own = s.facts.Effect(table);
      const LockMode lock = own != nullptr ? own->lock : LockMode::kShareRowExclusive;
      std::string referenced;
      for (const RelationEffect& e : s.facts.effects) {
        if (e.relation != table) referenced = e.relation;
      }
      Finding& f = ctx.ReportStatement(
          s,
          fmt::format("adding {}checks every existing row of `{}` while holding "
                      "{} on it{}{}{}: {} wait until the scan finishes",
                      s.facts.constraint.empty() ? std::string("a foreign key ")
                                                 : "foreign key `" + s.facts.constraint + "` ",
                      table, LockModeName(lock),
                      referenced.empty() ? "" : " and on the referenced table `" + referenced + "`",
                      PhaseSuffix(s.phase), rulekit::HeldSince(ctx, s, table, lock),
                      rulekit::LockWhileRunning(s, table, lock) == LockMode::kAccessExclusive
                          ? (referenced.empty() ? "reads and writes of it"
                                                : "reads and writes of it and writes to the "
                                                  "referenced table")
                          : (referenced.empty() ? "writes to it" : "writes to both tables")));
      std::string add = rulekit::NotValidAddCode(
          ctx.file(m.file), s, "create_foreign_key", "FOREIGN KEY",
          "ALTER TABLE " + table +
              " ADD CONSTRAINT <name> FOREIGN KEY (...) REFERENCES ... NOT VALID");
      f.help = rulekit::NotValidThenValidateHelp(
          add, table, s.facts.constraint,
          "new and updated rows are checked at once, existing rows are not scanned");
    }
    rulekit::ReportValidateInSameTransaction(*a, ctx, ConstraintKind::kForeignKey);
  }
};

}  // namespace

const Rule& AddForeignKeyValidatedRule() {
  static const AddForeignKeyValidated r;
  return r;
}

}  // namespace alint
