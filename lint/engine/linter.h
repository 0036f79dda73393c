#pragma once
/// The engine: loads the files of the discovered environments, extracts their facts in
/// parallel, builds one revision graph per environment, runs the enabled rules, filters
/// suppressed findings and sorts the rest.

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lint/analysis/migration_analysis.h"
#include "lint/core/file_source.h"
#include "lint/core/finding.h"
#include "lint/core/result.h"
#include "lint/discover/discover.h"
#include "lint/engine/finding_spill.h"
#include "lint/engine/rule.h"
#include "lint/engine/rule_set.h"
#include "lint/engine/settings.h"
#include "lint/engine/workspace.h"
#include "lint/graph/revision_graph.h"
#include "lint/python/extract.h"
#include "lint/schema/schema_model.h"

namespace alint {

/// One loaded file of a run: its facts and how the run treats it. Its text is the SourceFile
/// with the same FileId in Workspace::files (findings, graphs, rules and reporters address
/// text by FileId, so the texts stay one table).
struct LoadedFile {
  Migration facts;
  bool report_on = false;  ///< file-level findings wanted (a target; in PR mode, changed)
  /// A `.sql` file named on the command line: `facts` hold the whole text as one upgrade
  /// SqlString; only rules that NeedsBody() run on it.
  bool is_sql = false;
  /// The file rules' findings, when LoadWorkspace ran them as it loaded the file
  /// (LoadOptions::stream_rules; Lint then uses them); nullopt when they have not run.
  std::optional<std::vector<Finding>> findings;
  /// Or they were set aside in Workspace::spill (LoadOptions::spill_findings).
  bool spilled = false;
  /// While a streaming load runs: the file's upgrade statements for the schema model's replay
  /// (consumed by it), and what its findings would ask the history (set when they may change
  /// with it: the file is read and linted again if the replayed schema answers).
  /// (schema_input: encoded, lint/schema/schema_codec.h; empty when there is none)
  std::string schema_input;
  Boxed<HistoryQuestions> questions;
  /// With `questions`: the file's body facts, encoded (lint/python/body_codec.h), so the
  /// second pass puts them back instead of parsing the file again.
  std::string kept_body;
};

/// Everything one run works on. Owns its files; a FileId indexes `files` (the texts) and
/// `loaded` (everything else about each file). Movable, not copyable.
struct Workspace {
  std::vector<SourceFile> files;
  std::vector<LoadedFile> loaded;  ///< by FileId, as files
  std::vector<Environment> envs;
  std::vector<std::unique_ptr<RevisionGraph>> graphs;  ///< parallel to envs
  /// Parallel to envs: what `<script_location>/env.py` sets (found=false when there is no
  /// script_location or no env.py). Read when any file is fully parsed.
  std::vector<EnvFacts> env_facts;
  std::vector<std::string> warnings;  ///< discovery notes to show the user
  /// Environments the config declares that could not be resolved (Discovery::broken), each
  /// reported as an `environment-error` finding on `broken_file` (a config file loaded into
  /// `files`, not a migration; kNoFile when it could not be read).
  std::vector<BrokenEnv> broken;
  std::vector<FileId> broken_file;  ///< parallel to broken
  /// The reported files are a change on top of the history (PR mode, or migration files named
  /// on the command line), not all of it: a table an earlier reported migration creates is
  /// not deployed yet, so the lock rules take it as new (set by LoadWorkspace).
  bool changes_only = false;
  /// LoadOptions::spill_findings: where the file rules' findings wait for the report, and the
  /// few of them that are about another file than the one linted (or about none), with the
  /// file whose rules made them.
  std::unique_ptr<FindingSpill> spill;
  std::vector<std::pair<FileId, Finding>> stray;
  /// Set when the load cannot stand (spill_findings: a file changed between two reads of it);
  /// the run stops with this message.
  std::string load_error;

  Workspace() = default;
  Workspace(Workspace&&) = default;
  Workspace& operator=(Workspace&&) = default;
  /// The migrations of env `i`, in discovery order.
  std::vector<const Migration*> EnvMigrations(size_t i) const;

  /// Re-reads file `id` from `fs` and re-extracts its facts at `mode` exactly as LoadWorkspace
  /// loads a file (the size limit, read errors as parse-error problems, imported constants
  /// from its first environment's package roots), keeps its display path and report_on, and
  /// rebuilds the revision graphs (they point at the facts). Findings the load computed for it
  /// are dropped (Lint runs its file rules again). The CLI's loader and the language server's
  /// edits share this path.
  void ReloadFile(const FileSource& fs, FileId id, ParseMode mode);
};

struct LoadOptions {
  /// Parse depth for the files findings are reported on, and for the rest of each
  /// environment (graph facts only, by default: the pre-commit case reads a few files fully).
  ParseMode target_mode = ParseMode::kFull;
  ParseMode other_mode = ParseMode::kHeader;
  unsigned jobs = 0;  ///< 0: one per hardware thread
  /// Paths are shown relative to this directory when they are below it ("" = as discovered).
  std::string display_base;
  /// When set, each file's file rules run right after it is parsed and its body facts (op
  /// calls, SQL strings: most of a full parse's memory) are dropped, so a full check of a
  /// large repository holds one file's bodies per thread rather than all of them. The graph
  /// needs header facts only. Findings go to LoadedFile::findings.
  std::span<const Rule* const> stream_rules;
  const LintSettings* stream_settings = nullptr;
  /// The run-wide dialect (LintSettings::dialect) and its origin; "" = decide per environment.
  std::string dialect;
  std::string dialect_origin;
  /// When set, a file is reported on only if this also holds for its path (PR mode: changed
  /// since the base ref). Decided before the files are parsed at `target_mode` (see
  /// filter_after_read), so the other files are parsed at `other_mode` only and no file rule
  /// runs on them.
  std::function<bool(const std::string& path)> report_filter;
  /// The filter's answer is not ready yet (PR mode: git runs beside the load): every file is
  /// first read at `other_mode`, then `report_filter` is asked (it may wait), then the files
  /// it reports on are read again at `target_mode`. Without this, it is asked before any read.
  bool filter_after_read = false;
  /// With stream_rules: each file's findings are encoded into Workspace::spill (a temporary
  /// file) rather than kept as objects, for a report written as it goes (LintStream), so a
  /// long history's findings are not all in memory at once. The files' texts are dropped too
  /// once a file is linted, and read again at the end of the load (after the history's
  /// replay); a file that changed in between sets Workspace::load_error.
  bool spill_findings = false;
  /// The history's second pass parses the files it lints again, instead of decoding the
  /// bodies the first pass kept (LoadedFile::kept_body): the reference the tests and the e2e
  /// fuzz target compare the kept bodies with. Slower; the findings are the same.
  bool reparse_for_history = false;
};

/// The facts of a `.sql` file, so every DDL rule runs on it unchanged: `sql` holds one
/// SqlString with the whole text (segments map it 1:1 onto the file), phase upgrade, inside a
/// transaction, `via` = "sql file"; `full` is true.
Migration MigrationFromSqlFile(const SourceFile& file);

Workspace LoadWorkspace(const FileSource& fs, const Discovery& discovery, const LoadOptions& opts);

/// How deeply the files a run reports on must be parsed for `rules`: fully when a rule reads
/// bodies (NeedsBody) or parse-error is on (it reports every syntax problem), else the header.
ParseMode TargetParseMode(std::span<const Rule* const> rules);

/// The dialect of an environment, from the most specific statement: `--dialect`, then a
/// `dialect` declared for the environment in alembic-lint's config, then the config's
/// top-level `dialect`, then a literal URL in env.py (create_engine / set_main_option), then a
/// literal `sqlalchemy.url` in alembic.ini unless env.py replaces the URL at run time. Sets
/// `env.dialect` and `env.dialect_origin` ("" when nothing says: PostgreSQL is assumed).
void DecideDialect(Environment& env, const DiscoveredEnv& discovered, const EnvFacts& env_py,
                   const std::string& run_dialect, const std::string& run_origin);

/// True for the rules that model PostgreSQL (categories "ddl" and "sql": locks, rewrites,
/// SQL parsing); they run only on PostgreSQL environments.
bool IsPostgresOnlyRule(const Rule& rule);

/// What earlier migrations established (the schema model's replay of every fully read
/// migration of each PostgreSQL environment) for each file `wanted` holds; null where the
/// history answers nothing the file's statements ask (they are judged as without it).
std::vector<Boxed<PriorSchema>> HistoryPriors(const Workspace& ws, int pg_version,
                                              const std::vector<bool>& wanted, unsigned jobs = 0);

/// Runs `rules` (the enabled ones, usually known.Select(settings)) over the workspace:
/// CheckMigration on every file in report_on, CheckGraph on every environment; emits the
/// engine's environment-error findings; applies per-path ignores and suppressions (and reports
/// unused ones, and ones naming a rule `known` does not have, when unused-suppression is among
/// `rules`), per-rule severities, and sorts by (path, offset, rule, message).
std::vector<Finding> Lint(const Workspace& ws, const RuleSet& known,
                          std::span<const Rule* const> rules, const LintSettings& settings,
                          unsigned jobs = 0);
/// Lint for a one-shot run (the CLI): the file findings computed while loading are moved out
/// of `ws` rather than copied, so a long history's findings are held once, not twice. `ws`
/// is linted as by Lint; its LoadedFile::findings are consumed.
std::vector<Finding> LintOnce(Workspace& ws, const RuleSet& known,
                              std::span<const Rule* const> rules, const LintSettings& settings,
                              unsigned jobs = 0);

/// What LintStream hands over, in the report's order.
struct LintStreamOut {
  /// Once, before any group: the findings the rules about the whole history made (the graph
  /// rules', environment errors), final (ignored, suppressed, sorted, `filter` applied). They
  /// are in the groups too; a report that puts the revision chain first takes them from here.
  std::function<void(std::vector<Finding>&)> head;
  /// Each non-empty group of findings, in Lint's order: first those without a location, then
  /// one group per display path (every file's findings, merged as Lint merges them).
  std::function<void(std::vector<Finding>&)> group;
  /// Applied to the head and to every group before they are handed over (FilterReported).
  std::function<void(std::vector<Finding>&)> filter;
  /// After the last group, while the workspace the groups point into is still the caller's.
  std::function<void()> done;
};

/// Lint as a stream: the same findings in the same order, one group at a time, so the report
/// can be written while only one file's findings are held (with a spilled workspace, they are
/// read back from Workspace::spill as the report reaches them). Consumes the load's findings
/// as LintOnce does. An error when the spill cannot be read back.
Status LintStream(Workspace& ws, const RuleSet& known, std::span<const Rule* const> rules,
                  const LintSettings& settings, unsigned jobs, const LintStreamOut& out);

/// One statement, one finding: findings of the lock and data rules (categories "ddl" and
/// "data") that `findings` (sorted as Lint sorts them) holds at the same position are merged
/// into one: the most severe reason (on a tie, a rule about the statement itself before the
/// transaction-wide missing-lock-timeout and exclusive-lock-held) gives `rule`, `severity` and
/// `message`; the others become Finding::notes; the helps are joined into one, the related
/// locations kept. Runs after suppressions and per-rule severities, so ignoring or
/// suppressing one rule keeps the others. Rules `known` does not have are never merged.
void MergeSameStatement(std::vector<Finding>& findings, const RuleSet& known);

/// True when `f` is at or above `fail_on` (never, when nullopt).
bool FailsAt(const Finding& f, const std::optional<Severity>& fail_on);

}  // namespace alint
