// End to end on an in-memory repository: discovery, header and full loads, every rule, every
// report format, the lock summary, as `check`, `heads` and `locks` run them.
//
// Input: files separated by lines "=== PATH\n" (PATH relative to the repository /r); text before
// the first such line is /r/migrations/versions/a1_first.py. /r/alembic.ini and
// /r/migrations/env.py exist unless the input gives its own.

#include "fuzz/fuzz_util.h"
#include "lint/cli/locks.h"
#include "lint/config/config.h"
#include "lint/engine/linter.h"
#include "lint/report/report.h"
#include "rules/registry.h"

namespace {

void AddFiles(alint::MemoryFileSource& fs, std::string_view input) {
  // A leading "=== PATH" line starts the first file (no default migration then).
  std::string text = input.starts_with("=== ") ? "\n" + std::string(input) : std::string(input);
  std::vector<std::string_view> parts = alint::fuzz::Split(text, "\n=== ");
  if (!parts.front().empty()) {
    fs.Add("/r/migrations/versions/a1_first.py", std::string(parts.front()));
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    size_t nl = p.find('\n');
    std::string path(p.substr(0, nl));
    std::string body(nl == std::string_view::npos ? std::string_view() : p.substr(nl + 1));
    // Keep every file inside /r: no absolute paths, no "..", no empty names.
    std::string norm = alint::NormalizePath(path);
    if (norm.empty() || norm == "." || norm.front() == '/' || norm.starts_with("..") ||
        norm.find('\0') != std::string::npos) {
      continue;
    }
    fs.Add("/r/" + norm, std::move(body));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alint;
  MemoryFileSource fs;
  std::string_view text = fuzz::AsText(data, size);
  if (text.find("=== alembic.ini\n") == std::string_view::npos) {
    fs.Add("/r/alembic.ini", "[alembic]\nscript_location = migrations\n");
  }
  fs.Add("/r/migrations/env.py", "from alembic import context\n");
  AddFiles(fs, text);

  LintSettings settings;
  Result<std::optional<Config>> config = FindConfig(fs, "/r", BuiltinRules());
  if (config.ok() && config->has_value()) settings = (*config)->settings;
  Result<Discovery> discovery = Discover(fs, {"/r"});
  if (!discovery.ok()) return 0;  // an error naming the file: what the CLI prints

  // `heads`: headers only.
  LoadOptions header_load;
  header_load.target_mode = ParseMode::kHeader;
  header_load.other_mode = ParseMode::kHeader;
  header_load.jobs = 1;
  Workspace heads = LoadWorkspace(fs, *discovery, header_load);
  for (const std::unique_ptr<RevisionGraph>& g : heads.graphs) {
    (void)g->Ids(g->heads());
    (void)g->Ids(g->bases());
  }

  // `check`: every rule (those off by default too), every format.
  LoadOptions load;
  load.jobs = 1;
  Workspace ws = LoadWorkspace(fs, *discovery, load);
  std::vector<const Rule*> rules(AllRules().begin(), AllRules().end());
  std::vector<Finding> findings = Lint(ws, BuiltinRules(), rules, settings, 1);
  for (const Finding& f : findings) {
    if (f.span.valid() &&
        (f.span.file >= ws.files.size() || f.span.end > ws.files[f.span.file].text.size() ||
         f.span.begin > f.span.end)) {
      fuzz::Fail("finding span outside its file: " + f.message);
    }
  }
  (void)FormatText(findings, ws.files, ReportOptions{});
  (void)FormatConcise(findings, ws.files);
  (void)FormatJson(findings, ws.files);
  (void)FormatSarif(findings, ws.files, "file:///r/", BuiltinRules());
  (void)FormatGithub(findings, ws.files);
  (void)CountSummary(findings);

  // `check`'s own load: file rules as each file is read, then the findings either kept as
  // objects or set aside in the spill (texts dropped and read again) and streamed one file at
  // a time. Both give the same findings in the same order, and the streamed text report is the
  // collected one's. The kept one parses again what the history's second pass lints, the
  // spilled one decodes the bodies it kept (lint/python/body_codec.h).
  auto stream_load = [&](bool spill) {
    LoadOptions o;
    o.jobs = 1;
    o.stream_rules = rules;
    o.stream_settings = &settings;
    o.spill_findings = spill;
    o.reparse_for_history = !spill;
    return LoadWorkspace(fs, *discovery, o);
  };
  Workspace kept = stream_load(false);
  std::vector<Finding> kept_findings = LintOnce(kept, BuiltinRules(), rules, settings, 1);
  Workspace spilled = stream_load(true);
  if (!spilled.load_error.empty())
    fuzz::Fail("a file changed between reads: " + spilled.load_error);
  std::vector<Finding> streamed;
  ReportSink text_sink;
  ReportOptions text_opts;
  text_opts.chain_rule = [](std::string_view rule) { return rule == "multiple-heads"; };
  std::unique_ptr<ReportWriter> writer = MakeTextWriter(spilled.files, text_opts, text_sink);
  LintStreamOut out;
  out.head = [&](std::vector<Finding>& head) { writer->Head(head); };
  out.group = [&](std::vector<Finding>& group) {
    writer->Add(group);
    std::move(group.begin(), group.end(), std::back_inserter(streamed));
  };
  if (!LintStream(spilled, BuiltinRules(), rules, settings, 1, out).ok()) {
    fuzz::Fail("the spilled findings could not be read back");
  }
  writer->Finish();
  if (streamed.size() != kept_findings.size()) fuzz::Fail("streamed: another number of findings");
  for (size_t i = 0; i < streamed.size(); ++i) {
    const Finding& a = streamed[i];
    const Finding& b = kept_findings[i];
    if (a.rule != b.rule || !(a.span == b.span) || a.message != b.message || a.help != b.help ||
        a.severity != b.severity || a.notes.size() != b.notes.size() ||
        a.related.size() != b.related.size() ||
        static_cast<bool>(a.fix) != static_cast<bool>(b.fix)) {
      fuzz::Fail("streamed finding differs: " + a.rule + " " + a.message + " / " + b.rule + " " +
                 b.message);
    }
  }
  if (text_sink.Take() != FormatText(kept_findings, kept.files, text_opts)) {
    fuzz::Fail("the streamed text report differs from the collected one");
  }

  // `locks`
  std::vector<MigrationLocks> locks;
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    for (FileId id : GraphOrder(ws, e)) {
      const Migration& m = ws.loaded[id].facts;
      MigrationAnalysis a = AnalyzeMigration(m, ws.files[id], AnalysisOptions{});
      locks.push_back(SummarizeLocks(m, ws.files[id], a));
    }
  }
  (void)FormatLocksText(locks, ws.files);
  (void)FormatLocksJson(locks, ws.files);
  return 0;
}
