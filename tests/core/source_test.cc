#include "lint/core/source.h"

#include <doctest/doctest.h>

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
