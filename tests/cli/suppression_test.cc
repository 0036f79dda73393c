// Suppressions end to end: a trailing comment, a comment alone on the line above, a file-level
// `ignore-file[...]`, and per-file-ignores from the config. Each case first shows the finding
// it hides, so a suppression that stops working fails here.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli/cli_test_util.h"

namespace alint {
namespace {

namespace fs = std::filesystem;
using testing::RunBinary;

struct Project {
  fs::path dir;
  explicit Project(const std::string& tag) {
    dir = fs::temp_directory_path() / ("alint_supp_" + tag + "_" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "versions");
  }
  ~Project() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void Write(const std::string& rel, const std::string& text) const {
    std::ofstream(dir / rel, std::ios::binary) << text;
  }
  // Findings of the empty-down-revision rule (and unused suppressions), concise.
  std::string Check(bool with_config = false) const {
    return RunBinary(std::string("check --format concise ") + (with_config ? "" : "--no-config ") +
                     "--select empty-down-revision,unused-suppression " +
                     (dir / "versions").string())
        .out;
  }
};

// `down_revision = ""`: empty-down-revision flags that line, the first after `above`.
std::string Migration(const std::string& above, const std::string& trailing = "") {
  return above + "down_revision = \"\"" + trailing +
         "\nrevision = \"3f2a9c1d7b4e\"\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    "
         "pass\n";
}

TEST_CASE("a suppression alone on the line above hides the finding on the next line only") {
  Project p("own");
  p.Write("versions/0001_first.py", Migration(""));
  CHECK(p.Check().find("[empty-down-revision]") != std::string::npos);
  p.Write("versions/0001_first.py",
          Migration("# alembic-lint: ignore[empty-down-revision] kept as shipped\n"));
  CHECK(p.Check() == "");
  // Two lines above is not "the line above": the finding stays, the comment is unused.
  p.Write("versions/0001_first.py",
          Migration("# alembic-lint: ignore[empty-down-revision] kept as shipped\n\n"));
  std::string out = p.Check();
  CHECK(out.find("[empty-down-revision]") != std::string::npos);
  CHECK(out.find("unused suppression") != std::string::npos);
  // A trailing comment on the line itself.
  p.Write("versions/0001_first.py",
          Migration("", "  # alembic-lint: ignore[empty-down-revision] old"));
  CHECK(p.Check() == "");
}

TEST_CASE("ignore-file[...] hides the rule anywhere in the file") {
  Project p("file");
  p.Write("versions/0001_first.py",
          Migration("\"\"\"doc\"\"\"\n# alembic-lint: ignore-file[empty-down-revision] "
                    "legacy\n\n\n"));
  CHECK(p.Check() == "");
  // The same comment as a line suppression does not reach that far.
  p.Write("versions/0001_first.py",
          Migration("\"\"\"doc\"\"\"\n# alembic-lint: ignore[empty-down-revision] legacy\n\n\n"));
  CHECK(p.Check().find("[empty-down-revision]") != std::string::npos);
}

TEST_CASE("per-file-ignores from the config hide the rule in matching files only") {
  Project p("perfile");
  p.Write("versions/0001_legacy.py", Migration(""));
  p.Write("versions/0002_new.py", "revision = \"8e1b5d0c2a97\"\ndown_revision = \"\"\n");
  std::string before = p.Check(true);
  CHECK(before.find("0001_legacy.py") != std::string::npos);
  p.Write(".alembic-lint.toml",
          "[per-file-ignores]\n\"versions/*_legacy.py\" = [\"empty-down-revision\"]\n");
  std::string after = p.Check(true);
  CHECK(after.find("0001_legacy.py") == std::string::npos);
  CHECK(after.find("0002_new.py:2:17: ") != std::string::npos);
  CHECK(after.find("[empty-down-revision]") != std::string::npos);
}

}  // namespace
}  // namespace alint
