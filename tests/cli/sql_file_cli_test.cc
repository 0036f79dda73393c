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
  // As psql runs it, each statement commits on its own: both wait for their lock with no
  // timeout, and no lock is held from one to the next.
  REQUIRE(j["findings"].size() == 2);
  CHECK(j["findings"][0]["rule"] == "missing-lock-timeout");
  CHECK(j["findings"][0]["location"]["line"] == 3);  // the ADD COLUMN subcommand
  CHECK(j["findings"][0]["help"].get<std::string>().find("SET lock_timeout = '5s';") !=
        std::string::npos);
  CHECK(j["findings"][1]["rule"] == "missing-lock-timeout");
  CHECK(j["findings"][1]["location"]["line"] == 4);

  // Run by a tool that wraps the file in one transaction: the CREATE INDEX runs on a table
  // its transaction already holds ACCESS EXCLUSIVE on, so it cannot wait (no second place
  // without a timeout) and exclusive-lock-held says why it matters.
  r = RunBinary(
      "check --no-config --format json --assume-in-transaction " + sql.string() +
      " --select missing-lock-timeout,exclusive-lock-held,sql-parse-error,missing-revision");
  CHECK(r.status == 1);
  j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 2);
  CHECK(j["findings"][0]["rule"] == "missing-lock-timeout");
  CHECK(j["findings"][0]["location"]["line"] == 3);
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

TEST_CASE("a .sql file runs as psql runs it: autocommit unless BEGIN ... COMMIT") {
  fs::path dir = TempDir("psql");
  fs::path sql = dir / "deploy.sql";
  auto findings = [&](const std::string& text, const std::string& flags) {
    std::ofstream(sql, std::ios::trunc) << text;
    testing::Run r = RunBinary("check --no-config --format json " + flags + " " + sql.string() +
                               " --ignore missing-statement-timeout");
    REQUIRE((r.status == 0 || r.status == 1));
    std::vector<std::string> out;
    const nlohmann::json report = nlohmann::json::parse(r.out);
    for (const auto& f : report["findings"]) {
      out.push_back(f["rule"].get<std::string>() + ":" +
                    std::to_string(f["location"]["line"].get<int>()));
    }
    return out;
  };
  using V = std::vector<std::string>;
  const std::string concurrently =
      "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY ix_a ON users (a);\n";
  // Alone, CONCURRENTLY runs outside any transaction block; no downgrade() to ask for.
  CHECK(findings(concurrently, "") == V{});
  // A tool that wraps the file in a transaction makes it fail.
  CHECK(findings(concurrently, "--assume-in-transaction") == V{"concurrent-in-transaction:2"});
  // So does an explicit transaction; after its COMMIT, the statements commit on their own.
  CHECK(findings("SET lock_timeout = '5s';\nBEGIN;\nCREATE INDEX CONCURRENTLY ix_a ON users "
                 "(a);\nCOMMIT;\nCREATE INDEX CONCURRENTLY ix_b ON users (b);\n",
                 "") == V{"concurrent-in-transaction:3"});
  // START TRANSACTION opens one as BEGIN does; ROLLBACK TO a savepoint does not end it.
  CHECK(findings("START TRANSACTION;\nSAVEPOINT s;\nROLLBACK TO SAVEPOINT s;\nCREATE INDEX "
                 "CONCURRENTLY ix_a ON users (a);\nROLLBACK;\nCREATE INDEX CONCURRENTLY ix_b ON "
                 "users (b);\n",
                 "--ignore missing-lock-timeout") == V{"concurrent-in-transaction:4"});
  // NOT VALID, then VALIDATE in its own transaction: the safe pattern, nothing to say.
  const std::string fk =
      "SET lock_timeout = '5s';\nALTER TABLE orders ADD CONSTRAINT fk_u FOREIGN KEY (user_id) "
      "REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk_u;\n";
  std::vector<std::string> autocommitted = findings(fk, "");
  CHECK(autocommitted.empty());
  // In one transaction the ADD's lock is still held while VALIDATE scans.
  CHECK_FALSE(findings(fk, "--assume-in-transaction").empty());
  // The config key says the same as the flag.
  std::ofstream(dir / ".alembic-lint.toml") << "sql-files-in-transaction = true\n";
  std::ofstream(sql, std::ios::trunc) << concurrently;
  testing::Run r =
      RunBinary("check --format json --config " + (dir / ".alembic-lint.toml").string() + " " +
                sql.string() + " --ignore missing-statement-timeout");
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["rule"] == "concurrent-in-transaction");
  CHECK(j["findings"][0]["message"].get<std::string>().find("--assume-in-transaction") !=
        std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace alint
