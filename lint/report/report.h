#pragma once
/// Reporters turn sorted findings into text. They only read; the caller writes the string.

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/finding.h"
#include "lint/core/source.h"
#include "lint/engine/rule_set.h"

namespace alint {

enum class OutputFormat { kText, kConcise, kJson, kSarif, kGithub };

/// Where a reporter writes. Text goes to a buffer that is handed to `flush` whenever it holds
/// a chunk (64 KiB) and at the end, so a report of any length holds one chunk in memory rather
/// than all of it (a long history's text report is tens of megabytes). Without `flush` the
/// whole report stays in the buffer (what the Format* functions return).
class ReportSink {
 public:
  /// Writes the bytes given; false when they could not be written.
  using Flush = std::function<bool(std::string_view)>;
  ReportSink() = default;
  explicit ReportSink(Flush flush) : flush_(std::move(flush)) {}
  /// The buffer to append to; stays the same object for the sink's life.
  std::string& buf() { return buf_; }
  /// Hands the buffer over when it holds a chunk; call between findings.
  void Chunk() {
    if (flush_ && buf_.size() >= kChunkBytes) Drain();
  }
  /// Hands over what is left; false when any write failed.
  bool Finish() {
    if (flush_) Drain();
    return ok_;
  }
  std::string Take() { return std::move(buf_); }

 private:
  static constexpr size_t kChunkBytes = 64 << 10;
  void Drain() {
    if (buf_.empty()) return;
    ok_ = flush_(buf_) && ok_;
    buf_.clear();
  }
  Flush flush_;
  std::string buf_;
  bool ok_ = true;
};

struct ReportOptions {
  bool color = false;  ///< ANSI colours (TTY and NO_COLOR unset, or --color=always)
  bool show_summary = true;
  /// True for the rules whose findings are about the revision chain (category "graph"): text
  /// reports print them first, before the file findings, whatever their paths. Unset: the
  /// findings' own order.
  std::function<bool(std::string_view rule)> chain_rule;
  /// Text reports: the findings themselves are left out; only the statistics table and the
  /// closing line are printed (`check --statistics`).
  bool statistics_only = false;
  /// Text reports: each finding on one line as the concise format writes it (chain first),
  /// and nothing else: no code frames, statistics table or closing line (`check --quiet`).
  bool quiet = false;
};

/// A report written as the findings arrive (LintStream, lint/engine/linter.h): Head once
/// with the findings about the whole history (a text report prints the revision chain's
/// first), Add for each group in the report's order, then Finish. The Write* functions below
/// are one Head, one Add and Finish: both ways write the same bytes.
class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  virtual void Head(std::span<const Finding> head) { (void)head; }
  virtual void Add(std::span<const Finding> group) = 0;
  virtual void Finish() = 0;
};

std::unique_ptr<ReportWriter> MakeTextWriter(std::span<const SourceFile> files,
                                             const ReportOptions& opts, ReportSink& sink);
std::unique_ptr<ReportWriter> MakeJsonWriter(std::span<const SourceFile> files, ReportSink& sink);
/// SARIF (FormatSarif), written as the findings arrive.
std::unique_ptr<ReportWriter> MakeSarifWriter(std::span<const SourceFile> files,
                                              const std::string& root_uri, const RuleSet& rules,
                                              ReportSink& sink);

/// rustc/ruff style: `severity[rule]: message`, `--> path:line:col`, a code frame with a caret
/// under the span, related locations, `= help:`; then (with show_summary and any finding) the
/// statistics table, and a closing summary line. With `quiet`, one line per finding only.
std::string FormatText(std::span<const Finding> findings, std::span<const SourceFile> files,
                       const ReportOptions& opts);
void WriteText(std::span<const Finding> findings, std::span<const SourceFile> files,
               const ReportOptions& opts, ReportSink& out);
/// One line per finding: `path:line:col: severity: message [rule]`.
std::string FormatConcise(std::span<const Finding> findings, std::span<const SourceFile> files);
void WriteConcise(std::span<const Finding> findings, std::span<const SourceFile> files,
                  ReportSink& out);
/// The documented JSON schema (README "JSON output"): {"version": 1, "findings": [...],
/// "summary": {...}}. Stable: keys never change meaning; new keys may be added. Written one
/// finding at a time, byte for byte what dumping the whole document would give.
std::string FormatJson(std::span<const Finding> findings, std::span<const SourceFile> files);
void WriteJson(std::span<const Finding> findings, std::span<const SourceFile> files,
               ReportSink& out);

/// SARIF 2.1.0: one run, its rule table from `rules` (metadata from their docs), related
/// locations and fixes; artifact URIs relative to `root_uri` (a file:// URI of the working
/// directory, ending in '/') when the file is below it.
std::string FormatSarif(std::span<const Finding> findings, std::span<const SourceFile> files,
                        const std::string& root_uri, const RuleSet& rules);
/// GitHub Actions workflow commands (`::error file=...,line=...,col=...,title=...::message`).
std::string FormatGithub(std::span<const Finding> findings, std::span<const SourceFile> files);
void WriteGithub(std::span<const Finding> findings, std::span<const SourceFile> files,
                 ReportSink& out);

/// The JSON text of every JSON report (`--format json`, `heads`/`locks --format json`),
/// indented by 2. Bytes that are not valid UTF-8 (a file name with a stray byte, a revision
/// string holding a lone surrogate) become U+FFFD in JSON strings, so a report is always
/// written; SARIF URIs keep the raw bytes percent-encoded (FileUri).
std::string DumpJson(const nlohmann::ordered_json& j);

/// `file://` + `path` percent-encoded byte by byte (RFC 3986: all but unreserved characters
/// and '/'), so a file name that is not UTF-8 keeps its exact bytes.
std::string FileUri(std::string_view path);

/// The statistics table: findings per rule and severity (errors first, then the most
/// frequent), then the files with the most findings (at most `top_files`).
std::string StatisticsTable(std::span<const Finding> findings, std::span<const SourceFile> files,
                            size_t top_files = 5);

/// "3 errors, 1 warning" style counts.
std::string CountSummary(std::span<const Finding> findings);

}  // namespace alint
