// GitHub Actions workflow commands: one line per finding, properties and data escaped the way
// the runner unescapes them (actions/toolkit's command.ts), so nothing can end the command
// early or inject another one.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lint/report/report.h"

namespace alint {

TEST_CASE("github format: location, title, message and help in one escaped line") {
  std::vector<SourceFile> files;
  files.emplace_back(0, "/abs/migrations/versions/a,b:c%.py",
                     "revision = \"x\"\ndown_revision = \"y\"\n");
  files[0].display_path = "migrations/versions/a,b:c%.py";
  Finding f;
  f.rule = "multiple-heads";
  f.severity = Severity::kError;
  f.span = Span{0, 31, 34};  // `"y"` on line 2
  f.message = "100% broken:\nline two\r\n::error::injected";
  f.help = "merge, then: retry";
  Finding w;
  w.rule = "handmade-revision-id";
  w.severity = Severity::kWarning;
  w.span = Span{0, 11, 14};
  w.message = "plain";
  Finding env_level;  // about an environment, not a file
  env_level.rule = "multiple-bases";
  env_level.severity = Severity::kInfo;
  env_level.message = "no file";
  std::vector<Finding> findings{f, w, env_level};

  std::string out = FormatGithub(findings, files);
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(out.substr(start, nl - start));
  }
  CHECK(start == out.size());  // every command ends with a newline
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] ==
        "::error file=migrations/versions/a%2Cb%3Ac%25.py,line=2,col=17,endLine=2,endColumn=20,"
        "title=alembic-lint (multiple-heads)::100%25 broken:%0Aline two%0D%0A::error::injected"
        "%0A%0Ahelp: merge, then: retry");
  CHECK(lines[1] ==
        "::warning file=migrations/versions/a%2Cb%3Ac%25.py,line=1,col=12,endLine=1,"
        "endColumn=15,title=alembic-lint (handmade-revision-id)::plain");
  CHECK(lines[2] == "::notice title=alembic-lint (multiple-bases)::no file");
  // No raw CR or LF inside a command: the message could otherwise start a new one.
  CHECK(out.find('\r') == std::string::npos);
}

}  // namespace alint
