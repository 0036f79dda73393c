#include "lint/core/source.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "lint/core/file_source.h"

namespace alint {

TEST_CASE("LineIndex locates lines and columns, counting code points and UTF-16 units") {
  SourceFile f(0, "a.py", "ab\n\xc3\xa9x\n\xf0\x9f\x98\x80y");
  CHECK(f.Locate(0).line == 1);
  CHECK(f.Locate(1).column == 2);
  LineCol x = f.Locate(5);  // 'x' after a 2-byte 'é'
  CHECK(x.line == 2);
  CHECK(x.column == 2);
  CHECK(x.utf16_column == 1);
  LineCol y = f.Locate(11);  // 'y' after a 4-byte emoji (2 UTF-16 units)
  CHECK(y.line == 3);
  CHECK(y.column == 2);
  CHECK(y.utf16_column == 2);
  CHECK(f.lines.OffsetOfUtf16(f.text, 2, 2) == 11);
  CHECK(f.LineText(2) == "\xc3\xa9x");
}

TEST_CASE("LineIndex: line starts with CRLF, empty lines, no final newline, empty text") {
  SourceFile f(0, "a.py", "a\r\n\n\nbc");
  CHECK(f.lines.line_count() == 4);
  CHECK(f.lines.LineStart(2) == 3);
  CHECK(f.lines.LineStart(3) == 4);
  CHECK(f.lines.LineStart(4) == 5);
  CHECK(f.Locate(6).line == 4);
  CHECK(f.Locate(6).column == 2);
  SourceFile nl(0, "b.py", "x\n");
  CHECK(nl.lines.line_count() == 2);
  CHECK(nl.lines.LineStart(2) == 2);
  SourceFile empty(0, "c.py", "");
  CHECK(empty.lines.line_count() == 1);
  CHECK(empty.Locate(0).line == 1);
}

TEST_CASE("DiskFileSource::Read returns the exact bytes, or an error naming the path") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("alint_read_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string big(200000, 'x');
  big[0] = '\0';  // binary content survives
  big[123456] = '\n';
  auto write = [&](const std::string& name, const std::string& data) {
    std::ofstream(dir / name, std::ios::binary) << data;
    return (dir / name).string();
  };
  DiskFileSource disk;
  Result<std::string> r = disk.Read(write("big.py", big));
  REQUIRE(r.ok());
  CHECK(*r == big);
  Result<std::string> e = disk.Read(write("empty.py", ""));
  REQUIRE(e.ok());
  CHECK(e->empty());
  Result<std::string> missing = disk.Read((dir / "missing.py").string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("missing.py: cannot read file") != std::string::npos);
  Result<std::string> d = disk.Read(dir.string());
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().message.find("cannot read file") != std::string::npos);
  fs::remove_all(dir);
  // Files whose stat size is 0 but that have content are read to EOF.
  Result<std::string> proc = disk.Read("/proc/self/status");
  REQUIRE(proc.ok());
  CHECK(proc->find("Name:") != std::string::npos);
}

TEST_CASE("Path helpers") {
  CHECK(NormalizePath("a/./b/../c") == "a/c");
  CHECK(NormalizePath("/x/../../y") == "/y");
  CHECK(NormalizePath("../a") == "../a");
  CHECK(DirName("a/b/c.py") == "a/b");
  CHECK(DirName("c.py") == ".");
  CHECK(BaseName("a/b/c.py") == "c.py");
  CHECK(JoinPath("a", "b") == "a/b");
  CHECK(JoinPath("a", "/b") == "/b");
}

TEST_CASE("MemoryFileSource lists files and implied directories") {
  MemoryFileSource fs;
  fs.Add("proj/versions/b.py", "x");
  fs.Add("proj/versions/a.py", "y");
  fs.Add("proj/alembic.ini", "");
  auto l = fs.List("proj");
  REQUIRE(l.ok());
  REQUIRE(l->size() == 2);
  CHECK((*l)[0].name == "alembic.ini");
  CHECK((*l)[1].name == "versions");
  CHECK((*l)[1].is_dir);
  CHECK(fs.IsDir("proj/versions"));
  CHECK(fs.Read("proj/versions/a.py").value() == "y");
  CHECK_FALSE(fs.Read("nope").ok());
}

}  // namespace alint
