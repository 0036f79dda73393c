// revision-cycle: down_revision (or depends_on) references loop back on themselves.

#include <fmt/format.h>

#include "lint/engine/rule.h"
#include "lint/graph/revision_graph.h"
#include "lint/rulekit/graph_util.h"

namespace alint {
namespace {

class RevisionCycle final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"revision-cycle",
                                "A cycle in the down_revision or depends_on references",
                                Severity::kError, "graph"};
    return kInfo;
  }

  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    const RevisionGraph& g = view.graph;
    for (const Cycle& c : g.cycles()) {
      std::string path;
      for (size_t i = 0; i < c.path.size(); ++i) {
        if (i > 0) path += " -> ";
        path += "`" + g.node(c.path[i]).id + "`";
      }
      const GraphNode& first = g.node(c.path[0]);
      const GraphNode& next = g.node(c.path[1]);
      Span anchor = Anchor(first, next.id, c.dependency);
      bool self = c.path.size() == 2;
      Finding& f = ctx.Report(
          anchor,
          self ? fmt::format("revision `{}` {} itself", first.id,
                             c.dependency ? "depends on" : "revises")
               : fmt::format("{}cycle: {}", c.dependency ? "dependency " : "revision ", path));
      for (size_t i = 1; i + 1 < c.path.size(); ++i) {
        const GraphNode& n = g.node(c.path[i]);
        const GraphNode& to = g.node(c.path[i + 1]);
        f.related.push_back(
            {Anchor(n, to.id, c.dependency),
             fmt::format("`{}` {} `{}`", n.id, c.dependency ? "points to" : "revises", to.id)});
      }
      std::string exc = c.dependency ? (self ? "DependencyLoopDetected: Dependency self-loop"
                                             : "DependencyCycleDetected: Dependency cycle")
                                     : (self ? "LoopDetected: Self-loop" : "CycleDetected: Cycle");
      f.help = fmt::format(
          "Every command fails with {} is detected in revisions (...). Arrows follow {}; a "
          "history must run from a base (`down_revision = None`) to its heads without "
          "returning. Point one of these at a revision outside the loop: usually `{}` in `{}` "
          "should name the revision it was really written on top of.",
          exc, c.dependency ? "down_revision and depends_on" : "down_revision", first.id,
          rulekit::FileName(ctx, first));
      if (c.needs != kNoNode) {
        // A duplicate id: the loop needs one particular file's definition of it.
        const GraphNode& d = g.node(c.needs);
        size_t copies = g.NodesWithId(d.id).size();
        f.message += fmt::format(
            " (when Alembic loads `{}` last of the {} files declaring `{}`; it lists files in "
            "file-system order)",
            rulekit::FileName(ctx, d), copies, d.id);
        for (uint32_t other : g.NodesWithId(d.id)) {
          if (other == c.needs) continue;
          f.related.push_back(
              {g.node(other).id_span, fmt::format("`{}` is also declared here", d.id)});
        }
      }
    }
  }

 private:
  static Span Anchor(const GraphNode& n, const std::string& to, bool dependency) {
    for (size_t i = 0; i < n.down.size(); ++i) {
      if (n.down[i].value == to) return rulekit::DownAnchor(n, i);
    }
    if (dependency) {
      for (const RevRef& r : n.depends_on) {
        if (r.span.valid()) return r.span;
      }
    }
    return rulekit::DownAnchor(n);
  }
};

}  // namespace

const Rule& RevisionCycleRule() {
  static const RevisionCycle r;
  return r;
}

}  // namespace alint
