#include <doctest/doctest.h>

#include <cstdio>
#include <random>

#include "lint/rulekit/revision_id.h"
#include "tests/rules/structure_test_util.h"

namespace alint {
namespace {

using testing::GetRule;
using testing::RuleHarness;
using namespace rulekit;

TEST_CASE("InvalidRevisionIdReason follows Alembic's own checks") {
  CHECK_FALSE(InvalidRevisionIdReason("ae1027a6acf").has_value());
  CHECK_FALSE(InvalidRevisionIdReason("0001_initial").has_value());
  auto dash = InvalidRevisionIdReason("abc-def");
  REQUIRE(dash);
  CHECK(dash->find("Character(s) '-' not allowed in revision identifier 'abc-def'") !=
        std::string::npos);
  // Several characters: sorted and comma-joined like Revision.verify_rev_id.
  auto many = InvalidRevisionIdReason("a@b+c-d");
  REQUIRE(many);
  CHECK(many->find("Character(s) '+, -, @'") != std::string::npos);
  CHECK(InvalidRevisionIdReason("")->find("empty") != std::string::npos);
  CHECK(InvalidRevisionIdReason("abc def")->find("whitespace") != std::string::npos);
  CHECK(InvalidRevisionIdReason("abc\t")->find("whitespace") != std::string::npos);
  CHECK(InvalidRevisionIdReason("it's")->find("single quote") != std::string::npos);
  CHECK(InvalidRevisionIdReason(std::string(32, 'a')) == std::nullopt);
  CHECK(InvalidRevisionIdReason(std::string(33, 'a'))->find("VARCHAR(32)") != std::string::npos);
  CHECK(InvalidRevisionIdReason("heads")->find("symbols") != std::string::npos);
  CHECK(InvalidRevisionIdReason("head"));
  CHECK(InvalidRevisionIdReason("base"));
  CHECK_FALSE(InvalidRevisionIdReason("baseline"));
}

TEST_CASE("InvalidBranchLabelReason") {
  CHECK_FALSE(InvalidBranchLabelReason("billing"));
  CHECK(InvalidBranchLabelReason("a@b"));
  CHECK(InvalidBranchLabelReason(""));
}

TEST_CASE("a genuinely random 12-hex id is never flagged") {
  std::mt19937_64 rng(20240601);
  int flagged = 0;
  std::string example;
  for (int i = 0; i < 10000; ++i) {
    char buf[13];
    std::snprintf(buf, sizeof buf, "%012llx",
                  static_cast<unsigned long long>(rng() & 0xFFFFFFFFFFFFull));
    if (HandmadeRevisionIdReason(buf)) {
      ++flagged;
      example = buf;
    }
  }
  CHECK_MESSAGE(flagged == 0, "flagged e.g. " << example);
  // Real ids from Alembic's own documentation and generated files.
  for (const char* id : {"ae1027a6acf", "1975ea83b712", "27c6a30d7c24", "3512b954651e"}) {
    if (std::string_view(id).size() == 12) CHECK_FALSE(HandmadeRevisionIdReason(id));
  }
}

TEST_CASE("hand-typed ids are flagged, each with the pattern it follows") {
  struct Case {
    const char* id;
    const char* reason_part;
  };
  const Case cases[] = {
      {"a1b2c3d4e5f6", "interleaves 2"},
      {"abcdef123456", "counts up"},
      {"123456789abc", "counts up"},
      {"000000000001", "repeats the same character"},
      {"fedcba987654", "counts down"},
      {"abcabcabcabc", "3-character block"},
      {"abc123abc123", "counts up"},
      {"5a3c9e5a3c9e", "6-character block"},
      {"ababababab12", "2-character block"},
      {"deadbeef0042", "spells `deadbeef`"},
      {"g2h3i4j5k6l7", "interleaves 2 counting-up"},
      {"0123456789", "counts up"},
      {"abcdefghij", "counts up"},
      {"zyxwvutsrq", "counts down"},
      {"1111111111", "repeats the same character"},
      {"xyzxyzxyzxyz", "3-character block"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.id);
    auto why = HandmadeRevisionIdReason(c.id);
    REQUIRE(why);
    CHECK_MESSAGE(why->find(c.reason_part) != std::string::npos, *why);
  }
}

TEST_CASE("ids from older Alembic releases and deliberate schemes are not hand-typed") {
  // Older releases generated 10 to 12 hex digits; teams name revisions on purpose.
  for (const char* id :
       {"ae1027a6acf", "4b2e1f0c9d", "49b93c346db", "django_0001", "ocata_expand01", "0001_initial",
        "0004", "20240601_1200", "202406011230", "2024_06_01_add_users", "ABCDEF012345", "main"}) {
    CAPTURE(id);
    CHECK_FALSE(HandmadeRevisionIdReason(id));
  }
  // Random ids over every alphabet and length in between stay quiet.
  std::mt19937_64 rng(8);
  const std::string_view alphabets[] = {"0123456789", "0123456789abcdef",
                                        "0123456789abcdefghijklmnopqrstuvwxyz"};
  int flagged = 0;
  std::string example;
  for (std::string_view alphabet : alphabets) {
    for (size_t len = 6; len <= 16; ++len) {
      for (int i = 0; i < 3000; ++i) {
        std::string id;
        for (size_t k = 0; k < len; ++k) id += alphabet[rng() % alphabet.size()];
        if (alphabet.size() == 10 && id[0] >= '1' && id[0] <= '2') continue;  // dates
        if (HandmadeRevisionIdReason(id)) {
          ++flagged;
          example = id;
        }
      }
    }
  }
  CHECK_MESSAGE(flagged == 0, "flagged e.g. " << example);
}

TEST_CASE("revision_id_pattern replaces the default check; without one the default applies") {
  auto re = [](const char* p) { return std::move(Regex::CompileUserPattern(p)).value(); };
  const Regex four = re("\\d{4}"), digits = re("\\d+");
  CHECK_FALSE(HandmadeRevisionIdReason("0001", &four, "\\d{4}"));
  CHECK_FALSE(HandmadeRevisionIdReason("000000000001", &digits, "\\d+"));
  auto miss = HandmadeRevisionIdReason("1975ea83b712", &four, "\\d{4}");
  REQUIRE(miss);
  CHECK(miss->find("revision_id_pattern `\\d{4}`") != std::string::npos);
  // Full match, not search.
  CHECK(HandmadeRevisionIdReason("x0001", &four, "\\d{4}"));
  // No pattern (none configured, or one the settings refused): the default rules apply.
  CHECK(HandmadeRevisionIdReason("000000000001"));
  CHECK_FALSE(HandmadeRevisionIdReason("1975ea83b712"));
}

TEST_CASE("handmade-revision-id anchors on the revision literal") {
  RuleHarness h;
  FileId f =
      h.Add("versions/a1b2c3d4e5f6_init.py", "revision = 'a1b2c3d4e5f6'\ndown_revision = None\n");
  Migration m;
  m.file = f;
  m.revision = h.Assign(f, "revision", ValueKind::kString, {"a1b2c3d4e5f6"});
  auto out = h.Run(GetRule("handmade-revision-id"), m);
  REQUIRE(out.size() == 1);
  CHECK(out[0].rule == "handmade-revision-id");
  CHECK(out[0].severity == Severity::kWarning);
  CHECK(out[0].span == h.Find(f, "'a1b2c3d4e5f6'"));
  CHECK(h.Where(out[0].span).column == 12);
  CHECK(out[0].message.find("looks hand-typed") != std::string::npos);
  REQUIRE(out[0].help);
  CHECK(out[0].help->find("alembic revision") != std::string::npos);

  // As the settings reader leaves it: the text, and the regex compiled once.
  auto set_pattern = [&](const char* p) {
    auto& opt = h.settings.options["revision-id-pattern"];
    opt.text = p;
    opt.regex = std::make_shared<const Regex>(std::move(Regex::CompileUserPattern(p)).value());
  };
  set_pattern("[a-f0-9]{12}");
  CHECK(h.Run(GetRule("handmade-revision-id"), m).empty());
  set_pattern("\\d{4}");
  auto pat = h.Run(GetRule("handmade-revision-id"), m);
  REQUIRE(pat.size() == 1);
  CHECK(pat[0].message.find("does not match the configured revision_id_pattern") !=
        std::string::npos);

  // Invalid ids are invalid-revision-id's alone.
  h.settings.options.erase("revision-id-pattern");
  FileId g = h.Add("versions/x.py", "revision = 'a-b'\ndown_revision = None\n");
  Migration bad;
  bad.file = g;
  bad.revision = h.Assign(g, "revision", ValueKind::kString, {"a-b"});
  CHECK(h.Run(GetRule("handmade-revision-id"), bad).empty());
  auto inv = h.Run(GetRule("invalid-revision-id"), bad);
  REQUIRE(inv.size() == 1);
  CHECK(inv[0].severity == Severity::kError);
  CHECK(inv[0].span == h.Find(g, "'a-b'"));
}

TEST_CASE("invalid-revision-id: None, tuples and branch labels") {
  RuleHarness h;
  FileId f = h.Add("versions/x.py",
                   "revision = None\ndown_revision = None\nbranch_labels = ('ok', 'a@b')\n");
  Migration m;
  m.file = f;
  m.revision = h.Assign(f, "revision", ValueKind::kNone);
  m.branch_labels = h.Assign(f, "branch_labels", ValueKind::kSequence, {"ok", "a@b"});
  auto out = h.Run(GetRule("invalid-revision-id"), m);
  REQUIRE(out.size() == 2);
  CHECK(out[0].message.find("TypeError") != std::string::npos);
  CHECK(out[0].span == h.Find(f, "None"));
  CHECK(out[1].message.find("branch label `a@b`") != std::string::npos);
  CHECK(out[1].span == h.Find(f, "'a@b'"));

  FileId g = h.Add("versions/y.py", "revision = ('1975ea83b712',)\ndown_revision = None\n");
  Migration t;
  t.file = g;
  t.revision = h.Assign(g, "revision", ValueKind::kSequence, {"1975ea83b712"});
  auto tuple = h.Run(GetRule("invalid-revision-id"), t);
  REQUIRE(tuple.size() == 1);
  CHECK(tuple[0].message.find("Can't locate revision identified by '1975ea83b712'") !=
        std::string::npos);
  REQUIRE(tuple[0].fix);
  CHECK(h.Apply(g, tuple[0].fix->edits) == "revision = '1975ea83b712'\ndown_revision = None\n");
}

}  // namespace
}  // namespace alint
