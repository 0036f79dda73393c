// The alembic.ini reader (configparser rules and interpolation), then discovery reading it as
// /r/alembic.ini.

#include "fuzz/fuzz_util.h"
#include "lint/discover/discover.h"
#include "lint/discover/ini.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alint;
  std::string_view text = fuzz::AsText(data, size);
  Result<IniFile> ini = IniFile::Parse(text, "/r/alembic.ini", {{"here", "/r"}});
  if (ini.ok()) {
    for (const IniSection& s : ini->sections()) {
      for (const IniOption& o : s.options) {
        Result<std::optional<std::string>> v = ini->Get(s.name, o.key);
        (void)v;
      }
    }
  }
  MemoryFileSource fs;
  fs.Add("/r/alembic.ini", std::string(text));
  fs.Add("/r/migrations/env.py", "from alembic import context\n");
  fs.Add("/r/migrations/versions/a1_first.py", "revision = 'a1'\ndown_revision = None\n");
  Result<Discovery> d = Discover(fs, {"/r"});
  (void)d;
  return 0;
}
