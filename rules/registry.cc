#include "rules/registry.h"

#include <algorithm>
#include <vector>

#include "rules/rule_docs.h"

namespace alint {

// Each rule file defines `const Rule& <Name>Rule()` returning its single instance.
#define ALINT_RULE(Name) const Rule& Name##Rule();
#include "rules/rules.def"
#undef ALINT_RULE

std::span<const Rule* const> AllRules() {
  static const std::vector<const Rule*> rules = [] {
    std::vector<const Rule*> v = {
#define ALINT_RULE(Name) &Name##Rule(),
#include "rules/rules.def"
#undef ALINT_RULE
    };
    std::sort(v.begin(), v.end(), [](const Rule* a, const Rule* b) {
      if (a->info().category != b->info().category) return a->info().category < b->info().category;
      return a->info().name < b->info().name;
    });
    return v;
  }();
  return rules;
}

const Rule* FindRule(std::string_view name) {
  for (const Rule* r : AllRules()) {
    if (r->info().name == name) return r;
  }
  return nullptr;
}

const RuleDoc* FindRuleDoc(std::string_view name) {
  for (const RuleDoc& d : AllRuleDocs()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace alint
