#include <doctest/doctest.h>

#include "tests/python/test_util.h"

namespace alint {
using testing::Extracted;
using testing::Full;

TEST_CASE("Alembic's default script.py.mako output") {
  auto x = Full(R"PY("""add users table

Revision ID: ab12cd34ef56
Revises: 1975ea83b712
Create Date: 2024-03-01 12:00:00.123456

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'ab12cd34ef56'
down_revision: Union[str, None] = '1975ea83b712'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
)PY");
  const Migration& m = x.m;
  CHECK(m.syntax_problems.empty());
  REQUIRE(m.revision.kind == ValueKind::kString);
  CHECK(m.revision.Values() == std::vector<std::string>{"ab12cd34ef56"});
  CHECK(x.At(m.revision.items[0].span) == "'ab12cd34ef56'");
  CHECK(x.At(m.revision.target) == "revision");
  CHECK(x.Line(m.revision.target) == 15);
  CHECK(x.Col(m.revision.items[0].span) == 17);
  CHECK(m.revision.assignments == 1);
  CHECK(m.down_revision.kind == ValueKind::kString);
  CHECK(m.down_revision.Values() == std::vector<std::string>{"1975ea83b712"});
  CHECK(x.Line(m.down_revision.items[0].span) == 16);
  CHECK(m.branch_labels.kind == ValueKind::kNone);
  CHECK(x.At(m.branch_labels.value) == "None");
  CHECK(m.depends_on.kind == ValueKind::kNone);
  REQUIRE(m.docstring.present);
  REQUIRE(m.docstring.revision_id);
  CHECK(m.docstring.revision_id->value == "ab12cd34ef56");
  CHECK(x.At(m.docstring.revision_id->span) == "ab12cd34ef56");
  CHECK(x.Line(m.docstring.revision_id->span) == 3);
  CHECK(x.Col(m.docstring.revision_id->span) == 14);
  REQUIRE(m.docstring.revises);
  CHECK(m.docstring.revises->value == "1975ea83b712");
  REQUIRE(m.docstring.create_date);
  CHECK(m.docstring.create_date->value == "2024-03-01 12:00:00.123456");
  CHECK(x.At(m.docstring.create_date->span) == "2024-03-01 12:00:00.123456");
  CHECK(m.has_upgrade);
  CHECK(m.has_downgrade);
  CHECK(m.full);
}

TEST_CASE("old-style untyped file with a merge tuple and an empty Revises") {
  auto x = Full(
      "\"\"\"merge\n\nRevision ID: 3\nRevises: 1, 2\nCreate Date:\n\"\"\"\n"
      "revision = \"3\"\ndown_revision = (\"1\", \"2\")\nbranch_labels = None\n"
      "depends_on = None\n");
  CHECK(x.m.down_revision.kind == ValueKind::kSequence);
  CHECK(x.m.down_revision.Values() == std::vector<std::string>{"1", "2"});
  CHECK(x.At(x.m.down_revision.items[1].span) == "\"2\"");
  CHECK(x.At(x.m.down_revision.value) == "(\"1\", \"2\")");
  CHECK(x.m.docstring.revises->value == "1, 2");
  REQUIRE(x.m.docstring.create_date);
  CHECK(x.m.docstring.create_date->value.empty());
  CHECK_FALSE(x.m.has_upgrade);
}

TEST_CASE("OpenStack's branch_labels = (cli.EXPAND_BRANCH,) is not a literal") {
  auto x = Full(
      "from neutron.db.migration import cli\n\nrevision = 'a8b517cff8ab'\n"
      "down_revision = 'ab12'\nbranch_labels = (cli.EXPAND_BRANCH,)\n");
  CHECK(x.m.branch_labels.kind == ValueKind::kNotLiteral);
  CHECK(x.m.branch_labels.source == "(cli.EXPAND_BRANCH,)");
  CHECK(x.m.branch_labels.Values().empty());
  CHECK(x.At(x.m.branch_labels.target) == "branch_labels");
  CHECK_FALSE(x.m.docstring.present);
}

struct ValueCase {
  const char* rhs;
  ValueKind kind;
  std::vector<std::string> values;
  const char* first_span = nullptr;  // text of the first item's span
};

TEST_CASE("every literal form a revision value takes") {
  const ValueCase cases[] = {
      {"'a1'", ValueKind::kString, {"a1"}, "'a1'"},
      {"\"a1\"", ValueKind::kString, {"a1"}, "\"a1\""},
      {"'''a1'''", ValueKind::kString, {"a1"}, "'''a1'''"},
      {"\"\"\"a1\"\"\"", ValueKind::kString, {"a1"}},
      {"u'a1'", ValueKind::kString, {"a1"}, "u'a1'"},
      {"r'a\\1'", ValueKind::kString, {"a\\1"}},
      {"'a\\x41\\n\\'\\\\'", ValueKind::kString, {"aA\n'\\"}},
      {"'\\u00e9'", ValueKind::kString, {"\xc3\xa9"}},
      {"'ab' \"cd\"", ValueKind::kString, {"abcd"}, "'ab' \"cd\""},
      {"('ab'\n    'cd')", ValueKind::kString, {"abcd"}, "'ab'\n    'cd'"},
      {"(('a1'))", ValueKind::kString, {"a1"}, "'a1'"},
      {"''", ValueKind::kString, {""}, "''"},
      {"None", ValueKind::kNone, {}},
      {"(None)", ValueKind::kNone, {}},
      {"('a', 'b')", ValueKind::kSequence, {"a", "b"}, "'a'"},
      {"('a',)", ValueKind::kSequence, {"a"}, "'a'"},
      {"'a', 'b'", ValueKind::kSequence, {"a", "b"}},
      {"['a', ('b'),]", ValueKind::kSequence, {"a", "b"}},
      {"(\n    'a',  # first\n    'b',\n)", ValueKind::kSequence, {"a", "b"}},
      {"()", ValueKind::kSequence, {}},
      {"[]", ValueKind::kSequence, {}},
      {"b'a1'", ValueKind::kNotLiteral, {}},
      {"f'a{x}'", ValueKind::kNotLiteral, {}},
      {"('a', None)", ValueKind::kNotLiteral, {}},
      {"('a', x)", ValueKind::kNotLiteral, {}},
      {"x", ValueKind::kNotLiteral, {}},
      {"make_id()", ValueKind::kNotLiteral, {}},
      {"'a' + 'b'", ValueKind::kNotLiteral, {}},
      {"'a' if X else 'b'", ValueKind::kNotLiteral, {}},
  };
  for (const ValueCase& c : cases) {
    for (const char* form : {"revision = {}\n", "revision: str = {}\n",
                             "revision: Union[str, Sequence[str], None] = {}\n",
                             "revision: str | None = {}  # comment\n"}) {
      std::string line = form;
      line.replace(line.find("{}"), 2, c.rhs);
      auto x = Full("import x\n" + line + "down_revision = None\n");
      CAPTURE(line);
      CHECK(x.m.syntax_problems.empty());
      CHECK(x.m.revision.kind == c.kind);
      CHECK(x.m.revision.Values() == c.values);
      CHECK(x.m.revision.source == c.rhs);
      CHECK(x.At(x.m.revision.value) == c.rhs);
      CHECK(x.At(x.m.revision.target) == "revision");
      if (c.first_span != nullptr && !x.m.revision.items.empty()) {
        CHECK(x.At(x.m.revision.items[0].span) == c.first_span);
      }
      CHECK(x.m.down_revision.kind == ValueKind::kNone);
    }
  }
}

TEST_CASE("bytes next to text is CPython's syntax error, in both reads") {
  // `'a' b'c'` used to be read as a value that is not a literal; CPython refuses to compile it
  // ("cannot mix bytes and nonbytes literals"; fuzz regression header_diff/bytes-and-text).
  for (std::string_view rhs : {"'a' b'c'", "b'a' 'c'", "('a'\n    rb'c')", "f'a' B'c'"}) {
    CAPTURE(rhs);
    for (ParseMode mode : {ParseMode::kFull, ParseMode::kHeader}) {
      Extracted x("revision = " + std::string(rhs) + "\ndown_revision = None\n", mode);
      REQUIRE(x.m.syntax_problems.size() == 1);
      CHECK(x.m.syntax_problems[0].message.starts_with("cannot mix bytes and nonbytes"));
    }
  }
  // Bytes with bytes, text with text (any prefixes), and literals apart are fine.
  for (std::string_view rhs : {"b'a' rb'c'", "'a' u'b' f'c' R'd'", "[b'a', 'c']", "b'a' + 'c'"}) {
    CAPTURE(rhs);
    auto x = Full("revision = " + std::string(rhs) + "\ndown_revision = None\n");
    CHECK(x.m.syntax_problems.empty());
  }
}

TEST_CASE("last assignment wins and every one is counted") {
  auto x = Full("revision = 'a'\nrevision = 'b'\ndown_revision = None\n");
  CHECK(x.m.revision.Values() == std::vector<std::string>{"b"});
  CHECK(x.m.revision.assignments == 2);
  CHECK(x.Line(x.m.revision.target) == 2);
}

TEST_CASE("annotation without a value assigns nothing") {
  auto x = Full("revision: str\ndown_revision = None\n");
  CHECK(x.m.revision.kind == ValueKind::kAbsent);
  CHECK(x.m.revision.assignments == 0);
}

TEST_CASE("tuple unpacking is read pairwise, or not at all") {
  auto x = Full("revision, down_revision = 'a', ('b')\n");
  CHECK(x.m.revision.Values() == std::vector<std::string>{"a"});
  CHECK(x.m.down_revision.Values() == std::vector<std::string>{"b"});
  CHECK(x.At(x.m.down_revision.target) == "down_revision");
  auto y = Full("revision, down_revision = PAIR\n");
  CHECK(y.m.revision.kind == ValueKind::kNotLiteral);
  CHECK(y.m.down_revision.kind == ValueKind::kNotLiteral);
  CHECK(y.m.down_revision.source == "PAIR");
}

TEST_CASE("chained assignment sets both names") {
  auto x = Full("revision = down_revision = 'a'\n");
  CHECK(x.m.revision.Values() == std::vector<std::string>{"a"});
  CHECK(x.m.down_revision.Values() == std::vector<std::string>{"a"});
}

TEST_CASE("assignments inside module-level blocks are conditional, function locals are ignored") {
  auto x = Full(
      "revision = 'a'\nif USE_B:\n    revision = 'b'\ntry:\n    down_revision = 'c'\n"
      "except ImportError:\n    down_revision = None\n"
      "def f():\n    depends_on = 'x'\nclass K:\n    branch_labels = ('y',)\n");
  CHECK(x.m.revision.kind == ValueKind::kNotLiteral);
  CHECK(x.m.revision.conditional);
  CHECK(x.m.revision.assignments == 2);
  CHECK(x.m.revision.source == "'b'");
  CHECK(x.Line(x.m.revision.target) == 3);
  CHECK(x.m.down_revision.kind == ValueKind::kNotLiteral);
  CHECK(x.m.down_revision.assignments == 2);
  CHECK(x.m.depends_on.kind == ValueKind::kAbsent);
  CHECK(x.m.branch_labels.kind == ValueKind::kAbsent);
  auto aug = Full("revision = 'a'\nrevision += 'b'\n");
  CHECK(aug.m.revision.kind == ValueKind::kNotLiteral);
  CHECK(aug.m.revision.assignments == 2);
}

TEST_CASE("docstring forms") {
  SUBCASE("field values keep their exact spans after escapes and indentation") {
    auto x = Full("'''Title\n    Revision ID: \\x61bc   \n  Revises:\n'''\nrevision = 'abc'\n");
    REQUIRE(x.m.docstring.revision_id);
    CHECK(x.m.docstring.revision_id->value == "abc");
    CHECK(x.At(x.m.docstring.revision_id->span) == "\\x61bc");
    REQUIRE(x.m.docstring.revises);
    CHECK(x.m.docstring.revises->value == "");
    CHECK(x.m.docstring.revises->span.begin == x.m.docstring.revises->span.end);
    CHECK_FALSE(x.m.docstring.create_date);
  }
  SUBCASE("an f-string or bytes first statement is no docstring") {
    CHECK_FALSE(Full("f'''Revision ID: a'''\n").m.docstring.present);
    CHECK_FALSE(Full("b'''Revision ID: a'''\n").m.docstring.present);
  }
  SUBCASE("comments before the docstring are fine; code before it is not") {
    auto x = Full("# -*- coding: utf-8 -*-\n\"\"\"Revision ID: a\"\"\"\n");
    REQUIRE(x.m.docstring.present);
    CHECK(x.m.docstring.revision_id->value == "a");
    CHECK_FALSE(Full("import os\n\"\"\"Revision ID: a\"\"\"\n").m.docstring.present);
  }
}

TEST_CASE("file checks") {
  SUBCASE("empty file: no facts, no problems") {
    auto x = Full("");
    CHECK(x.m.syntax_problems.empty());
    CHECK_FALSE(x.m.revision.present());
  }
  SUBCASE("NUL byte: binary, nothing read") {
    auto x = Full(std::string("revision = 'a'\nx\0y", 18));
    REQUIRE(x.m.syntax_problems.size() == 1);
    CHECK(x.m.syntax_problems[0].message.find("binary file: NUL byte at line 2, column 2") == 0);
    CHECK(x.m.syntax_problems[0].span.begin == 16);
    CHECK_FALSE(x.m.revision.present());
  }
  SUBCASE("the UTF-8 check refuses exactly what CPython's decoder refuses") {
    // Each sequence sits in a string literal (outside a comment, so CPython would refuse it);
    // the vectorised fast path and the byte walk must agree on every one.
    const std::pair<std::string, bool> cases[] = {
        {"\xc3\xa9", true},           // U+00E9
        {"\xe2\x82\xac", true},       // U+20AC
        {"\xf0\x9f\x98\x80", true},   // U+1F600
        {"\xf4\x8f\xbf\xbf", true},   // U+10FFFF, the last code point
        {"\xc0\x80", false},          // overlong NUL
        {"\xe0\x80\xaf", false},      // overlong '/'
        {"\xed\xa0\x80", false},      // U+D800, a surrogate
        {"\xf4\x90\x80\x80", false},  // above U+10FFFF
        {"\xf5\x80\x80\x80", false},  // no such lead byte
        {"\xe2\x82", false},          // truncated
        {"\x80", false},              // a lone continuation byte
    };
    for (const auto& c : cases) {
      const std::string& bytes = c.first;
      const bool valid = c.second;  // not a structured binding: CAPTURE's lambda takes it
      CAPTURE(valid);
      // Long ASCII around it, so the fast path sees full vectors on both sides.
      std::string pad(100, 'a');
      auto x = Full("revision = 'a'\nx = '" + pad + bytes + pad + "'\n");
      CHECK(x.m.syntax_problems.empty() == valid);
      if (!valid) {
        REQUIRE_FALSE(x.m.syntax_problems.empty());
        CHECK(x.m.syntax_problems[0].span.begin == 20 + pad.size());
      }
    }
  }
  SUBCASE("invalid UTF-8 is reported with line:col and the readable facts kept") {
    auto x = Full("revision = 'a'\n# caf\xe9\ndown_revision = None\n");
    REQUIRE(x.m.syntax_problems.size() == 1);
    CHECK(x.m.syntax_problems[0].message.find("byte 0xE9 at line 2, column 6") !=
          std::string::npos);
    CHECK(x.m.syntax_problems[0].span.begin == 20);
    CHECK(x.m.revision.Values() == std::vector<std::string>{"a"});
    CHECK(x.m.down_revision.kind == ValueKind::kNone);
  }
  SUBCASE("overlong and surrogate encodings are invalid, a coding line makes latin-1 fine") {
    CHECK(Full("x = '\xc0\xaf'\n").m.syntax_problems.size() == 1);
    CHECK(Full("x = '\xed\xa0\x80'\n").m.syntax_problems.size() == 1);
    CHECK(Full("x = '\xf0\x9f\x98\x80'\n").m.syntax_problems.empty());
    CHECK(Full("# -*- coding: latin-1 -*-\nx = 'caf\xe9'\n").m.syntax_problems.empty());
  }
  SUBCASE("a BOM is skipped and spans stay file offsets") {
    auto x = Full("\xEF\xBB\xBF\"\"\"Revision ID: a\"\"\"\nrevision = 'a'\n");
    CHECK(x.m.syntax_problems.empty());
    CHECK(x.m.docstring.present);
    CHECK(x.At(x.m.revision.items[0].span) == "'a'");
    CHECK(x.At(x.m.docstring.revision_id->span) == "a");
  }
  SUBCASE("over 8 MiB is not parsed") {
    auto x = Full("revision = 'a'\n" + std::string(9u << 20, '#'));
    REQUIRE(x.m.syntax_problems.size() == 1);
    CHECK(x.m.syntax_problems[0].message ==
          "not parsed: the file is 9.0 MiB, over the 8 MiB limit");
    CHECK_FALSE(x.m.revision.present());
  }
}

TEST_CASE("syntax errors are reported and facts outside them still read") {
  auto x = Full(
      "revision = 'a'\ndown_revision = 'b'\n\ndef upgrade():\n"
      "    op.add_column('t', sa.Column('x')\n\ndef downgrade():\n    pass\n");
  REQUIRE_FALSE(x.m.syntax_problems.empty());
  CHECK(x.m.syntax_problems[0].message == "invalid syntax: `(` is never closed");
  CHECK(x.At(x.m.syntax_problems[0].span) == "(");
  CHECK(x.Line(x.m.syntax_problems[0].span) == 5);
  CHECK(x.Col(x.m.syntax_problems[0].span) == 18);
  CHECK(x.m.revision.Values() == std::vector<std::string>{"a"});
  CHECK(x.m.down_revision.Values() == std::vector<std::string>{"b"});
  auto y = Full("revision = 'a'\nx = (1,\ndown_revision = None\n");
  REQUIRE_FALSE(y.m.syntax_problems.empty());
  CHECK(y.m.syntax_problems[0].message == "invalid syntax: `(` is never closed");
  CHECK(y.Line(y.m.syntax_problems[0].span) == 2);
  CHECK(y.m.revision.Values() == std::vector<std::string>{"a"});
  auto z = Full("revision = 'a'\ndef upgrade(:\n    pass\n");
  REQUIRE_FALSE(z.m.syntax_problems.empty());
  CHECK(z.Line(z.m.syntax_problems[0].span) == 2);
  CHECK(z.m.syntax_problems[0].message == "invalid syntax: missing `)`");
  auto w = Full("revision = 'a'\nx = 1 +\ny = $\ndown_revision = None\n");
  REQUIRE_FALSE(w.m.syntax_problems.empty());
  CHECK(w.m.syntax_problems[0].message.find("invalid syntax: unexpected `") == 0);
  CHECK(w.m.down_revision.kind == ValueKind::kNone);
}

TEST_CASE("suppression comments") {
  auto x = Full(
      "revision = 'a'  # alembic-lint: ignore[multiple-heads, bad-name] legacy repo\n"
      "# alembic-lint: ignore-file[sql-syntax]\n"
      "s = '# alembic-lint: ignore[not-a-comment]'\n"
      "# noqa: E501  # alembic-lint: ignore[x]\n"
      "# alembic-lint: ignore\n"
      "# alembic-lint: ignore[]\n"
      "# alembic-lint: disable[x]\n"
      "# alembic-lint ignore[x]\n"
      "# alembic-lint: ignore[a b]\n"
      "# see the alembic-lint docs\n");
  const auto& s = x.m.suppressions;
  REQUIRE(s.size() == 8);
  CHECK(s[0].malformed.empty());
  CHECK(s[0].line == 1);
  CHECK_FALSE(s[0].own_line);
  CHECK_FALSE(s[0].file_level);
  REQUIRE(s[0].rules.size() == 2);
  CHECK(s[0].rules[0].value == "multiple-heads");
  CHECK(x.At(s[0].rules[1].span) == "bad-name");
  CHECK(s[0].reason == "legacy repo");
  CHECK(x.At(s[0].span).starts_with("# alembic-lint: ignore["));
  CHECK(s[1].file_level);
  CHECK(s[1].own_line);
  CHECK(s[1].rules[0].value == "sql-syntax");
  CHECK(s[1].reason.empty());
  CHECK(s[2].line == 4);
  CHECK(x.At(s[2].span) == "# alembic-lint: ignore[x]");
  CHECK(s[2].own_line);
  for (size_t i = 3; i < 8; ++i) {
    CAPTURE(i);
    CHECK_FALSE(s[i].malformed.empty());
    CHECK(s[i].rules.empty());
  }
  CHECK(s[3].malformed.find("no blanket form") != std::string::npos);
  CHECK(s[5].malformed.find("unknown directive `disable`") == 0);
}

}  // namespace alint
