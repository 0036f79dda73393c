// The statement rules of rules/data and rules/ddl beyond what the fixtures show: the
// downgrade() convention, configured severities, pg-version dependent help, uncertainty.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "lint/engine/linter.h"
#include "rules/registry.h"
#include "tests/rules/ddl_test_util.h"

namespace alint {
namespace {

std::vector<Finding> Run(const std::string& rule, const std::string& upgrade,
                         const std::string& downgrade = "    pass\n", LintSettings settings = {}) {
  MemoryFileSource fs;
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on `"literal" + std::string`.
  std::string text =
      "from alembic import op\nimport sqlalchemy as sa\nrevision = 'a1'\n"
      "down_revision = None\n\ndef upgrade():\n";
  text.append(upgrade).append("\ndef downgrade():\n").append(downgrade);
  fs.Add("v/a1_m.py", std::move(text));
  Discovery d;
  DiscoveredEnv env;
  env.name = "v";
  env.version_dirs = {"v"};
  env.files = {"v/a1_m.py"};
  d.envs.push_back(env);
  Workspace ws = LoadWorkspace(fs, d, LoadOptions{});
  const Rule* r = FindRule(rule);
  REQUIRE(r != nullptr);
  std::vector<const Rule*> rules{r};
  settings.select = {rule};
  return Lint(ws, BuiltinRules(), rules, settings, 1);
}

TEST_CASE("downgrade findings are one level lower and say so, unless the severity is set") {
  std::vector<Finding> up = Run("drop-table", "    op.drop_table('sessions')\n");
  REQUIRE(up.size() == 1);
  CHECK(up[0].severity == Severity::kError);
  CHECK(up[0].message.find("downgrade") == std::string::npos);

  std::vector<Finding> down = Run("drop-table", "    pass\n", "    op.drop_table('sessions')\n");
  REQUIRE(down.size() == 1);
  CHECK(down[0].severity == Severity::kWarning);
  CHECK(down[0].message.find("in downgrade()") != std::string::npos);

  LintSettings configured;
  configured.severity["drop-table"] = Severity::kWarning;
  std::vector<Finding> kept =
      Run("drop-table", "    pass\n", "    op.drop_table('sessions')\n", configured);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].severity == Severity::kWarning);  // a configured level is never lowered

  std::vector<Finding> required =
      Run("add-column-required", "    pass\n",
          "    op.add_column('users', sa.Column('legacy', sa.Integer(), nullable=False))\n");
  REQUIRE(required.size() == 1);
  CHECK(required[0].severity == Severity::kWarning);  // error rule, one level lower
}

TEST_CASE("delete-or-update-all-rows: DELETE loses rows (error), UPDATE keeps them (warning)") {
  std::vector<Finding> del =
      Run("delete-or-update-all-rows", "    op.execute('DELETE FROM users')\n");
  REQUIRE(del.size() == 1);
  CHECK(del[0].severity == Severity::kError);
  std::vector<Finding> upd =
      Run("delete-or-update-all-rows", "    op.execute(\"UPDATE users SET status = 'x'\")\n");
  REQUIRE(upd.size() == 1);
  CHECK(upd[0].severity == Severity::kWarning);
  std::vector<Finding> down = Run("delete-or-update-all-rows", "    pass\n",
                                  "    op.execute(\"UPDATE users SET status = 'x'\")\n");
  REQUIRE(down.size() == 1);
  CHECK(down[0].severity == Severity::kInfo);
}

TEST_CASE("downgrade: the inverse of the upgrade is not reported, other changes are") {
  CHECK(Run("drop-column", "    op.add_column('users', sa.Column('a', sa.Text()))\n",
            "    op.drop_column('users', 'a')\n")
            .empty());
  CHECK(Run("drop-column", "    op.add_column('users', sa.Column('a', sa.Text()))\n",
            "    op.drop_column('users', 'b')\n")
            .size() == 1);
  CHECK(Run("set-not-null",
            "    op.alter_column('users', 'a', existing_type=sa.Text(), nullable=True)\n",
            "    op.alter_column('users', 'a', existing_type=sa.Text(), nullable=False)\n")
            .empty());
  CHECK(Run("rename-table", "    op.rename_table('a', 'b')\n", "    op.rename_table('b', 'a')\n")
            .size() == 1);  // only the upgrade's
}

TEST_CASE("set-not-null: the validated CHECK pattern is clean on 12+, reported before 12") {
  const std::string pattern =
      "    op.execute('ALTER TABLE users ADD CONSTRAINT ck CHECK (email IS NOT NULL) NOT "
      "VALID')\n"
      "    op.execute('ALTER TABLE users VALIDATE CONSTRAINT ck')\n"
      "    op.alter_column('users', 'email', existing_type=sa.Text(), nullable=False)\n";
  CHECK(Run("set-not-null", pattern).empty());
  LintSettings pg11;
  pg11.pg_version = 11;
  std::vector<Finding> old = Run("set-not-null", pattern, "    pass\n", pg11);
  REQUIRE(old.size() == 1);
  REQUIRE(old[0].help.has_value());
  CHECK(old[0].help->find("before PostgreSQL 12") != std::string::npos);

  std::vector<Finding> plain =
      Run("set-not-null", "    op.execute('ALTER TABLE teams ALTER COLUMN name SET NOT NULL')\n");
  REQUIRE(plain.size() == 1);
  CHECK(plain[0].help->find("CHECK (name IS NOT NULL) NOT VALID") != std::string::npos);
  CHECK(plain[0].help->find("ALTER TABLE teams VALIDATE CONSTRAINT teams_name_not_null") !=
        std::string::npos);
}

TEST_CASE("alter-column-type: unknown current type is a softer 'may rewrite'") {
  std::vector<Finding> f =
      Run("alter-column-type", "    op.alter_column('users', 'code', type_=sa.String(10))\n");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == Severity::kInfo);
  CHECK(f[0].message.find("may rewrite") != std::string::npos);
  CHECK(f[0].help->find("existing_type=") != std::string::npos);
  CHECK(Run("alter-column-type",
            "    op.alter_column('users', 'code', type_=sa.Text(), existing_type=sa.String(10))\n")
            .empty());
}

TEST_CASE("add-column-rewrite: a function of unknown volatility is reported one level lower") {
  std::vector<Finding> f =
      Run("add-column-rewrite",
          "    op.add_column('t', sa.Column('c', sa.Text(), server_default=sa.text('my_fn()')))\n");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == Severity::kInfo);
  std::vector<Finding> stored = Run(
      "add-column-rewrite",
      "    op.execute('ALTER TABLE t ADD COLUMN total int GENERATED ALWAYS AS (a + b) STORED')\n");
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].severity == Severity::kWarning);
  CHECK(stored[0].message.find("STORED generated") != std::string::npos);
}

TEST_CASE("drop-schema: a quoted schema created by the upgrade may be dropped by the downgrade") {
  CHECK(Run("drop-schema", "    op.execute('CREATE SCHEMA \"Reports\"')\n",
            "    op.execute('DROP SCHEMA \"Reports\" CASCADE')\n")
            .empty());
  std::vector<Finding> other = Run("drop-schema", "    op.execute('CREATE SCHEMA reports')\n",
                                   "    op.execute('DROP SCHEMA billing')\n");
  REQUIRE(other.size() == 1);
  CHECK(other[0].message.find("`billing`") != std::string::npos);
}

}  // namespace
}  // namespace alint

namespace alint {

TEST_CASE("drop-column on 20,000 statements: adds earlier in the phase are found, renamed too") {
  // Asked once per statement, the history scan used to be quadratic (80k ops: 88 s). The
  // answer must stay exact: add c<i> then drop c<i> is clean, a drop of a column never added
  // is reported, and a column renamed after its add counts as added under its new name.
  constexpr int kN = 10000;
  std::string up;
  up.reserve(kN * 90);
  for (int i = 0; i < kN; ++i) {
    up += fmt::format("    op.add_column('t', sa.Column('c{}', sa.Text()))\n", i);
  }
  up += "    op.alter_column('t', 'c0', new_column_name='renamed')\n";
  for (int i = 0; i < kN; ++i) up += fmt::format("    op.drop_column('t', 'c{}')\n", i);
  up += "    op.drop_column('t', 'renamed')\n";
  up += "    op.drop_column('t', 'old')\n";
  std::vector<Finding> f = Run("drop-column", up);
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("`t.old`") != std::string::npos);
}

}  // namespace alint

namespace alint {

TEST_CASE("drop-table and drop-column say when downgrade() re-creates what cannot come back") {
  const std::string head = "revision = 'a1'\ndown_revision = None\n\n";
  testing::DdlCase col(head +
                       "def upgrade():\n    op.drop_column('users', 'legacy')\n\n"
                       "def downgrade():\n"
                       "    op.add_column('users', sa.Column('legacy', sa.Text()))\n");
  auto f = col.Run("drop-column");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("downgrade() adds it back empty: no downgrade brings the values back") !=
        std::string::npos);
  testing::DdlCase table(head +
                         "def upgrade():\n    op.drop_table('sessions')\n\n"
                         "def downgrade():\n"
                         "    op.create_table('sessions', sa.Column('id', sa.Integer()))\n");
  f = table.Run("drop-table");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("downgrade() re-creates it empty: no downgrade brings the rows back") !=
        std::string::npos);
  // Without a re-creating downgrade, nothing is claimed about it.
  testing::DdlCase plain(head + "def upgrade():\n    op.drop_table('sessions')\n");
  f = plain.Run("drop-table");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("downgrade()") == std::string::npos);
}

}  // namespace alint
