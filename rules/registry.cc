#include "rules/registry.h"

#include <vector>

#include "rules/rule_docs.h"

namespace alint {

// Each rule file defines `const Rule& <Name>Rule()` returning its single instance.
#define ALINT_RULE(Name) const Rule& Name##Rule();
#include "rules/rules.def"
#undef ALINT_RULE

const RuleSet& BuiltinRules() {
  static const RuleSet set = [] {
    const std::vector<const Rule*> rules = {
#define ALINT_RULE(Name) &Name##Rule(),
#include "rules/rules.def"
#undef ALINT_RULE
    };
    return RuleSet(rules, AllRuleDocs());
  }();
  return set;
}

std::span<const Rule* const> AllRules() { return BuiltinRules().rules(); }

const Rule* FindRule(std::string_view name) { return BuiltinRules().Find(name); }

const RuleDoc* FindRuleDoc(std::string_view name) { return BuiltinRules().Doc(name); }

}  // namespace alint
