// drop-schema: DROP SCHEMA (with everything in it, under CASCADE) and DROP DATABASE.
#include <fmt/format.h>

#include <algorithm>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint {
namespace {

// True when `s` is a CREATE SCHEMA of `name`.
bool CreatesSchema(const PlannedStatement& s, const std::string& name) {
  return s.facts.kind == StatementKind::kCreateSchema &&
         std::find(s.facts.schemas.begin(), s.facts.schemas.end(), name) != s.facts.schemas.end();
}

class DropSchema final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"drop-schema", "A migration drops a schema or a database",
                                Severity::kError, "data"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis& a = *ctx.analysis();
    for (size_t i = 0; i < a.statements.size(); ++i) {
      const PlannedStatement& s = a.statements[i];
      if (s.facts.kind == StatementKind::kDropDatabase) {
        Finding& f = ctx.ReportStatement(
            s, fmt::format("`{}`{}: every table of that database and all their data are destroyed; "
                           "a migration must never do this",
                           s.facts.summary, PhaseSuffix(s.phase)));
        f.help =
            "remove it from the migration: creating and dropping databases is provisioning "
            "work, done outside Alembic by an operator with a backup";
        continue;
      }
      if (s.facts.kind != StatementKind::kDropSchema) continue;
      std::vector<std::string> names = s.facts.schemas;
      std::erase_if(names, [&](const std::string& name) {
        // A schema this migration created (earlier, or in its upgrade for a downgrade) holds
        // nothing older than the migration.
        for (size_t j = 0; j < a.statements.size(); ++j) {
          const PlannedStatement& c = a.statements[j];
          const bool earlier_same_phase = j < i && c.phase == s.phase;
          const bool upgrade_for_downgrade =
              s.phase == Phase::kDowngrade && c.phase == Phase::kUpgrade;
          if ((earlier_same_phase || upgrade_for_downgrade) && CreatesSchema(c, name)) {
            return true;
          }
        }
        return false;
      });
      if (names.empty()) continue;
      const bool cascade = s.facts.data_loss;
      std::string quoted;
      for (const std::string& n : names) quoted += (quoted.empty() ? "`" : ", `") + n + "`";
      Finding& f = ctx.ReportStatement(
          s, cascade
                 ? fmt::format("drops schema {}{} with CASCADE: every table, view, function and "
                               "type in it is dropped with all its data",
                               quoted, PhaseSuffix(s.phase))
                 : fmt::format("drops schema {}{}: application code that uses it breaks (and the "
                               "statement fails if anything is still in it)",
                               quoted, PhaseSuffix(s.phase)));
      f.help =
          "drop the objects inside one by one in reviewed migrations (each shows what data "
          "goes), after the application stops using them; never CASCADE blindly. If this is "
          "intended, suppress with `# alembic-lint: ignore[drop-schema] <reason>`";
    }
  }
};

}  // namespace

const Rule& DropSchemaRule() {
  static const DropSchema r;
  return r;
}

}  // namespace alint
