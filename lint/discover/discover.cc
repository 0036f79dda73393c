#include "lint/discover/discover.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "lint/discover/config.h"

namespace alint {

namespace {

constexpr int kMaxWalkDownDepth = 8;  // monorepos nest envs a few levels deep, not more
constexpr int kMaxWalkUpLevels = 32;  // stops runaway walks when no .git marks the root
constexpr int kMaxVersionDepth = 32;  // recursive version dirs; bounds symlink loops

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix.data(), suffix.size()) == 0;
}

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix.data(), prefix.size()) == 0;
}

// `path` equals `dir` or lies below it; both normalised.
bool IsUnder(const std::string& path, const std::string& dir) {
  if (path == dir) return true;
  if (dir == ".") return path[0] != '/' && path != ".." && !StartsWith(path, "../");
  if (dir == "/") return path[0] == '/';
  return StartsWith(path, dir) && path.size() > dir.size() && path[dir.size()] == '/';
}

bool HasEntry(const std::vector<DirEntry>& entries, std::string_view name, bool is_dir) {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const DirEntry& e) { return e.name == name && e.is_dir == is_dir; });
}

// Directories the walk never enters: VCS and tool caches (hidden), virtualenvs (by name, or
// any directory holding pyvenv.cfg), installed packages, JS deps and build output.
bool SkipWalkDir(const FileSource& fs, const std::string& path, const std::string& name) {
  static const std::set<std::string> kSkip = {
      "node_modules", "__pycache__", "site-packages", "venv", "build", "dist", "_build"};
  if (name.empty() || name[0] == '.' || kSkip.count(name) || EndsWith(name, ".egg-info"))
    return true;
  return fs.IsFile(JoinPath(path, "pyvenv.cfg"));
}

std::string SpecKey(const std::string& script_location, const std::vector<std::string>& dirs,
                    bool recursive, bool sourceless) {
  std::string key = script_location;
  for (const auto& d : dirs) key += "\n" + d;
  key += recursive ? "\nR" : "\n-";
  key += sourceless ? "S" : "-";
  return key;
}

struct Candidate {  // a materialised environment plus its dedupe key
  std::string key;
  DiscoveredEnv env;
};

class Discoverer {
 public:
  explicit Discoverer(const FileSource& fs) : fs_(fs) {}

  Status AddPath(const std::string& raw) {
    std::string path = NormalizePath(raw);
    if (fs_.IsFile(path)) return AddFile(path);
    if (fs_.IsDir(path)) return AddDir(path);
    return Error{raw + ": no such file or directory"};
  }

  Status AddDeclared(const std::vector<DeclaredEnv>& declared,
                     const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    bool any_dir = false;
    for (const std::string& raw : paths) {
      std::string path = NormalizePath(raw);
      if (fs_.IsFile(path)) {
        files.push_back(path);
      } else if (fs_.IsDir(path)) {
        any_dir = true;
      } else {
        return Error{raw + ": no such file or directory"};
      }
    }
    if (files.empty()) any_dir = true;
    std::vector<const Candidate*> envs;
    for (const DeclaredEnv& d : declared) {
      EnvSpec spec;
      spec.name = d.name;
      spec.config_path = d.origin;
      spec.script_location = NormalizePath(d.script_location);
      for (const std::string& v : d.version_dirs) spec.version_dirs.push_back(NormalizePath(v));
      if (spec.version_dirs.empty()) {
        spec.version_dirs.push_back(NormalizePath(JoinPath(d.script_location, "versions")));
      }
      spec.version_dir_origins.assign(spec.version_dirs.size(), d.origin);
      spec.recursive = d.recursive;
      if (!d.file_template.empty()) spec.file_template = d.file_template;
      spec.package_roots =
          PackageRoots(fs_, d.origin.empty() ? DirName(spec.script_location) : DirName(d.origin));
      if (!d.dialect.empty()) {
        spec.stated_dialect = d.dialect;
        spec.stated_dialect_origin = d.origin + " environments." + d.name + ".dialect";
        spec.dialect_declared = true;
      }
      spec.applied = d.applied;
      spec.applied_origin = d.applied_origin;
      const Candidate& c = Materialize(spec);
      AddEnv(c, any_dir);
      envs.push_back(&c);
    }
    for (const std::string& f : files) {
      const std::string name = BaseName(f);
      if (EndsWith(name, ".sql")) {
        if (Status s = AddFile(f); !s.ok()) return s;
        continue;
      }
      if (!EndsWith(name, ".py") || name == "env.py" || !IsMigrationFileName(name)) continue;
      bool held = std::any_of(envs.begin(), envs.end(), [&](const Candidate* c) {
        return std::find(c->env.files.begin(), c->env.files.end(), f) != c->env.files.end();
      });
      if (held) {
        explicit_files_.push_back(f);
        AddTarget(f);
      } else {
        warnings_.push_back(fmt::format(
            "{}: not in any environment declared in the alembic-lint config; skipped", f));
      }
    }
    return Status::Ok();
  }

  Discovery Finish() {
    Discovery out;
    for (size_t i = 0; i < envs_.size(); ++i) {
      if (!explicit_files_.empty() && whole_[i])
        for (const auto& f : envs_[i].files) AddTarget(f);
      out.envs.push_back(std::move(envs_[i]));
    }
    if (!sql_files_.empty()) {
      DiscoveredEnv sql;
      sql.sql_files = sql_files_;
      out.envs.push_back(std::move(sql));
    }
    out.targets = std::move(targets_);
    out.warnings = std::move(warnings_);
    out.broken = std::move(broken_);
    return out;
  }

 private:
  void AddTarget(const std::string& f) {
    if (target_set_.insert(f).second) targets_.push_back(f);
  }

  void AddEnv(const Candidate& c, bool whole) {
    auto it = env_index_.find(c.key);
    if (it != env_index_.end()) {
      whole_[it->second] = whole_[it->second] || whole;
      return;
    }
    env_index_[c.key] = envs_.size();
    envs_.push_back(c.env);
    whole_.push_back(whole);
  }

  // --- listing files the way Alembic's Script._list_py_dir / _from_filename do -------------

  // Alembic (script/base.py) walks each version location with os.walk, which lists a link to
  // a directory among the directories but never descends into it (followlinks=False); the
  // location itself and links to files are followed. Each file is loaded once per real path
  // (os.path.realpath): a second name for the same file is skipped with a warning.
  void ListVersionDir(const std::string& dir, int depth, const EnvSpec& spec,
                      std::map<std::string, std::string>& seen, std::vector<std::string>& files) {
    auto entries = fs_.List(dir);
    if (!entries.ok()) return;
    std::set<std::string> stems;
    std::string dir_real;  // EntryRealPath's per-directory scratch
    for (const auto& e : *entries) {
      if (e.is_dir) continue;
      stems.insert(e.name.substr(0, e.name.find('.')));
      std::string path = JoinPath(dir, e.name);
      if (IsMigrationFileName(e.name)) {
        auto [first, added] = seen.emplace(fs_.EntryRealPath(dir, e, dir_real), path);
        if (!added) {
          warnings_.push_back(fmt::format(
              "{}: the same file as {} (a link, or overlapping version locations in {}); "
              "Alembic loads it once",
              path, first->second, spec.name));
          continue;
        }
        files.push_back(path);
      } else if (spec.sourceless && (EndsWith(e.name, ".pyc") || EndsWith(e.name, ".pyo"))) {
        std::string source = path.substr(0, path.size() - 1);
        bool shadowed =
            fs_.IsFile(source) || (EndsWith(e.name, ".pyo") && fs_.IsFile(source + "c"));
        if (!shadowed) BytecodeOnly(path, spec);
      }
    }
    if (spec.sourceless && HasEntry(*entries, "__pycache__", true)) {
      std::string cache = JoinPath(dir, "__pycache__");
      if (auto cached = fs_.List(cache); cached.ok()) {
        for (const auto& e : *cached) {
          if (!e.is_dir && !stems.count(e.name.substr(0, e.name.find('.'))) &&
              (EndsWith(e.name, ".pyc") || EndsWith(e.name, ".pyo")))
            BytecodeOnly(JoinPath(cache, e.name), spec);
        }
      }
    }
    if (!spec.recursive && depth == 0) WarnUnloadedChain(dir, *entries, files, spec);
    if (!spec.recursive || depth >= kMaxVersionDepth) return;
    for (const auto& e : *entries) {
      if (e.is_dir && !e.is_link && !EndsWith(e.name, "__pycache__"))
        ListVersionDir(JoinPath(dir, e.name), depth + 1, spec, seen, files);
    }
  }

  // Migrations in subdirectories that Alembic does not load with this configuration but that
  // continue its history (their down_revision names a revision loaded here): typically a
  // project that sets version_locations in code (OpenStack's expand/contract trees), whose
  // first run would otherwise look clean while most of its history went unread. An archive
  // folder of unrelated old files is left alone.
  void WarnUnloadedChain(const std::string& dir, const std::vector<DirEntry>& entries,
                         const std::vector<std::string>& loaded, const EnvSpec& spec) {
    std::vector<std::string> nested;
    for (const auto& e : entries) {
      if (e.is_dir && !e.is_link && !EndsWith(e.name, "__pycache__"))
        ListNested(JoinPath(dir, e.name), 1, nested);
    }
    if (nested.empty()) return;
    // The ids the loaded files' names carry (`<rev>_<slug>.py` and most other templates).
    std::set<std::string, std::less<>> ids;
    for (const std::string& path : loaded) {
      const std::string name = BaseName(path);
      std::string_view stem = name;
      stem.remove_suffix(3);  // ".py"
      for (size_t at = 0; at < stem.size();) {
        const size_t end = std::min(stem.find('_', at), stem.size());
        if (end - at >= 4) ids.emplace(stem.substr(at, end - at));
        at = end + 1;
      }
    }
    size_t chained = 0;
    std::string example, parent;
    for (const std::string& path : nested) {
      if (fs_.Size(path) > (1 << 20)) continue;
      Result<std::string> text = fs_.Read(path);
      if (!text.ok()) continue;
      const size_t at = text->find("down_revision");
      if (at == std::string::npos) continue;
      const std::string_view line = std::string_view(*text).substr(at, text->find('\n', at) - at);
      for (size_t q = line.find_first_of("'\""); q != std::string_view::npos;) {
        const size_t close = line.find(line[q], q + 1);
        if (close == std::string_view::npos) break;
        if (ids.count(line.substr(q + 1, close - q - 1))) {
          if (chained++ == 0) {
            example = path;
            parent = std::string(line.substr(q + 1, close - q - 1));
          }
          break;
        }
        q = line.find_first_of("'\"", close + 1);
      }
    }
    if (chained == 0) return;
    warnings_.push_back(fmt::format(
        "{}: {} migration file{} in its subdirectories continue{} this history (e.g. {} revises "
        "{}) but {} not loaded: recursive_version_locations is not true for {}; if the project "
        "sets version_locations in code, declare them in [[tool.alembic-lint.environments]] "
        "(README: Discovery)",
        dir, chained, chained == 1 ? "" : "s", chained == 1 ? "s" : "", example, parent,
        chained == 1 ? "is" : "are", spec.name));
  }

  // The migration file names below `dir`: a few levels deep, at most 200.
  void ListNested(const std::string& dir, int depth, std::vector<std::string>& out) {
    if (depth > 4 || out.size() >= 200) return;
    auto entries = fs_.List(dir);
    if (!entries.ok()) return;
    for (const auto& e : *entries) {
      if (out.size() >= 200) return;
      if (e.is_dir) {
        if (!e.is_link && !EndsWith(e.name, "__pycache__"))
          ListNested(JoinPath(dir, e.name), depth + 1, out);
      } else if (IsMigrationFileName(e.name)) {
        out.push_back(JoinPath(dir, e.name));
      }
    }
  }

  void BytecodeOnly(const std::string& path, const EnvSpec& spec) {
    warnings_.push_back(fmt::format(
        "{}: Alembic loads this bytecode-only migration ({} sets sourceless = true), but "
        "alembic-lint reads only .py sources; it is not linted",
        path, spec.config_path));
  }

  const Candidate& Materialize(const EnvSpec& spec) {
    std::string key =
        SpecKey(spec.script_location, spec.version_dirs, spec.recursive, spec.sourceless);
    auto it = materialized_.find(key);
    if (it != materialized_.end()) {
      // The same directories seen first as a bare env.py + versions/ directory (walking up
      // from a path below): the config that names them decides the name and settings.
      DiscoveredEnv& env = it->second.env;
      // (Same key: the same script_location, version dirs, recursive and sourceless.)
      if (env.config_path.empty() && !spec.config_path.empty()) static_cast<EnvSpec&>(env) = spec;
      return it->second;
    }
    Candidate c;
    c.key = key;
    static_cast<EnvSpec&>(c.env) = spec;
    std::map<std::string, std::string> seen;  // real path -> the first name it was listed as
    for (size_t i = 0; i < spec.version_dirs.size(); ++i) {
      const std::string& vd = spec.version_dirs[i];
      if (!fs_.IsDir(vd)) {
        // Alembic skips configured locations that do not exist; a missing default versions/
        // is normal in a fresh checkout of a new project (git keeps no empty dirs).
        if (!spec.version_dir_origins[i].empty()) {
          warnings_.push_back(
              fmt::format("{}: version location '{}' does not exist; Alembic silently skips it",
                          spec.version_dir_origins[i], vd));
        } else if (!spec.config_path.empty()) {
          warnings_.push_back(
              fmt::format("{}: no versions directory ({}); no migrations to lint", spec.name, vd));
        }
        continue;
      }
      ListVersionDir(vd, 0, spec, seen, c.env.files);
    }
    return materialized_.emplace(key, std::move(c)).first->second;
  }

  EnvSpec DirSpec(const std::string& name, const std::string& script_location,
                  const std::string& versions) {
    EnvSpec s;
    s.package_roots =
        PackageRoots(fs_, script_location.empty() ? DirName(versions) : DirName(script_location));
    s.name = name;
    s.script_location = script_location;
    s.version_dirs = {versions};
    s.version_dir_origins = {""};
    return s;
  }

  // Config-defined environments of the files directly in `dir` (cached: walks up from
  // several files meet in the same directories).
  Result<const std::vector<EnvSpec>*> SpecsIn(const std::string& dir) {
    auto it = specs_cache_.find(dir);
    if (it != specs_cache_.end()) return &it->second;
    auto entries = fs_.List(dir);
    std::vector<EnvSpec> specs;
    if (entries.ok()) {
      std::vector<BrokenEnv> broken;
      specs = ReadEnvConfigs(fs_, dir, *entries, warnings_, broken);
      for (auto& b : broken) {
        bool seen = std::any_of(broken_.begin(), broken_.end(), [&](const BrokenEnv& o) {
          return o.name == b.name && o.message == b.message;
        });
        if (!seen) broken_.push_back(std::move(b));
      }
    }
    return &specs_cache_.emplace(dir, std::move(specs)).first->second;
  }

  // env.py beside a versions/ directory: a script_location that no config may point at.
  std::optional<EnvSpec> ScriptDirIn(const std::string& dir) {
    if (!fs_.IsFile(JoinPath(dir, "env.py")) || !fs_.IsDir(JoinPath(dir, "versions")))
      return std::nullopt;
    return DirSpec(dir, dir, NormalizePath(JoinPath(dir, "versions")));
  }

  // Walks from `start` up to the repository root (a directory holding .git), "." or "/",
  // and returns the environments of the lowest directory whose configs satisfy `match`.
  // Falls back to the lowest env.py + versions/ directory that matches.
  Result<std::vector<Candidate>> FindAbove(const std::string& start,
                                           const std::function<bool(const Candidate&)>& match,
                                           std::vector<Candidate>* seen_envs) {
    std::optional<Candidate> script_dir_match;
    std::string dir = start;
    for (int level = 0; level <= kMaxWalkUpLevels; ++level) {
      auto specs = SpecsIn(dir);
      if (!specs.ok()) return specs.error();
      std::vector<Candidate> found;
      for (const auto& spec : **specs) {
        const Candidate& c = Materialize(spec);
        if (seen_envs) seen_envs->push_back(c);
        if (match(c)) found.push_back(c);
      }
      if (!found.empty()) return found;
      if (!script_dir_match) {
        if (auto sd = ScriptDirIn(dir)) {
          const Candidate& c = Materialize(*sd);
          if (match(c)) script_dir_match = c;
        }
      }
      if (dir == "." || dir == "/" || fs_.IsDir(JoinPath(dir, ".git")) ||
          fs_.IsFile(JoinPath(dir, ".git")))
        break;
      dir = DirName(dir);
    }
    if (script_dir_match) return std::vector<Candidate>{*script_dir_match};
    return std::vector<Candidate>{};
  }

  bool LooksLikeMigration(const std::string& path) {
    auto text = fs_.Read(path);
    return text.ok() && text->find("down_revision") != std::string::npos;
  }

  // --- a file on the command line ---------------------------------------------------------

  Status AddFile(const std::string& path) {
    const std::string name = BaseName(path);
    if (EndsWith(name, ".sql")) {
      if (std::find(sql_files_.begin(), sql_files_.end(), path) == sql_files_.end())
        sql_files_.push_back(path);
      AddTarget(path);
      return Status::Ok();
    }
    // env.py, script.py.mako, README, __init__.py: never migrations.
    if (!EndsWith(name, ".py") || name == "env.py" || !IsMigrationFileName(name))
      return Status::Ok();
    explicit_files_.push_back(path);

    std::vector<Candidate> seen;
    auto found = FindAbove(
        DirName(path),
        [&](const Candidate& c) {
          return std::find(c.env.files.begin(), c.env.files.end(), path) != c.env.files.end();
        },
        &seen);
    if (!found.ok()) return found.error();
    if (!found->empty()) {
      for (const auto& c : *found) AddEnv(c, false);
      AddTarget(path);
      return Status::Ok();
    }
    if (!seen.empty()) {
      for (const auto& c : seen) {
        for (const auto& vd : c.env.version_dirs) {
          if (IsUnder(path, vd) && !c.env.recursive) {
            warnings_.push_back(
                fmt::format("{}: inside a subdirectory of version location {} of {}, but "
                            "recursive_version_locations is not true, so Alembic does not load it",
                            path, vd, c.env.name));
            return Status::Ok();
          }
        }
      }
      std::string names;
      for (const auto& c : seen)
        if (names.find(c.env.name) == std::string::npos)
          names += (names.empty() ? "" : ", ") + c.env.name;
      warnings_.push_back(fmt::format(
          "{}: not in a version directory of {}; not linted as a migration", path, names));
      return Status::Ok();
    }
    if (!LooksLikeMigration(path)) {
      warnings_.push_back(fmt::format(
          "{}: not inside any Alembic environment and defines no down_revision; skipped", path));
      return Status::Ok();
    }
    warnings_.push_back(
        fmt::format("{}: not inside any Alembic environment (no alembic.ini or pyproject.toml "
                    "[tool.alembic] above it); linted with its directory as a versions directory",
                    path));
    std::string dir = DirName(path);
    AddEnv(Materialize(DirSpec(dir, "", dir)), false);
    AddTarget(path);
    return Status::Ok();
  }

  // --- a directory on the command line ----------------------------------------------------

  Status WalkDown(const std::string& dir, int depth, std::vector<EnvSpec>& specs,
                  std::vector<EnvSpec>& script_dirs) {
    auto entries = fs_.List(dir);
    if (!entries.ok()) return depth == 0 ? Status(entries.error()) : Status::Ok();
    auto here = SpecsIn(dir);
    if (!here.ok()) return here.error();
    specs.insert(specs.end(), (*here)->begin(), (*here)->end());
    // ScriptDirIn wants a regular env.py: a FIFO or device named env.py is listed as a
    // non-directory but is no script directory.
    if (HasEntry(*entries, "env.py", false) && HasEntry(*entries, "versions", true)) {
      if (auto sd = ScriptDirIn(dir)) script_dirs.push_back(*sd);
    }
    if (depth >= kMaxWalkDownDepth) return Status::Ok();
    for (const auto& e : *entries) {
      std::string sub = JoinPath(dir, e.name);
      // Links to directories are not followed: a loop (`loop -> ..`) or a link to `/` must not
      // multiply or widen the search.
      if (!e.is_dir || e.is_link || SkipWalkDir(fs_, sub, e.name)) continue;
      if (Status s = WalkDown(sub, depth + 1, specs, script_dirs); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Status AddDir(const std::string& dir) {
    const size_t broken_before = broken_.size();
    std::vector<EnvSpec> specs, script_dirs;
    if (Status s = WalkDown(dir, 0, specs, script_dirs); !s.ok()) return s;
    for (const auto& spec : specs) AddEnv(Materialize(spec), true);

    // A script or versions directory: prefer the configured environment above it, whose
    // settings (version_locations, recursive) decide what Alembic loads.
    auto names_dir = [](const std::string& d) {
      return [d](const Candidate& c) {
        if (c.env.script_location == d) return true;
        for (const auto& vd : c.env.version_dirs)
          if (vd == d || (c.env.recursive && IsUnder(d, vd))) return true;
        return false;
      };
    };
    for (const auto& sd : script_dirs) {
      bool covered = std::any_of(specs.begin(), specs.end(), [&](const EnvSpec& s) {
        return s.script_location == sd.script_location ||
               std::find(s.version_dirs.begin(), s.version_dirs.end(), sd.version_dirs[0]) !=
                   s.version_dirs.end();
      });
      if (covered) continue;
      auto above = FindAbove(sd.script_location, names_dir(sd.script_location), nullptr);
      if (!above.ok()) return above.error();
      if (above->empty()) above->push_back(Materialize(sd));
      for (const auto& c : *above) AddEnv(c, true);
    }
    if (!specs.empty() || !script_dirs.empty() || broken_.size() > broken_before)
      return Status::Ok();

    auto above = FindAbove(dir, names_dir(dir), nullptr);
    if (!above.ok()) return above.error();
    if (!above->empty()) {
      for (const auto& c : *above) AddEnv(c, true);
      return Status::Ok();
    }
    const Candidate& bare = Materialize(DirSpec(dir, "", dir));
    // A directory the user names that is called `versions` is taken at its word even when
    // none of its files defines down_revision yet (that is then a finding, not a usage error).
    bool named_versions = BaseName(NormalizePath(dir)) == "versions" && !bare.env.files.empty();
    if (named_versions ||
        std::any_of(bare.env.files.begin(), bare.env.files.end(),
                    [&](const std::string& f) { return LooksLikeMigration(f); })) {
      AddEnv(bare, true);
      return Status::Ok();
    }
    // A script directory without env.py (a trimmed copy, a fixture): its versions/ subdir.
    const std::string sub = JoinPath(dir, "versions");
    if (fs_.IsDir(sub)) {
      const Candidate& inner = Materialize(DirSpec(sub, "", sub));
      if (std::any_of(inner.env.files.begin(), inner.env.files.end(),
                      [&](const std::string& f) { return LooksLikeMigration(f); })) {
        AddEnv(inner, true);
        return Status::Ok();
      }
    }
    return Error{fmt::format(
        "{}: no Alembic environment found: no alembic.ini (or other .ini with an [alembic] "
        "section) or pyproject.toml [tool.alembic] at or below it (searched {} levels deep, "
        "skipping hidden, virtualenv and build directories), no env.py beside a versions/ "
        "directory, and no migration files in it; pass the project root that holds "
        "alembic.ini, the script_location directory, or the versions directory",
        dir, kMaxWalkDownDepth)};
  }

  const FileSource& fs_;
  std::vector<DiscoveredEnv> envs_;
  std::vector<bool> whole_;  // env came from a directory argument: all its files are targets
  std::map<std::string, size_t> env_index_;
  std::map<std::string, Candidate> materialized_;
  std::map<std::string, std::vector<EnvSpec>> specs_cache_;
  std::vector<std::string> targets_;
  std::set<std::string> target_set_;
  std::vector<std::string> explicit_files_;
  std::vector<std::string> sql_files_;
  std::vector<std::string> warnings_;
  std::vector<BrokenEnv> broken_;  // every directory's config is read once (SpecsIn caches)
};

}  // namespace

bool IsMigrationFileName(const std::string& name) {
  // Alembic: re.match(r"(?!\.\#|__init__)(.*\.py)$", filename).
  return EndsWith(name, ".py") && !StartsWith(name, ".#") && !StartsWith(name, "__init__");
}

Result<Discovery> Discover(const FileSource& fs, const std::vector<std::string>& paths) {
  Discoverer d(fs);
  std::vector<std::string> args = paths.empty() ? std::vector<std::string>{"."} : paths;
  for (const auto& p : args) {
    if (Status s = d.AddPath(p); !s.ok()) return Error{s.message()};
  }
  return d.Finish();
}

Result<Discovery> DiscoverDeclared(const FileSource& fs, const std::vector<std::string>& paths,
                                   const std::vector<DeclaredEnv>& declared) {
  Discoverer d(fs);
  std::vector<std::string> args = paths.empty() ? std::vector<std::string>{"."} : paths;
  if (Status s = d.AddDeclared(declared, args); !s.ok()) return Error{s.message()};
  return d.Finish();
}

}  // namespace alint
