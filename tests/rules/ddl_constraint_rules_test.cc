// Constraint rules: add-foreign-key-validated, add-check-constraint-validated,
// add-unique-constraint, add-primary-key, drop-constraint; and the shared helpers that write
// their help code.
#include <doctest/doctest.h>

#include "lint/rulekit/lock_rule_util.h"
#include "tests/rules/ddl_test_util.h"

namespace alint::testing {

TEST_CASE("add-foreign-key-validated: op without NOT VALID, help keeps the user's call") {
  DdlCase c(
      Module("    op.create_foreign_key(\"fk_orders_user\", \"orders\", \"users\", "
             "[\"user_id\"], [\"id\"])\n"));
  auto f = c.Run("add-foreign-key-validated");
  REQUIRE(f.size() == 1);
  CHECK(c.At(f[0].span) == "create_foreign_key");
  CHECK(f[0].message.find("every existing row of `orders`") != std::string::npos);
  CHECK(f[0].message.find("SHARE ROW EXCLUSIVE") != std::string::npos);
  CHECK(f[0].message.find("referenced table `users`") != std::string::npos);
  REQUIRE(f[0].help);
  CHECK(f[0].help->find("[\"id\"], postgresql_not_valid=True)") != std::string::npos);
  CHECK(f[0].help->find("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user") !=
        std::string::npos);
}

TEST_CASE("constraints named by the naming convention (None) are not given a made-up name") {
  DdlCase c(
      Module("    op.create_foreign_key(None, \"orders\", \"users\", [\"user_id\"], [\"id\"])\n"
             "    op.create_check_constraint(None, \"orders\", \"total > 0\")\n"
             "    op.create_unique_constraint(None, \"orders\", [\"code\"])\n"
             "    op.create_index(None, \"orders\", [\"code\"], if_not_exists=True)\n"));
  REQUIRE(c.analysis.statements.size() == 4);
  for (const PlannedStatement& st : c.analysis.statements) {
    CAPTURE(st.facts.summary);
    CHECK(st.facts.summary.find("CONSTRAINT") == std::string::npos);
    CHECK(st.facts.constraint.empty());
  }
  auto fk = c.Run("add-foreign-key-validated");
  REQUIRE(fk.size() == 1);
  CHECK(fk[0].message.rfind("adding a foreign key checks every existing row of `orders`", 0) == 0);
  auto ck = c.Run("add-check-constraint-validated");
  REQUIRE(ck.size() == 1);
  CHECK(ck[0].message.rfind("adding a check constraint checks", 0) == 0);
  auto uq = c.Run("add-unique-constraint");
  REQUIRE(uq.size() == 1);
  CHECK(uq[0].message.rfind("adding a unique constraint builds", 0) == 0);
  CHECK(c.analysis.statements[3].facts.summary == "CREATE INDEX ON orders");
  auto ix = c.Run("create-index-non-concurrent");
  REQUIRE(ix.size() == 1);
  CHECK(ix[0].message.rfind("creating an index without CONCURRENTLY", 0) == 0);
}

TEST_CASE("add-foreign-key-validated: NOT VALID, then VALIDATE in another transaction") {
  DdlCase ok(
      Module("    op.create_foreign_key(\"fk\", \"orders\", \"users\", [\"user_id\"], [\"id\"], "
             "postgresql_not_valid=True)\n"
             "    with op.get_context().autocommit_block():\n"
             "        op.execute(\"ALTER TABLE orders VALIDATE CONSTRAINT fk\")\n"));
  CHECK(ok.Run("add-foreign-key-validated").empty());

  DdlCase same(
      Module("    op.execute(\"ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) "
             "REFERENCES users (id) NOT VALID\")\n"
             "    op.execute(\"ALTER TABLE orders VALIDATE CONSTRAINT fk\")\n"));
  auto f = same.Run("add-foreign-key-validated");
  REQUIRE(f.size() == 1);
  CHECK(same.Line(f[0].span) == same.LineOf("VALIDATE CONSTRAINT"));
  CHECK(f[0].message.find("same transaction") != std::string::npos);
  REQUIRE(f[0].related.size() == 1);
  CHECK(same.Line(f[0].related[0].span) == same.LineOf("NOT VALID"));
  // The check rule does not claim a foreign key's VALIDATE.
  CHECK(same.Run("add-check-constraint-validated").empty());
}

TEST_CASE("add-foreign-key-validated: a new referencing table is clean") {
  DdlCase c(Module(
      "    op.create_table(\"orders\", sa.Column(\"id\", sa.Integer(), primary_key=True))\n"
      "    op.create_foreign_key(\"fk\", \"orders\", \"users\", [\"user_id\"], [\"id\"])\n"));
  CHECK(c.Run("add-foreign-key-validated").empty());
}

TEST_CASE("add-check-constraint-validated: SQL subcommand anchor and NOT VALID help") {
  DdlCase c(
      Module("    op.execute(\"ALTER TABLE orders ADD COLUMN note text, "
             "ADD CONSTRAINT ck_total CHECK (total >= 0)\")\n"));
  auto f = c.Run("add-check-constraint-validated");
  REQUIRE(f.size() == 1);
  CHECK(c.At(f[0].span).rfind("ADD CONSTRAINT ck_total", 0) == 0);
  CHECK(f[0].message.find("ACCESS EXCLUSIVE") != std::string::npos);
  CHECK(f[0].help->find("op.execute(\"ALTER TABLE orders ADD CONSTRAINT ck_total CHECK "
                        "(total >= 0) NOT VALID\")") != std::string::npos);

  DdlCase ok(
      Module("    op.create_check_constraint(\"ck\", \"orders\", \"total >= 0\", "
             "postgresql_not_valid=True)\n"));
  CHECK(ok.Run("add-check-constraint-validated").empty());

  DdlCase same(
      Module("    op.create_check_constraint(\"ck\", \"orders\", \"total >= 0\", "
             "postgresql_not_valid=True)\n"
             "    op.execute(\"ALTER TABLE orders VALIDATE CONSTRAINT ck\")\n"));
  f = same.Run("add-check-constraint-validated");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("ACCESS EXCLUSIVE lock the ADD took") != std::string::npos);
}

TEST_CASE("add-unique-constraint: op and SQL get the concurrent index + USING INDEX pattern") {
  DdlCase op(
      Module("    op.create_unique_constraint(\"uq_users_email\", \"users\", "
             "[\"email\"])\n"));
  auto f = op.Run("add-unique-constraint");
  REQUIRE(f.size() == 1);
  CHECK(f[0].help->find("op.create_index(\"uq_users_email\", \"users\", [\"email\"], "
                        "unique=True, postgresql_concurrently=True)") != std::string::npos);
  CHECK(f[0].help->find("ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email") !=
        std::string::npos);

  DdlCase sql(Module("    op.execute(\"ALTER TABLE users ADD UNIQUE (org_id, email)\")\n"));
  f = sql.Run("add-unique-constraint");
  REQUIRE(f.size() == 1);
  CHECK(f[0].help->find("CREATE UNIQUE INDEX CONCURRENTLY users_org_id_email_key ON users "
                        "(org_id, email)") != std::string::npos);

  DdlCase using_index(
      Module("    op.execute(\"ALTER TABLE users ADD CONSTRAINT uq UNIQUE "
             "USING INDEX uq\")\n"));
  CHECK(using_index.Run("add-unique-constraint").empty());
  CHECK(using_index.Run("add-primary-key").empty());
}

TEST_CASE("add-primary-key") {
  DdlCase c(Module("    op.create_primary_key(\"events_pkey\", \"events\", [\"id\"])\n"));
  auto f = c.Run("add-primary-key");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("primary key `events_pkey`") != std::string::npos);
  CHECK(f[0].help->find("PRIMARY KEY USING INDEX events_pkey") != std::string::npos);
  CHECK(f[0].help->find("NOT NULL") != std::string::npos);
  CHECK(c.Run("add-unique-constraint").empty());
}

TEST_CASE("drop-constraint: foreign key, lock_timeout, downgrade") {
  DdlCase fk(
      Module("    op.drop_constraint(\"fk_orders_user\", \"orders\", "
             "type_=\"foreignkey\")\n"));
  auto f = fk.Run("drop-constraint");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("ACCESS EXCLUSIVE lock on `orders` and on the table it references") !=
        std::string::npos);

  DdlCase sql(
      Module("    op.execute(\"ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) "
             "REFERENCES users (id); ALTER TABLE orders DROP CONSTRAINT fk\")\n"));
  f = sql.Run("drop-constraint");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("and on `users`") != std::string::npos);

  DdlCase timeout(
      Module("    op.execute(\"SET lock_timeout = '3s'\")\n"
             "    op.drop_constraint(\"uq\", \"orders\")\n"));
  CHECK(timeout.Run("drop-constraint").empty());
  DdlCase disabled(
      Module("    op.execute(\"SET lock_timeout = 0\")\n"
             "    op.drop_constraint(\"uq\", \"orders\")\n"));
  CHECK(disabled.Run("drop-constraint").size() == 1);

  DdlCase then_drop_table(
      Module("    op.drop_constraint(\"fk\", \"orders\", type_=\"foreignkey\")\n"
             "    op.drop_table(\"orders\")\n"));
  CHECK(then_drop_table.Run("drop-constraint").empty());

  DdlCase down(Module("    pass\n", "    op.drop_constraint(\"uq\", \"orders\")\n"));
  f = down.Run("drop-constraint");
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == Severity::kInfo);
}

TEST_CASE("ddl helpers: one-line op calls with a keyword added or replaced") {
  SourceFile file(0, "x.py",
                  "op.create_index(\n    \"ix\",  # the index\n    \"t\",\n    [\"a\", "
                  "\"b\"],\n    unique=True,\n)\n");
  Migration m = ExtractMigration(file, ParseMode::kFull);
  // Module-level op calls are not body facts; build the call by hand from the file.
  OpCall op;
  op.call.span = Span{0, 0, static_cast<uint32_t>(file.text.rfind(')') + 1)};
  CHECK(rulekit::OpCallWith(file, op, "postgresql_concurrently=True") ==
        "op.create_index(\"ix\", \"t\", [\"a\", \"b\"], unique=True, "
        "postgresql_concurrently=True)");
  op.call.keywords = {"", "", "", "unique"};
  op.call.children.resize(4);
  const size_t at = file.text.find("True");
  op.call.children[3].span = Span{0, static_cast<uint32_t>(at), static_cast<uint32_t>(at + 4)};
  CHECK(rulekit::OpCallWith(file, op, "unique=False") ==
        "op.create_index(\"ix\", \"t\", [\"a\", \"b\"], unique=False)");
  (void)m;
  CHECK(rulekit::OpExecute("SELECT  'a \"b\"'\n  FROM t") ==
        "op.execute(\"SELECT 'a \\\"b\\\"' FROM t\")");
  // A -- comment is dropped (it would swallow the rest of the line); quoted text is kept.
  CHECK(rulekit::OpExecute(
            "\n  -- build it\n  CREATE INDEX ix ON t (a)  -- note\n  WHERE b = '--  x'") ==
        "op.execute(\"CREATE INDEX ix ON t (a) WHERE b = '--  x'\")");
  CHECK(rulekit::InsertAfterKeyword("reindex index ix", "INDEX", "CONCURRENTLY") ==
        "reindex index CONCURRENTLY ix");
  CHECK(rulekit::ParenthesizedAfter("ADD UNIQUE ( a, (b) )", 4) == "a, (b)");
}

}  // namespace alint::testing
