#include "lint/engine/engine_rules.h"

#include <fmt/format.h>

namespace alint {
namespace {

class ParseError final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"parse-error",
                                "Migration file that Python cannot import (syntax error, binary or "
                                "non-UTF-8 content)",
                                Severity::kError, "structure"};
    return kInfo;
  }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    for (const SyntaxProblem& p : m.syntax_problems) {
      // The facts layer also reports files it skipped for its own limits ("not parsed: ...");
      // Alembic imports those fine, so only the linter's view is incomplete.
      if (p.not_read) {
        Finding& f = ctx.Report(
            p.span, fmt::format("{}; the linter knows nothing about this migration", p.message));
        f.help = "split the data out of the migration (load it from a file at upgrade time)";
        continue;
      }
      if (p.python_accepts) {
        // Not an import failure, so not an error by default (a configured severity wins).
        Finding& f = ctx.Report(p.span, p.message);
        if (!ctx.severity_configured()) f.severity = Severity::kWarning;
        f.help =
            "re-save the file as UTF-8 (or declare its encoding: `# -*- coding: latin-1 -*-` on "
            "line 1)";
        continue;
      }
      Finding& f = ctx.Report(
          p.span,
          fmt::format("{}: Alembic imports every migration when it loads the versions directory, "
                      "so every alembic command (upgrade, downgrade, heads, history) would fail",
                      p.message));
      f.help = fmt::format(
          "fix the file so Python can import it; `python -m py_compile {}` shows "
          "Python's own error",
          ctx.file(p.span.file).display_path);
    }
  }
};

// Emitted by Lint from Workspace::broken; the class carries the name, severity and summary.
class EnvironmentError final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"environment-error",
                                "An Alembic environment in the config cannot be resolved",
                                Severity::kError, "structure"};
    return kInfo;
  }
};

// Emitted by Lint while it applies suppressions.
class UnusedSuppression final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{
        "unused-suppression",
        "A suppression comment that is malformed, names an unknown rule, or suppresses nothing",
        Severity::kInfo, "structure"};
    return kInfo;
  }
};

}  // namespace

const Rule& ParseErrorRule() {
  static const ParseError r;
  return r;
}

const Rule& EnvironmentErrorRule() {
  static const EnvironmentError r;
  return r;
}

const Rule& UnusedSuppressionRule() {
  static const UnusedSuppression r;
  return r;
}

std::span<const Rule* const> EngineRules() {
  static const Rule* const kRules[] = {&ParseErrorRule(), &EnvironmentErrorRule(),
                                       &UnusedSuppressionRule()};
  return kRules;
}

}  // namespace alint
