#include "lint/cli/cli.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "lint/cli/commands.h"
#include "lint/lsp/server.h"

namespace alint {

namespace {

bool IsCommand(std::string_view a) {
  return a == "check" || a == "heads" || a == "graph" || a == "baseline" || a == "locks" ||
         a == "schema" || a == "status" || a == "fix" || a == "rules" || a == "explain" ||
         a == "lsp" || a == "help" || a == "-h" || a == "--help" || a == "--version" || a == "-V";
}

std::vector<std::string> SplitCommas(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const std::string& s : in) {
    size_t start = 0;
    while (start <= s.size()) {
      size_t comma = s.find(',', start);
      std::string part =
          s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!part.empty() && part.front() == ' ') part.erase(part.begin());
      while (!part.empty() && part.back() == ' ') part.pop_back();
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace

int RunCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // `alembic-lint PATH` means `alembic-lint check PATH`.
  if (args.empty() || !IsCommand(args[0])) args.insert(args.begin(), "check");
  if (args[0] == "help") args[0] = "--help";

  CLI::App app{"alembic-lint: static checks for Alembic migration repositories", "alembic-lint"};
  app.set_version_flag("-V,--version", std::string("alembic-lint ") + ALINT_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage, config or internal error.\n"
      "Run `alembic-lint explain RULE` for a rule's documentation.");

  CheckArgs check;
  std::vector<std::string> select, ignore;
  std::string fail_on = "warning";
  CLI::App* check_cmd = app.add_subcommand("check", "Lint migrations (the default command)");
  check_cmd->add_option("paths", check.paths,
                        "Project roots, versions directories or migration files (default: .)");
  check_cmd
      ->add_option("--format", check.format,
                   "Output format (default: text; github when GITHUB_ACTIONS=true)")
      ->check(CLI::IsMember({"text", "concise", "json", "sarif", "github"}));
  check_cmd->add_option("--output-file,-o", check.output_file, "Write the report to this file");
  check_cmd->add_flag("--statistics", check.statistics,
                      "Print only the findings per rule and the files with the most findings "
                      "(text output)");
  CLI::Option* quiet_opt = check_cmd->add_flag(
      "-q,--quiet", check.quiet,
      "Text output: one line per finding, no code frames, table or closing line (pre-commit)");
  check_cmd->get_option("--statistics")->excludes(quiet_opt);
  std::string min_severity;
  CLI::Option* min_severity_opt =
      check_cmd
          ->add_option("--min-severity", min_severity,
                       "Leave out findings below this severity (every format; they do not count "
                       "for the exit status either)")
          ->check(CLI::IsMember({"error", "warning", "info"}));
  CLI::Option* fail_on_opt =
      check_cmd->add_option("--fail-on", fail_on, "Lowest severity that makes the exit status 1")
          ->check(CLI::IsMember({"error", "warning", "info", "never"}));
  check_cmd->add_option(
      "--config", check.config_file,
      "Config file (default: .alembic-lint.toml or pyproject.toml found walking up)");
  check_cmd->add_flag("--no-config", check.no_config, "Ignore configuration files");
  // One value per flag (repeatable, comma-separated): a greedy list would swallow the paths
  // in `check --select a,b migrations/`.
  check_cmd
      ->add_option("--select", select,
                   "Only these rules or categories (comma-separated; ALL for every rule)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  check_cmd->add_option("--ignore", ignore, "Skip these rules or categories (comma-separated)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  std::vector<std::string> applied;
  check_cmd
      ->add_option("--applied", applied,
                   "Revisions production already ran (comma-separated, one per branch): lock, "
                   "SQL and data rules skip them and their ancestors (overrides `applied`)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  check_cmd
      ->add_option("--pg-version", check.pg_version, "Target PostgreSQL major version (default 15)")
      ->check(CLI::Range(11, 18));
  check_cmd->add_flag("--assume-in-transaction", check.assume_in_transaction,
                      ".sql files run in one transaction (a tool wraps them), not statement by "
                      "statement as psql runs them");
  check_cmd
      ->add_option("--dialect", check.dialect,
                   "Database the migrations run on (default: from sqlalchemy.url / env.py, else "
                   "postgresql); lock and SQL rules run only on postgresql")
      ->check(CLI::IsMember({"postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle",
                             "cockroachdb", "snowflake"}));
  check_cmd
      ->add_option("--expected-heads", check.expected_heads,
                   "How many heads the revision graph may have (default 1)")
      ->check(CLI::PositiveNumber);
  check_cmd->add_option("--revision-id-pattern", check.revision_id_pattern,
                        "Regex every revision id must match (a team's own --rev-id scheme)");
  check_cmd->add_option("--color", check.color, "Colour output")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  check_cmd->add_option("--since", check.since,
                        "PR mode: report file findings only for migrations changed since this git "
                        "revision, and predict the heads after merging into it");
  check_cmd->add_option("-j,--jobs", check.jobs, "Worker threads (default: one per core)");

  HeadsArgs heads;
  CLI::App* heads_cmd =
      app.add_subcommand("heads", "Show the heads, like `alembic heads` (no Python)");
  heads_cmd->add_option("path", heads.path, "Project root or versions directory (default: .)");
  heads_cmd->add_option("--format", heads.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));

  GraphArgs graph;
  CLI::App* graph_cmd = app.add_subcommand(
      "graph",
      "Draw the revision graph as Mermaid or Graphviz dot, with heads, branch points, merges, "
      "labels and the chain findings marked");
  graph_cmd->add_option("path", graph.path, "Project root or versions directory (default: .)");
  graph_cmd->add_option("--format", graph.format, "mermaid (default) or dot")
      ->check(CLI::IsMember({"mermaid", "dot"}));
  graph_cmd->add_option("--since", graph.since,
                        "Only the revisions changed since this git revision, their parents, "
                        "children and the heads");

  BaselineArgs baseline;
  CLI::App* baseline_cmd = app.add_subcommand(
      "baseline",
      "Write the current heads as `applied` into the config: what production already ran is "
      "no longer checked by the lock, SQL and data rules");
  baseline_cmd->add_option("path", baseline.path,
                           "Project root or versions directory (default: .)");
  baseline_cmd->add_option("--config", baseline.config_file,
                           "Config file to edit (default: the one `check` finds, else a new "
                           ".alembic-lint.toml in PATH)");

  LocksArgs locks;
  CLI::App* locks_cmd = app.add_subcommand(
      "locks", "Summarize the locks each migration takes, per table (Markdown or JSON)");
  locks_cmd->add_option("path", locks.path,
                        "Project root, versions directory, migration or .sql file (default: .)");
  locks_cmd->add_option("--format", locks.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  locks_cmd
      ->add_option("--pg-version", locks.pg_version, "Target PostgreSQL major version (default 15)")
      ->check(CLI::Range(11, 18));
  locks_cmd->add_flag("--assume-in-transaction", locks.assume_in_transaction,
                      ".sql files run in one transaction, not statement by statement as psql "
                      "runs them");
  locks_cmd
      ->add_option("--dialect", locks.dialect,
                   "Database the migrations run on (default: from sqlalchemy.url / env.py, else "
                   "postgresql); locks are shown for postgresql only")
      ->check(CLI::IsMember({"postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle",
                             "cockroachdb", "snowflake"}));

  SchemaArgs schema;
  CLI::App* schema_cmd = app.add_subcommand(
      "schema",
      "Print the schema the migration history builds (tables, columns, constraints, indexes, "
      "enums), replayed without a database, with what could not be followed");
  schema_cmd->add_option("path", schema.path, "Project root or versions directory (default: .)");
  schema_cmd
      ->add_option("--revision", schema.revisions,
                   "Revision to show the schema at (id, unique prefix or branch label; "
                   "repeatable; default: every head)")
      ->allow_extra_args(false);
  schema_cmd->add_option("--format", schema.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  schema_cmd
      ->add_option("--pg-version", schema.pg_version,
                   "Target PostgreSQL major version (default 15)")
      ->check(CLI::Range(11, 18));

  FixArgs fix;
  std::vector<std::string> fix_select, fix_ignore;
  CLI::App* fix_cmd = app.add_subcommand(
      "fix",
      "Apply the fixes findings carry (docstring fields, empty down_revision, ...), each file "
      "written atomically; --unsafe adds those that change what a migration does");
  fix_cmd->add_option("paths", fix.check.paths,
                      "Project roots, versions directories or migration files (default: .)");
  fix_cmd->add_flag("--diff", fix.diff, "Print a unified diff of the fixes and write nothing");
  fix_cmd->add_flag("--unsafe", fix.unsafe,
                    "Also apply fixes that change behaviour (rechaining a fork onto the head, "
                    "inserting a lock_timeout)");
  fix_cmd->add_flag("--merge", fix.merge,
                    "More heads than expected: write a merge revision (as `alembic merge heads`) "
                    "instead of rechaining the newer branch");
  fix_cmd->add_option("--select", fix_select, "Only these rules or categories (comma-separated)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  fix_cmd->add_option("--ignore", fix_ignore, "Skip these rules or categories (comma-separated)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  fix_cmd->add_option("--config", fix.check.config_file, "Config file");
  fix_cmd->add_flag("--no-config", fix.check.no_config, "Ignore configuration files");
  fix_cmd->add_option("--since", fix.check.since,
                      "PR mode: only fix migrations changed since this git revision");
  fix_cmd->add_option("-j,--jobs", fix.check.jobs, "Worker threads (default: one per core)");

  StatusArgs status;
  std::vector<std::string> status_fail_on;
  bool fail_on_pending = false;
  CLI::App* status_cmd = app.add_subcommand(
      "status",
      "Compare a live database's version table with the revision graph: problems that stop "
      "the next upgrade, pending migrations with their locks and data loss, sessions in the way");
  status_cmd->add_option("path", status.path, "Project root or versions directory (default: .)");
  status_cmd->add_option("--database-url", status.database_url,
                         "Database URL (default: $DATABASE_URL, else a literal sqlalchemy.url)");
  status_cmd->add_option("--format", status.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "summary"}));
  status_cmd
      ->add_option("--timeout", status.timeout,
                   "Seconds to wait for the connection and for each query (default 10)")
      ->check(CLI::Range(1, 3600));
  status_cmd->add_flag("--blockers", status.blockers,
                       "List the sessions whose locks would block the pending migrations now");
  status_cmd
      ->add_option("--fail-on", status_fail_on,
                   "Exit 1 also when there are pending migrations (pending), destructive ones "
                   "(destructive) or blockers (blockers); problems always do")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  status_cmd->add_flag("--fail-on-pending", fail_on_pending, "Same as --fail-on pending");
  status_cmd->add_option("--version-table", status.version_table,
                         "The version table (default: env.py's version_table, else "
                         "alembic_version)");
  status_cmd->add_option("--version-table-schema", status.version_table_schema,
                         "Its schema (default: env.py's version_table_schema, else the search "
                         "path)");
  status_cmd
      ->add_option("--pg-version", status.pg_version,
                   "PostgreSQL major version for the lock model (default 15)")
      ->check(CLI::Range(11, 18));

  std::string rules_format = "text";
  CLI::App* rules_cmd = app.add_subcommand("rules", "List the rules");
  rules_cmd->add_option("--format", rules_format, "Output format")
      ->check(CLI::IsMember({"text", "json", "markdown"}));

  std::string explain_rule;
  CLI::App* explain_cmd = app.add_subcommand("explain", "Print a rule's documentation");
  explain_cmd->add_option("rule", explain_rule, "Rule name (see `alembic-lint rules`)")->required();

  CLI::App* lsp_cmd =
      app.add_subcommand("lsp", "Run the language server (LSP over stdin/stdout) for editors");
  bool lsp_stdio = true;
  lsp_cmd->add_flag("--stdio", lsp_stdio,
                    "Accepted for clients that pass it; stdio is the only transport");

  std::vector<const char*> cargv;
  cargv.push_back(argv[0]);
  for (const std::string& a : args) cargv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(cargv.size()), const_cast<char**>(cargv.data()));
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  try {
    if (*check_cmd) {
      check.select = SplitCommas(select);
      check.ignore = SplitCommas(ignore);
      check.applied = SplitCommas(applied);
      if (fail_on_opt->count()) check.fail_on = fail_on;
      if (min_severity_opt->count()) check.min_severity = min_severity;
      if (check.paths.empty()) check.paths.push_back(".");
      return RunCheck(check);
    }
    if (*heads_cmd) return RunHeads(heads);
    if (*graph_cmd) return RunGraph(graph);
    if (*baseline_cmd) return RunBaseline(baseline);
    if (*locks_cmd) return RunLocks(locks);
    if (*schema_cmd) return RunSchema(schema);
    if (*fix_cmd) {
      fix.check.select = SplitCommas(fix_select);
      fix.check.ignore = SplitCommas(fix_ignore);
      if (fix.check.paths.empty()) fix.check.paths.push_back(".");
      return RunFix(fix);
    }
    if (*status_cmd) {
      status.fail_on = SplitCommas(status_fail_on);
      if (fail_on_pending) status.fail_on.push_back("pending");
      return RunStatus(status);
    }
    if (*rules_cmd) return RunRules(rules_format);
    if (*explain_cmd) return RunExplain(explain_rule);
    if (*lsp_cmd) return lsp::RunLsp();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "alembic-lint: internal error: %s\n", e.what());
    return 2;
  }
  return 2;
}

}  // namespace alint
