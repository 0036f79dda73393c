// The lock summary: per table strongest lock, blocks, rewrite/scan, responsible statements,
// upgrade and downgrade apart; graph order; the text and JSON forms.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "lint/cli/locks.h"
#include "lint/discover/discover.h"

namespace alint {
namespace {

constexpr const char* kText = R"py("""add status to orders

Revision ID: 4f2a9c1d7e3b
"""
def upgrade():
    op.execute("CREATE TABLE widgets (id int)")
    op.execute("ALTER TABLE orders ADD COLUMN status text")
    op.execute("CREATE INDEX ix_orders_status ON orders (status)")
    op.execute("CREATE INDEX ix_widgets_id ON widgets (id)")

def downgrade():
    op.execute("DROP INDEX ix_orders_status")
)py";

struct Fixture {
  std::vector<SourceFile> files;
  Migration m;
  MigrationAnalysis a;

  Fixture() {
    files.emplace_back(0, "versions/4f2a9c1d7e3b_add_status.py", kText);
    files[0].display_path = files[0].path;
    m.file = 0;
    m.full = true;
    m.revision.kind = ValueKind::kString;
    m.revision.items.push_back({"4f2a9c1d7e3b", Span{0, 0, 0}});
    m.docstring.present = true;
    m.docstring.span = Span{0, 0, static_cast<uint32_t>(std::string(kText).find("\"\"\"\ndef"))};
  }

  void Add(std::string_view sql, Phase phase, std::vector<std::string> new_relations = {},
           std::optional<std::string> timeout = {}) {
    size_t at = files[0].text.find(sql);
    REQUIRE(at != std::string::npos);
    SqlAnalysis r = AnalyzeSql(sql);
    REQUIRE(!r.error);
    for (const StatementFacts& f : r.facts) {
      PlannedStatement st;
      st.facts = f;
      auto base = static_cast<uint32_t>(at);
      st.span = Span{0, base + f.begin, base + f.end};
      st.anchor = Span{0, base + f.anchor, base + f.anchor_end};
      st.phase = phase;
      st.new_relations = new_relations;
      st.lock_timeout = timeout;
      a.statements.push_back(std::move(st));
    }
  }
};

TEST_CASE("SummarizeLocks: strongest lock per table, new tables, phases apart") {
  Fixture fx;
  fx.Add("CREATE TABLE widgets (id int)", Phase::kUpgrade);
  fx.Add("ALTER TABLE orders ADD COLUMN status text", Phase::kUpgrade, {}, "5s");
  fx.Add("CREATE INDEX ix_orders_status ON orders (status)", Phase::kUpgrade);
  fx.Add("CREATE INDEX ix_widgets_id ON widgets (id)", Phase::kUpgrade, {"widgets"});
  fx.Add("DROP INDEX ix_orders_status", Phase::kDowngrade);
  MigrationLocks l = SummarizeLocks(fx.m, fx.files[0], fx.a);
  CHECK(l.revision == "4f2a9c1d7e3b");
  CHECK(l.title == "add status to orders");

  const TableLocks* orders = nullptr;
  const TableLocks* widgets = nullptr;
  for (const TableLocks& t : l.upgrade.tables) {
    if (t.table == "orders") orders = &t;
    if (t.table == "widgets") widgets = &t;
  }
  REQUIRE(orders != nullptr);
  CHECK(orders->lock == LockMode::kAccessExclusive);
  CHECK(orders->scan);  // the index build
  CHECK_FALSE(orders->rewrite);
  REQUIRE(orders->statements.size() == 2);
  CHECK(orders->statements[0].lock == LockMode::kAccessExclusive);
  CHECK(orders->statements[1].lock == LockMode::kShare);
  REQUIRE(widgets != nullptr);
  CHECK(widgets->is_new);

  REQUIRE(l.downgrade.tables.size() >= 1);
  bool via_index = false;
  for (const TableLocks& t : l.downgrade.tables)
    via_index = via_index ||
                (t.table == "table of ix_orders_status" && t.lock == LockMode::kAccessExclusive);
  CHECK(via_index);  // DROP INDEX locks a table the SQL does not name

  std::vector<MigrationLocks> all{l};
  std::string text = FormatLocksText(all, fx.files);
  CAPTURE(text);
  CHECK(text.find("## 4f2a9c1d7e3b: add status to orders\n") == 0);
  CHECK(text.find("| `orders` | ACCESS EXCLUSIVE | reads, writes | no | yes | none | 7:36 ALTER "
                  "TABLE orders ADD COLUMN status; 8:17 CREATE INDEX ix_orders_status ON "
                  "orders |") != std::string::npos);
  CHECK(text.find("| `widgets` (new) |") != std::string::npos);
  CHECK(text.find("nobody (new)") != std::string::npos);
  CHECK(text.find("downgrade():") != std::string::npos);
  CHECK(text.find("`table of ix_orders_status` | ACCESS EXCLUSIVE") != std::string::npos);

  auto j = nlohmann::json::parse(FormatLocksJson(all, fx.files));
  CHECK(j["version"] == 1);
  const auto& mj = j["migrations"][0];
  CHECK(mj["revision"] == "4f2a9c1d7e3b");
  CHECK(mj["path"] == "versions/4f2a9c1d7e3b_add_status.py");
  const auto& tj = mj["upgrade"]["tables"];
  bool found = false;
  for (const auto& t : tj) {
    if (t["table"] != "orders") continue;
    found = true;
    CHECK(t["lock"] == "ACCESS EXCLUSIVE");
    CHECK(t["blocks_reads"] == true);
    CHECK(t["blocks_writes"] == true);
    CHECK(t["scan"] == true);
    CHECK(t["lock_timeout"].is_null());  // the index build ran without one
    CHECK(t["statements"][0]["line"] == 7);
    CHECK(t["statements"][0]["lock_timeout"] == "5s");
  }
  CHECK(found);
}

TEST_CASE("SummarizeLocks: what cannot be analysed is listed") {
  Fixture fx;
  fx.m.dynamic_sql.push_back({Span{0, 10, 20}, "op.execute", "f-string", Phase::kUpgrade});
  fx.a.sql_errors.push_back({Span{0, 30, 31}, "syntax error at end of input", Phase::kDowngrade});
  MigrationLocks l = SummarizeLocks(fx.m, fx.files[0], fx.a);
  REQUIRE(l.upgrade.unknown.size() == 1);
  CHECK(l.upgrade.unknown[0].reason == "SQL built at run time (f-string) via op.execute");
  REQUIRE(l.downgrade.unknown.size() == 1);
  std::vector<MigrationLocks> all{l};
  std::string text = FormatLocksText(all, fx.files);
  CHECK(text.find("not analysed: ") != std::string::npos);
  CHECK(text.find("SQL error: syntax error at end of input") != std::string::npos);
}

std::string Mig(const std::string& rev, const std::string& down) {
  return "revision = \"" + rev + "\"\ndown_revision = " + down + "\n";
}

TEST_CASE("the transaction model: from env.py or the .sql file, said when it changes") {
  Fixture fx;
  CHECK(TransactionModel(fx.m, nullptr, false) == "per-run");
  EnvFacts env;
  env.found = true;
  CHECK(TransactionModel(fx.m, &env, false) == "per-run");
  env.transaction_per_migration = true;
  CHECK(TransactionModel(fx.m, &env, false) == "per-migration");
  env.transactional_ddl = false;
  CHECK(TransactionModel(fx.m, &env, false) == "none");
  Migration sql_file;
  sql_file.sql.emplace_back();
  sql_file.sql.back().via = "sql file";
  CHECK(TransactionModel(sql_file, &env, false) == "psql");
  CHECK(TransactionModel(sql_file, nullptr, true) == "file");

  MigrationLocks a = SummarizeLocks(fx.m, fx.files[0], fx.a);
  a.transaction = "per-run";
  std::vector<MigrationLocks> all{a, a, a};
  all[2].transaction = "per-migration";
  std::string text = FormatLocksText(all, fx.files);
  CHECK(text.rfind("Transactions: Alembic's default: one transaction for all the migrations", 0) ==
        0);
  size_t said = 0;
  for (size_t at = text.find("Transactions:"); at != std::string::npos;
       at = text.find("Transactions:", at + 1)) {
    ++said;
  }
  CHECK(said == 2);  // not again for the second migration of the same model
  CHECK(text.find("Transactions: one transaction per migration (env.py: "
                  "transaction_per_migration=True)") != std::string::npos);
  CHECK(FormatLocksJson(all, fx.files).find("\"transaction\": \"per-migration\"") !=
        std::string::npos);
}

TEST_CASE("GraphOrder: base to heads, not file order") {
  MemoryFileSource fs;
  // File names sort opposite to the chain: c (base) <- b <- a.
  fs.Add("versions/a.py", Mig("aaaa", "\"bbbb\""));
  fs.Add("versions/b.py", Mig("bbbb", "\"cccc\""));
  fs.Add("versions/c.py", Mig("cccc", "None"));
  fs.Add("versions/d.py", "x = 1\n");  // not a revision: listed last
  auto d = Discover(fs, {"versions"});
  REQUIRE(d.ok());
  LoadOptions lo;
  lo.target_mode = ParseMode::kHeader;
  Workspace ws = LoadWorkspace(fs, *d, lo);
  REQUIRE(ws.envs.size() == 1);
  std::vector<std::string> names;
  for (FileId f : GraphOrder(ws, 0)) names.push_back(BaseName(ws.files[f].path));
  CHECK(names == std::vector<std::string>{"c.py", "b.py", "a.py", "d.py"});
}

}  // namespace
}  // namespace alint
