#pragma once
/// PR mode (`check --since REF`): graph rules keep seeing every migration, file rules report
/// only on the migrations added or changed since REF, and each environment gets its revision
/// graph at REF (Environment::base) so branch-behind-base can predict a fork after merging.
///
/// "Changed since REF": the files that differ between the comparison commit and the work tree
/// (committed, staged or not, plus untracked files), where the comparison commit is the
/// merge base of REF and HEAD when git can compute it, else REF itself. The fallback is what a
/// shallow CI checkout gets (`git fetch --depth=1 origin main`): there REF's tree is compared
/// directly, which in a pull request's merge checkout is exactly the PR's changes. The graph
/// at REF is always read from REF's own tree (`git ls-tree` / `git cat-file`), never from the
/// merge base: the question is what the history looks like after merging into REF now.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lint/core/result.h"
#include "lint/engine/linter.h"
#include "lint/git/git.h"

namespace alint {

/// What `--since REF` compares, resolved before anything is loaded, so that only the changed
/// files are parsed fully and linted (LoadOptions::report_filter = Changed); the rest is read
/// for the graph only.
struct SinceScope {
  std::string ref;                ///< as the user wrote it
  std::string root;               ///< the repository's top level, canonical
  std::string commit;             ///< REF resolved
  std::string merge_base;         ///< of REF and HEAD; "" when git cannot compute it
  std::set<std::string> changed;  ///< repository-relative paths changed since the comparison
  /// The last component of every path in `changed` (ResolveSince fills both; left empty, Changed
  /// resolves every path): a file that is no symlink and whose name none of them has did not
  /// change, and Changed says so without resolving its path.
  std::set<std::string, std::less<>> changed_names;

  /// True when `path` lies inside the repository and changed (a file outside cannot have).
  bool Changed(const std::string& path) const;
};

/// Resolves REF, the merge base and the changed files. `anchor` is a path (file or directory)
/// inside the repository, usually the first path the user gave. Errors: `anchor` not inside a
/// git work tree, `ref` unknown, git failing.
Result<SinceScope> ResolveSince(const std::string& ref, const std::string& anchor);

/// The git listings the bases need that depend only on the scope and the environments' version
/// directories, not on what the load reads: each directory's `git ls-tree` at REF (and at the
/// merge base when it differs) and the files that differ between REF and the work tree. The
/// CLI lists them on git's thread while the load reads the headers (ListBaseTrees), so that
/// LoadSinceBases, after the load, only reads the changed files' blobs and builds the graphs.
struct BaseTrees {
  /// By ListKey(commit, repository-relative dir, recursive).
  std::map<std::string, Result<std::vector<GitTreeEntry>>, std::less<>> listed;
  /// GitChangedFiles against REF, when REF is ahead of the merge base.
  std::optional<Result<std::vector<std::string>>> changed_at_ref;

  static std::string ListKey(const std::string& commit, const std::string& dir, bool recursive);
};

/// One environment's version directories as discovery resolved them, and whether Alembic
/// searches them recursively.
struct VersionDirs {
  std::vector<std::string> dirs;
  bool recursive = false;
};

/// Lists what BaseTrees holds for `envs`. Errors are kept per listing and reported by
/// LoadSinceBases as it would report its own.
BaseTrees ListBaseTrees(const SinceScope& scope, const std::vector<VersionDirs>& envs);

/// Sets `base` (the graph at REF) on every environment whose version directories lie inside
/// the repository. `listed` (optional): ListBaseTrees' results; a listing it lacks is read
/// here.
Status LoadSinceBases(Workspace* ws, const SinceScope& scope, const BaseTrees* listed = nullptr);

/// Both steps on a workspace loaded without a filter: resolves, narrows `ws->report_on` to the
/// changed files, loads the bases. (The CLI resolves before loading instead.)
Status ApplySince(Workspace* ws, const std::string& ref, const std::string& anchor);

}  // namespace alint
