#include <fmt/format.h>

#include "lint/core/dialect.h"
#include "lint/db/pg_client.h"

// The URL half of the client: no libpq here, so it builds (and is tested) in every build.
namespace alint::db {

Result<std::string> LibpqUri(std::string_view url) {
  while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) url.remove_prefix(1);
  while (!url.empty() &&
         (url.back() == ' ' || url.back() == '\t' || url.back() == '\n' || url.back() == '\r'))
    url.remove_suffix(1);
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) {
    return Error{
        fmt::format("'{}' is not a database URL (expected postgresql://...)", RedactUrl(url))};
  }
  const std::string dialect = DialectOfUrl(url);
  if (dialect.empty()) {
    return Error{fmt::format(
        "'{}' is SQLAlchemy's placeholder, not a database URL; pass --database-url or set "
        "DATABASE_URL",
        RedactUrl(url))};
  }
  if (dialect != "postgresql") {
    return Error{fmt::format("'{}' is a {} database; `status` reads PostgreSQL only",
                             RedactUrl(url), dialect)};
  }
  return "postgresql" + std::string(url.substr(sep));
}

std::string RedactUrl(std::string_view url) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::string(url);
  const size_t auth_begin = sep + 3;
  size_t auth_end = url.find_first_of("/?#", auth_begin);
  if (auth_end == std::string_view::npos) auth_end = url.size();
  const size_t at = url.rfind('@', auth_end == 0 ? 0 : auth_end - 1);
  if (at == std::string_view::npos || at < auth_begin) return std::string(url);
  const size_t colon = url.find(':', auth_begin);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

}  // namespace alint::db
