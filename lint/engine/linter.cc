#include "lint/engine/linter.h"

#include <fnmatch.h>

#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <cassert>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "lint/core/parallel.h"
#include "lint/engine/engine_rules.h"
#include "lint/python/body_codec.h"
#include "lint/python/const_resolve.h"
#include "lint/python/file_checks.h"
#include "lint/schema/schema_codec.h"

namespace alint {

namespace {

std::string DisplayPath(const std::string& path, const std::string& base) {
  if (base.empty() || path.empty() || path[0] != '/') return path;
  std::string b = base.back() == '/' ? base : base + "/";
  if (path.compare(0, b.size(), b) == 0) return path.substr(b.size());
  return path;
}

// Reads one file into a SourceFile and extracts its facts. Never fails: read errors and
// oversized files become syntax problems that parse-error reports.
void LoadOne(const FileSource& fs, const std::string& path, FileId id, ParseMode mode,
             SourceFile* file, Migration* out) {
  long long size = -1;
  Result<std::string> r = fs.ReadUpTo(path, static_cast<long long>(kMaxFileBytes), &size);
  std::string problem;
  std::string text;
  const bool too_large = size > static_cast<long long>(kMaxFileBytes);
  if (too_large) {
    problem = FileTooLargeMessage(static_cast<uint64_t>(size));
  } else if (r.ok()) {
    text = std::move(r).value();
  } else {
    problem = r.error().message;
  }
  *file = SourceFile(id, path, std::move(text));
  if (problem.empty()) {
    *out = ExtractMigration(*file, mode);
  } else {
    *out = Migration{};
    SyntaxProblem p{Span{id, 0, 0}, problem, /*not_read=*/true};
    p.unreadable = !too_large;  // the read itself failed
    out->syntax_problems.push_back(std::move(p));
  }
  out->file = id;
}

// A .sql file given on the command line: no revision facts, only its SQL.
void LoadSqlOne(const FileSource& fs, const std::string& path, FileId id, SourceFile* file,
                Migration* out) {
  Result<std::string> r = fs.Read(path);
  *file = SourceFile(id, path, r.ok() ? std::move(r).value() : std::string());
  *out = MigrationFromSqlFile(*file);
  if (!r.ok()) out->syntax_problems.push_back({Span{id, 0, 0}, r.error().message, true});
}

// Where a migration's imported constants are looked for: its first environment's roots.
const std::vector<std::string>& PackageRootsOf(const Workspace& ws, FileId id) {
  for (const Environment& env : ws.envs) {
    if (std::find(env.files.begin(), env.files.end(), id) != env.files.end())
      return env.package_roots;
  }
  static const std::vector<std::string> kNone;
  return kNone;
}

// Loads file `id` of `ws` (slots already allocated; `roots`: its package roots): the one path
// for LoadWorkspace and Workspace::ReloadFile.
void LoadFile(const FileSource& fs, Workspace& ws, const std::string& path, FileId id,
              ParseMode mode, const std::vector<std::string>& roots) {
  if (ws.loaded[id].is_sql) {
    LoadSqlOne(fs, path, id, &ws.files[id], &ws.loaded[id].facts);
    return;
  }
  LoadOne(fs, path, id, mode, &ws.files[id], &ws.loaded[id].facts);
  ResolveImportedConstants(fs, roots, ws.files[id], &ws.loaded[id].facts);
}

}  // namespace

void Workspace::ReloadFile(const FileSource& fs, FileId id, ParseMode mode) {
  const std::string path = files[id].path;
  std::string display = files[id].display_path;
  LoadFile(fs, *this, path, id, mode, PackageRootsOf(*this, id));
  files[id].display_path = std::move(display);
  // Findings computed while loading are stale now: Lint runs the file rules again.
  loaded[id].findings.reset();
  for (size_t e = 0; e < envs.size(); ++e) {
    graphs[e] = std::make_unique<RevisionGraph>(EnvMigrations(e), &files);
  }
}

Migration MigrationFromSqlFile(const SourceFile& file) {
  Migration m;
  m.file = file.id;
  m.full = true;
  m.has_upgrade = true;
  auto size = static_cast<uint32_t>(file.text.size());
  SqlString s;
  s.text = file.text;
  s.span = Span{file.id, 0, size};
  s.segments.push_back(SqlSegment{0, 0, size, true, size});
  s.phase = Phase::kUpgrade;
  s.via = "sql file";
  m.sql.push_back(std::move(s));
  return m;
}

std::vector<const Migration*> Workspace::EnvMigrations(size_t i) const {
  std::vector<const Migration*> out;
  out.reserve(envs[i].files.size());
  for (FileId f : envs[i].files) out.push_back(&loaded[f].facts);
  return out;
}

namespace {

Severity SeverityOf(const Rule* r, const LintSettings& settings) {
  auto it = settings.severity.find(std::string(r->info().name));
  return it != settings.severity.end() ? it->second : r->info().default_severity;
}

// The environment whose env.py applies to each file (the first one listing it).
std::vector<const EnvFacts*> EnvFactsOfFiles(const Workspace& ws) {
  std::vector<const EnvFacts*> env_of(ws.loaded.size(), nullptr);
  for (size_t e = ws.envs.size(); e-- > 0;) {
    if (e >= ws.env_facts.size()) continue;
    for (FileId f : ws.envs[e].files) env_of[f] = &ws.env_facts[e];
  }
  return env_of;
}

// The environment each file is linted in (the first one listing it, as for EnvFactsOfFiles).
std::vector<const Environment*> EnvsOfFiles(const Workspace& ws) {
  std::vector<const Environment*> env_of(ws.loaded.size(), nullptr);
  for (size_t e = ws.envs.size(); e-- > 0;) {
    for (FileId f : ws.envs[e].files) env_of[f] = &ws.envs[e];
  }
  return env_of;
}

bool NeedsHistory(std::span<const Rule* const> rules) {
  return std::any_of(rules.begin(), rules.end(),
                     [](const Rule* r) { return r->NeedsBody() && IsPostgresOnlyRule(*r); });
}

// How a migration's statements are analysed: for `pg_version`, with env.py's settings when
// it was found.
AnalysisOptions AnalysisOptionsFor(int pg_version, const EnvFacts* env) {
  AnalysisOptions options;
  options.pg_version = pg_version;
  options.env = env != nullptr && env->found ? env : nullptr;
  return options;
}

// The replay's input for a migration whose statements are not known (read for its header
// only: not listed; or it does not parse), or nullopt when they are.
std::optional<SchemaInput> OpaqueInputOf(const Migration& m) {
  if (m.full && m.syntax_problems.empty()) return std::nullopt;
  return SchemaInput{true, m.full ? "it does not parse" : "", {}, {}};
}

// The schema input of a migration that is not linted but whose statements the replay needs.
SchemaInput SchemaInputOfFile(const Workspace& ws, FileId i, const LintSettings& settings,
                              const EnvFacts* env) {
  const Migration& m = ws.loaded[i].facts;
  if (std::optional<SchemaInput> opaque = OpaqueInputOf(m)) return std::move(*opaque);
  return SchemaInputOf(
      AnalyzeMigration(m, ws.files[i], AnalysisOptionsFor(settings.pg_version, env)), m);
}

// What the history can tell a linted file, filled by LintFile for the replay.
struct HistoryOut {
  SchemaInput input;
  HistoryQuestions questions;
  bool range = false;  ///< in: tables earlier checked migrations create count as new
};

// The file rules on one migration. `prior`: what earlier migrations established (null:
// nothing known). `history`, when set, receives the migration's input to the schema model's
// replay (opaque when its statements are not known) and the questions its findings ask.
std::vector<Finding> LintFile(const Workspace& ws, FileId i, std::span<const Rule* const> rules,
                              const LintSettings& settings, const EnvFacts* env,
                              const Environment* in_env, const PriorSchema* prior = nullptr,
                              HistoryOut* history = nullptr) {
  std::vector<Finding> out;
  const Migration& m = ws.loaded[i].facts;
  const bool needs_body =
      std::any_of(rules.begin(), rules.end(), [](const Rule* r) { return r->NeedsBody(); });
  // Computed once per migration and shared by every DDL rule.
  std::optional<MigrationAnalysis> analysis;
  if (needs_body && m.full) {
    AnalysisOptions options = AnalysisOptionsFor(settings.pg_version, env);
    options.sql_file_in_transaction = settings.sql_files_in_transaction;
    options.prior = prior;
    analysis = AnalyzeMigration(m, ws.files[i], options);
  }
  const bool postgres = in_env == nullptr || in_env->IsPostgres();
  for (const Rule* r : rules) {
    if (ws.loaded[i].is_sql && !r->NeedsBody()) continue;  // a .sql file has no revision facts
    if (!postgres && IsPostgresOnlyRule(*r)) continue;
    RuleContext ctx(r->info(), SeverityOf(r, settings), settings, ws.files, &out);
    ctx.set_env(env);
    if (r->NeedsBody()) {
      if (!analysis) continue;  // no body facts (header-only parse): nothing to judge
      ctx.set_analysis(&*analysis);
    }
    r->CheckMigration(m, ctx);
  }
  if (history != nullptr) {
    if (analysis && m.syntax_problems.empty()) {
      history->questions = QuestionsOf(*analysis, history->range);
      history->input = SchemaInputOf(std::move(*analysis), m);
    } else {
      history->input.opaque = true;
      if (!m.syntax_problems.empty()) history->input.opaque_reason = "it does not parse";
    }
  }
  out.shrink_to_fit();  // a streaming check holds every file's findings until the report
  return out;
}

// The schema model's replay over each PostgreSQL environment's graph: the PriorSchema of
// every file `wanted` holds, from `inputs` (by FileId; consumed; a file without one is
// opaque). A migration's tables count as new when `in_range` holds for its creator's file.
std::vector<Boxed<PriorSchema>> ReplayPriors(const Workspace& ws, std::vector<std::string>& inputs,
                                             const std::vector<Boxed<HistoryQuestions>>& asks,
                                             const std::function<bool(FileId)>& in_range) {
  std::vector<bool> wanted(asks.size());
  for (size_t i = 0; i < asks.size(); ++i) wanted[i] = static_cast<bool>(asks[i]);
  std::vector<Boxed<PriorSchema>> priors(ws.loaded.size());
  for (size_t e = 0; e < ws.envs.size() && e < ws.graphs.size(); ++e) {
    if (!ws.envs[e].IsPostgres()) continue;
    const RevisionGraph& g = *ws.graphs[e];
    if (!std::any_of(ws.envs[e].files.begin(), ws.envs[e].files.end(),
                     [&](FileId f) { return f < wanted.size() && wanted[f]; })) {
      continue;
    }
    auto revision_of = [&](SchemaStamp n) {
      return n < g.nodes().size() ? g.node(n).id : std::string();
    };
    auto range = [&](SchemaStamp n) {
      return n < g.nodes().size() && g.node(n).file < ws.loaded.size() && in_range(g.node(n).file);
    };
    ReplaySchema(
        g, {},
        [&](uint32_t n) {
          const FileId f = g.node(n).file;
          SchemaInput in{true, "", {}, {}};
          if (f >= inputs.size() || inputs[f].empty()) return in;
          const bool read = DecodeSchemaInput(inputs[f], &in);
          assert(read && "a schema input this run encoded");
          (void)read;
          std::string().swap(inputs[f]);
          return in;
        },
        [&](uint32_t n, const Schema& before, const SchemaInput&) {
          const FileId f = g.node(n).file;
          if (f < wanted.size() && wanted[f] && !priors[f]) {
            // Nothing it asks is known: the findings without history stand.
            const bool answered = AnsweredBy(before, *asks[f], range);
            assert(answered == Answers(PriorFor(before, *asks[f], revision_of, range), *asks[f]));
            if (answered) priors[f] = PriorFor(before, *asks[f], revision_of, range);
          }
        });
  }
  return priors;
}

}  // namespace

namespace {

// A streaming load's findings of file `i`: set aside in the spill when the run has one (a
// finding about another file, or none, is kept with the workspace's strays).
void KeepFindings(Workspace& ws, FileId i, std::vector<Finding> findings, std::mutex& stray_mu) {
  LoadedFile& lf = ws.loaded[i];
  if (!ws.spill) {
    lf.findings = std::move(findings);
    return;
  }
  auto elsewhere = [&](const Finding& f) { return !f.span.valid() || f.span.file != i; };
  if (std::any_of(findings.begin(), findings.end(), elsewhere)) {
    std::lock_guard<std::mutex> lock(stray_mu);
    for (const Finding& f : findings) {
      if (elsewhere(f)) ws.stray.emplace_back(i, f);
    }
    std::erase_if(findings, elsewhere);
  }
  ws.spill->Put(i, findings);
  lf.findings.reset();
  lf.spilled = true;
}

// At most this much of bodies kept for the second pass (about 1.4 KiB a migration that asks
// the history, ~5 MiB at 10,000 revisions): past it, the second pass parses again instead.
constexpr size_t kKeptBodyBudget = size_t{16} << 20;

// Keeps `lf`'s body facts for the history's second pass, encoded, while the budget lasts.
void KeepBody(LoadedFile& lf, std::string_view text, std::atomic<size_t>& kept_bytes) {
  EncodeBody(lf.facts, text, &lf.kept_body);
  lf.kept_body.shrink_to_fit();
  if (kept_bytes.fetch_add(lf.kept_body.size()) + lf.kept_body.size() > kKeptBodyBudget) {
    kept_bytes.fetch_sub(lf.kept_body.size());
    std::string().swap(lf.kept_body);
  }
}

// Reads again file `i`, whose text a spilled load released (`released`: its size and hash
// then), into ws.files (its display path kept). False, and nothing read, when it is not the
// file the load read first (edited, gone).
bool ReadReleased(const FileSource& fs, Workspace& ws, const std::string& path, FileId i,
                  const std::pair<size_t, size_t>& released) {
  long long size = -1;
  Result<std::string> r = ws.loaded[i].is_sql
                              ? fs.Read(path)
                              : fs.ReadUpTo(path, static_cast<long long>(kMaxFileBytes), &size);
  if (!r.ok() || r->size() != released.first ||
      std::hash<std::string_view>()(*r) != released.second) {
    return false;
  }
  std::string display = std::move(ws.files[i].display_path);
  ws.files[i] = SourceFile(i, path, std::move(r).value());
  ws.files[i].display_path = std::move(display);
  return true;
}

enum class Restored : uint8_t { kYes, kNotKept, kChanged };

// The body kept for file `i` put back (LoadedFile::kept_body), with its text: read again when
// the first pass released it (`released`: its size and hash then). kNotKept: the file is to
// be read and parsed again instead; kChanged: it is not the file the first pass read.
Restored RestoreBody(const FileSource& fs, Workspace& ws, const std::string& path, FileId i,
                     const std::vector<std::pair<size_t, size_t>>& released) {
  std::string kept;
  kept.swap(ws.loaded[i].kept_body);
  if (kept.empty()) return Restored::kNotKept;
  if (ws.files[i].text.empty() && i < released.size() && released[i].first != 0 &&
      !ReadReleased(fs, ws, path, i, released[i])) {
    return Restored::kChanged;
  }
  return DecodeBody(kept, ws.files[i].text, &ws.loaded[i].facts) ? Restored::kYes
                                                                 : Restored::kNotKept;
}

// Streaming load, second pass: the files whose findings depend on earlier migrations are
// linted again with what the schema model's replay says held before them; every other file's
// findings stand. Their bodies are dropped afterwards, as the first pass drops the others'.
void RefineWithHistory(const FileSource& fs, Workspace& ws, const LoadOptions& opts,
                       const std::vector<std::string>& paths,
                       const std::vector<const std::vector<std::string>*>& roots_of,
                       const std::vector<std::pair<size_t, size_t>>& released,
                       std::mutex& stray_mu) {
  std::vector<std::string> inputs(ws.loaded.size());
  std::vector<Boxed<HistoryQuestions>> asks(ws.loaded.size());
  bool any = false;
  for (size_t i = 0; i < ws.loaded.size(); ++i) {
    inputs[i] = std::move(ws.loaded[i].schema_input);
    ws.loaded[i].schema_input.clear();
    asks[i] = std::move(ws.loaded[i].questions);
    ws.loaded[i].questions.reset();
    any = any || asks[i];
  }
  if (!any) return;
  auto in_range = [&](FileId f) { return ws.changes_only && ws.loaded[f].report_on; };
  std::vector<Boxed<PriorSchema>> priors = ReplayPriors(ws, inputs, asks, in_range);
  inputs.clear();
  for (size_t i = 0; i < ws.loaded.size(); ++i) {  // the history answers it nothing: not needed
    if (!priors[i]) std::string().swap(ws.loaded[i].kept_body);
  }

  std::vector<const EnvFacts*> env_of = EnvFactsOfFiles(ws);
  std::vector<const Environment*> envs_of = EnvsOfFiles(ws);
  // The files whose questions the history answers are linted again with it, from their kept
  // bodies (or parsed again, past the budget); the others' findings stand.
  ParallelFor(ws.loaded.size(), opts.jobs, [&](size_t i) {
    if (!priors[i]) return;
    LoadedFile& lf = ws.loaded[i];
    const Restored restored = RestoreBody(fs, ws, paths[i], static_cast<FileId>(i), released);
    // Its findings without the history stand; its text, still released, is read again at the
    // end of the load, which finds the change and stops the run.
    if (restored == Restored::kChanged) return;
    if (restored == Restored::kNotKept) {
      const std::string display = ws.files[i].display_path;
      LoadFile(fs, ws, paths[i], static_cast<FileId>(i), ParseMode::kFull, *roots_of[i]);
      ws.files[i].display_path = display;
    }
    if (ws.spill) {
      // Its findings without the history: replaced, strays included.
      std::lock_guard<std::mutex> lock(stray_mu);
      std::erase_if(ws.stray, [&](const auto& s) { return s.first == i; });
    }
    KeepFindings(ws, static_cast<FileId>(i),
                 LintFile(ws, static_cast<FileId>(i), opts.stream_rules, *opts.stream_settings,
                          env_of[i], envs_of[i], &*priors[i]),
                 stray_mu);
    std::vector<OpCall>().swap(lf.facts.ops);
    std::vector<SqlString>().swap(lf.facts.sql);
    std::vector<DynamicSql>().swap(lf.facts.dynamic_sql);
  });
}

}  // namespace

Workspace LoadWorkspace(const FileSource& fs, const Discovery& discovery, const LoadOptions& opts) {
  Workspace ws;
  ws.warnings = discovery.warnings;
  std::set<std::string> targets(discovery.targets.begin(), discovery.targets.end());
  std::map<std::string, FileId> ids;  // a file shared by two envs is loaded once
  std::vector<std::string> paths;
  std::vector<std::string> sql_paths;
  for (const DiscoveredEnv& d : discovery.envs) {
    sql_paths.insert(sql_paths.end(), d.sql_files.begin(), d.sql_files.end());
    // Discovery's pseudo-environment that only carries .sql files has no revision graph.
    if (d.name.empty() && d.files.empty() && !d.sql_files.empty()) continue;
    Environment env;
    static_cast<EnvSpec&>(env) = d;
    for (const std::string& p : d.files) {
      auto [it, inserted] = ids.emplace(p, static_cast<FileId>(paths.size()));
      if (inserted) paths.push_back(p);
      env.files.push_back(it->second);
    }
    ws.envs.push_back(std::move(env));
  }
  size_t first_sql = paths.size();
  for (const std::string& p : sql_paths) {
    if (ids.emplace(p, static_cast<FileId>(paths.size())).second) paths.push_back(p);
  }
  size_t n = paths.size();
  ws.files.resize(n);
  ws.loaded.resize(n);
  const bool filter_later = opts.filter_after_read && opts.report_filter;
  for (size_t i = 0; i < n; ++i) {
    bool wanted = targets.empty() || targets.count(paths[i]) > 0;
    if (wanted && opts.report_filter && !filter_later) wanted = opts.report_filter(paths[i]);
    ws.loaded[i].report_on = wanted;
    ws.loaded[i].is_sql = i >= first_sql;
  }
  ws.env_facts.resize(ws.envs.size());
  if (opts.target_mode == ParseMode::kFull || opts.other_mode == ParseMode::kFull) {
    for (size_t e = 0; e < ws.envs.size(); ++e) {
      const std::string& loc = ws.envs[e].script_location;
      if (loc.empty()) continue;
      const std::string path = JoinPath(loc, "env.py");
      if (!fs.IsFile(path)) continue;
      Result<std::string> text = fs.Read(path);
      if (!text.ok()) continue;  // unreadable env.py: its settings stay unknown (none)
      ws.env_facts[e] = ReadEnvFacts(SourceFile(kNoFile, path, std::move(text).value()));
      // The template `alembic revision` writes new migrations from: a project whose template
      // has no downgrade() is forward-only by design.
      const std::string mako = JoinPath(loc, "script.py.mako");
      if (fs.IsFile(mako)) {
        long long too_large = -1;
        if (Result<std::string> t = fs.ReadUpTo(mako, 1 << 20, &too_large); t.ok() && too_large < 0)
          ws.env_facts[e].template_downgrade = TemplateDowngradeShape(*t);
      }
    }
    size_t e = 0;
    for (const DiscoveredEnv& d : discovery.envs) {
      if (d.name.empty() && d.files.empty() && !d.sql_files.empty()) continue;
      Environment& env = ws.envs[e];
      DecideDialect(env, d, ws.env_facts[e], opts.dialect, opts.dialect_origin);
      ++e;
      if (env.IsPostgres()) continue;
      ws.warnings.push_back(fmt::format(
          "{}: runs on {} ({}): the lock and SQL rules model PostgreSQL only and are not run on "
          "it; the revision-chain, structure and data-loss rules are",
          env.name, env.dialect, env.dialect_origin));
    }
  }
  const bool streaming = opts.stream_settings != nullptr;
  // The schema model's history (lint/schema) refines the lock rules' findings.
  const bool with_history = streaming && NeedsHistory(opts.stream_rules);
  // Only some files are checked (PR mode, files named): tables earlier ones create are new.
  // A change on top of the history: PR mode, or files named (by pre-commit) in a one-shot run.
  const bool range_mode = static_cast<bool>(opts.report_filter) || (streaming && !targets.empty());
  std::vector<const EnvFacts*> env_of;
  std::vector<const Environment*> envs_of;
  if (streaming) {
    env_of = EnvFactsOfFiles(ws);
    envs_of = EnvsOfFiles(ws);
  }
  // Where each migration's imported constants are looked for: its (first) environment's roots.
  static const std::vector<std::string> kNoRoots;
  std::vector<const std::vector<std::string>*> roots_of(n, &kNoRoots);
  for (size_t e = ws.envs.size(); e-- > 0;) {
    for (FileId f : ws.envs[e].files) roots_of[f] = &ws.envs[e].package_roots;
  }
  std::mutex stray_mu;                // ws.stray, from the loading threads
  std::atomic<size_t> kept_bytes{0};  // LoadedFile::kept_body, summed
  // spill_findings: the size and hash of each text set aside during the load (size 0: kept).
  std::vector<std::pair<size_t, size_t>> released(opts.spill_findings ? n : 0);
  if (streaming && opts.spill_findings) ws.spill = std::make_unique<FindingSpill>(n);
  if (filter_later) {
    // Every file at other_mode while the filter's answer is being worked out; then only the
    // files it reports on are read again (below), so the wait overlaps the bulk of the reads.
    ParallelFor(n, opts.jobs, [&](size_t i) {
      LoadFile(fs, ws, paths[i], static_cast<FileId>(i), opts.other_mode, *roots_of[i]);
    });
    for (size_t i = 0; i < n; ++i) {
      if (ws.loaded[i].report_on) ws.loaded[i].report_on = opts.report_filter(paths[i]);
    }
  }
  ParallelFor(n, opts.jobs, [&](size_t i) {
    ParseMode mode = ws.loaded[i].report_on ? opts.target_mode : opts.other_mode;
    if (!filter_later || (ws.loaded[i].report_on && mode != opts.other_mode))
      LoadFile(fs, ws, paths[i], static_cast<FileId>(i), mode, *roots_of[i]);
    ws.files[i].display_path = DisplayPath(paths[i], opts.display_base);
    if (streaming) {
      LoadedFile& lf = ws.loaded[i];
      const bool postgres = envs_of[i] == nullptr || envs_of[i]->IsPostgres();
      const bool history = with_history && !lf.is_sql && postgres;
      HistoryOut out;
      out.range = range_mode;
      if (lf.report_on) {
        KeepFindings(ws, static_cast<FileId>(i),
                     LintFile(ws, static_cast<FileId>(i), opts.stream_rules, *opts.stream_settings,
                              env_of[i], envs_of[i], nullptr, history ? &out : nullptr),
                     stray_mu);
        if (history && !out.input.opaque && !out.questions.empty()) {
          lf.questions = std::move(out.questions);
          if (!opts.reparse_for_history) KeepBody(lf, ws.files[i].text, kept_bytes);
        }
      } else if (history) {
        out.input = SchemaInputOfFile(ws, static_cast<FileId>(i), *opts.stream_settings, env_of[i]);
      }
      if (history) {
        EncodeSchemaInput(out.input, &lf.schema_input);
        lf.schema_input.shrink_to_fit();
      }
      // The bodies are done with; headers and suppressions stay for the graph and the filters.
      Migration& m = ws.loaded[i].facts;
      std::vector<OpCall>().swap(m.ops);
      std::vector<SqlString>().swap(m.sql);
      std::vector<DynamicSql>().swap(m.dynamic_sql);
      // And a linted file's text, until the end of the load (below): read again rather than
      // held through the history's replay. Only the linted files': a pre-commit or PR run
      // keeps the texts of those it reads for their headers, as before.
      if (opts.spill_findings && lf.report_on && !ws.files[i].text.empty()) {
        SourceFile& f = ws.files[i];
        released[i] = {f.text.size(), std::hash<std::string_view>()(f.text)};
        std::string().swap(f.text);
        f.lines = LineIndex(std::string_view());
      }
    }
  });
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    ws.graphs.push_back(std::make_unique<RevisionGraph>(ws.EnvMigrations(e), &ws.files));
  }
  {
    // Unless every migration is reported on (all of them named): then it is the whole history.
    size_t reported = 0, migrations = 0;
    for (const LoadedFile& f : ws.loaded) {
      migrations += f.is_sql ? 0 : 1;
      reported += f.report_on && !f.is_sql ? 1 : 0;
    }
    ws.changes_only = range_mode && reported < migrations;
  }
  if (with_history) RefineWithHistory(fs, ws, opts, paths, roots_of, released, stray_mu);
  if (!released.empty()) {
    // The texts the report quotes, read again now that the replay's memory is free; the
    // findings point into them, so a file that changed meanwhile stops the run.
    std::vector<std::string> changed(n);
    ParallelFor(n, opts.jobs, [&](size_t i) {
      if (released[i].first == 0 || !ws.files[i].text.empty()) return;
      if (!ReadReleased(fs, ws, paths[i], static_cast<FileId>(i), released[i]))
        changed[i] = paths[i];
    });
    for (const std::string& c : changed) {
      if (!c.empty() && ws.load_error.empty()) {
        ws.load_error =
            fmt::format("{}: changed while alembic-lint was checking it; run the check again", c);
      }
    }
  }
  // The config files of environments that could not be resolved: loaded (not as migrations)
  // so their `environment-error` finding can point at the line.
  std::map<std::string, FileId> config_ids;
  for (const BrokenEnv& b : discovery.broken) {
    ws.broken.push_back(b);
    FileId id = kNoFile;
    if (auto it = config_ids.find(b.config_path); it != config_ids.end()) {
      id = it->second;
    } else if (Result<std::string> text = fs.Read(b.config_path); text.ok()) {
      id = static_cast<FileId>(ws.files.size());
      ws.files.emplace_back(id, b.config_path, std::move(text).value());
      ws.files.back().display_path = DisplayPath(b.config_path, opts.display_base);
      ws.loaded.emplace_back();
      ws.loaded.back().facts.file = id;
      config_ids[b.config_path] = id;
    }
    ws.broken_file.push_back(id);
  }
  return ws;
}

void DecideDialect(Environment& env, const DiscoveredEnv& discovered, const EnvFacts& env_py,
                   const std::string& run_dialect, const std::string& run_origin) {
  auto set = [&](const std::string& dialect, const std::string& origin) {
    env.dialect = dialect;
    env.dialect_origin = origin;
  };
  if (!run_dialect.empty() && run_origin == "--dialect") return set(run_dialect, run_origin);
  if (discovered.dialect_declared) {
    return set(discovered.stated_dialect, discovered.stated_dialect_origin);
  }
  if (!run_dialect.empty()) return set(run_dialect, run_origin);
  if (!env_py.url_dialect.empty()) {
    return set(env_py.url_dialect, fmt::format("{}:{}", env_py.path, env_py.url_line));
  }
  if (!env_py.replaces_url && !discovered.stated_dialect.empty()) {
    return set(discovered.stated_dialect, discovered.stated_dialect_origin);
  }
  set("", "");
}

ParseMode TargetParseMode(std::span<const Rule* const> rules) {
  for (const Rule* r : rules) {
    if (r->NeedsBody() || r == &ParseErrorRule()) return ParseMode::kFull;
  }
  return ParseMode::kHeader;
}

bool IsPostgresOnlyRule(const Rule& rule) {
  return rule.info().category == "ddl" || rule.info().category == "sql";
}

namespace {

bool Enabled(std::span<const Rule* const> rules, const Rule& rule) {
  return std::find(rules.begin(), rules.end(), &rule) != rules.end();
}

// Suppression comments: which findings they hide, and (unused-suppression) the ones that hid
// nothing, the malformed ones and the ones naming a rule `known` does not have. Per file, so a
// streaming report settles each file's suppressions when it writes that file.
class Suppressor {
 public:
  Suppressor(const Workspace& ws, const RuleSet& known, std::span<const Rule* const> rules)
      : ws_(ws), known_(known), unused_rule_(UnusedSuppressionRule()) {
    for (const Rule* r : rules) enabled_.insert(std::string(r->info().name));
    report_unused_ = Enabled(rules, unused_rule_);
  }

  // True when a suppression hides `f` (and records which ones did).
  bool Suppressed(const Finding& f) {
    if (!f.span.valid() || f.span.file >= ws_.loaded.size()) return false;
    const Migration& m = ws_.loaded[f.span.file].facts;
    if (m.suppressions.empty()) return false;
    uint32_t line = ws_.files[f.span.file].Locate(f.span.begin).line;
    bool hit = false;
    for (size_t s = 0; s < m.suppressions.size(); ++s) {
      const Suppression& sup = m.suppressions[s];
      if (!sup.malformed.empty()) continue;
      bool applies = sup.file_level || sup.line == line || (sup.own_line && sup.line + 1 == line);
      if (!applies) continue;
      for (size_t r = 0; r < sup.rules.size(); ++r) {
        if (sup.rules[r].value == f.rule) {
          used_.insert({f.span.file, s, r});
          hit = true;
        }
      }
    }
    return hit;
  }

  // The unused-suppression findings of file `id`, once every finding on it went through
  // Suppressed().
  void Unused(FileId id, std::vector<Finding>* extra) const {
    if (!report_unused_ || id >= ws_.loaded.size() || !ws_.loaded[id].report_on) return;
    Severity sev = unused_rule_.info().default_severity;
    const Migration& m = ws_.loaded[id].facts;
    for (size_t s = 0; s < m.suppressions.size(); ++s) {
      const Suppression& sup = m.suppressions[s];
      auto add = [&](Span span, std::string msg, std::string help) {
        Finding f;
        f.rule = std::string(unused_rule_.info().name);
        f.severity = sev;
        f.span = span;
        f.message = std::move(msg);
        f.help = std::move(help);
        extra->push_back(std::move(f));
      };
      if (!sup.malformed.empty()) {
        add(sup.span, fmt::format("malformed suppression comment: {}", sup.malformed),
            "write `# alembic-lint: ignore[rule-name] reason` (or `ignore-file[rule-name]`)");
        continue;
      }
      for (size_t r = 0; r < sup.rules.size(); ++r) {
        const StringItem& rule = sup.rules[r];
        if (!known_.Find(rule.value)) {
          add(rule.span, fmt::format("suppression names an unknown rule `{}`", rule.value),
              "see `alembic-lint rules` for the rule names");
        } else if (enabled_.count(rule.value) && !used_.count({id, s, r})) {
          add(rule.span, fmt::format("unused suppression: no `{}` finding here", rule.value),
              "remove it, so it cannot hide a future finding");
        }
      }
    }
  }

 private:
  const Workspace& ws_;
  const RuleSet& known_;
  const Rule& unused_rule_;
  std::set<std::string> enabled_;
  bool report_unused_ = false;
  std::set<std::tuple<FileId, size_t, size_t>> used_;
};

// Path of `file` relative to the settings' base directory, for per-file-ignores globs.
std::string ConfigRelativePath(const std::string& file, const std::string& base) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(file, ec);
  if (ec) return file;
  std::filesystem::path rel = base.empty() ? abs.relative_path() : abs.lexically_relative(base);
  return rel.generic_string();
}

bool IgnoredByPath(const LintSettings& s, const std::string& rel, const Finding& f) {
  std::string base = BaseName(rel);
  for (const auto& [glob, rules] : s.per_file_ignores) {
    bool path_match =
        fnmatch(glob.c_str(), rel.c_str(), 0) == 0 ||
        (glob.find('/') == std::string::npos && fnmatch(glob.c_str(), base.c_str(), 0) == 0);
    if (!path_match) continue;
    for (const std::string& r : rules) {
      if (r == "ALL" || r == f.rule) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<Boxed<PriorSchema>> HistoryPriors(const Workspace& ws, int pg_version,
                                              const std::vector<bool>& wanted, unsigned jobs) {
  std::vector<bool> want(ws.loaded.size(), false);
  bool any = false;
  for (size_t i = 0; i < ws.loaded.size() && i < wanted.size(); ++i) {
    want[i] = wanted[i] && !ws.loaded[i].is_sql && ws.loaded[i].facts.full;
    any = any || want[i];
  }
  if (!any) return std::vector<Boxed<PriorSchema>>(ws.loaded.size());
  std::vector<const EnvFacts*> env_of = EnvFactsOfFiles(ws);
  std::vector<const Environment*> envs_of = EnvsOfFiles(ws);
  std::vector<std::string> inputs(ws.loaded.size());
  std::vector<Boxed<HistoryQuestions>> asks(ws.loaded.size());
  ParallelFor(ws.loaded.size(), jobs, [&](size_t i) {
    if (ws.loaded[i].is_sql || (envs_of[i] != nullptr && !envs_of[i]->IsPostgres())) return;
    const Migration& m = ws.loaded[i].facts;
    if (std::optional<SchemaInput> opaque = OpaqueInputOf(m)) {
      EncodeSchemaInput(*opaque, &inputs[i]);
      return;
    }
    MigrationAnalysis a =
        AnalyzeMigration(m, ws.files[i], AnalysisOptionsFor(pg_version, env_of[i]));
    if (want[i]) {
      HistoryQuestions q = QuestionsOf(a, ws.changes_only);
      if (!q.empty()) asks[i] = std::move(q);
    }
    EncodeSchemaInput(SchemaInputOf(std::move(a), m), &inputs[i]);
  });
  return ReplayPriors(ws, inputs, asks,
                      [&](FileId f) { return ws.changes_only && ws.loaded[f].report_on; });
}

namespace {

// The report's order: by (path, offset, rule, message), views rather than copies.
struct FindingOrder {
  const Workspace& ws;
  auto Key(const Finding& f) const {
    const std::string_view path =
        f.span.valid() ? std::string_view(ws.files[f.span.file].display_path) : std::string_view();
    return std::make_tuple(path, f.span.begin, std::string_view(f.rule),
                           std::string_view(f.message));
  }
  bool operator()(const Finding& a, const Finding& b) const { return Key(a) < Key(b); }
  // Sorts `v` and drops the findings produced twice (two environments sharing a file).
  void SortUnique(std::vector<Finding>& v) const {
    std::sort(v.begin(), v.end(), *this);
    v.erase(std::unique(v.begin(), v.end(),
                        [&](const Finding& a, const Finding& b) {
                          return Key(a) == Key(b) && a.span == b.span;
                        }),
            v.end());
  }
};

// `consume`: &ws.loaded when the findings computed while loading may be moved out (and
// `ws.spill`'s taken).
Status LintImpl(const Workspace& ws, std::vector<LoadedFile>* consume, const RuleSet& known,
                std::span<const Rule* const> rules, const LintSettings& settings, unsigned jobs,
                const LintStreamOut& out) {
  std::vector<const EnvFacts*> env_of = EnvFactsOfFiles(ws);
  std::vector<const Environment*> envs_of = EnvsOfFiles(ws);
  const size_t n = ws.loaded.size();
  auto computed = [&](size_t i) { return ws.loaded[i].findings || ws.loaded[i].spilled; };
  // What earlier migrations established, for the files linted now (a streaming load has
  // done this already for the files it linted). Only fully read migrations are replayed; a
  // header-only one makes the model start over after it.
  std::vector<Boxed<PriorSchema>> priors;
  if (NeedsHistory(rules)) {
    std::vector<bool> wanted(n, false);
    for (size_t i = 0; i < n; ++i) wanted[i] = ws.loaded[i].report_on && !computed(i);
    priors = HistoryPriors(ws, settings.pg_version, wanted, jobs);
  }
  // File rules: the findings computed while loading (taken from the spill when the report
  // reaches the file), else run now.
  std::vector<std::vector<Finding>> per_file(n);
  ParallelFor(n, jobs, [&](size_t i) {
    const LoadedFile& file = ws.loaded[i];
    if (!file.report_on || file.spilled) return;
    if (file.findings && consume != nullptr) {
      per_file[i] = std::move(*(*consume)[i].findings);
      (*consume)[i].findings.reset();
    } else if (file.findings) {
      per_file[i] = *file.findings;
    } else {
      const PriorSchema* prior = i < priors.size() && priors[i] ? &*priors[i] : nullptr;
      per_file[i] =
          LintFile(ws, static_cast<FileId>(i), rules, settings, env_of[i], envs_of[i], prior);
    }
  });
  // The findings not made by file rules: the graph rules' and the environment errors.
  std::vector<Finding> global;
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    std::vector<const Migration*> ms = ws.EnvMigrations(e);
    GraphView view{ws.envs[e], ms, *ws.graphs[e]};
    for (const Rule* r : rules) {
      RuleContext ctx(r->info(), SeverityOf(r, settings), settings, ws.files, &global);
      r->CheckGraph(view, ctx);
    }
  }
  if (const Rule& env_rule = EnvironmentErrorRule(); Enabled(rules, env_rule)) {
    for (size_t b = 0; b < ws.broken.size(); ++b) {
      const BrokenEnv& broken = ws.broken[b];
      Finding f;
      f.rule = std::string(env_rule.info().name);
      f.severity = SeverityOf(&env_rule, settings);
      FileId id = ws.broken_file[b];
      if (id != kNoFile) {
        const SourceFile& file = ws.files[id];
        uint32_t line = broken.line > 0 ? static_cast<uint32_t>(broken.line) : 1;
        uint32_t begin = file.lines.LineStart(line);
        uint32_t end = begin;
        while (end < file.text.size() && file.text[end] != '\n' && file.text[end] != '\r') ++end;
        f.span = Span{id, begin, end};
      }
      // The message without its "path:line: " prefix (the span carries the location).
      std::string msg = broken.message;
      std::string prefix = broken.line > 0 ? fmt::format("{}:{}: ", broken.config_path, broken.line)
                                           : broken.config_path + ": ";
      if (id != kNoFile && msg.rfind(prefix, 0) == 0) msg = msg.substr(prefix.size());
      f.message = fmt::format("environment {} is not linted: {}", broken.name, msg);
      f.help =
          "fix the configuration, or declare the environment's directories in "
          "[[tool.alembic-lint.environments]] when alembic-lint cannot find them statically";
      global.push_back(std::move(f));
    }
  }
  // A file rule's finding about another file (or none) joins the global ones, so that it is
  // reported where its location sorts.
  for (size_t i = 0; i < n; ++i) {
    for (Finding& f : per_file[i]) {
      if (!f.span.valid() || f.span.file != i) global.push_back(std::move(f));
    }
    std::erase_if(per_file[i],
                  [&](const Finding& f) { return !f.span.valid() || f.span.file != i; });
  }
  for (const auto& [producer, f] : ws.stray) global.push_back(f);

  std::vector<std::string> rel;
  if (!settings.per_file_ignores.empty()) {
    rel.resize(ws.files.size());
    for (size_t i = 0; i < ws.files.size(); ++i)
      rel[i] = ConfigRelativePath(ws.files[i].path, settings.base_dir);
  }
  auto ignore = [&](std::vector<Finding>& v) {
    if (rel.empty()) return;
    std::erase_if(v, [&](const Finding& f) {
      return f.span.valid() && f.span.file < rel.size() &&
             IgnoredByPath(settings, rel[f.span.file], f);
    });
  };
  Suppressor suppressor(ws, known, rules);
  const FindingOrder order{ws};
  ignore(global);
  std::erase_if(global, [&](const Finding& f) { return suppressor.Suppressed(f); });
  order.SortUnique(global);
  if (out.head) {
    std::vector<Finding> head = global;
    if (out.filter) out.filter(head);
    out.head(head);
  }

  // The files in the report's order; files sharing a display path are one group.
  std::vector<FileId> files(ws.files.size());
  for (size_t i = 0; i < files.size(); ++i) files[i] = static_cast<FileId>(i);
  std::stable_sort(files.begin(), files.end(), [&](FileId a, FileId b) {
    return ws.files[a].display_path < ws.files[b].display_path;
  });
  // The global findings by group: those without a file first (their path sorts first).
  size_t g = 0;
  auto emit = [&](std::vector<Finding>& group) {
    MergeSameStatement(group, known);
    if (out.filter) out.filter(group);
    if (!group.empty()) out.group(group);
  };
  {
    std::vector<Finding> group;
    while (g < global.size() && !global[g].span.valid()) group.push_back(std::move(global[g++]));
    emit(group);
  }
  for (size_t k = 0; k < files.size();) {
    size_t end = k + 1;
    while (end < files.size() &&
           ws.files[files[end]].display_path == ws.files[files[k]].display_path) {
      ++end;
    }
    std::vector<Finding> group;
    for (size_t x = k; x < end; ++x) {
      const FileId id = files[x];
      std::vector<Finding> mine;
      if (id < n && ws.loaded[id].spilled && ws.spill) {
        Result<std::vector<Finding>> taken = ws.spill->Take(id);
        if (!taken.ok())
          return Error{fmt::format("{}: {}", ws.files[id].display_path, taken.error().message)};
        mine = std::move(taken).value();
      } else if (id < n) {
        mine = std::move(per_file[id]);
        std::vector<Finding>().swap(per_file[id]);
      }
      ignore(mine);
      std::erase_if(mine, [&](const Finding& f) { return suppressor.Suppressed(f); });
      std::move(mine.begin(), mine.end(), std::back_inserter(group));
    }
    // The global findings of these files: the sorted list is in path order too.
    while (g < global.size() &&
           ws.files[global[g].span.file].display_path == ws.files[files[k]].display_path) {
      group.push_back(std::move(global[g++]));
    }
    for (size_t x = k; x < end; ++x) suppressor.Unused(files[x], &group);
    order.SortUnique(group);
    emit(group);
    k = end;
  }
  if (out.done) out.done();
  return Status::Ok();
}

Status LintCollect(const Workspace& ws, std::vector<LoadedFile>* consume, const RuleSet& known,
                   std::span<const Rule* const> rules, const LintSettings& settings, unsigned jobs,
                   std::vector<Finding>* all) {
  LintStreamOut out;
  out.group = [&](std::vector<Finding>& group) {
    if (all->empty()) {
      *all = std::move(group);
    } else {
      std::move(group.begin(), group.end(), std::back_inserter(*all));
    }
  };
  return LintImpl(ws, consume, known, rules, settings, jobs, out);
}

// How a merged finding chooses its headline among reasons of equal severity: a rule about
// the statement itself says more about it than the transaction-wide ones.
int TransactionWide(std::string_view rule) {
  return rule == "missing-lock-timeout" || rule == "exclusive-lock-held" ? 1 : 0;
}

}  // namespace

void MergeSameStatement(std::vector<Finding>& findings, const RuleSet& known) {
  auto mergeable = [&](const Finding& f) {
    if (!f.span.valid()) return false;
    const Rule* r = known.Find(f.rule);
    return r != nullptr && (r->info().category == "ddl" || r->info().category == "data");
  };
  // Compacted in place (w <= i): a second vector of every finding was the peak of a large
  // check.
  size_t w = 0;
  for (size_t i = 0; i < findings.size();) {
    size_t j = i + 1;
    if (mergeable(findings[i])) {
      while (j < findings.size() && findings[j].span.file == findings[i].span.file &&
             findings[j].span.begin == findings[i].span.begin && mergeable(findings[j])) {
        ++j;
      }
    }
    if (j == i + 1) {
      if (w != i) findings[w] = std::move(findings[i]);
      ++w;
      i = j;
      continue;
    }
    // The headline: most severe, then the statement's own rule, then the sorted order.
    size_t head = i;
    for (size_t k = i + 1; k < j; ++k) {
      const Finding& a = findings[k];
      const Finding& b = findings[head];
      if (a.severity > b.severity ||
          (a.severity == b.severity && TransactionWide(a.rule) < TransactionWide(b.rule))) {
        head = k;
      }
    }
    Finding merged = std::move(findings[head]);
    std::vector<std::string> helps;
    if (merged.help) helps.push_back(*merged.help);
    for (size_t k = i; k < j; ++k) {
      if (k == head) continue;
      Finding& other = findings[k];
      merged.notes.push_back({other.rule, other.severity, std::move(other.message)});
      if (other.help && std::find(helps.begin(), helps.end(), *other.help) == helps.end()) {
        if (!merged.help) {
          merged.help = *other.help;
        } else {
          *merged.help += fmt::format("\nand for {}: {}", other.rule, *other.help);
        }
        helps.push_back(*other.help);
      }
      for (Related& r : other.related) {
        bool dup = false;
        for (const Related& have : merged.related)
          dup = dup || (have.span == r.span && have.message == r.message);
        if (!dup) merged.related.push_back(std::move(r));
      }
      if (!merged.fix && other.fix) {
        merged.fix = std::move(other.fix);
        if (merged.fix->rule.empty()) merged.fix->rule = other.rule;
      }
    }
    findings[w++] = std::move(merged);
    i = j;
  }
  findings.resize(w);
}

std::vector<Finding> Lint(const Workspace& ws, const RuleSet& known,
                          std::span<const Rule* const> rules, const LintSettings& settings,
                          unsigned jobs) {
  std::vector<Finding> all;
  // Without a spill nothing can fail.
  (void)LintCollect(ws, nullptr, known, rules, settings, jobs, &all);
  return all;
}

std::vector<Finding> LintOnce(Workspace& ws, const RuleSet& known,
                              std::span<const Rule* const> rules, const LintSettings& settings,
                              unsigned jobs) {
  std::vector<Finding> all;
  (void)LintCollect(ws, &ws.loaded, known, rules, settings, jobs, &all);
  return all;
}

Status LintStream(Workspace& ws, const RuleSet& known, std::span<const Rule* const> rules,
                  const LintSettings& settings, unsigned jobs, const LintStreamOut& out) {
  return LintImpl(ws, &ws.loaded, known, rules, settings, jobs, out);
}

bool FailsAt(const Finding& f, const std::optional<Severity>& fail_on) {
  return fail_on.has_value() && f.severity >= *fail_on;
}

}  // namespace alint
