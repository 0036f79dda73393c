#pragma once
/// What a run works on: the loaded files, their migration facts, and the environments (one
/// revision graph each) they belong to.

#include <memory>
#include <string>
#include <vector>

#include "lint/core/source.h"
#include "lint/python/migration.h"

namespace alint {

struct BaseSnapshot;  // lint/git/base_snapshot.h

/// One Alembic environment: one script_location with its version locations, linted as one
/// revision graph.
struct Environment {
  std::string name;                       ///< shown to users: the ini/pyproject path or the dir
  std::string config_path;                ///< alembic.ini / pyproject.toml, or empty
  std::string script_location;            ///< may be empty for a bare versions directory
  std::vector<std::string> version_dirs;  ///< in Alembic's order
  bool recursive = false;                 ///< recursive_version_locations
  /// `file_template` from the config ("%%(rev)s_%%(slug)s" when unset): how Alembic names new
  /// migration files; filename-revision-mismatch reads it.
  std::string file_template = "%%(rev)s_%%(slug)s";
  std::vector<FileId> files;  ///< migration files, discovery order
  /// Where the project's modules are found, to read constants migrations import.
  std::vector<std::string> package_roots;
  /// The database it runs on, as SQLAlchemy names it ("postgresql", "mysql", "sqlite", ...),
  /// and what said so ("alembic.ini:23 sqlalchemy.url", "env.py:12", "--dialect"); "" when
  /// nothing does (PostgreSQL is assumed). Set by LoadWorkspace when bodies are read.
  std::string dialect;
  std::string dialect_origin;
  /// Lock and SQL rules apply: the dialect is PostgreSQL or unknown.
  bool IsPostgres() const { return dialect.empty() || dialect == "postgresql"; }
  /// PR mode (`check --since REF`): this environment's migrations and graph at REF; null
  /// otherwise. Read by branch-behind-base.
  std::shared_ptr<const BaseSnapshot> base;
};

}  // namespace alint
