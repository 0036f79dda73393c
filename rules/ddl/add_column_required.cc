// add-column-required: ADD COLUMN ... NOT NULL without a default fails on a non-empty table.
#include <fmt/format.h>

#include <algorithm>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

class AddColumnRequired final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"add-column-required",
                                "A NOT NULL column without a default cannot be added to a table "
                                "that has rows",
                                Severity::kError, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    for (const PlannedStatement& s : ctx.analysis()->statements) {
      if (s.facts.kind != StatementKind::kAddColumn || !s.facts.not_null_without_default) continue;
      const std::string table = s.facts.table;
      if (table.empty() || s.IsNew(table)) continue;
      const std::string& col = s.facts.column;
      Finding& f = ctx.ReportStatement(
          s, fmt::format("adds NOT NULL column `{}.{}` without a default{}: existing rows would "
                         "hold NULL, so the migration fails on any table that has rows (it only "
                         "passes on an empty development database)",
                         table, col, PhaseSuffix(s.phase)));
      f.help = fmt::format(
          "give it a server default (a constant default is instant on PostgreSQL 11+): "
          "`sa.Column(\"{1}\", ..., nullable=False, server_default=...)`; or add it nullable, "
          "backfill `{0}.{1}` in batches, and set NOT NULL afterwards (see set-not-null)",
          table, col);
    }
  }
};

}  // namespace

const Rule& AddColumnRequiredRule() {
  static const AddColumnRequired r;
  return r;
}

}  // namespace alint
