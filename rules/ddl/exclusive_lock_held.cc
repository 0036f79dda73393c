// exclusive-lock-held: slow work after an ACCESS EXCLUSIVE lock in the same transaction.
#include <fmt/format.h>

#include <map>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_timeout_util.h"

namespace alint {
namespace {

// Where an ACCESS EXCLUSIVE lock was first taken in the current transaction.
struct HeldLock {
  std::string relation;
  std::string label;  ///< for messages (ExistingLock::label)
  const PlannedStatement* taken_by = nullptr;
};

class ExclusiveLockHeld final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{
        "exclusive-lock-held",
        "Slow statement (rewrite, scan, index build, data change) runs while an earlier "
        "statement's ACCESS EXCLUSIVE lock is still held",
        Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    std::vector<HeldLock> held;  // of the current transaction, in the order taken
    const PlannedStatement* previous = nullptr;
    for (const PlannedStatement& st : a->statements) {
      // PostgreSQL releases table locks only at the end of the transaction.
      if (previous == nullptr || previous->phase != st.phase ||
          previous->transaction != st.transaction || !st.in_transaction) {
        held.clear();
      }
      previous = &st;
      std::vector<rulekit::ExistingLock> locks = rulekit::ExistingLocks(st);
      std::string why;
      if (!held.empty() && rulekit::IsSlowStatement(st, &why)) Report(st, why, held, locks, ctx);
      if (!st.in_transaction) continue;
      for (const rulekit::ExistingLock& l : locks) {
        if (l.mode != LockMode::kAccessExclusive) continue;
        bool known = false;
        for (const HeldLock& h : held) known = known || h.relation == l.relation;
        if (!known) held.push_back({l.relation, l.label, &st});
      }
    }
  }

 private:
  static void Report(const PlannedStatement& st, const std::string& why,
                     const std::vector<HeldLock>& held,
                     const std::vector<rulekit::ExistingLock>& own, RuleContext& ctx) {
    // A relation this statement locks ACCESS EXCLUSIVE itself is blocked for its duration
    // anyway; the earlier lock adds nothing there.
    std::vector<const HeldLock*> extended;
    for (const HeldLock& h : held) {
      bool own_exclusive = false;
      for (const rulekit::ExistingLock& l : own)
        own_exclusive =
            own_exclusive || (l.relation == h.relation && l.mode == LockMode::kAccessExclusive);
      if (!own_exclusive) extended.push_back(&h);
    }
    if (extended.empty()) return;
    std::vector<std::string> labels;
    for (const HeldLock* h : extended) labels.push_back(h->label);
    const std::string tables = rulekit::JoinLabels(labels);
    const HeldLock& first = *extended.front();
    Finding& f = ctx.ReportStatement(
        st, fmt::format("`{}`{} {} while the ACCESS EXCLUSIVE lock on {} taken at {} is still held "
                        "(locks last until the transaction commits): {} blocked for reads and "
                        "writes for the whole of this slow statement, not just the quick change",
                        st.facts.summary, PhaseSuffix(st.phase), why, tables,
                        rulekit::LineOf(ctx, first.taken_by->anchor),
                        extended.size() == 1 ? "the table stays" : "the tables stay"));
    for (const HeldLock* h : extended) {
      f.related.push_back(
          {h->taken_by->anchor, fmt::format("ACCESS EXCLUSIVE lock on {} taken here by `{}`",
                                            h->label, h->taken_by->facts.summary)});
    }
    if (st.sql != nullptr && st.sql->via == "sql file") {
      f.help = fmt::format(
          "COMMIT after `{}` (or run the slow statement first, before the lock is taken), so "
          "{} is locked only for the quick change",
          first.taken_by->facts.summary, first.label);
    } else {
      f.help = fmt::format(
          "move `{}` into its own migration (Alembic runs each migration in one transaction), "
          "or run it first, before `{}` takes the lock; data backfills can also go in an "
          "`with op.get_context().autocommit_block():` block, in batches",
          st.facts.summary, first.taken_by->facts.summary);
    }
  }
};

}  // namespace

const Rule& ExclusiveLockHeldRule() {
  static const ExclusiveLockHeld r;
  return r;
}

}  // namespace alint
