#include "lint/engine/applied.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "lint/graph/revision_graph.h"

namespace alint {

bool IsHistoryRule(const Rule& rule) {
  std::string_view c = rule.info().category;
  return c == "ddl" || c == "sql" || c == "data" || rule.info().only_unapplied;
}

namespace {

// The node `name` stands for in `g`: Alembic's map (ids and branch labels), else a unique
// prefix of an id. kNoNode when none.
uint32_t Lookup(const RevisionGraph& g, const std::string& name) {
  uint32_t n = g.Resolve(name);
  if (n != kNoNode) return n;
  uint32_t found = kNoNode;
  for (const GraphNode& node : g.nodes()) {
    if (node.id.size() > name.size() && node.id.compare(0, name.size(), name) == 0) {
      if (found != kNoNode && g.node(found).id != node.id) return kNoNode;  // ambiguous
      found = node.index;
    }
  }
  return found;
}

std::string Hint(const RevisionGraph& g, const std::string& name) {
  std::vector<std::string> ids;
  for (const Suggestion& s : g.Suggest(name)) {
    const std::string& id = g.node(s.node).id;
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    if (ids.size() == 3) break;
  }
  if (ids.empty()) return "";
  return fmt::format(" (did you mean `{}`?)", fmt::join(ids, "`, `"));
}

void Mark(const RevisionGraph& g, uint32_t n, std::vector<bool>* applied) {
  auto mark = [&](uint32_t i) {
    const GraphNode& node = g.node(i);
    if (node.migration == nullptr) return;
    // Every file declaring the id: which one Alembic keeps depends on load order.
    for (uint32_t same : g.NodesWithId(node.id)) {
      const Migration* m = g.node(same).migration;
      if (m != nullptr && m->file < applied->size()) (*applied)[m->file] = true;
    }
  };
  mark(n);
  for (uint32_t a : g.Ancestors(n, /*include_dependencies=*/true)) mark(a);
}

}  // namespace

Result<std::vector<bool>> AppliedFiles(const Workspace& ws, const LintSettings& settings) {
  std::vector<bool> applied(ws.files.size(), false);
  std::vector<bool> top_found(settings.applied.size(), false);
  for (size_t e = 0; e < ws.envs.size() && e < ws.graphs.size(); ++e) {
    const Environment& env = ws.envs[e];
    const RevisionGraph& g = *ws.graphs[e];
    if (!env.applied.empty()) {
      for (const std::string& name : env.applied) {
        uint32_t n = Lookup(g, name);
        if (n == kNoNode) {
          return Error{
              fmt::format("{}: `applied` names revision `{}`, which is not in environment {}{}",
                          env.applied_origin, name, env.name, Hint(g, name))};
        }
        Mark(g, n, &applied);
      }
      for (size_t i = 0; i < settings.applied.size(); ++i) {
        if (Lookup(g, settings.applied[i]) != kNoNode) top_found[i] = true;  // known, unused
      }
      continue;
    }
    for (size_t i = 0; i < settings.applied.size(); ++i) {
      uint32_t n = Lookup(g, settings.applied[i]);
      if (n == kNoNode) continue;  // another environment's revision
      top_found[i] = true;
      Mark(g, n, &applied);
    }
  }
  for (size_t i = 0; i < settings.applied.size(); ++i) {
    if (top_found[i]) continue;
    const std::string& name = settings.applied[i];
    // Environments with their own list do not take the top-level one, but a suggestion from
    // any graph helps.
    std::string hint;
    std::vector<std::string> names;
    for (size_t e = 0; e < ws.envs.size() && e < ws.graphs.size(); ++e) {
      if (hint.empty()) hint = Hint(*ws.graphs[e], name);
      names.push_back(ws.envs[e].name);
    }
    std::string where = names.size() == 1 ? "environment " + names[0]
                        : names.empty()   ? "any environment (none was found)"
                                          : "any environment";
    return Error{fmt::format("{}: `applied` names revision `{}`, which is not in {}{}",
                             settings.applied_origin, name, where, hint)};
  }
  return applied;
}

size_t DropAppliedFindings(const std::vector<bool>& applied, const RuleSet& known,
                           std::vector<Finding>* findings) {
  const size_t before = findings->size();
  std::erase_if(*findings, [&](const Finding& f) {
    if (!f.span.valid() || f.span.file >= applied.size() || !applied[f.span.file]) return false;
    const Rule* r = known.Find(f.rule);
    return r != nullptr && IsHistoryRule(*r);
  });
  return before - findings->size();
}

void FilterReported(const std::vector<bool>& applied, const RuleSet& known,
                    const LintSettings& settings, std::vector<Finding>* findings) {
  DropAppliedFindings(applied, known, findings);
  if (settings.min_severity > Severity::kInfo) {
    std::erase_if(*findings, [&](const Finding& f) { return f.severity < settings.min_severity; });
  }
}

}  // namespace alint
