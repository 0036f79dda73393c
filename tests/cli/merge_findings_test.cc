// One statement, one finding: the lock and data rules that fire on the same statement are
// merged into one diagnostic (MergeSameStatement), after suppressions and --ignore, with every
// rule id kept in the JSON.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli/cli_test_util.h"

namespace alint {
namespace {

namespace fs = std::filesystem;
using testing::RunBinary;

// The CREATE INDEX on line 12 is the first statement that waits without a timeout (the SET
// LOCAL before it disables the one the ALTER ran under), builds an index without
// CONCURRENTLY, and runs while the ALTER's ACCESS EXCLUSIVE lock on `users` is held: three
// rules on one statement.
std::string Migration(const std::string& trailing) {
  return "revision = \"3f2a9c1d7b4e\"\n"
         "down_revision = None\n"
         "\n"
         "from alembic import op\n"
         "\n"
         "\n"
         "def upgrade():\n"
         "    op.execute(\"SET LOCAL lock_timeout = '5s'\")\n"
         "    op.execute(\"ALTER TABLE users ADD COLUMN nickname text\")\n"
         "    op.execute(\"SET LOCAL lock_timeout = 0\")\n"
         "\n"
         "    op.execute(\"CREATE INDEX ix_orders_status ON orders (status)\")" +
         trailing +
         "\n"
         "\n"
         "\n"
         "def downgrade():\n"
         "    pass\n";
}

struct Project {
  fs::path dir;
  Project() {
    dir = fs::temp_directory_path() / ("alint_merge_" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "versions");
  }
  ~Project() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void Write(const std::string& text) const {
    std::ofstream(dir / "versions" / "3f2a9c1d7b4e_index.py", std::ios::binary) << text;
  }
  nlohmann::json Check(const std::string& extra = "") const {
    testing::Run r =
        RunBinary("check --no-config --format json " + extra + " " + (dir / "versions").string());
    return nlohmann::json::parse(r.out);
  }
};

std::vector<std::string> Rules(const nlohmann::json& f) {
  return f["rules"].get<std::vector<std::string>>();
}

TEST_CASE("three rules on one statement give one finding with the others as notes") {
  Project p;
  p.Write(Migration(""));
  auto j = p.Check();
  nlohmann::json at12 = nlohmann::json::array();
  for (const auto& f : j["findings"]) {
    if (!f["location"].is_null() && f["location"]["line"] == 12) at12.push_back(f);
  }
  REQUIRE(at12.size() == 1);
  const auto& f = at12[0];
  // The statement's own rule is the headline; the transaction-wide ones are notes.
  CHECK(f["rule"] == "create-index-non-concurrent");
  CHECK(Rules(f) == std::vector<std::string>{"create-index-non-concurrent", "exclusive-lock-held",
                                             "missing-lock-timeout"});
  REQUIRE(f["notes"].size() == 2);
  CHECK(f["notes"][0]["rule"] == "exclusive-lock-held");
  CHECK(f["notes"][0]["severity"] == "warning");
  CHECK(f["notes"][0]["message"].get<std::string>().find("ACCESS EXCLUSIVE lock on `users`") !=
        std::string::npos);
  CHECK(f["notes"][1]["rule"] == "missing-lock-timeout");
  const std::string timeout = f["notes"][1]["message"].get<std::string>();
  CHECK(timeout.rfind("the transaction takes SHARE on `orders` with lock_timeout set to `0`, "
                      "which disables it; `CREATE INDEX ix_orders_status ON orders` is the first "
                      "to wait: ",
                      0) == 0);
  // One help covering all three: the concurrent build, then the others' own advice.
  const std::string help = f["help"].get<std::string>();
  CHECK(help.find("CREATE INDEX CONCURRENTLY") != std::string::npos);
  CHECK(help.find("and for exclusive-lock-held: ") != std::string::npos);
  CHECK(help.find("and for missing-lock-timeout: ") != std::string::npos);
  // Related locations of every reason are kept (the ALTER that took the lock).
  bool alter_related = false;
  for (const auto& r : f["related"]) alter_related = alter_related || r["location"]["line"] == 9;
  CHECK(alter_related);

  // Text shows one diagnostic with the notes.
  testing::Run text = RunBinary("check --no-config --color never " + (p.dir / "versions").string());
  CHECK(text.out.find("warning[create-index-non-concurrent]") != std::string::npos);
  CHECK(text.out.find("warning[exclusive-lock-held]") == std::string::npos);
  CHECK(text.out.find("= note[exclusive-lock-held]: ") != std::string::npos);
  CHECK(text.out.find("= note[missing-lock-timeout]: ") != std::string::npos);
  // Concise keeps every id, each in its own brackets.
  testing::Run concise =
      RunBinary("check --no-config --format concise " + (p.dir / "versions").string());
  CHECK(concise.out.find(":12:17: warning: creating index `ix_orders_status` without "
                         "CONCURRENTLY") != std::string::npos);
  CHECK(concise.out.find("[create-index-non-concurrent] [exclusive-lock-held] "
                         "[missing-lock-timeout]\n") != std::string::npos);
  // The statistics count every rule, the merged ones as notes.
  testing::Run stats = RunBinary("check --no-config --statistics " + (p.dir / "versions").string());
  CHECK(stats.out.find("  1  warning  create-index-non-concurrent\n") != std::string::npos);
  CHECK(stats.out.find("  1  warning  exclusive-lock-held (all as notes)\n") != std::string::npos);
  CHECK(stats.out.find("  1  warning  missing-lock-timeout (all as notes)\n") != std::string::npos);
  // The info: irreversible-migration (downgrade() is `pass` while upgrade() adds a column).
  CHECK(stats.out.find("  1  info     irreversible-migration\n") != std::string::npos);
  CHECK(stats.out.find("Found 1 warning and 1 info in 1 file.\n") != std::string::npos);
}

TEST_CASE("ignoring or suppressing one merged rule keeps the others") {
  Project p;
  p.Write(Migration(""));
  auto ignored = p.Check("--ignore exclusive-lock-held");
  size_t at12 = 0;
  for (const auto& f : ignored["findings"]) {
    if (f["location"].is_null() || f["location"]["line"] != 12) continue;
    ++at12;
    CHECK(Rules(f) ==
          std::vector<std::string>{"create-index-non-concurrent", "missing-lock-timeout"});
  }
  CHECK(at12 == 1);

  // A suppression of the headline rule: the others stay, one of them becomes the headline;
  // the suppression is used (no unused-suppression).
  p.Write(Migration("  # alembic-lint: ignore[create-index-non-concurrent]"));
  auto suppressed = p.Check();
  at12 = 0;
  for (const auto& f : suppressed["findings"]) {
    CHECK(f["rule"] != "unused-suppression");
    if (f["location"].is_null() || f["location"]["line"] != 12) continue;
    ++at12;
    CHECK(f["rule"] == "exclusive-lock-held");
    CHECK(Rules(f) == std::vector<std::string>{"exclusive-lock-held", "missing-lock-timeout"});
  }
  CHECK(at12 == 1);

  // Selecting one rule: a plain finding, no notes.
  auto selected = p.Check("--select missing-lock-timeout");
  REQUIRE(selected["findings"].size() == 1);
  CHECK(Rules(selected["findings"][0]) == std::vector<std::string>{"missing-lock-timeout"});
  CHECK(selected["findings"][0]["notes"].empty());
}

}  // namespace
}  // namespace alint
