#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "lint/report/report.h"

namespace alint {

namespace {

using json = nlohmann::ordered_json;

std::string_view Level(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "note";
  }
  return "error";
}

// Percent-encodes what may not stand in a URI path (RFC 3986), keeping '/'.
std::string UriPath(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The first paragraph under "## What it does": SARIF's fullDescription.
std::string WhatItDoes(std::string_view md) {
  size_t at = md.find("## What it does\n");
  if (at == std::string_view::npos) return "";
  at += 16;
  size_t end = md.find("\n\n", at);
  std::string text(
      md.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text;
}

json Region(const SourceFile& f, const Span& span) {
  LineCol b = f.Locate(span.begin);
  LineCol e = f.Locate(span.end);
  json r;
  r["startLine"] = b.line;
  r["startColumn"] = b.column;
  r["endLine"] = e.line;
  r["endColumn"] = e.column;
  r["charOffset"] = span.begin;
  r["charLength"] = span.end - span.begin;
  return r;
}

json Artifact(const SourceFile& f, const std::string& root_uri) {
  const std::string& p = f.display_path;
  if (!p.empty() && p[0] == '/') return {{"uri", FileUri(p)}};
  json a = {{"uri", UriPath(p)}};
  if (!root_uri.empty()) a["uriBaseId"] = "SRCROOT";
  return a;
}

}  // namespace

std::string FormatSarif(std::span<const Finding> findings, std::span<const SourceFile> files,
                        const std::string& root_uri, const RuleSet& rule_set) {
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  for (const Rule* r : rule_set) {
    const RuleInfo& info = r->info();
    json rule;
    rule["id"] = info.name;
    rule["shortDescription"] = {{"text", info.summary}};
    if (const RuleDoc* doc = rule_set.Doc(info.name)) {
      std::string what = WhatItDoes(doc->markdown);
      if (!what.empty()) rule["fullDescription"] = {{"text", what}};
      rule["help"] = {{"text", std::string(doc->markdown)},
                      {"markdown", std::string(doc->markdown)}};
    }
    rule["defaultConfiguration"] = {{"level", Level(info.default_severity)}};
    rule["properties"] = {{"tags", json::array({std::string(info.category)})}};
    rule_index[std::string(info.name)] = rules.size();
    rules.push_back(std::move(rule));
  }

  auto physical = [&](const Span& span) -> json {
    const SourceFile& f = files[span.file];
    return {{"artifactLocation", Artifact(f, root_uri)}, {"region", Region(f, span)}};
  };
  auto valid = [&](const Span& s) { return s.valid() && s.file < files.size(); };

  json results = json::array();
  for (const Finding& f : findings) {
    json res;
    res["ruleId"] = f.rule;
    if (auto it = rule_index.find(f.rule); it != rule_index.end()) res["ruleIndex"] = it->second;
    res["level"] = Level(f.severity);
    std::string text = f.message;
    for (const Note& n : f.notes) text += fmt::format("\nnote [{}]: {}", n.rule, n.message);
    if (f.help) text += "\nhelp: " + *f.help;
    res["message"] = {{"text", text}};
    if (valid(f.span)) res["locations"] = json::array({{{"physicalLocation", physical(f.span)}}});
    json related = json::array();
    int id = 1;
    for (const Related& r : f.related) {
      if (!valid(r.span)) continue;
      related.push_back({{"id", id++},
                         {"physicalLocation", physical(r.span)},
                         {"message", {{"text", r.message}}}});
    }
    if (!related.empty()) res["relatedLocations"] = std::move(related);
    if (f.fix && !f.fix->edits.empty()) {
      // SARIF groups replacements per artifact.
      std::map<FileId, json> by_file;
      for (const Edit& e : f.fix->edits) {
        if (!valid(e.span)) continue;
        by_file[e.span.file].push_back({{"deletedRegion", Region(files[e.span.file], e.span)},
                                        {"insertedContent", {{"text", e.replacement}}}});
      }
      json changes = json::array();
      for (auto& [file, reps] : by_file) {
        changes.push_back(
            {{"artifactLocation", Artifact(files[file], root_uri)}, {"replacements", reps}});
      }
      if (!changes.empty()) {
        res["fixes"] = json::array(
            {{{"description", {{"text", f.fix->title}}}, {"artifactChanges", changes}}});
      }
    }
    if (!f.notes.empty()) {
      // Every rule id of a merged finding (one statement, one finding).
      json ids = json::array({f.rule});
      for (const Note& n : f.notes) ids.push_back(n.rule);
      res["properties"] = {{"rules", std::move(ids)}};
    }
    results.push_back(std::move(res));
  }

  json run;
  run["tool"] = {{"driver",
                  {{"name", "alembic-lint"},
                   {"version", ALINT_VERSION},
                   {"semanticVersion", ALINT_VERSION},
                   {"rules", rules}}}};
  if (!root_uri.empty()) run["originalUriBaseIds"] = {{"SRCROOT", {{"uri", root_uri}}}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = std::move(results);

  json root;
  root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  root["version"] = "2.1.0";
  root["runs"] = json::array({std::move(run)});
  return DumpJson(root);
}

std::string FileUri(std::string_view path) { return "file://" + UriPath(path); }

}  // namespace alint
