// FormatSarif field by field: what GitHub code scanning reads (rule ids and indexes, levels,
// locations, related locations, fixes) and how artifact URIs are escaped.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lint/report/report.h"
#include "rules/registry.h"

namespace alint {

TEST_CASE("sarif format: schema, rules, results, regions, related locations, fixes, URIs") {
  std::vector<SourceFile> files;
  files.emplace_back(0, "/repo/migrations/versions/a b\xff%.py",
                     "revision = \"x\"\ndown_revision = \"y\"\n");
  files[0].display_path = "migrations/versions/a b\xff%.py";
  files.emplace_back(1, "/elsewhere/c#d.py", "revision = \"y\"\n");
  files[1].display_path = "/elsewhere/c#d.py";

  Finding f;
  f.rule = "multiple-heads";
  f.severity = Severity::kError;
  f.span = Span{0, 31, 34};              // `"y"` on line 2
  f.message = "two heads \xed\xb2\x80";  // a lone surrogate, as CPython's surrogateescape
  f.help = "merge them";
  f.related.push_back({Span{1, 11, 14}, "the other head"});
  f.fix = Fix{"use x", Applicability::kUnsafe, {Edit{Span{0, 31, 34}, "\"x\""}}};
  Finding w;
  w.rule = "handmade-revision-id";
  w.severity = Severity::kWarning;
  w.span = Span{1, 11, 14};
  w.message = "plain";
  Finding i;
  i.rule = "multiple-bases";
  i.severity = Severity::kInfo;
  i.message = "no file";
  std::vector<Finding> findings{f, w, i};

  std::string out = FormatSarif(findings, files, "file:///repo/", BuiltinRules());
  REQUIRE(nlohmann::json::accept(out));
  auto j = nlohmann::json::parse(out);
  CHECK(j["version"] == "2.1.0");
  CHECK(j["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  REQUIRE(j["runs"].size() == 1);
  const auto& run = j["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "alembic-lint");
  CHECK(run["originalUriBaseIds"]["SRCROOT"]["uri"] == "file:///repo/");
  CHECK(run["columnKind"] == "unicodeCodePoints");
  const auto& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.is_array());

  const auto& results = run["results"];
  REQUIRE(results.size() == 3);
  const auto& r0 = results[0];
  CHECK(r0["ruleId"] == "multiple-heads");
  REQUIRE(r0["ruleIndex"].is_number());
  CHECK(rules[r0["ruleIndex"].get<size_t>()]["id"] == "multiple-heads");
  CHECK(rules[r0["ruleIndex"].get<size_t>()]["defaultConfiguration"]["level"].is_string());
  CHECK(r0["level"] == "error");
  CHECK(r0["message"]["text"] ==
        "two heads \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\nhelp: merge them");
  const auto& loc = r0["locations"][0]["physicalLocation"];
  // Relative to SRCROOT; every byte outside the unreserved set is percent-encoded, so the
  // URI names the exact file even when its name is not UTF-8.
  CHECK(loc["artifactLocation"]["uri"] == "migrations/versions/a%20b%FF%25.py");
  CHECK(loc["artifactLocation"]["uriBaseId"] == "SRCROOT");
  CHECK(loc["region"]["startLine"] == 2);
  CHECK(loc["region"]["startColumn"] == 17);
  CHECK(loc["region"]["endLine"] == 2);
  CHECK(loc["region"]["endColumn"] == 20);
  CHECK(loc["region"]["charOffset"] == 31);
  CHECK(loc["region"]["charLength"] == 3);
  const auto& rel = r0["relatedLocations"];
  REQUIRE(rel.size() == 1);
  CHECK(rel[0]["id"] == 1);
  CHECK(rel[0]["message"]["text"] == "the other head");
  // An absolute path outside the root is a file:// URI of its own, without uriBaseId.
  CHECK(rel[0]["physicalLocation"]["artifactLocation"]["uri"] == "file:///elsewhere/c%23d.py");
  CHECK_FALSE(rel[0]["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
  const auto& fix = r0["fixes"][0];
  CHECK(fix["description"]["text"] == "use x");
  const auto& change = fix["artifactChanges"][0];
  CHECK(change["artifactLocation"]["uri"] == "migrations/versions/a%20b%FF%25.py");
  CHECK(change["replacements"][0]["deletedRegion"]["startColumn"] == 17);
  CHECK(change["replacements"][0]["insertedContent"]["text"] == "\"x\"");

  CHECK(results[1]["level"] == "warning");
  CHECK(results[1]["ruleId"] == "handmade-revision-id");
  CHECK(results[2]["level"] == "note");
  CHECK_FALSE(results[2].contains("locations"));  // no file: no location

  CHECK(FileUri("/a b/\xff.py") == "file:///a%20b/%FF.py");
}

}  // namespace alint
