#include "lint/db/status.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace alint::db {
namespace {

// How Alembic resolves a stored revision (RevisionMap._resolve_revision_number): the map's
// key (a revision id or a branch label), else the one id the value is a prefix of.
uint32_t ResolveRow(const RevisionGraph& g, const std::string& value) {
  uint32_t n = g.Resolve(value);
  if (n != kNoNode || value.empty()) return n;
  uint32_t found = kNoNode;
  for (const GraphNode& node : g.nodes()) {
    if (node.shadowed || node.id.size() <= 3 || node.id.compare(0, value.size(), value) != 0)
      continue;
    if (found != kNoNode && g.node(found).id != node.id) return kNoNode;  // ambiguous
    found = node.index;
  }
  return found;
}

// Every node reachable from `starts` through down_revision and depends_on (Alembic's
// _normalized_down_revisions), the starts included.
std::vector<bool> AncestorsOrSelf(const RevisionGraph& g, const std::vector<uint32_t>& starts) {
  std::vector<bool> seen(g.nodes().size(), false);
  for (uint32_t s : starts) {
    if (s >= seen.size() || seen[s]) continue;
    seen[s] = true;
    for (uint32_t a : g.Ancestors(s, /*include_dependencies=*/true)) seen[a] = true;
  }
  return seen;
}

// The nodes marked in `want`, in the graph's upgrade order (RevisionGraph::ParentsFirst).
std::vector<uint32_t> UpgradeOrder(const RevisionGraph& g, const std::vector<bool>& want) {
  std::vector<uint32_t> out;
  for (uint32_t i : g.ParentsFirst()) {
    if (want[i]) out.push_back(i);
  }
  return out;
}

std::string QualifiedName(const VersionTable& table) {
  return table.schema.empty() ? SqlIdentifier(table.name)
                              : SqlIdentifier(table.schema) + "." + SqlIdentifier(table.name);
}

std::string DeleteRow(const VersionTable& table, const std::string& revision) {
  return fmt::format("DELETE FROM {} WHERE version_num = {};", QualifiedName(table),
                     SqlLiteral(revision));
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::string SqlLiteral(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string SqlIdentifier(std::string_view name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9') && name[0] != '$';
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$')) plain = false;
  }
  if (plain) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

EnvStatus ComputeStatus(const RevisionGraph& graph,
                        const std::optional<std::vector<std::string>>& rows,
                        const VersionTable& table) {
  EnvStatus st;
  st.table_exists = rows.has_value();
  st.heads = graph.real_heads();
  if (const auto& err = graph.alembic_error(); err && err->kind != "not-static") {
    StatusProblem p;
    p.kind = "graph";
    p.message = "the revision graph of this checkout does not load, so Alembic cannot upgrade";
    p.alembic_error = err->Describe();
    p.fix = "run `alembic-lint check` and fix the revision chain first";
    st.problems.push_back(std::move(p));
  }
  std::vector<uint32_t> known;
  std::set<std::string> seen_rows;
  if (rows) {
    for (const std::string& r : *rows) {
      CurrentRow row;
      row.revision = r;
      row.node = ResolveRow(graph, r);
      if (row.node != kNoNode) {
        row.head = graph.node(row.node).is_head;
        row.labels = graph.LineageLabels(row.node);
        known.push_back(row.node);
      }
      if (!seen_rows.insert(r).second) {
        StatusProblem p;
        p.kind = "duplicate-row";
        p.message = fmt::format("`{}` holds the revision `{}` twice", table.Display(), r);
        p.alembic_error = fmt::format(
            "CommandError: Online migration expected to match one row when updating '{}' to "
            "'<the next revision>' in '{}'; {} found",
            r, table.name, std::count(rows->begin(), rows->end(), r));
        p.fix =
            fmt::format("keep one row: BEGIN; {} INSERT INTO {} (version_num) VALUES ({}); COMMIT;",
                        DeleteRow(table, r), QualifiedName(table), SqlLiteral(r));
        p.revisions = {r};
        st.problems.push_back(std::move(p));
      }
      st.current.push_back(std::move(row));
    }
  }
  for (const CurrentRow& row : st.current) {
    if (row.node != kNoNode) continue;
    StatusProblem p;
    p.kind = "unknown-revision";
    p.revisions = {row.revision};
    p.message = fmt::format(
        "`{}` names revision `{}`, which this checkout does not have: the file was renamed or "
        "deleted, the database was migrated from a newer checkout, or from a branch that was "
        "never merged",
        table.Display(), row.revision);
    p.alembic_error =
        fmt::format("CommandError: Can't locate revision identified by '{}'", row.revision);
    std::vector<Suggestion> s = graph.Suggest(row.revision);
    if (!s.empty()) {
      const GraphNode& n = graph.node(s.front().node);
      p.fix = fmt::format(
          "did you mean `{}` ({})? If the database really is at that revision, point the row "
          "at it: UPDATE {} SET version_num = {} WHERE version_num = {};",
          n.id, s.front().Explain(), QualifiedName(table), SqlLiteral(n.id),
          SqlLiteral(row.revision));
    } else {
      p.fix = fmt::format(
          "deploy from the checkout that has `{}` (a newer main, or the branch it was created "
          "on); if its migration was abandoned, undo what it did and point the row at the "
          "revision the schema matches",
          row.revision);
    }
    st.problems.push_back(std::move(p));
  }
  // Alembic checks each stored revision against the others: one that is an ancestor of
  // another (through down_revision or depends_on) "overlaps" (_iterate_related_revisions
  // with check=True), and every upgrade stops there.
  for (size_t i = 0; i < st.current.size(); ++i) {
    const CurrentRow& row = st.current[i];
    if (row.node == kNoNode) continue;
    std::vector<bool> below = AncestorsOrSelf(graph, {row.node});
    std::vector<std::string> overlaps;
    for (size_t j = 0; j < st.current.size(); ++j) {
      const CurrentRow& other = st.current[j];
      if (j == i || other.node == kNoNode || other.node == row.node) continue;
      if (below[other.node] &&
          std::find(overlaps.begin(), overlaps.end(), other.revision) == overlaps.end())
        overlaps.push_back(other.revision);
    }
    if (overlaps.empty()) continue;
    StatusProblem p;
    p.kind = "overlap";
    p.revisions = {row.revision};
    p.revisions.insert(p.revisions.end(), overlaps.begin(), overlaps.end());
    p.message = fmt::format(
        "`{}` holds `{}` and also {} `{}`, which {} before it: a row was added (by hand, or "
        "by a stamp) without removing the older one",
        table.Display(), row.revision, overlaps.size() == 1 ? "its ancestor" : "its ancestors",
        Joined(overlaps), overlaps.size() == 1 ? "comes" : "come");
    p.alembic_error = fmt::format(
        "CommandError: Requested revision {} overlaps with other requested revisions {}",
        row.revision, Joined(overlaps));
    std::string sql;
    for (const std::string& o : overlaps) sql += (sql.empty() ? "" : " ") + DeleteRow(table, o);
    p.fix = fmt::format("keep the descendant `{}`: {}", row.revision, sql);
    st.problems.push_back(std::move(p));
  }
  if (!st.problems.empty()) return st;

  // `alembic upgrade heads`: everything the heads need, minus what the rows already imply.
  std::vector<bool> need = AncestorsOrSelf(graph, st.heads);
  std::vector<bool> have = AncestorsOrSelf(graph, known);
  for (size_t i = 0; i < need.size(); ++i) need[i] = need[i] && !have[i];
  st.pending = UpgradeOrder(graph, need);
  return st;
}

}  // namespace alint::db
