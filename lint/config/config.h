#pragma once
/// Configuration files: `[tool.alembic-lint]` in pyproject.toml, or a `.alembic-lint.toml`
/// (same keys at top level). Found by walking up from the linted path; `--config FILE`
/// overrides. An unknown key, unknown rule or bad value is an error naming the file and line.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/file_source.h"
#include "lint/core/result.h"
#include "lint/discover/env_spec.h"
#include "lint/engine/rule_set.h"
#include "lint/engine/settings.h"

namespace alint {

struct Config {
  std::string path;       ///< the file it came from
  LintSettings settings;  ///< defaults overlaid with what the file sets
  /// `[[environments]]`, paths as written (relative to the config file's directory); the
  /// CLI resolves them and sets `origin`.
  std::vector<DeclaredEnv> environments;
  std::set<std::string> keys;  ///< the top-level keys the file set (for reporting/overrides)
};

/// Parses config text. `pyproject` selects the `[tool.alembic-lint]` table (a pyproject
/// without it yields a default Config); otherwise the keys are at top level. `base_dir` is the
/// absolute directory relative paths resolve against. Rule names (select, ignore, severity,
/// per-file-ignores) must be in `rules`.
Result<Config> ParseConfig(std::string_view text, const std::string& path, bool pyproject,
                           const std::string& base_dir, const RuleSet& rules);

/// Loads `path` (a .toml file: pyproject.toml by name, anything else as .alembic-lint.toml).
Result<Config> LoadConfigFile(const FileSource& fs, const std::string& path, const RuleSet& rules);

/// Walks up from `start` (a file or directory, absolute) to the filesystem root and loads the
/// first `.alembic-lint.toml`, or `pyproject.toml` that has a `[tool.alembic-lint]` table.
/// nullopt when there is none.
Result<std::optional<Config>> FindConfig(const FileSource& fs, const std::string& start,
                                         const RuleSet& rules);

/// Every top-level key the config accepts (the rules' options included), for messages and docs.
std::vector<std::string_view> KnownConfigKeys(const RuleSet& rules);

}  // namespace alint
