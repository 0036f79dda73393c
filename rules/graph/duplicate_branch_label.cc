// duplicate-branch-label: a branch label declared twice, or equal to a revision id.

#include <unordered_map>

#include <fmt/format.h>

#include "lint/engine/rule.h"
#include "lint/graph/revision_graph.h"
#include "lint/rulekit/graph_util.h"

namespace alint {
namespace {

class DuplicateBranchLabel final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"duplicate-branch-label",
                                "A branch label is declared twice or equals a revision id",
                                Severity::kError, "graph"};
    return kInfo;
  }

  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    const RevisionGraph& g = view.graph;
    struct Seen {
      uint32_t node;
      Span span;
    };
    std::unordered_map<std::string, Seen> first;
    for (const GraphNode& n : g.nodes()) {
      for (const RevRef& label : n.labels) {
        Span anchor = label.span.valid() ? label.span : n.migration->branch_labels.target;
        if (const GraphNode* rev = g.Find(label.value)) {
          Finding& f = ctx.Report(
              anchor, fmt::format("branch label `{}` is also a revision id", label.value));
          f.related.push_back({rev->id_span, fmt::format("revision `{}`", rev->id)});
          f.help = fmt::format(
              "Alembic fails with RevisionError: Branch name '{}' in revision {} already used "
              "by revision {}. Labels and ids share one namespace (`{}@head` must mean one "
              "thing): rename the label.",
              label.value, n.id, rev->id, label.value);
          continue;
        }
        auto [it, inserted] = first.emplace(label.value, Seen{n.index, anchor});
        if (inserted) continue;
        const GraphNode& owner = g.node(it->second.node);
        bool same = owner.index == n.index;
        bool duplicate_file = !same && owner.id == n.id;
        Finding& f =
            ctx.Report(anchor, same ? fmt::format("branch label `{}` is listed twice", label.value)
                                    : fmt::format("branch label `{}` is already declared on `{}`",
                                                  label.value, owner.id));
        f.related.push_back({it->second.span, fmt::format("first declared here")});
        f.help = fmt::format(
            "Alembic fails with RevisionError: Branch name '{}' in revision {} already used by "
            "revision {}. A label names one branch and sits on its first revision only; later "
            "revisions of the branch inherit it.{}",
            label.value, n.id, owner.id,
            same ? " Remove the repeated entry."
            : duplicate_file
                ? " The two files share a revision id too (see duplicate-revision)."
                : fmt::format(" Remove it here (this revision is on branch `{}` once it "
                              "revises that branch), or choose another name.",
                              label.value));
      }
    }
  }
};

}  // namespace

const Rule& DuplicateBranchLabelRule() {
  static const DuplicateBranchLabel r;
  return r;
}

}  // namespace alint
