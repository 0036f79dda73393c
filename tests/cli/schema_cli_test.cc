// `alembic-lint schema`: the JSON golden of fixtures/repos/schema_history (the same history
// tests/pg/schema_check.py proves against a real server), the text form, --revision, errors.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/cli/cli_test_util.h"

namespace alint {
namespace {

const std::string kRepo = std::string(ALINT_SOURCE_DIR) + "/fixtures/repos/schema_history";

using testing::Run;
using testing::RunBinary;

// Runs `schema ARGS` in the fixture repo (paths in the output are relative to it).
Run Schema(const std::string& args) { return RunBinary("schema " + args, true, kRepo); }

TEST_CASE("schema --format json matches the golden file") {
  std::ifstream in(kRepo + "/expected_schema.json", std::ios::binary);
  std::stringstream golden;
  golden << in.rdbuf();
  Run o = Schema("--format json .");
  CHECK(o.status == 0);
  // On a difference: run `alembic-lint schema --format json .` in the fixture and compare;
  // update the golden only for an intended change (tests/pg/schema_check.py must still pass).
  CHECK(o.out == golden.str());
}

TEST_CASE("schema text: tables, constraints, indexes, enums and what was not followed") {
  Run o = Schema(".");
  REQUIRE(o.status == 0);
  CHECK(o.out.find("# schema at c4f5a6b7d824 (head): 6 tables, 1 not followed") == 0);
  CHECK(o.out.find("table orders  [created in 6f7a8b9c0d06]") != std::string::npos);
  CHECK(o.out.find("  status      order_status  NOT NULL  DEFAULT 'paid'") != std::string::npos);
  CHECK(o.out.find("constraint invoices_order_fk foreign_key (order_id) -> orders") !=
        std::string::npos);
  CHECK(o.out.find("table events_2024 (partition of events)") != std::string::npos);
  CHECK(o.out.find("enum order_status ('new', 'paid', 'shipped')") != std::string::npos);
  CHECK(o.out.find("orders_user_id_status_idx on orders (user_id, status)") != std::string::npos);
  CHECK(o.out.find("SQL built at run time (f-string) "
                   "(migrations/versions/c4f5a6b7d824_comment_users.py:22:16)") !=
        std::string::npos);
}

TEST_CASE("schema --revision: an id, a unique prefix, several; errors name the revision") {
  // Before the merge, on one branch: invoices not yet renamed, no shipped_at.
  Run o = Schema("--revision a0d1e2f3b410 --format json .");
  REQUIRE(o.status == 0);
  CHECK(o.out.find("\"name\": \"invoices\"") != std::string::npos);
  CHECK(o.out.find("\"name\": \"bills\"") == std::string::npos);
  CHECK(o.out.find("shipped_at") == std::string::npos);
  // At the merge both branches' changes are there.
  o = Schema("--revision d3a4 .");
  REQUIRE(o.status == 0);
  CHECK(o.out.find("# schema at d3a4b5c6e713: 4 tables") == 0);
  CHECK(o.out.find("table bills") != std::string::npos);
  CHECK(o.out.find("shipped_at") != std::string::npos);
  o = Schema("--revision 1a2b3c4d5e01 --revision 2b3c .");
  REQUIRE(o.status == 0);
  CHECK(o.out.find("# schema at 1a2b3c4d5e01: 1 table,") != std::string::npos);
  CHECK(o.out.find("# schema at 2b3c4d5e6f02: 2 tables,") != std::string::npos);

  o = Schema("--revision ffff .");
  CHECK(o.status == 2);
  CHECK(o.out == "alembic-lint: error: --revision ffff: no such revision\n");
  o = Schema("--revision a .");
  CHECK(o.status == 2);
  CHECK(o.out == "alembic-lint: error: --revision a: more than one revision starts with it\n");
}

}  // namespace
}  // namespace alint

namespace alint {
namespace {

TEST_CASE("locks uses the history as check does: a foreign key dropped later locks its table") {
  const std::string dir = std::string(ALINT_SOURCE_DIR) +
                          "/fixtures/drop_constraint/bad_foreign_key_from_history/versions";
  testing::Run r = testing::RunBinary("locks '" + dir + "'", true);
  CHECK(r.status == 0);
  const std::string& out = r.out;
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

namespace alint {
namespace {

TEST_CASE("schema on a history Alembic cannot load: a warning naming why, then what can be read") {
  const std::string fixtures = std::string(ALINT_SOURCE_DIR) + "/fixtures";
  testing::Run cycle =
      testing::RunBinary("schema '" + fixtures + "/revision_cycle/bad_loop/versions'", true);
  CHECK(cycle.status == 0);
  CHECK(cycle.out.find("Alembic would fail to load this environment: CycleDetected") !=
        std::string::npos);
  CHECK(cycle.out.find("# schema at 0a1b2c3d4e5f (head)") != std::string::npos);
  testing::Run broken =
      testing::RunBinary("schema '" + fixtures + "/parse_error/bad_syntax/versions'", true);
  CHECK(broken.status == 0);
  CHECK(broken.out.find("SyntaxError: 4b7e21c9d0a3_broken.py") != std::string::npos);
  CHECK(broken.out.find("# no revision to show") != std::string::npos);
}

}  // namespace
}  // namespace alint
