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

// One SARIF run, written as the findings arrive: the document is dumped with an empty
// `results` array (the rule table comes from the rule set, not from the findings), and each
// result is dumped on its own at the array's depth, so the bytes are those of dumping the
// whole document while one result is held as JSON.
class SarifWriter : public ReportWriter {
 public:
  SarifWriter(std::span<const SourceFile> files, std::string root_uri, const RuleSet& rule_set,
              ReportSink& sink)
      : files_(files), root_uri_(std::move(root_uri)), sink_(sink) {
    json rules = json::array();
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
      rule_index_[std::string(info.name)] = rules.size();
      rules.push_back(std::move(rule));
    }
    json run;
    run["tool"] = {{"driver",
                    {{"name", "alembic-lint"},
                     {"version", ALINT_VERSION},
                     {"semanticVersion", ALINT_VERSION},
                     {"rules", std::move(rules)}}}};
    if (!root_uri_.empty()) run["originalUriBaseIds"] = {{"SRCROOT", {{"uri", root_uri_}}}};
    run["columnKind"] = "unicodeCodePoints";
    run["results"] = json::array();
    json root;
    root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    root["version"] = "2.1.0";
    root["runs"] = json::array({std::move(run)});
    doc_ = DumpJson(root);
    // The last key of the one run: found from the end (a rule's help text is a JSON string,
    // its quotes escaped, so it cannot hold the key as written here).
    slot_ = doc_.rfind(kSlot);
  }

  void Add(std::span<const Finding> group) override {
    std::string& out = sink_.buf();
    for (const Finding& f : group) {
      if (!started_) {
        out.append(doc_, 0, slot_ + kSlot.size() - 1);  // up to and including '['
        out += "\n";
        started_ = true;
      } else {
        out += ",\n";
      }
      // JSON strings escape their newlines, so every '\n' of the dump is a line of structure.
      const std::string element =
          Result(f).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      out += kIndent;
      for (char c : element) {
        out += c;
        if (c == '\n') out += kIndent;
      }
      sink_.Chunk();
    }
  }

  void Finish() override {
    std::string& out = sink_.buf();
    if (!started_) {
      out += doc_;
      return;
    }
    out += "\n      ]";
    out.append(doc_, slot_ + kSlot.size(), std::string::npos);
  }

 private:
  static constexpr std::string_view kSlot = "\"results\": []";
  static constexpr std::string_view kIndent = "        ";  // root > runs > run > results

  bool Valid(const Span& s) const { return s.valid() && s.file < files_.size(); }
  json Physical(const Span& span) const {
    const SourceFile& f = files_[span.file];
    return {{"artifactLocation", Artifact(f, root_uri_)}, {"region", Region(f, span)}};
  }

  json Result(const Finding& f) const {
    json res;
    res["ruleId"] = f.rule;
    if (auto it = rule_index_.find(f.rule); it != rule_index_.end()) res["ruleIndex"] = it->second;
    res["level"] = Level(f.severity);
    std::string text = f.message;
    for (const Note& n : f.notes) text += fmt::format("\nnote [{}]: {}", n.rule, n.message);
    if (f.help) text += "\nhelp: " + *f.help;
    res["message"] = {{"text", text}};
    if (Valid(f.span)) res["locations"] = json::array({{{"physicalLocation", Physical(f.span)}}});
    json related = json::array();
    int id = 1;
    for (const Related& r : f.related) {
      if (!Valid(r.span)) continue;
      related.push_back({{"id", id++},
                         {"physicalLocation", Physical(r.span)},
                         {"message", {{"text", r.message}}}});
    }
    if (!related.empty()) res["relatedLocations"] = std::move(related);
    if (f.fix && !f.fix->edits.empty()) {
      // SARIF groups replacements per artifact.
      std::map<FileId, json> by_file;
      for (const Edit& e : f.fix->edits) {
        if (!Valid(e.span)) continue;
        by_file[e.span.file].push_back({{"deletedRegion", Region(files_[e.span.file], e.span)},
                                        {"insertedContent", {{"text", e.replacement}}}});
      }
      json changes = json::array();
      for (auto& [file, reps] : by_file) {
        changes.push_back(
            {{"artifactLocation", Artifact(files_[file], root_uri_)}, {"replacements", reps}});
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
    return res;
  }

  std::span<const SourceFile> files_;
  std::string root_uri_;
  ReportSink& sink_;
  std::map<std::string, size_t> rule_index_;
  std::string doc_;
  size_t slot_ = std::string::npos;
  bool started_ = false;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeSarifWriter(std::span<const SourceFile> files,
                                              const std::string& root_uri, const RuleSet& rules,
                                              ReportSink& sink) {
  return std::make_unique<SarifWriter>(files, root_uri, rules, sink);
}

std::string FormatSarif(std::span<const Finding> findings, std::span<const SourceFile> files,
                        const std::string& root_uri, const RuleSet& rules) {
  ReportSink sink;
  SarifWriter w(files, root_uri, rules, sink);
  w.Add(findings);
  w.Finish();
  return sink.Take();
}

std::string FileUri(std::string_view path) { return "file://" + UriPath(path); }

}  // namespace alint
