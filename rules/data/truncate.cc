// truncate: TRUNCATE in a migration empties tables.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

class Truncate final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"truncate", "A migration empties a table with TRUNCATE",
                                Severity::kError, "data"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    for (const PlannedStatement& s : ctx.analysis()->statements) {
      if (s.facts.kind != StatementKind::kTruncate) continue;
      std::vector<std::string> tables;
      for (const RelationEffect& e : s.facts.effects) {
        if (!s.IsNew(e.relation)) tables.push_back("`" + e.relation + "`");
      }
      if (tables.empty()) continue;  // only tables this migration created: nothing to lose
      std::string note;
      for (const std::string& n : s.facts.notes) note += "; " + n;
      Finding& f = ctx.ReportStatement(
          s, fmt::format("TRUNCATE deletes every row of {}{} for good, under an ACCESS EXCLUSIVE "
                         "lock (blocks {}){}",
                         fmt::join(tables, ", "), PhaseSuffix(s.phase),
                         BlockedOperations(LockMode::kAccessExclusive), note));
      f.help =
          "a schema migration is the wrong place to throw data away: delete it deliberately "
          "(a one-off task with a backup), or in batches with `DELETE ... WHERE` if rows must "
          "go. If emptying the table is intended, suppress with "
          "`# alembic-lint: ignore[truncate] <reason>`";
    }
  }
};

}  // namespace

const Rule& TruncateRule() {
  static const Truncate r;
  return r;
}

}  // namespace alint
