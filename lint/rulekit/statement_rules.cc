#include "lint/rulekit/statement_rules.h"

#include <fmt/format.h>

namespace alint::rulekit {

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
      if (s.facts.kind == StatementKind::kRenameTable) {
        created_in_upgrade_.insert(NormalizeRelation(s.facts.new_name));
      }
    }
    // Re-created empty by the downgrade: a plain CREATE TABLE or ADD COLUMN (a column filled
    // from a copy and renamed into place brings its values back).
    if (s.phase == Phase::kDowngrade && s.facts.kind == StatementKind::kCreateTable)
      created_in_downgrade_.insert(NormalizeRelation(s.facts.table));
    if (s.phase == Phase::kDowngrade && s.facts.kind == StatementKind::kAddColumn)
      added_in_downgrade_.insert(ColumnKey(s.facts.table, s.facts.column));
    if (s.facts.kind == StatementKind::kAddColumn) {
      first_added_.try_emplace({s.phase, ColumnKey(s.facts.table, s.facts.column)}, i);
    } else if (s.facts.kind == StatementKind::kRenameColumn) {
      const std::string& t = s.facts.table;
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

bool StatementIndex::CreatedInDowngrade(std::string_view relation) const {
  return created_in_downgrade_.count(NormalizeRelation(relation)) > 0;
}

bool StatementIndex::ColumnAddedInDowngrade(std::string_view table, std::string_view column) const {
  return added_in_downgrade_.count(ColumnKey(table, column)) > 0;
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

bool UpgradeChangesColumn(const MigrationAnalysis& a, StatementKind kind, std::string_view table,
                          std::string_view column) {
  for (const PlannedStatement& s : a.statements) {
    if (s.phase == Phase::kUpgrade && s.facts.kind == kind && s.facts.column == column &&
        NormalizeRelation(s.facts.table) == NormalizeRelation(table)) {
      return true;
    }
  }
  return false;
}

std::string LockPhrase(const StatementFacts& f, std::string_view table) {
  const RelationEffect* e = f.Effect(table);
  const LockMode lock = e != nullptr ? e->lock : f.StrongestLock();
  return fmt::format("{} lock on `{}` (blocks {})", LockModeName(lock), table,
                     BlockedOperations(lock));
}

}  // namespace alint::rulekit
