#pragma once
/// The only code that talks to a database: a thin, read-only libpq session for `status`.
/// Every statement runs in a read-only transaction (default_transaction_read_only), with a
/// statement and lock timeout, under application_name "alembic-lint"; nothing is ever written.
/// Errors never echo a password.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/result.h"

namespace alint::db {

/// A SQLAlchemy URL (`postgresql+psycopg2://user:pw@host:5432/db?sslmode=require`) as a
/// libpq connection URI (`postgresql://user:pw@host:5432/db?sslmode=require`): the driver
/// part is dropped. An error for another database, a URL that is not one, or SQLAlchemy's
/// placeholder (`driver://user:pass@localhost/dbname`).
Result<std::string> LibpqUri(std::string_view sqlalchemy_url);

/// `url` with its password replaced by `***` (for every message and report).
std::string RedactUrl(std::string_view url);

/// One result set: text values, nullopt for NULL.
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

class Session {
 public:
  /// Connects (libpq URI), failing after `timeout_seconds` (also each statement's limit).
  static Result<Session> Connect(const std::string& uri, int timeout_seconds);
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  /// Runs one SELECT with text parameters ($1, $2, ...). The error is PostgreSQL's message
  /// (its first line) and SQLSTATE, e.g. "permission denied for table x [42501]".
  Result<Rows> Query(const std::string& sql, const std::vector<std::string>& params = {});

  /// The server's version as a number (150004 for 15.4).
  int ServerVersion() const;

 private:
  struct Impl;
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace alint::db
