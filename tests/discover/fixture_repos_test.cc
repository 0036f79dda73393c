#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lint/core/file_source.h"
#include "lint/discover/discover.h"
#include "lint/engine/linter.h"
#include "rules/registry.h"

// The fixture repos on disk, checked against what Alembic itself loads for them (the lists
// below are the output of tests/discover/alembic_agrees.py run with python3-alembic).

namespace alint {

namespace {

using Strings = std::vector<std::string>;

const std::string kRepos = NormalizePath(std::string(ALINT_SOURCE_DIR) + "/fixtures/repos");

Strings Relative(const Strings& paths) {
  Strings out;
  for (const auto& p : paths) {
    REQUIRE(p.rfind(kRepos + "/", 0) == 0);
    out.push_back(p.substr(kRepos.size() + 1));
  }
  return out;
}

}  // namespace

TEST_CASE("fixture monorepo: two envs, the replica section folded into its twin") {
  DiskFileSource fs;
  auto d = Discover(fs, {kRepos + "/monorepo"});
  REQUIRE_MESSAGE(d.ok(), d.error().message);
  CHECK(d->warnings.empty());
  REQUIRE(d->envs.size() == 2);
  CHECK(Relative({d->envs[0].name}) == Strings{"monorepo/packages/api/alembic.ini"});
  CHECK(d->envs[0].file_template == "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s");
  CHECK(Relative(d->envs[0].files) ==
        Strings{"monorepo/packages/api/migrations/versions/20240301_3f1c2a9b7d10_create_users.py",
                "monorepo/packages/api/migrations/versions/20240305_8e4d6b0a2c57_add_email.py"});
  CHECK(Relative({d->envs[1].name}) == Strings{"monorepo/services/billing/billing.ini"});
  // Alembic's order: version locations in config order, files sorted in each.
  CHECK(Relative(d->envs[1].files) ==
        Strings{"monorepo/services/billing/db/versions/5b9e0d3a6f18_add_invoice_total.py",
                "monorepo/services/billing/db/versions/c41a7e2f9b03_create_invoices.py",
                "monorepo/services/billing/db/data_versions/e07f2c8d1a64_backfill_totals.py"});
}

TEST_CASE("fixture monorepo: a changed file (pre-commit) loads just its env") {
  DiskFileSource fs;
  std::string file =
      kRepos + "/monorepo/services/billing/db/data_versions/e07f2c8d1a64_backfill_totals.py";
  auto d = Discover(fs, {file});
  REQUIRE_MESSAGE(d.ok(), d.error().message);
  REQUIRE(d->envs.size() == 1);
  CHECK(d->envs[0].files.size() == 3);
  CHECK(d->targets == Strings{file});
}

TEST_CASE("fixture pyproject_only: [tool.alembic] alone") {
  DiskFileSource fs;
  auto d = Discover(fs, {kRepos + "/pyproject_only"});
  REQUIRE_MESSAGE(d.ok(), d.error().message);
  REQUIRE(d->envs.size() == 1);
  CHECK(Relative({d->envs[0].config_path}) == Strings{"pyproject_only/pyproject.toml"});
  CHECK_FALSE(d->envs[0].recursive);
  CHECK(Relative(d->envs[0].files) ==
        Strings{"pyproject_only/src/shop/migrations/versions/9d2b4f6e1c30_create_orders.py"});
}

}  // namespace alint

namespace alint {

TEST_CASE("fixture named_sections: [core]/[tenant] package:path in src/, one broken, constants") {
  DiskFileSource fs;
  auto d = Discover(fs, {kRepos + "/named_sections"});
  REQUIRE_MESSAGE(d.ok(), d.error().message);
  REQUIRE(d->envs.size() == 2);
  CHECK(Relative({d->envs[0].name}) == Strings{"named_sections/src/shop/alembic.ini[core]"});
  CHECK(Relative({d->envs[1].name}) == Strings{"named_sections/src/shop/alembic.ini[tenant]"});
  CHECK(Relative(d->envs[1].files) ==
        Strings{"named_sections/src/shop/db/tenant/versions/2c8f4a6e0b13_expand_initial.py",
                "named_sections/src/shop/db/tenant/versions/5d9b2f7c4e86_add_tenant_plan.py",
                "named_sections/src/shop/db/tenant/versions/7a1e3c5f9d24_contract_initial.py"});
  REQUIRE(d->broken.size() == 1);
  CHECK(Relative({d->broken[0].name}) == Strings{"named_sections/src/shop/alembic.ini[legacy]"});
  CHECK(d->broken[0].line == 13);

  // The branch labels are imported constants: read from src/shop/db/cli.py, so the graph
  // is complete and has the two labelled heads Alembic reports.
  LoadOptions lo;
  lo.jobs = 1;
  lo.target_mode = ParseMode::kHeader;
  Workspace ws = LoadWorkspace(fs, *d, lo);
  const RevisionGraph& g = *ws.graphs[1];
  CHECK_FALSE(g.alembic_error().has_value());
  CHECK_FALSE(g.incomplete());
  CHECK(g.Ids(g.heads()) == Strings{"5d9b2f7c4e86", "7a1e3c5f9d24"});
  CHECK(g.LineageLabels(g.heads()[0]) == Strings{"expand"});
  CHECK(g.LineageLabels(g.heads()[1]) == Strings{"contract"});
  REQUIRE(ws.broken.size() == 1);

  // check: the broken section is one environment-error finding, the rest is linted.
  LintSettings settings;
  auto rules = BuiltinRules().Select(settings);
  REQUIRE(rules.ok());
  int env_errors = 0;
  for (const Finding& f : Lint(ws, BuiltinRules(), *rules, settings, 1)) {
    if (f.rule == "environment-error") {
      ++env_errors;
      REQUIRE(f.span.valid());
      CHECK(ws.files[f.span.file].Locate(f.span.begin).line == 13);
    }
    CHECK(f.rule != "non-literal-revision-value");
  }
  CHECK(env_errors == 1);
}

}  // namespace alint
