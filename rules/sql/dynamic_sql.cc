// dynamic-sql: SQL assembled at run time, which no static check can read.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint {
namespace {

// Not named DynamicSql: that is the fact type (lint/python/migration.h) it reads.
class DynamicSqlCheck final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"dynamic-sql",
                                "SQL built at run time (f-string, str.format, %-formatting, a "
                                "variable), or an op.* call with such arguments, cannot be "
                                "checked for locks or data loss",
                                Severity::kInfo, "sql"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    for (const DynamicSql& d : m.dynamic_sql) {
      const std::string_view where = PhaseSuffix(d.phase);
      Finding& f = ctx.Report(
          d.span, fmt::format("SQL passed to `{}`{} is built at run time ({}): its statements, "
                              "locks and data loss cannot be checked",
                              d.via.empty() ? "execute" : d.via, where, d.why));
      f.help =
          "write the statement as one literal string (bind values with "
          "`sa.text(\"... WHERE id = :id\").bindparams(id=...)` instead of formatting them in); "
          "if it must stay dynamic, review its locks by hand and add "
          "`# alembic-lint: ignore[dynamic-sql] reason` on this line";
    }
    // An op whose arguments the op model cannot read (a variable table or index name, a
    // computed column list) is left out of every lock and data-loss rule: say so.
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    for (const OpCall* op : a->unmodelled_ops) {
      // bulk_insert always names its table through a Table object (a variable), and an INSERT
      // only takes row locks: `locks` lists it as not analysed, a finding would be noise.
      // The same for op.execute() of a SQLAlchemy DML expression (`table.update()...`).
      if (op->name == "bulk_insert" || op->name == "execute") continue;
      const std::string_view where = PhaseSuffix(op->phase);
      const Expr* name = op->call.Keyword("constraint_name");
      if (name == nullptr) name = op->call.Positional(0);
      if (op->name == "drop_constraint" && name != nullptr && name->kind == Expr::Kind::kNone) {
        // What autogenerate writes for a constraint the database named itself.
        Finding& f = ctx.Report(
            op->name_span,
            fmt::format("`{}.drop_constraint(None, ...)`{} was not analysed: a constraint without "
                        "a name cannot be dropped (SQLAlchemy refuses to emit DROP CONSTRAINT "
                        "for it), so this call fails when it runs",
                        op->receiver, where));
        f.help =
            "autogenerate writes None when the database named the constraint itself: look the "
            "name up (`\\d table` in psql) and write it here, or give the constraint a name "
            "through a naming convention";
        continue;
      }
      Finding& f = ctx.Report(
          op->name_span, fmt::format("`{}.{}()`{} was not analysed: an argument is not a literal "
                                     "the linter can read, or the call takes a form the op "
                                     "model does not know, so its locks and data loss cannot be "
                                     "checked",
                                     op->receiver, op->name, where));
      f.help =
          "write the table, index, constraint and column names as string literals "
          "(`op.f(\"ix_name\")` is fine); if they must stay computed, review the call's locks "
          "by hand and add `# alembic-lint: ignore[dynamic-sql] reason` on this line";
    }
  }
};

}  // namespace

const Rule& DynamicSqlRule() {
  static const DynamicSqlCheck r;
  return r;
}

}  // namespace alint
