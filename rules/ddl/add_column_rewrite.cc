// add-column-rewrite: ADD COLUMN that rewrites the table (volatile default, any default before
// PostgreSQL 11, a stored generated column, serial/identity).
#include <fmt/format.h>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

class AddColumnRewrite final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"add-column-rewrite",
                                "Adding this column rewrites the whole table under an ACCESS "
                                "EXCLUSIVE lock",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const int pg = ctx.settings().pg_version;
    for (const PlannedStatement& s : ctx.analysis()->statements) {
      if (s.facts.kind != StatementKind::kAddColumn) continue;
      const std::string table = s.facts.table;
      const RelationEffect* e = s.facts.Effect(table);
      if (e == nullptr || !e->rewrite || s.IsNew(table)) continue;
      const std::string& col = s.facts.column;
      std::string why = s.facts.notes.empty() ? std::string("its default is computed per row")
                                              : s.facts.notes.front();
      Finding& f = ctx.ReportStatement(
          s,
          fmt::format("adding `{}.{}`{} rewrites the whole table and its indexes while holding "
                      "an {} ({})",
                      table, col, PhaseSuffix(s.phase), rulekit::LockPhrase(s.facts, table), why));
      // An unknown function was assumed volatile: say so, one level lower.
      if (s.facts.rewrite_uncertain) ctx.LowerSeverity(f);
      if (pg < 11) {
        f.help = fmt::format(
            "before PostgreSQL 11 any default rewrites: add `{1}` without a default, then "
            "`ALTER TABLE {0} ALTER COLUMN {1} SET DEFAULT ...` (new rows only), and backfill "
            "existing rows in batches",
            table, col);
      } else {
        f.help = fmt::format(
            "add `{1}` without the default (or with a constant one, which is instant), then "
            "`op.alter_column(\"{0}\", \"{1}\", server_default=...)` so new rows get it, and "
            "backfill existing rows in batches; for an identity or generated value, fill a "
            "plain column from a trigger plus a batched backfill",
            table, col);
      }
    }
  }
};

}  // namespace

const Rule& AddColumnRewriteRule() {
  static const AddColumnRewrite r;
  return r;
}

}  // namespace alint
