#pragma once
/// The language server's model of the user's repositories: the Alembic environments of the
/// documents the editor opened, kept loaded between edits, with the open buffers laid over
/// the disk. An edit re-extracts the facts of the edited file only, rebuilds the revision
/// graph (cheap) and re-runs the rules of that environment, so graph findings move between
/// files as the user edits: a duplicate id shows in both files, a fork in the branched file.
///
/// What is reported: every finding of the rules on the open documents (file-level rules run
/// on open documents only), and graph findings wherever they are anchored, open or not (a
/// graph problem is a problem of the repository, like the CLI reports it). Closing a document
/// reverts it to its disk contents: its file-level diagnostics go away, graph findings that
/// still hold on disk stay.
///
/// Not thread-safe: one thread (the server loop) calls everything.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lint/core/file_source.h"
#include "lint/core/finding.h"
#include "lint/engine/linter.h"
#include "lint/lsp/overlay_file_source.h"
#include "lint/lsp/protocol.h"

namespace alint::lsp {

struct RelatedLocation {
  std::string path;
  Range range;
  std::string message;
  friend bool operator==(const RelatedLocation&, const RelatedLocation&) = default;
};

struct TextEdit {
  std::string path;
  Range range;
  std::string new_text;
  friend bool operator==(const TextEdit&, const TextEdit&) = default;
};

struct QuickFix {
  std::string title;
  bool preferred = false;  ///< the fix is safe (Applicability::kSafe)
  std::vector<TextEdit> edits;
  friend bool operator==(const QuickFix&, const QuickFix&) = default;
};

/// One finding in LSP terms, positions already converted (the text it was computed on may
/// change afterwards).
struct Diagnostic {
  std::string rule;
  Severity severity = Severity::kWarning;
  Range range;
  uint32_t begin = 0;  ///< byte span in its file (for hover hit tests)
  uint32_t end = 0;
  std::string message;
  std::optional<std::string> help;
  std::vector<RelatedLocation> related;
  std::optional<QuickFix> fix;
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

/// A message for the user or the log (LSP MessageType: 1 error, 2 warning, 3 info, 4 log).
struct LogMessage {
  int type = 4;
  std::string text;
};

class LintSession {
 public:
  struct Options {
    /// Paths in messages are shown relative to this directory (the workspace root).
    std::string display_base;
    unsigned jobs = 0;  ///< threads for loading an environment (0: one per core)
  };

  /// `disk` must outlive the session.
  LintSession(const FileSource& disk, Options options);
  ~LintSession();

  /// Paths are absolute and normalised. Each call leaves the diagnostics up to date.
  void Open(const std::string& path, std::string text);
  void Change(const std::string& path, std::string text);
  void Close(const std::string& path);
  /// The buffer was written: a document outside any environment gets another look (it may
  /// have become a migration).
  void Save(const std::string& path);
  /// A file was created, changed or deleted on disk (watched files). A changed migration that
  /// is not open is re-read; a created or deleted one reloads the environments whose version
  /// directories hold it; a config file (*.ini, pyproject.toml, .alembic-lint.toml, env.py)
  /// reloads every environment.
  void DiskChanged(const std::string& path);

  /// The text of an open document, or nullptr.
  const std::string* Text(const std::string& path) const { return overlay_.Buffer(path); }
  /// True when `path` is a migration file of a loaded environment.
  bool InEnvironment(const std::string& path) const;

  /// The current diagnostics of `path` (empty when none or unknown).
  const std::vector<Diagnostic>& DiagnosticsOf(const std::string& path) const;
  /// Files whose diagnostics changed since the last call, with their current diagnostics
  /// (an empty list: clear them). Sorted by path.
  std::vector<std::pair<std::string, std::vector<Diagnostic>>> TakeChanged();
  /// Messages since the last call.
  std::vector<LogMessage> TakeLog();

  /// The loaded facts of an open document (for hover): valid until the next mutating call.
  struct FileView {
    const SourceFile* file = nullptr;
    const Migration* migration = nullptr;
    const LintSettings* settings = nullptr;
    const EnvFacts* env = nullptr;  ///< env.py's facts, or nullptr
  };
  std::optional<FileView> View(const std::string& path) const;

 private:
  struct Project;

  Project* ProjectOf(const std::string& path) const;
  /// Finds (or creates, or reloads) the environments holding `path`; false when none.
  bool Attach(const std::string& path);
  void Load(Project& p, const DiscoveredEnv& env);
  /// Re-discovers the project's environment; drops the project when it is gone.
  void Reload(size_t index);
  void UpdateFile(Project& p, FileId id);
  void Relint(Project& p);
  /// Recomputes `current_` from the projects (after every mutating call).
  void Merge();
  void Log(int type, std::string text) { log_.push_back({type, std::move(text)}); }

  OverlayFileSource overlay_;
  Options options_;
  std::vector<std::unique_ptr<Project>> projects_;
  std::map<std::string, std::vector<Diagnostic>> current_;
  std::map<std::string, std::vector<Diagnostic>> published_;
  std::vector<LogMessage> log_;
};

/// An environment's identity: config file, script location and version directories.
std::string EnvKey(const DiscoveredEnv& env);

}  // namespace alint::lsp
