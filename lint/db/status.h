#pragma once
/// `alembic-lint status`, the part that needs no database: given the rows of an environment's
/// version table and its revision graph, what Alembic will say (an overlap, a revision it
/// cannot locate) and which migrations `alembic upgrade heads` runs, in order. Alembic 1.8.1's
/// semantics (alembic/script/revision.py, RevisionMap._collect_upgrade_revisions and
/// _iterate_related_revisions(check=True)). The database side is lint/db/pg_client.h.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lint/graph/revision_graph.h"

namespace alint::db {

/// Where Alembic keeps the applied revisions (context.configure(version_table=...,
/// version_table_schema=...); `alembic_version` in the search path by default).
struct VersionTable {
  std::string name = "alembic_version";
  std::string schema;  ///< "" = the connection's search path
  /// `schema.name` as the user would write it (for messages).
  std::string Display() const { return schema.empty() ? name : schema + "." + name; }
};

/// A problem with the version table's rows: the next `alembic upgrade` fails because of it.
struct StatusProblem {
  /// "overlap": a row is an ancestor of another (the parent and the child both stored);
  /// "unknown-revision": a row names no revision of this checkout (deleted or renamed file,
  /// a branch deployed from another checkout, a database ahead of the checkout);
  /// "duplicate-row": the same revision stored twice (a version table without primary key);
  /// "graph": the checkout's own revision graph does not load, so nothing can be upgraded.
  std::string kind;
  std::string message;                 ///< what is wrong, for people
  std::string alembic_error;           ///< what Alembic will raise, verbatim where it is fixed text
  std::string fix;                     ///< what to do; SQL to run when the fix is a row change
  std::vector<std::string> revisions;  ///< the rows involved
};

/// One row of the version table as the graph sees it.
struct CurrentRow {
  std::string revision;
  uint32_t node = kNoNode;  ///< the graph node, or kNoNode when unknown
  bool head = false;        ///< one of the graph's heads (nothing newer to run on its branch)
  std::vector<std::string> labels;  ///< branch labels of its lineage
};

struct EnvStatus {
  bool table_exists = false;  ///< false: a fresh database (everything is pending)
  std::vector<CurrentRow> current;
  std::vector<StatusProblem> problems;
  /// Revisions `alembic upgrade heads` runs, in an order Alembic can run them (parents and
  /// dependencies first; file order among equals). Empty when a problem stops the upgrade.
  std::vector<uint32_t> pending;
  /// The target heads (Alembic's real heads: `upgrade heads`).
  std::vector<uint32_t> heads;
};

/// The status of one environment. `rows` are the version table's values as read (nullopt
/// when the table does not exist); `table` names it in the fixes. When the graph itself does
/// not load (graph.alembic_error()), the only problem is that.
EnvStatus ComputeStatus(const RevisionGraph& graph,
                        const std::optional<std::vector<std::string>>& rows,
                        const VersionTable& table);

/// `value` as a SQL string literal ('it''s').
std::string SqlLiteral(std::string_view value);
/// `name` as a SQL identifier, quoted only when PostgreSQL needs it.
std::string SqlIdentifier(std::string_view name);

}  // namespace alint::db
