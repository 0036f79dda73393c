// missing-lock-timeout: a strong lock on an existing table with no lock_timeout in effect.
#include <fmt/format.h>

#include <map>
#include <utility>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_timeout_util.h"

namespace alint {
namespace {

// The modes that queue ordinary traffic behind them: ACCESS EXCLUSIVE blocks reads, SHARE ROW
// EXCLUSIVE and SHARE block writes. Weaker modes only conflict with DDL and maintenance.
bool QueuesTraffic(LockMode mode) {
  return mode == LockMode::kAccessExclusive || mode == LockMode::kShareRowExclusive ||
         mode == LockMode::kShare;
}

// The strongest traffic-queueing lock `st` takes on an existing relation, if any.
std::optional<rulekit::ExistingLock> StrongLock(const PlannedStatement& st) {
  std::optional<rulekit::ExistingLock> best;
  for (rulekit::ExistingLock& l : rulekit::ExistingLocks(st)) {
    if (!QueuesTraffic(l.mode)) continue;
    if (!best || l.mode > best->mode) best = std::move(l);
  }
  return best;
}

std::string Help(const PlannedStatement& st) {
  if (st.sql != nullptr && st.sql->via == "sql file") {
    return "start the file with `SET lock_timeout = '5s';` so a blocked statement fails fast "
           "instead of queueing traffic behind it (retry the deploy later)";
  }
  if (!st.in_transaction) {
    return fmt::format(
        "inside the autocommit_block(), run `op.execute(\"SET lock_timeout = '5s'\")` before this "
        "statement, so it fails fast instead of queueing traffic behind it; or set it for every "
        "migration in env.py: `create_engine(url, connect_args={{\"options\": \"-c "
        "lock_timeout=5s\"}})`");
  }
  return fmt::format(
      "make the first statement of {} `op.execute(\"SET LOCAL lock_timeout = '5s'\")` (SET "
      "LOCAL ends with the migration's transaction), so a blocked statement fails fast instead "
      "of queueing traffic behind it, and retry the deploy later; or set it for every "
      "migration in env.py: `create_engine(url, connect_args={{\"options\": \"-c "
      "lock_timeout=5s\"}})`",
      rulekit::PhaseFunction(st.phase));
}

class MissingLockTimeout final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{
        "missing-lock-timeout",
        "Statement takes a lock that blocks reads or writes on an existing table without a "
        "lock_timeout",
        Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    // One finding per transaction: the first offending statement, the others as related.
    std::map<std::pair<Phase, uint32_t>,
             std::vector<std::pair<const PlannedStatement*, rulekit::ExistingLock>>>
        by_transaction;
    std::vector<std::pair<Phase, uint32_t>> order;
    for (const PlannedStatement& st : a->statements) {
      if (st.HasLockTimeout()) continue;
      std::optional<rulekit::ExistingLock> lock = StrongLock(st);
      if (!lock) continue;
      auto key = std::make_pair(st.phase, st.transaction);
      auto& list = by_transaction[key];
      if (list.empty()) order.push_back(key);
      list.emplace_back(&st, std::move(*lock));
    }
    for (const auto& key : order) {
      const auto& list = by_transaction[key];
      const PlannedStatement& first = *list.front().first;
      const rulekit::ExistingLock& lock = list.front().second;
      std::string timeout_note =
          first.lock_timeout
              ? fmt::format(" (lock_timeout is `{}`, which disables it)", *first.lock_timeout)
              : "";
      std::string more = list.size() > 1
                             ? fmt::format("; {} more statement{} of this transaction {} the same",
                                           list.size() - 1, list.size() > 2 ? "s" : "",
                                           list.size() > 2 ? "do" : "does")
                             : "";
      Finding& f = ctx.ReportStatement(
          first,
          fmt::format("`{}`{} takes {} {} lock on {} with no lock_timeout{}: if another "
                      "session holds a conflicting lock it waits indefinitely, and while it "
                      "waits new queries on {} queue behind it (it blocks {}){}",
                      first.facts.summary, PhaseSuffix(first.phase),
                      lock.mode == LockMode::kAccessExclusive ? "an" : "a", LockModeName(lock.mode),
                      lock.label, timeout_note, lock.label, BlockedOperations(lock.mode), more));
      f.help = Help(first);
      for (size_t i = 1; i < list.size(); ++i) {
        const auto& [st, l] = list[i];
        f.related.push_back(
            {st->anchor, fmt::format("{} lock on {} here too, also without a timeout",
                                     LockModeName(l.mode), l.label)});
      }
    }
  }
};

}  // namespace

const Rule& MissingLockTimeoutRule() {
  static const MissingLockTimeout r;
  return r;
}

}  // namespace alint
