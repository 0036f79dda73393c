// unused-suppression: the engine reports these while applying suppressions (see
// lint/engine/linter.cc); this class gives the rule its name, severity and docs, and lets
// users select or ignore it like any other rule.
#include "lint/engine/rule.h"

namespace alint {
namespace {

class UnusedSuppression final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{
        "unused-suppression",
        "A suppression comment that is malformed, names an unknown rule, or suppresses nothing",
        Severity::kWarning, "structure"};
    return kInfo;
  }
};

}  // namespace

const Rule& UnusedSuppressionRule() {
  static const UnusedSuppression r;
  return r;
}

}  // namespace alint
