// multiple-heads: the history forks into unmerged heads, so `alembic upgrade head` fails.

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lint/engine/rule.h"
#include "lint/engine/workspace.h"
#include "lint/git/base_snapshot.h"
#include "lint/graph/revision_graph.h"
#include "lint/rulekit/graph_util.h"

namespace alint {
namespace {

// expected-heads: read by multiple-heads and branch-behind-base (declared by both).
constexpr RuleOption kExpectedHeads{"expected-heads",
                                    RuleOption::Type::kInt,
                                    "How many heads the revision graph may have",
                                    1,
                                    1,
                                    1000};
// allowed-branch-labels: read by multiple-heads and multiple-bases (declared by both).
constexpr RuleOption kAllowedBranchLabels{
    "allowed-branch-labels", RuleOption::Type::kStringList,
    "Branch labels whose heads and bases are meant to stay apart (empty: every label)"};
constexpr RuleOption kOptions[] = {kExpectedHeads, kAllowedBranchLabels};

// The down_revision path from `from` to its ancestor `to` (both included), or empty.
std::vector<uint32_t> PathDown(const RevisionGraph& g, uint32_t from, uint32_t to) {
  std::map<uint32_t, uint32_t> prev;
  std::vector<uint32_t> queue{from};
  prev[from] = kNoNode;
  for (size_t qi = 0; qi < queue.size(); ++qi) {
    uint32_t v = queue[qi];
    if (v == to) {
      std::vector<uint32_t> path;
      for (uint32_t x = v; x != kNoNode; x = prev[x]) path.push_back(x);
      std::reverse(path.begin(), path.end());  // from ... to
      return path;
    }
    for (uint32_t p : g.node(v).parents) {
      if (prev.emplace(p, v).second) queue.push_back(p);
    }
  }
  return {};
}

std::string CreateDate(const GraphNode& n) {
  if (n.migration == nullptr || !n.migration->docstring.create_date) return "";
  return n.migration->docstring.create_date->value;
}

class MultipleHeads final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"multiple-heads", "The revision history forks into unmerged heads",
                                Severity::kError, "graph", kOptions};
    return kInfo;
  }

  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    const RevisionGraph& g = view.graph;
    if (g.incomplete()) return;
    // A chain cut by a dangling down_revision looks like a separate root; that is
    // dangling-down-revision's finding, not a fork.
    std::vector<char> cut(g.nodes().size(), 0);
    for (const DanglingRef& d : g.dangling()) {
      if (d.field == DanglingRef::Field::kDownRevision) cut[d.node] = 1;
    }
    auto broken = [&](uint32_t h) {
      if (cut[h]) return true;
      for (uint32_t a : g.Ancestors(h)) {
        if (cut[a]) return true;
      }
      return false;
    };
    std::vector<uint32_t> heads;
    for (uint32_t h : g.heads()) {
      // A duplicate Alembic dropped lingers in its head list; duplicate-revision covers it.
      if (!g.node(h).shadowed && !broken(h)) heads.push_back(h);
    }
    if (heads.size() <= 1 || static_cast<int64_t>(heads.size()) <= ctx.IntOption("expected-heads"))
      return;
    const std::vector<std::string>& allowed = ctx.ListOption("allowed-branch-labels");

    // Heads of distinct labelled branches (expand/contract) are meant to stay apart.
    std::map<std::string, std::vector<uint32_t>> lineages;
    for (uint32_t h : heads) {
      std::string key;
      for (const std::string& label : g.LineageLabels(h)) {
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), label) == allowed.end()) {
          continue;
        }
        key += label + "\n";
      }
      lineages[key].push_back(h);
    }
    std::vector<std::string> all_ids = g.Ids(heads);
    for (const auto& [key, group] : lineages) {
      if (group.size() < 2) continue;
      // The main line is the head with the longest history.
      uint32_t main = group.front();
      size_t main_depth = g.Ancestors(main).size();
      for (uint32_t h : group) {
        size_t d = g.Ancestors(h).size();
        if (d > main_depth) main = h, main_depth = d;
      }
      for (uint32_t h : group) {
        if (h != main) ReportFork(g, ctx, main, h, all_ids, key, view.env.base.get());
      }
    }
  }

 private:
  static void ReportFork(const RevisionGraph& g, RuleContext& ctx, uint32_t main, uint32_t h,
                         const std::vector<std::string>& all_ids, const std::string& label_key,
                         const BaseSnapshot* base) {
    const GraphNode& head = g.node(h);
    const GraphNode& main_head = g.node(main);
    std::string label_note =
        label_key.empty()
            ? ""
            : fmt::format(" on branch `{}`", label_key.substr(0, label_key.find('\n')));
    std::string upgrade_fails = fmt::format(
        "`alembic upgrade head` fails with \"Multiple heads are present for given argument "
        "'head'; {}\"",
        fmt::join(all_ids, ", "));
    std::string effective;
    for (const GraphNode* n : {&head, &main_head}) {
      if (!n->effective_head()) continue;
      std::vector<std::string> by;
      for (uint32_t d : n->dependents) by.push_back(g.node(d).id);
      effective += fmt::format(
          " `{}` is only an effective head ({} depends_on it, but no down_revision names it): "
          "`upgrade heads` works, `upgrade head` does not.",
          n->id, rulekit::JoinIds(by));
    }
    std::string merge =
        fmt::format("`alembic merge -m \"merge heads\" {} {}`", main_head.id, head.id);

    uint32_t bp = g.CommonAncestor(main, h);
    if (bp == kNoNode) {
      Finding& f = ctx.Report(
          head.id_span,
          fmt::format("multiple heads{}: `{}` and `{}` share no history (two separate roots)",
                      label_note, head.id, main_head.id));
      f.related.push_back({main_head.id_span, fmt::format("other head `{}`", main_head.id)});
      f.help = fmt::format(
          "{}.{} Merge the two histories with {}, or give the separate one "
          "its own `branch_labels`.",
          upgrade_fails, effective, merge);
      return;
    }
    std::vector<uint32_t> side_h = PathDown(g, h, bp);
    std::vector<uint32_t> side_main = PathDown(g, main, bp);
    if (side_h.size() < 2 || side_main.size() < 2) return;
    uint32_t child_h = side_h[side_h.size() - 2];
    uint32_t child_main = side_main[side_main.size() - 2];

    // The file that branched off the middle of the chain: the later Create Date when both
    // files have one, else the shorter branch, else the later file.
    bool h_newer;
    std::string date_h = CreateDate(g.node(child_h)), date_main = CreateDate(g.node(child_main));
    if (!date_h.empty() && !date_main.empty() && date_h != date_main) {
      h_newer = date_h > date_main;
    } else if (side_h.size() != side_main.size()) {
      h_newer = side_h.size() < side_main.size();
    } else {
      h_newer = child_h > child_main;
    }
    // PR mode: a side that is already on the base branch is merged history; the side to
    // change is the one the pull request adds, whatever its Create Date.
    if (base != nullptr && base->graph != nullptr) {
      const bool h_in_base = base->graph->Find(g.node(child_h).id) != nullptr;
      const bool main_in_base = base->graph->Find(g.node(child_main).id) != nullptr;
      if (h_in_base != main_in_base) h_newer = !h_in_base;
    }
    const GraphNode& newer_child = g.node(h_newer ? child_h : child_main);
    const GraphNode& older_child = g.node(h_newer ? child_main : child_h);
    const GraphNode& older_head = h_newer ? main_head : head;
    const GraphNode& branch_point = g.node(bp);

    size_t ref = 0;
    for (size_t i = 0; i < newer_child.down.size(); ++i) {
      if (newer_child.down[i].value == branch_point.id) ref = i;
    }
    Span anchor = rulekit::DownAnchor(newer_child, ref);
    std::string file = rulekit::FileName(ctx, newer_child);
    Finding& f = ctx.Report(
        anchor, fmt::format("multiple heads{}: `{}` and `{}` both descend from `{}`; `{}` "
                            "(in `{}`) revises `{}`, which is no longer the head",
                            label_note, head.id, main_head.id, branch_point.id, newer_child.id,
                            file, branch_point.id));
    f.related.push_back({branch_point.id_span, fmt::format("branch point `{}`", branch_point.id)});
    f.related.push_back({rulekit::DownAnchor(older_child),
                         fmt::format("`{}` also revises `{}`", older_child.id, branch_point.id)});
    f.related.push_back({older_head.id_span, fmt::format("current head `{}`", older_head.id)});
    f.help = fmt::format(
        "{}.{} Either point `down_revision` in `{}` at the current head: `down_revision = "
        "\"{}\"`, or merge the heads: {}.",
        upgrade_fails, effective, file, older_head.id, merge);
    if (newer_child.down.size() == 1) {
      f.fix = rulekit::ReplaceLiteral(
          ctx, anchor, older_head.id,
          fmt::format("Make `{}` revise the current head `{}`", newer_child.id, older_head.id));
    }
  }
};

}  // namespace

const Rule& MultipleHeadsRule() {
  static const MultipleHeads r;
  return r;
}

}  // namespace alint
