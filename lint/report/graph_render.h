#pragma once
/// The revision graph as a diagram: Mermaid (GitHub renders it in a PR comment or a Markdown
/// file) or Graphviz dot. One diagram holds every environment (a subgraph each when there are
/// several). Revisions point to their children (history flows down); depends_on is a dotted
/// arrow. Marked: heads, bases, branch points, merges and branch labels; and what the chain
/// rules report: a fork (heads of one branch), an id declared twice, a down_revision or
/// depends_on naming nothing (drawn as a dashed "missing" node), a cycle.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/source.h"
#include "lint/graph/revision_graph.h"

namespace alint {

enum class GraphFormat : uint8_t { kMermaid, kDot };

/// One environment's graph, with what to show of it.
struct GraphSection {
  std::string name;  ///< the environment's name
  const RevisionGraph* graph = nullptr;
  /// The revisions to focus on (PR mode: those the change touches). Empty: the whole graph.
  /// With a focus, only these, their parents and children and the heads are drawn; an elided
  /// stretch of history is one "..." node.
  std::set<uint32_t> focus;
};

/// The diagram of `sections` in `format`. `files` gives each revision's file name (its slug
/// is shown under the id).
std::string RenderGraph(const std::vector<GraphSection>& sections,
                        const std::vector<SourceFile>& files, GraphFormat format);

}  // namespace alint
