#pragma once
// Test support for the DDL rules: a migration's text -> its facts (ExtractMigration) -> a
// MigrationAnalysis built here with the SQL and op models, so a rule can be run on it without
// the engine. The plan follows the contract of lint/analysis/migration_analysis.h: execution
// order (upgrade, then downgrade; ops and SQL merged by `order`), one transaction per
// migration with each autocommit_block() statement on its own, lock_timeout from earlier
// SETs, relations created earlier in the same phase.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/python/extract.h"
#include "lint/sql/op_model.h"
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
  struct Item {
    Phase phase;
    uint32_t order;
    const OpCall* op;
    const SqlString* sql;
  };

  void Plan() {
    std::vector<Item> items;
    for (const OpCall& op : m.ops) items.push_back({op.phase, op.order, &op, nullptr});
    for (const SqlString& s : m.sql) items.push_back({s.phase, s.order, nullptr, &s});
    auto rank = [](Phase p) { return p == Phase::kUpgrade ? 0 : p == Phase::kDowngrade ? 1 : 2; };
    std::stable_sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
      if (rank(a.phase) != rank(b.phase)) return rank(a.phase) < rank(b.phase);
      return a.order < b.order;
    });
    uint32_t transaction = 0;
    bool after_autocommit = false;
    Phase phase = Phase::kOther;
    std::optional<std::string> lock_timeout;
    std::vector<std::string> created;
    SqlOptions options;
    options.pg_version = settings.pg_version;
    for (const Item& item : items) {
      if (item.phase != phase) {
        phase = item.phase;
        created.clear();
        lock_timeout.reset();
        ++transaction;
      }
      const bool autocommit =
          item.op != nullptr ? item.op->in_autocommit_block : item.sql->in_autocommit_block;
      std::vector<StatementFacts> facts;
      if (item.op != nullptr) {
        facts = AnalyzeOpCall(*item.op, options);
      } else {
        facts = AnalyzeSql(item.sql->text, options).facts;
      }
      for (StatementFacts& f : facts) {
        PlannedStatement s;
        if (item.op != nullptr) {
          s.span = Span{0, f.begin, f.end};
          s.anchor = Span{0, f.anchor, f.anchor_end};
        } else {
          s.span = Span{0, item.sql->FileOffset(f.begin), item.sql->FileOffset(f.end)};
          s.anchor = Span{0, item.sql->FileOffset(f.anchor), item.sql->FileOffset(f.anchor_end)};
        }
        s.phase = item.phase;
        s.op = item.op;
        s.sql = item.sql;
        s.in_transaction = !autocommit;
        if (autocommit || after_autocommit) ++transaction;
        after_autocommit = autocommit;
        s.transaction = transaction;
        s.lock_timeout = lock_timeout;
        for (const RelationEffect& e : f.effects) {
          if (std::find(created.begin(), created.end(), e.relation) != created.end()) {
            s.new_relations.push_back(e.relation);
          }
        }
        for (const RelationEffect& e : f.effects) {
          if (e.created || f.kind == "create_table") created.push_back(e.relation);
        }
        if (f.sets_lock_timeout) lock_timeout = *f.sets_lock_timeout;
        s.facts = std::move(f);
        analysis.statements.push_back(std::move(s));
      }
    }
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
