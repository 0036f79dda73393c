#pragma once
/// Reporters turn sorted findings into text. They only read; the caller writes the string.

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/finding.h"
#include "lint/core/source.h"
#include "lint/engine/rule_set.h"

namespace alint {

enum class OutputFormat { kText, kConcise, kJson, kSarif, kGithub };

struct ReportOptions {
  bool color = false;  ///< ANSI colours (TTY and NO_COLOR unset, or --color=always)
  bool show_summary = true;
};

/// rustc/ruff style: `severity[rule]: message`, `--> path:line:col`, a code frame with a caret
/// under the span, related locations, `= help:`; a closing summary line.
std::string FormatText(std::span<const Finding> findings, std::span<const SourceFile> files,
                       const ReportOptions& opts);
/// One line per finding: `path:line:col: severity: message [rule]`.
std::string FormatConcise(std::span<const Finding> findings, std::span<const SourceFile> files);
/// The documented JSON schema (README "JSON output"): {"version": 1, "findings": [...],
/// "summary": {...}}. Stable: keys never change meaning; new keys may be added.
std::string FormatJson(std::span<const Finding> findings, std::span<const SourceFile> files);

/// SARIF 2.1.0: one run, its rule table from `rules` (metadata from their docs), related
/// locations and fixes; artifact URIs relative to `root_uri` (a file:// URI of the working
/// directory, ending in '/') when the file is below it.
std::string FormatSarif(std::span<const Finding> findings, std::span<const SourceFile> files,
                        const std::string& root_uri, const RuleSet& rules);
/// GitHub Actions workflow commands (`::error file=...,line=...,col=...,title=...::message`).
std::string FormatGithub(std::span<const Finding> findings, std::span<const SourceFile> files);

/// The JSON text of every JSON report (`--format json`, `heads`/`locks --format json`),
/// indented by 2. Bytes that are not valid UTF-8 (a file name with a stray byte, a revision
/// string holding a lone surrogate) become U+FFFD in JSON strings, so a report is always
/// written; SARIF URIs keep the raw bytes percent-encoded (FileUri).
std::string DumpJson(const nlohmann::ordered_json& j);

/// `file://` + `path` percent-encoded byte by byte (RFC 3986: all but unreserved characters
/// and '/'), so a file name that is not UTF-8 keeps its exact bytes.
std::string FileUri(std::string_view path);

/// "3 errors, 1 warning" style counts.
std::string CountSummary(std::span<const Finding> findings);

}  // namespace alint
