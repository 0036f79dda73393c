// Queries over a built RevisionGraph: cycles with their path, ancestry, lineage labels and
// "did you mean" suggestions.

#include <algorithm>
#include <queue>
#include <unordered_set>

#include "lint/graph/revision_graph.h"

namespace alint {

namespace {

// Strongly connected components (iterative Tarjan), each in discovery order of its nodes.
template <typename Edges>
std::vector<std::vector<uint32_t>> Components(size_t n, const Edges& edges) {
  std::vector<int> index(n, -1), low(n, 0);
  std::vector<char> on_stack(n, 0);
  std::vector<uint32_t> stack;
  std::vector<std::vector<uint32_t>> out;
  int counter = 0;
  struct Frame {
    uint32_t v;
    size_t next;
  };
  std::vector<Frame> frames;
  for (uint32_t root = 0; root < n; ++root) {
    if (index[root] != -1) continue;
    frames.push_back({root, 0});
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = 1;
    while (!frames.empty()) {
      Frame& f = frames.back();
      const std::vector<uint32_t>& out_edges = edges(f.v);
      if (f.next < out_edges.size()) {
        uint32_t w = out_edges[f.next++];
        if (index[w] == -1) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = 1;
          frames.push_back({w, 0});
        } else if (on_stack[w]) {
          low[f.v] = std::min(low[f.v], index[w]);
        }
        continue;
      }
      uint32_t v = f.v;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().v] = std::min(low[frames.back().v], low[v]);
      if (low[v] == index[v]) {
        std::vector<uint32_t> comp;
        uint32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = 0;
          comp.push_back(w);
        } while (w != v);
        std::sort(comp.begin(), comp.end());
        out.push_back(std::move(comp));
      }
    }
  }
  return out;
}

// Shortest path start -> ... -> start inside `members`.
template <typename Edges>
std::vector<uint32_t> CyclePath(uint32_t start, const std::vector<char>& members,
                                const Edges& edges) {
  std::vector<uint32_t> prev(members.size(), kNoNode);
  std::vector<uint32_t> queue;
  std::vector<char> seen(members.size(), 0);
  queue.push_back(start);
  for (size_t qi = 0; qi < queue.size(); ++qi) {
    uint32_t v = queue[qi];
    for (uint32_t w : edges(v)) {
      if (!members[w]) continue;
      if (w == start) {
        std::vector<uint32_t> path{start};
        for (uint32_t x = v; x != start; x = prev[x]) path.push_back(x);
        std::reverse(path.begin() + 1, path.end());
        path.push_back(start);
        return path;
      }
      if (!seen[w]) {
        seen[w] = 1;
        prev[w] = v;
        queue.push_back(w);
      }
    }
  }
  return {start, start};
}

size_t EditDistance(std::string_view a, std::string_view b, size_t cap) {
  if (a.size() > b.size() + cap || b.size() > a.size() + cap) return cap + 1;
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    size_t best = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
      best = std::min(best, row[j]);
    }
    if (best > cap) return cap + 1;
  }
  return row[b.size()];
}

}  // namespace

std::string Suggestion::Explain() const {
  switch (why) {
    case Why::kFileStem:
      return "file name";
    case Why::kPrefix:
      return "unique prefix";
    case Why::kLabel:
      return "branch label";
    case Why::kNearMiss:
      return "similar id";
  }
  return "similar id";
}

void RevisionGraph::FindCycles() {
  const size_t n = nodes_.size();
  auto versioned = [&](uint32_t v) -> const std::vector<uint32_t>& { return nodes_[v].parents; };
  std::vector<std::vector<uint32_t>> combined(n);
  for (const GraphNode& node : nodes_) {
    if (node.shadowed) continue;
    combined[node.index] = node.parents;
    for (uint32_t d : node.deps) {
      if (std::find(combined[node.index].begin(), combined[node.index].end(), d) ==
          combined[node.index].end()) {
        combined[node.index].push_back(d);
      }
    }
  }
  auto all = [&](uint32_t v) -> const std::vector<uint32_t>& { return combined[v]; };

  std::vector<char> in_versioned_cycle(n, 0);
  auto collect = [&](const auto& edges, bool dependency) {
    for (const std::vector<uint32_t>& comp : Components(n, edges)) {
      uint32_t start = comp.front();
      const std::vector<uint32_t>& out = edges(start);
      bool self_loop = std::find(out.begin(), out.end(), start) != out.end();
      if (comp.size() == 1 && !self_loop) continue;
      if (dependency && std::any_of(comp.begin(), comp.end(),
                                    [&](uint32_t v) { return in_versioned_cycle[v]; })) {
        continue;
      }
      std::vector<char> members(n, 0);
      for (uint32_t v : comp) {
        members[v] = 1;
        if (!dependency) in_versioned_cycle[v] = 1;
      }
      cycles_.push_back({CyclePath(start, members, edges), dependency});
    }
  };
  collect(versioned, false);
  collect(all, true);

  // A cycle through an id declared twice holds only when that definition wins.
  std::vector<size_t> copies(n, 0);
  for (const GraphNode& node : nodes_) ++copies[by_id_.at(node.id)];
  for (Cycle& c : cycles_) {
    for (uint32_t v : c.path) {
      if (copies[by_id_.at(nodes_[v].id)] > 1) {
        c.needs = v;
        break;
      }
    }
  }
  // A shadowed definition whose own down_revision leads back to its id: the cycle Alembic
  // sees when it loads that file last (breadth-first over the winners' versioned edges).
  for (const GraphNode& s : nodes_) {
    if (!s.shadowed) continue;
    std::vector<uint32_t> from(n, kNoNode);
    std::vector<uint32_t> queue;
    for (const RevRef& r : s.down) {
      auto it = by_id_.find(r.value);
      if (it != by_id_.end() && from[it->second] == kNoNode) {
        from[it->second] = s.index;
        queue.push_back(it->second);
      }
    }
    uint32_t hit = kNoNode;
    for (size_t q = 0; q < queue.size(); ++q) {
      uint32_t v = queue[q];
      if (nodes_[v].id == s.id) {
        hit = v;
        break;
      }
      for (uint32_t p : nodes_[v].parents) {
        if (from[p] == kNoNode) {
          from[p] = v;
          queue.push_back(p);
        }
      }
    }
    if (hit == kNoNode) continue;
    // `hit` is the winner of s.id; in the load order where `s` wins, the loop closes at `s`.
    std::vector<uint32_t> path{s.index};
    for (uint32_t v = from[hit]; v != s.index; v = from[v]) path.push_back(v);
    std::reverse(path.begin() + 1, path.end());
    path.push_back(s.index);
    cycles_.push_back({std::move(path), false, s.index});
  }
}

void RevisionGraph::ComputeLineageLabels() {
  lineage_.assign(nodes_.size(), {});
  for (uint16_t li = 0; li < label_names_.size(); ++li) {
    uint32_t owner = by_label_.at(label_names_[li]);
    std::vector<uint32_t> todo{owner};
    std::vector<char> seen(nodes_.size(), 0);
    while (!todo.empty()) {
      uint32_t v = todo.back();
      todo.pop_back();
      if (seen[v]) continue;
      seen[v] = 1;
      lineage_[v].push_back(li);
      for (uint32_t c : nodes_[v].children) todo.push_back(c);
    }
  }
}

std::vector<std::string> RevisionGraph::LineageLabels(uint32_t n) const {
  std::vector<std::string> out;
  for (uint16_t li : lineage_[n]) out.push_back(label_names_[li]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<uint32_t> RevisionGraph::Walk(uint32_t n, std::vector<uint32_t> GraphNode::*edges,
                                          std::vector<uint32_t> GraphNode::*extra) const {
  std::vector<uint32_t> out;
  std::vector<char> seen(nodes_.size(), 0);
  seen[n] = 1;
  std::vector<uint32_t> queue{n};
  for (size_t qi = 0; qi < queue.size(); ++qi) {
    const GraphNode& v = nodes_[queue[qi]];
    auto visit = [&](uint32_t w) {
      if (!seen[w]) {
        seen[w] = 1;
        queue.push_back(w);
        out.push_back(w);
      }
    };
    for (uint32_t w : v.*edges) visit(w);
    if (extra != nullptr) {
      for (uint32_t w : v.*extra) visit(w);
    }
  }
  return out;
}

std::vector<uint32_t> RevisionGraph::ParentsFirst() const {
  std::vector<size_t> waiting(nodes_.size(), 0);
  std::vector<std::vector<uint32_t>> after(nodes_.size());
  for (const GraphNode& n : nodes_) {
    if (n.shadowed) continue;
    for (const auto* list : {&n.parents, &n.deps}) {
      for (uint32_t p : *list) {
        if (p >= nodes_.size() || nodes_[p].shadowed) continue;
        ++waiting[n.index];
        after[p].push_back(n.index);
      }
    }
  }
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> ready;
  for (const GraphNode& n : nodes_) {
    if (!n.shadowed && waiting[n.index] == 0) ready.push(n.index);
  }
  std::vector<uint32_t> out;
  while (!ready.empty()) {
    const uint32_t i = ready.top();
    ready.pop();
    out.push_back(i);
    for (uint32_t c : after[i]) {
      if (--waiting[c] == 0) ready.push(c);
    }
  }
  return out;
}

std::vector<uint32_t> RevisionGraph::Ancestors(uint32_t n, bool include_dependencies) const {
  return Walk(n, &GraphNode::parents, include_dependencies ? &GraphNode::deps : nullptr);
}

std::vector<uint32_t> RevisionGraph::Descendants(uint32_t n, bool include_dependencies) const {
  return Walk(n, &GraphNode::children, include_dependencies ? &GraphNode::dependents : nullptr);
}

uint32_t RevisionGraph::CommonAncestor(uint32_t a, uint32_t b) const {
  std::vector<char> of_a(nodes_.size(), 0);
  of_a[a] = 1;
  for (uint32_t x : Ancestors(a)) of_a[x] = 1;
  if (of_a[b]) return b;
  for (uint32_t x : Ancestors(b)) {
    if (of_a[x]) return x;
  }
  return kNoNode;
}

std::vector<Suggestion> RevisionGraph::Suggest(std::string_view ref) const {
  std::vector<Suggestion> out;
  std::unordered_set<std::string> taken;
  auto add = [&](uint32_t node, Suggestion::Why why) {
    if (node == kNoNode || nodes_[node].id == ref) return;
    if (!taken.insert(nodes_[node].id).second) return;
    out.push_back({by_id_.at(nodes_[node].id), why});
  };
  if (ref.empty()) return out;

  // The reference is a file name, or the file named after it now declares another id (the
  // revision was renamed: re-generated, or its id edited by hand).
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    const std::string& stem = stems_[i];
    if (stem == ref ||
        (stem.size() > ref.size() && stem.starts_with(ref) && stem[ref.size()] == '_')) {
      add(i, Suggestion::Why::kFileStem);
    }
  }

  // Alembic's own partial ids need four characters; a prefix is only useful when unique.
  if (ref.size() >= 4) {
    std::vector<uint32_t> prefix;
    for (uint32_t w : id_order_) {
      const std::string& id = nodes_[w].id;
      if ((id.size() > ref.size() && id.starts_with(ref)) ||
          (id.size() >= 4 && ref.size() > id.size() && ref.starts_with(id))) {
        prefix.push_back(w);
      }
    }
    if (prefix.size() == 1) add(prefix.front(), Suggestion::Why::kPrefix);
  }

  // A branch label: the revision to build on is the head of that branch.
  if (uint32_t owner = LabelOwner(ref); owner != kNoNode) {
    std::vector<uint32_t> tips;
    if (nodes_[owner].children.empty()) tips.push_back(owner);
    for (uint32_t d : Descendants(owner)) {
      if (nodes_[d].children.empty()) tips.push_back(d);
    }
    for (uint32_t t : tips) add(t, Suggestion::Why::kLabel);
  }

  // Near misses: a typo or a truncated copy.
  size_t cap = ref.size() < 6 ? 1 : ref.size() < 16 ? 2 : 3;
  std::vector<std::pair<size_t, uint32_t>> near;
  for (uint32_t w : id_order_) {
    size_t d = EditDistance(ref, nodes_[w].id, cap);
    if (d <= cap) near.push_back({d, w});
  }
  std::stable_sort(near.begin(), near.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (size_t i = 0; i < near.size() && i < 3; ++i) {
    add(near[i].second, Suggestion::Why::kNearMiss);
  }
  return out;
}

}  // namespace alint
