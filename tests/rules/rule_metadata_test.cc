// Every rule has its doc beside it with the standard sections, fixtures with at least one bad
// and one ok case, and a unique kebab-case name; every doc belongs to a rule.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "lint/engine/engine_rules.h"
#include "rules/registry.h"
#include "rules/rule_docs.h"

namespace alint {

namespace fs = std::filesystem;

TEST_CASE(
    "every rule has a doc with the standard sections, in order, stating its default severity") {
  const char* kSections[] = {"## What it does", "## Why is this bad?", "## Severity",  "## Example",
                             "## Use instead",  "## Options",          "## References"};
  std::set<std::string_view> names;
  for (const Rule* r : AllRules()) {
    const RuleInfo& info = r->info();
    CAPTURE(info.name);
    CHECK(names.insert(info.name).second);
    CHECK(std::regex_match(std::string(info.name), std::regex("[a-z][a-z0-9]*(-[a-z0-9]+)*")));
    CHECK_FALSE(info.summary.empty());
    CHECK_FALSE(info.category.empty());
    const RuleDoc* doc = FindRuleDoc(info.name);
    REQUIRE_MESSAGE(doc != nullptr, "no rules/<category>/<stem>.md for this rule");
    std::string md(doc->markdown);
    CHECK(md.rfind("# " + std::string(info.name) + "\n", 0) == 0);
    size_t pos = 0;
    for (const char* s : kSections) {
      size_t at = md.find(std::string("\n") + s + "\n", pos);
      CHECK_MESSAGE(at != std::string::npos, "missing or out-of-order section: " << s);
      if (at != std::string::npos) pos = at + 1;
    }
    // The severity section opens with the rule's default severity, in bold, then says why.
    const std::string sev_head =
        "\n## Severity\n**" + std::string(SeverityName(info.default_severity)) + "**";
    CHECK_MESSAGE(md.find(sev_head) != std::string::npos,
                  "the doc's Severity section must open with **"
                      << SeverityName(info.default_severity) << "**");
    // The doc sits beside the rule's source, in the folder of its category (the engine's own
    // rules are defined in lint/engine; their docs sit with the others).
    std::string stem(info.name);
    std::replace(stem.begin(), stem.end(), '-', '_');
    const bool engine_rule =
        std::find(EngineRules().begin(), EngineRules().end(), r) != EngineRules().end();
    fs::path src = engine_rule ? fs::path(ALINT_SOURCE_DIR) / "lint" / "engine" / "engine_rules.cc"
                               : fs::path(ALINT_SOURCE_DIR) / "rules" / std::string(info.category) /
                                     (stem + ".cc");
    CHECK_MESSAGE(fs::exists(src), src.string());
    CHECK(std::string(doc->path) == "rules/" + std::string(info.category) + "/" + stem + ".md");
  }
  for (const RuleDoc& d : AllRuleDocs()) {
    CHECK_MESSAGE(FindRule(d.name) != nullptr, "doc without a rule: " << d.path);
  }
}

TEST_CASE("every rule has at least one bad and one ok fixture") {
  for (const Rule* r : AllRules()) {
    std::string stem(r->info().name);
    std::replace(stem.begin(), stem.end(), '-', '_');
    CAPTURE(stem);
    fs::path dir = fs::path(ALINT_SOURCE_DIR) / "fixtures" / stem;
    REQUIRE(fs::is_directory(dir));
    int bad = 0, ok = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string n = e.path().filename().string();
      bad += n.rfind("bad_", 0) == 0;
      ok += n.rfind("ok_", 0) == 0;
    }
    CHECK(bad >= 1);
    CHECK(ok >= 1);
  }
}

}  // namespace alint
