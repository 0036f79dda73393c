#include <utility>

#include "lint/db/pg_client.h"

// The session of a build without libpq (ALINT_WITH_LIBPQ=OFF, or AUTO where libpq was not
// found): every command but `status` works; `status` stops with this message.
namespace alint::db {

struct Session::Impl {};

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Result<Session> Session::Connect(const std::string&, int) {
  return Error{
      "this alembic-lint was built without libpq (PostgreSQL's client library), so `status` "
      "cannot connect; install libpq's development files (Debian/Ubuntu: apt-get install "
      "libpq-dev; Fedora: dnf install libpq-devel; Alpine: apk add libpq-dev; Homebrew: brew "
      "install libpq) and reinstall alembic-lint"};
}

Result<Rows> Session::Query(const std::string&, const std::vector<std::string>&) {
  return Error{"no database session"};
}

int Session::ServerVersion() const { return 0; }

}  // namespace alint::db
