// delete-or-update-all-rows: a whole-table UPDATE or DELETE (no WHERE) in a schema migration.
#include <fmt/format.h>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

class DeleteOrUpdateAllRows final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"delete-or-update-all-rows",
                                "A migration updates or deletes every row of a table at once",
                                Severity::kError, "data"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    for (const PlannedStatement& s : ctx.analysis()->statements) {
      const bool update = s.facts.kind == StatementKind::kUpdate;
      if ((!update && s.facts.kind != StatementKind::kDelete) || !s.facts.data_loss) continue;
      const std::string table = s.facts.table;
      if (table.empty() || s.IsNew(table))
        continue;  // a new table holds only this migration's rows
      Finding& f = ctx.ReportStatement(
          s, fmt::format(
                 "{} without WHERE {} every row of `{}`{} in one statement: it locks every row "
                 "until the migration commits (blocking the application's writes to them), bloats "
                 "the table, and mixes a data change into a schema migration",
                 update ? "UPDATE" : "DELETE", update ? "rewrites" : "deletes", table,
                 PhaseSuffix(s.phase)));
      // DELETE loses the rows (error); UPDATE keeps them, a production risk (warning).
      if (update) ctx.LowerSeverity(f);
      f.help = update
                   ? fmt::format(
                         "backfill in batches outside the DDL transaction, e.g. "
                         "`UPDATE {0} SET ... WHERE id IN (SELECT id FROM {0} WHERE <not yet "
                         "done> LIMIT 10000)` repeated until no row changes (a separate script "
                         "or migration run in `autocommit_block()`); if a constant for every row "
                         "is what you need, a column DEFAULT does it without touching rows",
                         table)
                   : fmt::format(
                         "delete in batches outside the DDL transaction (`DELETE FROM {0} WHERE "
                         "id IN (SELECT id FROM {0} WHERE ... LIMIT 10000)`), or add the WHERE "
                         "clause this was meant to have",
                         table);
    }
  }
};

}  // namespace

const Rule& DeleteOrUpdateAllRowsRule() {
  static const DeleteOrUpdateAllRows r;
  return r;
}

}  // namespace alint
