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
  // Findings of the handmade-revision-id rule (and unused suppressions), concise.
  std::string Check(bool with_config = false) const {
    return RunBinary(std::string("check --format concise ") + (with_config ? "" : "--no-config ") +
                     "--select handmade-revision-id,unused-suppression " +
                     (dir / "versions").string())
        .out;
  }
};

// `0001` is a hand-typed id: handmade-revision-id flags the `revision` line, the first after
// `above`.
std::string Migration(const std::string& above, const std::string& trailing = "") {
  return above + "revision = \"0001\"" + trailing +
         "\ndown_revision = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n";
}

TEST_CASE("a suppression alone on the line above hides the finding on the next line only") {
  Project p("own");
  p.Write("versions/0001_first.py", Migration(""));
  CHECK(p.Check().find("[handmade-revision-id]") != std::string::npos);
  p.Write("versions/0001_first.py",
          Migration("# alembic-lint: ignore[handmade-revision-id] predates ids\n"));
  CHECK(p.Check() == "");
  // Two lines above is not "the line above": the finding stays, the comment is unused.
  p.Write("versions/0001_first.py",
          Migration("# alembic-lint: ignore[handmade-revision-id] predates ids\n\n"));
  std::string out = p.Check();
  CHECK(out.find("[handmade-revision-id]") != std::string::npos);
  CHECK(out.find("unused suppression") != std::string::npos);
  // A trailing comment on the line itself.
  p.Write("versions/0001_first.py",
          Migration("", "  # alembic-lint: ignore[handmade-revision-id] old"));
  CHECK(p.Check() == "");
}

TEST_CASE("ignore-file[...] hides the rule anywhere in the file") {
  Project p("file");
  p.Write("versions/0001_first.py",
          Migration("\"\"\"doc\"\"\"\n# alembic-lint: ignore-file[handmade-revision-id] "
                    "legacy\n\n\n"));
  CHECK(p.Check() == "");
  // The same comment as a line suppression does not reach that far.
  p.Write("versions/0001_first.py",
          Migration("\"\"\"doc\"\"\"\n# alembic-lint: ignore[handmade-revision-id] legacy\n\n\n"));
  CHECK(p.Check().find("[handmade-revision-id]") != std::string::npos);
}

TEST_CASE("per-file-ignores from the config hide the rule in matching files only") {
  Project p("perfile");
  p.Write("versions/0001_legacy.py", Migration(""));
  p.Write("versions/0002_new.py", "down_revision = \"0001\"\nrevision = \"0002\"\n");
  std::string before = p.Check(true);
  CHECK(before.find("0001_legacy.py") != std::string::npos);
  p.Write(".alembic-lint.toml",
          "[per-file-ignores]\n\"versions/*_legacy.py\" = [\"handmade-revision-id\"]\n");
  std::string after = p.Check(true);
  CHECK(after.find("0001_legacy.py") == std::string::npos);
  CHECK(after.find("0002_new.py:2:12: warning: revision id `0002` looks hand-typed") !=
        std::string::npos);
}

}  // namespace
}  // namespace alint
