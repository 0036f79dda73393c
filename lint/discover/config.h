#pragma once
/// Reading Alembic configuration: alembic.ini (and other *.ini files with Alembic sections)
/// and pyproject.toml `[tool.alembic]`, resolved the way Alembic 1.16's Config and
/// ScriptDirectory.from_config do. Internal to lint/discover.

#include <string>
#include <vector>

#include "lint/core/file_source.h"
#include "lint/core/result.h"
#include "lint/discover/discover.h"

namespace alint {

/// Environments configured by the files directly inside `dir`, in a stable order:
/// alembic.ini first, then other *.ini files by name (sections in file order), then
/// pyproject.toml alone when no alembic.ini has an [alembic] section. `entries` is the
/// listing of `dir`. Files that merely happen to be INI or TOML (tox.ini, a pyproject.toml
/// without [tool.alembic]) are ignored even when they do not parse; alembic.ini, or any file
/// with an [alembic] / [tool.alembic] section, must be valid: when one does not parse, or one
/// of its environments cannot be resolved, that environment goes to `broken` (with the file
/// and line) and the others are still returned. Non-fatal notes go to `warnings`.
std::vector<EnvSpec> ReadEnvConfigs(const FileSource& fs, const std::string& dir,
                                    const std::vector<DirEntry>& entries,
                                    std::vector<std::string>& warnings,
                                    std::vector<BrokenEnv>& broken);

/// Directories `import` would search for a top-level package or module of a project whose
/// config file lives in `config_dir`, most likely first, without importing anything:
/// `prepend_sys_path` entries (resolved against `config_dir`), then `config_dir` and each
/// directory above it up to the repository root (a directory holding .git; at most 8 levels),
/// each followed by its `src/` and by the package directory its pyproject.toml
/// (`[tool.setuptools.package-dir]`, `[tool.setuptools.packages.find] where`,
/// `[tool.hatch...] packages`, `[tool.poetry] packages from`) or setup.cfg
/// (`[options] package_dir`) names. Only existing directories, each once.
std::vector<std::string> PackageRoots(const FileSource& fs, const std::string& config_dir,
                                      const std::vector<std::string>& prepend_sys_path = {});

}  // namespace alint
