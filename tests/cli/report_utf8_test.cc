// Reports are always written: a file name with a byte that is not UTF-8 and a revision string
// holding a lone surrogate (`"\udc80"`) reach every JSON report, which turns them into U+FFFD;
// SARIF URIs keep the raw bytes percent-encoded.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli/cli_test_util.h"

namespace alint {
namespace {

namespace fs = std::filesystem;
using testing::RunBinary;

std::string Migration(const std::string& rev, const std::string& down, const std::string& body) {
  return "from alembic import op\n\nrevision = \"" + rev + "\"\ndown_revision = " + down +
         "\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    " + body +
         "\n\n\ndef downgrade():\n    pass\n";
}

TEST_CASE("invalid UTF-8 in file names and revision strings: every JSON report is written") {
  fs::path dir = fs::temp_directory_path() / ("alint_utf8_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "versions");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / "versions" / name, std::ios::binary) << text;
  };
  write("1a2b3c4d5e6f_bad\xff.py", Migration("1a2b3c4d5e6f", "None", "pass"));
  write("2b3c_x.py", Migration("2b3c\\udc80", "\"1a2b3c4d5e6f\"", "pass"));
  write("3c4d5e6f7081_y.py",
        Migration("3c4d5e6f7081", "\"2b3c\\udc80\"", "op.drop_column(\"t\", \"c\")"));
  std::string versions = (dir / "versions").string();
  const std::string kReplacement = "\xef\xbf\xbd";  // U+FFFD

  auto json = RunBinary("check --no-config --format json " + versions, true);
  CHECK(json.status == 1);
  REQUIRE(nlohmann::json::accept(json.out));
  CHECK(json.out.find("1a2b3c4d5e6f_bad" + kReplacement + ".py") != std::string::npos);
  CHECK(json.out.find("internal error") == std::string::npos);

  auto sarif = RunBinary("check --no-config --format sarif " + versions, true);
  CHECK(sarif.status == 1);
  REQUIRE(nlohmann::json::accept(sarif.out));
  // The URI names the exact file: the raw byte is percent-encoded, not replaced.
  CHECK(sarif.out.find("/versions/1a2b3c4d5e6f_bad%FF.py\"") != std::string::npos);

  auto locks = RunBinary("locks --format json " + versions, true);
  CHECK(locks.status == 0);
  REQUIRE(nlohmann::json::accept(locks.out));
  CHECK(locks.out.find("1a2b3c4d5e6f_bad" + kReplacement + ".py") != std::string::npos);

  auto heads = RunBinary("heads --format json " + versions, true);
  REQUIRE(nlohmann::json::accept(heads.out));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace alint
