#pragma once
// Test support for the DDL rules: a migration's text -> its facts (ExtractMigration) -> its
// MigrationAnalysis (AnalyzeMigration), and a rule run on it without the engine, with the
// settings (pg_version, severities) the test chooses.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/python/extract.h"
#include "rules/registry.h"

namespace alint::testing {

struct DdlCase {
  std::vector<SourceFile> files;
  Migration m;
  MigrationAnalysis analysis;
  LintSettings settings;
  std::vector<Finding> findings;

  explicit DdlCase(std::string text, int pg_version = 15) {
    settings.pg_version = pg_version;
    files.emplace_back(0, "versions/0a1b2c3d4e5f_test.py", std::move(text));
    m = ExtractMigration(files[0], ParseMode::kFull);
    Plan();
  }

  std::vector<Finding> Run(std::string_view rule_name) {
    const Rule* rule = FindRule(rule_name);
    REQUIRE_MESSAGE(rule != nullptr, "rule not registered: " << rule_name);
    REQUIRE(rule->NeedsBody());
    findings.clear();
    RuleContext ctx(rule->info(), rule->info().default_severity, settings, files, &findings);
    ctx.set_analysis(&analysis);
    rule->CheckMigration(m, ctx);
    return findings;
  }

  uint32_t Line(Span s) const { return files[0].Locate(s.begin).line; }
  /// 1-based line of the first line containing `needle`.
  uint32_t LineOf(std::string_view needle) const {
    size_t at = files[0].text.find(needle);
    REQUIRE_MESSAGE(at != std::string::npos, "not found: " << needle);
    return files[0].Locate(static_cast<uint32_t>(at)).line;
  }
  std::string_view At(Span s) const { return files[0].Slice(s); }

 private:
  void Plan() {
    AnalysisOptions options;
    options.pg_version = settings.pg_version;
    analysis = AnalyzeMigration(m, files[0], options);
  }
};

/// A migration module around `upgrade` (and optionally `downgrade`) bodies, each line
/// indented by the caller.
inline std::string Module(std::string_view upgrade, std::string_view downgrade = "    pass\n") {
  return std::string(
             "from alembic import op\nimport sqlalchemy as sa\n\n"
             "revision = \"0a1b2c3d4e5f\"\ndown_revision = None\n\n\ndef upgrade():\n") +
         std::string(upgrade) + "\n\ndef downgrade():\n" + std::string(downgrade);
}

}  // namespace alint::testing
