// RuleContext::ReportStatement: the one reporting path of the statement rules, with the
// downgrade() policy (one severity level lower unless the user set the rule's severity).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint {
namespace {

struct Reported {
  Severity severity;
  Span span;
};

Reported ReportOne(Severity rule_severity, Phase phase, bool configured, bool anchored = true) {
  static const RuleInfo kInfo{"probe", "Probe", Severity::kError, "test"};
  LintSettings settings;
  if (configured) settings.severity["probe"] = rule_severity;
  std::vector<SourceFile> files;
  std::vector<Finding> out;
  RuleContext ctx(kInfo, rule_severity, settings, files, &out);
  PlannedStatement s;
  s.phase = phase;
  s.span = Span{0, 10, 40};
  if (anchored) s.anchor = Span{0, 12, 18};
  Finding& f = ctx.ReportStatement(s, "message");
  CHECK(f.rule == "probe");
  CHECK(f.message == "message");
  REQUIRE(out.size() == 1);
  return {f.severity, f.span};
}

TEST_CASE("ReportStatement: downgrade() findings are one level lower unless configured") {
  CHECK(ReportOne(Severity::kError, Phase::kUpgrade, false).severity == Severity::kError);
  CHECK(ReportOne(Severity::kError, Phase::kDowngrade, false).severity == Severity::kWarning);
  CHECK(ReportOne(Severity::kWarning, Phase::kDowngrade, false).severity == Severity::kInfo);
  CHECK(ReportOne(Severity::kInfo, Phase::kDowngrade, false).severity == Severity::kInfo);
  // The user's own setting stands, in downgrade() too.
  CHECK(ReportOne(Severity::kError, Phase::kDowngrade, true).severity == Severity::kError);
  CHECK(ReportOne(Severity::kWarning, Phase::kDowngrade, true).severity == Severity::kWarning);
}

TEST_CASE("ReportStatement: at the anchor, else the statement's span; PhaseSuffix") {
  CHECK(ReportOne(Severity::kWarning, Phase::kUpgrade, false).span.begin == 12);
  CHECK(ReportOne(Severity::kWarning, Phase::kUpgrade, false, false).span.begin == 10);
  CHECK(PhaseSuffix(Phase::kDowngrade) == " in downgrade()");
  CHECK(PhaseSuffix(Phase::kUpgrade).empty());
  CHECK(PhaseSuffix(Phase::kOther).empty());
}

}  // namespace
}  // namespace alint
