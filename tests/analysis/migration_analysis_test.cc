#include "lint/analysis/migration_analysis.h"

#include <doctest/doctest.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "lint/python/extract.h"

namespace alint {
namespace {

// A migration file, its facts and its analysis kept together so spans can be read back.
struct Analyzed {
  SourceFile file;
  Migration m;
  MigrationAnalysis a;
  Analyzed(std::string upgrade, std::string downgrade = "    pass\n", AnalysisOptions options = {})
      : file(0, "versions/x.py",
             "from alembic import op\nimport sqlalchemy as sa\n\nrevision = \"a1\"\n"
             "down_revision = None\n\n\ndef upgrade():\n" +
                 upgrade + "\n\ndef downgrade():\n" + downgrade),
        m(ExtractMigration(file, ParseMode::kFull)),
        a(AnalyzeMigration(m, file, options)) {}
  std::string_view Text(Span s) const { return file.Slice(s); }
  const PlannedStatement& At(size_t i) const {
    REQUIRE(i < a.statements.size());
    return a.statements[i];
  }
};

TEST_CASE("statements: ops and SQL strings merged in source order, upgrade then downgrade") {
  Analyzed x(
      "    op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True))\n"
      "    op.execute(\"CREATE INDEX ix_users_id ON users (id)\")\n"
      "    op.add_column('orders', sa.Column('note', sa.Text()))\n",
      "    op.drop_column('orders', 'note')\n");
  REQUIRE(x.a.statements.size() == 4);
  CHECK(x.At(0).facts.kind == StatementKind::kCreateTable);
  CHECK(x.At(0).op != nullptr);
  CHECK(x.Text(x.At(0).anchor) == "create_table");
  CHECK(x.At(1).facts.kind == StatementKind::kCreateIndex);
  CHECK(x.At(1).sql != nullptr);
  CHECK(x.At(1).op == nullptr);
  CHECK(x.Text(x.At(1).span) == "CREATE INDEX ix_users_id ON users (id)");
  CHECK(x.At(2).facts.kind == StatementKind::kAddColumn);
  CHECK(x.Text(x.At(2).anchor) == "add_column");
  CHECK(x.At(2).phase == Phase::kUpgrade);
  CHECK(x.At(3).facts.kind == StatementKind::kDropColumn);
  CHECK(x.At(3).phase == Phase::kDowngrade);
  CHECK(x.a.unmodelled_ops.empty());
  CHECK(x.a.sql_errors.empty());
}

TEST_CASE("statements: each statement and ALTER subcommand of a SQL string maps into the .py") {
  Analyzed x(
      "    op.execute(\"\"\"\n"
      "        ALTER TABLE users ADD COLUMN a int, DROP COLUMN b;\n"
      "        TRUNCATE audit;\n"
      "    \"\"\")\n");
  REQUIRE(x.a.statements.size() == 3);
  CHECK(x.Text(x.At(0).span) == "ALTER TABLE users ADD COLUMN a int, DROP COLUMN b");
  CHECK(x.Text(x.At(0).anchor) == "ADD COLUMN a int");
  CHECK(x.Text(x.At(1).anchor) == "DROP COLUMN b");
  CHECK(x.At(1).facts.data_loss);
  CHECK(x.Text(x.At(2).span) == "TRUNCATE audit");
  CHECK(x.file.Locate(x.At(2).span.begin).line == 11);
}

TEST_CASE("statements: a SQL error is reported at its place in the .py file") {
  Analyzed x("    op.execute(\"ALTER TABLE users ADD COLUMNN x int\")\n");
  CHECK(x.a.statements.empty());
  REQUIRE(x.a.sql_errors.size() == 1);
  CHECK(x.a.sql_errors[0].phase == Phase::kUpgrade);
  // PostgreSQL reads COLUMNN as the column name and x as its type, and stops at `int`.
  CHECK(x.Text(Span{0, x.a.sql_errors[0].at.begin, x.a.sql_errors[0].at.begin + 3}) == "int");
}

TEST_CASE("unmodelled ops: a DDL op with a non-literal argument; execute() is not one") {
  Analyzed x(
      "    col = sa.Column('x', sa.Integer())\n"
      "    op.add_column('users', col)\n"
      "    op.execute(some_sql)\n"
      "    op.get_bind()\n");
  CHECK(x.a.statements.empty());
  REQUIRE(x.a.unmodelled_ops.size() == 1);
  CHECK(x.a.unmodelled_ops[0]->name == "add_column");
}

TEST_CASE("transactions: one per migration; autocommit_block statements run on their own") {
  Analyzed x(
      "    op.add_column('users', sa.Column('a', sa.Text()))\n"
      "    op.execute('UPDATE users SET a = 1 WHERE id < 10')\n"
      "    with op.get_context().autocommit_block():\n"
      "        op.create_index('ix_a', 'users', ['a'], postgresql_concurrently=True)\n"
      "        op.execute('CREATE INDEX CONCURRENTLY ix_b ON users (b)')\n"
      "    op.drop_column('users', 'c')\n",
      "    op.drop_column('users', 'a')\n");
  REQUIRE(x.a.statements.size() == 6);
  CHECK(x.At(0).in_transaction);
  CHECK(x.At(1).in_transaction);
  CHECK(x.At(0).transaction == x.At(1).transaction);
  CHECK_FALSE(x.At(2).in_transaction);
  CHECK_FALSE(x.At(3).in_transaction);
  CHECK(x.At(2).transaction != x.At(1).transaction);
  CHECK(x.At(3).transaction != x.At(2).transaction);
  CHECK(x.At(4).in_transaction);
  CHECK(x.At(4).transaction != x.At(3).transaction);
  CHECK(x.At(4).transaction != x.At(1).transaction);
  // downgrade runs in a transaction of its own
  CHECK(x.At(5).phase == Phase::kDowngrade);
  CHECK(x.At(5).transaction != x.At(4).transaction);
}

TEST_CASE("lock_timeout: env.py, SET, SET LOCAL, RESET and zero") {
  EnvFacts env;
  env.found = true;
  env.lock_timeout = "5s";
  AnalysisOptions options;
  options.env = &env;
  Analyzed x(
      "    op.drop_column('users', 'a')\n"                                // 0: env's 5s
      "    op.execute(\"SET LOCAL lock_timeout = '2s'\")\n"               // 1
      "    op.drop_column('users', 'b')\n"                                // 2: 2s (local)
      "    with op.get_context().autocommit_block():\n"                   //
      "        op.execute('CREATE INDEX CONCURRENTLY i ON users (c)')\n"  // 3: local gone: 5s
      "    op.execute(\"SET lock_timeout TO 0\")\n"                       // 4
      "    op.drop_column('users', 'd')\n"                                // 5: 0 = off
      "    op.execute('RESET lock_timeout')\n"                            // 6
      "    op.drop_column('users', 'e')\n",                               // 7: none
      "    op.drop_column('users', 'f')\n",                               // 8: env again
      options);
  REQUIRE(x.a.statements.size() == 9);
  CHECK(x.At(0).lock_timeout == "5s");
  CHECK(x.At(0).HasLockTimeout());
  CHECK(x.At(1).facts.sets_lock_timeout == "2s");
  CHECK(x.At(2).lock_timeout == "2s");
  CHECK(x.At(3).lock_timeout == "5s");
  CHECK(x.At(5).lock_timeout == "0");
  CHECK_FALSE(x.At(5).HasLockTimeout());
  CHECK_FALSE(x.At(7).lock_timeout.has_value());
  CHECK_FALSE(x.At(7).HasLockTimeout());
  CHECK(x.At(8).phase == Phase::kDowngrade);
  CHECK(x.At(8).lock_timeout == "5s");
}

TEST_CASE("lock_timeout: a session SET outlives the transaction; SET LOCAL in autocommit is void") {
  Analyzed x(
      "    with op.get_context().autocommit_block():\n"
      "        op.execute(\"SET LOCAL lock_timeout = '1s'\")\n"
      "        op.execute(\"SET lock_timeout = '3s'\")\n"
      "        op.execute('CREATE INDEX CONCURRENTLY i ON users (c)')\n"
      "    op.drop_column('users', 'a')\n");
  REQUIRE(x.a.statements.size() == 4);
  CHECK_FALSE(x.At(1).lock_timeout.has_value());
  CHECK(x.At(2).lock_timeout == "3s");
  CHECK(x.At(3).lock_timeout == "3s");
}

TEST_CASE("IsLockTimeoutOff") {
  CHECK(IsLockTimeoutOff(std::nullopt));
  CHECK(IsLockTimeoutOff(std::string("0")));
  CHECK(IsLockTimeoutOff(std::string("'0ms'")));
  CHECK(IsLockTimeoutOff(std::string("00s")));
  CHECK_FALSE(IsLockTimeoutOff(std::string("10")));
  CHECK_FALSE(IsLockTimeoutOff(std::string("'5s'")));
  CHECK_FALSE(IsLockTimeoutOff(std::string("{LOCK_TIMEOUT}")));
}

TEST_CASE("new relations: created earlier in the same phase, by op or SQL, schema-insensitive") {
  Analyzed x(
      "    op.create_table('users', sa.Column('id', sa.Integer()))\n"
      "    op.create_index('ix_users_id', 'users', ['id'])\n"
      "    op.execute('CREATE TABLE public.audit (id int)')\n"
      "    op.execute('ALTER TABLE audit ADD COLUMN at timestamptz NOT NULL')\n"
      "    op.execute('DROP INDEX ix_users_id')\n"
      "    op.add_column('orders', sa.Column('x', sa.Text(), nullable=False))\n",
      "    op.drop_index('ix_users_id')\n");
  REQUIRE(x.a.statements.size() == 7);
  CHECK(x.At(0).new_relations.empty());  // the creating statement itself
  CHECK(x.At(1).IsNew("users"));
  CHECK(x.At(1).IsNew("public.users"));
  CHECK_FALSE(x.At(1).IsNew("ix_users_id"));  // created by this very statement
  CHECK(x.At(3).IsNew("audit"));
  CHECK(x.At(4).IsNew("ix_users_id"));
  CHECK_FALSE(x.At(5).IsNew("orders"));
  CHECK(x.At(5).new_relations.empty());
  CHECK(x.At(6).phase == Phase::kDowngrade);
  CHECK_FALSE(x.At(6).IsNew("ix_users_id"));
}

TEST_CASE("new relations: a renamed new table stays new") {
  Analyzed x(
      "    op.execute('CREATE TABLE tmp_users (id int)')\n"
      "    op.rename_table('tmp_users', 'users')\n"
      "    op.execute('ALTER TABLE users ALTER COLUMN id SET NOT NULL')\n");
  REQUIRE(x.a.statements.size() == 3);
  CHECK(x.At(1).IsNew("tmp_users"));
  CHECK(x.At(2).IsNew("users"));
}

TEST_CASE("column types: a column added earlier gives ALTER TYPE its current type") {
  Analyzed widened(
      "    op.add_column('users', sa.Column('code', sa.String(20)))\n"
      "    op.execute('ALTER TABLE users ALTER COLUMN code TYPE varchar(50)')\n");
  REQUIRE(widened.a.statements.size() == 2);
  const StatementFacts& f = widened.At(1).facts;
  CHECK(f.kind == StatementKind::kAlterColumnType);
  CHECK_FALSE(f.Effect("users")->rewrite);
  CHECK_FALSE(f.rewrite_uncertain);

  Analyzed unknown("    op.execute('ALTER TABLE users ALTER COLUMN code TYPE varchar(50)')\n");
  REQUIRE(unknown.a.statements.size() == 1);
  CHECK(unknown.At(0).facts.rewrite_uncertain);
}

TEST_CASE(
    "SET NOT NULL after a validated CHECK (col IS NOT NULL) in other strings skips the scan") {
  const std::string add_check =
      "    op.execute('ALTER TABLE users ADD CONSTRAINT ck CHECK (email IS NOT NULL) NOT "
      "VALID')\n";
  const std::string set_not_null =
      "    op.alter_column('users', 'email', existing_type=sa.Text(), nullable=False)\n";
  Analyzed safe(add_check + "    op.execute('ALTER TABLE users VALIDATE CONSTRAINT ck')\n" +
                set_not_null);
  REQUIRE(safe.a.statements.size() == 3);
  const StatementFacts& f = safe.At(2).facts;
  CHECK(f.kind == StatementKind::kSetNotNull);
  CHECK_FALSE(f.Effect("users")->scan);
  CHECK_FALSE(f.can_fail_on_rows);

  Analyzed not_validated(add_check + set_not_null);
  REQUIRE(not_validated.a.statements.size() == 2);
  CHECK(not_validated.At(1).facts.Effect("users")->scan);

  AnalysisOptions pg11;
  pg11.pg_version = 11;
  Analyzed old(
      add_check + "    op.execute('ALTER TABLE users VALIDATE CONSTRAINT ck')\n" + set_not_null,
      "    pass\n", pg11);
  REQUIRE(old.a.statements.size() == 3);
  CHECK(old.At(2).facts.Effect("users")->scan);

  Analyzed dropped(add_check + "    op.execute('ALTER TABLE users VALIDATE CONSTRAINT ck')\n" +
                   "    op.drop_constraint('ck', 'users')\n" + set_not_null);
  REQUIRE(dropped.a.statements.size() == 4);
  CHECK(dropped.At(3).facts.Effect("users")->scan);
}

TEST_CASE("a header-only parse gives an empty analysis") {
  SourceFile file(0, "versions/x.py",
                  "from alembic import op\ndef upgrade():\n    op.drop_table('t')\n");
  Migration m = ExtractMigration(file, ParseMode::kHeader);
  CHECK(AnalyzeMigration(m, file, {}).statements.empty());
}

// ---------------------------------------------------------------------------------------
// env.py

EnvFacts Env(std::string text) { return ReadEnvFacts(SourceFile(7, "migrations/env.py", text)); }

TEST_CASE("env.py: lock_timeout from connect options, with its line") {
  EnvFacts f =
      Env("from sqlalchemy import engine_from_config\n"
          "def run_migrations_online():\n"
          "    connectable = engine_from_config(\n"
          "        config.get_section(config.config_ini_section),\n"
          "        connect_args={\"options\": \"-c lock_timeout=4000 -c statement_timeout=60s\"},\n"
          "    )\n");
  CHECK(f.found);
  CHECK(f.path == "migrations/env.py");
  CHECK(f.lock_timeout == "4000");
  CHECK(f.statement_timeout == "60s");
  CHECK(f.lock_timeout_line == 5);
  CHECK(f.lock_timeout_span.file == 7);
  CHECK_FALSE(f.transaction_per_migration);
}

TEST_CASE("env.py: an executed SET, transaction_per_migration, comments ignored") {
  EnvFacts f =
      Env("    # connect_args={'options': '-c lock_timeout=1s'}\n"
          "    context.configure(connection=connection, transaction_per_migration=True)\n"
          "    with context.begin_transaction():\n"
          "        connection.execute(text(\"SET lock_timeout TO '3s'\"))\n"
          "        context.run_migrations()\n");
  CHECK(f.transaction_per_migration);
  CHECK(f.lock_timeout == "3s");
  CHECK(f.lock_timeout_line == 4);
  CHECK_FALSE(f.statement_timeout.has_value());

  EnvFacts none =
      Env("    # connection.execute(text(\"SET lock_timeout = '3s'\"))\n"
          "    my_lock_timeout = 5\n"
          "    context.configure(transaction_per_migration=False)\n");
  CHECK_FALSE(none.lock_timeout.has_value());
  CHECK_FALSE(none.transaction_per_migration);
  CHECK_FALSE(none.transactional_ddl.has_value());
}

TEST_CASE("env.py transactional_ddl=False: every statement commits on its own") {
  EnvFacts off = Env("    context.configure(connection=connection, transactional_ddl=False)\n");
  REQUIRE(off.transactional_ddl == false);
  CHECK(Env("    context.configure(transactional_ddl=True)\n").transactional_ddl == true);
  CHECK_FALSE(Env("    # transactional_ddl=False\n").transactional_ddl.has_value());

  const std::string body =
      "    op.add_column('orders', sa.Column('note', sa.Text()))\n"
      "    op.execute(\"CREATE INDEX CONCURRENTLY ix_o ON orders (note)\")\n";
  Analyzed tx(body);
  REQUIRE(tx.a.statements.size() == 2);
  CHECK(tx.At(1).in_transaction);  // Alembic's transaction: CONCURRENTLY would fail
  CHECK(tx.At(0).transaction == tx.At(1).transaction);

  AnalysisOptions options;
  options.env = &off;
  Analyzed none(body, "    pass\n", options);
  REQUIRE(none.a.statements.size() == 2);
  CHECK_FALSE(none.At(0).in_transaction);
  CHECK_FALSE(none.At(1).in_transaction);
  CHECK(none.At(0).transaction != none.At(1).transaction);
  // No lock is held from one statement to the next.
  CHECK(none.At(1).held_log == nullptr);
}

TEST_CASE("env.py: a computed value counts as set") {
  EnvFacts f = Env("    opts = f\"-c lock_timeout={LOCK_TIMEOUT}\"\n");
  REQUIRE(f.lock_timeout.has_value());
  CHECK_FALSE(IsLockTimeoutOff(f.lock_timeout));
}

}  // namespace

namespace {

// CPU time of this process, in seconds: a scaling ratio measured in CPU time does not change
// when other processes compete for the cores (wall time does, by several times).
double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Seconds to analyse a migration of `n` add_column ops (each adds a known column type).
double AnalyzeSeconds(int n) {
  std::string body;
  for (int i = 0; i < n; ++i) {
    body += "    op.add_column('t', sa.Column('c" + std::to_string(i) + "', sa.Integer()))\n";
  }
  SourceFile file(0, "versions/x.py",
                  "from alembic import op\nimport sqlalchemy as sa\n\n\n"
                  "def upgrade():\n" +
                      body);
  Migration m = ExtractMigration(file, ParseMode::kFull);
  const double start = CpuSeconds();
  MigrationAnalysis a = AnalyzeMigration(m, file, AnalysisOptions{});
  const double seconds = CpuSeconds() - start;
  CHECK(a.statements.size() == static_cast<size_t>(n));
  return seconds;
}

TEST_CASE("statements: many ops are analysed in linear time (bad-input suite: 20k ops)") {
  // Sixteen times the ops may cost about sixteen times as long, not 256: every op used to copy
  // the column types known so far (a ratio of about 450). Best of three small runs.
  double small = 1e9;
  for (int i = 0; i < 3; ++i) small = std::min(small, AnalyzeSeconds(500));
  small = std::max(small, 1e-3);
  double large = AnalyzeSeconds(8000);
  MESSAGE("500 ops: " << small << " s; 8,000: " << large << " s");
  CHECK(large / small < 100);
}

}  // namespace

}  // namespace alint

namespace alint {
namespace {

TEST_CASE("op.execute() of a SQLAlchemy expression: DML on a table object, else not analysed") {
  Analyzed x(
      "    accounts = sa.table('accounts', sa.column('state'))\n"
      "    op.execute(accounts.update().values(state='new'))\n"
      "    op.execute(accounts.delete().where(accounts.c.state == 'gone'))\n"
      "    op.execute(sa.text(\"UPDATE accounts SET state = 'new' WHERE state IS NULL\"))\n"
      "    op.execute(f\"UPDATE {name} SET x = 1\")\n"
      "    op.execute(other.update().values(x=1))\n"
      "    op.execute(get_statement())\n");
  // accounts is bound once to sa.table("accounts"): an UPDATE of every row (no .where()), a
  // DELETE with a WHERE; then the text() statement.
  REQUIRE(x.a.statements.size() == 3);
  CHECK(x.a.statements[0].facts.kind == StatementKind::kUpdate);
  CHECK(x.a.statements[0].facts.table == "accounts");
  CHECK(x.a.statements[0].facts.data_loss);
  CHECK(x.a.statements[0].facts.Effect("accounts")->lock == LockMode::kRowExclusive);
  CHECK(x.a.statements[1].facts.kind == StatementKind::kDelete);
  CHECK_FALSE(x.a.statements[1].facts.data_loss);
  CHECK(x.a.statements[2].facts.kind == StatementKind::kUpdate);
  // `other` is bound nowhere, get_statement() is not DML on a table object: not analysed. The
  // f-string is dynamic SQL, listed there and not twice.
  REQUIRE(x.a.unmodelled_ops.size() == 2);
  CHECK(x.Text(x.a.unmodelled_ops[0]->call.span).find("other.update()") != std::string::npos);
  CHECK(x.Text(x.a.unmodelled_ops[1]->call.span).find("get_statement()") != std::string::npos);
  CHECK(x.m.dynamic_sql.size() == 1);
  // Bound twice (to two tables): which one runs is not known.
  Analyzed twice(
      "    t = sa.table('a')\n"
      "    op.execute(t.update().values(x=1))\n"
      "    t = sa.table('b')\n");
  CHECK(twice.a.statements.empty());
  CHECK(twice.a.unmodelled_ops.size() == 1);
}

}  // namespace
}  // namespace alint
