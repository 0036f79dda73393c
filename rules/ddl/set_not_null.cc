// set-not-null: ALTER COLUMN ... SET NOT NULL (op.alter_column(nullable=False)) scans the table
// under an ACCESS EXCLUSIVE lock unless a validated CHECK proves it.
#include <fmt/format.h>

#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

class SetNotNull final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"set-not-null",
                                "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const int pg = ctx.settings().pg_version;
    for (const PlannedStatement& s : ctx.analysis()->statements) {
      if (s.facts.kind != StatementKind::kSetNotNull) continue;
      const std::string table = s.facts.table;
      const RelationEffect* e = s.facts.Effect(table);
      // No scan: a validated CHECK (col IS NOT NULL) proves it (PostgreSQL 12+).
      if (e == nullptr || !e->scan || s.IsNew(table)) continue;
      // Restoring the NOT NULL the upgrade dropped is the ordinary inverse.
      if (s.phase == Phase::kDowngrade &&
          rulekit::UpgradeChangesColumn(*ctx.analysis(), StatementKind::kDropNotNull, table,
                                        s.facts.column)) {
        continue;
      }
      const std::string& col = s.facts.column;
      Finding& f = ctx.ReportStatement(
          s, fmt::format("SET NOT NULL on `{}.{}`{} scans the whole table to check for NULLs while "
                         "holding an {}; it fails if any row is NULL",
                         table, col, PhaseSuffix(s.phase), rulekit::LockPhrase(s.facts, table)));
      std::string check = table + "_" + col + "_not_null";
      if (check.size() > 63) check = "ck_" + col + "_not_null";
      if (pg >= 12) {
        f.help = fmt::format(
            "prove it first without blocking, then SET NOT NULL skips the scan (PostgreSQL "
            "12+):\n"
            "    op.execute(\"ALTER TABLE {0} ADD CONSTRAINT {2} CHECK ({1} IS NOT NULL) NOT "
            "VALID\")\n"
            "    op.execute(\"ALTER TABLE {0} VALIDATE CONSTRAINT {2}\")\n"
            "    op.alter_column(\"{0}\", \"{1}\", nullable=False)\n"
            "    op.drop_constraint(\"{2}\", \"{0}\")",
            table, col, check);
      } else {
        f.help = fmt::format(
            "before PostgreSQL 12 SET NOT NULL always scans: keep `{1}` nullable with a "
            "validated `CHECK ({1} IS NOT NULL)` (added NOT VALID, then VALIDATE CONSTRAINT), "
            "and switch to SET NOT NULL after upgrading; or run it in a maintenance window "
            "with `SET LOCAL lock_timeout`",
            table, col);
      }
    }
  }
};

}  // namespace

const Rule& SetNotNullRule() {
  static const SetNotNull r;
  return r;
}

}  // namespace alint
