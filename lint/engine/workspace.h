#pragma once
/// What a run works on: the loaded files, their migration facts, and the environments (one
/// revision graph each) they belong to.

#include <memory>
#include <string>
#include <vector>

#include "lint/core/source.h"
#include "lint/discover/env_spec.h"
#include "lint/python/migration.h"

namespace alint {

struct BaseSnapshot;  // lint/git/base_snapshot.h

/// One Alembic environment: one script_location with its version locations, linted as one
/// revision graph. The spec discovery read (name, paths, file_template, package roots, the
/// dialect the configuration states) plus what the engine adds.
struct Environment : EnvSpec {
  std::vector<FileId> files;  ///< migration files, discovery order
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
