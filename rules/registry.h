#pragma once
/// The built-in rules. Only the entry points (lint/cli, lint/lsp) and tests use this: the
/// engine, config and reporters take the RuleSet they are given.

#include <span>
#include <string_view>

#include "lint/engine/rule_set.h"

namespace alint {

/// Every built-in rule (the rules.def list plus the engine's own rules) with the embedded
/// docs. Lives for the whole program.
const RuleSet& BuiltinRules();
/// BuiltinRules().rules(): sorted by category then name.
std::span<const Rule* const> AllRules();
/// BuiltinRules().Find(name): the rule named `name`, or nullptr.
const Rule* FindRule(std::string_view name);

}  // namespace alint
