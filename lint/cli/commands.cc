#include "lint/cli/commands.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>

#include "lint/config/config.h"
#include "lint/core/regex.h"
#include "lint/discover/discover.h"
#include "lint/engine/applied.h"
#include "lint/engine/linter.h"
#include "lint/git/pr_mode.h"
#include "lint/report/graph_render.h"
#include "lint/report/report.h"
#include "rules/registry.h"
#include "rules/rule_docs.h"

namespace alint {

namespace {

void Print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

}  // namespace

int Fail(const std::string& message) {
  std::fprintf(stderr, "alembic-lint: error: %s\n", message.c_str());
  return 2;
}

std::string Cwd() {
  std::error_code ec;
  auto p = std::filesystem::current_path(ec);
  return ec ? std::string() : p.string();
}

bool UseColor(const std::string& mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(fd) != 0;
}

namespace {

std::string Absolute(const std::string& p) {
  std::error_code ec;
  auto a = std::filesystem::absolute(p, ec);
  return ec ? p : a.lexically_normal().generic_string();
}

}  // namespace

std::vector<DeclaredEnv> DeclaredEnvs(const Config& c, const std::string& base) {
  std::vector<DeclaredEnv> out;
  auto resolve = [&](const std::string& p) {
    return p.empty() ? p : NormalizePath(JoinPath(base, p));
  };
  for (DeclaredEnv d : c.environments) {
    d.origin = c.path;
    d.script_location = resolve(d.script_location);
    for (std::string& v : d.version_dirs) v = resolve(v);
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

// Defaults, then the config file, then flags.
Result<LintSettings> ResolveSettings(const FileSource& fs, const CheckArgs& args,
                                     std::vector<DeclaredEnv>* declared) {
  LintSettings s;
  s.base_dir = Cwd();
  if (!args.config_file.empty()) {
    Result<Config> c = LoadConfigFile(fs, args.config_file, BuiltinRules());
    if (!c.ok()) return c.error();
    s = c->settings;
    s.base_dir = Absolute(DirName(args.config_file));
    *declared = DeclaredEnvs(*c, s.base_dir);
  } else if (!args.no_config) {
    Result<std::optional<Config>> c = FindConfig(fs, Absolute(args.paths.front()), BuiltinRules());
    if (!c.ok()) return c.error();
    if (c->has_value()) {
      s = (*c)->settings;
      *declared = DeclaredEnvs(**c, s.base_dir);
    }
  }
  if (!args.select.empty()) s.select = args.select;
  s.ignore.insert(s.ignore.end(), args.ignore.begin(), args.ignore.end());
  if (args.fail_on) s.fail_on = ParseSeverity(*args.fail_on);  // "never" -> nullopt
  if (!args.applied.empty()) {
    s.applied = args.applied;
    s.applied_origin = "--applied";
    for (DeclaredEnv& d : *declared) d.applied.clear();  // the flag names them for every env
  }
  if (args.min_severity) s.min_severity = ParseSeverity(*args.min_severity).value();
  if (args.pg_version) s.pg_version = *args.pg_version;
  if (args.assume_in_transaction) s.sql_files_in_transaction = true;
  if (args.dialect) {
    s.dialect = *args.dialect;
    s.dialect_origin = "--dialect";
  }
  // Rule options with a flag of their own (multiple-heads, handmade-revision-id).
  if (args.expected_heads) s.options["expected-heads"].number = *args.expected_heads;
  if (args.revision_id_pattern) {
    Result<Regex> re = Regex::CompileUserPattern(*args.revision_id_pattern);
    if (!re.ok()) {
      return Error{fmt::format("--revision-id-pattern is not a valid regular expression: {}",
                               re.error().message)};
    }
    RuleOptionValue& v = s.options["revision-id-pattern"];
    v.text = *args.revision_id_pattern;
    v.regex = std::make_shared<const Regex>(std::move(re).value());
  }
  return s;
}

}  // namespace

Result<CheckRun> LintFor(const FileSource& fs, const CheckArgs& args, const StreamSetup& stream) {
  CheckRun run;
  // PR mode: git's answer (which files changed) is worked out beside the config, discovery and
  // the first read of every file, and waited for only when the load needs it.
  std::shared_future<Result<SinceScope>> since_scope;
  if (!args.since.empty()) {
    since_scope = std::async(std::launch::async, [ref = args.since, anchor = args.paths.front()] {
                    return ResolveSince(ref, anchor);
                  }).share();
  }
  std::vector<DeclaredEnv> declared;
  Result<LintSettings> settings = ResolveSettings(fs, args, &declared);
  if (!settings.ok()) return settings.error();
  run.settings = std::move(*settings);
  // Environments declared in the config replace the search for alembic.ini files.
  Result<Discovery> discovery =
      declared.empty() ? Discover(fs, args.paths) : DiscoverDeclared(fs, args.paths, declared);
  if (!discovery.ok()) return discovery.error();
  const RuleSet& known = BuiltinRules();
  Result<std::vector<const Rule*>> rules = known.Select(run.settings);
  if (!rules.ok()) return rules.error();

  LoadOptions load;
  load.jobs = args.jobs;
  load.display_base = Cwd();
  // Only rules that read bodies (and parse-error) need the full parse of the reported files.
  load.target_mode = TargetParseMode(*rules);
  // File rules run as each file is parsed, and its bodies are dropped right away (memory).
  load.stream_rules = *rules;
  load.stream_settings = &run.settings;
  load.spill_findings = static_cast<bool>(stream);
  load.dialect = run.settings.dialect;
  load.dialect_origin = run.settings.dialect_origin;
  // PR mode: every file is first read for its header while git works out which changed; only
  // those are then parsed fully and linted; the graph rules still see every migration.
  if (since_scope.valid()) {
    load.filter_after_read = true;
    load.report_filter = [since_scope](const std::string& path) {
      const Result<SinceScope>& scope = since_scope.get();
      return scope.ok() && scope->Changed(path);
    };
  }
  // The base trees' listings need only git's answer and the version directories: listed on
  // their own thread while the load reads.
  std::future<BaseTrees> base_trees;
  if (since_scope.valid()) {
    std::vector<VersionDirs> dirs;
    for (const DiscoveredEnv& env : discovery->envs)
      dirs.push_back({env.version_dirs, env.recursive});
    base_trees = std::async(std::launch::async, [since_scope, dirs = std::move(dirs)] {
      const Result<SinceScope>& scope = since_scope.get();
      return scope.ok() ? ListBaseTrees(*scope, dirs) : BaseTrees{};
    });
  }
  run.ws = LoadWorkspace(fs, *discovery, load);
  if (!run.ws.load_error.empty()) return Error{run.ws.load_error};
  if (since_scope.valid()) {
    const Result<SinceScope>& scope = since_scope.get();
    if (!scope.ok()) return scope.error();
    run.since = std::make_shared<SinceScope>(*scope);
  }
  if (run.since) {
    const BaseTrees listed = base_trees.get();
    Status pr = LoadSinceBases(&run.ws, *run.since, &listed);
    if (!pr.ok()) return Error{pr.message()};
  }
  // `applied`: what production already ran; checked before any rule runs.
  Result<std::vector<bool>> applied = AppliedFiles(run.ws, run.settings);
  if (!applied.ok()) return applied.error();
  run.applied = std::move(*applied);
  if (stream) {
    LintStreamOut out = stream(run);
    // Below --min-severity: not shown in any format, so not counted for the exit status either.
    out.filter = [&](std::vector<Finding>& v) {
      FilterReported(run.applied, known, run.settings, &v);
    };
    Status done = LintStream(run.ws, known, *rules, run.settings, args.jobs, out);
    if (!done.ok()) return Error{done.message()};
    return run;
  }
  run.findings = LintOnce(run.ws, known, *rules, run.settings, args.jobs);
  // Below --min-severity: not shown in any format, so not counted for the exit status either.
  FilterReported(run.applied, known, run.settings, &run.findings);
  return run;
}

int RunCheck(const CheckArgs& args) {
  DiskFileSource fs;
  const RuleSet& known = BuiltinRules();
  std::string format = args.format;
  if (format.empty()) {
    const char* gha = std::getenv("GITHUB_ACTIONS");
    format = gha && std::string_view(gha) == "true" && !args.statistics ? "github" : "text";
  }
  if (args.statistics && format != "text") {
    return Fail(
        fmt::format("--statistics prints a text table; it cannot be combined with "
                    "--format {}",
                    format));
  }
  // Reports are written as they are produced (ReportSink), to stdout or the output file, and
  // while the findings are worked out (LintStream): a file's findings are read back from
  // where the load set them aside, written, and dropped, so a long history's findings are
  // never all in memory.
  std::ofstream file_out;
  if (!args.output_file.empty()) {
    file_out.open(args.output_file, std::ios::binary);
    if (!file_out) return Fail(fmt::format("{}: cannot write the report", args.output_file));
  }
  ReportSink sink([&](std::string_view chunk) {
    if (args.output_file.empty()) {
      return std::fwrite(chunk.data(), 1, chunk.size(), stdout) == chunk.size();
    }
    file_out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    return static_cast<bool>(file_out);
  });
  ReportOptions ro;
  ro.color = args.output_file.empty() && UseColor(args.color, STDOUT_FILENO);
  ro.chain_rule = [&known](std::string_view rule) {
    const Rule* r = known.Find(rule);
    return r != nullptr && r->info().category == "graph";
  };
  ro.statistics_only = args.statistics;
  ro.quiet = args.quiet;
  std::unique_ptr<ReportWriter> writer;
  bool fails = false;
  std::optional<Severity> fail_on;
  auto setup = [&](const CheckRun& run) {
    for (const std::string& w : run.ws.warnings)
      std::fprintf(stderr, "alembic-lint: warning: %s\n", w.c_str());
    fail_on = run.settings.fail_on;
    const std::span<const SourceFile> files = run.ws.files;
    if (format == "json") {
      writer = MakeJsonWriter(files, sink);
    } else if (format == "sarif") {
      std::string cwd = Cwd();
      writer = MakeSarifWriter(files, cwd.empty() ? "" : FileUri(cwd + "/"), known, sink);
    } else if (format != "concise" && format != "github") {
      writer = MakeTextWriter(files, ro, sink);
    }
    LintStreamOut out;
    out.head = [&](std::vector<Finding>& head) {
      if (writer) writer->Head(head);
    };
    // The writers read the files' paths and texts: done before LintFor hands the run back.
    out.done = [&] {
      if (writer) writer->Finish();
    };
    out.group = [&, files](std::vector<Finding>& group) {
      for (const Finding& f : group) fails = fails || FailsAt(f, fail_on);
      if (writer) {
        writer->Add(group);
      } else if (format == "concise") {
        WriteConcise(group, files, sink);
      } else {
        WriteGithub(group, files, sink);
      }
    };
    return out;
  };
  Result<CheckRun> run = LintFor(fs, args, setup);
  if (!run.ok()) return Fail(run.error().message);
  if (!sink.Finish() && !args.output_file.empty()) {
    return Fail(fmt::format("{}: cannot write the report", args.output_file));
  }
  return fails ? 1 : 0;
}

std::string RuleIndexMarkdown() {
  std::string out = "| Rule | Category | Default | What it catches |\n| --- | --- | --- | --- |\n";
  for (const Rule* r : AllRules()) {
    const RuleInfo& i = r->info();
    const RuleDoc* doc = FindRuleDoc(i.name);
    std::string name =
        doc ? fmt::format("[`{}`]({})", i.name, doc->path) : fmt::format("`{}`", i.name);
    out += fmt::format("| {} | {} | {} | {} |\n", name, i.category,
                       SeverityName(i.default_severity), i.summary);
  }
  return out;
}

int RunRules(const std::string& format) {
  if (format == "markdown") {
    Print(RuleIndexMarkdown());
    return 0;
  }
  if (format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const Rule* r : AllRules()) {
      const RuleInfo& i = r->info();
      arr.push_back({{"name", i.name},
                     {"category", i.category},
                     {"default_severity", SeverityName(i.default_severity)},
                     {"summary", i.summary}});
    }
    Print(DumpJson(arr));
    return 0;
  }
  size_t w = 0;
  for (const Rule* r : AllRules()) w = std::max(w, r->info().name.size());
  std::string_view category;
  for (const Rule* r : AllRules()) {
    const RuleInfo& i = r->info();
    if (i.category != category) {
      category = i.category;
      Print(
          fmt::format("{}{}:\n", category == AllRules()[0]->info().category ? "" : "\n", category));
    }
    Print(fmt::format("  {:<{}}  {:<7}  {}\n", i.name, w, SeverityName(i.default_severity),
                      i.summary));
  }
  return 0;
}

int RunExplain(const std::string& rule) {
  if (const RuleDoc* doc = FindRuleDoc(rule)) {
    Print(std::string(doc->markdown));
    if (!doc->markdown.empty() && doc->markdown.back() != '\n') Print("\n");
    return 0;
  }
  std::string hint;
  for (const Rule* r : AllRules()) {
    std::string_view n = r->info().name;
    if (n.find(rule) != std::string_view::npos || rule.find(n) != std::string::npos) {
      hint += fmt::format("{}{}", hint.empty() ? " (did you mean: " : ", ", n);
    }
  }
  if (!hint.empty()) hint += ")";
  return Fail(fmt::format("unknown rule `{}`{}; `alembic-lint rules` lists them", rule, hint));
}

}  // namespace alint

namespace alint {

// The environments under `path` for the header-only commands (heads, graph): those declared
// in an alembic-lint config count here too; else discovered as Alembic finds them.
Result<Discovery> DiscoverFromConfig(const FileSource& fs, const std::string& path) {
  Result<std::optional<Config>> config = FindConfig(fs, Absolute(path), BuiltinRules());
  if (!config.ok()) return config.error();
  if (!config->has_value()) return Discover(fs, {path});
  std::vector<DeclaredEnv> declared = DeclaredEnvs(**config, (*config)->settings.base_dir);
  return declared.empty() ? Discover(fs, {path}) : DiscoverDeclared(fs, {path}, declared);
}

int RunGraph(const GraphArgs& args) {
  DiskFileSource fs;
  Result<Discovery> discovery = DiscoverFromConfig(fs, args.path);
  if (!discovery.ok()) return Fail(discovery.error().message);
  std::optional<SinceScope> since;
  if (!args.since.empty()) {
    Result<SinceScope> scope = ResolveSince(args.since, args.path);
    if (!scope.ok()) return Fail(scope.error().message);
    since = std::move(*scope);
  }
  LoadOptions load;
  load.target_mode = ParseMode::kHeader;  // the chain needs headers only
  load.other_mode = ParseMode::kHeader;
  load.display_base = Cwd();
  Workspace ws = LoadWorkspace(fs, *discovery, load);
  for (const std::string& w : ws.warnings)
    std::fprintf(stderr, "alembic-lint: warning: %s\n", w.c_str());
  std::vector<GraphSection> sections;
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    GraphSection s;
    s.name = ws.envs[e].name;
    s.graph = ws.graphs[e].get();
    if (since) {
      for (const GraphNode& n : s.graph->nodes()) {
        if (n.file < ws.files.size() && since->Changed(ws.files[n.file].path))
          s.focus.insert(n.index);
      }
      if (s.focus.empty()) continue;  // the change does not touch this environment
    }
    sections.push_back(std::move(s));
  }
  if (sections.empty()) {
    std::fprintf(stderr, "alembic-lint: %s\n",
                 since ? "no migration changed since the given revision: nothing to draw"
                       : "no Alembic environment found");
    return since ? 0 : 2;
  }
  const std::string out = RenderGraph(
      sections, ws.files, args.format == "dot" ? GraphFormat::kDot : GraphFormat::kMermaid);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int RunHeads(const HeadsArgs& args) {
  DiskFileSource fs;
  Result<Discovery> discovery = DiscoverFromConfig(fs, args.path);
  if (!discovery.ok()) return Fail(discovery.error().message);
  LoadOptions load;
  load.target_mode = ParseMode::kHeader;  // the chain needs headers only
  load.other_mode = ParseMode::kHeader;
  load.display_base = Cwd();
  Workspace ws = LoadWorkspace(fs, *discovery, load);
  // What discovery noticed (history in subdirectories not loaded, a missing location): on
  // stderr, so the output stays `alembic heads`'s.
  for (const std::string& w : ws.warnings)
    std::fprintf(stderr, "alembic-lint: warning: %s\n", w.c_str());

  bool failed = false;
  nlohmann::ordered_json envs = nlohmann::ordered_json::array();
  std::string text;
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    const RevisionGraph& g = *ws.graphs[e];
    const auto& error = g.alembic_error();
    // Values only running the files can give are our limit, not Alembic's: heads prints what
    // it knows and a warning. A file that could not be read at all stays a failure.
    const bool our_limit =
        error.has_value() && error->kind == "not-static" &&
        std::none_of(g.skipped().begin(), g.skipped().end(), [](const SkippedMigration& s) {
          return s.reason.rfind("the file was not read", 0) == 0;
        });
    failed = failed || (error.has_value() && !our_limit);
    if (args.format == "json") {
      auto sorted = [&](std::span<const uint32_t> nodes) {
        std::vector<std::string> ids = g.Ids(nodes);
        std::sort(ids.begin(), ids.end());
        return ids;
      };
      nlohmann::ordered_json env;
      env["name"] = ws.envs[e].name;
      env["version_dirs"] = ws.envs[e].version_dirs;
      env["recursive"] = ws.envs[e].recursive;
      env["heads"] = sorted(g.heads());
      // The order `alembic heads` prints them in (files loaded in name order; an id declared
      // twice may appear twice, as in Alembic).
      env["alembic_heads"] = g.Ids(g.heads());
      env["real_heads"] = sorted(g.real_heads());
      env["bases"] = sorted(g.bases());
      if (error) {
        env["error"] = {
            {"kind", error->kind}, {"exception", error->exception}, {"message", error->Describe()}};
      } else if (!g.Duplicates().empty()) {
        // Alembic only warns about a duplicate id, then keeps whichever file it listed last.
        env["error"] = {
            {"kind", "duplicate"},
            {"exception", nullptr},
            {"message", g.alembic_warnings().empty() ? "" : g.alembic_warnings().front()}};
      } else {
        env["error"] = nullptr;
      }
      envs.push_back(std::move(env));
      continue;
    }
    const bool several = ws.envs.size() + ws.broken.size() > 1;
    if (several) text += fmt::format("{}# {}\n", e ? "\n" : "", ws.envs[e].name);
    if (our_limit) {
      // Our own limit, not Alembic's: say so, and show what is known.
      std::fprintf(stderr,
                   "alembic-lint: warning: %s: the heads cannot be decided statically (%s); "
                   "the list below may be incomplete\n",
                   ws.envs[e].name.c_str(), error->message.c_str());
    } else if (error) {
      std::fprintf(stderr,
                   "alembic-lint: error: %s: Alembic would fail to load this environment: %s\n",
                   ws.envs[e].name.c_str(), error->Describe().c_str());
      continue;
    }
    // Alembic warns about a duplicate and keeps one file; one line per duplicated id, naming
    // at most kMaxRelatedLocations files (one id copied 1,000 times stays one short line).
    for (const auto& dup : g.Duplicates()) {
      std::string files;
      for (size_t i = 0; i < dup.size() && i < kMaxRelatedLocations; ++i) {
        const GraphNode& node = g.node(dup[i]);
        files += fmt::format(
            "{}{}", files.empty() ? "" : ", ",
            node.file < ws.files.size() ? ws.files[node.file].display_path : std::string("?"));
      }
      if (dup.size() > kMaxRelatedLocations)
        files += fmt::format(" and {} more", dup.size() - kMaxRelatedLocations);
      std::fprintf(stderr,
                   "alembic-lint: warning: %s: revision %s is declared by %s; Alembic keeps the "
                   "file it lists last (file-system order), so these heads depend on load order "
                   "(shown: files loaded in name order)\n",
                   ws.envs[e].name.c_str(), g.node(dup.front()).id.c_str(), files.c_str());
    }
    // Same format as `alembic heads`: id, (labels), (head) or (effective head).
    for (uint32_t h : g.heads()) {
      const GraphNode& n = g.node(h);
      std::string line = n.id;
      // Alembic shows the labels a head inherits from its branch (its ancestors'), sorted
      // here because Alembic's own order is a set's.
      std::vector<std::string> labels = g.LineageLabels(h);
      if (!labels.empty()) line += " (" + fmt::format("{}", fmt::join(labels, ", ")) + ")";
      line += n.is_real_head ? " (head)" : " (effective head)";
      text += line + "\n";
    }
  }
  // Environments the config declares that could not be resolved: named, and the others still
  // printed.
  for (size_t b = 0; b < ws.broken.size(); ++b) {
    const BrokenEnv& broken = ws.broken[b];
    failed = true;
    if (args.format == "json") {
      nlohmann::ordered_json env;
      env["name"] = broken.name;
      env["version_dirs"] = nlohmann::ordered_json::array();
      env["recursive"] = false;
      env["heads"] = nlohmann::ordered_json::array();
      env["alembic_heads"] = nlohmann::ordered_json::array();
      env["real_heads"] = nlohmann::ordered_json::array();
      env["bases"] = nlohmann::ordered_json::array();
      env["error"] = {{"kind", "config"}, {"exception", nullptr}, {"message", broken.message}};
      envs.push_back(std::move(env));
      continue;
    }
    text += fmt::format("{}# {}\n(not loaded: see the error above)\n", text.empty() ? "" : "\n",
                        broken.name);
    std::fprintf(stderr, "alembic-lint: error: could not load environment %s: %s\n",
                 broken.name.c_str(), broken.message.c_str());
  }
  if (args.format == "json") {
    nlohmann::ordered_json root;
    root["version"] = 1;
    root["environments"] = std::move(envs);
    Print(DumpJson(root));
  } else {
    Print(text);
  }
  return failed ? 1 : 0;
}

}  // namespace alint
