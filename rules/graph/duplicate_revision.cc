// duplicate-revision: two files declare the same revision id.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <optional>
#include <string>

#include "lint/core/file_source.h"
#include "lint/engine/rule.h"
#include "lint/graph/revision_graph.h"
#include "lint/rulekit/graph_util.h"
#include "lint/rulekit/revision_id.h"

namespace alint {
namespace {

class DuplicateRevision final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"duplicate-revision",
                                "Two migration files declare the same revision id",
                                Severity::kError, "graph"};
    return kInfo;
  }

  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    const RevisionGraph& g = view.graph;
    for (const std::vector<uint32_t>& group : g.Duplicates()) {
      const std::string& id = g.node(group.front()).id;
      // Same parent on every side is the usual "two PRs, one copied file" incident: after
      // renaming, the renamed file must also move on top of the other one.
      bool same_parent = true;
      std::vector<std::string> first_down;
      for (const RevRef& r : g.node(group.front()).down) first_down.push_back(r.value);
      for (uint32_t o : group) {
        std::vector<std::string> down;
        for (const RevRef& r : g.node(o).down) down.push_back(r.value);
        same_parent = same_parent && down == first_down;
      }
      // Each member's file name and directory, once: a message names the others, and an id
      // copied 1,000 times must not cost 1,000 x 1,000 name lookups.
      std::vector<std::string> names, dirs;
      std::map<std::string, size_t> all_by_dir;
      for (uint32_t o : group) {
        names.push_back(rulekit::FileName(ctx, g.node(o)));
        dirs.push_back(DirName(names.back()));
        ++all_by_dir[dirs.back()];
      }
      uint32_t newest = group.back();
      std::string newest_date;
      for (uint32_t o : group) {
        const Migration* m = g.node(o).migration;
        if (m != nullptr && m->docstring.create_date &&
            m->docstring.create_date->value >= newest_date) {
          newest_date = m->docstring.create_date->value;
          newest = o;
        }
      }
      for (size_t k = 0; k < group.size(); ++k) {
        const GraphNode& node = g.node(group[k]);
        // At most kMaxRelatedLocations other files by name (and as related locations); the
        // rest are counted per directory, so that one id copied 1,000 times stays readable.
        std::vector<std::string> others;
        std::map<std::string, size_t> more_by_dir = all_by_dir;
        --more_by_dir[dirs[k]];
        for (size_t o = 0; o < group.size() && others.size() < kMaxRelatedLocations; ++o) {
          if (o == k) continue;
          others.push_back(names[o]);
          --more_by_dir[dirs[o]];
        }
        const size_t more = group.size() - 1 - others.size();
        std::erase_if(more_by_dir, [](const auto& entry) { return entry.second == 0; });
        std::string where = rulekit::JoinIds(others);
        if (more > 0) {
          std::vector<std::string> shown_dirs;
          for (const auto& [dir, count] : more_by_dir) {
            if (shown_dirs.size() == 3) {
              shown_dirs.push_back("...");
              break;
            }
            shown_dirs.push_back(fmt::format("{} in `{}`", count, dir));
          }
          where += fmt::format(" and {} more ({})", more, fmt::join(shown_dirs, ", "));
        }
        const uint32_t n = group[k];
        Finding& f = ctx.Report(node.id_span,
                                fmt::format("revision id `{}` is also declared in {}", id, where));
        for (uint32_t o : group) {
          if (o == n) continue;
          if (f.related.size() == kMaxRelatedLocations) break;
          f.related.push_back({g.node(o).id_span, fmt::format("`{}` also declared here", id)});
        }
        std::string help = fmt::format(
            "Alembic only warns (\"Revision {0} is present more than once\"), keeps whichever "
            "file the directory listing returns last and silently drops the other; later "
            "commands then fail with misleading errors (multiple heads, KeyError, a migration "
            "that never runs). Give one of the files a new id (`alembic revision` generates "
            "one; change `revision` and the `Revision ID:` line)",
            id);
        if (same_parent && group.size() == 2) {
          help += fmt::format(
              " and make it revise the other: `down_revision = \"{}\"` in the renamed file", id);
        } else {
          help += ", then update every `down_revision` that meant the renamed one";
        }
        help += ".";
        f.help = std::move(help);
        // The fix, on the newest of the files (latest Create Date, else the last listed):
        // a fresh id of Alembic's form, in `revision`, the docstring and (Fix::new_id) the
        // file name.
        if (group[k] == newest) {
          const std::string fresh = rulekit::FreshRevisionId(
              ctx.file(node.file).path + "\n" + id, [&g](const std::string& candidate) {
                return !g.NodesWithId(candidate).empty() || g.Resolve(candidate) != kNoNode;
              });
          std::optional<Fix> fix =
              rulekit::ReplaceLiteral(ctx, node.id_span, fresh,
                                      fmt::format("Give this file a new revision id `{}`", fresh));
          if (fix && node.migration != nullptr) {
            const Migration& m = *node.migration;
            if (m.docstring.revision_id && m.docstring.revision_id->value == id)
              fix->edits.push_back({m.docstring.revision_id->span, fresh});
            // `fix` renames the file after the new id. Which file the references mean is
            // unknown: they stay as they are.
            fix->new_id = Fix::IdChange{node.file, id, fresh, /*references=*/false};
            f.fix = std::move(fix);
          }
        }
      }
    }
  }
};

}  // namespace

const Rule& DuplicateRevisionRule() {
  static const DuplicateRevision r;
  return r;
}

}  // namespace alint
