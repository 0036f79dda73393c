// reindex-non-concurrent: REINDEX without CONCURRENTLY rebuilds while blocking writes to the
// table and every query that would use the index.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_rule_util.h"

namespace alint {
namespace {

class ReindexNonConcurrent final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{
        "reindex-non-concurrent",
        "REINDEX without CONCURRENTLY blocks writes (and reads through the index) while it "
        "rebuilds",
        Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    const int pg = ctx.settings().pg_version;
    for (const PlannedStatement& s : a->statements) {
      if (s.facts.kind != StatementKind::kReindex || s.facts.concurrently) continue;
      bool is_new = false;
      for (const RelationEffect& e : s.facts.effects) is_new = is_new || s.IsNew(e.relation);
      if (is_new) continue;
      std::string what;
      if (!s.facts.effects.empty() && s.facts.effects[0].kind == RelationKind::kIndex) {
        what = fmt::format(
            "holds ACCESS EXCLUSIVE on index `{}` and SHARE on its table: writes to the table and "
            "every query planned on it wait",
            s.facts.effects[0].relation);
      } else if (!s.facts.effects.empty()) {
        what = fmt::format(
            "holds SHARE on `{}` and ACCESS EXCLUSIVE on each of its indexes: writes and "
            "queries planned on the table wait",
            s.facts.effects[0].relation);
      } else {
        what = "locks each table (SHARE) and its indexes (ACCESS EXCLUSIVE) in turn";
      }
      Finding& f = ctx.ReportStatement(
          s, fmt::format("`{}` without CONCURRENTLY {} until the rebuild finishes{}",
                         s.facts.summary, what, PhaseSuffix(s.phase)));
      if (s.facts.command == "REINDEX SYSTEM") {
        // The system catalogs have no concurrent rebuild ("cannot reindex system catalogs
        // concurrently"): nothing to rewrite the statement into.
        f.help =
            "PostgreSQL cannot rebuild system catalog indexes concurrently (REINDEX SYSTEM has no "
            "CONCURRENTLY form): run it in a maintenance window, or reindex only the catalog "
            "index that needs it (REINDEX INDEX pg_catalog.<index>, which locks only that "
            "catalog)";
        continue;
      }
      if (pg < 12) {
        f.help = fmt::format(
            "REINDEX CONCURRENTLY needs PostgreSQL 12 (target: {}); instead build a copy with "
            "CREATE INDEX CONCURRENTLY, drop the old index with DROP INDEX CONCURRENTLY and "
            "rename the copy (each in an autocommit block)",
            pg);
        continue;
      }
      std::string_view sql = rulekit::StatementSql(s);
      std::string code;
      if (!sql.empty()) {
        // REINDEX [ ( options ) ] { INDEX | TABLE | SCHEMA | ... } [ CONCURRENTLY ] name
        std::string rewritten(sql);
        for (std::string_view target : {"INDEX", "TABLE", "SCHEMA", "DATABASE", "SYSTEM"}) {
          std::string with = rulekit::InsertAfterKeyword(sql, target, "CONCURRENTLY");
          if (with != rewritten) {
            rewritten = std::move(with);
            break;
          }
        }
        code = rulekit::OpExecute(rewritten);
      } else {
        // REINDEX { INDEX | TABLE } CONCURRENTLY name
        code = rulekit::OpExecute(
            s.facts.command + " CONCURRENTLY " +
            (s.facts.effects.empty() ? std::string("<name>") : s.facts.effects[0].relation));
      }
      f.help = fmt::format(
          "rebuild concurrently (reads and writes continue; it cannot run in a transaction, so "
          "put it in an autocommit block{}):\n{}",
          s.facts.command == "REINDEX DATABASE"
              ? "; the system catalogs are skipped, they cannot be rebuilt concurrently"
              : "",
          s.in_transaction ? rulekit::InAutocommitBlock(code) : code);
    }
  }
};

}  // namespace

const Rule& ReindexNonConcurrentRule() {
  static const ReindexNonConcurrent r;
  return r;
}

}  // namespace alint
