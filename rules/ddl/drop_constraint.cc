// drop-constraint: DROP CONSTRAINT takes ACCESS EXCLUSIVE on the table (and, for a foreign
// key, on the referenced table): instant once granted, but with no lock_timeout it queues
// behind running queries and everything else queues behind it.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/constraint_util.h"
#include "lint/rulekit/lock_rule_util.h"

namespace alint {
namespace {

class DropConstraint final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"drop-constraint",
                                "DROP CONSTRAINT takes ACCESS EXCLUSIVE on the table (and on the "
                                "referenced table for a foreign key) with no lock_timeout",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    for (const PlannedStatement& s : a->statements) {
      if (s.facts.kind != StatementKind::kDropConstraint) continue;
      const std::string table = s.facts.table;
      if (table.empty() || s.IsNew(table) || s.HasLockTimeout() ||
          rulekit::TableDroppedLater(*a, s, table)) {
        continue;
      }
      std::string referenced;
      bool waits = !s.AlreadyGranted(table, LockMode::kAccessExclusive);
      for (const RelationEffect& e : s.facts.effects) {
        if (e.relation == table) continue;
        referenced = "`" + e.relation + "`";
        waits = waits || !s.AlreadyGranted(e.relation, e.lock);
      }
      // Every lock it needs is already held by its transaction: it cannot wait.
      if (!waits) continue;
      bool foreign_key = !referenced.empty();
      if (s.op != nullptr) {
        const Expr* t = s.op->call.Keyword("type_");
        if (t != nullptr && t->kind == Expr::Kind::kString && t->text == "foreignkey") {
          foreign_key = true;
        }
      }
      if (foreign_key && referenced.empty()) referenced = "the table it references";
      Finding& f = ctx.ReportStatement(
          s, fmt::format("dropping constraint `{}` takes an ACCESS EXCLUSIVE lock on `{}`{}{} with "
                         "no lock_timeout: the drop is instant, but it first waits for every "
                         "running query on {}, and all reads and writes queue behind it meanwhile",
                         s.facts.constraint, table,
                         foreign_key ? " and on " + referenced +
                                           " (a foreign key's triggers live "
                                           "on both tables)"
                                     : std::string(),
                         PhaseSuffix(s.phase), foreign_key ? "either table" : "the table"));
      f.help = fmt::format(
          "bound the wait so a long-running query makes the migration fail fast (and be "
          "retried) instead of stalling traffic; set it first in the migration:\n{}",
          rulekit::OpExecute("SET lock_timeout = '5s'"));
    }
  }
};

}  // namespace

const Rule& DropConstraintRule() {
  static const DropConstraint r;
  return r;
}

}  // namespace alint
