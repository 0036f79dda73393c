#pragma once
/// PR mode's view of the base: one environment's migrations as they are at the base ref
/// (`check --since REF`), read from git (header facts only) and built into a revision graph.
/// The branch-behind-base rule compares it with the work tree's graph to predict the heads
/// after merging.

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lint/core/source.h"
#include "lint/graph/revision_graph.h"
#include "lint/python/migration.h"

namespace alint {

/// Immutable once built; shared (read-only) by every thread that runs graph rules. FileIds in
/// `files`, `migrations` and `graph` index this snapshot's own `files`, NOT the workspace's:
/// never put a span of the snapshot into a Finding.
struct BaseSnapshot {
  std::string ref;     ///< as the user wrote it, e.g. "origin/main"
  std::string commit;  ///< the commit id it resolved to
  /// path and display_path: repository-relative; the text of the files whose facts were read
  /// here (a file that reused the work tree's facts has none: nothing reads it afterwards).
  std::vector<SourceFile> files;
  /// Parallel to files: each file's header facts, either read here (held in `read`) or the
  /// work tree's for a file identical at the base (not owned: the workspace outlives its
  /// environments' bases). Their `file` and spans may name the work tree's FileId; the graph
  /// is built with the snapshot's own.
  std::vector<const Migration*> migrations;
  std::vector<Migration> read;  ///< the facts read here, for the files given without `known`
  std::unique_ptr<RevisionGraph> graph;
  /// Revision ids at the merge base of REF and HEAD, when git could compute it (not in a
  /// shallow checkout). A revision of REF listed here was there when the branch started:
  /// if the branch lacks it, the branch deleted it, and merging will not bring it back.
  std::optional<std::set<std::string>> fork_point_ids;

  BaseSnapshot() = default;
  BaseSnapshot(const BaseSnapshot&) = delete;
  BaseSnapshot& operator=(const BaseSnapshot&) = delete;

  /// The repository-relative path of `node` (a node of `graph`).
  const std::string& PathOf(const GraphNode& node) const { return files[node.file].path; }
};

/// One version file at the base: its repository-relative path and text, and, when the file is
/// byte-identical in the work tree, the facts already read there (not owned: the snapshot
/// points at them, so they must outlive it). With `known` the text may be left empty: only
/// the facts are read from it.
struct BaseFile {
  std::string path;
  std::string text;
  const Migration* known = nullptr;
};

/// Builds a snapshot from the version files at the base (in Alembic's load order): extracts
/// their header facts (or copies the known ones) and builds the graph. The fixture runner
/// uses it with files from disk; PR mode with files read from git, reusing the work tree's
/// facts for every file the branch did not change.
std::shared_ptr<BaseSnapshot> BuildBaseSnapshot(std::string ref, std::string commit,
                                                std::vector<BaseFile> files);
std::shared_ptr<BaseSnapshot> BuildBaseSnapshot(
    std::string ref, std::string commit, std::vector<std::pair<std::string, std::string>> files);

}  // namespace alint
