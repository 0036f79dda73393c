#include "lint/engine/rule.h"

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

}  // namespace alint
