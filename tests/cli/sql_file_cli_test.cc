// The binary on a .sql file: DDL rules report inside it with SQL line and column.
#include <doctest/doctest.h>

#include "tests/cli/cli_test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace alint {
namespace {

namespace fs = std::filesystem;

using testing::RunBinary;

fs::path TempDir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("alint_cli_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST_CASE("check on a .sql file: findings at SQL positions, JSON output") {
  fs::path dir = TempDir("sql");
  fs::path sql = dir / "deploy.sql";
  std::ofstream(sql) << "-- a hand-written deploy script\n"
                        "ALTER TABLE users\n"
                        "  ADD COLUMN email text;\n"
                        "CREATE INDEX ix_users_email ON users (email);\n"
                        "SELEC 1;\n";
  testing::Run r = RunBinary(
      "check --no-config --format json " + sql.string() +
      " --select missing-lock-timeout,exclusive-lock-held,sql-parse-error,missing-revision");
  CHECK(r.status == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].is_array());
  // The parse error hides every statement of the text (libpg_query parses it as one unit).
  REQUIRE(j["findings"].size() == 1);
  const auto& f = j["findings"][0];
  CHECK(f["rule"] == "sql-parse-error");
  CHECK(f["location"]["line"] == 5);
  CHECK(f["location"]["column"] == 1);
  CHECK(f["location"]["path"].get<std::string>().find("deploy.sql") != std::string::npos);

  std::ofstream(sql, std::ios::trunc) << "-- a hand-written deploy script\n"
                                         "ALTER TABLE users\n"
                                         "  ADD COLUMN email text;\n"
                                         "CREATE INDEX ix_users_email ON users (email);\n";
  r = RunBinary(
      "check --no-config --format json " + sql.string() +
      " --select missing-lock-timeout,exclusive-lock-held,sql-parse-error,missing-revision");
  CHECK(r.status == 1);
  j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 2);
  CHECK(j["findings"][0]["rule"] == "missing-lock-timeout");
  CHECK(j["findings"][0]["location"]["line"] == 3);  // the ADD COLUMN subcommand
  CHECK(j["findings"][0]["help"].get<std::string>().find("SET lock_timeout = '5s';") !=
        std::string::npos);
  // The CREATE INDEX runs on a table its transaction already holds ACCESS EXCLUSIVE on: it
  // cannot wait, so it is no second place without a timeout (exclusive-lock-held says why it
  // matters).
  CHECK(j["findings"][0]["related"].empty());
  CHECK(j["findings"][1]["rule"] == "exclusive-lock-held");
  CHECK(j["findings"][1]["location"]["line"] == 4);

  std::ofstream(sql, std::ios::trunc) << "SET lock_timeout = '5s';\n"
                                         "ALTER TABLE users ADD COLUMN email text;\n";
  r = RunBinary("check --no-config --format json " + sql.string() +
                " --select missing-lock-timeout,sql-parse-error");
  CHECK(r.status == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["findings"].empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace alint
