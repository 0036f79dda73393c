#pragma once
/// The rules of a run. The engine, config validation, rule selection and the SARIF rule table
/// take a RuleSet as a parameter and never reach for a global registry: only the entry points
/// (lint/cli, lint/lsp) build one from the built-in rules (rules/registry.h), and tests build
/// their own from fake rules. The engine's own rules (parse-error, environment-error,
/// unused-suppression: lint/engine/engine_rules.h) are always part of a RuleSet.

#include <span>
#include <string_view>
#include <vector>

#include "lint/core/result.h"
#include "lint/engine/rule.h"
#include "lint/engine/settings.h"

namespace alint {

/// A rule's documentation (rules/<category>/<rule>.md, embedded at build time).
struct RuleDoc {
  std::string_view name;      ///< kebab-case rule name (from the file stem)
  std::string_view path;      ///< "rules/graph/multiple_heads.md"
  std::string_view markdown;  ///< the whole document
};

class RuleSet {
 public:
  /// The engine's rules plus `rules` (instances that outlive the set; a rule listed twice, or
  /// an engine rule listed again, counts once), sorted by category then name. `docs` are the
  /// rule documents Doc() finds (they may cover rules outside the set).
  explicit RuleSet(std::span<const Rule* const> rules, std::span<const RuleDoc> docs = {});

  std::span<const Rule* const> rules() const { return rules_; }
  auto begin() const { return rules_.begin(); }
  auto end() const { return rules_.end(); }
  size_t size() const { return rules_.size(); }

  /// The rule named `name`, or nullptr.
  const Rule* Find(std::string_view name) const;
  /// The doc of `name`, or nullptr.
  const RuleDoc* Doc(std::string_view name) const;
  std::span<const RuleDoc> docs() const { return docs_; }

  /// The options the rules declare, each key once, in rule order.
  std::span<const RuleOption* const> options() const { return options_; }
  /// The option declared with config key `key`, or nullptr.
  const RuleOption* FindOption(std::string_view key) const;

  /// The categories of the rules (RuleInfo::category, as `alembic-lint rules` groups them),
  /// sorted, each once.
  std::vector<std::string_view> Categories() const;

  /// The rules a name in select, ignore or per-file-ignores stands for, in this set's order:
  /// "ALL" every rule, a rule name that rule, a category name every rule of it. A name that is
  /// both a rule and a category, or neither, is an error (the latter listing the categories
  /// and the closest rule names).
  Result<std::vector<const Rule*>> Resolve(std::string_view name) const;

  /// The rules a run enables: every rule, or only those `select` names when it is non-empty
  /// (rules, categories or "ALL": see Resolve), minus those `ignore` names; in this set's
  /// order. A name in select or ignore that Resolve refuses, or a name in the severity
  /// overrides that is not a rule, is an error.
  Result<std::vector<const Rule*>> Select(const LintSettings& settings) const;

 private:
  std::vector<const Rule*> rules_;
  std::span<const RuleDoc> docs_;
  std::vector<const RuleOption*> options_;
};

}  // namespace alint
