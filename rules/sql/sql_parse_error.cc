// sql-parse-error: SQL that PostgreSQL's parser rejects.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint {
namespace {

// MySQL spellings PostgreSQL never accepts, looked for on the error's line: a project whose
// database URL is only known at run time gets its MySQL SQL reported, and the help then says
// how to tell the linter which database it is.
bool LooksLikeMySql(std::string_view text, uint32_t at) {
  size_t begin = text.rfind('\n', at == 0 ? 0 : at - 1);
  begin = begin == std::string_view::npos ? 0 : begin + 1;
  size_t end = text.find('\n', at);
  if (end == std::string_view::npos) end = text.size();
  std::string line(text.substr(begin, end - begin));
  if (line.find('`') != std::string::npos) return true;
  std::transform(line.begin(), line.end(), line.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  static constexpr std::array<std::string_view, 5> kWords{" MODIFY ", "AUTO_INCREMENT",
                                                          "ENGINE=", "ENGINE =", " UNSIGNED"};
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view w) { return line.find(w) != std::string::npos; });
}

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
      Finding& f =
          p.driver ? ctx.Report(p.at, fmt::format("this SQL{} cannot be sent as written: {}; the "
                                                  "migration fails here and its transaction rolls "
                                                  "back (the statements are still checked)",
                                                  PhaseSuffix(p.phase), p.message))
                   : ctx.Report(p.at, fmt::format("PostgreSQL cannot parse this SQL{}: {}; the "
                                                  "migration fails here and its transaction rolls "
                                                  "back, and nothing after it can be checked",
                                                  PhaseSuffix(p.phase), p.message));
      f.help =
          p.driver ? "remove the byte from the string: a NUL usually comes from a `\\x00` or `\\0` "
                     "escape, a lone surrogate from text decoded with errors=\"surrogateescape\"; "
                     "write the intended character, or build the value with a bound parameter"
          : LooksLikeMySql(ctx.file(p.at.file).text, p.at.begin)
              ? "this is MySQL syntax: if the environment runs on MySQL, say so (`dialect = "
                "\"mysql\"` in [tool.alembic-lint] or on the environment, or `--dialect mysql`) "
                "and the PostgreSQL-only lock and SQL rules are skipped for it; if the statement "
                "serves MySQL in a project that also runs PostgreSQL, guard it with `if "
                "op.get_bind().dialect.name == \"mysql\":`"
              : "fix the statement; `psql` or `EXPLAIN` on a scratch database shows the same "
                "error. For a non-PostgreSQL dialect, guard the statement with "
                "`if op.get_context().dialect.name == \"...\"` and suppress the finding with a "
                "reason";
      // downgrade() rarely runs in production: one step lower, as for the other DDL rules.
      if (p.phase == Phase::kDowngrade) ctx.LowerSeverity(f);
    }
  }
};

}  // namespace

const Rule& SqlParseErrorRule() {
  static const SqlParseError r;
  return r;
}

}  // namespace alint
