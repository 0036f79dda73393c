#pragma once
/// Typed settings the rules and the engine read. Filled from defaults, then the config file,
/// then command-line flags (each layer overrides the one before).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lint/core/finding.h"
#include "lint/discover/env_spec.h"

namespace alint {

struct LintSettings {
  // --- rule selection -------------------------------------------------------------------
  std::vector<std::string> select;  ///< empty: every rule enabled by default
  std::vector<std::string> ignore;
  std::map<std::string, Severity> severity;              ///< per-rule override
  std::optional<Severity> fail_on = Severity::kWarning;  ///< nullopt: never fail
  /// Per-path ignores: a glob (fnmatch, `*` also crosses `/`) relative to `base_dir`, and the
  /// rules whose findings are dropped in matching files.
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
  /// Directory that relative paths in the settings are resolved against (the config file's
  /// directory), absolute; empty: the working directory.
  std::string base_dir;

  // --- graph rules ----------------------------------------------------------------------
  /// multiple-heads: how many heads are expected (unlabelled forks beyond this are findings).
  int expected_heads = 1;
  /// multiple-heads / multiple-bases: branch labels whose heads are expected to stay apart
  /// (expand/contract style). Empty: any labelled branch head counts as intentional.
  std::vector<std::string> allowed_branch_labels;
  /// handmade-revision-id: an ECMAScript regex a revision id must fully match (a team's own
  /// `--rev-id` scheme). Empty: Alembic's generated form, 12 lowercase hex digits.
  std::string revision_id_pattern;
  /// `file-template` in the config (kDefaultFileTemplate when unset). Accepted and validated;
  /// filename-revision-mismatch reads each environment's own (EnvSpec::file_template).
  std::string file_template = std::string(kDefaultFileTemplate);

  // --- DDL analysis -----------------------------------------------------------------------
  int pg_version = 15;
  /// The database every environment runs on, unless the config declares one for the
  /// environment: from `dialect` in the config or `--dialect` ("" = decide per environment
  /// from its sqlalchemy.url / env.py; PostgreSQL when nothing says). Lock and SQL rules run
  /// only on PostgreSQL environments.
  std::string dialect;
  std::string dialect_origin;  ///< "--dialect" or "<config path> dialect", for messages
};

}  // namespace alint
