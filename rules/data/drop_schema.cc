// drop-schema: DROP SCHEMA (with everything in it, under CASCADE) and DROP DATABASE.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "lint/core/regex.h"
#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

using namespace stmt_rules;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The schema a CREATE SCHEMA statement from a SQL string creates (the SQL model does not name
// it): "" when it cannot tell.
std::string CreatedSchema(const PlannedStatement& s) {
  if (s.facts.kind != "create_schema" || s.sql == nullptr) return {};
  static const Regex kCreate =
      Regex::Compile(
          R"re(^\s*create\s+schema\s+(?:if\s+not\s+exists\s+)?(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_$]*)))re",
          Regex::Options{.case_insensitive = true, .bytes = true})
          .value();
  const std::string text = s.sql->text.substr(s.facts.begin, s.facts.end - s.facts.begin);
  auto m = kCreate.Find(text);
  if (!m) return {};
  return (*m)[1].data() != nullptr ? std::string((*m)[1]) : Lower(std::string((*m)[2]));
}

// The names a DROP SCHEMA names, from its summary ("DROP SCHEMA a, b CASCADE").
std::vector<std::string> DroppedSchemas(const StatementFacts& f) {
  std::string list = f.summary.substr(std::string("DROP SCHEMA ").size());
  const std::string cascade = " CASCADE";
  if (list.size() >= cascade.size() &&
      list.compare(list.size() - cascade.size(), cascade.size(), cascade) == 0) {
    list.resize(list.size() - cascade.size());
  }
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(", ", start);
    out.push_back(
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  return out;
}

class DropSchema final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"drop-schema", "a migration drops a schema or a database",
                                Severity::kError, "data"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis& a = *ctx.analysis();
    for (size_t i = 0; i < a.statements.size(); ++i) {
      const PlannedStatement& s = a.statements[i];
      if (s.facts.kind == "drop_database") {
        Finding& f = ReportStatement(
            ctx, s,
            fmt::format("{}{}: every table of that database and all their data are destroyed; "
                        "a migration must never do this",
                        s.facts.summary, PhaseSuffix(s)));
        f.help =
            "remove it from the migration: creating and dropping databases is provisioning "
            "work, done outside Alembic by an operator with a backup";
        continue;
      }
      if (s.facts.kind != "drop_schema") continue;
      std::vector<std::string> names = DroppedSchemas(s.facts);
      std::erase_if(names, [&](const std::string& name) {
        // A schema this migration created (earlier, or in its upgrade for a downgrade) holds
        // nothing older than the migration.
        for (size_t j = 0; j < a.statements.size(); ++j) {
          const PlannedStatement& c = a.statements[j];
          const bool earlier_same_phase = j < i && c.phase == s.phase;
          const bool upgrade_for_downgrade =
              s.phase == Phase::kDowngrade && c.phase == Phase::kUpgrade;
          if ((earlier_same_phase || upgrade_for_downgrade) && CreatedSchema(c) == name) {
            return true;
          }
        }
        return false;
      });
      if (names.empty()) continue;
      const bool cascade = s.facts.data_loss;
      std::string quoted;
      for (const std::string& n : names) quoted += (quoted.empty() ? "`" : ", `") + n + "`";
      Finding& f = ReportStatement(
          ctx, s,
          cascade ? fmt::format("drops schema {}{} with CASCADE: every table, view, function and "
                                "type in it is dropped with all its data",
                                quoted, PhaseSuffix(s))
                  : fmt::format("drops schema {}{}: application code that uses it breaks (and the "
                                "statement fails if anything is still in it)",
                                quoted, PhaseSuffix(s)));
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
