#include "lint/engine/rule_set.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

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

std::vector<std::string_view> RuleSet::Categories() const {
  std::vector<std::string_view> out;
  for (const Rule* r : rules_) out.push_back(r->info().category);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

// Edit distance, for the "did you mean" of an unknown name.
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

Result<std::vector<const Rule*>> RuleSet::Resolve(std::string_view name) const {
  if (name == "ALL") return std::vector<const Rule*>(rules_.begin(), rules_.end());
  const Rule* rule = Find(name);
  std::vector<const Rule*> category;
  for (const Rule* r : rules_) {
    if (r->info().category == name) category.push_back(r);
  }
  if (rule != nullptr && !category.empty()) {
    return Error{fmt::format("`{}` is both a rule and a category; rename one of them", name)};
  }
  if (rule != nullptr) return std::vector<const Rule*>{rule};
  if (!category.empty()) return category;
  // Unknown: the categories, and the rule names that look like a typo of it.
  std::vector<std::string_view> close;
  for (const Rule* r : rules_) {
    std::string_view n = r->info().name;
    if (Distance(n, name) <= std::max<size_t>(2, n.size() / 5) ||
        (name.size() >= 4 && n.find(name) != std::string_view::npos)) {
      close.push_back(n);
    }
  }
  std::string hint;
  if (!close.empty() && close.size() <= 5) {
    hint = fmt::format(" (did you mean `{}`?)", fmt::join(close, "`, `"));
  }
  return Error{fmt::format(
      "unknown rule or category `{}`{}; the categories are {}, and `alembic-lint rules` lists "
      "the rules",
      name, hint, fmt::join(Categories(), ", "))};
}

Result<std::vector<const Rule*>> RuleSet::Select(const LintSettings& settings) const {
  std::set<const Rule*> selected, ignored;
  for (const std::string& name : settings.select) {
    Result<std::vector<const Rule*>> r = Resolve(name);
    if (!r.ok()) return r.error();
    selected.insert(r->begin(), r->end());
  }
  for (const std::string& name : settings.ignore) {
    Result<std::vector<const Rule*>> r = Resolve(name);
    if (!r.ok()) return r.error();
    ignored.insert(r->begin(), r->end());
  }
  for (const auto& [name, sev] : settings.severity) {
    if (!Find(name)) return Error{fmt::format("unknown rule `{}` in severity settings", name)};
  }
  std::vector<const Rule*> out;
  for (const Rule* r : rules_) {
    bool on = settings.select.empty() || selected.count(r) > 0;
    if (ignored.count(r)) on = false;
    if (on) out.push_back(r);
  }
  return out;
}

}  // namespace alint
