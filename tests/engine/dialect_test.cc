// Which database each environment runs on, and the lock/SQL rules running only on PostgreSQL.
#include <doctest/doctest.h>

#include "lint/config/config.h"
#include "lint/core/dialect.h"
#include "lint/engine/linter.h"
#include "rules/registry.h"

namespace alint {
namespace {

const char* kMigration =
    "from alembic import op\nrevision = 'a1'\ndown_revision = None\n\n"
    "def upgrade():\n"
    "    op.create_index('ix_users_email', 'users', ['email'])\n"
    "    op.execute('ALTER TABLE `users` MODIFY `name` VARCHAR(255)')\n"
    "    op.drop_table('orders')\n";

std::vector<Finding> Check(MemoryFileSource& fs, const LintSettings& settings = {},
                           Workspace* out = nullptr) {
  Result<Discovery> d = Discover(fs, {"repo"});
  REQUIRE(d.ok());
  Result<std::vector<const Rule*>> rules = BuiltinRules().Select(settings);
  REQUIRE(rules.ok());
  LoadOptions load;
  load.dialect = settings.dialect;
  load.dialect_origin = settings.dialect_origin;
  Workspace ws = LoadWorkspace(fs, *d, load);
  std::vector<Finding> f = Lint(ws, BuiltinRules(), *rules, settings, 1);
  if (out != nullptr) *out = std::move(ws);
  return f;
}

bool Has(const std::vector<Finding>& fs, std::string_view rule) {
  for (const Finding& f : fs) {
    if (f.rule == rule) return true;
  }
  return false;
}

void AddProject(MemoryFileSource& fs, const std::string& ini_extra) {
  fs.Add("repo/alembic.ini", "[alembic]\nscript_location = migrations\n" + ini_extra);
  fs.Add("repo/migrations/versions/a1_x.py", kMigration);
}

}  // namespace

TEST_CASE("dialect: a SQLAlchemy URL names its dialect") {
  CHECK(DialectOfUrl("postgresql+psycopg2://u:p@h/db") == "postgresql");
  CHECK(DialectOfUrl("postgres://h/db") == "postgresql");
  CHECK(DialectOfUrl("mysql+pymysql://h/db") == "mysql");
  CHECK(DialectOfUrl(" sqlite:///%(here)s/app.db") == "sqlite");
  CHECK(DialectOfUrl("MSSQL+pyodbc://dsn") == "mssql");
  CHECK(DialectOfUrl("driver://user:pass@localhost/dbname") == "");
  CHECK(DialectOfUrl("") == "");
  CHECK(DialectOfUrl("%(DB_URL)s") == "");
  CHECK(DialectOfUrl("://x") == "");
}

TEST_CASE("dialect: a MySQL or SQLite environment gets no PostgreSQL lock or SQL findings") {
  for (const char* url : {"mysql+pymysql://app@localhost/app", "sqlite:///app.db"}) {
    MemoryFileSource fs;
    AddProject(fs, std::string("sqlalchemy.url = ") + url + "\n");
    Workspace ws;
    std::vector<Finding> f = Check(fs, {}, &ws);
    CHECK_FALSE(Has(f, "create-index-non-concurrent"));
    CHECK_FALSE(Has(f, "sql-parse-error"));
    CHECK(Has(f, "drop-table"));  // data loss is data loss on any database
    REQUIRE(ws.envs.size() == 1);
    CHECK_FALSE(ws.envs[0].IsPostgres());
    CHECK(ws.envs[0].dialect_origin == "repo/alembic.ini:3 sqlalchemy.url");
    REQUIRE(ws.warnings.size() == 1);
    CHECK(ws.warnings[0].find("PostgreSQL only") != std::string::npos);
  }
}

TEST_CASE("dialect: PostgreSQL, an unknown URL or a URL env.py replaces lint as PostgreSQL") {
  for (const char* extra : {"sqlalchemy.url = postgresql://localhost/app\n",
                            "sqlalchemy.url = driver://user:pass@localhost/dbname\n", ""}) {
    MemoryFileSource fs;
    AddProject(fs, extra);
    std::vector<Finding> f = Check(fs);
    CHECK(Has(f, "create-index-non-concurrent"));
    CHECK(Has(f, "sql-parse-error"));
  }
  MemoryFileSource fs;
  AddProject(fs, "sqlalchemy.url = sqlite:///will/be/overridden\n");
  fs.Add("repo/migrations/env.py",
         "from alembic import context\n"
         "context.config.set_main_option('sqlalchemy.url', settings.DATABASE_URL)\n");
  CHECK(Has(Check(fs), "create-index-non-concurrent"));
}

TEST_CASE("dialect: env.py's literal URL, the config and --dialect decide, most specific first") {
  MemoryFileSource fs;
  AddProject(fs, "sqlalchemy.url = postgresql://localhost/app\n");
  fs.Add("repo/migrations/env.py",
         "# create_engine('sqlite:///commented.db')\n"
         "engine = create_engine(\"mysql+mysqldb://app@localhost/app\")\n");
  Workspace ws;
  CHECK_FALSE(Has(Check(fs, {}, &ws), "sql-parse-error"));
  CHECK(ws.envs[0].dialect == "mysql");
  CHECK(ws.envs[0].dialect_origin == "repo/migrations/env.py:2");

  LintSettings config;  // the config's top-level `dialect` beats what the project says
  config.dialect = "postgresql";
  config.dialect_origin = "pyproject.toml dialect";
  CHECK(Has(Check(fs, config, &ws), "sql-parse-error"));
  CHECK(ws.envs[0].dialect_origin == "pyproject.toml dialect");

  // Two different literal URLs: env.py picks one at run time, so nothing is known.
  fs.Add("repo/migrations/env.py",
         "url = 'sqlite:///a.db' if TESTING else 'mysql://h/app'\ncreate_engine(url)\n");
  CHECK(Has(Check(fs, {}, &ws), "sql-parse-error"));
  CHECK(ws.envs[0].dialect.empty());

  DiscoveredEnv declared;
  declared.stated_dialect = "sqlite";
  declared.stated_dialect_origin = "pyproject.toml environments.x.dialect";
  declared.dialect_declared = true;
  Environment env;
  DecideDialect(env, declared, EnvFacts{}, "mysql", "pyproject.toml dialect");
  CHECK(env.dialect == "sqlite");  // declared for the environment beats the top level
  DecideDialect(env, declared, EnvFacts{}, "postgresql", "--dialect");
  CHECK(env.dialect == "postgresql");  // the command line beats everything
  CHECK(env.IsPostgres());
}

TEST_CASE("dialect: the config's dialect keys are checked") {
  Result<Config> c = ParseConfig(
      "dialect = \"mysql\"\n[[environments]]\nname = \"x\"\nscript-location = \"m\"\n"
      "dialect = \"sqlite\"\n",
      "/r/.alembic-lint.toml", false, "/r", BuiltinRules());
  REQUIRE(c.ok());
  CHECK(c->settings.dialect == "mysql");
  CHECK(c->settings.dialect_origin == "/r/.alembic-lint.toml dialect");
  REQUIRE(c->environments.size() == 1);
  CHECK(c->environments[0].dialect == "sqlite");
  Result<Config> bad =
      ParseConfig("dialect = \"postgres\"\n", "/r/.alembic-lint.toml", false, "/r", BuiltinRules());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("must be one of postgresql") != std::string::npos);
  CHECK(bad.error().message.find(".alembic-lint.toml:1") != std::string::npos);
}

}  // namespace alint
