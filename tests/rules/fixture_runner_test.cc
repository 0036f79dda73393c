// Runs every fixture case under fixtures/<rule_stem>/{bad_*,ok_*}: lints it with every rule
// on and checks the findings of the rule under test against the expectations written in the
// case (`# expect: rule-a, rule-b` on the anchored line, `-- expect: ...` inside SQL, or
// `expected.txt` lines `relative/path.py:LINE rule`). Both directions: a missing finding and an
// unexpected one fail. A case may hold `base/`: the versions directory as it is on the base branch;
// the case is then linted in PR mode against it (as `check --since main` would, see
// lint/git/pr_mode.h). A case may hold `.alembic-lint.toml`: its settings (rule options) apply.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "lint/config/config.h"
#include "lint/discover/discover.h"
#include "lint/engine/linter.h"
#include "lint/git/base_snapshot.h"
#include "rules/registry.h"

namespace alint {
namespace {

namespace fs = std::filesystem;

using Expectation = std::tuple<std::string, uint32_t, std::string>;  // path, line, rule

std::string Relative(const fs::path& p, const fs::path& base) {
  return fs::relative(p, base).generic_string();
}

std::set<Expectation> ReadExpectations(const fs::path& case_dir, const std::string& rule) {
  std::set<Expectation> out;
  // `# expect:` in Python, `-- expect:` inside a SQL string or .sql file.
  static const std::regex kExpect(R"((?:#|--)\s*expect:\s*([a-z0-9\-, ]+))");
  for (const auto& e : fs::recursive_directory_iterator(case_dir)) {
    if (!e.is_regular_file()) continue;
    std::string name = e.path().filename().string();
    if (name == "expected.txt") {
      std::ifstream in(e.path());
      std::string line;
      while (std::getline(in, line)) {
        std::smatch m;
        static const std::regex kLine(R"(^\s*(\S+):(\d+)\s+([a-z0-9\-]+)\s*$)");
        if (std::regex_match(line, m, kLine) && m[3] == rule) {
          out.insert({m[1], static_cast<uint32_t>(std::stoul(m[2])), m[3]});
        }
      }
      continue;
    }
    if (e.path().extension() != ".py" && e.path().extension() != ".sql") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string line;
    uint32_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      std::smatch m;
      if (!std::regex_search(line, m, kExpect)) continue;
      std::stringstream ss(m[1]);
      std::string item;
      while (std::getline(ss, item, ',')) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (item == rule) out.insert({Relative(e.path(), case_dir), n, item});
      }
    }
  }
  return out;
}

struct CaseResult {
  std::set<Expectation> actual;
  std::string error;
};

CaseResult RunCase(const fs::path& case_dir, const std::string& rule) {
  CaseResult res;
  DiskFileSource disk;
  std::string target = case_dir.string();
  if (!fs::exists(case_dir / "alembic.ini") && !fs::exists(case_dir / "pyproject.toml") &&
      fs::is_directory(case_dir / "versions")) {
    target = (case_dir / "versions").string();
  }
  Result<Discovery> d = Discover(disk, {target});
  if (!d.ok()) {
    res.error = d.error().message;
    return res;
  }
  // A case may carry `.alembic-lint.toml` for a rule's options (`pooler = "transaction"`).
  LintSettings settings;
  if (fs::exists(case_dir / ".alembic-lint.toml")) {
    std::ifstream in(case_dir / ".alembic-lint.toml", std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto cfg =
        ParseConfig(text.str(), ".alembic-lint.toml", false, case_dir.string(), BuiltinRules());
    if (!cfg.ok()) FAIL(cfg.error().message);
    settings = cfg->settings;
  }
  settings.select = {"ALL"};
  auto rules = BuiltinRules().Select(settings);
  REQUIRE(rules.ok());
  LoadOptions lo;
  lo.jobs = 1;
  // PR mode: only the files that differ from base/ (or are new) are reported on, as
  // `check --since` does.
  std::vector<std::pair<std::string, std::string>> base_files;
  const bool pr_mode = fs::is_directory(case_dir / "base");
  if (pr_mode) {
    std::set<fs::path> names;
    for (const auto& e : fs::directory_iterator(case_dir / "base")) {
      if (IsMigrationFileName(e.path().filename().string())) names.insert(e.path());
    }
    for (const fs::path& p : names) {
      std::ifstream in(p, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      base_files.emplace_back(Relative(p, case_dir), text.str());
    }
    std::map<std::string, std::string> by_name;
    for (const auto& [path, text] : base_files) by_name[fs::path(path).filename().string()] = text;
    lo.report_filter = [by_name](const std::string& path) {
      auto it = by_name.find(fs::path(path).filename().string());
      if (it == by_name.end()) return true;
      std::ifstream in(path, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      return text.str() != it->second;
    };
  }
  Workspace ws = LoadWorkspace(disk, *d, lo);
  if (pr_mode) {
    auto base = BuildBaseSnapshot("main", "", std::move(base_files));
    for (Environment& env : ws.envs) env.base = base;
  }
  for (const Finding& f : Lint(ws, BuiltinRules(), *rules, settings, 1)) {
    // A finding merged from several rules (one statement, one finding) counts for each.
    if (!f.HasRule(rule)) continue;
    if (!f.span.valid()) {
      res.actual.insert({"<no file>", 0, rule});
      continue;
    }
    const SourceFile& file = ws.files[f.span.file];
    res.actual.insert(
        {Relative(fs::path(file.path), case_dir), file.Locate(f.span.begin).line, rule});
  }
  return res;
}

std::string Describe(const std::set<Expectation>& s) {
  std::string out;
  for (const auto& [p, l, r] : s) out += "    " + p + ":" + std::to_string(l) + " " + r + "\n";
  return out.empty() ? "    (none)\n" : out;
}

}  // namespace

TEST_CASE("rule fixtures: every bad_* case finds exactly what it expects, every ok_* is clean") {
  fs::path root = fs::path(ALINT_SOURCE_DIR) / "fixtures";
  size_t cases = 0;
  for (const auto& rule_dir : fs::directory_iterator(root)) {
    if (!rule_dir.is_directory()) continue;
    std::string stem = rule_dir.path().filename().string();
    std::string rule = stem;
    std::replace(rule.begin(), rule.end(), '_', '-');
    if (!FindRule(rule)) continue;  // demo/, repos/: not rule fixtures
    for (const auto& case_dir : fs::directory_iterator(rule_dir.path())) {
      std::string name = case_dir.path().filename().string();
      bool bad = name.rfind("bad_", 0) == 0;
      bool ok = name.rfind("ok_", 0) == 0;
      if (!case_dir.is_directory() || (!bad && !ok)) continue;
      ++cases;
      CAPTURE(case_dir.path().string());
      std::set<Expectation> expected = ReadExpectations(case_dir.path(), rule);
      CaseResult got = RunCase(case_dir.path(), rule);
      CHECK_MESSAGE(got.error.empty(), got.error);
      if (bad) CHECK_MESSAGE(!expected.empty(), "a bad_ case must expect at least one finding");
      if (ok) CHECK_MESSAGE(expected.empty(), "an ok_ case must not expect findings");
      CHECK_MESSAGE(got.actual == expected, "\n  expected:\n"
                                                << Describe(expected) << "  got:\n"
                                                << Describe(got.actual));
    }
  }
  CHECK(cases > 0);
}

}  // namespace alint
