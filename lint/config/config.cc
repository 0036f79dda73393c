#include "lint/config/config.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include "lint/core/dialect.h"
#include "lint/core/regex.h"

namespace alint {

namespace {

// The engine's own keys; the rules' options (RuleInfo::options) are listed between
// pg-version and dialect.
constexpr std::string_view kKeys[] = {"select",           "ignore",      "severity",
                                      "per-file-ignores", "fail-on",     "min-severity",
                                      "applied",          "pg-version",  "sql-files-in-transaction",
                                      "dialect",          "environments"};

constexpr std::string_view kEnvKeys[] = {"name",      "script-location", "version-locations",
                                         "recursive", "file-template",   "dialect",
                                         "applied"};

// Errors carry "file:line:col: " so editors and CI make them clickable.
struct Reader {
  const std::string& path;
  std::string prefix;    // "tool.alembic-lint." or ""
  const RuleSet& rules;  // the rule names select/ignore/severity/per-file-ignores may use

  std::string Where(const toml::node& n) const {
    const auto& src = n.source();
    if (src.begin.line == 0) return path;
    return fmt::format("{}:{}:{}", path, src.begin.line, src.begin.column);
  }
  Error Bad(const toml::node& n, std::string_view key, std::string_view what) const {
    return Error{fmt::format("{}: `{}{}` {}", Where(n), prefix, key, what)};
  }
  /// For problems with the key itself (unknown keys): point at the key, not its value.
  Error BadKey(const toml::key& k, std::string_view key, std::string_view what) const {
    const auto& src = k.source();
    std::string where = src.begin.line == 0
                            ? path
                            : fmt::format("{}:{}:{}", path, src.begin.line, src.begin.column);
    return Error{fmt::format("{}: `{}{}` {}", where, prefix, key, what)};
  }

  Result<std::vector<std::string>> Strings(const toml::node& n, std::string_view key) const {
    const toml::array* arr = n.as_array();
    if (!arr) return Bad(n, key, "must be an array of strings");
    std::vector<std::string> out;
    for (const toml::node& e : *arr) {
      auto s = e.value<std::string>();
      if (!s) return Bad(e, key, "must contain only strings");
      out.push_back(*s);
    }
    return out;
  }

  /// A list of rule names, category names and (`allow_all`) "ALL", as written; an unknown
  /// name is an error at its element (RuleSet::Resolve's message).
  Result<std::vector<std::string>> RuleNames(const toml::node& n, std::string_view key,
                                             bool allow_all) const {
    auto names = Strings(n, key);
    if (!names.ok()) return names;
    const toml::array& arr = *n.as_array();
    for (size_t i = 0; i < names->size(); ++i) {
      const std::string& r = (*names)[i];
      if (!allow_all && r == "ALL") {
        return Bad(*arr.get(i), key, "cannot name `ALL`");
      }
      Result<std::vector<const Rule*>> resolved = rules.Resolve(r);
      if (!resolved.ok()) {
        const std::string& why = resolved.error().message;
        return Bad(*arr.get(i), key,
                   why.rfind("unknown", 0) == 0 ? "names an " + why : "names `" + r + "`: " + why);
      }
    }
    return names;
  }

  /// As RuleNames, with each category replaced by the names of its rules ("ALL" kept).
  Result<std::vector<std::string>> ExpandedRuleNames(const toml::node& n,
                                                     std::string_view key) const {
    auto names = RuleNames(n, key, true);
    if (!names.ok()) return names;
    std::vector<std::string> out;
    for (const std::string& name : *names) {
      if (name == "ALL" || rules.Find(name)) {
        out.push_back(name);
        continue;
      }
      Result<std::vector<const Rule*>> resolved = rules.Resolve(name);
      if (!resolved.ok()) return resolved.error();
      const std::vector<const Rule*>& of_category = *resolved;
      for (const Rule* r : of_category) out.emplace_back(r->info().name);
    }
    return out;
  }

  /// `applied`: one revision, or a list of them (one per branch); none empty.
  Result<std::vector<std::string>> Revisions(const toml::node& n, std::string_view key) const {
    std::vector<std::string> out;
    if (auto one = n.value<std::string>()) {
      out.push_back(*one);
    } else if (n.is_array()) {
      auto list = Strings(n, key);
      if (!list.ok()) return list;
      out = std::move(list).value();
    } else {
      return Bad(n, key, "must be a revision id or an array of them");
    }
    for (const std::string& r : out) {
      if (r.empty() || r.find_first_of(" \t\n") != std::string::npos) {
        return Bad(n, key, fmt::format("names `{}`, which is not a revision id", r));
      }
    }
    return out;
  }

  Result<std::string> String(const toml::node& n, std::string_view key) const {
    auto s = n.value<std::string>();
    if (!s) return Bad(n, key, "must be a string");
    return *s;
  }

  Result<int64_t> Integer(const toml::node& n, std::string_view key, int64_t lo, int64_t hi) const {
    auto v = n.value<int64_t>();
    if (!v) return Bad(n, key, "must be an integer");
    if (*v < lo || *v > hi)
      return Bad(n, key, fmt::format("must be between {} and {} (got {})", lo, hi, *v));
    return *v;
  }
};

template <size_t N>
std::string KeyList(const std::string_view (&keys)[N]) {
  std::string out;
  for (std::string_view k : keys) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

template <size_t N>
bool Known(const std::string_view (&keys)[N], std::string_view k) {
  for (std::string_view x : keys) {
    if (x == k) return true;
  }
  return false;
}

// Every top-level key, the rules' options between pg-version and dialect.
std::vector<std::string_view> AllKeys(const RuleSet& rules) {
  std::vector<std::string_view> out;
  for (std::string_view k : kKeys) {
    if (k == "dialect") {
      for (const RuleOption* o : rules.options()) out.push_back(o->key);
    }
    out.push_back(k);
  }
  return out;
}

std::string KnownKeyList(const RuleSet& rules) {
  std::string out;
  for (std::string_view k : AllKeys(rules)) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

// One rule option's value, checked by its declared type.
Result<RuleOptionValue> ReadOption(const Reader& rd, const RuleOption& option,
                                   const toml::node& v) {
  const std::string key(option.key);
  RuleOptionValue out;
  switch (option.type) {
    case RuleOption::Type::kInt: {
      auto i = rd.Integer(v, key, option.min, option.max);
      if (!i.ok()) return i.error();
      out.number = *i;
      break;
    }
    case RuleOption::Type::kBool: {
      auto b = v.value<bool>();
      if (!b) return rd.Bad(v, key, "must be true or false");
      out.number = *b ? 1 : 0;
      break;
    }
    case RuleOption::Type::kStringList: {
      auto r = rd.Strings(v, key);
      if (!r.ok()) return r.error();
      out.list = std::move(r).value();
      break;
    }
    case RuleOption::Type::kString:
    case RuleOption::Type::kRegex: {
      auto str = rd.String(v, key);
      if (!str.ok()) return str.error();
      out.text = *str;
      if (option.type == RuleOption::Type::kRegex) {
        Result<Regex> re = Regex::CompileUserPattern(*str);
        if (!re.ok()) {
          return rd.Bad(v, key,
                        fmt::format("is not a valid regular expression: {}", re.error().message));
        }
        out.regex = std::make_shared<const Regex>(std::move(re).value());
      }
      break;
    }
  }
  return out;
}

Status ReadEnvironments(const Reader& rd, const toml::node& n, Config* cfg) {
  const toml::array* arr = n.as_array();
  if (!arr)
    return rd.Bad(n, "environments",
                  "must be an array of tables ([[tool.alembic-lint.environments]])");
  for (const toml::node& e : *arr) {
    const toml::table* t = e.as_table();
    if (!t) return rd.Bad(e, "environments", "entries must be tables");
    DeclaredEnv spec;
    for (const auto& [k, v] : *t) {
      std::string key(k.str());
      std::string full = "environments." + key;
      if (!Known(kEnvKeys, key)) {
        return rd.BadKey(k, full, fmt::format("is not a known key (known: {})", KeyList(kEnvKeys)));
      }
      if (key == "name") {
        auto s = rd.String(v, full);
        if (!s.ok()) return s.error();
        spec.name = *s;
      } else if (key == "script-location") {
        auto s = rd.String(v, full);
        if (!s.ok()) return s.error();
        spec.script_location = *s;
      } else if (key == "version-locations") {
        auto s = rd.Strings(v, full);
        if (!s.ok()) return s.error();
        spec.version_dirs = *s;
      } else if (key == "recursive") {
        auto b = v.value<bool>();
        if (!b) return rd.Bad(v, full, "must be true or false");
        spec.recursive = *b;
      } else if (key == "file-template") {
        auto s = rd.String(v, full);
        if (!s.ok()) return s.error();
        spec.file_template = *s;
      } else if (key == "dialect") {
        auto s = rd.String(v, full);
        if (!s.ok()) return s.error();
        if (!IsKnownDialect(*s)) {
          return rd.Bad(v, full, fmt::format("must be one of {}", KnownDialects()));
        }
        spec.dialect = *s;
      } else if (key == "applied") {
        auto r = rd.Revisions(v, full);
        if (!r.ok()) return r.error();
        spec.applied = std::move(r).value();
        spec.applied_origin = rd.Where(v);
      }
    }
    if (spec.script_location.empty() && spec.version_dirs.empty()) {
      return rd.Bad(e, "environments", "needs `script-location` or `version-locations`");
    }
    if (spec.name.empty())
      spec.name = spec.script_location.empty() ? spec.version_dirs[0] : spec.script_location;
    cfg->environments.push_back(std::move(spec));
  }
  return Status::Ok();
}

Status ReadTable(const Reader& rd, const toml::table& table, Config* cfg) {
  LintSettings& s = cfg->settings;
  for (const auto& [k, v] : table) {
    std::string key(k.str());
    if (!Known(kKeys, key)) {
      const RuleOption* option = rd.rules.FindOption(key);
      if (option == nullptr) {
        return rd.BadKey(k, key,
                         fmt::format("is not a known key (known: {})", KnownKeyList(rd.rules)));
      }
      cfg->keys.insert(key);
      Result<RuleOptionValue> value = ReadOption(rd, *option, v);
      if (!value.ok()) return value.error();
      s.options[key] = std::move(value).value();
      continue;
    }
    cfg->keys.insert(key);
    if (key == "select" || key == "ignore") {
      auto r = rd.RuleNames(v, key, key == "select");
      if (!r.ok()) return r.error();
      (key == "select" ? s.select : s.ignore) = *r;
    } else if (key == "severity") {
      const toml::table* t = v.as_table();
      if (!t) return rd.Bad(v, key, "must be a table of rule = \"error\" | \"warning\" | \"info\"");
      for (const auto& [rk, rv] : *t) {
        std::string rule(rk.str());
        if (!rd.rules.Find(rule))
          return rd.Bad(rv, key + "." + rule, "is not a known rule (see `alembic-lint rules`)");
        auto sv = rv.value<std::string>();
        auto sev = sv ? ParseSeverity(*sv) : std::nullopt;
        if (!sev) return rd.Bad(rv, key + "." + rule, "must be \"error\", \"warning\" or \"info\"");
        s.severity[rule] = *sev;
      }
    } else if (key == "per-file-ignores") {
      const toml::table* t = v.as_table();
      if (!t) return rd.Bad(v, key, "must be a table of \"glob\" = [rules]");
      for (const auto& [glob, rules] : *t) {
        auto r = rd.ExpandedRuleNames(rules, key + ".\"" + std::string(glob.str()) + "\"");
        if (!r.ok()) return r.error();
        s.per_file_ignores.emplace_back(std::string(glob.str()), *r);
      }
    } else if (key == "fail-on") {
      auto str = rd.String(v, key);
      if (!str.ok()) return str.error();
      if (*str == "never") {
        s.fail_on = std::nullopt;
      } else if (auto sev = ParseSeverity(*str)) {
        s.fail_on = sev;
      } else {
        return rd.Bad(v, key, "must be \"error\", \"warning\", \"info\" or \"never\"");
      }
    } else if (key == "min-severity") {
      auto str = rd.String(v, key);
      if (!str.ok()) return str.error();
      auto sev = ParseSeverity(*str);
      if (!sev) return rd.Bad(v, key, "must be \"error\", \"warning\" or \"info\"");
      s.min_severity = *sev;
    } else if (key == "applied") {
      auto r = rd.Revisions(v, key);
      if (!r.ok()) return r.error();
      s.applied = std::move(r).value();
      s.applied_origin = rd.Where(v);
    } else if (key == "pg-version") {
      auto i = rd.Integer(v, key, 11, 18);
      if (!i.ok()) return i.error();
      s.pg_version = static_cast<int>(*i);
    } else if (key == "sql-files-in-transaction") {
      auto b = v.value<bool>();
      if (!b) return rd.Bad(v, key, "must be true or false");
      s.sql_files_in_transaction = *b;
    } else if (key == "dialect") {
      auto str = rd.String(v, key);
      if (!str.ok()) return str.error();
      if (!IsKnownDialect(*str)) {
        return rd.Bad(v, key, fmt::format("must be one of {}", KnownDialects()));
      }
      s.dialect = *str;
      s.dialect_origin = cfg->path + " dialect";
    } else if (key == "environments") {
      Status st = ReadEnvironments(rd, v, cfg);
      if (!st.ok()) return Error{st.message()};
    }
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string_view> KnownConfigKeys(const RuleSet& rules) { return AllKeys(rules); }

Result<Config> ParseConfig(std::string_view text, const std::string& path, bool pyproject,
                           const std::string& base_dir, const RuleSet& rules) {
  Config cfg;
  cfg.path = path;
  cfg.settings.base_dir = base_dir;
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Error{fmt::format("{}:{}:{}: invalid TOML: {}", path, e.source().begin.line,
                             e.source().begin.column, e.description())};
  }
  const toml::table* table = &root;
  Reader rd{path, "", rules};
  if (pyproject) {
    const toml::node* tool = root.get("tool");
    const toml::node* ours =
        tool && tool->is_table() ? tool->as_table()->get("alembic-lint") : nullptr;
    if (!ours) return cfg;
    if (!ours->is_table())
      return Error{fmt::format("{}: `tool.alembic-lint` must be a table", rd.Where(*ours))};
    table = ours->as_table();
    rd.prefix = "tool.alembic-lint.";
  }
  Status st = ReadTable(rd, *table, &cfg);
  if (!st.ok()) return Error{st.message()};
  return cfg;
}

Result<Config> LoadConfigFile(const FileSource& fs, const std::string& path, const RuleSet& rules) {
  Result<std::string> text = fs.Read(path);
  if (!text.ok()) return text.error();
  std::string dir = DirName(path);
  return ParseConfig(*text, path, BaseName(path) == "pyproject.toml", dir, rules);
}

Result<std::optional<Config>> FindConfig(const FileSource& fs, const std::string& start,
                                         const RuleSet& rules) {
  std::string dir = fs.IsDir(start) ? NormalizePath(start) : DirName(NormalizePath(start));
  while (true) {
    std::string dedicated = JoinPath(dir, ".alembic-lint.toml");
    if (fs.IsFile(dedicated)) {
      auto c = LoadConfigFile(fs, dedicated, rules);
      if (!c.ok()) return c.error();
      return std::optional<Config>(std::move(*c));
    }
    std::string pyproject = JoinPath(dir, "pyproject.toml");
    if (fs.IsFile(pyproject)) {
      Result<std::string> text = fs.Read(pyproject);
      if (text.ok() && text->find("alembic-lint") != std::string::npos) {
        auto c = ParseConfig(*text, pyproject, true, dir, rules);
        if (!c.ok()) return c.error();
        if (!c->keys.empty() || text->find("[tool.alembic-lint]") != std::string::npos) {
          return std::optional<Config>(std::move(*c));
        }
      }
    }
    if (dir == "/" || dir == "." || dir.empty()) break;
    std::string parent = DirName(dir);
    if (parent == dir) break;
    dir = parent;
  }
  return std::optional<Config>();
}

}  // namespace alint
