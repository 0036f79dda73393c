// drop-index-non-concurrent: DROP INDEX / op.drop_index without CONCURRENTLY: ACCESS
// EXCLUSIVE on the index's table, queued behind every running query on it.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_rule_util.h"

namespace alint {
namespace {

class DropIndexNonConcurrent final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"drop-index-non-concurrent",
                                "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock "
                                "on the index's table",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    for (const PlannedStatement& s : a->statements) {
      if (s.facts.kind != StatementKind::kDropIndex || s.facts.concurrently) continue;
      // The drop is instant once granted; a lock_timeout (SET earlier, or env.py's) bounds the
      // wait and the queue behind it, as for drop-constraint.
      if (s.HasLockTimeout()) continue;
      // The table already locked ACCESS EXCLUSIVE by this transaction: nothing to wait for
      // (the drop is instant; exclusive-lock-held covers the time the lock is held).
      if (!s.index_table.empty() && s.AlreadyGranted(s.index_table, LockMode::kAccessExclusive))
        continue;
      const RelationEffect* index = nullptr;
      for (const RelationEffect& e : s.facts.effects) {
        if (e.kind == RelationKind::kIndex && !s.IsNew(e.relation)) {
          index = &e;
          break;
        }
      }
      if (index == nullptr) continue;
      // The index's table (the op's table_name=, or the migration that created the index) is
      // new: nothing runs on it yet.
      if (!s.index_table.empty() && s.IsNew(s.index_table)) continue;
      if (s.op != nullptr) {
        const Expr* table = s.op->call.Keyword("table_name");
        if (table == nullptr) table = s.op->call.Positional(1);
        if (table != nullptr && table->kind == Expr::Kind::kString &&
            rulekit::TableDroppedLater(*a, s, table->text)) {
          continue;
        }
      } else if (!s.index_table.empty() && rulekit::TableDroppedLater(*a, s, s.index_table)) {
        continue;
      }
      const LockMode lock =
          index->table_lock != LockMode::kNone ? index->table_lock : LockMode::kAccessExclusive;
      Finding& f = ctx.ReportStatement(
          s, fmt::format("dropping index `{}` without CONCURRENTLY takes an {} lock on {}{}: "
                         "it waits for every running query on the table, and {} on the table "
                         "queue behind it",
                         index->relation, LockModeName(lock),
                         s.index_table.empty() ? std::string("its table")
                                               : fmt::format("`{}`", s.index_table),
                         PhaseSuffix(s.phase), BlockedOperations(lock)));
      const std::string_view sql = rulekit::StatementSql(s);
      std::string code;
      if (s.op != nullptr) {
        code = rulekit::OpCallWith(ctx.file(m.file), *s.op, "postgresql_concurrently=True");
      } else {
        code = rulekit::OpExecute(rulekit::InsertAfterKeyword(sql, "INDEX", "CONCURRENTLY"));
      }
      std::string help =
          rulekit::InSqlFile(s)
              ? fmt::format(
                    "drop it concurrently (it waits for running queries without blocking new "
                    "ones; it cannot run inside a transaction block, so keep it out of BEGIN "
                    "... COMMIT):\n{};",
                    rulekit::InsertAfterKeyword(sql, "INDEX", "CONCURRENTLY"))
              : fmt::format(
                    "drop it concurrently (it waits for running queries without blocking new "
                    "ones; it cannot run in a transaction, so put it in an autocommit "
                    "block):\n{}",
                    s.in_transaction ? rulekit::InAutocommitBlock(code) : code);
      if (rulekit::FindIgnoreCase(sql, "CASCADE") != std::string_view::npos ||
          s.facts.effects.size() > 1) {
        help += "\nDROP INDEX CONCURRENTLY drops one index at a time and does not accept CASCADE";
      }
      f.help = std::move(help);
    }
  }
};

}  // namespace

const Rule& DropIndexNonConcurrentRule() {
  static const DropIndexNonConcurrent r;
  return r;
}

}  // namespace alint
