// Hostile file systems: FIFOs, devices and symbolic links built in a temp dir. Every command
// ends in bounded time with a finding or a one-line error naming the file, and discovery
// follows links exactly as Alembic's os.walk does.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "lint/core/file_source.h"
#include "tests/cli/cli_test_util.h"

namespace alint {
namespace {

namespace fs = std::filesystem;

// A fresh directory under /tmp, removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& tag) {
    path = fs::temp_directory_path() / ("alint_hostile_" + tag + "_" + std::to_string(getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& rel) const { return (path / rel).string(); }
};

void Write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string Migration(const std::string& rev, const std::string& down) {
  return "\"\"\"m " + rev + "\n\nRevision ID: " + rev + "\nRevises: " + down +
         "\nCreate Date: 2024-01-01 00:00:00\n\n\"\"\"\nrevision = \"" + rev +
         "\"\ndown_revision = " + (down.empty() ? "None" : "\"" + down + "\"") +
         "\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n\n\n"
         "def downgrade():\n    pass\n";
}

const std::string kGraphRules =
    "duplicate-revision,parse-error,multiple-heads,multiple-bases,dangling-down-revision";

// Every run is bounded: a hang is exit 124 from timeout(1), a runaway read hits the memory cap.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

testing::Run Bounded(const std::string& args) {
  testing::Run r;
  // An address-space limit bounds memory in the plain tree; ASan reserves terabytes of shadow
  // memory up front, so under it only the time limit applies.
  std::string limit = kAddressSanitizer ? "" : "ulimit -v 4000000; ";
  std::string cmd =
      limit + "exec timeout 60 " + std::string(ALINT_BINARY) + " " + args + " 2>&1 </dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

TEST_CASE("DiskFileSource reads only regular files: a FIFO or a device is an error, at once") {
  TempDir dir("read");
  std::string fifo = dir / "x.py";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Without the guard, open() blocks until a writer comes. The helper opens the write end
  // after a while and closes it, so an unguarded reader returns "" (and fails the check)
  // instead of hanging the suite.
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
  });
  DiskFileSource disk;
  auto start = std::chrono::steady_clock::now();
  Result<std::string> r = disk.Read(fifo);
  auto took = std::chrono::steady_clock::now() - start;
  writer.join();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == fifo + ": not read: a FIFO, not a regular file");
  CHECK(took < std::chrono::seconds(2));

  std::string zero = dir / "zero.py";
  fs::create_symlink("/dev/zero", zero);
  Result<std::string> z = disk.Read(zero);
  REQUIRE_FALSE(z.ok());
  CHECK(z.error().message == zero + ": not read: a character device, not a regular file");
}

TEST_CASE("a FIFO or a device named like a migration: every command ends with a finding") {
  TempDir dir("cmds");
  Write(dir / "versions/aaa_first.py", Migration("1a2b3c4d5e6f", ""));
  std::string fifo = dir / "versions/bbb_fifo.py";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  fs::create_symlink("/dev/zero", dir / "versions/ccc_zero.py");
  std::string versions = dir / "versions";

  auto check = Bounded("check --no-config --format concise " + versions);
  CHECK(check.status == 1);
  CHECK(check.out.find("bbb_fifo.py:1:1: error: " + fifo +
                       ": not read: a FIFO, not a regular file") != std::string::npos);
  CHECK(check.out.find("ccc_zero.py:1:1: error: " + versions +
                       "/ccc_zero.py: not read: a character device") != std::string::npos);

  // Alembic cannot import a FIFO (its read blocks for good): heads fails, naming the file.
  auto heads = Bounded("heads " + versions);
  CHECK(heads.status == 1);
  CHECK(heads.out.find(fifo + ": not read: a FIFO") != std::string::npos);

  auto locks = Bounded("locks " + versions);
  CHECK(locks.status != 124);
  CHECK(locks.out.find("bbb_fifo.py") != std::string::npos);
}

TEST_CASE("--config, alembic.ini and env.py that are FIFOs or devices: an error naming them") {
  TempDir dir("cfg");
  Write(dir / "versions/aaa_first.py", Migration("1a2b3c4d5e6f", ""));
  std::string cfg = dir / "cfg.toml";
  REQUIRE(::mkfifo(cfg.c_str(), 0600) == 0);
  auto r = Bounded("check --config " + cfg + " " + (dir / "versions"));
  CHECK(r.status == 2);
  CHECK(r.out.find(cfg + ": not read: a FIFO, not a regular file") != std::string::npos);
  auto dev = Bounded("check --config /dev/zero " + (dir / "versions"));
  CHECK(dev.status == 2);
  CHECK(dev.out.find("/dev/zero: not read: a character device") != std::string::npos);

  // A project whose alembic.ini is a FIFO.
  TempDir proj("ini");
  Write(proj / "mig/env.py", "");
  Write(proj / "mig/versions/aaa_first.py", Migration("1a2b3c4d5e6f", ""));
  std::string ini = proj / "alembic.ini";
  REQUIRE(::mkfifo(ini.c_str(), 0600) == 0);
  auto i = Bounded("check --no-config " + proj.path.string());
  CHECK(i.status != 124);
  CHECK(i.out.find("alembic.ini: not read: a FIFO") != std::string::npos);

  // env.py linked to /dev/zero is not read (its settings stay unknown); the migrations are
  // still linted.
  fs::remove(ini);
  Write(ini, "[alembic]\nscript_location = mig\n");
  fs::remove(proj / "mig/env.py");
  fs::create_symlink("/dev/zero", proj / "mig/env.py");
  auto e = Bounded("check --no-config --format concise --select " + kGraphRules + " " +
                   proj.path.string());
  CHECK(e.status == 0);
  CHECK(Bounded("heads " + proj.path.string()).out == "1a2b3c4d5e6f (head)\n");
}

// A script directory with recursive version locations, as the tests below vary it.
void RecursiveProject(const TempDir& d) {
  Write(d / "alembic.ini",
        "[alembic]\nscript_location = mig\nrecursive_version_locations = true\n");
  Write(d / "mig/env.py", "");
  Write(d / "mig/versions/aaa_first.py", Migration("1a2b3c4d5e6f", ""));
  Write(d / "mig/versions/sub/bbb_second.py", Migration("2b3c4d5e6f70", "1a2b3c4d5e6f"));
}

TEST_CASE("recursive version locations do not descend into links to directories (os.walk)") {
  TempDir d("loop");
  RecursiveProject(d);
  fs::create_directory_symlink(".", d / "mig/versions/loop");
  fs::create_directory_symlink("..", d / "mig/versions/sub/up");
  // A link to a directory outside holding a migration: os.walk lists it, never enters it.
  Write(d / "elsewhere/ccc_outside.py", Migration("3c4d5e6f7081", "2b3c4d5e6f70"));
  fs::create_directory_symlink(d / "elsewhere", d / "mig/versions/outside");
  fs::create_directory_symlink("/", d / "mig/versions/root");

  auto heads = Bounded("heads " + d.path.string());
  CHECK(heads.status == 0);
  CHECK(heads.out == "2b3c4d5e6f70 (head)\n");
  auto check =
      Bounded("check --no-config --format concise --select " + kGraphRules + " " + d.path.string());
  CHECK(check.status == 0);
  CHECK(check.out.find("duplicate-revision") == std::string::npos);
  CHECK(check.out.find("ccc_outside") == std::string::npos);
}

TEST_CASE("a version location that is itself a link is followed, as Alembic does") {
  TempDir d("toplink");
  Write(d / "alembic.ini", "[alembic]\nscript_location = mig\n");
  Write(d / "mig/env.py", "");
  Write(d / "real_versions/aaa_first.py", Migration("1a2b3c4d5e6f", ""));
  fs::create_directory_symlink(d / "real_versions", d / "mig/versions");
  auto heads = Bounded("heads " + d.path.string());
  CHECK(heads.status == 0);
  CHECK(heads.out == "1a2b3c4d5e6f (head)\n");
}

TEST_CASE("two names for one file (a file link) load it once, as Alembic's realpath check") {
  TempDir d("filelink");
  Write(d / "alembic.ini", "[alembic]\nscript_location = mig\n");
  Write(d / "mig/env.py", "");
  Write(d / "mig/versions/aaa_first.py", Migration("1a2b3c4d5e6f", ""));
  fs::create_symlink("aaa_first.py", d / "mig/versions/zzz_alias.py");
  auto check =
      Bounded("check --no-config --format concise --select " + kGraphRules + " " + d.path.string());
  CHECK(check.status == 0);
  CHECK(check.out.find("duplicate-revision") == std::string::npos);
  CHECK(check.out.find("zzz_alias.py: the same file as") != std::string::npos);
  // stdout is `alembic heads`'s; the note about the link goes to stderr (merged here).
  const std::string heads = Bounded("heads " + d.path.string()).out;
  CHECK(heads.find("1a2b3c4d5e6f (head)\n") != std::string::npos);
  CHECK(heads.find("alembic-lint: warning: ") != std::string::npos);
  CHECK(heads.find("zzz_alias.py: the same file as") != std::string::npos);
}

TEST_CASE("the monorepo walk for alembic.ini files does not follow directory links") {
  TempDir d("mono");
  Write(d / "svc/alembic.ini", "[alembic]\nscript_location = mig\n");
  Write(d / "svc/mig/env.py", "");
  Write(d / "svc/mig/versions/aaa_first.py", Migration("1a2b3c4d5e6f", ""));
  fs::create_directory_symlink("..", d / "svc/up");
  fs::create_directory_symlink(d / "svc", d / "svc_again");
  fs::create_directory_symlink("/", d / "root");
  auto heads = Bounded("heads " + d.path.string());
  CHECK(heads.status == 0);
  CHECK(heads.out == "1a2b3c4d5e6f (head)\n");
}

TEST_CASE("heads with one id in many files prints what `alembic heads` prints, and warns once") {
  TempDir d("dupheads");
  Write(d / "alembic.ini", "[alembic]\nscript_location = mig\n");
  Write(d / "mig/env.py", "");
  Write(d / "mig/versions/base.py", Migration("1a2b3c4d5e6f", ""));
  for (int i = 0; i < 30; ++i)
    Write(d / ("mig/versions/copy" + std::to_string(10 + i) + ".py"),
          Migration("2b3c4d5e6f70", "1a2b3c4d5e6f"));
  // Alembic 1.8.1 (Debian): one UserWarning "Revision 2b3c4d5e6f70 is present more than
  // once", then the head once per file that declares it (its heads list keeps them all).
  testing::Run out = testing::RunBinary("heads " + d.path.string());
  std::string want;
  for (int i = 0; i < 30; ++i) want += "2b3c4d5e6f70 (head)\n";
  CHECK(out.out == want);
  testing::Run both = Bounded("heads " + d.path.string());
  size_t warnings = 0;
  for (size_t p = 0; (p = both.out.find("alembic-lint: warning:", p)) != std::string::npos; ++p)
    ++warnings;
  CHECK(warnings == 1);
  CHECK(both.out.find("revision 2b3c4d5e6f70 is declared by ") != std::string::npos);
  // kMaxRelatedLocations (5) files by name, the rest counted.
  CHECK(both.out.find("copy14.py and 25 more; Alembic keeps") != std::string::npos);
  CHECK(both.out.find("copy15.py") == std::string::npos);
}

}  // namespace
}  // namespace alint
