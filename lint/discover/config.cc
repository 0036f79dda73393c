#include "lint/discover/config.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "lint/core/dialect.h"
#include "lint/discover/ini.h"

namespace alint {

namespace {

// `%(here)s` stands for the config file's absolute directory in Alembic. We keep paths as the
// user gave them (often relative), so `here` expands to this marker first and is replaced by
// the config's directory when the path is resolved; a marked path is already anchored.
const std::string kHereMark = "\x01here\x01";

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
}

std::string Display(std::string s) {
  ReplaceAll(s, kHereMark, "%(here)s");
  return s;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n\v\f");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n\v\f");
  return std::string(s.substr(b, e - b + 1));
}

// A value read from the config, with "file:line" for messages.
struct Setting {
  std::string value;
  std::string where;
};

struct TomlConfig {
  std::string path;
  toml::table root;                      // keeps the parsed document alive
  const toml::table* alembic = nullptr;  // [tool.alembic] inside `root`
};

std::string TomlWhere(const TomlConfig& t, const toml::node& n) {
  return fmt::format("{}:{}", t.path, n.source().begin.line);
}

const char* TomlTypeName(const toml::node& n) {
  if (n.is_string()) return "a string";
  if (n.is_boolean()) return "a boolean";
  if (n.is_integer() || n.is_floating_point()) return "a number";
  if (n.is_array()) return "an array";
  if (n.is_table()) return "a table";
  return "a date/time";
}

// Alembic applies Python's `value % {"here": ...}` to TOML strings: "%%" is a percent sign,
// "%(here)s" the file's directory, anything else an error.
Result<std::string> TomlPercent(const std::string& s, const std::string& where,
                                const std::string& key) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '%') {
      out += '%';
      ++i;
    } else if (s.compare(i, 8, "%(here)s") == 0) {
      out += kHereMark;
      i += 7;
    } else {
      return Error{fmt::format(
          "{}: {}: '{}' is not a valid substitution; [tool.alembic] strings support only "
          "%(here)s, and %% for a literal percent sign",
          where, key, s.substr(i, std::min<size_t>(12, s.size() - i)))};
    }
  }
  return out;
}

// The options Alembic sees for one environment: the ini section first, key by key, then
// pyproject.toml [tool.alembic] (Config.get_alembic_option in Alembic 1.16).
class ConfigView {
 public:
  ConfigView(const IniFile* ini, std::string section, const TomlConfig* toml)
      : ini_(ini), section_(std::move(section)), toml_(toml) {}

  Result<std::optional<Setting>> String(const std::string& key) const {
    if (ini_ && ini_->Has(section_, key)) {
      auto v = ini_->Get(section_, key);
      if (!v.ok()) return v.error();
      return std::optional<Setting>(Setting{**v, IniWhere(key)});
    }
    const toml::node* n = TomlNode(key);
    if (!n) return std::optional<Setting>();
    std::string where = TomlWhere(*toml_, *n);
    if (!n->is_string()) {
      return Error{fmt::format("{}: {} must be a string, not {}", where, key, TomlTypeName(*n))};
    }
    auto v = TomlPercent(n->as_string()->get(), where, key);
    if (!v.ok()) return v.error();
    return std::optional<Setting>(Setting{*v, where});
  }

  // Alembic compares ini values with "true" exactly: "True" or "yes" silently mean false,
  // which is never what the author meant, so anything but true/false is an error here.
  Result<bool> Bool(const std::string& key) const {
    if (ini_ && ini_->Has(section_, key)) {
      auto v = ini_->Get(section_, key);
      if (!v.ok()) return v.error();
      if (**v == "true") return true;
      if (**v == "false") return false;
      return Error{fmt::format(
          "{}: {} = '{}' is not 'true' or 'false'; Alembic compares with 'true' exactly, so it "
          "reads this as false",
          IniWhere(key), key, **v)};
    }
    const toml::node* n = TomlNode(key);
    if (!n) return false;
    if (!n->is_boolean()) {
      return Error{fmt::format("{}: {} must be a TOML boolean (true or false), not {}",
                               TomlWhere(*toml_, *n), key, TomlTypeName(*n))};
    }
    return n->as_boolean()->get();
  }

  // version_locations: an ini string split on path_separator (Alembic 1.16), else on the
  // deprecated version_path_separator, else on spaces/commas; or a TOML array of strings.
  Result<std::vector<Setting>> VersionLocations(std::vector<std::string>& warnings) const {
    std::vector<Setting> out;
    if (ini_ && ini_->Has(section_, "version_locations")) {
      auto raw = ini_->Get(section_, "version_locations");
      if (!raw.ok()) return raw.error();
      const std::string& s = **raw;
      if (s.empty()) return out;
      std::string where = IniWhere("version_locations");
      auto sep = Separator();
      if (!sep.ok()) return sep.error();
      if (sep->empty()) {
        // Legacy split, regex ", *| +": newlines are NOT separators.
        std::string cur;
        auto flush = [&] {
          if (!cur.empty()) out.push_back({cur, where});
          cur.clear();
        };
        for (size_t i = 0; i < s.size(); ++i) {
          if (s[i] == ',') {
            flush();
            while (i + 1 < s.size() && s[i + 1] == ' ') ++i;
          } else if (s[i] == ' ') {
            flush();
          } else {
            cur += s[i];
          }
        }
        flush();
        for (const auto& e : out) {
          if (e.value.find('\n') != std::string::npos) {
            warnings.push_back(fmt::format(
                "{}: version_locations spans several lines but no path_separator is set, so "
                "Alembic reads '{}' as one path; add 'path_separator = newline'",
                where, Display(e.value)));
          }
        }
      } else {
        size_t start = 0;
        while (start <= s.size()) {
          size_t p = s.find(*sep, start);
          if (p == std::string::npos) p = s.size();
          std::string item = Trim(std::string_view(s).substr(start, p - start));
          if (!item.empty()) out.push_back({item, where});
          start = p + 1;
        }
      }
      return out;
    }
    const toml::node* n = TomlNode("version_locations");
    if (!n) return out;
    std::string where = TomlWhere(*toml_, *n);
    if (!n->is_array()) {
      return Error{fmt::format("{}: version_locations must be an array of strings, not {}", where,
                               TomlTypeName(*n))};
    }
    for (const toml::node& el : *n->as_array()) {
      std::string el_where = TomlWhere(*toml_, el);
      if (!el.is_string()) {
        return Error{fmt::format("{}: version_locations entries must be strings, not {}", el_where,
                                 TomlTypeName(el))};
      }
      auto v = TomlPercent(el.as_string()->get(), el_where, "version_locations");
      if (!v.ok()) return v.error();
      if (!v->empty()) out.push_back({*v, el_where});
    }
    return out;
  }

  // prepend_sys_path entries, used only to find `package:path` locations.
  std::vector<std::string> PrependSysPath() const {
    std::vector<std::string> out;
    if (ini_ && ini_->Has(section_, "prepend_sys_path")) {
      auto raw = ini_->Get(section_, "prepend_sys_path");
      if (!raw.ok() || (*raw)->empty()) return out;
      auto sep = Separator();
      std::string seps = sep.ok() && !sep->empty() ? *sep : std::string(", :");
      std::string cur;
      for (char c : **raw) {
        if (seps.find(c) != std::string::npos) {
          if (!Trim(cur).empty()) out.push_back(Trim(cur));
          cur.clear();
        } else {
          cur += c;
        }
      }
      if (!Trim(cur).empty()) out.push_back(Trim(cur));
      return out;
    }
    const toml::node* n = TomlNode("prepend_sys_path");
    if (n && n->is_array()) {
      for (const toml::node& el : *n->as_array()) {
        if (!el.is_string()) continue;
        auto v = TomlPercent(el.as_string()->get(), "", "prepend_sys_path");
        if (v.ok()) out.push_back(*v);
      }
    }
    return out;
  }

 private:
  std::string IniWhere(const std::string& key) const {
    const IniOption* o = ini_->Lookup(section_, key);
    return fmt::format("{}:{}", ini_->path(), o ? o->line : 0);
  }

  const toml::node* TomlNode(const std::string& key) const {
    return toml_ && toml_->alembic ? toml_->alembic->get(key) : nullptr;
  }

  // "" = legacy splitting. Only the ini is consulted, as in Alembic.
  Result<std::string> Separator() const {
    for (const char* key : {"path_separator", "version_path_separator"}) {
      if (!ini_ || !ini_->Has(section_, key)) continue;
      auto v = ini_->Get(section_, key);
      if (!v.ok()) return v.error();
      const std::string& s = **v;
      if (s == "space") return std::string(" ");
      if (s == "newline") return std::string("\n");
      if (s == "os" || s == ":") return std::string(":");  // os.pathsep on POSIX
      if (s == ";") return std::string(";");
      return Error{fmt::format(
          "{}: '{}' is not a valid value for {}; expected 'space', 'newline', 'os', ':' or ';'",
          IniWhere(key), s, key)};
    }
    return std::string();
  }

  const IniFile* ini_;
  std::string section_;
  const TomlConfig* toml_;
};

// prepend_sys_path entries resolved against the config's directory.
std::vector<std::string> ResolvedSysPath(const ConfigView& view, const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& p : view.PrependSysPath()) {
    std::string root = p;
    if (root.find(kHereMark) != std::string::npos)
      ReplaceAll(root, kHereMark, dir);
    else
      root = JoinPath(dir, root);
    out.push_back(NormalizePath(root));
  }
  return out;
}

// Resolves a script_location / version_locations value the way Alembic does, statically:
// `%(here)s` paths are anchored, relative paths are taken from the config's directory, and
// `package.sub:dir` names (Alembic: a relative path holding a colon is a package resource,
// `importlib.resources.files(package) / dir`, every further colon another path step) are
// looked up under the PackageRoots of the config, since we never import anything.
Result<std::string> ResolveLocation(const FileSource& fs, const Setting& s, const std::string& key,
                                    const std::string& dir, const ConfigView& view) {
  std::string v = s.value;
  if (v.find(kHereMark) != std::string::npos) {
    ReplaceAll(v, kHereMark, dir);
    return NormalizePath(v);
  }
  if (!v.empty() && v[0] == '/') return NormalizePath(v);
  size_t colon = v.find(':');
  if (colon == std::string::npos) return NormalizePath(JoinPath(dir, v));

  std::string package = v.substr(0, colon);
  std::string rest = v.substr(colon + 1);
  ReplaceAll(rest, ":", "/");
  std::string package_dir = package;
  std::replace(package_dir.begin(), package_dir.end(), '.', '/');
  std::vector<std::string> roots = PackageRoots(fs, dir, ResolvedSysPath(view, dir));
  // The package directory that holds the resource wins over one that merely exists (a
  // `tests/dispatch` beside the real `src/dispatch`, say).
  std::string first_package;
  for (const auto& root : roots) {
    std::string candidate = NormalizePath(JoinPath(root, package_dir));
    if (!fs.IsDir(candidate)) continue;
    std::string resource = NormalizePath(JoinPath(candidate, rest));
    if (fs.IsDir(resource)) return resource;
    if (first_package.empty()) first_package = resource;
  }
  if (!first_package.empty()) return first_package;
  std::string looked_list;
  for (const auto& r : roots) looked_list += (looked_list.empty() ? "" : ", ") + r;
  return Error{fmt::format(
      "{}: {} '{}' names the Python package '{}', which alembic-lint did not find in the "
      "repository (it never imports code; searched {}); declare the environment with its "
      "directories in [[tool.alembic-lint.environments]]",
      s.where, key, Display(s.value), package, looked_list.empty() ? "nothing" : looked_list)};
}

// The dialect of a literal `sqlalchemy.url` (env.py may still replace it: the engine decides).
void ReadUrlDialect(const ConfigView& view, EnvSpec& spec) {
  auto url = view.String("sqlalchemy.url");
  if (!url.ok() || !*url) return;
  spec.url = (*url)->value;
  spec.url_origin = (*url)->where;
  spec.stated_dialect = DialectOfUrl((*url)->value);
  if (!spec.stated_dialect.empty()) spec.stated_dialect_origin = (*url)->where + " sqlalchemy.url";
}

Result<EnvSpec> BuildSpec(const FileSource& fs, const ConfigView& view, const std::string& dir,
                          std::string name, const std::optional<Setting>& script_location,
                          std::vector<std::string>& warnings) {
  EnvSpec spec;
  spec.name = std::move(name);
  const Setting& sl = *script_location;
  spec.config_path = sl.where.substr(0, sl.where.rfind(':'));
  auto resolved = ResolveLocation(fs, sl, "script_location", dir, view);
  if (!resolved.ok()) return resolved.error();
  if (!fs.IsDir(*resolved)) {
    return Error{fmt::format("{}: script_location '{}' does not exist (resolved to {})", sl.where,
                             Display(sl.value), *resolved)};
  }
  spec.script_location = *resolved;

  auto locations = view.VersionLocations(warnings);
  if (!locations.ok()) return locations.error();
  if (locations->empty()) {
    spec.version_dirs.push_back(NormalizePath(JoinPath(spec.script_location, "versions")));
    spec.version_dir_origins.emplace_back();
  }
  for (const auto& loc : *locations) {
    auto d = ResolveLocation(fs, loc, "version_locations", dir, view);
    if (!d.ok()) return d.error();
    spec.version_dirs.push_back(*d);
    spec.version_dir_origins.push_back(loc.where);
  }

  auto recursive = view.Bool("recursive_version_locations");
  if (!recursive.ok()) return recursive.error();
  spec.recursive = *recursive;
  auto sourceless = view.Bool("sourceless");
  if (!sourceless.ok()) return sourceless.error();
  spec.sourceless = *sourceless;

  auto tmpl = view.String("file_template");
  if (!tmpl.ok()) return tmpl.error();
  if (*tmpl) {
    std::string t = (*tmpl)->value;
    ReplaceAll(t, kHereMark, dir);
    ReplaceAll(t, "%", "%%");
    spec.file_template = t;
  }
  spec.package_roots = PackageRoots(fs, dir, ResolvedSysPath(view, dir));
  ReadUrlDialect(view, spec);
  return spec;
}

bool HasLine(std::string_view text, std::string_view wanted) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (Trim(text.substr(start, end - start)) == wanted) return true;
    start = end + 1;
  }
  return false;
}

Result<std::optional<TomlConfig>> ReadPyproject(const FileSource& fs, const std::string& path) {
  auto text = fs.Read(path);
  if (!text.ok()) return text.error();
  // Cheap pre-check: most pyproject.toml files have nothing for us, and a broken one that is
  // not ours is not ours to report. ("[tool.alembic-lint]" must not count.)
  if (text->find("[tool.alembic]") == std::string::npos &&
      text->find("[tool.alembic.") == std::string::npos &&
      text->find("tool.alembic =") == std::string::npos) {
    return std::optional<TomlConfig>();
  }
  TomlConfig cfg;
  cfg.path = path;
  try {
    cfg.root = toml::parse(*text, path);
  } catch (const toml::parse_error& e) {
    return Error{
        fmt::format("{}:{}: invalid TOML: {}", path, e.source().begin.line, e.description())};
  }
  const toml::node* tool = cfg.root.get("tool");
  const toml::node* alembic = tool && tool->is_table() ? tool->as_table()->get("alembic") : nullptr;
  if (!alembic) return std::optional<TomlConfig>();
  if (!alembic->is_table()) {
    return Error{fmt::format("{}:{}: tool.alembic must be a table, not {}", path,
                             alembic->source().begin.line, TomlTypeName(*alembic))};
  }
  cfg.alembic = alembic->as_table();
  return std::optional<TomlConfig>(std::move(cfg));
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix.data(), suffix.size()) == 0;
}

constexpr int kMaxRootLevels = 8;  // config dir and this many parents, at most

// Package directories a pyproject.toml in `dir` declares, relative to `dir`.
std::vector<std::string> PyprojectPackageDirs(const FileSource& fs, const std::string& dir) {
  std::vector<std::string> out;
  auto text = fs.Read(JoinPath(dir, "pyproject.toml"));
  if (!text.ok()) return out;
  toml::table root;
  try {
    root = toml::parse(*text, JoinPath(dir, "pyproject.toml"));
  } catch (const toml::parse_error&) {
    return out;  // not ours to report
  }
  auto strings = [&](const toml::node* n, auto&& fn) {
    if (!n || !n->is_array()) return;
    for (const toml::node& el : *n->as_array()) fn(el);
  };
  // setuptools: package-dir = {"" = "src"}, packages.find.where = ["src"]
  if (auto v = root.at_path("tool.setuptools.package-dir").as_table()) {
    if (auto src = v->get_as<std::string>("")) out.push_back(src->get());
  }
  strings(root.at_path("tool.setuptools.packages.find.where").node(), [&](const toml::node& el) {
    if (el.is_string()) out.push_back(el.as_string()->get());
  });
  // hatch: packages = ["src/pkg"] -> "src"
  strings(root.at_path("tool.hatch.build.targets.wheel.packages").node(),
          [&](const toml::node& el) {
            if (el.is_string()) out.push_back(DirName(el.as_string()->get()));
          });
  // poetry: packages = [{ include = "pkg", from = "src" }]
  strings(root.at_path("tool.poetry.packages").node(), [&](const toml::node& el) {
    if (auto t = el.as_table())
      if (auto from = t->get_as<std::string>("from")) out.push_back(from->get());
  });
  return out;
}

// `[options] package_dir` of a setup.cfg in `dir`: the entry for the root package ("=src").
std::vector<std::string> SetupCfgPackageDirs(const FileSource& fs, const std::string& dir) {
  std::vector<std::string> out;
  std::string path = JoinPath(dir, "setup.cfg");
  auto text = fs.Read(path);
  if (!text.ok()) return out;
  auto ini = IniFile::Parse(*text, path);
  if (!ini.ok()) return out;
  const IniOption* o = ini->Lookup("options", "package_dir");
  if (!o) return out;
  size_t start = 0;
  const std::string& v = o->value;
  while (start <= v.size()) {
    size_t end = v.find('\n', start);
    if (end == std::string::npos) end = v.size();
    std::string line = Trim(std::string_view(v).substr(start, end - start));
    if (!line.empty() && line[0] == '=') out.push_back(Trim(line.substr(1)));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string> PackageRoots(const FileSource& fs, const std::string& config_dir,
                                      const std::vector<std::string>& prepend_sys_path) {
  std::vector<std::string> out;
  auto add = [&](const std::string& d) {
    std::string n = NormalizePath(d);
    if (fs.IsDir(n) && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  };
  for (const auto& p : prepend_sys_path) add(p);
  std::string dir = NormalizePath(config_dir);
  for (int level = 0; level <= kMaxRootLevels; ++level) {
    add(dir);
    add(JoinPath(dir, "src"));
    if (fs.IsFile(JoinPath(dir, "pyproject.toml")))
      for (const auto& p : PyprojectPackageDirs(fs, dir)) add(JoinPath(dir, p));
    if (fs.IsFile(JoinPath(dir, "setup.cfg")))
      for (const auto& p : SetupCfgPackageDirs(fs, dir)) add(JoinPath(dir, p));
    if (dir == "." || dir == "/" || fs.IsDir(JoinPath(dir, ".git")) ||
        fs.IsFile(JoinPath(dir, ".git")))
      break;
    std::string up = DirName(dir);
    if (up == dir) break;
    dir = up;
  }
  return out;
}

std::vector<EnvSpec> ReadEnvConfigs(const FileSource& fs, const std::string& dir,
                                    const std::vector<DirEntry>& entries,
                                    std::vector<std::string>& warnings,
                                    std::vector<BrokenEnv>& broken) {
  std::vector<EnvSpec> specs;
  bool has_env_py = false;
  bool has_pyproject = false;
  std::vector<std::string> inis;
  for (const auto& e : entries) {
    if (e.is_dir) continue;
    if (e.name == "env.py") has_env_py = true;
    if (e.name == "pyproject.toml") has_pyproject = true;
    if (EndsWith(e.name, ".ini") && e.name != "alembic.ini") inis.push_back(e.name);
  }
  if (std::any_of(entries.begin(), entries.end(),
                  [](const DirEntry& e) { return !e.is_dir && e.name == "alembic.ini"; }))
    inis.insert(inis.begin(), "alembic.ini");

  // Every error below is about one environment (or one config file): it is recorded with the
  // file and line its message starts with, and the other environments go on.
  auto fail = [&](const std::string& name, const std::string& file, const Error& e) {
    BrokenEnv b;
    b.name = name;
    b.config_path = file;
    b.message = e.message;
    // Messages start with "path:line: "; take the location from there when it is one.
    size_t colon = e.message.find(": ");
    std::string head = colon == std::string::npos ? "" : e.message.substr(0, colon);
    size_t last = head.rfind(':');
    if (last != std::string::npos && last + 1 < head.size() &&
        std::all_of(head.begin() + static_cast<long>(last) + 1, head.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      b.config_path = head.substr(0, last);
      b.line = std::stoi(head.substr(last + 1));
    } else if (head == file) {
      b.config_path = file;
    }
    broken.push_back(std::move(b));
  };

  std::optional<TomlConfig> toml;
  if (has_pyproject) {
    const std::string path = JoinPath(dir, "pyproject.toml");
    auto t = ReadPyproject(fs, path);
    if (!t.ok()) {
      fail(path, path, t.error());
    } else {
      toml = std::move(*t);
    }
  }
  const TomlConfig* toml_ptr = toml ? &*toml : nullptr;
  auto toml_script_location = [&]() -> Result<std::optional<Setting>> {
    return ConfigView(nullptr, "", toml_ptr).String("script_location");
  };

  bool alembic_ini_has_section = false;
  for (const auto& name : inis) {
    std::string path = JoinPath(dir, name);
    auto text = fs.Read(path);
    if (!text.ok()) {
      fail(path, path, text.error());
      continue;
    }
    const bool ours = name == "alembic.ini" || HasLine(*text, "[alembic]");
    auto ini = IniFile::Parse(*text, path, {{"here", kHereMark}});
    if (!ini.ok()) {
      if (ours) fail(path, path, ini.error());
      continue;
    }
    // `alembic -n NAME` reads section [NAME] instead of [alembic]: an ini whose environments
    // are all named sections need not configure [alembic] at all.
    const bool has_named =
        std::any_of(ini->sections().begin(), ini->sections().end(), [](const IniSection& sec) {
          return sec.name != "alembic" && sec.Find("script_location") != nullptr;
        });
    for (const auto& section : ini->sections()) {
      const bool main = section.name == "alembic";
      if (main && name == "alembic.ini") alembic_ini_has_section = true;
      ConfigView view(&*ini, section.name, toml_ptr);
      std::string env_name = main ? path : path + "[" + section.name + "]";
      std::optional<Setting> sl;
      if (section.Find("script_location") || (main && ini->Has(section.name, "script_location"))) {
        auto v = view.String("script_location");
        if (!v.ok()) {
          fail(env_name, path, v.error());
          continue;
        }
        sl = *v;
      } else if (main) {
        auto v = toml_script_location();
        if (!v.ok()) {
          fail(toml_ptr->path, toml_ptr->path, v.error());
          continue;
        }
        sl = *v;
        if (sl) {
          env_name = toml_ptr->path;
        } else if (has_env_py) {
          // Flask-Migrate keeps alembic.ini inside the migrations directory and sets
          // script_location to that directory in code.
          sl = Setting{kHereMark, fmt::format("{}:{}", path, section.line)};
        } else if (has_named) {
          continue;  // only `alembic -n NAME` is used with this file
        } else if (name == "alembic.ini") {
          fail(env_name, path,
               Error{fmt::format("{}:{}: [alembic] has no script_location (Alembic stops with \"No "
                                 "'script_location' key found in configuration\"); add e.g. "
                                 "'script_location = %(here)s/migrations'",
                                 path, section.line)});
        } else {
          warnings.push_back(
              fmt::format("{}:{}: [alembic] has no script_location; not an Alembic environment",
                          path, section.line));
        }
      }
      if (!sl) continue;
      auto spec = BuildSpec(fs, view, dir, env_name, sl, warnings);
      if (!spec.ok()) {
        fail(env_name, path, spec.error());
        continue;
      }
      specs.push_back(std::move(*spec));
    }
  }
  if (toml_ptr && !alembic_ini_has_section) {
    auto sl = toml_script_location();
    if (!sl.ok()) {
      fail(toml_ptr->path, toml_ptr->path, sl.error());
    } else if (*sl) {
      auto spec =
          BuildSpec(fs, ConfigView(nullptr, "", toml_ptr), dir, toml_ptr->path, *sl, warnings);
      if (!spec.ok()) {
        fail(toml_ptr->path, toml_ptr->path, spec.error());
      } else {
        specs.push_back(std::move(*spec));
      }
    } else {
      warnings.push_back(fmt::format(
          "{}: [tool.alembic] has no script_location and no alembic.ini here provides one; "
          "not an Alembic environment",
          toml_ptr->path));
    }
  }
  return specs;
}

}  // namespace alint
