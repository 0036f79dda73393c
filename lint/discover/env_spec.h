#pragma once
/// One description of an Alembic environment, from configuration to the engine. The
/// alembic-lint config declares environments (DeclaredEnv); discovery reads alembic.ini /
/// pyproject.toml into an EnvSpec, lists its files (DiscoveredEnv: an EnvSpec plus files), and
/// the engine lints it (Environment in lint/engine/workspace.h: an EnvSpec plus file ids, the
/// decided dialect and PR mode's base). Each later stage extends the spec rather than copying
/// its fields.

#include <string>
#include <string_view>
#include <vector>

namespace alint {

/// Alembic's default `file_template`, %-escaped as written in alembic.ini ("%%" is "%").
inline constexpr std::string_view kDefaultFileTemplate = "%%(rev)s_%%(slug)s";

/// An environment declared in alembic-lint's own config (`[[tool.alembic-lint.environments]]`),
/// for projects that set their version locations in code rather than alembic.ini. The config
/// reader keeps paths as written (relative to the config file); the CLI resolves them and
/// sets `origin` before discovery.
struct DeclaredEnv {
  std::string name;
  std::string origin;  ///< the config file ("pyproject.toml" etc.), for messages
  std::string script_location;
  std::vector<std::string> version_dirs;  ///< `version-locations`; empty: script_location/versions
  bool recursive = false;
  std::string file_template;  ///< empty: Alembic's default
  std::string dialect;        ///< empty: decided from the project (see LintSettings::dialect)
  /// `applied`: revisions production already ran (see LintSettings::applied); empty: the
  /// config's top-level `applied` holds. `applied_origin` is "path:line:col" of the value.
  std::vector<std::string> applied;
  std::string applied_origin;
};

/// One environment as its configuration describes it, before its files are listed.
struct EnvSpec {
  /// Shown to users: the config path (plus "[section]" when not [alembic]) or the directory.
  /// Empty for discovery's pseudo-environment that only carries `.sql` files.
  std::string name;
  std::string config_path;      ///< the ini / pyproject.toml that set script_location, or empty
  std::string script_location;  ///< resolved, normalised; empty for a bare versions directory
  /// Resolved, normalised, in Alembic's order. Without version_locations: script_location +
  /// "/versions" (which may be missing in a fresh checkout: git does not keep empty dirs).
  std::vector<std::string> version_dirs;
  /// Where each version dir was configured ("alembic.ini:7"), or empty for the default.
  std::vector<std::string> version_dir_origins;
  bool recursive = false;   ///< recursive_version_locations
  bool sourceless = false;  ///< sourceless (bytecode-only files are not linted)
  /// `file_template`, %-escaped as written in alembic.ini: how Alembic names new migration
  /// files; filename-revision-mismatch reads it.
  std::string file_template = std::string(kDefaultFileTemplate);
  /// Where the project's own modules are found (PackageRoots in lint/discover/config.h): used
  /// to read constants the migrations import (`branch_labels = (cli.CONTRACT_BRANCH,)`).
  std::vector<std::string> package_roots;
  /// The dialect the configuration states (a literal `sqlalchemy.url`, or a declared
  /// environment's `dialect`) and where ("alembic.ini:23 sqlalchemy.url"); "" when it says
  /// nothing. The engine decides the dialect from this and env.py (DecideDialect).
  std::string stated_dialect;
  std::string stated_dialect_origin;
  /// The literal `sqlalchemy.url` of the configuration and where it is ("alembic.ini:23");
  /// "" when there is none. `status` connects to it when no --database-url or DATABASE_URL
  /// is given (unless env.py replaces it at run time).
  std::string url;
  std::string url_origin;
  /// True when `stated_dialect` was declared for this environment in alembic-lint's own
  /// config (it then wins over what env.py says).
  bool dialect_declared = false;
  /// Revisions production already ran, declared for this environment in alembic-lint's own
  /// config (`applied`), and where ("path:line:col"); empty: LintSettings::applied holds.
  std::vector<std::string> applied;
  std::string applied_origin;
};

}  // namespace alint
