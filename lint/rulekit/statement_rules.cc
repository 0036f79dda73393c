#include "lint/rulekit/statement_rules.h"

#include <fmt/format.h>

namespace alint::stmt_rules {

std::string MainTable(const StatementFacts& f) {
  for (const RelationEffect& e : f.effects) {
    if (e.kind == RelationKind::kTable) return e.relation;
  }
  return {};
}

namespace {

std::string ColumnKey(std::string_view table, std::string_view column) {
  return NormalizeRelation(table) + "|" + std::string(column);
}

}  // namespace

StatementIndex::StatementIndex(const MigrationAnalysis& a) : a_(a) {
  // One pass in order: a column counts as added from the first statement of its phase that
  // adds it, or renames a column added earlier (add `nick`, rename it to `nickname`: `nickname`
  // is new too).
  for (size_t i = 0; i < a.statements.size(); ++i) {
    const PlannedStatement& s = a.statements[i];
    if (s.phase == Phase::kUpgrade) {
      for (const RelationEffect& e : s.facts.effects) {
        if (e.created) created_in_upgrade_.insert(NormalizeRelation(e.relation));
      }
      // A table renamed into this name by the upgrade is put back by the downgrade.
      if (s.facts.kind == "rename_table") {
        created_in_upgrade_.insert(NormalizeRelation(s.facts.new_name));
      }
    }
    if (s.facts.kind == "alter_table.add_column") {
      first_added_.try_emplace({s.phase, ColumnKey(MainTable(s.facts), s.facts.column)}, i);
    } else if (s.facts.kind == "rename_column") {
      const std::string t = MainTable(s.facts);
      if (first_added_.count(std::pair(s.phase, ColumnKey(t, s.facts.column)))) {
        first_added_.try_emplace({s.phase, ColumnKey(t, s.facts.new_name)}, i);
      }
    }
  }
}

bool StatementIndex::CreatedInUpgrade(std::string_view relation) const {
  return created_in_upgrade_.count(NormalizeRelation(relation)) > 0;
}

bool StatementIndex::ColumnAddedInUpgrade(std::string_view table, std::string_view column) const {
  return first_added_.count(std::pair(Phase::kUpgrade, ColumnKey(table, column))) > 0;
}

bool StatementIndex::ColumnAddedBefore(size_t index, std::string_view table,
                                       std::string_view column) const {
  if (index >= a_.statements.size()) return false;
  auto it = first_added_.find(std::pair(a_.statements[index].phase, ColumnKey(table, column)));
  return it != first_added_.end() && it->second < index;
}

bool CreatedInUpgrade(const MigrationAnalysis& a, std::string_view relation) {
  return StatementIndex(a).CreatedInUpgrade(relation);
}

bool ColumnAddedInUpgrade(const MigrationAnalysis& a, std::string_view table,
                          std::string_view column) {
  return StatementIndex(a).ColumnAddedInUpgrade(table, column);
}

bool ColumnAddedBefore(const MigrationAnalysis& a, size_t index, std::string_view table,
                       std::string_view column) {
  return StatementIndex(a).ColumnAddedBefore(index, table, column);
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
