#include "lint/config/config.h"
#include "rules/registry.h"

#include <doctest/doctest.h>

namespace alint {

TEST_CASE("pyproject [tool.alembic-lint] sets every kind of value") {
  const char* text = R"([project]
name = "shop"

[tool.alembic-lint]
select = ["ALL"]
ignore = ["unused-suppression"]
fail-on = "error"
pg-version = 13
expected-heads = 2
allowed-branch-labels = ["expand", "contract"]
revision-id-pattern = "^[0-9]{4}$"
file-template = "%%(year)d_%%(rev)s"

[tool.alembic-lint.severity]
unused-suppression = "info"

[tool.alembic-lint.per-file-ignores]
"legacy/*.py" = ["unused-suppression"]

[[tool.alembic-lint.environments]]
name = "neutron"
script-location = "neutron/db/migration/alembic_migrations"
recursive = true
)";
  auto c = ParseConfig(text, "pyproject.toml", true, "/repo", BuiltinRules());
  if (!c.ok()) FAIL(c.error().message);
  const LintSettings& s = c->settings;
  CHECK(s.select == std::vector<std::string>{"ALL"});
  CHECK(s.ignore == std::vector<std::string>{"unused-suppression"});
  CHECK(s.fail_on == Severity::kError);
  CHECK(s.pg_version == 13);
  // Rule options, read by the type their rules declare; the pattern compiled once, here.
  CHECK(s.options.at("expected-heads").number == 2);
  CHECK(s.options.at("allowed-branch-labels").list ==
        std::vector<std::string>{"expand", "contract"});
  CHECK(s.options.at("revision-id-pattern").text == "^[0-9]{4}$");
  REQUIRE(s.options.at("revision-id-pattern").regex != nullptr);
  CHECK(s.options.at("revision-id-pattern").regex->FullMatch("2024"));
  CHECK(s.options.at("file-template").text == "%%(year)d_%%(rev)s");
  CHECK(s.severity.at("unused-suppression") == Severity::kInfo);
  REQUIRE(s.per_file_ignores.size() == 1);
  CHECK(s.per_file_ignores[0].first == "legacy/*.py");
  CHECK(s.base_dir == "/repo");
  REQUIRE(c->environments.size() == 1);
  CHECK(c->environments[0].name == "neutron");
  CHECK(c->environments[0].recursive);
}

TEST_CASE("a pyproject without the table is an empty config") {
  auto c = ParseConfig("[project]\nname='x'\n", "pyproject.toml", true, "/r", BuiltinRules());
  REQUIRE(c.ok());
  CHECK(c->keys.empty());
}

TEST_CASE("fail-on never disables failing") {
  auto c = ParseConfig("fail-on = \"never\"\n", ".alembic-lint.toml", false, "/r", BuiltinRules());
  REQUIRE(c.ok());
  CHECK_FALSE(c->settings.fail_on.has_value());
}

TEST_CASE("config errors name the file, line and column") {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"selec = [\"ALL\"]\n", ".alembic-lint.toml:1:1: `selec` is not a known key"},
      {"\n\nignore = [\"no-such-rule\"]\n",
       ".alembic-lint.toml:3:11: `ignore` names an unknown rule `no-such-rule`"},
      {"pg-version = 9\n",
       ".alembic-lint.toml:1:14: `pg-version` must be between 11 and 18 (got 9)"},
      {"fail-on = \"sometimes\"\n", "`fail-on` must be \"error\""},
      {"revision-id-pattern = \"([\"\n", "`revision-id-pattern` is not a valid regular expression"},
      {"[severity]\nunused-suppression = \"fatal\"\n",
       ".alembic-lint.toml:2:22: `severity.unused-suppression` must be"},
      {"select = \"ALL\"\n", "`select` must be an array of strings"},
      {"pg-version = \n", ".alembic-lint.toml:1:"},
      {"[[environments]]\nname = \"x\"\n", "needs `script-location` or `version-locations`"},
  };
  for (const Case& k : cases) {
    CAPTURE(k.text);
    auto c = ParseConfig(k.text, ".alembic-lint.toml", false, "/r", BuiltinRules());
    REQUIRE_FALSE(c.ok());
    CHECK_MESSAGE(c.error().message.find(k.expect) != std::string::npos, c.error().message);
  }
}

TEST_CASE("FindConfig walks up and prefers .alembic-lint.toml over pyproject.toml") {
  MemoryFileSource fs;
  fs.Add("/repo/pyproject.toml", "[tool.alembic-lint]\npg-version = 12\n");
  fs.Add("/repo/svc/versions/a.py", "");
  auto c = FindConfig(fs, "/repo/svc/versions/a.py", BuiltinRules());
  REQUIRE(c.ok());
  REQUIRE(c->has_value());
  CHECK((*c)->path == "/repo/pyproject.toml");
  CHECK((*c)->settings.pg_version == 12);

  fs.Add("/repo/svc/.alembic-lint.toml", "pg-version = 14\n");
  c = FindConfig(fs, "/repo/svc/versions", BuiltinRules());
  REQUIRE(c.ok());
  REQUIRE(c->has_value());
  CHECK((*c)->settings.pg_version == 14);

  MemoryFileSource none;
  none.Add("/x/pyproject.toml", "[project]\nname = 'x'\n");
  auto n = FindConfig(none, "/x", BuiltinRules());
  REQUIRE(n.ok());
  CHECK_FALSE(n->has_value());
}

}  // namespace alint
