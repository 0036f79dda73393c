// ReadEnvFacts: the few settings of env.py that change how every migration runs, read from
// its text. env.py is ordinary Python that builds a connection; the settings a linter can
// trust are the literal ones, so this looks for them textually rather than interpreting code.

#include <regex>
#include <string>

#include "lint/analysis/migration_analysis.h"

namespace alint {
namespace {

// `text` with Python comments blanked out (offsets kept): a commented-out
// `# connect_args={"options": "-c lock_timeout=5s"}` must not count.
std::string BlankComments(std::string_view text) {
  std::string out(text);
  char quote = 0;
  bool triple = false;
  for (size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        if (!triple) {
          quote = 0;
        } else if (i + 2 < out.size() && out[i + 1] == quote && out[i + 2] == quote) {
          quote = 0;
          i += 2;
        }
      } else if (c == '\n' && !triple) {
        quote = 0;  // an unterminated string ends at the line (a syntax error anyway)
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      triple = i + 2 < out.size() && out[i + 1] == c && out[i + 2] == c;
      if (triple) i += 2;
    } else if (c == '#') {
      while (i < out.size() && out[i] != '\n') out[i++] = ' ';
    }
  }
  return out;
}

struct Setting {
  std::string value;
  size_t begin = 0, end = 0;  // the setting's name
};

// The last place `name` is set: `-c name=value`, `SET [LOCAL] name = value`, `SET name TO
// value`, `name: value` (a dict of server options). The last one wins, as it would at run time
// for a sequence of SETs.
std::optional<Setting> FindSetting(const std::string& text, const std::string& name) {
  const std::regex re(
      "(^|[^A-Za-z0-9_])(" + name + R"()\s*(?:=|:|\s[Tt][Oo]\s)\s*(['"]?)([^'"\s,;)\]]+))",
      std::regex::ECMAScript);
  std::optional<Setting> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    Setting s;
    s.value = m[4].str();
    s.begin = static_cast<size_t>(m.position(2));
    s.end = s.begin + static_cast<size_t>(m.length(2));
    out = s;
  }
  return out;
}

}  // namespace

EnvFacts ReadEnvFacts(const SourceFile& env_py) {
  EnvFacts facts;
  facts.found = true;
  facts.path = env_py.path;
  const std::string text = BlankComments(env_py.text);
  static const std::regex kPerMigration(R"(transaction_per_migration\s*=\s*True\b)");
  facts.transaction_per_migration = std::regex_search(text, kPerMigration);
  if (std::optional<Setting> s = FindSetting(text, "lock_timeout")) {
    facts.lock_timeout = s->value;
    facts.lock_timeout_span =
        Span{env_py.id, static_cast<uint32_t>(s->begin), static_cast<uint32_t>(s->end)};
    facts.lock_timeout_line = env_py.Locate(static_cast<uint32_t>(s->begin)).line;
  }
  if (std::optional<Setting> s = FindSetting(text, "statement_timeout")) {
    facts.statement_timeout = s->value;
  }
  return facts;
}

}  // namespace alint
