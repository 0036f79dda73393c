#pragma once
/// Discovery: from the paths a user passes to the set of Alembic environments and the exact
/// migration files Alembic itself would load for each, no more, no less. All I/O goes
/// through a FileSource, so tests build repositories in memory.
///
/// What a path may be:
/// - a project root (or any directory above one): every Alembic environment under it, found
///   by a bounded walk that skips hidden dirs, virtualenvs, node_modules, build dirs. An
///   environment is: a section of an `*.ini` file with its own `script_location` (the
///   `[alembic]` section, and any other section used with `alembic -n NAME`), an
///   `alembic.ini` whose `[alembic]` section takes `script_location` from pyproject.toml
///   `[tool.alembic]` in the same directory (ini values win, key by key, as in Alembic 1.16),
///   a pyproject.toml `[tool.alembic]` alone, an `[alembic]` section without
///   `script_location` next to an env.py (Flask-Migrate's layout), or a directory holding
///   env.py and versions/ that no config points at. Environments reached twice (two sections
///   naming the same migrations, say for `-n dev` and `-n prod`) are kept once.
/// - a script_location directory or a versions directory: the configured environment it
///   belongs to when a config above it names it, else an environment of just that directory.
/// - a file: the environment whose version directories hold it (found by walking up to the
///   repository root), and the file goes to `targets`. env.py, `__init__.py` and non-Python
///   files are not migrations and are skipped; `.sql` files go to `sql_files`.
///
/// Relative paths (script_location, version_locations) resolve against the config file's
/// directory, which is where `alembic` runs in practice. When walking up from a relative
/// path the walk stops at "."; pass absolute paths to search above the working directory.

#include <string>
#include <vector>

#include "lint/core/file_source.h"
#include "lint/core/result.h"
#include "lint/discover/env_spec.h"

namespace alint {

/// An environment with the files Alembic would load from it.
struct DiscoveredEnv : EnvSpec {
  /// Migration files Alembic would load, in Alembic's order: version dirs in config order,
  /// files sorted by name, then (recursive only) subdirectories in sorted order.
  std::vector<std::string> files;
  std::vector<std::string> sql_files;  ///< .sql files given on the command line (no env)
};

/// An environment a config declares that cannot be resolved (a script_location that does not
/// exist, a `package:path` whose package is not in the repository, an ini that does not
/// parse): it is reported (the `environment-error` finding, a line of `heads`) and the run goes
/// on with the other environments.
struct BrokenEnv {
  std::string name;         ///< as DiscoveredEnv::name ("alembic.ini[core]"), or the file
  std::string config_path;  ///< the file the problem is in
  int line = 0;             ///< 1-based line in config_path, 0 when unknown
  std::string message;      ///< the whole message, starting with "config_path:line: "
};

struct Discovery {
  std::vector<DiscoveredEnv> envs;
  std::vector<BrokenEnv> broken;  ///< environments that could not be resolved
  /// Files named explicitly on the command line (pre-commit): file-level findings are
  /// reported only for these. Empty = report on every file.
  std::vector<std::string> targets;
  /// Things a user should know that do not stop the run, each starting with the path it is
  /// about, e.g. "a.py: not inside any Alembic environment; linted with its directory".
  std::vector<std::string> warnings;
};

/// Resolves `paths` (files or directories; empty means ".") to environments. Errors are
/// values: a missing path, a directory holding no environment at all. A configured
/// environment that cannot be resolved (an ini or TOML file that does not parse, a
/// script_location that does not exist or names a package not found in the repository, an
/// invalid boolean or path separator) goes to `broken` with its file and line instead, so one
/// broken environment does not hide the others.
Result<Discovery> Discover(const FileSource& fs, const std::vector<std::string>& paths);

/// Like Discover, but the environments are exactly `declared` (configuration files are not
/// searched): directory paths lint every declared environment, file paths are targets of the
/// declared environment that holds them (`.sql` files as usual).
Result<Discovery> DiscoverDeclared(const FileSource& fs, const std::vector<std::string>& paths,
                                   const std::vector<DeclaredEnv>& declared);

/// Alembic's file filter for version directories: `*.py`, except `__init__*` and `.#*`
/// (editor lock files). Exposed for tests and the LSP.
bool IsMigrationFileName(const std::string& name);

}  // namespace alint
