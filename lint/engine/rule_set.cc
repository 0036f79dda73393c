#include "lint/engine/rule_set.h"

#include <fmt/format.h>

#include <algorithm>

#include "lint/engine/engine_rules.h"

namespace alint {

RuleSet::RuleSet(std::span<const Rule* const> rules, std::span<const RuleDoc> docs) : docs_(docs) {
  auto add = [&](const Rule* r) {
    if (r != nullptr && std::find(rules_.begin(), rules_.end(), r) == rules_.end())
      rules_.push_back(r);
  };
  for (const Rule* r : EngineRules()) add(r);
  for (const Rule* r : rules) add(r);
  std::stable_sort(rules_.begin(), rules_.end(), [](const Rule* a, const Rule* b) {
    if (a->info().category != b->info().category) return a->info().category < b->info().category;
    return a->info().name < b->info().name;
  });
  for (const Rule* r : rules_) {
    for (const RuleOption& o : r->info().options) {
      if (!FindOption(o.key)) options_.push_back(&o);
    }
  }
}

const RuleOption* RuleSet::FindOption(std::string_view key) const {
  for (const RuleOption* o : options_) {
    if (o->key == key) return o;
  }
  return nullptr;
}

const Rule* RuleSet::Find(std::string_view name) const {
  for (const Rule* r : rules_) {
    if (r->info().name == name) return r;
  }
  return nullptr;
}

const RuleDoc* RuleSet::Doc(std::string_view name) const {
  for (const RuleDoc& d : docs_) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

Result<std::vector<const Rule*>> RuleSet::Select(const LintSettings& settings) const {
  for (const auto* list : {&settings.select, &settings.ignore}) {
    for (const std::string& name : *list) {
      if (name != "ALL" && !Find(name)) {
        return Error{fmt::format("unknown rule `{}` (see `alembic-lint rules`)", name)};
      }
    }
  }
  for (const auto& [name, sev] : settings.severity) {
    if (!Find(name)) return Error{fmt::format("unknown rule `{}` in severity settings", name)};
  }
  auto listed = [](const std::vector<std::string>& list, std::string_view name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  const bool select_all = listed(settings.select, "ALL");
  std::vector<const Rule*> out;
  for (const Rule* r : rules_) {
    std::string_view name = r->info().name;
    bool on = settings.select.empty() || select_all || listed(settings.select, name);
    if (listed(settings.ignore, name)) on = false;
    if (on) out.push_back(r);
  }
  return out;
}

}  // namespace alint
