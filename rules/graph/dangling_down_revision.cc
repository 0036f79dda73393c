// dangling-down-revision: a down_revision names no revision id of this environment.

#include <fmt/format.h>

#include "lint/engine/rule.h"
#include "lint/graph/revision_graph.h"
#include "lint/rulekit/graph_util.h"

namespace alint {
namespace {

class DanglingDownRevision final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"dangling-down-revision",
                                "A down_revision names a revision that does not exist",
                                Severity::kError, "graph"};
    return kInfo;
  }

  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    const RevisionGraph& g = view.graph;
    for (const DanglingRef& d : g.dangling()) {
      if (d.field != DanglingRef::Field::kDownRevision) continue;
      const GraphNode& node = g.node(d.node);
      const RevRef& ref = node.down[d.ref];
      Span anchor = rulekit::DownAnchor(node, d.ref);
      std::vector<Suggestion> all = g.Suggest(ref.value);
      if (d.problem == DanglingRef::Problem::kLabel) {
        ReportLabel(g, ctx, node, ref, anchor, all);
        continue;
      }
      // A revision whose id is not a literal could be the one meant: stay quiet.
      if (g.incomplete()) continue;
      Finding& f = ctx.Report(
          anchor,
          ref.value.empty()
              ? std::string("down_revision is an empty string inside a tuple; Alembic "
                            "looks up a revision named `''` and fails")
              : fmt::format("down_revision `{}` names no revision in this environment", ref.value));
      std::vector<Suggestion> best = rulekit::BestSuggestions(all);
      std::string help = fmt::format(
          "Alembic warns \"Revision {} referenced from {} is not present\" and then fails with "
          "KeyError: '{}' on every command.",
          ref.value, node.id, ref.value);
      if (!all.empty()) {
        help += fmt::format(" Did you mean {}?", rulekit::DescribeSuggestions(ctx, g, all));
        for (const Suggestion& s : all) {
          f.related.push_back(
              {g.node(s.node).id_span, fmt::format("`{}` is declared here", g.node(s.node).id)});
        }
      } else {
        help +=
            " Set it to the id of the revision this migration builds on (`alembic heads` "
            "lists the current heads), or None for a first migration.";
      }
      f.help = std::move(help);
      if (best.size() == 1) {
        const GraphNode& to = g.node(best.front().node);
        f.fix = rulekit::ReplaceLiteral(ctx, ref.span, to.id,
                                        fmt::format("Replace `{}` with `{}`", ref.value, to.id));
      }
    }
  }

 private:
  static void ReportLabel(const RevisionGraph& g, RuleContext& ctx, const GraphNode& node,
                          const RevRef& ref, Span anchor, const std::vector<Suggestion>& all) {
    uint32_t owner = g.LabelOwner(ref.value);
    Finding& f = ctx.Report(
        anchor, fmt::format("down_revision `{}` is a branch label, not a revision id", ref.value));
    if (owner != kNoNode) {
      f.related.push_back({g.node(owner).id_span, fmt::format("label `{}` is declared on `{}`",
                                                              ref.value, g.node(owner).id)});
    }
    std::vector<Suggestion> tips;
    for (const Suggestion& s : all) {
      if (s.why == Suggestion::Why::kLabel) tips.push_back(s);
    }
    std::string help = fmt::format(
        "Alembic resolves the label while building its map, then fails with KeyError: '{}' "
        "when it checks the history for cycles. `down_revision` needs the id of the revision "
        "to build on",
        ref.value);
    if (!tips.empty()) {
      std::vector<std::string> ids;
      for (const Suggestion& s : tips) ids.push_back(g.node(s.node).id);
      help += fmt::format(": the head of branch `{}` is {}", ref.value, rulekit::JoinIds(ids));
    }
    help += fmt::format(" (`alembic revision --head {}@head` writes it for you).", ref.value);
    f.help = std::move(help);
    if (tips.size() == 1) {
      const GraphNode& to = g.node(tips.front().node);
      f.fix = rulekit::ReplaceLiteral(
          ctx, ref.span, to.id,
          fmt::format("Replace label `{}` with its head `{}`", ref.value, to.id));
    }
    (void)node;
  }
};

}  // namespace

const Rule& DanglingDownRevisionRule() {
  static const DanglingDownRevision r;
  return r;
}

}  // namespace alint
