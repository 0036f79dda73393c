#pragma once
/// The rule interface. Rules are stateless and const: one instance serves the CLI, every
/// worker thread and the language server. A rule sees typed facts only; it never includes
/// tree-sitter or libpg_query headers.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/finding.h"
#include "lint/core/source.h"
#include "lint/engine/settings.h"
#include "lint/python/migration.h"

namespace alint {

class RevisionGraph;       // lint/graph/revision_graph.h
struct MigrationAnalysis;  // lint/analysis/migration_analysis.h
struct Environment;        // lint/engine/workspace.h
struct PlannedStatement;   // lint/analysis/migration_analysis.h
struct EnvFacts;           // lint/analysis/migration_analysis.h

/// " in downgrade()" for Phase::kDowngrade, "" otherwise: appended to the subject of a message
/// about a statement of downgrade() ("drops column `users.email` in downgrade(): ...").
std::string_view PhaseSuffix(Phase phase);

/// A setting a rule reads, declared in its RuleInfo. The config reader accepts it as a
/// top-level key of `[tool.alembic-lint]` and checks it by type (the same messages for every
/// option); a rule reads it through RuleContext. Two rules may declare the same key (they then
/// share the value); they must agree on its type.
struct RuleOption {
  enum class Type : uint8_t {
    kInt,         ///< an integer in [min, max]
    kString,      ///< any string
    kStringList,  ///< an array of strings
    kRegex,       ///< a string that compiles as a user regex (Regex::CompileUserPattern)
    kBool,        ///< true or false (int_default 0 or 1)
  };
  std::string_view key;  ///< kebab-case config key, e.g. "expected-heads"
  Type type = Type::kInt;
  std::string_view doc;  ///< one line, for the rule's doc and messages
  int64_t int_default = 0;
  int64_t min = 0;
  int64_t max = 0;
  std::string_view string_default;  ///< kString, kRegex
};

struct RuleInfo {
  std::string_view name;     ///< kebab-case, e.g. "multiple-heads"
  std::string_view summary;  ///< one line, shown by `alembic-lint rules`
  Severity default_severity = Severity::kWarning;
  std::string_view category;                 ///< "graph", "structure", "ops", "sql"
  std::span<const RuleOption> options = {};  ///< the settings it reads (see RuleOption)
  /// `applied` silences it on migrations production already ran, as it does categories ddl,
  /// sql and data: what it says only matters while a migration can still change.
  bool only_unapplied = false;
};

/// Read access to the files of the run, and the sink for findings. One per (rule, unit of
/// work); not shared between threads.
class RuleContext {
 public:
  RuleContext(const RuleInfo& info, Severity severity, const LintSettings& settings,
              const std::vector<SourceFile>& files, std::vector<Finding>* out)
      : info_(info), severity_(severity), settings_(settings), files_(files), out_(out) {}

  const LintSettings& settings() const { return settings_; }
  /// This rule's options (declared in its RuleInfo): the configured value, else the declared
  /// default. An undeclared key reads as 0 / empty / nullptr.
  int64_t IntOption(std::string_view key) const;
  /// kBool: the configured value, else the declared default (int_default != 0).
  bool BoolOption(std::string_view key) const { return IntOption(key) != 0; }
  std::string StringOption(std::string_view key) const;
  const std::vector<std::string>& ListOption(std::string_view key) const;
  /// kRegex: the compiled pattern, or nullptr when none is configured.
  const Regex* RegexOption(std::string_view key) const;
  /// True when the user set this rule's severity (config or flags): a rule that adjusts the
  /// severity of some findings must leave it alone then.
  bool severity_configured() const { return settings_.severity.count(std::string(info_.name)) > 0; }
  const SourceFile& file(FileId id) const { return files_[id]; }
  /// The DDL analysis of the migration being checked: set during CheckMigration when the rule
  /// NeedsBody(), nullptr otherwise.
  const MigrationAnalysis* analysis() const { return analysis_; }
  void set_analysis(const MigrationAnalysis* a) { analysis_ = a; }
  /// What the migration's environment sets in env.py and its script.py.mako template
  /// (found=false when unknown): set during CheckMigration; nullptr outside an environment.
  const EnvFacts* env() const { return env_; }
  void set_env(const EnvFacts* env) { env_ = env; }

  /// Adds a finding of this rule at `span`; the returned reference lets the rule attach help,
  /// related locations and a fix. Valid until the next Report call.
  Finding& Report(Span span, std::string message);

  /// Adds a finding of this rule about one planned statement, at its anchor (its span when it
  /// has none). A statement of downgrade() gets one severity level lower (LowerSeverity): a
  /// downgrade runs rarely, by hand, usually on a smaller database. The message says so with
  /// PhaseSuffix.
  Finding& ReportStatement(const PlannedStatement& s, std::string message);

  /// Lowers `f` one severity level (error -> warning -> info) unless the user configured this
  /// rule's severity, which then stands as set. The one policy for findings that matter less
  /// (a downgrade() statement) or that the rule is less sure of.
  void LowerSeverity(Finding& f) const;

 private:
  const RuleInfo& info_;
  Severity severity_;
  const LintSettings& settings_;
  const std::vector<SourceFile>& files_;
  std::vector<Finding>* out_;
  const MigrationAnalysis* analysis_ = nullptr;
  const EnvFacts* env_ = nullptr;
};

/// What a graph rule sees: one environment (one revision graph) and its migrations.
struct GraphView {
  const Environment& env;
  const std::vector<const Migration*>& migrations;  ///< this environment's, in discovery order
  const RevisionGraph& graph;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  /// Called once per migration file the run reports on. `m.full` tells whether body facts
  /// are present (they are whenever a rule needs them: see NeedsBody()).
  virtual void CheckMigration(const Migration& /*m*/, RuleContext& /*ctx*/) const {}
  /// Called once per environment.
  virtual void CheckGraph(const GraphView& /*view*/, RuleContext& /*ctx*/) const {}
  /// True when CheckMigration reads body facts (ops, SQL); lets graph-only runs skip the
  /// full parse.
  virtual bool NeedsBody() const { return false; }
};

}  // namespace alint
