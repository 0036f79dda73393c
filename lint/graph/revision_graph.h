#pragma once
/// The revision graph of one Alembic environment, built from header facts only (revision,
/// down_revision, branch_labels, depends_on), with Alembic 1.8.1's exact semantics
/// (alembic/script/revision.py RevisionMap._revision_map and alembic/script/base.py
/// ScriptDirectory._load_revisions / Script._from_filename).
///
/// Load order. Alembic walks each version location with os.listdir(), whose order is the
/// file system's (arbitrary). The graph assumes the order of `migrations` (discovery order);
/// everything that depends on the order (which duplicate wins, which error is raised first) is
/// flagged as such. Among files declaring the same id, Alembic keeps the last one loaded in its
/// map ("winner"); the others stay in its head/base lists (a quirk this graph reproduces).
///
/// Thread safety: immutable after construction; all const methods may be called from several
/// threads. Lifetime: keeps pointers to the Migration objects it was built from (they must
/// outlive the graph).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lint/core/source.h"
#include "lint/python/migration.h"

namespace alint {

inline constexpr uint32_t kNoNode = UINT32_MAX;

/// A revision reference as written (one element of down_revision / depends_on /
/// branch_labels) with the span of its string literal (or of the assignment target when the
/// value has no literal of its own).
struct RevRef {
  std::string value;
  Span span;
};

/// One revision: one migration file that declares a usable literal `revision`.
struct GraphNode {
  uint32_t index = 0;  ///< position in RevisionGraph::nodes()
  const Migration* migration = nullptr;
  FileId file = kNoFile;
  std::string id;
  Span id_span;  ///< the revision literal (or the `revision` target)
  /// Alembic's `_versioned_down_revisions`: down_revision after its normalisation
  /// (None, "", [] and () mean "base"; a one-element tuple is a scalar, even ("",)).
  std::vector<RevRef> down;
  bool is_base = false;  ///< Alembic's `is_base`: down_revision is None after normalisation
  /// `to_tuple(dependencies)` when Alembic reads them (dependencies truthy), else empty.
  std::vector<RevRef> depends_on;
  bool has_dependencies = false;  ///< `dependencies is not None` (a real base has none)
  std::vector<RevRef> labels;     ///< branch_labels as declared, in order
  /// A later file declares the same id: Alembic's map holds the later one.
  bool shadowed = false;

  // Edges, in Alembic's view (built from winners only; ids resolved exactly as Alembic does).
  std::vector<uint32_t> parents;     ///< versioned down_revisions that name a revision id
  std::vector<uint32_t> deps;        ///< depends_on targets (ids or branch labels)
  std::vector<uint32_t> children;    ///< Alembic's `nextrev` (winners only)
  std::vector<uint32_t> dependents;  ///< `_all_nextrev` minus `nextrev`

  bool is_head = false;       ///< in Alembic's `heads` (no versioned child)
  bool is_real_head = false;  ///< in `_real_heads` (no child, not depended on)
  bool is_real_base = false;  ///< is_base and no dependencies
  /// A head that some revision depends on: `alembic heads` shows "(effective head)".
  bool effective_head() const { return is_head && !is_real_head; }
  bool is_branch_point() const { return children.size() > 1; }
  bool is_merge_point() const { return down.size() > 1; }
};

/// A migration that is not a node, and why.
struct SkippedMigration {
  const Migration* migration = nullptr;
  std::string reason;
};

/// What Alembic would raise when loading this environment (the first failure it hits).
struct AlembicError {
  /// "no-revision", "missing-down-revision", "invalid-value", "invalid-id", "cycle",
  /// "dependency-cycle", "duplicate-label", "dangling-depends-on", "dangling",
  /// "label-as-down-revision", "import-error" (the file does not compile), "unreadable" (not a
  /// regular file, no permission: the import fails or blocks); and "not-static" when the verdict
  /// depends on values only running the files can give (no exception then).
  std::string kind;
  std::string exception;    ///< Python exception class, e.g. "KeyError", "CycleDetected"
  std::string message;      ///< str(exception) as Alembic builds it
  uint32_t node = kNoNode;  ///< the revision at fault, when there is one
  const Migration* migration = nullptr;  ///< the file at fault, when there is one
  /// The error (or which one comes first) depends on the order Alembic lists files in.
  bool order_dependent = false;
  /// "KeyError: 'abc'"-style text for "Alembic would fail with: ...".
  std::string Describe() const;
};

/// A reference that does not resolve to a revision id.
struct DanglingRef {
  enum class Field : uint8_t { kDownRevision, kDependsOn };
  enum class Problem : uint8_t {
    kMissing,  ///< names nothing (Alembic: KeyError)
    kLabel     ///< a down_revision naming a branch label (Alembic resolves it, then fails)
  };
  uint32_t node = kNoNode;
  Field field = Field::kDownRevision;
  Problem problem = Problem::kMissing;
  size_t ref = 0;  ///< index into node.down / node.depends_on
};

/// A cycle, as a path that starts and ends at the same node (`a -> b -> a` is {a, b, a}).
/// Arrows follow down_revision (and depends_on for a dependency cycle).
struct Cycle {
  std::vector<uint32_t> path;
  bool dependency = false;  ///< only closed through depends_on
  /// When the cycle goes through an id declared by several files, the one definition it
  /// needs (the file Alembic must load last of them; its order is the file system's), so the
  /// cycle exists under some load orders only. kNoNode when no duplicate is involved.
  uint32_t needs = kNoNode;
};

/// A "did you mean" candidate for an unresolved reference.
struct Suggestion {
  enum class Why : uint8_t {
    kFileStem,  ///< the reference is a file name (or the file it names now declares another id)
    kPrefix,    ///< a unique prefix of (or an extension of) a revision id
    kLabel,     ///< a branch label; the id is the head of that branch
    kNearMiss   ///< a small edit distance away
  };
  uint32_t node = kNoNode;
  Why why = Why::kNearMiss;
  std::string Explain() const;  ///< "file name", "unique prefix", "branch label", "similar id"
};

class RevisionGraph {
 public:
  /// Builds the graph of one environment. `migrations` in discovery order (Alembic's load
  /// order is assumed to be this order). `files`, when given (indexed by FileId), lets the
  /// graph read file names (legacy revision ids, file-stem suggestions). `file_ids`, when not
  /// empty, gives each migration's FileId in `files` (parallel to `migrations`) in place of its
  /// own `file`: PR mode's base graph reuses the work tree's facts for files it indexes anew.
  explicit RevisionGraph(const std::vector<const Migration*>& migrations,
                         const std::vector<SourceFile>* files = nullptr,
                         std::span<const FileId> file_ids = {});

  const std::vector<GraphNode>& nodes() const { return nodes_; }
  const GraphNode& node(uint32_t i) const { return nodes_[i]; }
  const std::vector<SkippedMigration>& skipped() const { return skipped_; }
  /// Some migration's header is not literal (or is unusable): results may be incomplete, so
  /// rules that reason about absence (dangling refs, heads) should stay quiet.
  bool incomplete() const { return incomplete_; }

  /// The node Alembic's map holds for `id` (the last one loaded), or nullptr.
  const GraphNode* Find(std::string_view id) const;
  /// Every node declaring `id`, in load order.
  std::vector<uint32_t> NodesWithId(std::string_view id) const;
  /// Ids declared by more than one file, each with its nodes (load order), in first-seen order.
  std::vector<std::vector<uint32_t>> Duplicates() const;
  /// How Alembic resolves a reference in down_revision/depends_on (`map_[ref]`): a revision id
  /// or a branch label. kNoNode when nothing matches.
  uint32_t Resolve(std::string_view ref) const;
  /// The node that declares `label` first, or kNoNode.
  uint32_t LabelOwner(std::string_view label) const;

  /// Alembic's `heads` (what `alembic heads` prints, load order; may repeat a duplicated id).
  const std::vector<uint32_t>& heads() const { return heads_; }
  /// Alembic's `_real_heads` (`alembic heads --resolve-dependencies`, `upgrade heads`).
  const std::vector<uint32_t>& real_heads() const { return real_heads_; }
  const std::vector<uint32_t>& bases() const { return bases_; }
  const std::vector<uint32_t>& real_bases() const { return real_bases_; }
  /// Ids of the lists above, as Alembic returns them.
  std::vector<std::string> Ids(std::span<const uint32_t> nodes) const;
  std::vector<uint32_t> BranchPoints() const;
  std::vector<uint32_t> MergePoints() const;

  const std::vector<DanglingRef>& dangling() const { return dangling_; }
  /// Every cycle (one per strongly connected component), through down_revision first; a
  /// dependency cycle is reported only where no down_revision cycle exists. Each is a cycle
  /// Alembic sees under some load order: the edges of one definition per id (the winner, or
  /// a shadowed duplicate whose own down_revision closes a loop when it is loaded last).
  const std::vector<Cycle>& cycles() const { return cycles_; }
  /// The first error Alembic would raise while loading, or nullopt when it loads.
  const std::optional<AlembicError>& alembic_error() const { return alembic_error_; }
  /// Warnings Alembic prints while loading (duplicates, missing references).
  const std::vector<std::string>& alembic_warnings() const { return warnings_; }

  /// Every node but shadowed duplicates in an order `alembic upgrade` can run them: parents
  /// and dependencies first, the lowest node index (load order) first among those ready.
  /// Nodes on a cycle are left out.
  std::vector<uint32_t> ParentsFirst() const;
  /// Ancestors (down_revision, plus depends_on when asked), excluding `n`, BFS order.
  std::vector<uint32_t> Ancestors(uint32_t n, bool include_dependencies = false) const;
  /// Descendants (children, plus dependents when asked), excluding `n`, BFS order.
  std::vector<uint32_t> Descendants(uint32_t n, bool include_dependencies = false) const;
  /// The nearest common ancestor-or-self of `a` and `b` through down_revision (fewest steps
  /// from `b`), or kNoNode.
  uint32_t CommonAncestor(uint32_t a, uint32_t b) const;
  /// Branch labels that apply to `n`: declared on `n` or on one of its down_revision
  /// ancestors (sorted, unique).
  std::vector<std::string> LineageLabels(uint32_t n) const;

  /// Candidates for an unresolved reference, best first: file stem, unique prefix, branch
  /// label, near misses (edit distance). Empty when nothing is close.
  std::vector<Suggestion> Suggest(std::string_view ref) const;

 private:
  /// Breadth-first from `n` (excluded) along `edges`, plus `extra` when not null.
  std::vector<uint32_t> Walk(uint32_t n, std::vector<uint32_t> GraphNode::*edges,
                             std::vector<uint32_t> GraphNode::*extra) const;
  void AddMigration(const Migration* m, FileId file, const std::vector<SourceFile>* files);
  void MapLabels();
  void ResolveEdges();
  void CheckNormalizeWalk();
  void DetectCycles();
  void FindCycles();
  void ComputeLineageLabels();
  void SetError(AlembicError e, int phase);

  std::vector<GraphNode> nodes_;
  std::vector<SkippedMigration> skipped_;
  std::vector<std::string> stems_;  ///< per node: file name without ".py" ("" if unknown)
  std::unordered_map<std::string, uint32_t> by_id_;     ///< winner per id
  std::unordered_map<std::string, uint32_t> by_label_;  ///< first owner per label
  std::vector<uint32_t> id_order_;  ///< winners in first-insertion order of their id
  std::vector<uint32_t> heads_, real_heads_, bases_, real_bases_;
  std::vector<DanglingRef> dangling_;
  std::vector<Cycle> cycles_;
  std::optional<AlembicError> alembic_error_;
  int error_phase_ = 1 << 30;
  std::vector<std::string> warnings_;
  std::vector<std::string> label_names_;
  std::vector<std::vector<uint16_t>> lineage_;  ///< per node: indices into label_names_
  bool incomplete_ = false;
};

}  // namespace alint
