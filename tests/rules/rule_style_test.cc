// The rule summaries follow README.md's "Writing a rule: style": one line, a capital letter
// (or quoted code) first, no trailing period, names quoted with backticks only.
#include <doctest/doctest.h>

#include <cctype>
#include <string>

#include "rules/registry.h"

namespace alint {

TEST_CASE("rule summaries: sentence case, no trailing period, backticks only") {
  for (const Rule* r : AllRules()) {
    const RuleInfo& info = r->info();
    CAPTURE(info.name);
    const std::string_view s = info.summary;
    REQUIRE_FALSE(s.empty());
    CHECK((std::isupper(static_cast<unsigned char>(s.front())) || s.front() == '`'));
    CHECK(s.back() != '.');
    CHECK(s.find('\n') == std::string_view::npos);
    CHECK(s.find('"') == std::string_view::npos);
  }
}

}  // namespace alint
