// Index rules (create/drop/reindex non-concurrent, concurrent-in-transaction), maintenance
// (vacuum-full, refresh-materialized-view-non-concurrent, detach-partition-non-concurrent)
// and enum-add-value-in-transaction, on migrations analysed statement by statement.
#include <doctest/doctest.h>

#include "tests/rules/ddl_test_util.h"

namespace alint::testing {

TEST_CASE("create-index-non-concurrent: an op on an existing table, at the op name") {
  DdlCase c(
      Module("    op.create_index(\n        \"ix_users_email\", \"users\", [\"email\"],\n"
             "    )\n"));
  auto f = c.Run("create-index-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(c.At(f[0].span) == "create_index");
  CHECK(f[0].severity == Severity::kWarning);
  CHECK(f[0].message.find("SHARE lock on `users`") != std::string::npos);
  CHECK(f[0].message.find("blocks writes") != std::string::npos);
  REQUIRE(f[0].help);
  // The help is the user's own call, on one line, with the keyword added, in the block.
  CHECK(f[0].help->find("with op.get_context().autocommit_block():\n    op.create_index("
                        "\"ix_users_email\", \"users\", [\"email\"], "
                        "postgresql_concurrently=True)") != std::string::npos);
}

TEST_CASE("create-index-non-concurrent: safe forms and new tables stay clean") {
  DdlCase concurrent(
      Module("    with op.get_context().autocommit_block():\n"
             "        op.create_index(\"ix\", \"users\", [\"email\"], "
             "postgresql_concurrently=True)\n"));
  CHECK(concurrent.Run("create-index-non-concurrent").empty());
  CHECK(concurrent.Run("concurrent-in-transaction").empty());

  DdlCase new_table(
      Module("    op.create_table(\"t\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n"
             "    op.create_index(\"ix_t_id\", \"t\", [\"id\"])\n"
             "    op.execute(\"CREATE INDEX ix_t_2 ON t (id)\")\n"));
  CHECK(new_table.Run("create-index-non-concurrent").empty());
}

TEST_CASE("create-index-non-concurrent: SQL in a multi-line string is anchored on its line") {
  DdlCase c(
      Module("    op.execute(\"\"\"\n        SELECT 1;\n"
             "        CREATE UNIQUE INDEX ix_orders_ref ON orders (ref);\n    \"\"\")\n"));
  auto f = c.Run("create-index-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(c.Line(f[0].span) == c.LineOf("CREATE UNIQUE INDEX"));
  REQUIRE(f[0].help);
  CHECK(f[0].help->find("op.execute(\"CREATE UNIQUE INDEX CONCURRENTLY ix_orders_ref ON orders "
                        "(ref)\")") != std::string::npos);
}

TEST_CASE("create-index-non-concurrent: downgrade findings are one step lower and say so") {
  DdlCase c(Module("    pass\n", "    op.create_index(\"ix\", \"users\", [\"email\"])\n"));
  auto f = c.Run("create-index-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == Severity::kInfo);
  CHECK(f[0].message.find("in downgrade()") != std::string::npos);
  // A configured severity is left alone.
  c.settings.severity["create-index-non-concurrent"] = Severity::kWarning;
  f = c.Run("create-index-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == Severity::kWarning);
}

TEST_CASE("drop-index-non-concurrent") {
  DdlCase bad(Module("    op.drop_index(\"ix_users_email\", table_name=\"users\")\n"));
  auto f = bad.Run("drop-index-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("ACCESS EXCLUSIVE") != std::string::npos);
  REQUIRE(f[0].help);
  CHECK(f[0].help->find("op.drop_index(\"ix_users_email\", table_name=\"users\", "
                        "postgresql_concurrently=True)") != std::string::npos);

  DdlCase sql(Module("    op.execute(\"DROP INDEX ix_a, ix_b CASCADE\")\n"));
  f = sql.Run("drop-index-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(f[0].help->find("does not accept CASCADE") != std::string::npos);

  DdlCase ok(
      Module("    with op.get_context().autocommit_block():\n"
             "        op.execute(\"DROP INDEX CONCURRENTLY IF EXISTS ix_users_email\")\n"));
  CHECK(ok.Run("drop-index-non-concurrent").empty());

  // autogenerate's downgrade of a create_table: the index goes just before its table.
  DdlCase dropped_table(Module("    pass\n",
                               "    op.drop_index(\"ix_orders_user_id\", table_name=\"orders\")\n"
                               "    op.drop_table(\"orders\")\n"));
  CHECK(dropped_table.Run("drop-index-non-concurrent").empty());
  DdlCase other_table(Module("    pass\n",
                             "    op.drop_index(\"ix_orders_user_id\", table_name=\"orders\")\n"
                             "    op.drop_table(\"audit\")\n"));
  CHECK(other_table.Run("drop-index-non-concurrent").size() == 1);

  DdlCase created(
      Module("    op.execute(\"CREATE INDEX ix_tmp ON users (id)\")\n"
             "    op.execute(\"DROP INDEX ix_tmp\")\n"));
  CHECK(created.Run("drop-index-non-concurrent").empty());
}

TEST_CASE("reindex-non-concurrent: help depends on the target version") {
  const std::string text = Module("    op.execute(\"REINDEX TABLE orders\")\n");
  DdlCase pg15(text);
  auto f = pg15.Run("reindex-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("SHARE on `orders`") != std::string::npos);
  CHECK(f[0].help->find("REINDEX TABLE CONCURRENTLY orders") != std::string::npos);

  DdlCase pg11(text, 11);
  f = pg11.Run("reindex-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(f[0].help->find("needs PostgreSQL 12") != std::string::npos);

  DdlCase ok(
      Module("    with op.get_context().autocommit_block():\n"
             "        op.execute(\"REINDEX INDEX CONCURRENTLY ix_orders_ref\")\n"));
  CHECK(ok.Run("reindex-non-concurrent").empty());
  CHECK(ok.Run("concurrent-in-transaction").empty());
}

TEST_CASE("reindex-non-concurrent: no CONCURRENTLY advice where PostgreSQL has none") {
  DdlCase c(
      Module("    with op.get_context().autocommit_block():\n"
             "        op.execute(\"REINDEX SYSTEM app\")\n"
             "        op.execute(\"REINDEX DATABASE app\")\n"));
  auto f = c.Run("reindex-non-concurrent");
  REQUIRE(f.size() == 2);
  // "cannot reindex system catalogs concurrently" (checked on PostgreSQL 15).
  CHECK(f[0].help->find("CONCURRENTLY app") == std::string::npos);
  CHECK(f[0].help->find("no CONCURRENTLY form") != std::string::npos);
  // REINDEX DATABASE CONCURRENTLY works, skipping the catalogs: advised, and said.
  CHECK(f[1].help->find("REINDEX DATABASE CONCURRENTLY app") != std::string::npos);
  CHECK(f[1].help->find("system catalogs are skipped") != std::string::npos);
}

TEST_CASE("concurrent-in-transaction: each no-transaction command outside the block") {
  DdlCase c(
      Module("    op.create_index(\"ix\", \"users\", [\"email\"], postgresql_concurrently=True)\n"
             "    op.execute(\"DROP INDEX CONCURRENTLY ix_old\")\n"
             "    op.execute(\"VACUUM users\")\n"
             "    with op.get_context().autocommit_block():\n"
             "        op.execute(\"REINDEX INDEX CONCURRENTLY ix_fine\")\n"));
  auto f = c.Run("concurrent-in-transaction");
  REQUIRE(f.size() == 3);
  CHECK(f[0].severity == Severity::kError);
  CHECK(c.At(f[0].span) == "create_index");
  CHECK(f[0].message.find("\"CREATE INDEX CONCURRENTLY cannot run inside a transaction block\"") !=
        std::string::npos);
  CHECK(f[0].help->find("with op.get_context().autocommit_block():\n    op.create_index(") !=
        std::string::npos);
  CHECK(f[1].message.rfind("DROP INDEX CONCURRENTLY cannot", 0) == 0);
  CHECK(f[2].message.rfind("VACUUM cannot", 0) == 0);
  CHECK(c.Line(f[2].span) == c.LineOf("VACUUM users"));
}

TEST_CASE("concurrent-in-transaction: ALTER TYPE ADD VALUE is left to the enum rule") {
  DdlCase c(Module("    op.execute(\"ALTER TYPE mood ADD VALUE 'meh'\")\n"), 11);
  CHECK(c.Run("concurrent-in-transaction").empty());
  CHECK(c.Run("enum-add-value-in-transaction").size() == 1);
}

TEST_CASE("vacuum-full: VACUUM FULL and CLUSTER") {
  DdlCase c(
      Module("    with op.get_context().autocommit_block():\n"
             "        op.execute(\"VACUUM FULL events\")\n"
             "    op.execute(\"CLUSTER events USING ix_events_ts\")\n"
             "    op.execute(\"VACUUM (ANALYZE) events\")\n"));
  auto f = c.Run("vacuum-full");
  REQUIRE(f.size() == 2);
  CHECK(f[0].message.rfind("VACUUM FULL rewrites `events`", 0) == 0);
  CHECK(f[1].message.rfind("CLUSTER rewrites `events`", 0) == 0);
}

TEST_CASE("refresh-materialized-view-non-concurrent") {
  DdlCase bad(Module("    op.execute(\"REFRESH MATERIALIZED VIEW daily_sales\")\n"));
  auto f = bad.Run("refresh-materialized-view-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("ACCESS EXCLUSIVE") != std::string::npos);
  CHECK(f[0].help->find("REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales") != std::string::npos);
  DdlCase ok(Module("    op.execute(\"REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales\")\n"));
  CHECK(ok.Run("refresh-materialized-view-non-concurrent").empty());
  DdlCase created(
      Module("    op.execute(\"CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x WITH NO DATA\")\n"
             "    op.execute(\"REFRESH MATERIALIZED VIEW mv\")\n"));
  CHECK(created.Run("refresh-materialized-view-non-concurrent").empty());
}

TEST_CASE("detach-partition-non-concurrent: 14+ always, before 14 only without lock_timeout") {
  const std::string plain =
      Module("    op.execute(\"ALTER TABLE measurements DETACH PARTITION m_2020\")\n");
  DdlCase pg15(plain);
  auto f = pg15.Run("detach-partition-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("`m_2020` from `measurements`") != std::string::npos);
  CHECK(f[0].help->find("DETACH PARTITION m_2020 CONCURRENTLY") != std::string::npos);

  DdlCase pg13(plain, 13);
  f = pg13.Run("detach-partition-non-concurrent");
  REQUIRE(f.size() == 1);
  CHECK(f[0].help->find("needs PostgreSQL 14") != std::string::npos);

  DdlCase pg13_timeout(Module("    op.execute(\"SET lock_timeout = '5s'\")\n"
                              "    op.execute(\"ALTER TABLE measurements DETACH PARTITION "
                              "m_2020\")\n"),
                       13);
  CHECK(pg13_timeout.Run("detach-partition-non-concurrent").empty());

  DdlCase ok(
      Module("    with op.get_context().autocommit_block():\n"
             "        op.execute(\"ALTER TABLE measurements DETACH PARTITION m_2020 "
             "CONCURRENTLY\")\n"));
  CHECK(ok.Run("detach-partition-non-concurrent").empty());
  CHECK(ok.Run("concurrent-in-transaction").empty());
}

TEST_CASE("enum-add-value-in-transaction: before 12 the ADD VALUE itself fails") {
  DdlCase c(Module("    op.execute(\"ALTER TYPE order_status ADD VALUE 'archived'\")\n"), 11);
  auto f = c.Run("enum-add-value-in-transaction");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == Severity::kError);
  CHECK(f[0].message.find("before PostgreSQL 12") != std::string::npos);
  DdlCase ok(Module("    with op.get_context().autocommit_block():\n"
                    "        op.execute(\"ALTER TYPE order_status ADD VALUE 'archived'\")\n"),
             11);
  CHECK(ok.Run("enum-add-value-in-transaction").empty());
}

TEST_CASE("enum-add-value-in-transaction: on 12+ only a later use in the same transaction") {
  DdlCase unused(Module("    op.execute(\"ALTER TYPE order_status ADD VALUE 'archived'\")\n"));
  CHECK(unused.Run("enum-add-value-in-transaction").empty());

  DdlCase used(
      Module("    op.execute(\"ALTER TYPE order_status ADD VALUE 'archived'\")\n"
             "    op.execute(\"SELECT 1\")\n"
             "    op.execute(\"UPDATE orders SET status = 'archived' WHERE id < 10\")\n"));
  auto f = used.Run("enum-add-value-in-transaction");
  REQUIRE(f.size() == 1);
  CHECK(used.Line(f[0].span) == used.LineOf("UPDATE orders"));
  REQUIRE(f[0].related.size() == 1);
  CHECK(used.Line(f[0].related[0].span) == used.LineOf("ALTER TYPE"));
  CHECK(f[0].message.find("unsafe use of new value \"archived\"") != std::string::npos);

  DdlCase server_default(
      Module("    op.execute(\"ALTER TYPE order_status ADD VALUE 'archived'\")\n"
             "    op.alter_column(\"orders\", \"status\", server_default=\"archived\")\n"));
  CHECK(server_default.Run("enum-add-value-in-transaction").size() == 1);

  DdlCase committed(
      Module("    with op.get_context().autocommit_block():\n"
             "        op.execute(\"ALTER TYPE order_status ADD VALUE 'archived'\")\n"
             "    op.execute(\"UPDATE orders SET status = 'archived' WHERE id < 10\")\n"));
  CHECK(committed.Run("enum-add-value-in-transaction").empty());

  DdlCase new_type(Module("    op.execute(\"CREATE TYPE order_status AS ENUM ('open')\")\n"
                          "    op.execute(\"ALTER TYPE order_status ADD VALUE 'archived'\")\n"
                          "    op.execute(\"UPDATE orders SET status = 'archived'\")\n"),
                   11);
  CHECK(new_type.Run("enum-add-value-in-transaction").empty());
}

}  // namespace alint::testing
