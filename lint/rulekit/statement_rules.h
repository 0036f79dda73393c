#pragma once
/// Helpers shared by the statement-level DDL and data rules (rules/data/, rules/ddl/ of the
/// analysis layer): where a relation or column came from within the migration.

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint::rulekit {

/// True when an upgrade() statement of `a` creates `relation` (its downgrade dropping it is
/// the ordinary inverse, not data loss).
bool CreatedInUpgrade(const MigrationAnalysis& a, std::string_view relation);

/// True when an upgrade() statement adds `table`.`column` (op.add_column, ADD COLUMN).
bool ColumnAddedInUpgrade(const MigrationAnalysis& a, std::string_view table,
                          std::string_view column);

/// True when a statement before `index`, in the same phase, adds `table`.`column`.
bool ColumnAddedBefore(const MigrationAnalysis& a, size_t index, std::string_view table,
                       std::string_view column);

/// True when an upgrade() statement of kind `kind` touches `table`.`column` (a downgrade doing
/// the same kind of change there is usually its inverse).
bool UpgradeChangesColumn(const MigrationAnalysis& a, StatementKind kind, std::string_view table,
                          std::string_view column);

/// The same questions for a rule that asks them once per statement: `a` is indexed once
/// (O(n log n)), each answer is O(log n), so a migration of 80,000 statements is not quadratic.
/// Keeps a reference to `a`.
class StatementIndex {
 public:
  explicit StatementIndex(const MigrationAnalysis& a);
  bool CreatedInUpgrade(std::string_view relation) const;
  bool ColumnAddedInUpgrade(std::string_view table, std::string_view column) const;
  /// The downgrade re-creates it empty (CREATE TABLE / ADD COLUMN): what an upgrade drops
  /// that no downgrade gives the data of back.
  bool CreatedInDowngrade(std::string_view relation) const;
  bool ColumnAddedInDowngrade(std::string_view table, std::string_view column) const;
  bool ColumnAddedBefore(size_t index, std::string_view table, std::string_view column) const;

 private:
  const MigrationAnalysis& a_;
  /// phase, "table|column" -> index of the first statement that adds it (or renames an added
  /// column into it).
  std::map<std::pair<Phase, std::string>, size_t, std::less<>> first_added_;
  std::set<std::string, std::less<>> created_in_upgrade_;  ///< normalized relation names
  std::set<std::string, std::less<>> created_in_downgrade_;
  std::set<std::string, std::less<>> added_in_downgrade_;  ///< "table|column"
};

/// "ACCESS EXCLUSIVE lock on `users` (blocks reads and writes)".
std::string LockPhrase(const StatementFacts& f, std::string_view table);

}  // namespace alint::rulekit
