#include "lint/lsp/lint_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "lint/config/config.h"
#include "lint/discover/discover.h"
#include "lint/engine/applied.h"
#include "lint/python/extract.h"
#include "rules/registry.h"

namespace alint::lsp {

struct LintSession::Project {
  std::string key;
  DiscoveredEnv env;
  LintSettings settings;
  std::vector<const Rule*> rules;
  Workspace ws;
  std::map<std::string, FileId> ids;  ///< normalised path -> file
  std::map<std::string, std::vector<Diagnostic>> diagnostics;
  std::string applied_error;  ///< the last `applied` error logged (logged once, not per edit)
};

namespace {

const std::vector<Diagnostic> kNoDiagnostics;

bool IsUnder(const std::string& path, const std::string& dir) {
  std::string prefix = dir.ends_with('/') ? dir : dir + "/";
  return path.compare(0, prefix.size(), prefix) == 0;
}

bool IsConfigFile(const std::string& path) {
  std::string name = BaseName(path);
  return name.ends_with(".ini") || name == "pyproject.toml" || name == ".alembic-lint.toml" ||
         name == "env.py";
}

void NormalizeEnv(DiscoveredEnv* env) {
  for (std::string& f : env->files) f = NormalizePath(f);
  for (std::string& d : env->version_dirs) d = NormalizePath(d);
  if (!env->script_location.empty()) env->script_location = NormalizePath(env->script_location);
}

Diagnostic Convert(const Workspace& ws, const Finding& f) {
  const SourceFile& file = ws.files[f.span.file];
  Diagnostic d;
  d.rule = f.rule;
  d.severity = f.severity;
  d.begin = std::min<uint32_t>(f.span.begin, static_cast<uint32_t>(file.text.size()));
  d.end =
      std::max(d.begin, std::min<uint32_t>(f.span.end, static_cast<uint32_t>(file.text.size())));
  d.range = ToRange(file, d.begin, d.end);
  d.message = f.message;
  // A merged finding's other reasons (one statement, one finding), with their rule ids.
  for (const Note& n : f.notes) d.message += fmt::format("\nnote [{}]: {}", n.rule, n.message);
  d.help = f.help;
  for (const Related& r : f.related) {
    if (!r.span.valid() || r.span.file >= ws.files.size()) continue;
    const SourceFile& rf = ws.files[r.span.file];
    d.related.push_back({NormalizePath(rf.path), ToRange(rf, r.span.begin, r.span.end), r.message});
  }
  if (f.fix && f.fix->applicability != Applicability::kDisplayOnly && f.fix->renames.empty()) {
    QuickFix q;
    q.title = f.fix->title;
    q.preferred = f.fix->applicability == Applicability::kSafe;
    for (const Edit& e : f.fix->edits) {
      if (!e.span.valid() || e.span.file >= ws.files.size()) continue;
      const SourceFile& ef = ws.files[e.span.file];
      q.edits.push_back(
          {NormalizePath(ef.path), ToRange(ef, e.span.begin, e.span.end), e.replacement});
    }
    if (!q.edits.empty()) d.fix = std::move(q);
  }
  return d;
}

}  // namespace

std::string EnvKey(const DiscoveredEnv& env) {
  std::string key = env.config_path + "\n" + env.script_location;
  for (const std::string& d : env.version_dirs) key += "\n" + d;
  return key;
}

LintSession::LintSession(const FileSource& disk, Options options)
    : overlay_(disk), options_(std::move(options)) {}

LintSession::~LintSession() = default;

LintSession::Project* LintSession::ProjectOf(const std::string& path) const {
  for (const auto& p : projects_) {
    if (p->ids.count(path)) return p.get();
  }
  return nullptr;
}

bool LintSession::InEnvironment(const std::string& path) const {
  return ProjectOf(path) != nullptr;
}

const std::vector<Diagnostic>& LintSession::DiagnosticsOf(const std::string& path) const {
  auto it = current_.find(path);
  return it == current_.end() ? kNoDiagnostics : it->second;
}

std::optional<LintSession::FileView> LintSession::View(const std::string& path) const {
  Project* p = ProjectOf(path);
  if (!p) return std::nullopt;
  FileId id = p->ids.at(path);
  const EnvFacts* env = p->ws.env_facts.empty() ? nullptr : &p->ws.env_facts.front();
  return FileView{&p->ws.files[id], &p->ws.loaded[id].facts, &p->settings, env};
}

bool LintSession::Attach(const std::string& path) {
  Result<Discovery> d = Discover(overlay_, {path});
  if (!d.ok()) {
    Log(4, fmt::format("{}: {}", path, d.error().message));
    return false;
  }
  for (const std::string& w : d->warnings) Log(4, w);
  bool attached = false;
  for (DiscoveredEnv& env : d->envs) {
    NormalizeEnv(&env);
    if (std::find(env.files.begin(), env.files.end(), path) == env.files.end()) continue;
    std::string key = EnvKey(env);
    auto it = std::find_if(projects_.begin(), projects_.end(),
                           [&](const auto& p) { return p->key == key; });
    if (it == projects_.end()) {
      projects_.push_back(std::make_unique<Project>());
      it = projects_.end() - 1;
      Log(3, fmt::format("loaded Alembic environment {} ({} migration files)", env.name,
                         env.files.size()));
    }
    // A known environment gains a file (a new, perhaps unsaved, migration): reload its list.
    Load(**it, env);
    attached = true;
  }
  return attached;
}

void LintSession::Load(Project& p, const DiscoveredEnv& env) {
  p.key = EnvKey(env);
  p.env = env;

  LintSettings settings;
  settings.base_dir = options_.display_base;
  std::string start = !env.config_path.empty()    ? env.config_path
                      : !env.version_dirs.empty() ? env.version_dirs.front()
                                                  : env.files.front();
  Result<std::optional<Config>> config = FindConfig(overlay_, start, BuiltinRules());
  if (!config.ok()) {
    Log(1,
        fmt::format("alembic-lint configuration: {} (using the defaults)", config.error().message));
  } else if (config->has_value()) {
    settings = (*config)->settings;
  }
  Result<std::vector<const Rule*>> rules = BuiltinRules().Select(settings);
  if (!rules.ok()) {
    Log(1,
        fmt::format("alembic-lint configuration: {} (using the defaults)", rules.error().message));
    settings = LintSettings{};
    settings.base_dir = options_.display_base;
    rules = BuiltinRules().Select(settings);
  }
  p.settings = std::move(settings);
  p.rules = rules.ok() ? *rules : std::vector<const Rule*>{};

  Discovery discovery;
  discovery.envs = {env};
  for (const std::string& f : env.files) {
    if (overlay_.Buffer(f)) discovery.targets.push_back(f);
  }
  LoadOptions load;
  load.display_base = options_.display_base;
  load.jobs = options_.jobs;
  load.target_mode = ParseMode::kFull;
  load.other_mode = ParseMode::kHeader;
  load.dialect = p.settings.dialect;  // the config's `dialect`, as for `check`
  load.dialect_origin = p.settings.dialect_origin;
  // No open document: every file is read for the graph only (LoadWorkspace would otherwise
  // take an empty target list to mean "report on everything").
  bool none_open = discovery.targets.empty();
  if (none_open) load.target_mode = ParseMode::kHeader;
  p.ws = LoadWorkspace(overlay_, discovery, load);
  if (none_open) {
    for (LoadedFile& f : p.ws.loaded) f.report_on = false;
  }
  for (const std::string& w : p.ws.warnings) Log(4, w);
  p.ids.clear();
  for (const SourceFile& f : p.ws.files) {
    // A broken environment's config file is loaded only to point a finding at: not Python.
    if (std::find(p.ws.broken_file.begin(), p.ws.broken_file.end(), f.id) != p.ws.broken_file.end())
      continue;
    p.ids[NormalizePath(f.path)] = f.id;
  }
  Relint(p);
}

void LintSession::Reload(size_t index) {
  Project& p = *projects_[index];
  std::vector<std::string> anchors;
  std::vector<std::string> open;
  for (const auto& [path, id] : p.ids) {
    if (overlay_.Buffer(path)) open.push_back(path);
  }
  anchors = open;
  for (const SourceFile& f : p.ws.files) anchors.push_back(NormalizePath(f.path));
  std::string anchor;
  for (const std::string& a : anchors) {
    if (!overlay_.IsFile(a)) continue;
    anchor = a;
    Result<Discovery> d = Discover(overlay_, {a});
    if (!d.ok()) break;
    for (DiscoveredEnv& env : d->envs) {
      NormalizeEnv(&env);
      if (EnvKey(env) == p.key) {
        Load(p, env);
        return;
      }
    }
    break;  // the environment changed its identity (config edited): start over below
  }
  Log(3, fmt::format("Alembic environment {} changed; reloading its documents", p.env.name));
  projects_.erase(projects_.begin() + static_cast<std::ptrdiff_t>(index));
  if (!anchor.empty() && std::find(open.begin(), open.end(), anchor) == open.end())
    open.push_back(anchor);
  for (const std::string& doc : open) {
    if (!ProjectOf(doc)) Attach(doc);
  }
}

void LintSession::UpdateFile(Project& p, FileId id) {
  // An open document is linted with every rule (full parse); a closed one feeds the graph.
  bool open = overlay_.Buffer(NormalizePath(p.ws.files[id].path)) != nullptr;
  p.ws.loaded[id].report_on = open;
  p.ws.ReloadFile(overlay_, id, open ? ParseMode::kFull : ParseMode::kHeader);
}

void LintSession::Relint(Project& p) {
  std::vector<Finding> findings = Lint(p.ws, BuiltinRules(), p.rules, p.settings, /*jobs=*/1);
  // `applied` and `min-severity` as `check` applies them; an `applied` naming no revision of
  // this environment is logged (once) and then ignored, as a broken config is.
  Result<std::vector<bool>> applied = AppliedFiles(p.ws, p.settings);
  std::string error = applied.ok() ? "" : applied.error().message;
  if (!error.empty() && error != p.applied_error)
    Log(1, fmt::format("alembic-lint configuration: {} (`applied` ignored)", error));
  p.applied_error = std::move(error);
  FilterReported(applied.ok() ? *applied : std::vector<bool>{}, BuiltinRules(), p.settings,
                 &findings);
  p.diagnostics.clear();
  for (const Finding& f : findings) {
    if (!f.span.valid() || f.span.file >= p.ws.files.size()) continue;
    p.diagnostics[NormalizePath(p.ws.files[f.span.file].path)].push_back(Convert(p.ws, f));
  }
}

void LintSession::Merge() {
  current_.clear();
  // A file in two environments (overlapping version locations) reports each diagnostic once.
  // Candidates are found by a hash of the span, rule and message (a linear search per
  // diagnostic was quadratic: 20,000 diagnostics in one file took seconds).
  std::map<std::string, std::unordered_map<size_t, std::vector<size_t>>> seen;
  for (const auto& p : projects_) {
    for (const auto& [path, diags] : p->diagnostics) {
      std::vector<Diagnostic>& out = current_[path];
      std::unordered_map<size_t, std::vector<size_t>>& index = seen[path];
      for (const Diagnostic& d : diags) {
        size_t key = std::hash<std::string>{}(d.message) ^ (std::hash<std::string>{}(d.rule) << 1) ^
                     (size_t{d.begin} << 32 | d.end);
        std::vector<size_t>& same = index[key];
        if (std::any_of(same.begin(), same.end(), [&](size_t i) { return out[i] == d; })) continue;
        same.push_back(out.size());
        out.push_back(d);
      }
    }
  }
}

void LintSession::Open(const std::string& path, std::string text) {
  overlay_.Set(path, std::move(text));
  bool known = false;
  for (auto& p : projects_) {
    auto it = p->ids.find(path);
    if (it == p->ids.end()) continue;
    known = true;
    UpdateFile(*p, it->second);
    Relint(*p);
  }
  if (!known) Attach(path);
  Merge();
}

void LintSession::Change(const std::string& path, std::string text) {
  overlay_.Set(path, std::move(text));
  for (auto& p : projects_) {
    auto it = p->ids.find(path);
    if (it == p->ids.end()) continue;
    UpdateFile(*p, it->second);
    Relint(*p);
  }
  Merge();
}

void LintSession::Close(const std::string& path) {
  overlay_.Erase(path);
  bool on_disk = overlay_.IsFile(path);
  for (size_t i = projects_.size(); i-- > 0;) {
    Project& p = *projects_[i];
    auto it = p.ids.find(path);
    if (it == p.ids.end()) continue;
    if (!on_disk) {
      Reload(i);  // an unsaved new file, or one deleted while open: the listing changed
      continue;
    }
    UpdateFile(p, it->second);
    Relint(p);
  }
  Merge();
}

void LintSession::Save(const std::string& path) {
  if (!ProjectOf(path) && overlay_.Buffer(path)) Attach(path);
  Merge();
}

void LintSession::DiskChanged(const std::string& path) {
  if (IsConfigFile(path)) {
    for (size_t i = projects_.size(); i-- > 0;) Reload(i);
    // Open documents that were outside any environment may be inside one now.
    for (const std::string& doc : overlay_.Paths()) {
      if (!ProjectOf(doc)) Attach(doc);
    }
  } else {
    bool on_disk = overlay_.base().IsFile(path);
    for (size_t i = projects_.size(); i-- > 0;) {
      Project& p = *projects_[i];
      auto it = p.ids.find(path);
      if (it != p.ids.end() && on_disk) {
        // Content changed: only matters when the editor is not showing its own buffer.
        if (!overlay_.Buffer(path)) {
          UpdateFile(p, it->second);
          Relint(p);
        }
        continue;
      }
      bool in_version_dir = it != p.ids.end();
      if (IsMigrationFileName(BaseName(path))) {
        for (const std::string& d : p.env.version_dirs) {
          in_version_dir =
              in_version_dir || DirName(path) == d || (p.env.recursive && IsUnder(path, d));
        }
      }
      if (in_version_dir) Reload(i);
    }
  }
  Merge();
}

std::vector<std::pair<std::string, std::vector<Diagnostic>>> LintSession::TakeChanged() {
  std::vector<std::pair<std::string, std::vector<Diagnostic>>> out;
  std::set<std::string> paths;
  for (const auto& [path, d] : current_) paths.insert(path);
  for (const auto& [path, d] : published_) paths.insert(path);
  for (const std::string& path : paths) {
    const std::vector<Diagnostic>& now = DiagnosticsOf(path);
    auto it = published_.find(path);
    const std::vector<Diagnostic>& before = it == published_.end() ? kNoDiagnostics : it->second;
    if (now != before) out.emplace_back(path, now);
  }
  published_.clear();
  for (const auto& [path, d] : current_) {
    if (!d.empty()) published_[path] = d;
  }
  return out;
}

std::vector<LogMessage> LintSession::TakeLog() {
  std::vector<LogMessage> out;
  out.swap(log_);
  return out;
}

}  // namespace alint::lsp
