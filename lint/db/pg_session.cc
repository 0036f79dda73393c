#include "lint/db/pg_client.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <utility>

namespace alint::db {
namespace {

// libpq's messages end with a newline and sometimes carry a second line (DETAIL, HINT):
// one line for ours.
std::string FirstLine(const char* msg) {
  std::string s = msg != nullptr ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  size_t nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  // "connection to server at ... failed: FATAL:  password authentication failed ..."
  size_t fatal = s.find("FATAL:  ");
  if (fatal != std::string::npos) s.erase(fatal + 6, 2);
  return s;
}

}  // namespace

struct Session::Impl {
  PGconn* conn = nullptr;
  ~Impl() {
    if (conn != nullptr) PQfinish(conn);
  }
};

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Result<Session> Session::Connect(const std::string& uri, int timeout_seconds) {
  if (timeout_seconds < 1) timeout_seconds = 1;
  const std::string timeout = std::to_string(timeout_seconds);
  // Read-only for every statement; a statement (or a lock wait: a migration holding the
  // version table) never outlives the timeout.
  const std::string options = fmt::format(
      "-c default_transaction_read_only=on -c statement_timeout={1}s -c lock_timeout={0}s "
      "-c idle_in_transaction_session_timeout={0}s",
      timeout_seconds, 2 * timeout_seconds);
  // Later keywords override what the URI says, except for the URI itself (expand_dbname).
  const char* keys[] = {"dbname", "connect_timeout", "application_name", "options", nullptr};
  const char* values[] = {uri.c_str(), timeout.c_str(), "alembic-lint", options.c_str(), nullptr};
  auto impl = std::make_unique<Impl>();
  impl->conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (impl->conn == nullptr) return Error{"cannot connect: out of memory"};
  if (PQstatus(impl->conn) != CONNECTION_OK) {
    return Error{fmt::format("cannot connect: {}", FirstLine(PQerrorMessage(impl->conn)))};
  }
  return Session(std::move(impl));
}

Result<Rows> Session::Query(const std::string& sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params) values.push_back(p.c_str());
  PGresult* res = PQexecParams(impl_->conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
  std::unique_ptr<PGresult, decltype(&PQclear)> guard(res, &PQclear);
  if (res == nullptr) return Error{FirstLine(PQerrorMessage(impl_->conn))};
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    std::string msg = FirstLine(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
    if (msg.empty()) msg = FirstLine(PQerrorMessage(impl_->conn));
    if (state != nullptr) msg += fmt::format(" [{}]", state);
    return Error{msg};
  }
  Rows out;
  const int ncols = PQnfields(res), nrows = PQntuples(res);
  for (int c = 0; c < ncols; ++c) out.columns.emplace_back(PQfname(res, c));
  out.rows.reserve(static_cast<size_t>(nrows));
  for (int r = 0; r < nrows; ++r) {
    std::vector<std::optional<std::string>> row;
    row.reserve(static_cast<size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(res, r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(
            std::string(PQgetvalue(res, r, c), static_cast<size_t>(PQgetlength(res, r, c))));
      }
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

int Session::ServerVersion() const { return PQserverVersion(impl_->conn); }

}  // namespace alint::db
