// sql-parse-error: SQL that PostgreSQL's parser rejects.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint {
namespace {

class SqlParseError final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"sql-parse-error",
                                "SQL string that PostgreSQL's parser rejects: the migration "
                                "fails when it reaches it",
                                Severity::kError, "sql"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    for (const SqlProblem& p : a->sql_errors) {
      bool downgrade = p.phase == Phase::kDowngrade;
      Finding& f =
          p.driver ? ctx.Report(p.at, fmt::format("this SQL{} cannot be sent as written: {}; the "
                                                  "migration fails here and its transaction rolls "
                                                  "back (the statements are still checked)",
                                                  downgrade ? " in downgrade()" : "", p.message))
                   : ctx.Report(p.at, fmt::format("PostgreSQL cannot parse this SQL{}: {}; the "
                                                  "migration fails here and its transaction rolls "
                                                  "back, and nothing after it can be checked",
                                                  downgrade ? " in downgrade()" : "", p.message));
      f.help =
          p.driver
              ? "remove the byte from the string: a NUL usually comes from a `\\x00` or `\\0` "
                "escape, a lone surrogate from text decoded with errors=\"surrogateescape\"; "
                "write the intended character, or build the value with a bound parameter"
              : "fix the statement; `psql` or `EXPLAIN` on a scratch database shows the same "
                "error. For a non-PostgreSQL dialect, guard the statement with "
                "`if op.get_context().dialect.name == \"...\"` and suppress the finding with a "
                "reason";
      // downgrade() rarely runs in production: one step lower, as for the other DDL rules.
      if (downgrade && !ctx.severity_configured()) f.severity = Severity::kWarning;
    }
  }
};

}  // namespace

const Rule& SqlParseErrorRule() {
  static const SqlParseError r;
  return r;
}

}  // namespace alint
