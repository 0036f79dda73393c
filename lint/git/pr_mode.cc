#include "lint/git/pr_mode.h"

#include <fmt/format.h>

#include <sys/stat.h>

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

// The work tree's version files by repository-relative path: a base file the branch did not
// change is byte-identical to it, so its facts need not be read again.
struct WorkTree {
  const Workspace* ws = nullptr;
  std::map<std::string, FileId, std::less<>> by_rel;
};

WorkTree IndexWorkTree(const Workspace& ws, const std::string& root) {
  WorkTree wt;
  wt.ws = &ws;
  for (const Environment& env : ws.envs) {
    for (const std::string& dir : env.version_dirs) {
      std::optional<std::string> rel = RepoRelative(root, dir);
      if (!rel) continue;
      const std::string rel_prefix = rel->empty() ? "" : *rel + "/";
      std::string dir_prefix = dir;
      while (dir_prefix.size() > 1 && dir_prefix.back() == '/') dir_prefix.pop_back();
      dir_prefix += '/';
      for (FileId id : env.files) {
        if (id >= ws.files.size() || ws.loaded[id].is_sql) continue;
        const std::string& path = ws.files[id].path;
        if (path.compare(0, dir_prefix.size(), dir_prefix) != 0) continue;
        wt.by_rel.emplace(rel_prefix + path.substr(dir_prefix.size()), id);
      }
    }
  }
  return wt;
}

// The version files of `env` in `commit`'s tree, in Alembic's order per directory. A file not
// in `changed` (the paths that differ between `commit` and the work tree; null: unknown) and
// present in the work tree is not read from git: its work-tree facts are reused.
Result<std::vector<BaseFile>> ReadVersionFiles(const std::string& root, const std::string& commit,
                                               const Environment& env, const WorkTree& wt,
                                               const std::set<std::string>* changed,
                                               const BaseTrees* listed) {
  std::vector<BaseFile> files;
  std::vector<std::string> oids;
  std::vector<size_t> read;    // index into files of each oid
  std::set<std::string> seen;  // two version dirs may overlap
  for (const std::string& dir : env.version_dirs) {
    std::optional<std::string> rel = RepoRelative(root, dir);
    if (!rel) continue;
    const Result<std::vector<GitTreeEntry>>* pre = nullptr;
    if (listed != nullptr) {
      auto it = listed->listed.find(BaseTrees::ListKey(commit, *rel, env.recursive));
      if (it != listed->listed.end()) pre = &it->second;
    }
    Result<std::vector<GitTreeEntry>> entries =
        pre != nullptr ? *pre : GitListTree(root, commit, *rel, env.recursive);
    if (!entries.ok()) return entries.error();
    for (GitTreeEntry& e : *entries) {
      std::string name = e.path.substr(e.path.rfind('/') + 1);
      if (!IsMigrationFileName(name) || !seen.insert(e.path).second) continue;
      auto known = changed != nullptr && changed->count(e.path) == 0 ? wt.by_rel.find(e.path)
                                                                     : wt.by_rel.end();
      if (known != wt.by_rel.end()) {
        const FileId id = known->second;
        // The facts are all the snapshot needs: no copy of the text (and no line index of it).
        files.push_back({std::move(e.path), std::string(), &wt.ws->loaded[id].facts});
      } else {
        read.push_back(files.size());
        oids.push_back(std::move(e.oid));
        files.push_back({std::move(e.path), "", nullptr});
      }
    }
  }
  Result<std::vector<std::string>> texts = GitReadBlobs(root, oids);
  if (!texts.ok()) return texts.error();
  for (size_t k = 0; k < read.size(); ++k) files[read[k]].text = std::move((*texts)[k]);
  return files;
}

Result<std::shared_ptr<const BaseSnapshot>> LoadBase(const SinceScope& scope,
                                                     const Environment& env, const WorkTree& wt,
                                                     const std::set<std::string>* changed_at_ref,
                                                     const BaseTrees* listed) {
  // scope.changed is against the merge base when there is one, else against REF itself.
  const std::set<std::string>* changed_at_fork =
      scope.merge_base.empty() ? nullptr : &scope.changed;
  auto files = ReadVersionFiles(scope.root, scope.commit, env, wt, changed_at_ref, listed);
  if (!files.ok()) return files.error();
  std::optional<std::set<std::string>> fork_ids;
  std::shared_ptr<BaseSnapshot> snap =
      BuildBaseSnapshot(scope.ref, scope.commit, std::move(*files));
  if (scope.merge_base == scope.commit) {
    // The branch starts at REF itself: the fork point is the snapshot just built.
    fork_ids.emplace();
    for (const GraphNode& n : snap->graph->nodes()) fork_ids->insert(n.id);
  } else if (!scope.merge_base.empty()) {
    auto at_fork = ReadVersionFiles(scope.root, scope.merge_base, env, wt, changed_at_fork, listed);
    if (!at_fork.ok()) return at_fork.error();
    std::shared_ptr<const BaseSnapshot> fork =
        BuildBaseSnapshot(scope.ref, scope.merge_base, std::move(*at_fork));
    fork_ids.emplace();
    for (const GraphNode& n : fork->graph->nodes()) fork_ids->insert(n.id);
  }
  snap->fork_point_ids = std::move(fork_ids);
  return std::shared_ptr<const BaseSnapshot>(std::move(snap));
}

}  // namespace

bool SinceScope::Changed(const std::string& path) const {
  if (changed.empty()) return false;
  if (!changed_names.empty()) {
    // Resolving the path (weakly_canonical: a system call per component) is most of the cost
    // for the thousands of files a PR leaves alone. A file that is no symlink keeps its name
    // when its directories are resolved, so a name no changed path has answers no.
    const size_t slash = path.rfind('/');
    const std::string_view name = slash == std::string::npos
                                      ? std::string_view(path)
                                      : std::string_view(path).substr(slash + 1);
    struct stat st;
    if (!name.empty() && name != "." && name != ".." && !changed_names.contains(name) &&
        ::lstat(path.c_str(), &st) == 0 && !S_ISLNK(st.st_mode)) {
      return false;
    }
  }
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
  for (const std::string& c : scope.changed) {
    const size_t slash = c.rfind('/');
    std::string name = slash == std::string::npos ? c : c.substr(slash + 1);
    if (name.empty() || name == "." || name == "..") {  // no file's name: resolve every path
      scope.changed_names.clear();
      break;
    }
    scope.changed_names.insert(std::move(name));
  }
  return scope;
}

std::string BaseTrees::ListKey(const std::string& commit, const std::string& dir, bool recursive) {
  std::string key = commit;
  key += '\0';
  key += dir;
  key += recursive ? "\0r" : "\0";
  return key;
}

BaseTrees ListBaseTrees(const SinceScope& scope, const std::vector<VersionDirs>& envs) {
  BaseTrees out;
  const bool ahead = !scope.merge_base.empty() && scope.merge_base != scope.commit;
  if (ahead) out.changed_at_ref = GitChangedFiles(scope.root, scope.commit);
  std::vector<const std::string*> commits = {&scope.commit};
  if (ahead) commits.push_back(&scope.merge_base);
  for (const VersionDirs& env : envs) {
    for (const std::string& dir : env.dirs) {
      std::optional<std::string> rel = RepoRelative(scope.root, dir);
      if (!rel) continue;
      for (const std::string* commit : commits) {
        std::string key = BaseTrees::ListKey(*commit, *rel, env.recursive);
        if (out.listed.contains(key)) continue;
        out.listed.emplace(std::move(key), GitListTree(scope.root, *commit, *rel, env.recursive));
      }
    }
  }
  return out;
}

Status LoadSinceBases(Workspace* ws, const SinceScope& scope, const BaseTrees* listed) {
  const WorkTree wt = IndexWorkTree(*ws, scope.root);
  // The paths that differ between REF and the work tree: scope.changed when it was computed
  // against REF, else one more `git diff` (REF is ahead of the merge base).
  std::set<std::string> changed_at_ref_storage;
  const std::set<std::string>* changed_at_ref = &scope.changed;
  if (!scope.merge_base.empty() && scope.merge_base != scope.commit) {
    Result<std::vector<std::string>> changed = listed != nullptr && listed->changed_at_ref
                                                   ? *listed->changed_at_ref
                                                   : GitChangedFiles(scope.root, scope.commit);
    if (changed.ok()) {
      changed_at_ref_storage.insert(changed->begin(), changed->end());
    } else {
      changed_at_ref = nullptr;  // read every base file from git
    }
    if (changed_at_ref != nullptr) changed_at_ref = &changed_at_ref_storage;
  }
  for (Environment& env : ws->envs) {
    Result<std::shared_ptr<const BaseSnapshot>> base =
        LoadBase(scope, env, wt, changed_at_ref, listed);
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
