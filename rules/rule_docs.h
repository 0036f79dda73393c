#pragma once
/// Rule documentation embedded at build time from rules/**/<rule>.md.

#include <span>
#include <string_view>

namespace alint {

struct RuleDoc {
  std::string_view name;      ///< kebab-case rule name (from the file stem)
  std::string_view path;      ///< "rules/graph/multiple_heads.md"
  std::string_view markdown;  ///< the whole document
};

std::span<const RuleDoc> AllRuleDocs();
/// The doc of `name`, or nullptr.
const RuleDoc* FindRuleDoc(std::string_view name);

}  // namespace alint
