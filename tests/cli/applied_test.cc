// `applied` and `baseline`: adopting alembic-lint on a history production already ran.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "lint/config/config_edit.h"
#include "tests/cli/cli_test_util.h"

namespace alint {
namespace {

using testing::RunBinary;
namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A migration that drops `column` from users (drop-column, a data rule), with a docstring
// that names another parent (docstring-mismatch, a structure rule).
void WriteMigration(const fs::path& versions, const std::string& rev, const std::string& down,
                    const std::string& column) {
  std::ofstream(versions / (rev + "_drop_" + column + ".py"))
      << "\"\"\"drop " << column << "\n\nRevision ID: " << rev << "\nRevises: 0999"
      << "\n\"\"\"\nfrom alembic import op\n\nrevision = \"" << rev
      << "\"\ndown_revision = " << (down.empty() ? "None" : "\"" + down + "\"")
      << "\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    "
         "op.drop_column(\"users\", \""
      << column << "\")\n\n\ndef downgrade():\n    pass\n";
}

// 0001 <- 0002 <- 0003: each drops a column. Returns the project root.
fs::path Project(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / (name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "migrations" / "versions");
  std::ofstream(dir / "alembic.ini") << "[alembic]\nscript_location = migrations\n";
  const fs::path v = dir / "migrations" / "versions";
  WriteMigration(v, "0001", "", "a");
  WriteMigration(v, "0002", "0001", "b");
  WriteMigration(v, "0003", "0002", "c");
  return dir;
}

// (rule, file stem) of every finding.
std::multiset<std::pair<std::string, std::string>> Findings(const std::string& out) {
  std::multiset<std::pair<std::string, std::string>> r;
  const nlohmann::json j = nlohmann::json::parse(out);
  for (const auto& f : j["findings"]) {
    std::string path = f["location"].is_null() ? "" : f["location"]["path"].get<std::string>();
    r.insert({f["rule"].get<std::string>(), fs::path(path).filename().string().substr(0, 4)});
  }
  return r;
}

size_t Count(const std::multiset<std::pair<std::string, std::string>>& f, const std::string& rule,
             const std::string& file) {
  return f.count({rule, file});
}

TEST_CASE("applied: lock and data rules skip the applied revision and its ancestors") {
  fs::path dir = Project("alint_applied");
  const std::string root = dir.string();
  auto before = Findings(RunBinary("check --format json " + root).out);
  for (const char* f : {"0001", "0002", "0003"}) {
    CHECK(Count(before, "drop-column", f) == 1);
    CHECK(Count(before, "docstring-mismatch", f) == 1);
  }
  std::ofstream(dir / ".alembic-lint.toml") << "applied = \"0002\"\n";
  auto after = Findings(RunBinary("check --format json " + root).out);
  // 0002 and its ancestor 0001 ran in production: no drop-column there; 0003 still has one.
  CHECK(Count(after, "drop-column", "0001") == 0);
  CHECK(Count(after, "drop-column", "0002") == 0);
  CHECK(Count(after, "drop-column", "0003") == 1);
  // Structure and chain rules still see every file.
  for (const char* f : {"0001", "0002", "0003"}) CHECK(Count(after, "docstring-mismatch", f) == 1);
  // --applied overrides the config; a list names one revision per branch.
  auto flag = Findings(RunBinary("check --format json --applied 0003 " + root).out);
  CHECK(Count(flag, "drop-column", "0003") == 0);
  std::ofstream(dir / ".alembic-lint.toml") << "applied = [\"0001\"]\n";
  auto list = Findings(RunBinary("check --format json " + root).out);
  CHECK(Count(list, "drop-column", "0001") == 0);
  CHECK(Count(list, "drop-column", "0002") == 1);

  // A graph rule fires on an applied file: a fork off 0001 gives two heads whatever `applied`.
  WriteMigration(dir / "migrations" / "versions", "0004", "0001", "d");
  std::ofstream(dir / ".alembic-lint.toml") << "applied = [\"0003\", \"0004\"]\n";
  auto fork = Findings(RunBinary("check --format json " + root).out);
  CHECK(Count(fork, "multiple-heads", "0004") + Count(fork, "multiple-heads", "0003") == 1);
  CHECK(Count(fork, "drop-column", "0004") == 0);
  CHECK(Count(fork, "drop-column", "0003") == 0);
  fs::remove(dir / "migrations" / "versions" / "0004_drop_d.py");

  // An unknown revision is a config error with the file, line and a did-you-mean.
  std::ofstream(dir / ".alembic-lint.toml") << "# history\napplied = [\"0001\", \"0009\"]\n";
  auto bad = RunBinary("check " + root, true);
  CHECK(bad.status == 2);
  CHECK(bad.out.find(".alembic-lint.toml:2:11: `applied` names revision `0009`, which is not "
                     "in environment") != std::string::npos);
  CHECK(bad.out.find("did you mean `000") != std::string::npos);
  auto bad_flag = RunBinary("check --applied zzzz " + root, true);
  CHECK(bad_flag.status == 2);
  CHECK(bad_flag.out.find("--applied: `applied` names revision `zzzz`") != std::string::npos);
  std::ofstream(dir / ".alembic-lint.toml") << "applied = 12\n";
  auto typed = RunBinary("check " + root, true);
  CHECK(typed.status == 2);
  CHECK(typed.out.find("`applied` must be a revision id or an array of them") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("baseline writes the heads into the config, keeps the rest, and is idempotent") {
  fs::path dir = Project("alint_baseline");
  const std::string root = dir.string();
  // No config yet: .alembic-lint.toml is created in PATH.
  auto first = RunBinary("baseline " + root, true);
  CHECK(first.status == 0);
  CHECK(first.out.find("applied = [\"0003\"]") != std::string::npos);
  std::string created = Read(dir / ".alembic-lint.toml");
  CHECK(created.find("applied = [\"0003\"]\n") != std::string::npos);
  auto after = Findings(RunBinary("check --format json " + root).out);
  CHECK(Count(after, "drop-column", "0003") == 0);
  CHECK(Count(after, "docstring-mismatch", "0003") == 1);
  // Again: nothing changes.
  auto again = RunBinary("baseline " + root, true);
  CHECK(again.status == 0);
  CHECK(again.out.find("already names the current heads") != std::string::npos);
  CHECK(Read(dir / ".alembic-lint.toml") == created);

  // An existing config: the key is replaced in place, every other byte kept.
  const std::string mine =
      "# team settings\nfail-on = \"error\"   # keep me\napplied = [\n  \"0001\",\n]\n\n"
      "[severity]\ndrop-column = \"warning\"\n";
  std::ofstream(dir / ".alembic-lint.toml", std::ios::binary) << mine;
  WriteMigration(dir / "migrations" / "versions", "0005", "0003", "e");
  CHECK(RunBinary("baseline " + root, true).status == 0);
  CHECK(Read(dir / ".alembic-lint.toml") ==
        "# team settings\nfail-on = \"error\"   # keep me\napplied = [\"0005\"]\n\n"
        "[severity]\ndrop-column = \"warning\"\n");

  // pyproject.toml with [tool.alembic-lint]: the key goes under the header.
  fs::remove(dir / ".alembic-lint.toml");
  const std::string py =
      "[project]\nname = \"shop\"\n\n[tool.alembic-lint]\nfail-on = \"error\"\n\n[tool.ruff]\n"
      "line-length = 100\n";
  std::ofstream(dir / "pyproject.toml", std::ios::binary) << py;
  CHECK(RunBinary("baseline " + root, true).status == 0);
  std::string edited = Read(dir / "pyproject.toml");
  CHECK(edited.rfind("[project]\nname = \"shop\"\n\n[tool.alembic-lint]\n# ", 0) == 0);
  CHECK(edited.find("\napplied = [\"0005\"]\nfail-on = \"error\"\n\n[tool.ruff]\nline-length = "
                    "100\n") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / ".alembic-lint.toml"));

  // Two heads: both are written, one per branch.
  WriteMigration(dir / "migrations" / "versions", "0006", "0003", "f");
  CHECK(RunBinary("baseline " + root, true).status == 0);
  CHECK(Read(dir / "pyproject.toml").find("applied = [\"0005\", \"0006\"]") != std::string::npos);

  // A broken graph (a duplicate revision id): refused, nothing written.
  const std::string kept = Read(dir / "pyproject.toml");
  WriteMigration(dir / "migrations" / "versions", "0006", "0005", "g");  // 0006_drop_g.py
  auto broken = RunBinary("baseline " + root, true);
  CHECK(broken.status == 2);
  CHECK(broken.out.find("not writing a baseline: revision 0006 is declared by 2 files") !=
        std::string::npos);
  CHECK(Read(dir / "pyproject.toml") == kept);
  fs::remove_all(dir);
}

TEST_CASE("baseline refuses a history with a cycle") {
  fs::path dir = Project("alint_baseline_cycle");
  const fs::path v = dir / "migrations" / "versions";
  fs::remove(v / "0001_drop_a.py");
  WriteMigration(v, "0001", "0003", "a");  // 0001 <- 0002 <- 0003 <- 0001
  auto r = RunBinary("baseline " + dir.string(), true);
  CHECK(r.status == 2);
  CHECK(r.out.find("not writing a baseline") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / ".alembic-lint.toml"));
  fs::remove_all(dir);
}

TEST_CASE("SetAppliedInConfigText edits one key and keeps every other byte") {
  // Appended after the leading comments of a .alembic-lint.toml, before any table.
  auto a = SetAppliedInConfigText("# ours\n\n[severity]\ndrop-table = \"info\"\n", false, {"ab"});
  REQUIRE(a.ok());
  CHECK(a->rfind("# ours\n\n# ", 0) == 0);
  CHECK(a->find("\napplied = [\"ab\"]\n[severity]\ndrop-table = \"info\"\n") != std::string::npos);
  // CRLF files stay CRLF.
  auto crlf = SetAppliedInConfigText("fail-on = \"error\"\r\n", false, {"ab"});
  REQUIRE(crlf.ok());
  CHECK(crlf->find("applied = [\"ab\"]\r\nfail-on = \"error\"\r\n") != std::string::npos);
  // A pyproject without the table gets one at the end.
  auto py = SetAppliedInConfigText("[project]\nname = \"x\"", true, {"ab", "cd"});
  REQUIRE(py.ok());
  CHECK(py->rfind("[project]\nname = \"x\"\n\n[tool.alembic-lint]\n# ", 0) == 0);
  CHECK(py->find("applied = [\"ab\", \"cd\"]\n") != std::string::npos);
  // An existing value in place, however it was written.
  auto existing = SetAppliedInConfigText("applied = \"old\"\nselect = [\"ALL\"]\n", false, {"ab"});
  REQUIRE(existing.ok());
  CHECK(*existing == "applied = [\"ab\"]\nselect = [\"ALL\"]\n");
  // Invalid TOML is refused, never rewritten.
  CHECK_FALSE(SetAppliedInConfigText("applied = [\n", false, {"ab"}).ok());
}

}  // namespace
}  // namespace alint
