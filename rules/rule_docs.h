#pragma once
/// Rule documentation embedded at build time from rules/**/<rule>.md (RuleDoc is declared
/// with RuleSet, in lint/engine/rule_set.h).

#include <span>
#include <string_view>

#include "lint/engine/rule_set.h"

namespace alint {

std::span<const RuleDoc> AllRuleDocs();
/// The doc of `name`, or nullptr.
const RuleDoc* FindRuleDoc(std::string_view name);

}  // namespace alint
