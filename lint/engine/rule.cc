#include "lint/engine/rule.h"

#include "lint/analysis/migration_analysis.h"

namespace alint {

Finding& RuleContext::Report(Span span, std::string message) {
  Finding f;
  f.rule = std::string(info_.name);
  f.severity = severity_;
  f.span = span;
  f.message = std::move(message);
  out_->push_back(std::move(f));
  return out_->back();
}

Finding& RuleContext::ReportStatement(const PlannedStatement& s, std::string message) {
  Finding& f = Report(s.anchor.valid() ? s.anchor : s.span, std::move(message));
  if (s.phase == Phase::kDowngrade) LowerSeverity(f);
  return f;
}

void RuleContext::LowerSeverity(Finding& f) const {
  if (severity_configured() || f.severity == Severity::kInfo) return;
  f.severity = static_cast<Severity>(static_cast<uint8_t>(f.severity) - 1);
}

std::string_view PhaseSuffix(Phase phase) {
  return phase == Phase::kDowngrade ? " in downgrade()" : "";
}

}  // namespace alint
