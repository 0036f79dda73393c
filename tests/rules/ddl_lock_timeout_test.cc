// missing-lock-timeout, exclusive-lock-held, sql-parse-error and dynamic-sql on hand-built
// analyses: statements come from the real SQL model (AnalyzeSql), placed at the position of
// their SQL literal in an in-memory migration, with the transaction and lock_timeout given.
#include <doctest/doctest.h>

#include <deque>
#include <optional>
#include <string>

#include "lint/analysis/migration_analysis.h"
#include "lint/rulekit/lock_timeout_util.h"
#include "tests/rules/ddl_test_util.h"
#include "tests/rules/structure_test_util.h"

namespace alint {
namespace {

using testing::GetRule;
using testing::RuleHarness;

struct Step {
  Phase phase = Phase::kUpgrade;
  uint32_t transaction = 0;
  std::optional<std::string> lock_timeout;
  bool in_transaction = true;
  std::vector<std::string> new_relations;
};

// A migration text plus the analysis the analysis layer would produce for it.
struct Planned {
  RuleHarness h;
  FileId id = 0;
  Migration m;
  MigrationAnalysis a;

  explicit Planned(std::string text) {
    id = h.Add("versions/0001_x.py", std::move(text));
    m.file = id;
    m.full = true;
  }

  // Every statement of `sql` (which must appear verbatim in the file), in order.
  void Add(std::string_view sql, Step step = {}) {
    Span at = h.Find(id, sql);
    SqlAnalysis r = AnalyzeSql(sql);
    REQUIRE_MESSAGE(!r.error, "test SQL does not parse: " << sql);
    for (const StatementFacts& f : r.facts) {
      PlannedStatement st;
      st.facts = f;
      st.span = Span{id, at.begin + f.begin, at.begin + f.end};
      st.anchor = Span{id, at.begin + f.anchor, at.begin + f.anchor_end};
      st.phase = step.phase;
      st.transaction = step.transaction;
      st.lock_timeout = step.lock_timeout;
      st.in_transaction = step.in_transaction;
      st.new_relations = step.new_relations;
      a.statements.push_back(std::move(st));
    }
  }

  std::vector<Finding> Run(std::string_view rule) {
    h.findings.clear();
    const Rule& r = GetRule(rule);
    RuleContext ctx(r.info(), r.info().default_severity, h.settings, h.files, &h.findings);
    ctx.set_analysis(&a);
    r.CheckMigration(m, ctx);
    return h.findings;
  }

  uint32_t Line(Span s) const { return h.Where(s).line; }
};

constexpr const char* kTwoAlters = R"py(revision = "0001"
down_revision = None

def upgrade():
    op.execute("ALTER TABLE users ADD COLUMN email text")
    op.execute("CREATE INDEX ix_orders_user ON orders (user_id)")

def downgrade():
    op.execute("ALTER TABLE users DROP COLUMN email")
)py";

TEST_CASE("missing-lock-timeout: one finding per transaction, at the first strong lock") {
  Planned p(kTwoAlters);
  p.Add("ALTER TABLE users ADD COLUMN email text");
  p.Add("CREATE INDEX ix_orders_user ON orders (user_id)");
  p.Add("ALTER TABLE users DROP COLUMN email", {Phase::kDowngrade, 1});
  auto f = p.Run("missing-lock-timeout");
  REQUIRE(f.size() == 2);
  CHECK(p.Line(f[0].span) == 5);
  CHECK(p.h.Where(f[0].span).column == 35);  // `ADD COLUMN` inside the string
  CHECK(f[0].severity == Severity::kWarning);
  // Names every table the transaction locks, the strongest lock, and the first statement.
  CHECK(f[0].message.find("the transaction locks `users` (ACCESS EXCLUSIVE) and "
                          "`orders` (SHARE) with no lock_timeout") != std::string::npos);
  CHECK(f[0].message.find("meanwhile new reads and writes on `users` queue behind it") !=
        std::string::npos);
  CHECK(f[0].message.find("((") == std::string::npos);
  CHECK(f[0].message.find("`ALTER TABLE users ADD COLUMN email` is the first to wait") !=
        std::string::npos);
  REQUIRE(f[0].related.size() == 1);
  CHECK(p.Line(f[0].related[0].span) == 6);
  CHECK(f[0].related[0].message.find("SHARE lock on `orders`") != std::string::npos);
  REQUIRE(f[0].help);
  CHECK(f[0].help->find("op.execute(\"SET LOCAL lock_timeout = '5s'\")") != std::string::npos);
  CHECK(f[0].help->find("connect_args={\"options\": \"-c lock_timeout=5s\"}") != std::string::npos);
  // downgrade(): reported apart, one step lower.
  CHECK(p.Line(f[1].span) == 9);
  CHECK(f[1].severity == Severity::kInfo);
  CHECK(f[1].message.find("in downgrade()") != std::string::npos);
}

TEST_CASE("missing-lock-timeout: a timeout in effect, new tables and weak locks are fine") {
  Planned p(kTwoAlters);
  p.Add("ALTER TABLE users ADD COLUMN email text", {Phase::kUpgrade, 0, "5s"});
  p.Add("CREATE INDEX ix_orders_user ON orders (user_id)",
        {Phase::kUpgrade, 0, std::nullopt, true, {"orders"}});
  CHECK(p.Run("missing-lock-timeout").empty());

  Planned zero(kTwoAlters);
  zero.Add("ALTER TABLE users ADD COLUMN email text", {Phase::kUpgrade, 0, "'0'"});
  auto f = zero.Run("missing-lock-timeout");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("disables it") != std::string::npos);

  Planned weak(R"py(op.execute("CREATE INDEX CONCURRENTLY ix ON orders (user_id)")
op.execute("SELECT * FROM orders"))py");
  weak.Add("CREATE INDEX CONCURRENTLY ix ON orders (user_id)", {Phase::kUpgrade, 0, {}, false});
  weak.Add("SELECT * FROM orders", {Phase::kUpgrade, 1});
  CHECK(weak.Run("missing-lock-timeout").empty());
}

TEST_CASE("missing-lock-timeout: a foreign key to an existing table from a new one") {
  Planned p(R"py(op.execute("CREATE TABLE items (id int, user_id int REFERENCES users (id))"))py");
  p.Add("CREATE TABLE items (id int, user_id int REFERENCES users (id))");
  auto f = p.Run("missing-lock-timeout");
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("the transaction takes SHARE ROW EXCLUSIVE on `users` with no "
                          "lock_timeout;") != std::string::npos);
  CHECK(f[0].message.find("meanwhile new writes on `users` queue behind it") != std::string::npos);
}

TEST_CASE("missing-lock-timeout: autocommit statements are separate transactions") {
  Planned p(R"py(op.execute("ALTER TABLE users ADD COLUMN a int")
op.execute("ALTER TABLE users ADD COLUMN b int"))py");
  p.Add("ALTER TABLE users ADD COLUMN a int", {Phase::kUpgrade, 0, {}, false});
  p.Add("ALTER TABLE users ADD COLUMN b int", {Phase::kUpgrade, 1, {}, false});
  auto f = p.Run("missing-lock-timeout");
  REQUIRE(f.size() == 2);
  CHECK(f[0].help->find("autocommit_block") != std::string::npos);
  CHECK(f[0].help->find("SET LOCAL") == std::string::npos);
}

constexpr const char* kBackfill = R"py(def upgrade():
    op.execute("ALTER TABLE orders ADD COLUMN status text")
    op.execute("UPDATE orders SET status = 'new'")
    op.execute("CREATE INDEX ix_orders_status ON orders (status)")
    op.execute("ALTER TABLE orders ALTER COLUMN status TYPE varchar(20)")
)py";

TEST_CASE("exclusive-lock-held: slow statements after an ACCESS EXCLUSIVE lock") {
  Planned p(kBackfill);
  p.Add("ALTER TABLE orders ADD COLUMN status text");
  p.Add("UPDATE orders SET status = 'new'");
  p.Add("CREATE INDEX ix_orders_status ON orders (status)");
  p.Add("ALTER TABLE orders ALTER COLUMN status TYPE varchar(20)");
  auto f = p.Run("exclusive-lock-held");
  // The UPDATE and the index build extend the lock; the type change rewrites `orders` under
  // its own ACCESS EXCLUSIVE lock, which the earlier one does not make longer.
  REQUIRE(f.size() == 2);
  CHECK(p.Line(f[0].span) == 3);
  CHECK(f[0].message.find("updates every row of `orders` while") != std::string::npos);
  CHECK(f[0].message.find("taken at line 2") != std::string::npos);
  REQUIRE(f[0].related.size() == 1);
  CHECK(p.Line(f[0].related[0].span) == 2);
  CHECK(p.Line(f[1].span) == 4);
  CHECK(f[1].message.find("builds an index on `orders`") != std::string::npos);
  REQUIRE(f[1].help);
  CHECK(f[1].help->find("own migration") != std::string::npos);
}

TEST_CASE("exclusive-lock-held: separate transactions, new tables, and the lock taken later") {
  Planned split(kBackfill);
  split.Add("ALTER TABLE orders ADD COLUMN status text", {Phase::kUpgrade, 0});
  split.Add("UPDATE orders SET status = 'new'", {Phase::kUpgrade, 1, {}, false});
  split.Add("CREATE INDEX ix_orders_status ON orders (status)", {Phase::kUpgrade, 2, {}, false});
  CHECK(split.Run("exclusive-lock-held").empty());

  Planned fresh(kBackfill);
  Step is_new{Phase::kUpgrade, 0, {}, true, {"orders"}};
  fresh.Add("ALTER TABLE orders ADD COLUMN status text", is_new);
  fresh.Add("UPDATE orders SET status = 'new'", is_new);
  CHECK(fresh.Run("exclusive-lock-held").empty());

  // Slow work first, then the quick exclusive change: the lock is short.
  Planned first(R"py(op.execute("CREATE INDEX ix_orders_status ON orders (status)")
op.execute("ALTER TABLE orders ADD COLUMN status text"))py");
  first.Add("CREATE INDEX ix_orders_status ON orders (status)");
  first.Add("ALTER TABLE orders ADD COLUMN status text");
  CHECK(first.Run("exclusive-lock-held").empty());
}

TEST_CASE("exclusive-lock-held: NOT VALID then VALIDATE in one transaction holds the lock") {
  Planned p(R"py(def downgrade():
    op.execute("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID")
    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT positive")
)py");
  Step down{Phase::kDowngrade, 3};
  p.Add("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID", down);
  p.Add("ALTER TABLE orders VALIDATE CONSTRAINT positive", down);
  auto f = p.Run("exclusive-lock-held");
  REQUIRE(f.size() == 1);
  CHECK(p.Line(f[0].span) == 3);
  CHECK(f[0].message.find("validates a constraint on `orders`") != std::string::npos);
  CHECK(f[0].message.find("in downgrade()") != std::string::npos);
  CHECK(f[0].severity == Severity::kInfo);
}

TEST_CASE("sql-parse-error: Postgres' message at its position; lower in downgrade()") {
  Planned p(R"py(op.execute("ALTER TABLE users ADD COLUMN email text NOT NUL")
op.execute("SELEC 1"))py");
  p.a.sql_errors.push_back(
      {p.h.Find(p.id, "NUL\""), "syntax error at or near \"NUL\"", Phase::kUpgrade});
  p.a.sql_errors.push_back(
      {p.h.Find(p.id, "SELEC"), "syntax error at or near \"SELEC\"", Phase::kDowngrade});
  auto f = p.Run("sql-parse-error");
  REQUIRE(f.size() == 2);
  CHECK(f[0].severity == Severity::kError);
  CHECK(p.h.Where(f[0].span).column == 57);
  CHECK(f[0].message.find("syntax error at or near \"NUL\"") != std::string::npos);
  CHECK(f[1].severity == Severity::kWarning);
  CHECK(f[1].message.find("in downgrade()") != std::string::npos);

  // A configured severity stands, also in downgrade().
  p.h.settings.severity["sql-parse-error"] = Severity::kError;
  f = p.Run("sql-parse-error");
  REQUIRE(f.size() == 2);
  CHECK(f[1].severity == Severity::kError);
}

TEST_CASE("rules that read the analysis stay silent without one") {
  Planned p(kTwoAlters);
  p.Add("ALTER TABLE users ADD COLUMN email text");
  for (const char* rule : {"missing-lock-timeout", "exclusive-lock-held", "sql-parse-error"}) {
    CAPTURE(rule);
    const Rule& r = GetRule(rule);
    CHECK(r.NeedsBody());
    RuleContext ctx(r.info(), r.info().default_severity, p.h.settings, p.h.files, &p.h.findings);
    r.CheckMigration(p.m, ctx);
    CHECK(p.h.findings.empty());
  }
}

TEST_CASE("dynamic-sql: one info finding per run-time SQL, saying why") {
  Planned p(R"py(def upgrade():
    op.execute(f"ALTER TABLE {t} ADD COLUMN note text")
def downgrade():
    op.execute(sql)
)py");
  p.m.dynamic_sql.push_back(
      {p.h.Find(p.id, "f\"ALTER"), "op.execute", "f-string", Phase::kUpgrade});
  p.m.dynamic_sql.push_back(
      {p.h.Find(p.id, "sql)"), "op.execute", "variable `sql`", Phase::kDowngrade});
  auto f = p.Run("dynamic-sql");
  REQUIRE(f.size() == 2);
  CHECK(f[0].severity == Severity::kInfo);
  CHECK(p.Line(f[0].span) == 2);
  CHECK(f[0].message.find("op.execute") != std::string::npos);
  CHECK(f[0].message.find("(f-string)") != std::string::npos);
  CHECK(f[1].message.find("in downgrade()") != std::string::npos);
  CHECK(f[1].message.find("variable `sql`") != std::string::npos);
  CHECK(f[0].help->find("bindparams") != std::string::npos);
}

}  // namespace
}  // namespace alint

namespace alint {

TEST_CASE("missing-lock-timeout: the fix puts SET LOCAL lock_timeout first in the function") {
  auto fixed = [](const std::string& text) -> std::optional<std::string> {
    testing::DdlCase c(text);
    auto f = c.Run("missing-lock-timeout");
    if (f.empty() || !f[0].fix) return std::nullopt;
    CHECK(f[0].fix->applicability == Applicability::kUnsafe);  // it changes what runs
    std::string out = c.files[0].text;
    for (const Edit& e : f[0].fix->edits)
      out.replace(e.span.begin, e.span.end - e.span.begin, e.replacement);
    return out;
  };
  // After the docstring and comments, with the body's indentation.
  auto out = fixed(
      "revision = 'a1'\ndown_revision = None\n\n"
      "def upgrade() -> None:  # adds email\n    \"\"\"Add email.\n\n    Nullable.\"\"\"\n"
      "    # the column\n    op.add_column('users', sa.Column('email', sa.Text()))\n");
  REQUIRE(out);
  CHECK(
      out->find("    Nullable.\"\"\"\n    # the column\n    op.execute(\"SET LOCAL lock_timeout = "
                "'5s'\")\n    op.add_column(") != std::string::npos);
  // Tabs and CRLF are kept.
  out = fixed(
      "revision = 'a1'\r\ndown_revision = None\r\n\r\ndef upgrade(\r\n    ):\r\n"
      "\top.add_column('users', sa.Column('email', sa.Text()))\r\n");
  REQUIRE(out);
  CHECK(out->find("):\r\n\top.execute(\"SET LOCAL lock_timeout = '5s'\")\r\n\top.add_column(") !=
        std::string::npos);
  // A one-line body has nowhere to put it; a timeout set to 0 is a choice to look at, not fix.
  CHECK_FALSE(
      fixed("revision = 'a1'\ndown_revision = None\n\n"
            "def upgrade(): op.add_column('users', sa.Column('email', sa.Text()))\n"));
  CHECK_FALSE(
      fixed("revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n"
            "    op.execute(\"SET LOCAL lock_timeout = 0\")\n"
            "    op.add_column('users', sa.Column('email', sa.Text()))\n"));
  // Inside autocommit_block() SET LOCAL would not last: no fix.
  CHECK_FALSE(
      fixed("revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n"
            "    with op.get_context().autocommit_block():\n"
            "        op.execute('ALTER TABLE users ADD COLUMN email text')\n"));
}

}  // namespace alint
