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
      if (rulekit::InSqlFile(s)) {
        f.help = fmt::format(
            "build it concurrently (writes continue; it cannot run inside a transaction block, "
            "so keep it out of BEGIN ... COMMIT):\n{};\n"
            "if a concurrent build fails it leaves an INVALID index: drop it before retrying",
            rulekit::InsertAfterKeyword(rulekit::StatementSql(s), "INDEX", "CONCURRENTLY"));
      } else {
        f.help = fmt::format(
            "build it concurrently (writes continue; it cannot run in a transaction, so put it "
            "in an autocommit block):\n{}\n"
            "if a concurrent build fails it leaves an INVALID index: drop it before retrying",
            s.in_transaction ? rulekit::InAutocommitBlock(code) : code);
      }
      // The fix, for an op.create_index() call that is a statement of its own: the same call
      // with postgresql_concurrently=True inside autocommit_block(). Unsafe: the statements
      // before it commit first, so the migration is no longer all-or-nothing.
      if (s.op != nullptr && s.in_transaction && !s.op->batch_table &&
          (s.phase == Phase::kUpgrade || s.phase == Phase::kDowngrade)) {
        const SourceFile& file = ctx.file(m.file);
        const Span call = s.op->call.span;
        const std::string_view source = file.Slice(call);
        const uint32_t line_start = file.lines.LineStart(file.Locate(call.begin).line);
        const std::string_view before =
            std::string_view(file.text).substr(line_start, call.begin - line_start);
        const bool alone = before.find_first_not_of(" \t") == std::string_view::npos;
        // Flattened to one line: only when no string in it spans lines and no comment in it
        // would be lost.
        const bool flat = source.find("\"\"\"") == std::string_view::npos &&
                          source.find("'''") == std::string_view::npos &&
                          source.find('\\') == std::string_view::npos &&
                          source.find('#') == std::string_view::npos;
        if (alone && flat && !before.empty() && source.starts_with(s.op->receiver + ".")) {
          const std::string indent(before);
          const std::string_view nl = file.text.find("\r\n") != std::string::npos ? "\r\n" : "\n";
          f.fix =
              Fix{"Build the index concurrently in an autocommit block",
                  Applicability::kUnsafe,
                  {Edit{Span{m.file, line_start, call.end},
                        fmt::format("{0}with {1}.get_context().autocommit_block():{2}{0}    {3}",
                                    indent, s.op->receiver, nl, code)}}};
        }
      }
    }
  }
};

}  // namespace

const Rule& CreateIndexNonConcurrentRule() {
  static const CreateIndexNonConcurrent r;
  return r;
}

}  // namespace alint
