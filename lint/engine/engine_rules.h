#pragma once
/// The rules the engine owns: it defines their descriptors and emits their findings itself.
/// Every RuleSet includes them; users select, ignore and re-grade them like any other rule.
/// Their docs stay with the others (rules/structure/<rule>.md), so `explain`, SARIF and the
/// README's rule index treat them alike.
///
/// - parse-error: a migration Python cannot import (or the linter could not read), from the
///   facts layer's syntax problems; runs as a file rule.
/// - environment-error: an environment the config declares that discovery cannot resolve
///   (Workspace::broken); emitted by Lint once per broken environment.
/// - unused-suppression: malformed suppression comments, ones naming an unknown rule, and ones
///   that suppress nothing; emitted by Lint while it applies suppressions.

#include <span>

#include "lint/engine/rule.h"

namespace alint {

const Rule& ParseErrorRule();
const Rule& EnvironmentErrorRule();
const Rule& UnusedSuppressionRule();

/// The three above.
std::span<const Rule* const> EngineRules();

}  // namespace alint
