// The alembic-lint TOML configuration, as pyproject.toml and as .alembic-lint.toml, then the
// rule selection and discovery of the environments it declares.

#include "fuzz/fuzz_util.h"
#include "lint/config/config.h"
#include "lint/engine/linter.h"
#include "rules/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alint;
  std::string_view text = fuzz::AsText(data, size);
  for (bool pyproject : {true, false}) {
    Result<Config> c = ParseConfig(text, pyproject ? "/r/pyproject.toml" : "/r/.alembic-lint.toml",
                                   pyproject, "/r", BuiltinRules());
    if (!c.ok()) continue;
    Result<std::vector<const Rule*>> rules = BuiltinRules().Select(c->settings);
    (void)rules;
  }
  MemoryFileSource fs;
  fuzz::AddBaseRepo(fs);
  fs.Add("/r/.alembic-lint.toml", std::string(text));
  Result<std::optional<Config>> found = FindConfig(fs, "/r/migrations", BuiltinRules());
  (void)found;
  return 0;
}
