#pragma once
// Helpers shared by the fuzz harnesses (fuzz/*_fuzz.cc). Each harness defines
// LLVMFuzzerTestOneInput and is linked twice: with libFuzzer (`make fuzz`, clang) and with
// replay_main.cc, which runs it over every file of fuzz/regressions/<target>/ in the unit test
// build of any compiler.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/file_source.h"

namespace alint::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

/// Splits `text` at every `sep` (the parts without the separators).
inline std::vector<std::string_view> Split(std::string_view text, std::string_view sep) {
  std::vector<std::string_view> parts;
  size_t at = 0;
  while (true) {
    size_t next = text.find(sep, at);
    if (next == std::string_view::npos) {
      parts.push_back(text.substr(at));
      return parts;
    }
    parts.push_back(text.substr(at, next - at));
    at = next + sep.size();
  }
}

/// A property a harness checks failed: print what differs and abort (libFuzzer records the
/// input as a crash; the replay test fails).
[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

/// The repository every repository-level harness starts from: /r/alembic.ini pointing at
/// /r/migrations, with an env.py.
inline void AddBaseRepo(MemoryFileSource& fs) {
  fs.Add("/r/alembic.ini", "[alembic]\nscript_location = migrations\n");
  fs.Add("/r/migrations/env.py", "from alembic import context\n");
}

}  // namespace alint::fuzz
