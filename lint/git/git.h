#pragma once
/// A thin layer over the `git` command line (run as a child process, never through a shell):
/// what PR mode (`check --since REF`) needs to know about a repository. Every call is
/// read-only; nothing here writes to the repository or needs history beyond REF's own commit,
/// so a shallow CI checkout where REF was fetched (`git fetch --depth=1 origin main`) works.

#include <string>
#include <vector>

#include "lint/core/result.h"

namespace alint {

/// Runs `git -C dir ARGS...` with `input` on its stdin; returns its stdout. A non-zero exit
/// is an Error carrying git's first stderr line. `git` is looked up on PATH.
Result<std::string> RunGit(const std::string& dir, const std::vector<std::string>& args,
                           const std::string& input = "");

/// The work tree root of the repository holding `dir` (absolute, no trailing '/').
/// Error: not inside a git work tree, or git is missing.
Result<std::string> GitTopLevel(const std::string& dir);

/// The full commit id `ref` names (`rev-parse --verify REF^{commit}`). Error: unknown ref.
Result<std::string> GitResolveCommit(const std::string& root, const std::string& ref);

/// Repository-relative paths ('/'-separated) of the files that differ between `commit` and the
/// work tree (committed, staged or not), deleted files excluded, plus untracked files that are
/// not ignored. Renames count as added files.
Result<std::vector<std::string>> GitChangedFiles(const std::string& root,
                                                 const std::string& commit);

/// The merge base of `commit` and HEAD, or an empty string when git cannot compute one (a
/// shallow checkout lacking the shared history, unrelated histories).
std::string GitMergeBase(const std::string& root, const std::string& commit);

/// One file of a commit's tree.
struct GitBlob {
  std::string path;  ///< repository-relative, '/'-separated
  std::string text;
};

/// One regular file of a commit's tree, by object id.
struct GitTreeEntry {
  std::string path;  ///< repository-relative, '/'-separated
  std::string oid;
};

/// The regular files of `commit` below the repository-relative directory `dir` ("" for the
/// root): directly in it, or at any depth when `recursive`. Symlinks and submodules are
/// skipped.
Result<std::vector<GitTreeEntry>> GitListTree(const std::string& root, const std::string& commit,
                                              const std::string& dir, bool recursive);

/// The contents of the blobs `oids`, in order, read in one `git cat-file --batch`.
Result<std::vector<std::string>> GitReadBlobs(const std::string& root,
                                              const std::vector<std::string>& oids);

/// GitListTree with every file's contents (GitReadBlobs).
Result<std::vector<GitBlob>> GitReadTree(const std::string& root, const std::string& commit,
                                         const std::string& dir, bool recursive);

}  // namespace alint
