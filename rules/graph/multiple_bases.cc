// multiple-bases: more than one revision starts a history (down_revision = None), and
// nothing merges them or labels them as separate branches.

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "lint/engine/rule.h"
#include "lint/graph/revision_graph.h"
#include "lint/rulekit/graph_util.h"

namespace alint {
namespace {

// allowed-branch-labels: read by multiple-heads and multiple-bases (declared by both).
constexpr RuleOption kAllowedBranchLabels{
    "allowed-branch-labels", RuleOption::Type::kStringList,
    "Branch labels whose heads and bases are meant to stay apart (empty: every label)"};
constexpr RuleOption kOptions[] = {kAllowedBranchLabels};

class MultipleBases final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"multiple-bases",
                                "More than one unlabelled revision starts the history",
                                Severity::kWarning, "graph", kOptions};
    return kInfo;
  }

  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    const RevisionGraph& g = view.graph;
    if (g.incomplete()) return;
    std::vector<uint32_t> bases;
    for (uint32_t b : g.bases()) {
      if (!g.node(b).shadowed) bases.push_back(b);
    }
    if (bases.size() < 2) return;

    // Bases whose histories meet (a merge revision, or a depends_on) form one group.
    std::vector<uint32_t> parent(bases.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](uint32_t x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    std::vector<uint32_t> owner(g.nodes().size(), kNoNode);
    std::vector<size_t> reach(bases.size(), 0);
    for (uint32_t i = 0; i < bases.size(); ++i) {
      std::vector<uint32_t> nodes = g.Descendants(bases[i], /*include_dependencies=*/true);
      nodes.push_back(bases[i]);
      reach[i] = nodes.size();
      for (uint32_t n : nodes) {
        if (owner[n] == kNoNode) {
          owner[n] = i;
        } else {
          parent[find(i)] = find(owner[n]);
        }
      }
    }
    const std::vector<std::string>& allowed = ctx.ListOption("allowed-branch-labels");
    auto labelled = [&](uint32_t b) {
      for (const RevRef& l : g.node(b).labels) {
        if (allowed.empty() ||
            std::find(allowed.begin(), allowed.end(), l.value) != allowed.end()) {
          return true;
        }
      }
      return false;
    };
    // The main history: the group reaching the most revisions (the first base on a tie).
    std::vector<size_t> group_size(bases.size(), 0);
    for (uint32_t i = 0; i < bases.size(); ++i) group_size[find(i)] += reach[i];
    uint32_t main_group = find(0);
    for (uint32_t i = 0; i < bases.size(); ++i) {
      if (group_size[find(i)] > group_size[main_group]) main_group = find(i);
    }
    uint32_t main_base = kNoNode;
    for (uint32_t i = 0; i < bases.size(); ++i) {
      if (find(i) == main_group) {
        main_base = bases[i];
        break;
      }
    }
    const GraphNode& main = g.node(main_base);
    std::vector<uint32_t> main_heads;
    for (uint32_t h : g.heads()) {
      if (owner[h] != kNoNode && find(owner[h]) == main_group) main_heads.push_back(h);
    }
    for (uint32_t i = 0; i < bases.size(); ++i) {
      if (find(i) == main_group) continue;
      const GraphNode& b = g.node(bases[i]);
      // A separate root on purpose carries a label, or is tied in through depends_on.
      if (labelled(bases[i]) || b.has_dependencies) continue;
      Finding& f = ctx.Report(
          rulekit::DownAnchor(b),
          fmt::format("`{}` starts a second history (`down_revision = None`) beside `{}`, and "
                      "nothing merges them",
                      b.id, main.id));
      f.related.push_back({main.id_span, fmt::format("first base `{}`", main.id)});
      std::string target = main_heads.size() == 1
                               ? fmt::format("`down_revision = \"{}\"` (the current head)",
                                             g.node(main_heads.front()).id)
                               : std::string("the current head's id");
      f.help = fmt::format(
          "Two histories that never merge also mean two heads (`alembic upgrade head` fails) "
          "and an ambiguous `get_base()`. If `{}` belongs after the existing "
          "history, set {}; if it is an independent branch on purpose, give it "
          "`branch_labels = (\"<name>\",)`{}.",
          b.id, target, allowed.empty() ? "" : " and add the label to allowed_branch_labels");
    }
  }
};

}  // namespace

const Rule& MultipleBasesRule() {
  static const MultipleBases r;
  return r;
}

}  // namespace alint
