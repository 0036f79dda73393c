#include "lint/rulekit/statement_rules.h"

#include <fmt/format.h>

#include <set>

namespace alint::stmt_rules {

std::string MainTable(const StatementFacts& f) {
  for (const RelationEffect& e : f.effects) {
    if (e.kind == RelationKind::kTable) return e.relation;
  }
  return {};
}

bool CreatedInUpgrade(const MigrationAnalysis& a, std::string_view relation) {
  const std::string want = NormalizeRelation(relation);
  for (const PlannedStatement& s : a.statements) {
    if (s.phase != Phase::kUpgrade) continue;
    for (const RelationEffect& e : s.facts.effects) {
      if (e.created && NormalizeRelation(e.relation) == want) return true;
    }
    // A table renamed into this name by the upgrade is put back by the downgrade.
    if (s.facts.kind == "rename_table" && NormalizeRelation(s.facts.new_name) == want) return true;
  }
  return false;
}

namespace {

// Whether `table`.`column` is added by statements [0, end) of `phase`, following renames of
// added columns (add `nick`, rename it to `nickname`: `nickname` is new too).
bool AddedIn(const MigrationAnalysis& a, Phase phase, size_t end, std::string_view table,
             std::string_view column) {
  std::set<std::string> added;  // table|column
  auto key = [](std::string_view t, std::string_view c) {
    return NormalizeRelation(t) + "|" + std::string(c);
  };
  for (size_t i = 0; i < end && i < a.statements.size(); ++i) {
    const PlannedStatement& s = a.statements[i];
    if (s.phase != phase) continue;
    const std::string t = MainTable(s.facts);
    if (s.facts.kind == "alter_table.add_column") {
      added.insert(key(t, s.facts.column));
    } else if (s.facts.kind == "rename_column" && added.count(key(t, s.facts.column))) {
      added.insert(key(t, s.facts.new_name));
    }
  }
  return added.count(key(table, column)) > 0;
}

}  // namespace

bool ColumnAddedInUpgrade(const MigrationAnalysis& a, std::string_view table,
                          std::string_view column) {
  return AddedIn(a, Phase::kUpgrade, a.statements.size(), table, column);
}

bool ColumnAddedBefore(const MigrationAnalysis& a, size_t index, std::string_view table,
                       std::string_view column) {
  if (index >= a.statements.size()) return false;
  return AddedIn(a, a.statements[index].phase, index, table, column);
}

bool UpgradeChangesColumn(const MigrationAnalysis& a, std::string_view kind, std::string_view table,
                          std::string_view column) {
  for (const PlannedStatement& s : a.statements) {
    if (s.phase == Phase::kUpgrade && s.facts.kind == kind && s.facts.column == column &&
        NormalizeRelation(MainTable(s.facts)) == NormalizeRelation(table)) {
      return true;
    }
  }
  return false;
}

std::string_view PhaseSuffix(const PlannedStatement& s) {
  return s.phase == Phase::kDowngrade ? " in downgrade()" : "";
}

Finding& ReportStatement(RuleContext& ctx, const PlannedStatement& s, std::string message) {
  Finding& f = ctx.Report(s.anchor, std::move(message));
  if (s.phase == Phase::kDowngrade && !ctx.severity_configured() && f.severity != Severity::kInfo) {
    f.severity = static_cast<Severity>(static_cast<uint8_t>(f.severity) - 1);
  }
  return f;
}

std::string LockPhrase(const StatementFacts& f, std::string_view table) {
  const RelationEffect* e = f.Effect(table);
  const LockMode lock = e != nullptr ? e->lock : f.StrongestLock();
  return fmt::format("{} lock on `{}` (blocks {})", LockModeName(lock), table,
                     BlockedOperations(lock));
}

}  // namespace alint::stmt_rules
