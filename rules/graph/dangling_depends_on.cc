// dangling-depends-on: a depends_on entry names neither a revision id nor a branch label.

#include <fmt/format.h>

#include "lint/engine/rule.h"
#include "lint/graph/revision_graph.h"
#include "lint/rulekit/graph_util.h"

namespace alint {
namespace {

class DanglingDependsOn final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"dangling-depends-on",
                                "A depends_on entry names no revision or branch label",
                                Severity::kError, "graph"};
    return kInfo;
  }

  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    const RevisionGraph& g = view.graph;
    if (g.incomplete()) return;
    for (const DanglingRef& d : g.dangling()) {
      if (d.field != DanglingRef::Field::kDependsOn) continue;
      const GraphNode& node = g.node(d.node);
      const RevRef& ref = node.depends_on[d.ref];
      Span anchor = ref.span.valid() ? ref.span : node.migration->depends_on.target;
      Finding& f = ctx.Report(
          anchor, fmt::format("depends_on `{}` names no revision or branch label in this "
                              "environment",
                              ref.value));
      std::vector<Suggestion> all = g.Suggest(ref.value);
      std::vector<Suggestion> best = rulekit::BestSuggestions(all);
      std::string help = fmt::format(
          "Alembic fails with KeyError: '{}' while loading the history, before any command "
          "runs. depends_on takes full revision ids or branch labels; unlike the command line "
          "it does not accept partial ids.",
          ref.value);
      if (!all.empty()) {
        help += fmt::format(" Did you mean {}?", rulekit::DescribeSuggestions(ctx, g, all));
        for (const Suggestion& s : all) {
          f.related.push_back(
              {g.node(s.node).id_span, fmt::format("`{}` is declared here", g.node(s.node).id)});
        }
      } else {
        help += " Remove the entry if the dependency is gone.";
      }
      f.help = std::move(help);
      if (best.size() == 1 && best.front().why != Suggestion::Why::kLabel) {
        const GraphNode& to = g.node(best.front().node);
        f.fix = rulekit::ReplaceLiteral(ctx, ref.span, to.id,
                                        fmt::format("Replace `{}` with `{}`", ref.value, to.id));
      }
    }
  }
};

}  // namespace

const Rule& DanglingDependsOnRule() {
  static const DanglingDependsOn r;
  return r;
}

}  // namespace alint
