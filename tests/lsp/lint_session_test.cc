#include "lint/lsp/lint_session.h"

#include <doctest/doctest.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>

namespace alint::lsp {

namespace {

constexpr const char* kA = "3f2a9c1d7b4e";
constexpr const char* kB = "8e1b5d0c2a97";
constexpr const char* kC = "c4d7e2f9a013";
constexpr const char* kD = "5b0e7a3d9c21";
constexpr const char* kVersions = "/r/migrations/versions/";

std::string Mig(const std::string& rev, const std::string& down) {
  std::string d = down.empty() ? "None" : "\"" + down + "\"";
  return "\"\"\"step\n\nRevision ID: " + rev + "\nRevises: " + down +
         "\nCreate Date: 2024-03-01 10:00:00\n\n\"\"\"\nrevision = \"" + rev +
         "\"\ndown_revision = " + d +
         "\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n\n\n"
         "def downgrade():\n    pass\n";
}

std::string PathOf(const std::string& rev) { return kVersions + rev + "_step.py"; }

bool Has(const std::vector<Diagnostic>& ds, const std::string& rule) {
  return std::any_of(ds.begin(), ds.end(), [&](const Diagnostic& d) { return d.rule == rule; });
}

// The changed paths TakeChanged reports, with whether `rule` is among their diagnostics.
std::map<std::string, bool> Changed(LintSession& s, const std::string& rule) {
  std::map<std::string, bool> out;
  for (const auto& [path, diags] : s.TakeChanged()) out[path] = Has(diags, rule);
  return out;
}

// Hides files of another FileSource, as if they were deleted.
class HidingFileSource final : public FileSource {
 public:
  explicit HidingFileSource(const FileSource& base) : base_(base) {}
  std::set<std::string> hidden;

  Result<std::string> Read(const std::string& path) const override {
    if (hidden.count(path)) return Error{path + ": No such file or directory"};
    return base_.Read(path);
  }
  Result<std::vector<DirEntry>> List(const std::string& path) const override {
    auto r = base_.List(path);
    if (r.ok()) {
      std::erase_if(*r,
                    [&](const DirEntry& e) { return hidden.count(JoinPath(path, e.name)) > 0; });
    }
    return r;
  }
  bool IsFile(const std::string& path) const override {
    return !hidden.count(path) && base_.IsFile(path);
  }
  bool IsDir(const std::string& path) const override { return base_.IsDir(path); }
  long long Size(const std::string& path) const override {
    return hidden.count(path) ? -1 : base_.Size(path);
  }

 private:
  const FileSource& base_;
};

struct Repo {
  MemoryFileSource disk;
  Repo() {
    disk.Add("/r/alembic.ini", "[alembic]\nscript_location = migrations\n");
    disk.Add("/r/migrations/env.py", "# env\n");
    disk.Add(PathOf(kA), Mig(kA, ""));
    disk.Add(PathOf(kB), Mig(kB, kA));
    disk.Add(PathOf(kC), Mig(kC, kB));
  }
};

LintSession::Options Opts() {
  LintSession::Options o;
  o.display_base = "/r";
  o.jobs = 1;
  return o;
}

}  // namespace

TEST_CASE("graph diagnostics follow edits across files, and only changed files are published") {
  Repo repo;
  LintSession s(repo.disk, Opts());
  s.Open(PathOf(kC), Mig(kC, kB));
  CHECK(s.InEnvironment(PathOf(kC)));
  CHECK(s.InEnvironment(PathOf(kA)));  // the whole environment is loaded
  CHECK(s.TakeChanged().empty());      // a healthy repo publishes nothing

  // C takes B's id: a duplicate, reported in both files (B is not even open).
  s.Change(PathOf(kC), Mig(kB, kA));
  auto changed = Changed(s, "duplicate-revision");
  CHECK(changed == std::map<std::string, bool>{{PathOf(kB), true}, {PathOf(kC), true}});
  const std::vector<Diagnostic>& in_b = s.DiagnosticsOf(PathOf(kB));
  REQUIRE(in_b.size() == 1);
  REQUIRE(in_b[0].related.size() == 1);
  CHECK(in_b[0].related[0].path == PathOf(kC));
  CHECK(in_b[0].range.start.line == 7);  // revision = "..." in Mig()

  // Fixed again: both cleared, and nothing else republished.
  s.Change(PathOf(kC), Mig(kC, kB));
  changed = Changed(s, "duplicate-revision");
  CHECK(changed == std::map<std::string, bool>{{PathOf(kB), false}, {PathOf(kC), false}});
  s.Change(PathOf(kC), Mig(kC, kB));
  CHECK(s.TakeChanged().empty());

  // C revises A: B (not open) becomes the short branch of a fork.
  s.Change(PathOf(kC), Mig(kC, kA));
  changed = Changed(s, "multiple-heads");
  REQUIRE(changed.count(PathOf(kB)) + changed.count(PathOf(kC)) >= 1);
  CHECK((changed[PathOf(kB)] || changed[PathOf(kC)]));
}

TEST_CASE("the editor shows what check prints: `applied` and `min-severity` from the config") {
  Repo repo;
  // B and its ancestor A have run in production; C has not.
  repo.disk.Add("/r/.alembic-lint.toml",
                std::string("applied = \"") + kB + "\"\nmin-severity = \"warning\"\n");
  auto with_drop = [](std::string text) {
    text.replace(text.find("    pass\n"), 9,
                 "    op.drop_table(\"sessions\")\n    op.execute(f\"DROP TABLE {name}\")\n");
    return text;
  };
  LintSession s(repo.disk, Opts());
  s.Open(PathOf(kA), with_drop(Mig(kA, "")));
  s.Open(PathOf(kC), with_drop(Mig(kC, kB)));
  // History rules say nothing about an applied migration; infos (dynamic-sql) are hidden.
  CHECK_FALSE(Has(s.DiagnosticsOf(PathOf(kA)), "drop-table"));
  CHECK(Has(s.DiagnosticsOf(PathOf(kC)), "drop-table"));
  CHECK_FALSE(Has(s.DiagnosticsOf(PathOf(kC)), "dynamic-sql"));

  // Without the config both show, and the info too.
  Repo plain;
  LintSession t(plain.disk, Opts());
  t.Open(PathOf(kA), with_drop(Mig(kA, "")));
  CHECK(Has(t.DiagnosticsOf(PathOf(kA)), "drop-table"));
  CHECK(Has(t.DiagnosticsOf(PathOf(kA)), "dynamic-sql"));

  // An `applied` naming no revision is logged once and ignored, not fatal.
  Repo wrong;
  wrong.disk.Add("/r/.alembic-lint.toml", "applied = \"ffffffffffff\"\n");
  LintSession u(wrong.disk, Opts());
  u.Open(PathOf(kA), with_drop(Mig(kA, "")));
  u.Change(PathOf(kA), with_drop(Mig(kA, "")) + "\n");
  CHECK(Has(u.DiagnosticsOf(PathOf(kA)), "drop-table"));
  size_t logged = 0;
  for (const auto& m : u.TakeLog()) logged += m.text.find("`applied` ignored") != std::string::npos;
  CHECK(logged == 1);
}

TEST_CASE("file-level rules run on open documents; closing reverts to the disk") {
  Repo repo;
  LintSession s(repo.disk, Opts());
  s.Open(PathOf(kA), Mig(kA, ""));
  std::string text = Mig(kA, "");
  text.replace(text.find("down_revision = None"), 20, "down_revision = \"\"");
  s.Change(PathOf(kA), text);
  REQUIRE(Has(s.DiagnosticsOf(PathOf(kA)), "empty-down-revision"));
  const std::vector<Diagnostic>& all = s.DiagnosticsOf(PathOf(kA));
  const Diagnostic& d = *std::find_if(
      all.begin(), all.end(), [](const Diagnostic& x) { return x.rule == "empty-down-revision"; });
  REQUIRE(d.fix.has_value());
  REQUIRE(d.fix->edits.size() == 1);
  CHECK(d.fix->edits[0].path == PathOf(kA));
  CHECK(d.fix->edits[0].new_text == "None");
  CHECK(d.fix->edits[0].range.start == Position{8, 16});
  CHECK(d.fix->edits[0].range.end == Position{8, 18});
  s.TakeChanged();

  s.Close(PathOf(kA));
  auto changed = s.TakeChanged();
  REQUIRE(changed.size() == 1);
  CHECK(changed[0].first == PathOf(kA));
  CHECK(changed[0].second.empty());
  CHECK(s.Text(PathOf(kA)) == nullptr);
}

TEST_CASE("a new unsaved migration joins its environment; closing it removes it") {
  Repo repo;
  LintSession s(repo.disk, Opts());
  s.Open(PathOf(kC), Mig(kC, kB));
  s.TakeChanged();
  // A second child of B that exists only in the editor: the history forks.
  s.Open(PathOf(kD), Mig(kD, kB));
  CHECK(s.InEnvironment(PathOf(kD)));
  auto changed = Changed(s, "multiple-heads");
  CHECK((changed[PathOf(kC)] || changed[PathOf(kD)]));
  s.Close(PathOf(kD));
  CHECK_FALSE(s.InEnvironment(PathOf(kD)));
  CHECK_FALSE(Has(s.DiagnosticsOf(PathOf(kC)), "multiple-heads"));
  CHECK(s.DiagnosticsOf(PathOf(kD)).empty());
}

TEST_CASE("documents outside any environment are left alone") {
  Repo repo;
  repo.disk.Add("/elsewhere/tool.py", "print('hi')\n");
  LintSession s(repo.disk, Opts());
  s.Open("/elsewhere/tool.py", "print('hi')\n");
  s.Change("/elsewhere/tool.py", "print('hello')\n");
  s.Save("/elsewhere/tool.py");
  CHECK_FALSE(s.InEnvironment("/elsewhere/tool.py"));
  CHECK(s.DiagnosticsOf("/elsewhere/tool.py").empty());
  CHECK(s.TakeChanged().empty());
  s.Close("/elsewhere/tool.py");
  s.Close("/never/opened.py");
  CHECK(s.TakeChanged().empty());
}

TEST_CASE("a migration deleted on disk drops out when the watcher says so") {
  Repo repo;
  repo.disk.Add(PathOf(kD), Mig(kD, kB));  // fork: C and D both revise B
  HidingFileSource disk(repo.disk);
  LintSession s(disk, Opts());
  s.Open(PathOf(kC), Mig(kC, kB));
  auto changed = Changed(s, "multiple-heads");
  CHECK((changed[PathOf(kC)] || changed[PathOf(kD)]));

  disk.hidden.insert(PathOf(kD));
  s.DiskChanged(PathOf(kD));
  CHECK_FALSE(s.InEnvironment(PathOf(kD)));
  CHECK(s.DiagnosticsOf(PathOf(kC)).empty());
  CHECK(s.DiagnosticsOf(PathOf(kD)).empty());
  changed = Changed(s, "multiple-heads");
  CHECK(changed.size() == 1);  // the one file that had the fork finding is cleared
  // Another event for the same missing file changes nothing.
  s.DiskChanged(PathOf(kD));
  CHECK(s.TakeChanged().empty());

  // An open document deleted on disk keeps counting until it is closed.
  s.Open(PathOf(kB), Mig(kB, kA));
  disk.hidden.insert(PathOf(kB));
  s.DiskChanged(PathOf(kB));
  CHECK(s.InEnvironment(PathOf(kB)));
  CHECK(s.DiagnosticsOf(PathOf(kC)).empty());
  s.Close(PathOf(kB));
  CHECK_FALSE(s.InEnvironment(PathOf(kB)));
  CHECK(Has(s.DiagnosticsOf(PathOf(kC)), "dangling-down-revision"));
}

// CPU time of this process, in seconds: a scaling ratio measured in CPU time does not change
// when other processes compete for the cores (wall time does, by several times).
double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Seconds to open a migration holding `n` malformed suppression comments (a diagnostic each).
double OpenSeconds(int n) {
  Repo repo;
  LintSession s(repo.disk, Opts());
  std::string text = Mig(kA, "");
  std::string body;
  for (int i = 0; i < n; ++i) body += "    pass  # alembic-lint: ignore[\n";
  text.replace(text.find("    pass\n"), 9, body);
  const double start = CpuSeconds();
  s.Open(PathOf(kA), text);
  const double seconds = CpuSeconds() - start;
  CHECK(s.DiagnosticsOf(PathOf(kA)).size() >= static_cast<size_t>(n));
  return seconds;
}

TEST_CASE("diagnostics of one file are merged in linear time (bad-input suite: 20k comments)") {
  // 32 times the diagnostics may cost about 32 times as long, not 1,024 (the merge used to
  // search every earlier diagnostic of the file for each one: a ratio of several hundred).
  // Best of three small and of two large runs, so a busy machine does not decide.
  double small = 1e9, large = 1e9;
  for (int i = 0; i < 3; ++i) small = std::min(small, OpenSeconds(1000));
  for (int i = 0; i < 2; ++i) large = std::min(large, OpenSeconds(32000));
  small = std::max(small, 1e-3);
  MESSAGE("1,000 diagnostics: " << small << " s; 32,000: " << large << " s");
  CHECK(large / small < 128);
}

}  // namespace alint::lsp
