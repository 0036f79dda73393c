// add-column-required: ADD COLUMN ... NOT NULL without a default fails on a non-empty table.
#include <fmt/format.h>

#include <algorithm>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

using namespace stmt_rules;

// The SQL model's note for a NOT NULL column added without a default (sql/alter_table.cc).
bool RequiredWithoutDefault(const StatementFacts& f) {
  return std::any_of(f.notes.begin(), f.notes.end(), [](const std::string& n) {
    return n.find("NOT NULL without a default") != std::string::npos;
  });
}

class AddColumnRequired final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"add-column-required",
                                "a NOT NULL column without a default cannot be added to a table "
                                "that has rows",
                                Severity::kError, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    for (const PlannedStatement& s : ctx.analysis()->statements) {
      if (s.facts.kind != "alter_table.add_column" || !RequiredWithoutDefault(s.facts)) continue;
      const std::string table = MainTable(s.facts);
      if (table.empty() || s.IsNew(table)) continue;
      const std::string& col = s.facts.column;
      Finding& f = ReportStatement(
          ctx, s,
          fmt::format("adds NOT NULL column `{}.{}` without a default{}: existing rows would "
                      "hold NULL, so the migration fails on any table that has rows (it only "
                      "passes on an empty development database)",
                      table, col, PhaseSuffix(s)));
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
