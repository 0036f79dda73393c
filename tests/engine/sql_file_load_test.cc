// .sql files named on the command line: loaded as one upgrade SQL string each, outside every
// revision graph, and only body rules run on them.
#include <doctest/doctest.h>

#include <algorithm>

#include "lint/discover/discover.h"
#include "lint/engine/linter.h"
#include "rules/registry.h"

namespace alint {
namespace {

constexpr const char* kMigration = R"py("""add email

Revision ID: 1975ea83b712
Revises:
Create Date: 2024-01-01 00:00:00

"""
revision = "1975ea83b712"
down_revision = None

def upgrade():
    pass

def downgrade():
    pass
)py";

TEST_CASE("MigrationFromSqlFile: the whole text as one upgrade SQL string mapped 1:1") {
  SourceFile file(3, "db/schema.sql", "SET lock_timeout = '5s';\nALTER TABLE t ADD c int;\n");
  Migration m = MigrationFromSqlFile(file);
  CHECK(m.file == 3);
  CHECK(m.full);
  CHECK_FALSE(m.revision.present());
  REQUIRE(m.sql.size() == 1);
  const SqlString& s = m.sql[0];
  CHECK(s.text == file.text);
  CHECK(s.phase == Phase::kUpgrade);
  CHECK_FALSE(s.in_autocommit_block);
  CHECK(s.via == "sql file");
  CHECK(s.span == Span{3, 0, static_cast<uint32_t>(file.text.size())});
  CHECK(s.FileOffset(25) == 25);
  CHECK(s.FileOffset(static_cast<uint32_t>(file.text.size())) == file.text.size());
}

TEST_CASE("LoadWorkspace: .sql files are loaded, marked, and kept out of the graphs") {
  MemoryFileSource fs;
  fs.Add("proj/versions/1975ea83b712_add_email.py", kMigration);
  fs.Add("proj/schema.sql", "ALTER TABLE users ADD COLUMN email text;\n");
  auto d = Discover(fs, {"proj/versions", "proj/schema.sql"});
  REQUIRE(d.ok());
  Workspace ws = LoadWorkspace(fs, *d, LoadOptions{});
  REQUIRE(ws.files.size() == 2);
  REQUIRE(ws.envs.size() == 1);  // no environment for the .sql file
  CHECK(ws.envs[0].files.size() == 1);
  size_t sql = ws.files[0].path == "proj/schema.sql" ? 0 : 1;
  CHECK(ws.files[sql].path == "proj/schema.sql");
  CHECK(ws.loaded[sql].is_sql);
  CHECK_FALSE(ws.loaded[1 - sql].is_sql);
  CHECK(ws.loaded[sql].report_on);
  REQUIRE(ws.loaded[sql].facts.sql.size() == 1);
  CHECK(ws.loaded[sql].facts.sql[0].text == "ALTER TABLE users ADD COLUMN email text;\n");

  // Revision rules (missing-revision, ...) have nothing to say about a .sql file.
  LintSettings settings;
  settings.select = {"ALL"};
  auto rules = BuiltinRules().Select(settings);
  REQUIRE(rules.ok());
  for (const Finding& f : Lint(ws, BuiltinRules(), *rules, settings, 1)) {
    if (f.span.file != sql) continue;
    CAPTURE(f.rule);
    CAPTURE(f.message);
    const Rule* r = FindRule(f.rule);
    REQUIRE(r != nullptr);
    CHECK(r->NeedsBody());
  }
}

TEST_CASE("LoadWorkspace: a .sql file alone") {
  MemoryFileSource fs;
  fs.Add("a.sql", "SELECT 1;\n");
  auto d = Discover(fs, {"a.sql"});
  REQUIRE(d.ok());
  Workspace ws = LoadWorkspace(fs, *d, LoadOptions{});
  REQUIRE(ws.files.size() == 1);
  CHECK(ws.envs.empty());
  CHECK(ws.graphs.empty());
  CHECK(ws.loaded[0].is_sql);
}

}  // namespace
}  // namespace alint
