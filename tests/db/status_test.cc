// `status` without a database: the version table's rows against the graph (lint/db/status.h),
// the URL handling of the libpq layer, and env.py's version_table.

#include "lint/db/status.h"

#include <doctest/doctest.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/db/pg_client.h"
#include "tests/graph/graph_test_util.h"

namespace alint {
namespace {

using testing::Repo;
using Rows = std::optional<std::vector<std::string>>;

std::vector<std::string> PendingIds(const RevisionGraph& g, const db::EnvStatus& st) {
  return g.Ids(st.pending);
}

TEST_CASE("status: a linear history from fresh, part applied and up to date") {
  Repo repo;
  repo.Rev("a1", "None");
  repo.Rev("a2", "\"a1\"");
  repo.Rev("a3", "\"a2\"");
  const RevisionGraph& g = repo.Build();
  db::VersionTable t;

  db::EnvStatus fresh = db::ComputeStatus(g, std::nullopt, t);
  CHECK_FALSE(fresh.table_exists);
  CHECK(fresh.problems.empty());
  CHECK(PendingIds(g, fresh) == std::vector<std::string>{"a1", "a2", "a3"});

  db::EnvStatus empty = db::ComputeStatus(g, Rows(std::vector<std::string>{}), t);
  CHECK(empty.table_exists);
  CHECK(PendingIds(g, empty).size() == 3);

  db::EnvStatus part = db::ComputeStatus(g, Rows({"a1"}), t);
  CHECK(PendingIds(g, part) == std::vector<std::string>{"a2", "a3"});
  REQUIRE(part.current.size() == 1);
  CHECK_FALSE(part.current[0].head);

  db::EnvStatus done = db::ComputeStatus(g, Rows({"a3"}), t);
  CHECK(done.pending.empty());
  CHECK(done.problems.empty());
  CHECK(done.current[0].head);
}

TEST_CASE("status: a stored parent and child overlap, and the fix keeps the child") {
  Repo repo;
  repo.Rev("a1", "None");
  repo.Rev("a2", "\"a1\"");
  repo.Rev("a3", "\"a2\"");
  const RevisionGraph& g = repo.Build();
  db::VersionTable t;
  t.name = "versions";
  t.schema = "Meta";
  db::EnvStatus st = db::ComputeStatus(g, Rows({"a1", "a3"}), t);
  REQUIRE(st.problems.size() == 1);
  const db::StatusProblem& p = st.problems[0];
  CHECK(p.kind == "overlap");
  CHECK(p.alembic_error ==
        "CommandError: Requested revision a3 overlaps with other requested revisions a1");
  CHECK(p.fix.find("DELETE FROM \"Meta\".versions WHERE version_num = 'a1';") != std::string::npos);
  CHECK(st.pending.empty());  // the upgrade stops at the overlap
}

TEST_CASE("status: an overlap through depends_on only") {
  Repo repo;
  repo.Rev("a1", "None");
  repo.Rev("a2", "\"a1\"");
  repo.Rev("b1", "None");
  repo.Rev("b2", "\"b1\"", "depends_on = \"a2\"\n");
  const RevisionGraph& g = repo.Build();
  db::EnvStatus st = db::ComputeStatus(g, Rows({"b2", "a1"}), db::VersionTable());
  REQUIRE(st.problems.size() == 1);
  CHECK(st.problems[0].kind == "overlap");
  CHECK(st.problems[0].revisions == std::vector<std::string>{"b2", "a1"});

  // Two branches, the dependency applied: only the rest of the other branch is pending,
  // parents and dependencies first.
  db::EnvStatus ok = db::ComputeStatus(g, Rows({"a2", "b1"}), db::VersionTable());
  CHECK(ok.problems.empty());
  CHECK(PendingIds(g, ok) == std::vector<std::string>{"b2"});
  db::EnvStatus from_a = db::ComputeStatus(g, Rows({"a1"}), db::VersionTable());
  CHECK(PendingIds(g, from_a) == std::vector<std::string>{"a2", "b1", "b2"});
}

TEST_CASE("status: a dependency listed after its dependent still runs first") {
  Repo repo;
  repo.Rev("b1", "None", "depends_on = \"a1\"\n");
  repo.Rev("a1", "None");
  const RevisionGraph& g = repo.Build();
  db::EnvStatus st = db::ComputeStatus(g, std::nullopt, db::VersionTable());
  CHECK(PendingIds(g, st) == std::vector<std::string>{"a1", "b1"});
}

TEST_CASE("status: a row this checkout does not have, with and without a near id") {
  Repo repo;
  repo.Rev("3c4d5e6f7081", "None");
  const RevisionGraph& g = repo.Build();
  db::EnvStatus near = db::ComputeStatus(g, Rows({"3c4d5e6f7082"}), db::VersionTable());
  REQUIRE(near.problems.size() == 1);
  CHECK(near.problems[0].kind == "unknown-revision");
  CHECK(near.problems[0].alembic_error ==
        "CommandError: Can't locate revision identified by '3c4d5e6f7082'");
  CHECK(near.problems[0].fix.find("did you mean `3c4d5e6f7081`") != std::string::npos);
  CHECK(near.problems[0].fix.find(
            "UPDATE alembic_version SET version_num = '3c4d5e6f7081' WHERE version_num = "
            "'3c4d5e6f7082';") != std::string::npos);
  CHECK(near.current[0].node == kNoNode);

  db::EnvStatus far = db::ComputeStatus(g, Rows({"ffff0000zzzz"}), db::VersionTable());
  REQUIRE(far.problems.size() == 1);
  CHECK(far.problems[0].fix.find("did you mean") == std::string::npos);
  CHECK(far.problems[0].fix.find("deploy from the checkout") != std::string::npos);

  // Alembic resolves a unique prefix the way it resolves a command-line revision.
  db::EnvStatus prefix = db::ComputeStatus(g, Rows({"3c4d5e"}), db::VersionTable());
  CHECK(prefix.problems.empty());
  CHECK(prefix.current[0].node != kNoNode);
}

TEST_CASE("status: a revision stored twice, and a graph that does not load") {
  Repo repo;
  repo.Rev("a1", "None");
  repo.Rev("a2", "\"a1\"");
  const RevisionGraph& g = repo.Build();
  db::EnvStatus dup = db::ComputeStatus(g, Rows({"a1", "a1"}), db::VersionTable());
  REQUIRE(dup.problems.size() == 1);
  CHECK(dup.problems[0].kind == "duplicate-row");
  CHECK(dup.problems[0].fix.find("INSERT INTO alembic_version (version_num) VALUES ('a1')") !=
        std::string::npos);

  Repo broken;
  broken.Rev("a1", "None");
  broken.Rev("a2", "\"missing\"");
  const RevisionGraph& bg = broken.Build();
  db::EnvStatus st = db::ComputeStatus(bg, Rows({"a1"}), db::VersionTable());
  REQUIRE_FALSE(st.problems.empty());
  CHECK(st.problems[0].kind == "graph");
  CHECK(st.problems[0].alembic_error.find("KeyError") != std::string::npos);
  CHECK(st.pending.empty());
}

TEST_CASE("status: SQL quoting for the fixes") {
  CHECK(db::SqlLiteral("it's") == "'it''s'");
  CHECK(db::SqlIdentifier("alembic_version") == "alembic_version");
  CHECK(db::SqlIdentifier("Versions") == "\"Versions\"");
  CHECK(db::SqlIdentifier("a\"b") == "\"a\"\"b\"");
  CHECK(db::SqlIdentifier("1st") == "\"1st\"");
}

TEST_CASE("status: database URLs") {
  CHECK(db::LibpqUri("postgresql+psycopg2://u:p@h:5432/db?sslmode=require").value() ==
        "postgresql://u:p@h:5432/db?sslmode=require");
  CHECK(db::LibpqUri(" postgres://u@/db?host=/tmp\n").value() == "postgresql://u@/db?host=/tmp");
  CHECK_FALSE(db::LibpqUri("mysql+pymysql://u@h/db").ok());
  CHECK(db::LibpqUri("mysql://u@h/db").error().message.find("PostgreSQL only") !=
        std::string::npos);
  CHECK(db::LibpqUri("driver://user:pass@localhost/dbname").error().message.find("placeholder") !=
        std::string::npos);
  CHECK_FALSE(db::LibpqUri("not a url").ok());

  CHECK(db::RedactUrl("postgresql://app:s3cr@t@db:5432/x") == "postgresql://app:***@db:5432/x");
  CHECK(db::RedactUrl("postgresql://app@db/x") == "postgresql://app@db/x");
  CHECK(db::RedactUrl("postgresql://db/x?password=no") == "postgresql://db/x?password=no");
  CHECK(db::RedactUrl("postgresql://app:pw@/x?host=/tmp") == "postgresql://app:***@/x?host=/tmp");
  // An error message never carries the password either.
  CHECK(db::LibpqUri("mysql://app:hunter2@h/db").error().message.find("hunter2") ==
        std::string::npos);
}

TEST_CASE("env.py: version_table and version_table_schema") {
  auto facts = [](const std::string& text) {
    return ReadEnvFacts(SourceFile(kNoFile, "env.py", text));
  };
  EnvFacts f = facts(
      "context.configure(connection=c, version_table='shop_versions',\n"
      "                  version_table_schema=\"meta\")\n");
  CHECK(f.version_table == "shop_versions");
  CHECK(f.version_table_schema == "meta");
  CHECK_FALSE(f.version_table_dynamic);

  EnvFacts none = facts("context.configure(connection=c)\n");
  CHECK_FALSE(none.version_table);
  CHECK_FALSE(none.version_table_dynamic);

  EnvFacts dynamic = facts("context.configure(connection=c, version_table=settings.TABLE)\n");
  CHECK(dynamic.version_table_dynamic);

  EnvFacts commented = facts("# version_table='old'\ncontext.configure(version_table = 'v2')\n");
  CHECK(commented.version_table == "v2");

  EnvFacts schema_none = facts("context.configure(version_table_schema=None)\n");
  CHECK(schema_none.version_table_schema == "");
  CHECK_FALSE(schema_none.version_table_dynamic);
}

}  // namespace
}  // namespace alint
