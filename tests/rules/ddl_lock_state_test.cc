// Transaction lock state (PlannedStatement::held): what a statement's transaction already
// holds, and the lock rules that read it.
#include <doctest/doctest.h>

#include <string>

#include "lint/analysis/migration_analysis.h"
#include "tests/rules/ddl_test_util.h"

namespace alint {
namespace {

TEST_CASE("transaction lock state: a later statement on a table already locked ACCESS EXCLUSIVE") {
  testing::DdlCase c(testing::Module(
      "    op.execute(\"ALTER TABLE orders ADD COLUMN status text\")\n"
      "    op.execute(\"CREATE INDEX ix_orders_status ON orders (status)\")\n"
      "    op.execute(\"ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) "
      "REFERENCES users (id)\")\n"
      "    op.drop_index(\"ix_orders_old\", table_name=\"orders\")\n"
      "    op.drop_constraint(\"orders_total_check\", \"orders\")\n"
      "    op.execute(\"CREATE INDEX ix_items_sku ON items (sku)\")\n"));
  const auto& st = c.analysis.statements;
  REQUIRE(st.size() == 6);
  CHECK(st[0].Held("orders") == nullptr);
  REQUIRE(st[1].Held("orders") != nullptr);
  CHECK(st[1].Held("public.orders") == st[1].Held("orders"));
  CHECK(st[1].Held("orders")->mode == LockMode::kAccessExclusive);
  CHECK(c.Line(st[1].Held("orders")->taken_at) == c.LineOf("ADD COLUMN status"));
  CHECK(st[1].AlreadyGranted("orders", LockMode::kShare));
  CHECK(!st[1].AlreadyGranted("users", LockMode::kShareRowExclusive));

  // missing-lock-timeout: the first wait is the ALTER; the later statements on `orders` do not
  // wait again, the foreign key's lock on `users` and the index on `items` do.
  auto mlt = c.Run("missing-lock-timeout");
  REQUIRE(mlt.size() == 1);
  CHECK(c.Line(mlt[0].span) == c.LineOf("ADD COLUMN status"));
  REQUIRE(mlt[0].related.size() == 2);
  CHECK(c.Line(mlt[0].related[0].span) == c.LineOf("FOREIGN KEY"));
  CHECK(c.Line(mlt[0].related[1].span) == c.LineOf("ix_items_sku"));

  // No "reads continue" for the index build under the transaction's ACCESS EXCLUSIVE lock.
  auto idx = c.Run("create-index-non-concurrent");
  REQUIRE(idx.size() == 2);
  CHECK(idx[0].message.find("already holds ACCESS EXCLUSIVE on it, taken at line") !=
        std::string::npos);
  CHECK(idx[0].message.find("reads continue") == std::string::npos);
  CHECK(idx[1].message.find("reads continue") != std::string::npos);  // `items`: not held
  auto fk = c.Run("add-foreign-key-validated");
  REQUIRE(fk.size() == 1);
  CHECK(fk[0].message.find("reads and writes of it") != std::string::npos);

  // Dropping an index or a constraint of a table already held waits for nobody.
  CHECK(c.Run("drop-index-non-concurrent").empty());
  CHECK(c.Run("drop-constraint").empty());
  // What matters is how long the lock is held.
  CHECK(c.Run("exclusive-lock-held").size() == 3);  // the index, the foreign key, `items`
}

TEST_CASE("op.drop_index(table_name=, schema=) locks the schema's table; lists name tables") {
  testing::DdlCase c(testing::Module(
      "    op.add_column('affiliations', sa.Column('code', sa.Text()), schema='indico')\n"
      "    op.drop_index('ix_aff_names', table_name='affiliations', schema='indico')\n"
      "    op.execute('CREATE INDEX ix_aff_names ON indico.affiliations (code)')\n"));
  const auto& st = c.analysis.statements;
  REQUIRE(st.size() == 3);
  CHECK(st[1].index_table == "indico.affiliations");
  // The ALTER already holds the table ACCESS EXCLUSIVE: the drop waits for nobody.
  CHECK(c.Run("drop-index-non-concurrent").empty());
  auto mlt = c.Run("missing-lock-timeout");
  REQUIRE(mlt.size() == 1);
  CHECK(
      mlt[0].message.find("takes ACCESS EXCLUSIVE on `indico.affiliations` with no lock_timeout") !=
      std::string::npos);
  CHECK(mlt[0].message.find("ix_aff_names`") == std::string::npos);  // an index is no table
  auto held = c.Run("exclusive-lock-held");
  REQUIRE(held.size() == 1);
  CHECK(held[0].message.find("the ACCESS EXCLUSIVE lock on `indico.affiliations` taken at") !=
        std::string::npos);
}

TEST_CASE("exclusive-lock-held names at most four held tables, then how many more") {
  std::string body;
  for (const char* t : {"a1", "a2", "a3", "a4", "a5", "a6"})
    body += std::string("    op.execute('ALTER TABLE ") + t + " ADD COLUMN x int')\n";
  body += "    op.execute('CREATE INDEX ix_b ON b (x)')\n";
  testing::DdlCase c(testing::Module(body));
  auto held = c.Run("exclusive-lock-held");
  REQUIRE(held.size() == 1);
  CHECK(held[0].message.find("lock on `a1`, `a2`, `a3`, `a4` and 2 more taken at") !=
        std::string::npos);
  CHECK(held[0].related.size() == 6);  // every lock is still pointed at
}

TEST_CASE("transaction lock state ends with the transaction") {
  testing::DdlCase c(
      testing::Module("    op.execute(\"ALTER TABLE orders ADD COLUMN status text\")\n"
                      "    op.execute(\"COMMIT\")\n"
                      "    op.drop_index(\"ix_orders_old\", table_name=\"orders\")\n"));
  const auto& st = c.analysis.statements;
  REQUIRE(st.size() == 3);
  CHECK(st[2].Held("orders") == nullptr);
  CHECK(c.Run("drop-index-non-concurrent").size() == 1);
}

}  // namespace
}  // namespace alint
