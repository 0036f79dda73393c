#include "lint/engine/rule.h"

#include "lint/analysis/migration_analysis.h"

namespace alint {

namespace {

const RuleOption* Declared(const RuleInfo& info, std::string_view key) {
  for (const RuleOption& o : info.options) {
    if (o.key == key) return &o;
  }
  return nullptr;
}

}  // namespace

int64_t RuleContext::IntOption(std::string_view key) const {
  if (auto it = settings_.options.find(key); it != settings_.options.end())
    return it->second.number;
  const RuleOption* o = Declared(info_, key);
  return o ? o->int_default : 0;
}

std::string RuleContext::StringOption(std::string_view key) const {
  if (auto it = settings_.options.find(key); it != settings_.options.end()) return it->second.text;
  const RuleOption* o = Declared(info_, key);
  return o ? std::string(o->string_default) : std::string();
}

const std::vector<std::string>& RuleContext::ListOption(std::string_view key) const {
  if (auto it = settings_.options.find(key); it != settings_.options.end()) return it->second.list;
  static const std::vector<std::string> kEmpty;
  return kEmpty;
}

const Regex* RuleContext::RegexOption(std::string_view key) const {
  if (auto it = settings_.options.find(key); it != settings_.options.end())
    return it->second.regex.get();
  return nullptr;
}

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
