#include "lint/core/dialect.h"

#include <array>

namespace alint {
namespace {

constexpr std::array<std::string_view, 8> kDialects = {
    "postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle", "cockroachdb", "snowflake"};

}  // namespace

std::string DialectOfUrl(std::string_view url) {
  while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) url.remove_prefix(1);
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return "";
  std::string_view scheme = url.substr(0, sep);
  scheme = scheme.substr(0, scheme.find('+'));
  std::string out;
  for (char c : scheme) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return "";
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (out.empty() || out == "driver") return "";
  if (out == "postgres" || out == "pgsql" || out == "psql") return "postgresql";
  return out;
}

bool IsKnownDialect(std::string_view name) {
  for (std::string_view d : kDialects) {
    if (d == name) return true;
  }
  return false;
}

std::string_view KnownDialects() {
  return "postgresql, mysql, mariadb, sqlite, mssql, oracle, cockroachdb, snowflake";
}

}  // namespace alint
