#include "lint/git/pr_mode.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>

#include "lint/discover/discover.h"
#include "lint/git/base_snapshot.h"
#include "lint/git/git.h"

namespace alint {

namespace {

namespace fs = std::filesystem;

// Absolute, symlinks resolved as far as the path exists: git reports the resolved top level.
std::string Canonical(const std::string& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) return p;
  fs::path c = fs::weakly_canonical(abs, ec);
  return (ec ? abs.lexically_normal() : c).generic_string();
}

// `path` relative to `root`, or nullopt when it lies outside.
std::optional<std::string> RepoRelative(const std::string& root, const std::string& path) {
  std::string c = Canonical(path);
  if (c == root) return std::string();
  std::string prefix = root.back() == '/' ? root : root + "/";
  if (c.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  std::string rel = c.substr(prefix.size());
  while (!rel.empty() && rel.back() == '/') rel.pop_back();
  return rel;
}

std::string DirOf(const std::string& anchor) {
  std::error_code ec;
  if (fs::is_directory(anchor, ec)) return anchor;
  fs::path parent = fs::path(anchor).parent_path();
  return parent.empty() ? "." : parent.string();
}

// The version files of `env` in `commit`'s tree, in Alembic's order per directory.
Result<std::vector<std::pair<std::string, std::string>>> ReadVersionFiles(const std::string& root,
                                                                          const std::string& commit,
                                                                          const Environment& env) {
  std::vector<std::pair<std::string, std::string>> files;
  std::set<std::string> seen;  // two version dirs may overlap
  for (const std::string& dir : env.version_dirs) {
    std::optional<std::string> rel = RepoRelative(root, dir);
    if (!rel) continue;
    Result<std::vector<GitBlob>> blobs = GitReadTree(root, commit, *rel, env.recursive);
    if (!blobs.ok()) return blobs.error();
    for (GitBlob& b : *blobs) {
      std::string name = b.path.substr(b.path.rfind('/') + 1);
      if (!IsMigrationFileName(name) || !seen.insert(b.path).second) continue;
      files.emplace_back(std::move(b.path), std::move(b.text));
    }
  }
  return files;
}

Result<std::shared_ptr<const BaseSnapshot>> LoadBase(const std::string& root,
                                                     const std::string& ref,
                                                     const std::string& commit,
                                                     const std::string& merge_base,
                                                     const Environment& env) {
  auto files = ReadVersionFiles(root, commit, env);
  if (!files.ok()) return files.error();
  std::optional<std::set<std::string>> fork_ids;
  std::shared_ptr<BaseSnapshot> snap = BuildBaseSnapshot(ref, commit, std::move(*files));
  if (merge_base == commit) {
    // The branch starts at REF itself: the fork point is the snapshot just built.
    fork_ids.emplace();
    for (const GraphNode& n : snap->graph->nodes()) fork_ids->insert(n.id);
  } else if (!merge_base.empty()) {
    auto at_fork = ReadVersionFiles(root, merge_base, env);
    if (!at_fork.ok()) return at_fork.error();
    std::shared_ptr<const BaseSnapshot> fork =
        BuildBaseSnapshot(ref, merge_base, std::move(*at_fork));
    fork_ids.emplace();
    for (const GraphNode& n : fork->graph->nodes()) fork_ids->insert(n.id);
  }
  snap->fork_point_ids = std::move(fork_ids);
  return std::shared_ptr<const BaseSnapshot>(std::move(snap));
}

}  // namespace

bool SinceScope::Changed(const std::string& path) const {
  std::optional<std::string> rel = RepoRelative(root, path);
  return rel && changed.count(*rel) > 0;
}

Result<SinceScope> ResolveSince(const std::string& ref, const std::string& anchor) {
  Result<std::string> top = GitTopLevel(DirOf(anchor));
  if (!top.ok())
    return Error{fmt::format("--since needs a git repository: {}", top.error().message)};
  SinceScope scope;
  scope.ref = ref;
  scope.root = Canonical(*top);
  Result<std::string> commit = GitResolveCommit(scope.root, ref);
  if (!commit.ok()) {
    return Error{fmt::format(
        "--since: {} (in a shallow CI checkout, fetch it first, e.g. `git fetch --depth=1 origin "
        "main` and pass `--since origin/main`)",
        commit.error().message)};
  }
  scope.commit = *commit;
  scope.merge_base = GitMergeBase(scope.root, scope.commit);
  Result<std::vector<std::string>> changed =
      GitChangedFiles(scope.root, scope.merge_base.empty() ? scope.commit : scope.merge_base);
  if (!changed.ok()) return Error{fmt::format("--since {}: {}", ref, changed.error().message)};
  scope.changed.insert(changed->begin(), changed->end());
  return scope;
}

Status LoadSinceBases(Workspace* ws, const SinceScope& scope) {
  for (Environment& env : ws->envs) {
    Result<std::shared_ptr<const BaseSnapshot>> base =
        LoadBase(scope.root, scope.ref, scope.commit, scope.merge_base, env);
    if (!base.ok()) return Error{fmt::format("--since {}: {}", scope.ref, base.error().message)};
    env.base = std::move(*base);
  }
  return Status::Ok();
}

Status ApplySince(Workspace* ws, const std::string& ref, const std::string& anchor) {
  Result<SinceScope> scope = ResolveSince(ref, anchor);
  if (!scope.ok()) return Error{scope.error().message};
  for (size_t i = 0; i < ws->files.size(); ++i) {
    if (!scope->Changed(ws->files[i].path)) ws->loaded[i].report_on = false;
  }
  return LoadSinceBases(ws, *scope);
}

}  // namespace alint
