// `alembic-lint schema`: the JSON golden of fixtures/repos/schema_history (the same history
// tests/pg/schema_check.py proves against a real server), the text form, --revision, errors.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace alint {
namespace {

const std::string kRepo = std::string(ALINT_SOURCE_DIR) + "/fixtures/repos/schema_history";

struct Out {
  int status = -1;
  std::string text;
};

// Runs the binary in the fixture repo (paths in the output are relative to it).
Out Schema(const std::string& args) {
  std::string cmd = "cd '" + kRepo + "' && '" + ALINT_BINARY + "' schema " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  Out o;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.text.append(buf, n);
  int st = pclose(p);
  o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return o;
}

TEST_CASE("schema --format json matches the golden file") {
  std::ifstream in(kRepo + "/expected_schema.json", std::ios::binary);
  std::stringstream golden;
  golden << in.rdbuf();
  Out o = Schema("--format json .");
  CHECK(o.status == 0);
  // On a difference: run `alembic-lint schema --format json .` in the fixture and compare;
  // update the golden only for an intended change (tests/pg/schema_check.py must still pass).
  CHECK(o.text == golden.str());
}

TEST_CASE("schema text: tables, constraints, indexes, enums and what was not followed") {
  Out o = Schema(".");
  REQUIRE(o.status == 0);
  CHECK(o.text.find("# schema at c4f5a6b7d824 (head): 6 tables, 1 not followed") == 0);
  CHECK(o.text.find("table orders  [created in 6f7a8b9c0d06]") != std::string::npos);
  CHECK(o.text.find("  status      order_status  NOT NULL  DEFAULT 'paid'") != std::string::npos);
  CHECK(o.text.find("constraint invoices_order_fk foreign_key (order_id) -> orders") !=
        std::string::npos);
  CHECK(o.text.find("table events_2024 (partition of events)") != std::string::npos);
  CHECK(o.text.find("enum order_status ('new', 'paid', 'shipped')") != std::string::npos);
  CHECK(o.text.find("orders_user_id_status_idx on orders (user_id, status)") != std::string::npos);
  CHECK(o.text.find("SQL built at run time (f-string) "
                    "(migrations/versions/c4f5a6b7d824_comment_users.py:22:16)") !=
        std::string::npos);
}

TEST_CASE("schema --revision: an id, a unique prefix, several; errors name the revision") {
  // Before the merge, on one branch: invoices not yet renamed, no shipped_at.
  Out o = Schema("--revision a0d1e2f3b410 --format json .");
  REQUIRE(o.status == 0);
  CHECK(o.text.find("\"name\": \"invoices\"") != std::string::npos);
  CHECK(o.text.find("\"name\": \"bills\"") == std::string::npos);
  CHECK(o.text.find("shipped_at") == std::string::npos);
  // At the merge both branches' changes are there.
  o = Schema("--revision d3a4 .");
  REQUIRE(o.status == 0);
  CHECK(o.text.find("# schema at d3a4b5c6e713: 4 tables") == 0);
  CHECK(o.text.find("table bills") != std::string::npos);
  CHECK(o.text.find("shipped_at") != std::string::npos);
  o = Schema("--revision 1a2b3c4d5e01 --revision 2b3c .");
  REQUIRE(o.status == 0);
  CHECK(o.text.find("# schema at 1a2b3c4d5e01: 1 table,") != std::string::npos);
  CHECK(o.text.find("# schema at 2b3c4d5e6f02: 2 tables,") != std::string::npos);

  o = Schema("--revision ffff .");
  CHECK(o.status == 2);
  CHECK(o.text == "alembic-lint: error: --revision ffff: no such revision\n");
  o = Schema("--revision a .");
  CHECK(o.status == 2);
  CHECK(o.text == "alembic-lint: error: --revision a: more than one revision starts with it\n");
}

}  // namespace
}  // namespace alint

namespace alint {
namespace {

TEST_CASE("locks uses the history as check does: a foreign key dropped later locks its table") {
  const std::string dir = std::string(ALINT_SOURCE_DIR) +
                          "/fixtures/drop_constraint/bad_foreign_key_from_history/versions";
  const std::string cmd = "'" + std::string(ALINT_BINARY) + "' locks '" + dir + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  CHECK(pclose(p) == 0);
  const size_t at = out.find("## d6f8a0c2e438: drop order constraints");
  REQUIRE(at != std::string::npos);
  const std::string upgrade = out.substr(at, out.find("downgrade():", at) - at);
  // customers is known (from the migration that created the key) to be locked by the drop.
  CHECK(upgrade.find("| `customers` | ACCESS EXCLUSIVE | reads, writes | no | no | none | 23:8 "
                     "ALTER TABLE orders DROP CONSTRAINT orders_customer_fk |") !=
        std::string::npos);
}

}  // namespace
}  // namespace alint
