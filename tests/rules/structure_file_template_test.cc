#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "lint/engine/workspace.h"
#include "lint/rulekit/file_template.h"
#include "rules/structure/filename_revision_mismatch.h"
#include "tests/rules/structure_test_util.h"

namespace alint {
namespace {

using rulekit::FileTemplate;
using rulekit::Slugify;
using rulekit::TemplateValues;
using rulekit::TrailingComponents;
using testing::GetRule;
using testing::RuleHarness;

TEST_CASE("FileTemplate reads ini-escaped and plain templates") {
  FileTemplate ini = FileTemplate::Parse("%%(rev)s_%%(slug)s");
  CHECK(ini.text() == "%(rev)s_%(slug)s");
  CHECK(ini.has_rev());
  CHECK(ini.Matches("1975ea83b712_add_users.py", "1975ea83b712"));
  CHECK(ini.Matches("1975ea83b712_.py", "1975ea83b712"));
  CHECK_FALSE(ini.Matches("1975ea83b712_add_users.py", "27c6a30d7c24"));
  CHECK(ini.ExtractRev("1975ea83b712_add_users.py") == "1975ea83b712");
  CHECK(ini.ReplaceRev("1975ea83b712_add_users.py", "27c6a30d7c24") == "27c6a30d7c24_add_users.py");
  CHECK_FALSE(ini.ExtractRev("initial.py"));

  FileTemplate dated =
      FileTemplate::Parse("%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s");
  CHECK(dated.Matches("2024_03_01_1021-1975ea83b712_add_users.py", "1975ea83b712"));
  CHECK_FALSE(dated.Matches("1975ea83b712_add_users.py", "1975ea83b712"));
  CHECK(dated.ExtractRev("2024_03_01_1021-27c6a30d7c24_add_users.py") == "27c6a30d7c24");
  TemplateValues v;
  v.slug = "add_users";
  v.year = 2024;
  v.month = 3;
  v.day = 1;
  v.hour = 9;
  v.minute = 5;
  CHECK(dated.Render("1975ea83b712", v) == "2024_03_01_0905-1975ea83b712_add_users.py");

  CHECK_FALSE(FileTemplate::Parse("%(slug)s").has_rev());
  FileTemplate nested = FileTemplate::Parse("%(year)d/%(rev)s_%(slug)s");
  CHECK(nested.depth() == 1);
  CHECK(TrailingComponents("a/versions/2024/x.py", nested.depth()) == "2024/x.py");
  CHECK(TrailingComponents("x.py", 1) == "x.py");
  // Regex metacharacters in the template and the id are literal.
  CHECK(FileTemplate::Parse("v(%(rev)s)").Matches("v(a.b).py", "a.b"));
  CHECK_FALSE(FileTemplate::Parse("v(%(rev)s)").Matches("v(axb).py", "a.b"));
}

TEST_CASE("Slugify follows ScriptDirectory._rev_path") {
  CHECK(Slugify("Add users table!") == "add_users_table");
  CHECK(Slugify("") == "");
  CHECK(Slugify("create the very long named table for accounts and users") ==
        "create_the_very_long_named_table_for_");
}

struct NameCase {
  RuleHarness h;
  Migration m;
  NameCase(const std::string& path, const std::string& rev, const std::string& doc = "") {
    std::string text = doc + "revision = '" + rev + "'\ndown_revision = None\n";
    FileId f = h.Add(path, text);
    m.file = f;
    m.revision = h.Assign(f, "revision", ValueKind::kString, {rev});
  }
  std::vector<Finding> Check(const std::string& tmpl) {
    h.findings.clear();
    const Rule& rule = GetRule("filename-revision-mismatch");
    RuleContext ctx(rule.info(), rule.info().default_severity, h.settings, h.files, &h.findings);
    CheckFileNameRevision(m, FileTemplate::Parse(tmpl), ctx);
    return h.findings;
  }
};

TEST_CASE("filename-revision-mismatch") {
  const std::string kDefault = "%%(rev)s_%%(slug)s";
  SUBCASE("matching names are clean") {
    CHECK(NameCase("a/versions/1975ea83b712_add.py", "1975ea83b712").Check(kDefault).empty());
    CHECK(
        NameCase("v/2024_03_01_1021-1975ea83b712_add.py", "1975ea83b712")
            .Check("%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s")
            .empty());
    // Files from before a file_template change keep Alembic's default names.
    CHECK(NameCase("v/1975ea83b712_add.py", "1975ea83b712")
              .Check("%%(year)d_%%(rev)s_%%(slug)s")
              .empty());
    // A template without %(rev)s says nothing about ids.
    CHECK(NameCase("v/add_users.py", "1975ea83b712").Check("%%(slug)s").empty());
  }
  SUBCASE("another id in the rev position") {
    NameCase c("versions/27c6a30d7c24_add_users.py", "1975ea83b712");
    auto out = c.Check(kDefault);
    REQUIRE(out.size() == 1);
    CHECK(out[0].rule == "filename-revision-mismatch");
    CHECK(out[0].span == c.h.Find(c.m.file, "'1975ea83b712'"));
    CHECK(out[0].message.find("names revision `27c6a30d7c24`") != std::string::npos);
    CHECK(out[0].help->find("`1975ea83b712_add_users.py`") != std::string::npos);
    CHECK_FALSE(out[0].fix);
  }
  SUBCASE("a name without the id: the suggested name uses the docstring message and date") {
    NameCase c("versions/initial.py", "1975ea83b712",
               "\"\"\"Create accounts\n\nRevision ID: 1975ea83b712\n\"\"\"\n");
    c.m.docstring.present = true;
    c.m.docstring.span = c.h.Find(c.m.file, "\"\"\"Create");
    c.m.docstring.span.end = static_cast<uint32_t>(c.h.files[0].text.find("\"\"\"\nrev") + 3);
    c.m.docstring.create_date = DocField{"2023-11-05 17:04:09.5", Span{}};
    auto out = c.Check("%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s");
    REQUIRE(out.size() == 1);
    CHECK(out[0].message.find("does not carry the revision id `1975ea83b712`") !=
          std::string::npos);
    CHECK(out[0].help->find("`20231105_1975ea83b712_create_accounts.py`") != std::string::npos);
  }
}

// Matches() is a hand-written matcher (a std::regex per file was too slow on large histories);
// this checks it against the regular expression it stands for, on random templates and names
// built to sit near the boundary (rendered names, then mutated).
TEST_CASE("FileTemplate::Matches agrees with its regular expression") {
  struct Part {
    std::string tmpl;   // template text
    std::string regex;  // the language it accepts, given the revision
  };
  std::mt19937 rng(7);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const std::vector<std::string> rev_ids = {"1975ea83b712", "ab", "0001", "a_b", "12"};
  int checked = 0, matched = 0;
  for (int round = 0; round < 400; ++round) {
    std::string rev = rev_ids[pick(rev_ids.size())];
    std::vector<Part> parts;
    std::string name;  // a name the template yields
    size_t count = 1 + pick(4);
    for (size_t k = 0; k < count; ++k) {
      switch (pick(6)) {
        case 0:
          parts.push_back({"%(rev)s", rev});
          name += rev;
          break;
        case 1:
          parts.push_back({"%(rev).4s", rev.substr(0, 4)});
          name += rev.substr(0, 4);
          break;
        case 2:
          parts.push_back({"%(slug)s", "[^/]*?"});
          name += std::vector<std::string>{"", "add_users", "x_1", "a-b"}[pick(4)];
          break;
        case 3:
          parts.push_back({"%(month).2d", " *\\d+"});
          name += std::vector<std::string>{"03", "12", " 7", "2024"}[pick(4)];
          break;
        case 4:
          parts.push_back({"%(epoch)s", "[^/]*?"});  // %s: any text, not only digits
          name += "1700000000";
          break;
        default: {
          std::string lit = std::vector<std::string>{"_", "-", "/", "v(", ".", "__"}[pick(6)];
          std::string esc;
          for (char c : lit) esc += std::string(std::strchr(".()/", c) ? "\\" : "") + c;
          parts.push_back({lit, esc});
          name += lit;
        }
      }
    }
    std::string tmpl, re;
    for (const Part& p : parts) {
      tmpl += p.tmpl;
      re += p.regex;
    }
    FileTemplate t = FileTemplate::Parse(tmpl);
    std::regex reference(re + "\\.py", std::regex::ECMAScript);
    for (int m = 0; m < 6; ++m) {
      std::string candidate = name + ".py";
      if (m > 0 && !candidate.empty()) {  // delete, duplicate or replace one byte
        size_t at = pick(candidate.size());
        switch (pick(3)) {
          case 0:
            candidate.erase(at, 1);
            break;
          case 1:
            candidate.insert(at, 1, candidate[at]);
            break;
          default:
            candidate[at] = "_/9a ."[pick(6)];
        }
      }
      bool want = std::regex_match(candidate, reference);
      INFO("template " << tmpl << ", name " << candidate << ", rev " << rev);
      CHECK(t.Matches(candidate, rev) == want);
      ++checked;
      matched += want;
    }
  }
  // Both outcomes are exercised, not just one.
  CHECK(matched > 100);
  CHECK(checked - matched > 100);
}

}  // namespace
}  // namespace alint
