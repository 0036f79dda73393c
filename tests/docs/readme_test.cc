// README.md's rule index is generated (`alembic-lint rules --format markdown`, or
// `make readme`); this keeps the committed copy in step with the rules and their docs.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "lint/cli/commands.h"

namespace alint {

TEST_CASE("README's rule index matches the rules") {
  std::ifstream in(std::string(ALINT_SOURCE_DIR) + "/README.md");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string readme = ss.str();
  const std::string begin = "<!-- rules:start -->\n", end = "<!-- rules:end -->";
  size_t b = readme.find(begin);
  size_t e = readme.find(end);
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  std::string committed = readme.substr(b + begin.size(), e - b - begin.size());
  CHECK_MESSAGE(committed == RuleIndexMarkdown(),
                "README.md's rule index is stale: run `make readme`");
}

}  // namespace alint
