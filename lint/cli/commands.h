#pragma once
/// The commands behind the CLI. Each prints to stdout/stderr and returns the exit status.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lint/config/config.h"
#include "lint/core/file_source.h"
#include "lint/discover/discover.h"
#include "lint/engine/linter.h"
#include "lint/engine/settings.h"
#include "lint/git/pr_mode.h"

namespace alint {

/// `check` arguments. Optional fields are unset when the flag was not given, so the config
/// file's value stands.
struct CheckArgs {
  std::vector<std::string> paths;
  std::string format;  ///< empty: text, or github under GitHub Actions
  std::string output_file;
  std::string color = "auto";
  unsigned jobs = 0;
  std::string config_file;
  bool no_config = false;
  std::vector<std::string> select;  ///< replaces the config's select when non-empty
  std::vector<std::string> ignore;  ///< added to the config's ignore
  std::optional<std::string> fail_on;
  std::optional<int> pg_version;
  /// --assume-in-transaction: .sql files run in one transaction (overrides the config).
  bool assume_in_transaction = false;
  std::optional<std::string> dialect;  ///< --dialect: overrides the config's `dialect`
  std::optional<int> expected_heads;
  std::optional<std::string> revision_id_pattern;
  /// PR mode (lint/git/pr_mode.h): a git revision; file rules report only on migrations
  /// changed since it, branch-behind-base compares with its graph. Empty: off.
  std::string since;
  /// --statistics: print only the table of findings per rule and the busiest files.
  bool statistics = false;
  /// --min-severity: overrides the config's `min-severity`.
  std::optional<std::string> min_severity;
  /// --applied: replaces the config's `applied` when non-empty.
  std::vector<std::string> applied;
  /// --quiet: text output is one line per finding, and nothing else (pre-commit).
  bool quiet = false;
};

struct HeadsArgs {
  std::string path = ".";
  std::string format = "text";
};

/// `graph` arguments.
struct GraphArgs {
  std::string path = ".";
  std::string format = "mermaid";  ///< mermaid or dot
  std::string since;               ///< PR mode: the revisions changed since this git revision
};

/// `locks` arguments.
struct LocksArgs {
  std::string path = ".";
  std::string format = "text";  ///< text (Markdown tables) or json
  int pg_version = 15;
  std::string dialect;                 ///< --dialect; empty: decided per environment
  bool assume_in_transaction = false;  ///< --assume-in-transaction (.sql files)
};

struct SchemaArgs {
  std::string path = ".";
  std::string format = "text";         ///< text or json
  std::vector<std::string> revisions;  ///< --revision (ids, unique prefixes, branch labels);
                                       ///< empty: the heads
  int pg_version = 15;
};

/// Prints "alembic-lint: error: MESSAGE" on stderr and returns 2 (every command's error exit).
int Fail(const std::string& message);
/// The working directory ("" when it cannot be read): paths are shown relative to it.
std::string Cwd();

int RunCheck(const CheckArgs& args);
int RunSchema(const SchemaArgs& args);

/// What `check` computes before it reports: the settings (config, then flags), the loaded
/// workspace, `applied` per file, and the findings after suppressions, merging and
/// FilterReported. `since` is set in PR mode. `fix` runs it once per pass.
struct CheckRun {
  LintSettings settings;
  Workspace ws;
  std::vector<bool> applied;
  std::vector<Finding> findings;
  std::shared_ptr<SinceScope> since;
};
/// With `stream`: the report is written while the findings are worked out. `stream` is called
/// once the workspace is loaded and returns where the findings go (LintStream); the load sets
/// every file's findings aside (LoadOptions::spill_findings) and `findings` stays empty.
using StreamSetup = std::function<LintStreamOut(const CheckRun&)>;
Result<CheckRun> LintFor(const FileSource& fs, const CheckArgs& args,
                         const StreamSetup& stream = nullptr);

/// `fix` arguments: what `check` takes to select and lint, plus how to apply.
struct FixArgs {
  CheckArgs check;
  bool diff = false;    ///< print a unified diff and write nothing
  bool unsafe = false;  ///< also apply fixes that change behaviour (Applicability::kUnsafe)
  bool merge = false;   ///< too many heads: write a merge revision instead of rechaining
};
/// `fix`: applies the fixes the findings carry, pass after pass until none is left, each
/// file written atomically (temp file in its directory, then rename).
int RunFix(const FixArgs& args);

/// `baseline` arguments.
struct BaselineArgs {
  std::string path = ".";
  std::string config_file;  ///< --config; empty: found walking up from `path`
};
/// Writes the current heads as `applied` into the project's alembic-lint config (creating
/// `.alembic-lint.toml` in `path` when there is none); refuses when the graph is broken.
int RunBaseline(const BaselineArgs& args);
/// Prints the lock summary of the migrations under `path` (lint/cli/locks.h).
int RunLocks(const LocksArgs& args);
int RunHeads(const HeadsArgs& args);
/// `graph`: the revision graph as Mermaid or Graphviz dot, chain findings marked.
int RunGraph(const GraphArgs& args);
int RunRules(const std::string& format);

/// `status` arguments (lint/cli/status.cc).
struct StatusArgs {
  std::string path = ".";
  std::string database_url;     ///< --database-url; else $DATABASE_URL, else sqlalchemy.url
  std::string format = "text";  ///< text, json or summary (one line)
  int timeout = 10;             ///< seconds: connecting, and each query
  bool blockers = false;        ///< --blockers: read pg_locks for the sessions in the way
  /// --fail-on: besides problems (always exit 1), "pending", "destructive", "blockers".
  std::vector<std::string> fail_on;
  std::string version_table;         ///< overrides env.py's version_table
  std::string version_table_schema;  ///< overrides env.py's version_table_schema
  int pg_version = 15;
};
/// `status`: the database's version table against the revision graph; pending migrations
/// with their locks and data loss; sessions that would block them; schema drift hints.
int RunStatus(const StatusArgs& args);
/// The README's rule index: a Markdown table of every rule, generated from the registry and
/// the rule docs (README.md holds a copy between `<!-- rules:start -->` and
/// `<!-- rules:end -->`; a test keeps them equal).
std::string RuleIndexMarkdown();
int RunExplain(const std::string& rule);

/// The environments under `path`: those declared in an alembic-lint config, else discovered
/// as Alembic finds them (heads, graph, status).
Result<Discovery> DiscoverFromConfig(const FileSource& fs, const std::string& path);

/// The environments a config declares, with paths resolved against `base` (the config's
/// directory) and `origin` set.
std::vector<DeclaredEnv> DeclaredEnvs(const Config& c, const std::string& base);

/// Colour decision for a stream: NO_COLOR wins, then --color, then isatty.
bool UseColor(const std::string& mode, int fd);

}  // namespace alint
