// The text report's layout, byte for byte: headline, location, code frame (tabs expanded,
// carets under multi-byte characters), related locations, merged notes, a multi-line help and
// the fix, with and without colours.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lint/report/report.h"

namespace alint {
namespace {

struct Sample {
  std::vector<SourceFile> files;
  std::vector<Finding> findings;
};

Sample Make() {
  Sample s;
  // Line 10 holds a tab and a two-byte character before the span.
  std::string text;
  for (int i = 1; i < 10; ++i) text += "# line " + std::to_string(i) + "\n";
  const std::string line10 = "\top.execute(\"caf\xC3\xA9\", x)\n";
  text += line10;
  s.files.emplace_back(0, "/repo/versions/a.py", text);
  s.files[0].display_path = "versions/a.py";
  const auto at = static_cast<uint32_t>(text.size() - line10.size() + line10.rfind('x'));
  Finding f;
  f.rule = "drop-column";
  f.severity = Severity::kError;
  f.span = Span{0, at, at + 1};
  f.message = "drops `x`";
  f.related.push_back({Span{0, 0, 6}, "created here"});
  f.related.push_back({Span{}, "nowhere in particular"});
  f.notes.push_back({"missing-lock-timeout", Severity::kWarning, "no lock_timeout"});
  f.help = "first line\nsecond line";
  f.fix = Fix{"remove it", Applicability::kUnsafe, {Edit{f.span, ""}}};
  s.findings.push_back(std::move(f));
  return s;
}

}  // namespace

TEST_CASE("text report: the code frame and every part of a finding, byte for byte") {
  Sample s = Make();
  ReportOptions ro;
  ro.show_summary = false;
  CHECK(FormatText(s.findings, s.files, ro) ==
        "error[drop-column]: drops `x`\n"
        "  --> versions/a.py:10:21\n"
        "   |\n"
        "10 |     op.execute(\"caf\xC3\xA9\", x)\n"
        "   |" +
            std::string(24, ' ') +
            "^\n"
            "  ::: versions/a.py:1:1\n"
            "   |\n"
            " 1 | # line 1\n"
            "   | ^^^^^^ created here\n"
            "   = note: nowhere in particular\n"
            "   |\n"
            "   = note[missing-lock-timeout]: no lock_timeout\n"
            "   = help: first line\n"
            "           second line\n"
            "   = fix: remove it\n"
            "\n");
  ro.color = true;
  const std::string blue = "\x1b[1;34m";
  const std::string bold = "\x1b[1m";
  const std::string red = "\x1b[1;31m";
  const std::string cyan = "\x1b[1;36m";
  const std::string off = "\x1b[0m";
  CHECK(FormatText(s.findings, s.files, ro) ==
        red + "error[drop-column]" + off + bold + ": drops `x`" + off + "\n" +  //
            "  " + blue + "-->" + off + " versions/a.py:10:21\n" +              //
            "   " + blue + "|" + off + "\n" +                                   //
            blue + "10" + off + " " + blue + "|" + off + "     op.execute(\"caf\xC3\xA9\", x)\n" +
            "   " + blue + "|" + off + " " + std::string(23, ' ') + red + "^" + off + "\n" + "  " +
            blue + ":::" + off + " versions/a.py:1:1\n" +                                  //
            "   " + blue + "|" + off + "\n" +                                              //
            blue + " 1" + off + " " + blue + "|" + off + " # line 1\n" +                   //
            "   " + blue + "|" + off + " " + cyan + "^^^^^^ created here" + off + "\n" +   //
            "   " + blue + "=" + off + " note: nowhere in particular\n" +                  //
            "   " + blue + "|" + off + "\n" +                                              //
            "   " + blue + "=" + off + " " + bold + "note[missing-lock-timeout]:" + off +  //
            " no lock_timeout\n" +                                                         //
            "   " + blue + "=" + off + " " + bold + "help:" + off + " first line\n" +      //
            "           second line\n" +                                                   //
            "   " + blue + "=" + off + " " + bold + "fix:" + off + " remove it\n" +        //
            "\n");
}

}  // namespace alint
