// The command line end to end: default command, argument order, exit statuses, formats.
#include <doctest/doctest.h>

#include <unistd.h>
#include <filesystem>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "tests/cli/cli_test_util.h"

namespace alint {
namespace {

using testing::RunBinary;
namespace fs = std::filesystem;

const std::string kDemo = std::string(ALINT_SOURCE_DIR) + "/fixtures/demo";
const std::string kClean =
    std::string(ALINT_SOURCE_DIR) + "/fixtures/docstring_mismatch/ok_generated/versions";

TEST_CASE("`alembic-lint PATH` is `check PATH`; findings exit 1, a clean repo exits 0") {
  auto a = RunBinary("--format concise --no-config " + kDemo);
  auto b = RunBinary("check --format concise --no-config " + kDemo);
  CHECK(a.status == 1);
  CHECK(a.out == b.out);
  CHECK(a.out.find("[duplicate-revision]") != std::string::npos);
  auto clean =
      RunBinary("check --no-config --select multiple-heads,dangling-down-revision " + kClean);
  CHECK(clean.status == 0);
  CHECK(clean.out.find("No problems found.") != std::string::npos);
}

TEST_CASE("--select takes one comma-separated value per flag, so paths may follow it") {
  auto r = RunBinary(
      "check --no-config --format json --select dangling-down-revision,duplicate-revision "
      "--select multiple-heads " +
      kDemo);
  REQUIRE(r.status == 1);
  auto j = nlohmann::json::parse(r.out);
  std::set<std::string> rules;
  for (const auto& f : j["findings"]) rules.insert(f["rule"].get<std::string>());
  CHECK(rules ==
        std::set<std::string>{"dangling-down-revision", "duplicate-revision", "multiple-heads"});
}

TEST_CASE("text output: the chain first, then the statistics table, then the closing line") {
  auto r = RunBinary("check --no-config --color never " + kDemo);
  REQUIRE(r.status == 1);
  // Every graph finding comes before the first file finding, whatever the paths.
  const std::set<std::string> graph = {"dangling-down-revision", "multiple-heads",
                                       "duplicate-revision"};
  std::istringstream in(r.out);
  std::string line;
  bool file_seen = false, graph_after_file = false;
  size_t graph_count = 0;
  while (std::getline(in, line)) {
    const size_t open = line.find('['), close = line.find("]: ");
    if (open == std::string::npos || close == std::string::npos || line.rfind("  ", 0) == 0 ||
        line.find_first_of(' ') < open) {
      continue;
    }
    const std::string rule = line.substr(open + 1, close - open - 1);
    if (graph.count(rule)) {
      ++graph_count;
      if (file_seen) graph_after_file = true;
    } else {
      file_seen = true;
    }
  }
  CHECK(graph_count >= 3);
  CHECK(file_seen);
  CHECK_FALSE(graph_after_file);
  // The table: per rule and severity, then the busiest files; the headline stays last.
  const size_t table = r.out.find("Findings by rule:\n");
  const size_t files = r.out.find("Files with the most findings:\n");
  const size_t found = r.out.rfind("Found ");
  REQUIRE(table != std::string::npos);
  REQUIRE(files != std::string::npos);
  REQUIRE(found != std::string::npos);
  CHECK(table < files);
  CHECK(files < found);
  CHECK(r.out.find("error    duplicate-revision", table) != std::string::npos);
  CHECK(r.out.find("demo/migrations/versions/", files) != std::string::npos);
  CHECK(r.out.substr(found).find('\n') == r.out.size() - found - 1);

  // --statistics: the table and the headline only, same exit status.
  auto s = RunBinary("check --no-config --statistics " + kDemo);
  CHECK(s.status == 1);
  CHECK(s.out.rfind("Findings by rule:\n", 0) == 0);
  CHECK(s.out.find("-->") == std::string::npos);
  CHECK(s.out.substr(s.out.find("Files with the most findings:")) == r.out.substr(files));
  auto bad = RunBinary("check --no-config --statistics --format json " + kDemo, true);
  CHECK(bad.status == 2);
  CHECK(bad.out.find("--statistics") != std::string::npos);
}

TEST_CASE("--select and --ignore take categories as `rules` lists them") {
  auto graph = RunBinary("check --no-config --format json --select graph " + kDemo);
  REQUIRE(graph.status == 1);
  auto all = RunBinary("check --no-config --format json " + kDemo);
  auto rules_of = [](const std::string& out) {
    std::set<std::string> rules;
    const nlohmann::json j = nlohmann::json::parse(out);
    for (const auto& f : j["findings"]) rules.insert(f["rule"].get<std::string>());
    return rules;
  };
  CHECK(rules_of(graph.out) ==
        std::set<std::string>{"dangling-down-revision", "duplicate-revision", "multiple-heads"});
  // Ignoring the category leaves everything else.
  auto rest = RunBinary("check --no-config --format json --ignore graph " + kDemo);
  std::set<std::string> expect = rules_of(all.out);
  for (const std::string& r : rules_of(graph.out)) expect.erase(r);
  CHECK_FALSE(expect.empty());
  CHECK(rules_of(rest.out) == expect);
  auto typo = RunBinary("check --no-config --select grapj " + kDemo, true);
  CHECK(typo.status == 2);
  CHECK(typo.out.find("unknown rule or category `grapj`") != std::string::npos);
  CHECK(typo.out.find("graph, sql, structure") != std::string::npos);
}

TEST_CASE("--min-severity leaves lower findings out of every format and the exit status") {
  auto all = RunBinary("check --no-config --format json " + kDemo);
  auto warn = RunBinary("check --no-config --format json --min-severity warning " + kDemo);
  auto count = [](const std::string& out, const std::string& sev) {
    size_t n = 0;
    const nlohmann::json j = nlohmann::json::parse(out);
    for (const auto& f : j["findings"]) n += f["severity"] == sev;
    return n;
  };
  REQUIRE(count(all.out, "info") > 0);
  CHECK(count(warn.out, "info") == 0);
  CHECK(count(warn.out, "warning") == count(all.out, "warning"));
  CHECK(count(warn.out, "error") == count(all.out, "error"));
  auto text = RunBinary("check --no-config --color never --min-severity error " + kDemo);
  CHECK(text.out.find("warning[") == std::string::npos);
  CHECK(text.out.find("info[") == std::string::npos);
  CHECK(text.out.find("error[duplicate-revision]") != std::string::npos);
  // The hidden findings do not count for the exit status: the demo's only findings at
  // warning level or above, once the errors are ignored, are warnings; hiding them exits 0.
  CHECK(RunBinary("check --no-config --ignore graph " + kDemo).status == 1);
  auto hidden = RunBinary("check --no-config --ignore graph --min-severity error " + kDemo);
  CHECK(hidden.status == 0);
  CHECK(hidden.out.find("No problems found.") != std::string::npos);
  CHECK(RunBinary("check --no-config --min-severity loud " + kDemo).status == 2);
}

TEST_CASE("--quiet: one line per finding, chain first, nothing else") {
  auto full = RunBinary("check --no-config --color never " + kDemo);
  auto q = RunBinary("check --no-config --color never --quiet " + kDemo);
  CHECK(q.status == full.status);
  CHECK(q.out.find("-->") == std::string::npos);
  CHECK(q.out.find("help:") == std::string::npos);
  CHECK(q.out.find("Findings by rule:") == std::string::npos);
  CHECK(q.out.find("Found ") == std::string::npos);
  // The lines are the concise format's, the graph findings moved first.
  auto concise = RunBinary("check --no-config --format concise " + kDemo);
  std::multiset<std::string> ql, cl;
  std::istringstream qin(q.out), cin(concise.out);
  std::vector<std::string> order;
  for (std::string line; std::getline(qin, line);) {
    ql.insert(line);
    order.push_back(line);
  }
  for (std::string line; std::getline(cin, line);) cl.insert(line);
  CHECK(ql == cl);
  REQUIRE_FALSE(order.empty());
  bool file_seen = false, graph_after_file = false;
  for (const std::string& line : order) {
    const bool graph = line.find("[duplicate-revision]") != std::string::npos ||
                       line.find("[multiple-heads]") != std::string::npos ||
                       line.find("[dangling-down-revision]") != std::string::npos;
    if (!graph) file_seen = true;
    if (graph && file_seen) graph_after_file = true;
  }
  CHECK_FALSE(graph_after_file);
  // Nothing to report: no output at all.
  auto clean = RunBinary("check --no-config --quiet --select multiple-heads " + kClean);
  CHECK(clean.status == 0);
  CHECK(clean.out.empty());
  CHECK(RunBinary("check --no-config --quiet --statistics " + kDemo).status == 2);
}

TEST_CASE("--fail-on decides the exit status") {
  CHECK(RunBinary("check --no-config --fail-on never " + kDemo).status == 0);
  CHECK(RunBinary("check --no-config --fail-on error --select handmade-revision-id " + kDemo)
            .status == 0);
  CHECK(RunBinary("check --no-config --fail-on warning --select handmade-revision-id " + kDemo)
            .status == 1);
}

TEST_CASE("usage and input errors exit 2 with a message, never a crash") {
  auto missing = RunBinary("check /nonexistent/alint/path", true);
  CHECK(missing.status == 2);
  CHECK(missing.out.find("/nonexistent/alint/path") != std::string::npos);
  auto unknown = RunBinary("check --no-config --select no-such-rule " + kDemo, true);
  CHECK(unknown.status == 2);
  CHECK(unknown.out.find("unknown rule or category `no-such-rule`") != std::string::npos);
  CHECK(RunBinary("check --format xml " + kDemo).status == 2);
  auto explain = RunBinary("explain multiple-head", true);
  CHECK(explain.status == 2);
  CHECK(explain.out.find("did you mean: multiple-heads") != std::string::npos);
}

TEST_CASE("a bad config file is an error naming the file and line") {
  fs::path dir = fs::temp_directory_path() / ("alint_cli_cfg_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "versions");
  fs::copy(kClean, dir / "versions", fs::copy_options::recursive);
  std::ofstream(dir / ".alembic-lint.toml") << "pg-version = 15\nselct = [\"ALL\"]\n";
  auto r = RunBinary("check " + (dir / "versions").string(), true);
  CHECK(r.status == 2);
  CHECK(r.out.find(".alembic-lint.toml:2:1: `selct` is not a known key") != std::string::npos);
  // --no-config ignores it.
  CHECK(RunBinary("check --no-config --select multiple-heads " + (dir / "versions").string())
            .status == 0);
  fs::remove_all(dir);
}

TEST_CASE("text output: code frame with a caret under the span; no colour unless asked") {
  auto r = RunBinary("check --no-config --select dangling-down-revision " + kDemo);
  CHECK(r.out.find("error[dangling-down-revision]: down_revision `c5d8a1e4f2b7`") !=
        std::string::npos);
  CHECK(r.out.find("4d6a8c0e2f1b_backfill_order_status.py:16:35") != std::string::npos);
  CHECK(r.out.find("^^^^^^^^^^^^^^") != std::string::npos);
  CHECK(r.out.find("\x1b[") == std::string::npos);  // stdout is a pipe
  auto c = RunBinary("check --no-config --color always --select dangling-down-revision " + kDemo);
  CHECK(c.out.find("\x1b[") != std::string::npos);
}

TEST_CASE("heads prints Alembic's format; json lists heads, bases and the load error") {
  auto t = RunBinary("heads " + kClean);
  CHECK(t.status == 0);
  // The merge revision with the label it inherits, exactly as `alembic heads` prints it.
  CHECK(t.out == "8d4e2b6f1c90 (audit) (head)\n");
  auto j = nlohmann::json::parse(RunBinary("heads --format json " + kDemo).out);
  REQUIRE(j["environments"].size() == 1);
  const auto& env = j["environments"][0];
  CHECK(env["error"]["kind"] == "dangling");
  CHECK(env["error"]["message"] == "KeyError: 'c5d8a1e4f2b7'");
}

TEST_CASE("rules and explain") {
  auto r = RunBinary("rules");
  CHECK(r.status == 0);
  CHECK(r.out.find("multiple-heads") != std::string::npos);
  auto e = RunBinary("explain multiple-heads");
  CHECK(e.status == 0);
  CHECK(e.out.rfind("# multiple-heads\n", 0) == 0);
  CHECK(e.out.find("## Why is this bad?") != std::string::npos);
}

}  // namespace
}  // namespace alint

namespace alint {
namespace {

TEST_CASE("environments declared in the config replace alembic.ini discovery (recursive)") {
  const std::string repo = std::string(ALINT_SOURCE_DIR) + "/fixtures/repos/declared_envs";
  // The expand and contract heads live in subfolders: only the declared, recursive
  // environment sees them (env.py + versions/ alone would give just the initial revision).
  auto h = testing::RunBinary("heads " + repo);
  CHECK(h.status == 0);
  CHECK(h.out == "4ffceebfada0 (contract) (head)\nc613d0b82681 (expand) (head)\n");
  auto c = testing::RunBinary("check --format concise " + repo);
  CHECK(c.status == 0);
  CHECK(c.out.empty());

  // Break a migration in a nested folder: check finds it there.
  std::filesystem::path tmp =
      std::filesystem::temp_directory_path() / ("alint_cli_decl_" + std::to_string(getpid()));
  std::filesystem::remove_all(tmp);
  std::filesystem::copy(repo, tmp, std::filesystem::copy_options::recursive);
  std::filesystem::path f = tmp /
                            "neutron/db/migration/alembic_migrations/versions/2024.1/expand/"
                            "c613d0b82681_add_port_hints.py";
  std::ifstream in(f);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  text.replace(text.find("down_revision = \"30107ab6a3ee\""), 30,
               "down_revision = \"30107ab6a3ef\"");
  std::ofstream(f) << text;
  auto broken =
      testing::RunBinary("check --format concise --select dangling-down-revision " + tmp.string());
  CHECK(broken.status == 1);
  CHECK(broken.out.find(
            "c613d0b82681_add_port_hints.py:12:17: error: down_revision `30107ab6a3ef`") !=
        std::string::npos);
  std::filesystem::remove_all(tmp);
}

}  // namespace
}  // namespace alint

namespace alint {

TEST_CASE("a MySQL environment: no PostgreSQL findings, a note, and --dialect overrides") {
  using testing::RunBinary;
  const std::string mysql =
      std::string(ALINT_SOURCE_DIR) + "/fixtures/sql_parse_error/ok_mysql_environment";
  testing::Run r = RunBinary("check --no-config --format concise " + mysql, true);
  CHECK(r.status == 0);
  CHECK(r.out.find("runs on mysql") != std::string::npos);
  CHECK(r.out.find("alembic.ini:3 sqlalchemy.url") != std::string::npos);
  CHECK(r.out.find("[sql-parse-error]") == std::string::npos);

  r = RunBinary("check --no-config --format concise --dialect postgresql " + mysql);
  CHECK(r.status == 1);
  CHECK(r.out.find("[sql-parse-error]") != std::string::npos);
  CHECK(r.out.find("[create-index-non-concurrent]") != std::string::npos);

  r = RunBinary("check --no-config --dialect postgres " + mysql, true);
  CHECK(r.status == 2);  // not a dialect name SQLAlchemy uses

  r = RunBinary("locks " + mysql);
  CHECK(r.status == 0);
  CHECK(r.out.find("Not shown:") != std::string::npos);
  CHECK(r.out.find("runs on mysql") != std::string::npos);
  CHECK(r.out.find("CREATE INDEX") == std::string::npos);
  r = RunBinary("locks --dialect postgresql " + mysql);
  CHECK(r.out.find("CREATE INDEX") != std::string::npos);
}

}  // namespace alint

namespace alint {
namespace {

TEST_CASE("named sections, package:path in src/, imported labels, one broken section: no exit 2") {
  const std::string repo = std::string(ALINT_SOURCE_DIR) + "/fixtures/repos/named_sections";
  // heads: both loadable environments, labels read from the imported constants; the broken
  // [legacy] section is named on stderr and makes the status 1, not 2.
  auto h = testing::RunBinary("heads " + repo);
  CHECK(h.status == 1);
  CHECK(h.out.find("alembic.ini[core]\n9e3a5c7b1d42 (head)\n") != std::string::npos);
  CHECK(h.out.find("alembic.ini[tenant]\n5d9b2f7c4e86 (expand) (head)\n7a1e3c5f9d24 (contract) "
                   "(head)\n") != std::string::npos);
  CHECK(h.out.find("alembic.ini[legacy]\n(not loaded") != std::string::npos);
  auto both = testing::RunBinary("heads " + repo, true);
  CHECK(both.out.find("could not load environment") != std::string::npos);
  CHECK(both.out.find("shop.legacy") != std::string::npos);
  CHECK(both.out.find("Alembic would fail") == std::string::npos);

  // check: one environment-error on the [legacy] line, nothing about the constants.
  auto c = testing::RunBinary(
      "check --format concise --select environment-error,"
      "non-literal-revision-value,multiple-heads " +
      repo);
  CHECK(c.status == 1);
  CHECK(c.out.find("src/shop/alembic.ini:13:1: error: environment ") != std::string::npos);
  CHECK(c.out.find("non-literal") == std::string::npos);
  CHECK(c.out.find("multiple-heads") == std::string::npos);
}

TEST_CASE("a monorepo of named sections in its own dialects loads with no config") {
  // One alembic.ini: [core] and [tenant] as package:path resources in a src/ layout (tenant's
  // branch labels are imported constants), [reporting] on MySQL, [cache] on SQLite, and a
  // [legacy] section whose package is gone.
  const std::string repo = std::string(ALINT_SOURCE_DIR) + "/fixtures/repos/monorepo_dialects";
  auto h = testing::RunBinary("heads " + repo);
  CHECK(h.status == 1);  // [legacy] cannot be loaded: named, not fatal
  CHECK(h.out.find("alembic.ini[core]\n9e3a5c7b1d42 (head)\n") != std::string::npos);
  CHECK(h.out.find("alembic.ini[tenant]\n5d9b2f7c4e86 (expand) (head)\n7a1e3c5f9d24 (contract) "
                   "(head)\n") != std::string::npos);
  CHECK(h.out.find("alembic.ini[reporting]\n3f1a2b4c6d80 (head)\n") != std::string::npos);
  CHECK(h.out.find("alembic.ini[cache]\n8e2d4f6a1c35 (head)\n") != std::string::npos);

  auto c = testing::RunBinary("check --no-config --format concise " + repo, true);
  CHECK(c.status == 1);
  // PostgreSQL rules where the database is PostgreSQL ([core]: op.f() names are read) ...
  CHECK(c.out.find("core/versions/9e3a5c7b1d42_add_price.py:21:8: warning:") != std::string::npos);
  CHECK(c.out.find("[create-index-non-concurrent]") != std::string::npos);
  // ... never on the MySQL or SQLite environments: no parse errors for MySQL syntax, no lock
  // findings, a note saying why; data loss is reported on any database.
  CHECK(c.out.find("sql-parse-error") == std::string::npos);
  CHECK(c.out.find("reporting/versions") == std::string::npos);
  for (size_t at = c.out.find("ix_cache_key"); at != std::string::npos;
       at = c.out.find("ix_cache_key", at + 1)) {
    // Only the reversibility note names it (every dialect); no lock finding does.
    const size_t eol = c.out.find('\n', at);
    CHECK(c.out.substr(at, eol - at).find("[irreversible-migration]") != std::string::npos);
  }
  CHECK(c.out.find("cache/versions/8e2d4f6a1c35_cache_entries.py:20:8: error: drops column") !=
        std::string::npos);
  CHECK(c.out.find("[reporting]: runs on mysql") != std::string::npos);
  CHECK(c.out.find("[cache]: runs on sqlite") != std::string::npos);
  CHECK(c.out.find("alembic.ini:24:1: error: environment ") != std::string::npos);
  CHECK(c.out.find("[environment-error]") != std::string::npos);
  CHECK(c.out.find("non-literal-revision-value") == std::string::npos);
}

TEST_CASE("MySQL syntax in an environment of unknown dialect: the help says how to declare it") {
  const std::string dir = std::string(ALINT_SOURCE_DIR) +
                          "/fixtures/sql_parse_error/bad_mysql_syntax_unknown_dialect/versions";
  auto c = testing::RunBinary("check --no-config --select sql-parse-error " + dir);
  CHECK(c.status == 1);
  CHECK(c.out.find("this is MySQL syntax: if the environment runs on MySQL, say so") !=
        std::string::npos);
  auto typo =
      testing::RunBinary("check --no-config --select sql-parse-error " +
                         std::string(ALINT_SOURCE_DIR) + "/fixtures/sql_parse_error/bad_typo");
  CHECK(typo.status == 1);
  CHECK(typo.out.find("MySQL syntax") == std::string::npos);
  // Declared, the environment is MySQL: no PostgreSQL parse errors at all.
  auto mysql =
      testing::RunBinary("check --no-config --dialect mysql --select sql-parse-error " + dir);
  CHECK(mysql.status == 0);
}

TEST_CASE("heads warns on stderr when a duplicate id makes the heads load-order dependent") {
  const std::string dir = std::string(ALINT_SOURCE_DIR) + "/fixtures/duplicate_revision";
  auto h = testing::RunBinary("heads " + dir + "/bad_two_prs_same_id/versions", true);
  CHECK(h.out.find("so these heads depend on load order") != std::string::npos);
}

}  // namespace
}  // namespace alint

namespace alint {
namespace {

TEST_CASE("heads: a value only running the file gives is our limit, not an Alembic failure") {
  const std::string dir =
      std::string(ALINT_SOURCE_DIR) + "/fixtures/non_literal_revision_value/bad_computed/versions";
  auto h = testing::RunBinary("heads " + dir, true);
  CHECK(h.status == 0);
  CHECK(h.out.find("cannot be decided statically") != std::string::npos);
  CHECK(h.out.find("Alembic would fail") == std::string::npos);
}

}  // namespace
}  // namespace alint
