// ReadEnvFacts: the few settings of env.py that change how every migration runs, read from
// its text. env.py is ordinary Python that builds a connection; the settings a linter can
// trust are the literal ones, so this looks for them textually rather than interpreting code.

#include <string>

#include "lint/analysis/migration_analysis.h"
#include "lint/core/dialect.h"
#include "lint/core/regex.h"

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
  Result<Regex> re = Regex::Compile(
      "(^|[^A-Za-z0-9_])(" + name + R"()\s*(?:=|:|\s[Tt][Oo]\s)\s*(['"]?)([^'"\s,;)\]]+))",
      Regex::Options{.bytes = true});
  if (!re.ok()) return std::nullopt;  // `name` is one of ours: never happens
  std::optional<Setting> out;
  for (size_t pos = 0; auto m = re->Find(text, pos);) {
    Setting s;
    s.value = std::string((*m)[4]);
    s.begin = static_cast<size_t>((*m)[2].data() - text.data());
    s.end = s.begin + (*m)[2].size();
    out = s;
    size_t end = static_cast<size_t>((*m)[0].data() - text.data()) + (*m)[0].size();
    pos = end > pos ? end : pos + 1;
  }
  return out;
}

// Which database env.py connects to, when it says so literally. A URL built at run time
// (from settings, the environment, a connection passed in) hides it.
void ReadUrl(const std::string& text, const SourceFile& env_py, EnvFacts& facts) {
  static const Regex kReplaces =
      Regex::Compile(
          R"re(set_main_option\(\s*['"]sqlalchemy\.url['"]\s*,\s*[^'"\s]|create_engine\(\s*[^'"\s)]|\.attributes\b)re",
          Regex::Options{.bytes = true})
          .value();
  static const Regex kUrl =
      Regex::Compile(R"re(['"]([A-Za-z][A-Za-z0-9_]*(\+[A-Za-z0-9_]+)?://))re",
                     Regex::Options{.bytes = true})
          .value();
  bool conflict = false;
  for (size_t pos = 0; auto m = kUrl.Find(text, pos);) {
    const std::string dialect = DialectOfUrl(std::string((*m)[1]));
    if (!dialect.empty()) {
      if (facts.url_dialect.empty()) {
        facts.url_dialect = dialect;
        facts.url_line = env_py.Locate(static_cast<uint32_t>((*m)[1].data() - text.data())).line;
      } else if (facts.url_dialect != dialect) {
        conflict = true;
      }
    }
    size_t match_end = static_cast<size_t>((*m)[0].data() - text.data()) + (*m)[0].size();
    pos = match_end > pos ? match_end : pos + 1;
  }
  const bool replaces = kReplaces.PartialMatch(text);
  facts.replaces_url = replaces || !facts.url_dialect.empty();
  if (conflict || replaces) {
    facts.url_dialect.clear();
    facts.url_line = 0;
  }
}

// context.configure(version_table="...", version_table_schema="..."): the literal values, or
// `dynamic` when one is computed (a variable, a settings lookup).
void ReadVersionTable(const std::string& text, EnvFacts& facts) {
  static const Regex kSetting =
      Regex::Compile(
          R"re((?:^|[^A-Za-z0-9_.])(version_table(?:_schema)?)\s*=\s*(?:(?:'([^'\\\n]*)'|"([^"\\\n]*)")\s*[,)\n]|(None)\b|([^\s=]))?)re",
          Regex::Options{.bytes = true})
          .value();
  for (size_t pos = 0; auto m = kSetting.Find(text, pos);) {
    const bool schema = (*m)[1].size() > std::string_view("version_table").size();
    std::optional<std::string>& slot = schema ? facts.version_table_schema : facts.version_table;
    if ((*m)[2].data() != nullptr) {
      slot = std::string((*m)[2]);
    } else if ((*m)[3].data() != nullptr) {
      slot = std::string((*m)[3]);
    } else if ((*m)[4].data() != nullptr) {
      slot = std::string();  // None: the default
    } else if ((*m)[5].data() != nullptr) {
      facts.version_table_dynamic = true;
    }
    size_t end = static_cast<size_t>((*m)[0].data() - text.data()) + (*m)[0].size();
    pos = end > pos ? end : pos + 1;
  }
}

}  // namespace

EnvFacts ReadEnvFacts(const SourceFile& env_py) {
  EnvFacts facts;
  facts.found = true;
  facts.path = env_py.path;
  const std::string text = BlankComments(env_py.text);
  static const Regex kPerMigration =
      Regex::Compile(R"(transaction_per_migration\s*=\s*True\b)", Regex::Options{.bytes = true})
          .value();
  facts.transaction_per_migration = kPerMigration.PartialMatch(text);
  static const Regex kTransactionalDdl =
      Regex::Compile(R"(transactional_ddl\s*=\s*(True|False)\b)", Regex::Options{.bytes = true})
          .value();
  if (auto m = kTransactionalDdl.Find(text, 0)) facts.transactional_ddl = (*m)[1] == "True";
  if (std::optional<Setting> s = FindSetting(text, "lock_timeout")) {
    facts.lock_timeout = s->value;
    facts.lock_timeout_span =
        Span{env_py.id, static_cast<uint32_t>(s->begin), static_cast<uint32_t>(s->end)};
    facts.lock_timeout_line = env_py.Locate(static_cast<uint32_t>(s->begin)).line;
  }
  if (std::optional<Setting> s = FindSetting(text, "statement_timeout")) {
    facts.statement_timeout = s->value;
  }
  ReadUrl(text, env_py, facts);
  ReadVersionTable(text, facts);
  return facts;
}

BodyShape TemplateDowngradeShape(std::string_view mako) {
  // The line `def downgrade(...)` at the start of a line, then its indented body.
  size_t at = 0;
  for (;;) {
    at = mako.find("def downgrade", at);
    if (at == std::string_view::npos) return BodyShape::kAbsent;
    if (at == 0 || mako[at - 1] == '\n') break;
    at += 1;
  }
  size_t line = mako.find('\n', at);
  bool raises = false, code = false, in_doc = false;
  while (line != std::string_view::npos && line + 1 < mako.size()) {
    const size_t begin = line + 1;
    line = mako.find('\n', begin);
    std::string_view l =
        mako.substr(begin, line == std::string_view::npos ? std::string_view::npos : line - begin);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    const size_t indent = l.find_first_not_of(" \t");
    if (indent == std::string_view::npos) continue;  // blank
    if (indent == 0) break;                          // the body ended
    std::string_view t = l.substr(indent);
    const bool quotes = t.starts_with("\"\"\"") || t.starts_with("'''");
    if (in_doc || quotes) {
      // A docstring: skip to its closing quotes.
      const bool closes =
          in_doc ? t.find("\"\"\"") != std::string_view::npos ||
                       t.find("'''") != std::string_view::npos
                 : t.size() >= 6 && (t.substr(3).find("\"\"\"") != std::string_view::npos ||
                                     t.substr(3).find("'''") != std::string_view::npos);
      in_doc = !closes;
      continue;
    }
    if (t.starts_with("#") || t == "pass" || t == "...") continue;
    if (t.starts_with("raise")) {
      raises = true;
    } else {
      code = true;
    }
  }
  if (code) return BodyShape::kCode;
  return raises ? BodyShape::kRaises : BodyShape::kEmpty;
}

}  // namespace alint
