// SQL text the driver cannot send as written (a NUL byte, invalid UTF-8): an error finding, and
// the statements around the bad bytes still analysed. Before, a NUL truncated the text handed
// to libpg_query (`DROP TABLE` after it vanished) and invalid UTF-8 made its JSON tree
// unreadable (every statement vanished), both without a word.
#include <doctest/doctest.h>

#include <string>

#include "lint/sql/sql_facts.h"
#include "tests/rules/ddl_test_util.h"

namespace alint {
namespace {

bool HasKind(const SqlAnalysis& a, std::string_view kind) {
  for (const StatementFacts& f : a.facts) {
    if (f.KindName() == kind) return true;
  }
  return false;
}

constexpr std::string_view kPrelude =
    "from alembic import op\nrevision = 'a1'\ndown_revision = None\n\ndef upgrade():\n";

}  // namespace

TEST_CASE("a NUL byte in SQL is a driver error and the text after it is still analysed") {
  const std::string sql("SELECT 1;\0DROP TABLE users", 26);
  SqlAnalysis a = AnalyzeSql(sql);
  CHECK_FALSE(a.error);
  REQUIRE(a.driver_errors.size() == 1);
  CHECK(a.driver_errors[0].offset == 9);
  CHECK(a.driver_errors[0].message.find("NUL byte") != std::string::npos);
  CHECK(HasKind(a, "drop_table"));
  CHECK(FactsToJson(a).find("driver_errors") != std::string::npos);
}

TEST_CASE("invalid UTF-8 in SQL (a lone surrogate) is a driver error, statements kept") {
  // U+DCFF as a Python str carries it: the three bytes of a surrogate, not UTF-8.
  const std::string sql = "SELECT '\xED\xB3\xBF';\nDROP TABLE users;\nSELECT '\xFF' AS x";
  SqlAnalysis a = AnalyzeSql(sql);
  CHECK_FALSE(a.error);
  REQUIRE(a.driver_errors.size() == 1);
  CHECK(a.driver_errors[0].offset == 8);
  CHECK(a.driver_errors[0].message.find("not valid UTF-8 (byte 0xED") != std::string::npos);
  CHECK(a.facts.size() == 3);
  CHECK(HasKind(a, "drop_table"));
  // The JSON form stays printable (a strict dump throws on invalid UTF-8).
  CHECK_NOTHROW(FactsToJson(a));
  // A parse error past a bad byte still points at the right byte.
  SqlAnalysis bad = AnalyzeSql("SELECT '\xE9t\xE9';\nSELEC 1");
  REQUIRE(bad.error);
  CHECK(bad.error->offset == 14);
}

TEST_CASE("migrations: op.execute with \\x00 or \\udcff reports sql-parse-error and the DROP") {
  // The NUL between two statements; the surrogate in a literal (PostgreSQL's lexer would glue
  // it to a neighbouring word, as it does any byte >= 0x80).
  for (std::string_view sql :
       {"SELECT 1;\\x00DROP TABLE users", "SELECT '\\udcff'; DROP TABLE users"}) {
    CAPTURE(sql);
    std::string text(kPrelude);
    text.append("    op.execute(\"").append(sql).append("\")\n");
    testing::DdlCase c(text);
    REQUIRE(c.analysis.sql_errors.size() == 1);
    CHECK(c.analysis.sql_errors[0].driver);
    CHECK(c.LineOf("op.execute") == c.Line(c.analysis.sql_errors[0].at));
    std::vector<Finding> parse = c.Run("sql-parse-error");
    REQUIRE(parse.size() == 1);
    CHECK(parse[0].severity == Severity::kError);
    CHECK(parse[0].message.find("cannot be sent as written") != std::string::npos);
    CHECK(c.Run("drop-table").size() == 1);
  }
}

}  // namespace alint
