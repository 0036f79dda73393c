// session-timeout-with-pooler: a session-level `SET lock_timeout` / `SET statement_timeout`
// in a migration when the project declares a transaction-pooling connection pooler.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint {
namespace {

constexpr RuleOption kOptions[] = {
    {"pooler", RuleOption::Type::kString,
     "The connection pooler migrations run through: \"transaction\" (or \"statement\") pooling "
     "shares one server session between clients; \"session\" or \"\" (none) does not",
     0, 0, 0, ""}};

class SessionTimeoutWithPooler final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"session-timeout-with-pooler",
                                "A session-level SET of a timeout behind a transaction-pooling "
                                "connection pooler",
                                Severity::kWarning, "ddl", kOptions};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const std::string pooler = ctx.StringOption("pooler");
    if (pooler != "transaction" && pooler != "statement") return;
    for (const PlannedStatement& s : ctx.analysis()->statements) {
      const StatementFacts& f = s.facts;
      if (f.kind != StatementKind::kSet || f.set_local) continue;
      const char* name = f.sets_lock_timeout        ? "lock_timeout"
                         : f.sets_statement_timeout ? "statement_timeout"
                                                    : nullptr;
      if (name == nullptr) continue;
      const std::string value =
          f.sets_lock_timeout ? *f.sets_lock_timeout : *f.sets_statement_timeout;
      Finding& out = ctx.ReportStatement(
          s, fmt::format("`{}` sets {} for the whole server session{}, but with {} pooling "
                         "(`pooler = \"{}\"`) that session is handed to other clients after "
                         "this transaction: the setting leaks into their queries, and the next "
                         "migration may run on a session that never had it",
                         f.summary, name, PhaseSuffix(s.phase), pooler, pooler));
      out.help = fmt::format(
          "{}set it where the connection is made, for every migration: env.py's engine "
          "`connect_args={{\"options\": \"-c {}={}\"}}` (check that the pooler forwards the "
          "`options` startup parameter), or on the role that runs migrations (`ALTER ROLE "
          "migrator SET {} = ...`)",
          s.in_transaction ? fmt::format("use `SET LOCAL {} = ...`, which ends with the "
                                         "migration's transaction, or ",
                                         name)
                           : "",
          name, value, name);
    }
  }
};

}  // namespace

const Rule& SessionTimeoutWithPoolerRule() {
  static const SessionTimeoutWithPooler r;
  return r;
}

}  // namespace alint
