#pragma once
/// SQL dialects, as SQLAlchemy names them. The lock and SQL rules model PostgreSQL only; an
/// environment known to run on another database is checked for everything else.

#include <string>
#include <string_view>

namespace alint {

/// The dialect name a SQLAlchemy URL selects: "postgresql" (also for the old `postgres://`),
/// "mysql", "mariadb", "sqlite", "mssql", "oracle", ... (the part before `+driver` and `://`,
/// lowercased). "" when the URL is empty, has no scheme, or is Alembic's template placeholder
/// (`driver://user:pass@localhost/dbname`).
std::string DialectOfUrl(std::string_view url);

/// True for the names `dialect` may take in the config and on the command line.
bool IsKnownDialect(std::string_view name);

/// The names IsKnownDialect accepts, comma-separated (for messages).
std::string_view KnownDialects();

}  // namespace alint
