#pragma once
/// Every built-in rule, in a stable order.

#include <span>
#include <string_view>

#include "lint/engine/rule.h"

namespace alint {

/// All rules, sorted by category then name. The instances live for the whole program.
std::span<const Rule* const> AllRules();
/// The rule named `name`, or nullptr.
const Rule* FindRule(std::string_view name);

}  // namespace alint
