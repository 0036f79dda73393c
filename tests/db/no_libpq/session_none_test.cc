// A build without libpq (ALINT_WITH_LIBPQ=OFF, or AUTO on a machine without it): the
// session is lint/db/pg_session_none.cc. This binary links that file instead of the libpq
// session, so the fallback is compiled and checked in every build.
#include <doctest/doctest.h>

#include "lint/db/pg_client.h"

namespace alint::db {

TEST_CASE("without libpq, connecting says how to get a build that can") {
  auto session = Session::Connect("postgresql://u:secret@localhost/db", 5);
  REQUIRE_FALSE(session.ok());
  const std::string& msg = session.error().message;
  CHECK(msg.find("built without libpq") != std::string::npos);
  CHECK(msg.find("apt-get install libpq-dev") != std::string::npos);
  CHECK(msg.find("brew install libpq") != std::string::npos);
  CHECK(msg.find("secret") == std::string::npos);
}

TEST_CASE("without libpq, URLs are still read and redacted") {
  auto uri = LibpqUri("postgresql+psycopg2://u:pw@h:5432/db");
  REQUIRE(uri.ok());
  CHECK(*uri == "postgresql://u:pw@h:5432/db");
  CHECK(RedactUrl("postgresql://u:pw@h/db") == "postgresql://u:***@h/db");
}

}  // namespace alint::db
