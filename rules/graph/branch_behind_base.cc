// branch-behind-base: in PR mode, a new migration revises a revision that the base branch has
// since built on, so merging the PR leaves two heads.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

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
constexpr RuleOption kOptions[] = {kExpectedHeads};

// Heads of `g` at or below `n` through down_revision (load order), skipping shadowed ones.
std::vector<uint32_t> HeadsFrom(const RevisionGraph& g, uint32_t n) {
  std::vector<uint32_t> out;
  if (g.node(n).is_head) out.push_back(n);
  for (uint32_t d : g.Descendants(n)) {
    if (g.node(d).is_head && !g.node(d).shadowed) out.push_back(d);
  }
  return out;
}

class BranchBehindBase final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"branch-behind-base",
                                "A new migration revises a revision the base branch has since "
                                "built on: merging leaves two heads",
                                Severity::kError, "graph", kOptions};
    return kInfo;
  }

  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    const BaseSnapshot* base = view.env.base.get();
    if (base == nullptr || !base->graph) return;
    const RevisionGraph& g = view.graph;
    const RevisionGraph& b = *base->graph;
    // Without every header literal the heads (here or at the base) are guesses.
    if (g.incomplete() || b.incomplete()) return;

    for (const GraphNode& n : g.nodes()) {
      if (n.shadowed || b.Find(n.id) != nullptr) continue;  // not added by this branch
      for (size_t i = 0; i < n.down.size(); ++i) {
        const GraphNode* parent_at_base = b.Find(n.down[i].value);
        if (parent_at_base == nullptr) continue;
        // Children the base gave this parent that the branch does not have: the base moved
        // on past the point the branch started from.
        std::vector<uint32_t> missing;
        for (uint32_t c : parent_at_base->children) {
          const std::string& id = b.node(c).id;
          // Present when the branch started and gone now: the branch deleted it on purpose.
          bool deleted = base->fork_point_ids && base->fork_point_ids->count(id) > 0;
          if (g.Find(id) == nullptr && !deleted) missing.push_back(c);
        }
        if (missing.empty()) continue;
        Report(view, ctx, *base, n, i, *parent_at_base, missing);
      }
    }
  }

 private:
  static void Report(const GraphView& view, RuleContext& ctx, const BaseSnapshot& base,
                     const GraphNode& n, size_t ref, const GraphNode& parent,
                     const std::vector<uint32_t>& missing) {
    const RevisionGraph& g = view.graph;
    const RevisionGraph& b = *base.graph;
    // A new branch_labels line (expand/contract) is meant to stay apart.
    if (!n.labels.empty()) return;
    std::vector<uint32_t> moved_on;
    for (uint32_t c : missing) {
      if (b.node(c).labels.empty()) moved_on.push_back(c);
    }
    if (moved_on.empty()) return;

    // The heads after merging: the branch's own, plus the base's that the branch lacks.
    std::set<std::string> merged_heads;
    for (uint32_t h : g.heads()) {
      if (!g.node(h).shadowed) merged_heads.insert(g.node(h).id);
    }
    std::vector<std::string> base_heads;  // what `n` should revise instead
    for (uint32_t c : moved_on) {
      for (uint32_t h : HeadsFrom(b, c)) {
        const std::string& id = b.node(h).id;
        merged_heads.insert(id);
        if (std::find(base_heads.begin(), base_heads.end(), id) == base_heads.end()) {
          base_heads.push_back(id);
        }
      }
    }
    if (static_cast<int64_t>(merged_heads.size()) <= ctx.IntOption("expected-heads")) return;
    std::vector<uint32_t> own = HeadsFrom(g, n.index);
    std::string own_head = own.empty() ? n.id : g.node(own.front()).id;

    const GraphNode& first = b.node(moved_on.front());
    std::string others = moved_on.size() == 1
                             ? fmt::format("`{}` ({})", first.id, base.PathOf(first))
                             : fmt::format("`{}` ({}) and {} more", first.id, base.PathOf(first),
                                           moved_on.size() - 1);
    std::vector<std::string> heads(merged_heads.begin(), merged_heads.end());
    Finding& f = ctx.Report(
        rulekit::DownAnchor(n, ref),
        fmt::format("`{}` revises `{}`, but `{}` has moved on: {} also revises `{}` there; after "
                    "merging, the history has {} heads ({})",
                    n.id, parent.id, base.ref, others, parent.id, heads.size(),
                    rulekit::JoinIds(heads)));
    if (const GraphNode* p = g.Find(parent.id)) {
      f.related.push_back({p->id_span, fmt::format("`{}` is a head on this branch, not on `{}`",
                                                   parent.id, base.ref)});
    }
    std::string merge = fmt::format("`alembic merge -m \"merge {}\" {} {}`", base.ref, own_head,
                                    fmt::join(base_heads, " "));
    if (base_heads.size() == 1) {
      f.help = fmt::format(
          "rebase on `{0}` and set `down_revision = \"{1}\"` (the head of `{0}`), or, to keep "
          "both lines, add a merge migration after rebasing: {2}",
          base.ref, base_heads.front(), merge);
      std::optional<Fix> fix = rulekit::ReplaceLiteral(
          ctx, n.down[ref].span, base_heads.front(),
          fmt::format("Revise `{}`, the head of `{}`", base_heads.front(), base.ref));
      if (fix && n.down.size() == 1 && n.migration != nullptr && n.migration->docstring.revises &&
          n.migration->docstring.revises->value == parent.id) {
        // Keep the docstring's `Revises:` line true, as `alembic revision` writes it.
        fix->edits.push_back({n.migration->docstring.revises->span, base_heads.front()});
      }
      if (fix) f.fix = std::move(fix);
    } else {
      f.help = fmt::format("`{}` has several heads here ({}); rebase on it and merge them: {}",
                           base.ref, rulekit::JoinIds(base_heads), merge);
    }
  }
};

}  // namespace

const Rule& BranchBehindBaseRule() {
  static const BranchBehindBase r;
  return r;
}

}  // namespace alint
