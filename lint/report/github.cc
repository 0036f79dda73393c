#include <fmt/format.h>

#include "lint/report/report.h"

namespace alint {

namespace {

// Workflow-command escaping: data escapes %, CR and LF; property values also ':' and ','.
std::string EscapeData(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeProperty(std::string_view s) {
  std::string out;
  for (char c : EscapeData(s)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view Command(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "notice";
  }
  return "error";
}

}  // namespace

std::string FormatGithub(std::span<const Finding> findings, std::span<const SourceFile> files) {
  ReportSink sink;
  WriteGithub(findings, files, sink);
  return sink.Take();
}

void WriteGithub(std::span<const Finding> findings, std::span<const SourceFile> files,
                 ReportSink& sink) {
  std::string& out = sink.buf();
  for (const Finding& f : findings) {
    std::string props;
    if (f.span.valid() && f.span.file < files.size()) {
      const SourceFile& file = files[f.span.file];
      LineCol b = file.Locate(f.span.begin);
      LineCol e = file.Locate(f.span.end);
      props = fmt::format("file={},line={},col={},endLine={},endColumn={},",
                          EscapeProperty(file.display_path), b.line, b.column, e.line, e.column);
    }
    std::string ids = f.rule;
    for (const Note& n : f.notes) ids += ", " + n.rule;
    props += "title=" + EscapeProperty(fmt::format("alembic-lint ({})", ids));
    std::string message = f.message;
    for (const Note& n : f.notes) message += fmt::format("\nnote [{}]: {}", n.rule, n.message);
    if (f.help) message += "\n\nhelp: " + *f.help;
    out += fmt::format("::{} {}::{}\n", Command(f.severity), props, EscapeData(message));
    sink.Chunk();
  }
}

}  // namespace alint
