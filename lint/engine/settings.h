#pragma once
/// Typed settings the rules and the engine read. Filled from defaults, then the config file,
/// then command-line flags (each layer overrides the one before).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lint/core/finding.h"
#include "lint/core/regex.h"

namespace alint {

/// The value of one rule option (see RuleOption in lint/engine/rule.h), as its type stores it.
struct RuleOptionValue {
  int64_t number = 0;                  ///< kInt
  std::string text;                    ///< kString; kRegex: the pattern as written
  std::vector<std::string> list;       ///< kStringList
  std::shared_ptr<const Regex> regex;  ///< kRegex: compiled once, when the settings are read
};

struct LintSettings {
  // --- rule selection -------------------------------------------------------------------
  std::vector<std::string> select;  ///< empty: every rule enabled by default
  std::vector<std::string> ignore;
  std::map<std::string, Severity> severity;              ///< per-rule override
  std::optional<Severity> fail_on = Severity::kWarning;  ///< nullopt: never fail
  /// Findings below this severity are dropped from the report (every format) and so do not
  /// count for the exit status either (`min-severity`, `--min-severity`).
  Severity min_severity = Severity::kInfo;
  /// Per-path ignores: a glob (fnmatch, `*` also crosses `/`) relative to `base_dir`, and the
  /// rules whose findings are dropped in matching files.
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
  /// Directory that relative paths in the settings are resolved against (the config file's
  /// directory), absolute; empty: the working directory.
  std::string base_dir;

  /// `applied` / `--applied`: revisions production already ran (one per branch). They and
  /// their ancestors are history: the lock, SQL and data rules (DropAppliedFindings in
  /// lint/engine/applied.h) do not report on their files; the other rules still do. An
  /// environment declared in the config may name its own (EnvSpec::applied).
  std::vector<std::string> applied;
  std::string applied_origin;  ///< "path:line:col" of the config value, or "--applied"

  // --- rule options ---------------------------------------------------------------------
  /// Options set by the config or flags, by RuleOption::key (declared in the rules' RuleInfo;
  /// a rule reads them through RuleContext, which falls back to the declared default).
  std::map<std::string, RuleOptionValue, std::less<>> options;

  // --- DDL analysis -----------------------------------------------------------------------
  int pg_version = 15;
  /// A .sql file runs in one transaction (a tool wraps it), not statement by statement as
  /// psql runs it: `sql-files-in-transaction` / `--assume-in-transaction`.
  bool sql_files_in_transaction = false;
  /// The database every environment runs on, unless the config declares one for the
  /// environment: from `dialect` in the config or `--dialect` ("" = decide per environment
  /// from its sqlalchemy.url / env.py; PostgreSQL when nothing says). Lock and SQL rules run
  /// only on PostgreSQL environments.
  std::string dialect;
  std::string dialect_origin;  ///< "--dialect" or "<config path> dialect", for messages
};

}  // namespace alint
