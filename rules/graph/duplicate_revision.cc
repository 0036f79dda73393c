// duplicate-revision: two files declare the same revision id.

#include <fmt/format.h>

#include "lint/engine/rule.h"
#include "lint/graph/revision_graph.h"
#include "lint/rulekit/graph_util.h"

namespace alint {
namespace {

class DuplicateRevision final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"duplicate-revision",
                                "Two migration files declare the same revision id",
                                Severity::kError, "graph"};
    return kInfo;
  }

  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    const RevisionGraph& g = view.graph;
    for (const std::vector<uint32_t>& group : g.Duplicates()) {
      const std::string& id = g.node(group.front()).id;
      for (uint32_t n : group) {
        const GraphNode& node = g.node(n);
        std::vector<std::string> others;
        for (uint32_t o : group) {
          if (o != n) others.push_back(graph_rules::FileName(ctx, g.node(o)));
        }
        Finding& f = ctx.Report(node.id_span, fmt::format("revision id `{}` is also declared in {}",
                                                          id, graph_rules::JoinIds(others)));
        for (uint32_t o : group) {
          if (o == n) continue;
          f.related.push_back({g.node(o).id_span, fmt::format("`{}` also declared here", id)});
        }
        // Same parent on both sides is the usual "two PRs, one copied file" incident: after
        // renaming, the renamed file must also move on top of the other one.
        bool same_parent = true;
        for (uint32_t o : group) {
          std::vector<std::string> a, b;
          for (const RevRef& r : g.node(o).down) a.push_back(r.value);
          for (const RevRef& r : node.down) b.push_back(r.value);
          same_parent = same_parent && a == b;
        }
        std::string help = fmt::format(
            "Alembic only warns (\"Revision {0} is present more than once\"), keeps whichever "
            "file the directory listing returns last and silently drops the other; later "
            "commands then fail with misleading errors (multiple heads, KeyError, a migration "
            "that never runs). Give one of the files a new id (`alembic revision` generates "
            "one; change `revision` and the `Revision ID:` line)",
            id);
        if (same_parent && group.size() == 2) {
          help += fmt::format(
              " and make it revise the other: `down_revision = \"{}\"` in the renamed file", id);
        } else {
          help += ", then update every `down_revision` that meant the renamed one";
        }
        help += ".";
        f.help = std::move(help);
      }
    }
  }
};

}  // namespace

const Rule& DuplicateRevisionRule() {
  static const DuplicateRevision r;
  return r;
}

}  // namespace alint
