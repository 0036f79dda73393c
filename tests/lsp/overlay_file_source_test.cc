#include "lint/lsp/overlay_file_source.h"

#include <doctest/doctest.h>

namespace alint::lsp {

TEST_CASE("open buffers shadow the disk and new buffers are listed") {
  MemoryFileSource disk;
  disk.Add("/r/v/a.py", "disk a");
  disk.Add("/r/v/c.py", "disk c");
  OverlayFileSource fs(disk);
  fs.Set("/r/v/a.py", "buffer a");
  fs.Set("/r/v/b.py", "new b");
  fs.Set("/r/vx/d.py", "sibling dir");

  CHECK(*fs.Read("/r/v/a.py") == "buffer a");
  CHECK(*fs.Read("/r/v/c.py") == "disk c");
  CHECK(fs.Size("/r/v/b.py") == 5);
  CHECK(fs.IsFile("/r/v/b.py"));
  auto list = fs.List("/r/v");
  REQUIRE(list.ok());
  REQUIRE(list->size() == 3);
  CHECK((*list)[0].name == "a.py");
  CHECK((*list)[1].name == "b.py");
  CHECK((*list)[2].name == "c.py");

  // A directory that only exists through a buffer.
  fs.Set("/r/new/sub/x.py", "x");
  CHECK(fs.IsDir("/r/new"));
  auto top = fs.List("/r/new");
  REQUIRE(top.ok());
  REQUIRE(top->size() == 1);
  CHECK(top->front().name == "sub");
  CHECK(top->front().is_dir);

  fs.Erase("/r/v/a.py");
  fs.Erase("/r/v/b.py");
  CHECK(*fs.Read("/r/v/a.py") == "disk a");
  CHECK_FALSE(fs.IsFile("/r/v/b.py"));
  CHECK_FALSE(fs.List("/r/nothing").ok());
  CHECK(fs.Paths() == std::vector<std::string>{"/r/new/sub/x.py", "/r/vx/d.py"});
}

}  // namespace alint::lsp
