#pragma once
/// Helpers shared by the lock-timeout rules (missing-lock-timeout, exclusive-lock-held): which
/// locks a planned statement takes on relations that already exist, and whether a lock_timeout
/// is in effect.

#include <string>
#include <string_view>
#include <vector>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint::rulekit {

/// A table-level lock a statement takes on a relation that existed before the migration.
struct ExistingLock {
  std::string relation;  ///< as written; for an index's unnamed table: "the table of index X"
  std::string label;     ///< for messages: "`users`", "the table of index `ix_users_email`"
  LockMode mode = LockMode::kNone;
  const RelationEffect* effect = nullptr;
};

/// "`a`, `b`, `c`, `d` and 3 more": at most `max` labels, then how many were left out.
std::string JoinLabels(const std::vector<std::string>& labels, size_t max = 4);

/// The locks `st` takes on relations neither created by it nor earlier in the migration
/// (locks on a new, empty table block nobody). For an index effect with a lock on its table
/// (`table_lock`) that lock is reported instead of the index's own, since traffic queues on
/// it.
std::vector<ExistingLock> ExistingLocks(const PlannedStatement& st);

/// True when `st` scans, rewrites or bulk-changes a relation that holds data (one that existed
/// before the migration): the work that makes a held lock long. `why` gets a short phrase
/// ("rewrites `users`", "builds an index on `orders` (full scan)").
bool IsSlowStatement(const PlannedStatement& st, std::string* why);

/// The lock `relation` is under while `st` runs: its own `own`, or the stronger lock its
/// transaction already holds there (PlannedStatement::held).
LockMode LockWhileRunning(const PlannedStatement& st, std::string_view relation, LockMode own);

/// " (its transaction already holds ACCESS EXCLUSIVE on it, taken at line 12 by `...`)" when
/// the transaction holds a stronger lock on `relation` than `own`; "" otherwise. Messages that
/// name what a statement blocks add it, so they never say "reads continue" on a table the
/// transaction has already locked against reads.
std::string HeldSince(const RuleContext& ctx, const PlannedStatement& st, std::string_view relation,
                      LockMode own);

/// "upgrade()" / "downgrade()".
std::string_view PhaseFunction(Phase phase);

/// "line 12" for the start of `span`.
std::string LineOf(const RuleContext& ctx, Span span);

/// `name` in backticks: how every message quotes a SQL or Python name (README, "Writing a rule:
/// style").
std::string Quoted(std::string_view name);

}  // namespace alint::rulekit
