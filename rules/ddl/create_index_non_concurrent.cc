// create-index-non-concurrent: CREATE INDEX / op.create_index without CONCURRENTLY on a table
// that already exists: the SHARE lock stops every write for the whole build.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_rule_util.h"
#include "lint/rulekit/lock_timeout_util.h"

namespace alint {
namespace {

class CreateIndexNonConcurrent final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"create-index-non-concurrent",
                                "CREATE INDEX without CONCURRENTLY blocks writes to an existing "
                                "table for the whole index build",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    for (const PlannedStatement& s : a->statements) {
      if (s.facts.kind != StatementKind::kCreateIndex || s.facts.concurrently) continue;
      const RelationEffect* table = rulekit::ExistingTableEffect(s.facts);
      if (table == nullptr || s.IsNew(table->relation)) continue;
      const std::string index = s.facts.constraint.empty() ? std::string("an index")
                                                           : "index `" + s.facts.constraint + "`";
      const LockMode held = rulekit::LockWhileRunning(s, table->relation, table->lock);
      Finding& f = ctx.ReportStatement(
          s, fmt::format("creating {} without CONCURRENTLY holds a {} lock on `{}` until every "
                         "row is read and sorted{}{}: it blocks {}",
                         index, LockModeName(table->lock), table->relation, PhaseSuffix(s.phase),
                         rulekit::HeldSince(ctx, s, table->relation, table->lock),
                         BlockedOperations(held)));
      std::string code;
      if (s.op != nullptr) {
        code = rulekit::OpCallWith(ctx.file(m.file), *s.op, "postgresql_concurrently=True");
      } else {
        code = rulekit::OpExecute(
            rulekit::InsertAfterKeyword(rulekit::StatementSql(s), "INDEX", "CONCURRENTLY"));
      }
      f.help = fmt::format(
          "build it concurrently (writes continue; it cannot run in a transaction, so put it "
          "in an autocommit block):\n{}\n"
          "if a concurrent build fails it leaves an INVALID index: drop it before retrying",
          s.in_transaction ? rulekit::InAutocommitBlock(code) : code);
    }
  }
};

}  // namespace

const Rule& CreateIndexNonConcurrentRule() {
  static const CreateIndexNonConcurrent r;
  return r;
}

}  // namespace alint
