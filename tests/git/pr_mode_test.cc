// PR mode against real git repositories made in temporary directories: which files count as
// changed, the graph at the base ref, errors, and a shallow CI checkout end to end.
#include "lint/git/pr_mode.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "lint/discover/discover.h"
#include "lint/git/base_snapshot.h"
#include "lint/git/git.h"

namespace alint {
namespace {

namespace fs = std::filesystem;

constexpr const char* kA = "3f9a1c7e5b20";
constexpr const char* kB = "8d2e4b6a0c19";
constexpr const char* kC = "c71f0e9d3a58";
constexpr const char* kD = "5be6a2d8f047";

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "alint-git-XXXXXX").string();
    REQUIRE(mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

void WriteMigration(const fs::path& project, const std::string& rev, const std::string& down) {
  Write(project / "migrations" / "versions" / (rev + "_m.py"),
        fmt::format("\"\"\"m\n\nRevision ID: {0}\nRevises: {1}\n\"\"\"\nrevision = \"{0}\"\n"
                    "down_revision = {2}\n",
                    rev, down, down.empty() ? "None" : "\"" + down + "\""));
}

// Runs a shell command in `dir`, with a fixed identity; returns its exit status.
int Sh(const fs::path& dir, const std::string& cmd) {
  std::string full = fmt::format(
      "cd '{}' && GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t "
      "GIT_COMMITTER_EMAIL=t@t GIT_CONFIG_NOSYSTEM=1 {} >/dev/null 2>&1",
      dir.string(), cmd);
  int status = std::system(full.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// main: A <- B <- C; feature (from B): A <- B <- D. The work tree is on feature.
fs::path MakeRepo(const TempDir& tmp) {
  fs::path repo = tmp.path / "repo";
  fs::create_directories(repo);
  REQUIRE(Sh(repo, "git init -q -b main") == 0);
  Write(repo / "alembic.ini", "[alembic]\nscript_location = migrations\n");
  Write(repo / "migrations" / "env.py", "\n");
  WriteMigration(repo, kA, "");
  WriteMigration(repo, kB, kA);
  REQUIRE(Sh(repo, "git add -A && git commit -q -m base") == 0);
  REQUIRE(Sh(repo, "git checkout -q -b feature") == 0);
  WriteMigration(repo, kD, kB);
  REQUIRE(Sh(repo, "git add -A && git commit -q -m feature") == 0);
  REQUIRE(Sh(repo, "git checkout -q main") == 0);
  WriteMigration(repo, kC, kB);
  REQUIRE(Sh(repo, "git add -A && git commit -q -m moved-on") == 0);
  REQUIRE(Sh(repo, "git checkout -q feature") == 0);
  return repo;
}

Workspace Load(const fs::path& project) {
  DiskFileSource disk;
  Result<Discovery> d = Discover(disk, {project.string()});
  REQUIRE(d.ok());
  return LoadWorkspace(disk, *d, LoadOptions{});
}

std::set<std::string> ReportedNames(const Workspace& ws) {
  std::set<std::string> out;
  for (size_t i = 0; i < ws.files.size(); ++i) {
    if (ws.loaded[i].report_on) out.insert(fs::path(ws.files[i].path).filename().string());
  }
  return out;
}

struct Run {
  int status = 0;
  std::string out;
};

Run RunCli(const fs::path& cwd, const std::string& args) {
  std::string cmd = fmt::format("cd '{}' && env -u GITHUB_ACTIONS '{}' {} 2>&1", cwd.string(),
                                ALINT_BINARY, args);
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace

TEST_CASE("PR mode: file findings only for files changed since the base, in any state") {
  TempDir tmp;
  fs::path repo = MakeRepo(tmp);
  // Beyond the commit: a staged new file and an untracked one; an ignored file stays out.
  WriteMigration(repo, "aa11bb22cc33", kD);
  REQUIRE(Sh(repo, "git add -A") == 0);
  WriteMigration(repo, "dd44ee55ff66", "aa11bb22cc33");
  Write(repo / ".gitignore", "migrations/versions/ignored_*.py\n");
  Write(repo / "migrations" / "versions" / "ignored_x.py", "revision = 'x'\n");

  Workspace ws = Load(repo);
  Status s = ApplySince(&ws, "main", repo.string());
  REQUIRE_MESSAGE(s.ok(), s.message());
  // Merge base is B: A and B are unchanged; C (only on main) is not in the work tree.
  CHECK(ReportedNames(ws) ==
        std::set<std::string>{std::string(kD) + "_m.py", "aa11bb22cc33_m.py", "dd44ee55ff66_m.py"});

  // The graph at main: A <- B <- C, read from git, not from the work tree.
  REQUIRE(ws.envs.size() == 1);
  REQUIRE(ws.envs[0].base != nullptr);
  const BaseSnapshot& base = *ws.envs[0].base;
  CHECK(base.ref == "main");
  CHECK(base.commit.size() == 40);
  REQUIRE(base.graph->nodes().size() == 3);
  CHECK(base.graph->Ids(base.graph->heads()) == std::vector<std::string>{kC});
  CHECK(base.graph->Find(kD) == nullptr);
  CHECK(base.PathOf(*base.graph->Find(kC)) == fmt::format("migrations/versions/{}_m.py", kC));
}

TEST_CASE("PR mode resolved before loading: only the changed files are parsed fully") {
  TempDir tmp;
  fs::path repo = MakeRepo(tmp);
  WriteMigration(repo, "aa11bb22cc33", kD);
  Result<SinceScope> scope = ResolveSince("main", repo.string());
  REQUIRE_MESSAGE(scope.ok(), scope.error().message);
  DiskFileSource disk;
  Result<Discovery> d = Discover(disk, {repo.string()});
  REQUIRE(d.ok());
  LoadOptions load;
  load.report_filter = [&](const std::string& path) { return scope->Changed(path); };
  Workspace ws = LoadWorkspace(disk, *d, load);
  REQUIRE(LoadSinceBases(&ws, *scope).ok());
  // The same files as narrowing a full load afterwards (ApplySince), and only they are full.
  std::set<std::string> want{std::string(kD) + "_m.py", "aa11bb22cc33_m.py"};
  CHECK(ReportedNames(ws) == want);
  for (size_t i = 0; i < ws.files.size(); ++i) {
    CAPTURE(ws.files[i].path);
    CHECK(ws.loaded[i].facts.full == ws.loaded[i].report_on);
  }
  Workspace after = Load(repo);
  REQUIRE(ApplySince(&after, "main", repo.string()).ok());
  CHECK(ReportedNames(after) == want);
  REQUIRE(ws.envs[0].base != nullptr);
  CHECK(ws.envs[0].base->graph->nodes().size() == 3);
}

TEST_CASE("PR mode: the base trees listed beside the load give the same base") {
  TempDir tmp;
  fs::path repo = MakeRepo(tmp);  // on feature; main is ahead of the merge base B
  WriteMigration(repo, "aa11bb22cc33", kD);
  Result<SinceScope> scope = ResolveSince("main", repo.string());
  REQUIRE_MESSAGE(scope.ok(), scope.error().message);
  REQUIRE(scope->merge_base != scope->commit);
  DiskFileSource disk;
  Result<Discovery> d = Discover(disk, {repo.string()});
  REQUIRE(d.ok());
  REQUIRE(d->envs.size() == 1);
  BaseTrees listed = ListBaseTrees(*scope, {{d->envs[0].version_dirs, d->envs[0].recursive}});
  // One listing at REF and one at the merge base, and the diff against REF.
  CHECK(listed.listed.size() == 2);
  CHECK(listed.listed.contains(BaseTrees::ListKey(scope->commit, "migrations/versions", false)));
  CHECK(
      listed.listed.contains(BaseTrees::ListKey(scope->merge_base, "migrations/versions", false)));
  REQUIRE(listed.changed_at_ref.has_value());
  CHECK(listed.changed_at_ref->ok());

  LoadOptions load;
  load.report_filter = [&](const std::string& path) { return scope->Changed(path); };
  Workspace with = LoadWorkspace(disk, *d, load);
  Workspace without = LoadWorkspace(disk, *d, load);
  REQUIRE(LoadSinceBases(&with, *scope, &listed).ok());
  REQUIRE(LoadSinceBases(&without, *scope).ok());
  const RevisionGraph& a = *with.envs[0].base->graph;
  const RevisionGraph& b = *without.envs[0].base->graph;
  CHECK(a.Ids(a.heads()) == std::vector<std::string>{kC});
  CHECK(a.Ids(a.heads()) == b.Ids(b.heads()));
  CHECK(a.nodes().size() == b.nodes().size());
  CHECK(with.envs[0].base->fork_point_ids == without.envs[0].base->fork_point_ids);

  // The listing is what the base is read from: a failed one fails the base, with its message.
  BaseTrees broken = listed;
  broken.listed.begin()->second = Error{"ls-tree failed here"};
  Workspace third = LoadWorkspace(disk, *d, load);
  Status s = LoadSinceBases(&third, *scope, &broken);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("ls-tree failed here") != std::string::npos);
}

TEST_CASE("the base snapshot reuses the work tree's facts only for files identical at the base") {
  TempDir tmp;
  fs::path repo = MakeRepo(tmp);  // on feature: A <- B <- D; main: A <- B <- C
  // Uncommitted edits: B now revises nothing (a header change the base must not see), and A
  // is unchanged; D is committed on the branch only.
  WriteMigration(repo, kB, "");
  Workspace ws = Load(repo);
  REQUIRE(ApplySince(&ws, "main", repo.string()).ok());
  REQUIRE(ws.envs[0].base != nullptr);
  const BaseSnapshot& base = *ws.envs[0].base;
  // At main, B still revises A: its facts were read from git, not reused from the work tree.
  const GraphNode* b = base.graph->Find(kB);
  REQUIRE(b != nullptr);
  CHECK(base.graph->Ids(b->parents) == std::vector<std::string>{kA});
  CHECK(base.graph->Ids(base.graph->heads()) == std::vector<std::string>{kC});
  // Every node names the snapshot's own file, whichever way its facts were read: A's are the
  // work tree's own (not copied), B's were read from git.
  for (const GraphNode& n : base.graph->nodes()) {
    CHECK(base.PathOf(n) == fmt::format("migrations/versions/{}_m.py", n.id));
  }
  bool a_reused = false;
  for (size_t i = 0; i < ws.files.size(); ++i) {
    if (ws.files[i].path.ends_with(std::string(kA) + "_m.py")) {
      for (const Migration* m : base.migrations) a_reused = a_reused || m == &ws.loaded[i].facts;
    }
  }
  CHECK(a_reused);
  CHECK(base.read.size() == 2);  // B (edited in the work tree) and C (not in it)
  // The same snapshot as one read wholly from git.
  std::vector<std::pair<std::string, std::string>> from_git;
  Result<std::vector<GitBlob>> blobs =
      GitReadTree(repo.string(), base.commit, "migrations/versions", false);
  REQUIRE(blobs.ok());
  for (GitBlob& g : *blobs) from_git.emplace_back(g.path, g.text);
  auto fresh = BuildBaseSnapshot("main", base.commit, std::move(from_git));
  CHECK(fresh->graph->Ids(fresh->graph->heads()) == base.graph->Ids(base.graph->heads()));
  for (const GraphNode& n : fresh->graph->nodes()) {
    const GraphNode* same = base.graph->Find(n.id);
    REQUIRE(same != nullptr);
    CHECK(fresh->graph->Ids(n.parents) == base.graph->Ids(same->parents));
    CHECK(fresh->PathOf(n) == base.PathOf(*same));
  }
}

TEST_CASE("branch-behind-base: a revision the branch deleted is no fork") {
  TempDir tmp;
  fs::path repo = tmp.path / "repo";
  fs::create_directories(repo);
  REQUIRE(Sh(repo, "git init -q -b main") == 0);
  Write(repo / "alembic.ini", "[alembic]\nscript_location = migrations\n");
  Write(repo / "migrations" / "env.py", "\n");
  WriteMigration(repo, kA, "");
  WriteMigration(repo, kB, kA);
  WriteMigration(repo, kC, kB);
  REQUIRE(Sh(repo, "git add -A && git commit -q -m base") == 0);
  // The branch replaces C by D (same parent); main keeps C.
  REQUIRE(Sh(repo, "git checkout -q -b feature") == 0);
  fs::remove(repo / "migrations" / "versions" / (std::string(kC) + "_m.py"));
  WriteMigration(repo, kD, kB);
  REQUIRE(Sh(repo, "git add -A && git commit -q -m replace") == 0);
  Run r = RunCli(repo, "check --since main --select branch-behind-base");
  CHECK(r.status == 0);
  CHECK(r.out.find("branch-behind-base") == std::string::npos);
}

TEST_CASE("PR mode: errors are clear values") {
  TempDir tmp;
  fs::path plain = tmp.path / "plain";
  WriteMigration(plain, kA, "");
  Workspace ws = Load(plain / "migrations" / "versions");
  Status s = ApplySince(&ws, "main", (plain / "migrations" / "versions").string());
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("needs a git repository") != std::string::npos);

  fs::path repo = MakeRepo(tmp);
  Workspace ws2 = Load(repo);
  Status s2 = ApplySince(&ws2, "no-such-branch", repo.string());
  CHECK_FALSE(s2.ok());
  CHECK(s2.message().find("unknown git revision `no-such-branch`") != std::string::npos);
  CHECK(s2.message().find("git fetch --depth=1") != std::string::npos);
  // An option-looking ref never reaches git as an option.
  Status s3 = ApplySince(&ws2, "--output=/tmp/x", repo.string());
  CHECK_FALSE(s3.ok());

  Run cli = RunCli(repo, "check --since no-such-branch");
  CHECK(cli.status == 2);
  CHECK(cli.out.find("unknown git revision") != std::string::npos);
}

TEST_CASE("GitReadTree: direct files, or every depth when recursive") {
  TempDir tmp;
  fs::path repo = tmp.path / "r";
  Write(repo / "v" / "a.py", "A");
  Write(repo / "v" / "sub" / "b.py", "BB");
  Write(repo / "other.py", "O");
  REQUIRE(Sh(repo, "git init -q -b main && git add -A && git commit -q -m x") == 0);
  Result<std::string> head = GitResolveCommit(repo.string(), "HEAD");
  REQUIRE(head.ok());
  Result<std::vector<GitBlob>> flat = GitReadTree(repo.string(), *head, "v", false);
  REQUIRE(flat.ok());
  REQUIRE(flat->size() == 1);
  CHECK((*flat)[0].path == "v/a.py");
  CHECK((*flat)[0].text == "A");
  Result<std::vector<GitBlob>> deep = GitReadTree(repo.string(), *head, "v", true);
  REQUIRE(deep.ok());
  REQUIRE(deep->size() == 2);
  CHECK((*deep)[1].path == "v/sub/b.py");
  CHECK((*deep)[1].text == "BB");
  Result<std::vector<GitBlob>> none = GitReadTree(repo.string(), *head, "missing", true);
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("branch-behind-base in a shallow CI checkout: finding, fix, clean after the fix") {
  TempDir tmp;
  fs::path repo = MakeRepo(tmp);
  fs::path ci = tmp.path / "ci";
  // What actions/checkout does (depth 1), then `git fetch --depth=1 origin main`.
  REQUIRE(Sh(tmp.path, fmt::format("git clone -q --depth=1 --branch feature 'file://{}' ci",
                                   repo.string())) == 0);
  REQUIRE(Sh(ci, "git fetch -q --depth=1 origin main:refs/remotes/origin/main") == 0);
  CHECK(Sh(ci, "git merge-base origin/main HEAD") != 0);  // no shared history here

  Run r = RunCli(ci, "check --since origin/main --format concise");
  CHECK(r.status == 1);
  CHECK(r.out.find(fmt::format("migrations/versions/{}_m.py:7:17: error:", kD)) !=
        std::string::npos);
  CHECK(r.out.find("[branch-behind-base]") != std::string::npos);
  CHECK(r.out.find(fmt::format("`origin/main` has moved on: `{}`", kC)) != std::string::npos);

  Run j = RunCli(ci, "check --since origin/main --format json");
  CHECK(j.out.find(fmt::format("\"replacement\": \"\\\"{}\\\"\"", kC)) != std::string::npos);
  CHECK(j.out.find(fmt::format("alembic merge -m \\\"merge origin/main\\\" {} {}", kD, kC)) !=
        std::string::npos);

  // Without --since the branch alone is linear: nothing to say.
  Run plain = RunCli(ci, "check --select branch-behind-base,multiple-heads");
  CHECK(plain.status == 0);

  // Rebased: C comes in from origin/main, D now revises it.
  REQUIRE(Sh(ci, fmt::format("git checkout origin/main -- migrations/versions/{}_m.py", kC)) == 0);
  WriteMigration(ci, kD, kC);
  Run fixed = RunCli(ci, "check --since origin/main --format concise");
  CHECK(fixed.out.find("branch-behind-base") == std::string::npos);
  CHECK(fixed.status == 0);
}

}  // namespace alint
