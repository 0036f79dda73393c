// missing-statement-timeout: a statement that reads or rewrites a whole table (a backfill
// without WHERE, VALIDATE CONSTRAINT, CREATE INDEX CONCURRENTLY, REINDEX CONCURRENTLY) with no
// statement_timeout set in the migration or env.py.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_rule_util.h"

namespace alint {
namespace {

constexpr RuleOption kOptions[] = {
    {"statement-timeout-by-runner", RuleOption::Type::kBool,
     "The migration runner sets statement_timeout itself (its role, its connection string, the "
     "deploy job): migrations need not",
     0, 0, 1}};

// What makes `s` long-running on a large table, or "" when nothing does.
std::string LongRunning(const PlannedStatement& s) {
  const StatementFacts& f = s.facts;
  switch (f.kind) {
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
      if (f.data_loss && !f.table.empty() && !s.IsNew(f.table))
        return fmt::format("{} without WHERE touches every row of `{}`",
                           f.kind == StatementKind::kUpdate ? "UPDATE" : "DELETE", f.table);
      return "";
    case StatementKind::kValidateConstraint:
      if (!f.table.empty() && s.IsNew(f.table)) return "";
      return fmt::format("validating `{}` reads every row of `{}`", f.constraint, f.table);
    case StatementKind::kCreateIndex:
      if (!f.concurrently || (!f.table.empty() && s.IsNew(f.table))) return "";
      return fmt::format(
          "building `{}` concurrently scans `{}` twice and waits for every "
          "older transaction",
          f.constraint.empty() ? std::string("the index") : f.constraint, f.table);
    case StatementKind::kReindex:
      if (!f.concurrently) return "";
      return "rebuilding concurrently reads the whole table";
    default:
      return "";
  }
}

class MissingStatementTimeout final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"missing-statement-timeout",
                                "A backfill, validation or concurrent index build runs with no "
                                "statement_timeout decided for it",
                                Severity::kInfo, "ddl", kOptions};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    if (ctx.BoolOption("statement-timeout-by-runner")) return;
    for (const PlannedStatement& s : ctx.analysis()->statements) {
      if (s.statement_timeout) continue;  // a policy is set (a limit, or 0 on purpose)
      const std::string why = LongRunning(s);
      if (why.empty()) continue;
      const bool sql_file = rulekit::InSqlFile(s);
      Finding& f = ctx.ReportStatement(
          s, fmt::format("{}{}, and no statement_timeout is set {}: on a large table it runs "
                         "for as long as it takes, holding its locks (and its snapshot) all "
                         "that time, with nothing to stop a runaway",
                         why, PhaseSuffix(s.phase),
                         sql_file ? "in the file" : "in the migration or env.py"));
      if (sql_file) {
        f.help = fmt::format(
            "decide how long it may run, just before it: `{};` (or `SET statement_timeout = "
            "0;` to say it must not be cut short). If the tool that runs the file sets one, "
            "say so once with `statement-timeout-by-runner = true`",
            s.in_transaction ? "SET LOCAL statement_timeout = '15min'"
                             : "SET statement_timeout = '15min'");
        continue;
      }
      f.help = fmt::format(
          "decide how long it may run, just before it: `{}` (or `SET statement_timeout = 0` "
          "to say it must not be cut short), or for every migration in env.py's engine "
          "(`connect_args={{\"options\": \"-c statement_timeout=15min\"}}`). If the migration "
          "runner sets one, say so once with `statement-timeout-by-runner = true`",
          s.in_transaction ? "SET LOCAL statement_timeout = '15min'"
                           : "SET statement_timeout = '15min'");
    }
  }
};

}  // namespace

const Rule& MissingStatementTimeoutRule() {
  static const MissingStatementTimeout r;
  return r;
}

}  // namespace alint
