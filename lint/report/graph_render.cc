#include "lint/report/graph_render.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace alint {
namespace {

// What a node is drawn as, most important first (one style per node).
enum class Mark : uint8_t { kPlain, kBase, kBranchPoint, kMerge, kHead, kFork, kError };

struct NodeView {
  std::string key;    ///< diagram identifier
  std::string label;  ///< lines joined with '\n'
  Mark mark = Mark::kPlain;
};

struct EdgeView {
  std::string from, to;
  bool dependency = false;  ///< depends_on (dotted)
  bool error = false;       ///< to a missing revision, or on a cycle
};

// "3f2a9c1d7b4e_add_users.py" -> "add users"; the stem when it holds no slug.
std::string Slug(std::string_view path, std::string_view id) {
  std::string_view name = path.substr(path.find_last_of('/') + 1);
  if (name.size() > 3 && name.substr(name.size() - 3) == ".py") name.remove_suffix(3);
  if (!id.empty() && name.substr(0, id.size()) == id) name.remove_prefix(id.size());
  while (!name.empty() && (name.front() == '_' || name.front() == '-')) name.remove_prefix(1);
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

// The sections' nodes and edges, with the marks the chain findings give them.
struct Model {
  std::vector<std::vector<NodeView>> nodes;  // per section
  std::vector<std::vector<EdgeView>> edges;  // per section
};

Model Build(const std::vector<GraphSection>& sections, const std::vector<SourceFile>& files) {
  Model model;
  for (size_t s = 0; s < sections.size(); ++s) {
    const RevisionGraph& g = *sections[s].graph;
    const std::set<uint32_t>& focus = sections[s].focus;
    auto key = [&](uint32_t n) { return fmt::format("s{}n{}", s, n); };
    // Which nodes to draw.
    std::vector<bool> keep(g.nodes().size(), focus.empty());
    if (!focus.empty()) {
      for (uint32_t n : focus) {
        if (n >= keep.size()) continue;
        keep[n] = true;
        for (uint32_t p : g.node(n).parents) keep[p] = true;
        for (uint32_t c : g.node(n).children) keep[c] = true;
      }
      for (uint32_t h : g.heads()) keep[h] = true;
    }
    // Marks from the chain findings.
    std::vector<bool> error(g.nodes().size(), false);
    for (const std::vector<uint32_t>& ids : g.Duplicates()) {
      for (uint32_t n : ids) error[n] = true;
    }
    std::set<std::pair<uint32_t, uint32_t>> cycle_edges;
    for (const Cycle& c : g.cycles()) {
      for (size_t i = 0; i < c.path.size(); ++i) {
        error[c.path[i]] = true;
        if (i + 1 < c.path.size()) cycle_edges.insert({c.path[i + 1], c.path[i]});
      }
    }
    // A fork: two heads on the same line of branch labels (distinct labels are intended).
    std::vector<bool> fork(g.nodes().size(), false);
    for (size_t i = 0; i < g.heads().size(); ++i) {
      for (size_t j = i + 1; j < g.heads().size(); ++j) {
        const uint32_t a = g.heads()[i], b = g.heads()[j];
        if (g.LineageLabels(a) == g.LineageLabels(b)) fork[a] = fork[b] = true;
      }
    }
    std::vector<NodeView>& out = model.nodes.emplace_back();
    std::vector<EdgeView>& edges = model.edges.emplace_back();
    for (const GraphNode& n : g.nodes()) {
      if (!keep[n.index]) continue;
      NodeView v;
      v.key = key(n.index);
      v.label = n.id;
      if (n.file < files.size()) {
        std::string slug = Slug(files[n.file].path, n.id);
        if (!slug.empty()) v.label += "\n" + slug;
      }
      std::vector<std::string> notes;
      for (const RevRef& l : n.labels) notes.push_back("label " + l.value);
      if (n.is_head) notes.push_back(n.effective_head() ? "effective head" : "head");
      if (n.is_base) notes.push_back("base");
      if (n.is_merge_point()) notes.push_back("merge");
      if (n.is_branch_point()) notes.push_back("branch point");
      if (error[n.index] && g.NodesWithId(n.id).size() > 1) notes.push_back("duplicate id");
      if (fork[n.index]) notes.push_back("fork: one of several heads");
      std::string joined;
      for (const std::string& note : notes) joined += (joined.empty() ? "" : ", ") + note;
      if (!joined.empty()) v.label += "\n(" + joined + ")";
      v.mark = error[n.index]        ? Mark::kError
               : fork[n.index]       ? Mark::kFork
               : n.is_head           ? Mark::kHead
               : n.is_merge_point()  ? Mark::kMerge
               : n.is_branch_point() ? Mark::kBranchPoint
               : n.is_base           ? Mark::kBase
                                     : Mark::kPlain;
      out.push_back(std::move(v));
      bool elided = false;
      for (uint32_t p : n.parents) {
        if (keep[p]) {
          edges.push_back({key(p), key(n.index), false, cycle_edges.count({p, n.index}) > 0});
        } else {
          elided = true;
        }
      }
      if (n.shadowed) {
        // A duplicate that lost: Alembic's map holds the other file, but this one still names
        // its parent, which is how the two PRs forked.
        for (const RevRef& r : n.down) {
          const uint32_t p = g.Resolve(r.value);
          if (p != kNoNode && keep[p]) edges.push_back({key(p), key(n.index), false, false});
        }
      }
      for (uint32_t d : n.deps) {
        if (keep[d]) edges.push_back({key(d), key(n.index), true, false});
      }
      if (elided) {
        out.push_back({key(n.index) + "e", "...", Mark::kPlain});
        edges.push_back({key(n.index) + "e", key(n.index), false, false});
      }
    }
    // References that name nothing: a dashed node of their own.
    size_t missing = 0;
    for (const DanglingRef& d : g.dangling()) {
      const GraphNode& n = g.node(d.node);
      if (!keep[d.node]) continue;
      const std::vector<RevRef>& refs =
          d.field == DanglingRef::Field::kDownRevision ? n.down : n.depends_on;
      if (d.ref >= refs.size()) continue;
      const std::string k = fmt::format("s{}m{}", s, missing++);
      out.push_back({k, fmt::format("{}\n(missing: no revision has this id)", refs[d.ref].value),
                     Mark::kError});
      edges.push_back({k, key(d.node), d.field == DanglingRef::Field::kDependsOn, true});
    }
  }
  return model;
}

std::string MermaidText(std::string_view label) {
  std::string out;
  for (char c : label) {
    switch (c) {
      case '\n':
        out += "<br/>";
        break;
      case '"':
        out += "#quot;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '#':
        out += "#35;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string DotText(std::string_view label) {
  std::string out;
  for (char c : label) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view MarkClass(Mark m) {
  switch (m) {
    case Mark::kBase:
      return "base";
    case Mark::kBranchPoint:
      return "branchpoint";
    case Mark::kMerge:
      return "merge";
    case Mark::kHead:
      return "head";
    case Mark::kFork:
      return "fork";
    case Mark::kError:
      return "error";
    default:
      return "";
  }
}

std::string Mermaid(const std::vector<GraphSection>& sections, const Model& model) {
  std::string out = "flowchart TB\n";
  const bool several = sections.size() > 1;
  std::map<std::string_view, std::vector<std::string>> classes;
  for (size_t s = 0; s < sections.size(); ++s) {
    std::string indent = several ? "    " : "  ";
    if (several) {
      out += fmt::format("  subgraph s{}[\"{}\"]\n", s, MermaidText(sections[s].name));
    }
    for (const NodeView& n : model.nodes[s]) {
      out += fmt::format("{}{}[\"{}\"]\n", indent, n.key, MermaidText(n.label));
      if (n.mark != Mark::kPlain) classes[MarkClass(n.mark)].push_back(n.key);
    }
    for (const EdgeView& e : model.edges[s]) {
      out += fmt::format("{}{} {} {}\n", indent, e.from, e.dependency ? "-.->" : "-->", e.to);
    }
    if (several) out += "  end\n";
  }
  out += "  classDef head fill:#d9f2e0,stroke:#1e7b34,stroke-width:2px\n";
  out += "  classDef base fill:#eef2f7,stroke:#5a6b7d\n";
  out += "  classDef branchpoint fill:#fff4d6,stroke:#b7791f\n";
  out += "  classDef merge fill:#e6ecfb,stroke:#3b5bdb\n";
  out += "  classDef fork fill:#fde8cc,stroke:#c05600,stroke-width:3px\n";
  out += "  classDef error fill:#fadbd8,stroke:#b42318,stroke-width:3px,stroke-dasharray:6 3\n";
  for (const auto& [name, keys] : classes) {
    std::string list;
    for (const std::string& k : keys) list += (list.empty() ? "" : ",") + k;
    out += fmt::format("  class {} {}\n", list, name);
  }
  return out;
}

std::string_view DotStyle(Mark m) {
  switch (m) {
    case Mark::kBase:
      return "fillcolor=\"#eef2f7\", color=\"#5a6b7d\"";
    case Mark::kBranchPoint:
      return "fillcolor=\"#fff4d6\", color=\"#b7791f\"";
    case Mark::kMerge:
      return "fillcolor=\"#e6ecfb\", color=\"#3b5bdb\"";
    case Mark::kHead:
      return "fillcolor=\"#d9f2e0\", color=\"#1e7b34\", penwidth=2";
    case Mark::kFork:
      return "fillcolor=\"#fde8cc\", color=\"#c05600\", penwidth=3";
    case Mark::kError:
      return "fillcolor=\"#fadbd8\", color=\"#b42318\", penwidth=3, "
             "style=\"rounded,filled,dashed\"";
    default:
      return "fillcolor=white";
  }
}

std::string Dot(const std::vector<GraphSection>& sections, const Model& model) {
  std::string out =
      "digraph revisions {\n"
      "  rankdir=TB;\n"
      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [color=\"#555555\"];\n";
  const bool several = sections.size() > 1;
  for (size_t s = 0; s < sections.size(); ++s) {
    std::string indent = several ? "    " : "  ";
    if (several) {
      out += fmt::format("  subgraph cluster_{} {{\n    label=\"{}\";\n", s,
                         DotText(sections[s].name));
    }
    for (const NodeView& n : model.nodes[s]) {
      out += fmt::format("{}{} [label=\"{}\", {}];\n", indent, n.key, DotText(n.label),
                         DotStyle(n.mark));
    }
    for (const EdgeView& e : model.edges[s]) {
      std::string attrs;
      if (e.dependency) attrs += "style=dotted, label=\"depends_on\"";
      if (e.error) attrs += std::string(attrs.empty() ? "" : ", ") + "color=\"#b42318\"";
      out += fmt::format("{}{} -> {}{};\n", indent, e.from, e.to,
                         attrs.empty() ? "" : " [" + attrs + "]");
    }
    if (several) out += "  }\n";
  }
  out += "}\n";
  return out;
}

}  // namespace

std::string RenderGraph(const std::vector<GraphSection>& sections,
                        const std::vector<SourceFile>& files, GraphFormat format) {
  const Model model = Build(sections, files);
  return format == GraphFormat::kDot ? Dot(sections, model) : Mermaid(sections, model);
}

}  // namespace alint
