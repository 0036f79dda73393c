// The engine's DDL hook: a rule that NeedsBody() gets the migration's analysis, computed with
// its environment's env.py.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/linter.h"
#include "rules/registry.h"

namespace alint {
namespace {

// Reports every planned statement with the lock_timeout it runs under.
class StatementProbe final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"probe", "test", Severity::kWarning, "test"};
    return i;
  }
  bool NeedsBody() const override { return true; }
  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    REQUIRE(ctx.analysis() != nullptr);
    for (const PlannedStatement& s : ctx.analysis()->statements) {
      ctx.Report(s.anchor,
                 fmt::format("{} timeout={}", s.facts.KindName(), s.lock_timeout.value_or("none")));
    }
  }
};

// Checks that a rule without NeedsBody() is given no analysis.
class HeaderProbe final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"header-probe", "test", Severity::kWarning, "test"};
    return i;
  }
  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    ctx.Report(Span{m.file, 0, 0}, ctx.analysis() == nullptr ? "none" : "some");
  }
};

Workspace Load(const MemoryFileSource& fs) {
  Discovery d;
  DiscoveredEnv env;
  env.name = "repo/alembic.ini";
  env.script_location = "repo/migrations";
  env.version_dirs = {"repo/migrations/versions"};
  env.files = {"repo/migrations/versions/a1_drop.py"};
  d.envs.push_back(env);
  return LoadWorkspace(fs, d, LoadOptions{});
}

TEST_CASE("engine: DDL rules get the analysis, with env.py's lock_timeout") {
  MemoryFileSource fs;
  fs.Add("repo/migrations/env.py", "connect_args = {'options': '-c lock_timeout=2s'}\n");
  fs.Add("repo/migrations/versions/a1_drop.py",
         "from alembic import op\nrevision = 'a1'\ndown_revision = None\n\n"
         "def upgrade():\n    op.drop_column('users', 'email')\n");
  Workspace ws = Load(fs);
  REQUIRE(ws.env_facts.size() == 1);
  CHECK(ws.env_facts[0].found);
  CHECK(ws.env_facts[0].lock_timeout == "2s");

  StatementProbe probe;
  HeaderProbe header;
  std::vector<const Rule*> rules{&probe, &header};
  std::vector<Finding> findings = Lint(ws, BuiltinRules(), rules, LintSettings{}, 1);
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].message == "none");  // the header rule
  CHECK(findings[1].message == "alter_table.drop_column timeout=2s");
  CHECK(ws.files[0].Slice(findings[1].span) == "drop_column");
}

TEST_CASE("engine: without env.py nothing is assumed") {
  MemoryFileSource fs;
  fs.Add("repo/migrations/versions/a1_drop.py",
         "from alembic import op\nrevision = 'a1'\ndown_revision = None\n\n"
         "def upgrade():\n    op.drop_column('users', 'email')\n");
  Workspace ws = Load(fs);
  REQUIRE(ws.env_facts.size() == 1);
  CHECK_FALSE(ws.env_facts[0].found);
  StatementProbe probe;
  std::vector<const Rule*> rules{&probe};
  std::vector<Finding> findings = Lint(ws, BuiltinRules(), rules, LintSettings{}, 1);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "alter_table.drop_column timeout=none");
}

}  // namespace
}  // namespace alint
