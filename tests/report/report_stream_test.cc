// Reports are written in chunks (ReportSink): what reaches the writer, chunk after chunk, must
// be byte for byte the report built in one piece, and the streamed JSON must be exactly the
// canonical dump of the document it encodes.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lint/report/report.h"

namespace alint {
namespace {

struct Corpus {
  std::vector<SourceFile> files;
  std::vector<Finding> findings;
};

// Enough findings that the report spans many 64 KiB chunks, with every optional part used.
Corpus Many(size_t n) {
  Corpus c;
  std::string text;
  for (size_t i = 0; i < 50; ++i) text += "op.execute(\"ALTER TABLE t\\n  DROP COLUMN c\")\n";
  c.files.emplace_back(0, "/repo/versions/a.py", text);
  c.files[0].display_path = "versions/a.py";
  for (size_t i = 0; i < n; ++i) {
    Finding f;
    f.rule = i % 3 == 0 ? "drop-column" : "missing-lock-timeout";
    f.severity = static_cast<Severity>(i % 3);
    const auto at = static_cast<uint32_t>((i * 47) % (text.size() - 20));
    f.span = Span{0, at, at + 10};
    f.message = "message " + std::to_string(i) + " with \"quotes\", a tab\t and \xff";
    if (i % 2 == 0) f.help = "first line\nsecond line " + std::to_string(i);
    if (i % 5 == 0) f.related.push_back({Span{0, 0, 5}, "related \\ note"});
    if (i % 7 == 0) f.fix = Fix{"fix it", Applicability::kSafe, {Edit{f.span, "x\ny"}}};
    c.findings.push_back(std::move(f));
  }
  return c;
}

std::string Chunked(const std::function<void(ReportSink&)>& write, size_t* chunks) {
  std::string got;
  *chunks = 0;
  ReportSink sink([&](std::string_view chunk) {
    got += chunk;
    ++*chunks;
    return true;
  });
  write(sink);
  CHECK(sink.Finish());
  return got;
}

}  // namespace

TEST_CASE("streamed reports equal the reports built in one piece") {
  for (size_t n : {size_t{0}, size_t{1}, size_t{3000}}) {
    CAPTURE(n);
    Corpus c = Many(n);
    size_t chunks = 0;

    std::string json = Chunked([&](ReportSink& s) { WriteJson(c.findings, c.files, s); }, &chunks);
    CHECK(json == FormatJson(c.findings, c.files));
    if (n == 3000) CHECK(chunks > 10);
    // Exactly the canonical dump of what it encodes (the bytes a whole-document dump gives).
    auto parsed = nlohmann::ordered_json::parse(json, nullptr, false, false);
    REQUIRE_FALSE(parsed.is_discarded());
    CHECK(DumpJson(parsed) == json);
    CHECK(parsed["findings"].size() == n);
    CHECK(parsed["summary"]["errors"] == n / 3);

    ReportOptions ro;
    std::string text =
        Chunked([&](ReportSink& s) { WriteText(c.findings, c.files, ro, s); }, &chunks);
    CHECK(text == FormatText(c.findings, c.files, ro));
    if (n == 3000) CHECK(chunks > 10);

    CHECK(Chunked([&](ReportSink& s) { WriteConcise(c.findings, c.files, s); }, &chunks) ==
          FormatConcise(c.findings, c.files));
    CHECK(Chunked([&](ReportSink& s) { WriteGithub(c.findings, c.files, s); }, &chunks) ==
          FormatGithub(c.findings, c.files));
  }
}

TEST_CASE("a sink whose writer fails says so at the end") {
  Corpus c = Many(2000);
  ReportSink sink([](std::string_view) { return false; });
  WriteConcise(c.findings, c.files, sink);
  CHECK_FALSE(sink.Finish());
}

}  // namespace alint
