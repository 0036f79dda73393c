#include "lint/config/config.h"
#include "rules/registry.h"

#include <doctest/doctest.h>

#include <algorithm>

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
irreversible-ok = true

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
  CHECK(s.options.at("irreversible-ok").number == 1);
  // A boolean option takes true or false only.
  auto bad = ParseConfig("irreversible-ok = \"yes\"\n", ".alembic-lint.toml", false, "/repo",
                         BuiltinRules());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("irreversible-ok") != std::string::npos);
  CHECK(bad.error().message.find("must be true or false") != std::string::npos);
  CHECK(s.severity.at("unused-suppression") == Severity::kInfo);
  REQUIRE(s.per_file_ignores.size() == 1);
  CHECK(s.per_file_ignores[0].first == "legacy/*.py");
  CHECK(s.base_dir == "/repo");
  REQUIRE(c->environments.size() == 1);
  CHECK(c->environments[0].name == "neutron");
  CHECK(c->environments[0].recursive);
}

TEST_CASE("categories in select, ignore and per-file-ignores; min-severity") {
  const char* text = R"(select = ["graph", "add-column-rewrite"]
ignore = ["sql"]
min-severity = "warning"

[per-file-ignores]
"legacy/*.py" = ["ddl", "handmade-revision-id"]
)";
  auto c = ParseConfig(text, ".alembic-lint.toml", false, "/r", BuiltinRules());
  if (!c.ok()) FAIL(c.error().message);
  const LintSettings& s = c->settings;
  CHECK(s.min_severity == Severity::kWarning);
  // select and ignore keep the names as written; RuleSet::Select expands them.
  CHECK(s.select == std::vector<std::string>{"graph", "add-column-rewrite"});
  Result<std::vector<const Rule*>> on = BuiltinRules().Select(s);
  REQUIRE(on.ok());
  size_t graph = 0;
  for (const Rule* r : BuiltinRules()) graph += r->info().category == "graph";
  CHECK(graph >= 5);
  CHECK(on->size() == graph + 1);
  for (const Rule* r : *on) {
    CHECK((r->info().category == "graph" || r->info().name == "add-column-rewrite"));
  }
  // per-file-ignores: a category becomes the names of its rules.
  REQUIRE(s.per_file_ignores.size() == 1);
  const std::vector<std::string>& ignored = s.per_file_ignores[0].second;
  auto has = [&](std::string_view n) {
    return std::find(ignored.begin(), ignored.end(), n) != ignored.end();
  };
  CHECK(has("add-column-rewrite"));
  CHECK(has("create-index-non-concurrent"));
  CHECK(has("handmade-revision-id"));
  CHECK_FALSE(has("ddl"));
  CHECK_FALSE(has("multiple-heads"));
  // An unknown name: the categories are listed, and a close rule name offered.
  auto bad = ParseConfig("select = [\"multiple-head\"]\n", ".alembic-lint.toml", false, "/r",
                         BuiltinRules());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find(".alembic-lint.toml:1:11: `select` names an unknown rule or "
                                 "category `multiple-head` (did you mean `multiple-heads`") !=
        std::string::npos);
  CHECK(bad.error().message.find("graph") != std::string::npos);
}

TEST_CASE("applied: one revision or a list, top level and per declared environment") {
  const char* text = R"(applied = "ab12cd34ef56"

[[environments]]
script-location = "db"
applied = ["1111", "2222"]
)";
  auto c = ParseConfig(text, ".alembic-lint.toml", false, "/r", BuiltinRules());
  if (!c.ok()) FAIL(c.error().message);
  CHECK(c->settings.applied == std::vector<std::string>{"ab12cd34ef56"});
  CHECK(c->settings.applied_origin == ".alembic-lint.toml:1:11");
  REQUIRE(c->environments.size() == 1);
  CHECK(c->environments[0].applied == std::vector<std::string>{"1111", "2222"});
  CHECK(c->environments[0].applied_origin == ".alembic-lint.toml:5:11");
  auto bad =
      ParseConfig("applied = [\"a b\"]\n", ".alembic-lint.toml", false, "/r", BuiltinRules());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message ==
        ".alembic-lint.toml:1:11: `applied` names `a b`, which is not a "
        "revision id");
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
       ".alembic-lint.toml:3:11: `ignore` names an unknown rule or category `no-such-rule`"},
      {"ignore = [\"ALL\"]\n", ".alembic-lint.toml:1:11: `ignore` cannot name `ALL`"},
      {"min-severity = \"loud\"\n",
       ".alembic-lint.toml:1:16: `min-severity` must be \"error\", \"warning\" or \"info\""},
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
