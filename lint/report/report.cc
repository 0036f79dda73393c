#include "lint/report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace alint {

namespace {

struct Style {
  bool on;
  std::string Wrap(std::string_view code, std::string_view s) const {
    if (!on) return std::string(s);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, s);
  }
  std::string Bold(std::string_view s) const { return Wrap("1", s); }
  std::string Blue(std::string_view s) const { return Wrap("1;34", s); }
  std::string Cyan(std::string_view s) const { return Wrap("1;36", s); }
  std::string Sev(Severity sev, std::string_view s) const {
    switch (sev) {
      case Severity::kError:
        return Wrap("1;31", s);
      case Severity::kWarning:
        return Wrap("1;33", s);
      case Severity::kInfo:
        return Wrap("1;36", s);
    }
    return std::string(s);
  }
};

const SourceFile* FileOf(const Span& span, std::span<const SourceFile> files) {
  if (!span.valid() || span.file >= files.size()) return nullptr;
  return &files[span.file];
}

// Display width of the line prefix [0, byte) in columns, expanding tabs like the terminal
// does so carets line up.
size_t Width(std::string_view line, size_t byte) {
  size_t w = 0;
  for (size_t i = 0; i < byte && i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == '\t') {
      w += 4;
    } else if ((c & 0xC0) != 0x80) {
      ++w;
    }
  }
  return w;
}

std::string ExpandTabs(std::string_view line) {
  std::string out;
  for (char c : line) {
    if (c == '\t') {
      out += "    ";
    } else {
      out += c;
    }
  }
  return out;
}

// Appends `s` to `out`, in color `code` when the style has colors.
void Put(std::string& out, const Style& st, std::string_view code, std::string_view s) {
  if (!st.on) {
    out += s;
    return;
  }
  out += "\x1b[";
  out += code;
  out += 'm';
  out += s;
  out += "\x1b[0m";
}

std::string_view SevCode(Severity sev) {
  switch (sev) {
    case Severity::kError:
      return "1;31";
    case Severity::kWarning:
      return "1;33";
    case Severity::kInfo:
      return "1;36";
  }
  return "";
}

// The gutter: `gw` spaces, then a blue `|` (or `=`, `-->`, `:::`).
void Gutter(std::string& out, const Style& st, size_t gw, std::string_view mark) {
  out.append(gw, ' ');
  out += ' ';
  Put(out, st, "1;34", mark);
}

// Appends a code frame: the line of `span` with carets under it (first line only for
// multi-line spans), gutter of width `gw`.
void Frame(std::string& out, const SourceFile& f, const Span& span, const Style& st, size_t gw,
           Severity sev, std::string_view label) {
  LineCol b = f.Locate(span.begin);
  std::string_view line = f.LineText(b.line);
  uint32_t line_start = f.lines.LineStart(b.line);
  size_t from = span.begin - line_start;
  size_t to =
      std::min<size_t>(span.end > span.begin ? span.end - line_start : from + 1, line.size());
  if (to <= from) to = from + 1;
  Gutter(out, st, gw, "|");
  out += '\n';
  char number[16];
  auto end = fmt::format_to_n(number, sizeof(number), "{:>{}}", b.line, gw).out;
  Put(out, st, "1;34", std::string_view(number, static_cast<size_t>(end - number)));
  out += ' ';
  Put(out, st, "1;34", "|");
  out += ' ';
  if (line.find('\t') == std::string_view::npos) {
    out += line;
  } else {
    out += ExpandTabs(line);
  }
  out += '\n';
  size_t pad = Width(line, from);
  size_t len = std::max<size_t>(1, Width(line, to) - pad);
  Gutter(out, st, gw, "|");
  out += ' ';
  out.append(pad, ' ');
  std::string marks(len, '^');
  if (!label.empty()) {
    marks += ' ';
    marks += label;
  }
  Put(out, st, SevCode(sev), marks);
  out += '\n';
}

// `path:line:col: severity: message [rule]` (the path part only when the finding has one).
void ConciseLine(std::string& out, const Finding& f, std::span<const SourceFile> files,
                 const Style& st) {
  if (const SourceFile* file = FileOf(f.span, files)) {
    LineCol lc = file->Locate(f.span.begin);
    out += st.Bold(fmt::format("{}:{}:{}:", file->display_path, lc.line, lc.column)) + " ";
  }
  // Each rule id of a merged finding in its own brackets: `[a] [b]`.
  std::string ids = "[" + f.rule + "]";
  for (const Note& n : f.notes) ids += " [" + n.rule + "]";
  out += fmt::format("{} {} {}\n", st.Sev(f.severity, fmt::format("{}:", SeverityName(f.severity))),
                     f.message, ids);
}

}  // namespace

namespace {

std::string CountSummaryOf(size_t e, size_t w, size_t i) {
  std::vector<std::string> parts;
  auto add = [&](size_t n, std::string_view one) {
    if (n) parts.push_back(fmt::format("{} {}{}", n, one, n == 1 ? "" : "s"));
  };
  add(e, "error");
  add(w, "warning");
  add(i, "info");
  if (parts.empty()) return "no findings";
  std::string s = parts[0];
  for (size_t k = 1; k < parts.size(); ++k)
    s += (k + 1 == parts.size() ? " and " : ", ") + parts[k];
  return s;
}

// What the statistics table and the closing line count, gathered finding by finding.
class Statistics {
 public:
  void Add(const Finding& f, std::span<const SourceFile> files) {
    ++total_;
    ++by_severity_[static_cast<int>(f.severity)];
    ++by_rule_[{f.rule, f.severity}].headed;
    for (const Note& note : f.notes) ++by_rule_[{note.rule, note.severity}].merged;
    if (const SourceFile* file = FileOf(f.span, files)) ++by_file_[file->id];
  }
  size_t total() const { return total_; }
  size_t files() const { return by_file_.size(); }
  std::string Summary() const {
    return CountSummaryOf(by_severity_[2], by_severity_[1], by_severity_[0]);
  }
  std::string Table(std::span<const SourceFile> files, size_t top_files) const;

 private:
  // Per rule and severity: the findings it heads, and its reasons merged into another rule's
  // finding as notes (one statement, one finding), so `--ignore` decisions see every rule.
  struct Count {
    size_t headed = 0;
    size_t merged = 0;
    size_t total() const { return headed + merged; }
  };
  size_t total_ = 0;
  size_t by_severity_[3] = {0, 0, 0};
  std::map<std::pair<std::string, Severity>, Count> by_rule_;
  std::map<FileId, size_t> by_file_;
};

std::string Statistics::Table(std::span<const SourceFile> files, size_t top_files) const {
  std::vector<std::pair<std::pair<std::string, Severity>, Count>> rules(by_rule_.begin(),
                                                                        by_rule_.end());
  // The most severe first, then the most frequent; then by name, so the table is stable.
  std::stable_sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) {
    if (a.first.second != b.first.second) return a.first.second > b.first.second;
    if (a.second.total() != b.second.total()) return a.second.total() > b.second.total();
    return a.first.first < b.first.first;
  });
  size_t most = total_;
  for (const auto& [key, n] : rules) most = std::max(most, n.total());
  const size_t width = std::to_string(most).size();
  std::string out = "Findings by rule:\n";
  for (const auto& [key, n] : rules) {
    out +=
        fmt::format("  {:>{}}  {:<7}  {}", n.total(), width, SeverityName(key.second), key.first);
    if (n.merged > 0) {
      out += n.headed == 0 ? " (all as notes)" : fmt::format(" ({} as notes)", n.merged);
    }
    out += "\n";
  }
  std::vector<std::pair<FileId, size_t>> top(by_file_.begin(), by_file_.end());
  std::stable_sort(top.begin(), top.end(), [&](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return files[a.first].display_path < files[b.first].display_path;
  });
  if (top.size() > top_files) top.resize(top_files);
  if (!top.empty()) {
    out += "Files with the most findings:\n";
    for (const auto& [id, n] : top) {
      out += fmt::format("  {:>{}}  {}\n", n, width, files[id].display_path);
    }
  }
  return out;
}

}  // namespace

std::string CountSummary(std::span<const Finding> findings) {
  size_t e = 0, w = 0, i = 0;
  for (const Finding& f : findings) {
    (f.severity == Severity::kError ? e : f.severity == Severity::kWarning ? w : i)++;
  }
  return CountSummaryOf(e, w, i);
}

std::string FormatText(std::span<const Finding> findings, std::span<const SourceFile> files,
                       const ReportOptions& opts) {
  ReportSink sink;
  WriteText(findings, files, opts, sink);
  return sink.Take();
}

namespace {

// rustc style, one finding: the headline, the code frame, related locations, notes, help, fix.
void TextFinding(std::string& out, const Finding& f, std::span<const SourceFile> files,
                 const Style& st) {
  {
    std::string head(SeverityName(f.severity));
    head += '[';
    head += f.rule;
    head += ']';
    Put(out, st, SevCode(f.severity), head);
    std::string message = ": ";
    message += f.message;
    Put(out, st, "1", message);
    out += '\n';
  }
  const SourceFile* file = FileOf(f.span, files);
  size_t gw = 1;
  auto digits = [](uint32_t n) {
    size_t d = 1;
    while (n >= 10) {
      n /= 10;
      ++d;
    }
    return d;
  };
  auto location = [&](std::string_view mark, const SourceFile& in, LineCol lc) {
    out.append(gw, ' ');
    Put(out, st, "1;34", mark);
    fmt::format_to(std::back_inserter(out), " {}:{}:{}\n", in.display_path, lc.line, lc.column);
  };
  if (file) {
    LineCol lc = file->Locate(f.span.begin);
    gw = digits(lc.line);
    for (const Related& r : f.related) {
      if (const SourceFile* rf = FileOf(r.span, files)) {
        gw = std::max(gw, digits(rf->Locate(r.span.begin).line));
      }
    }
    location("-->", *file, lc);
    Frame(out, *file, f.span, st, gw, f.severity, "");
  }
  for (const Related& r : f.related) {
    const SourceFile* rf = FileOf(r.span, files);
    if (!rf) {
      Gutter(out, st, gw, "=");
      out += " note: ";
      out += r.message;
      out += '\n';
      continue;
    }
    location(":::", *rf, rf->Locate(r.span.begin));
    Frame(out, *rf, r.span, st, gw, Severity::kInfo, r.message);
  }
  if (file || !f.related.empty()) {
    Gutter(out, st, gw, "|");
    out += '\n';
  }
  // The other rules' reasons about the same statement (one statement, one finding).
  for (const Note& n : f.notes) {
    Gutter(out, st, gw, "=");
    out += ' ';
    Put(out, st, "1", "note[" + n.rule + "]:");
    out += ' ';
    out += n.message;
    out += '\n';
  }
  if (f.help) {
    Gutter(out, st, gw, "=");
    out += ' ';
    Put(out, st, "1", "help:");
    out += ' ';
    // Continuation lines of a multi-line help align under its first line.
    std::string_view help = *f.help;
    for (size_t nl; (nl = help.find('\n')) != std::string_view::npos; help.remove_prefix(nl + 1)) {
      out += help.substr(0, nl + 1);
      out.append(gw + 9, ' ');
    }
    out += help;
    out += '\n';
  }
  if (f.fix) {
    Gutter(out, st, gw, "=");
    out += ' ';
    Put(out, st, "1", "fix:");
    out += ' ';
    out += f.fix->title;
    out += '\n';
  }
  out += "\n";
}

class TextWriter : public ReportWriter {
 public:
  TextWriter(std::span<const SourceFile> files, const ReportOptions& opts, ReportSink& sink)
      : files_(files), opts_(opts), sink_(sink), st_{opts.color} {}
  // The chain first: a fork or a dangling revision is the headline, not line 20,000.
  void Head(std::span<const Finding> head) override {
    if (opts_.statistics_only || !opts_.chain_rule) return;
    for (const Finding& f : head) {
      if (opts_.chain_rule(f.rule)) Print(f);
    }
  }
  void Add(std::span<const Finding> group) override {
    for (const Finding& f : group) {
      stats_.Add(f, files_);
      if (opts_.statistics_only || (opts_.chain_rule && opts_.chain_rule(f.rule))) continue;
      Print(f);
    }
  }
  void Finish() override {
    if (opts_.quiet) return;
    std::string& out = sink_.buf();
    if (opts_.show_summary || opts_.statistics_only) {
      if (stats_.total() > 0) out += stats_.Table(files_, 5);
      if (stats_.total() == 0) {
        out += "No problems found.\n";
      } else {
        out += fmt::format("Found {} in {} file{}.\n", stats_.Summary(), stats_.files(),
                           stats_.files() == 1 ? "" : "s");
      }
    }
  }

 private:
  void Print(const Finding& f) {
    if (opts_.quiet) {
      ConciseLine(sink_.buf(), f, files_, st_);
    } else {
      TextFinding(sink_.buf(), f, files_, st_);
    }
    sink_.Chunk();
  }
  std::span<const SourceFile> files_;
  const ReportOptions& opts_;
  ReportSink& sink_;
  Style st_;
  Statistics stats_;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeTextWriter(std::span<const SourceFile> files,
                                             const ReportOptions& opts, ReportSink& sink) {
  return std::make_unique<TextWriter>(files, opts, sink);
}

void WriteText(std::span<const Finding> findings, std::span<const SourceFile> files,
               const ReportOptions& opts, ReportSink& sink) {
  TextWriter w(files, opts, sink);
  w.Head(findings);
  w.Add(findings);
  w.Finish();
}

std::string StatisticsTable(std::span<const Finding> findings, std::span<const SourceFile> files,
                            size_t top_files) {
  Statistics stats;
  for (const Finding& f : findings) stats.Add(f, files);
  return stats.Table(files, top_files);
}

std::string FormatConcise(std::span<const Finding> findings, std::span<const SourceFile> files) {
  ReportSink sink;
  WriteConcise(findings, files, sink);
  return sink.Take();
}

void WriteConcise(std::span<const Finding> findings, std::span<const SourceFile> files,
                  ReportSink& sink) {
  std::string& out = sink.buf();
  const Style plain{false};
  for (const Finding& f : findings) {
    ConciseLine(out, f, files, plain);
    sink.Chunk();
  }
}

namespace {

nlohmann::ordered_json Location(const Span& span, std::span<const SourceFile> files) {
  nlohmann::ordered_json j;
  const SourceFile* file = FileOf(span, files);
  if (!file) return nullptr;
  LineCol b = file->Locate(span.begin);
  LineCol e = file->Locate(span.end);
  j["path"] = file->display_path;
  j["line"] = b.line;
  j["column"] = b.column;
  j["end_line"] = e.line;
  j["end_column"] = e.column;
  j["offset"] = span.begin;
  j["end_offset"] = span.end;
  return j;
}

std::string_view ApplicabilityName(Applicability a) {
  switch (a) {
    case Applicability::kSafe:
      return "safe";
    case Applicability::kUnsafe:
      return "unsafe";
    case Applicability::kDisplayOnly:
      return "display-only";
  }
  return "unsafe";
}

}  // namespace

std::string FormatJson(std::span<const Finding> findings, std::span<const SourceFile> files) {
  ReportSink sink;
  WriteJson(findings, files, sink);
  return sink.Take();
}

namespace {

nlohmann::ordered_json JsonFinding(const Finding& f, std::span<const SourceFile> files) {
  nlohmann::ordered_json j;
  j["rule"] = f.rule;
  j["severity"] = SeverityName(f.severity);
  j["message"] = f.message;
  j["location"] = Location(f.span, files);
  j["help"] = f.help ? nlohmann::ordered_json(*f.help) : nullptr;
  auto rel = nlohmann::ordered_json::array();
  for (const Related& r : f.related) {
    rel.push_back({{"message", r.message}, {"location", Location(r.span, files)}});
  }
  j["related"] = rel;
  if (f.fix) {
    auto edits = nlohmann::ordered_json::array();
    for (const Edit& e : f.fix->edits) {
      edits.push_back({{"location", Location(e.span, files)}, {"replacement", e.replacement}});
    }
    j["fix"] = {{"title", f.fix->title},
                {"applicability", ApplicabilityName(f.fix->applicability)},
                {"edits", edits}};
  } else {
    j["fix"] = nullptr;
  }
  // Every rule id of the finding (`rule` first), and the merged reasons of the others.
  auto ids = nlohmann::ordered_json::array({f.rule});
  auto notes = nlohmann::ordered_json::array();
  for (const Note& n : f.notes) {
    ids.push_back(n.rule);
    notes.push_back(
        {{"rule", n.rule}, {"severity", SeverityName(n.severity)}, {"message", n.message}});
  }
  j["rules"] = std::move(ids);
  j["notes"] = std::move(notes);
  return j;
}

// The document around the findings, dumped with an empty array where they go; each finding is
// then dumped on its own at the array's depth (4 spaces), so the bytes are those of dumping
// the whole document while only one finding is held as JSON. The summary after the array is
// dumped at the end, with the counts.
class JsonWriter : public ReportWriter {
 public:
  JsonWriter(std::span<const SourceFile> files, ReportSink& sink) : files_(files), sink_(sink) {}
  void Add(std::span<const Finding> group) override {
    std::string& out = sink_.buf();
    for (const Finding& f : group) {
      counts_[static_cast<int>(f.severity)]++;
      if (!started_) {
        const std::string doc = Document();
        const size_t slot = doc.find(kSlot);
        out.append(doc, 0, slot + kSlot.size() - 1);  // up to and including '['
        out += "\n";
        started_ = true;
      } else {
        out += ",\n";
      }
      // JSON strings escape their newlines, so every '\n' of the dump is a line of structure.
      const std::string element = JsonFinding(f, files_).dump(
          2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      out += "    ";
      for (char c : element) {
        out += c;
        if (c == '\n') out += "    ";
      }
      sink_.Chunk();
    }
  }
  void Finish() override {
    const std::string doc = Document();
    std::string& out = sink_.buf();
    if (!started_) {
      out += doc;
      return;
    }
    out += "\n  ]";
    out.append(doc, doc.find(kSlot) + kSlot.size(), std::string::npos);
  }

 private:
  static constexpr std::string_view kSlot = "\"findings\": []";
  std::string Document() const {
    nlohmann::ordered_json root;
    root["version"] = 1;
    root["tool"] = {{"name", "alembic-lint"}, {"version", ALINT_VERSION}};
    root["findings"] = nlohmann::ordered_json::array();
    root["summary"] = {{"errors", counts_[2]}, {"warnings", counts_[1]}, {"infos", counts_[0]}};
    return DumpJson(root);
  }
  std::span<const SourceFile> files_;
  ReportSink& sink_;
  size_t counts_[3] = {0, 0, 0};
  bool started_ = false;
};

}  // namespace

std::unique_ptr<ReportWriter> MakeJsonWriter(std::span<const SourceFile> files, ReportSink& sink) {
  return std::make_unique<JsonWriter>(files, sink);
}

void WriteJson(std::span<const Finding> findings, std::span<const SourceFile> files,
               ReportSink& sink) {
  JsonWriter w(files, sink);
  w.Add(findings);
  w.Finish();
}

std::string DumpJson(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace alint
