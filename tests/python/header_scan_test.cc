#include "lint/python/header_scan.h"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "lint/python/file_checks.h"
#include "tests/python/test_util.h"

namespace alint {
namespace {

void CheckSame(const RevisionValue& a, const RevisionValue& b) {
  CHECK(a.kind == b.kind);
  CHECK(a.target == b.target);
  CHECK(a.value == b.value);
  CHECK(a.source == b.source);
  CHECK(a.assignments == b.assignments);
  CHECK(a.conditional == b.conditional);
  REQUIRE(a.items.size() == b.items.size());
  for (size_t i = 0; i < a.items.size(); ++i) {
    CHECK(a.items[i].value == b.items[i].value);
    CHECK(a.items[i].span == b.items[i].span);
  }
}

void CheckSame(const std::optional<DocField>& a, const std::optional<DocField>& b) {
  REQUIRE(a.has_value() == b.has_value());
  if (!a) return;
  CHECK(a->value == b->value);
  CHECK(a->span == b->span);
}

// The header part of `fast` equals the header part of `full`.
void CheckSameHeader(const Migration& fast, const Migration& full) {
  CheckSame(fast.revision, full.revision);
  CheckSame(fast.down_revision, full.down_revision);
  CheckSame(fast.branch_labels, full.branch_labels);
  CheckSame(fast.depends_on, full.depends_on);
  CHECK(fast.docstring.present == full.docstring.present);
  CHECK(fast.docstring.span == full.docstring.span);
  CheckSame(fast.docstring.revision_id, full.docstring.revision_id);
  CheckSame(fast.docstring.revises, full.docstring.revises);
  CheckSame(fast.docstring.create_date, full.docstring.create_date);
  REQUIRE(fast.suppressions.size() == full.suppressions.size());
  for (size_t i = 0; i < fast.suppressions.size(); ++i) {
    const Suppression &a = fast.suppressions[i], &b = full.suppressions[i];
    CHECK(a.span == b.span);
    CHECK(a.line == b.line);
    CHECK(a.own_line == b.own_line);
    CHECK(a.file_level == b.file_level);
    CHECK(a.reason == b.reason);
    CHECK(a.malformed == b.malformed);
    REQUIRE(a.rules.size() == b.rules.size());
    for (size_t k = 0; k < a.rules.size(); ++k) {
      CHECK(a.rules[k].value == b.rules[k].value);
      CHECK(a.rules[k].span == b.rules[k].span);
    }
  }
}

bool Scans(const SourceFile& f) { return ScanHeader(f, CheckFileBytes(f).start).has_value(); }

const char* const kTemplate = R"PY("""{msg}

Revision ID: {rev}
Revises: {down}
Create Date: 2023-01-01 00:00:00

"""
from typing import Sequence, Union

from alembic import op  # alembic-lint: ignore[op-import] reason here
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '{rev}'
down_revision: Union[str, None] = {downv}
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # revision = "not this one"
    s = """
revision = 'nor this'
"""
    op.execute(f"SELECT '{{x}}' -- \"{s}\"")
    op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True))  # alembic-lint: ignore[x]


def downgrade() -> None:
    revision = 'local'
    op.drop_table('t')
)PY";

}  // namespace

TEST_CASE("the header scanner reads the common shapes without falling back, and agrees") {
  const char* const variants[] = {
      "revision = 'a'\ndown_revision = None\n",
      "\xEF\xBB\xBF\"\"\"Revision ID: a\nRevises: \n\"\"\"\nrevision = 'a'\n",
      "'''doc''' '''more\nRevision ID: \\x61'''\nrevision = \"a\"\n",
      "r'''Revision ID: a\\n'''\nrevision = u'a'\n",
      "revision = (\n    'a'\n    'b'\n)\ndown_revision = ('x', 'y',)\n",
      "down_revision = ['x', ('y'), \"\"\"z\"\"\"]\nbranch_labels = ()\ndepends_on = []\n",
      "down_revision = 'x', 'y'\n",
      "branch_labels = (cli.EXPAND_BRANCH,)\nrevision = make(\n  'a', k=1)  # c\n",
      "revision = 'a' if X else 'b'\ndown_revision = b'x'\ndepends_on = f'{x}'\n",
      "revision: str | None = 'a'\nrevision: str = 'b'\ndown_revision: str\n",
      "revision = \\\n    'a'\n",
      "import os\n\"\"\"not a docstring\"\"\"\nrevision = 'a'\n",
      "# only a comment\n# alembic-lint: ignore-file[a,b,] why\n",
      "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\"\"\"Revision ID: x\"\"\"\n",
      "class K:\n    revision = 'no'\n\n@decorator(revision)\ndef f(revision=1): revision = 2\n",
      "x = {'revision': 1}  # alembic-lint: ignore\nrevision = 'a'  # alembic-lint: ignore[]\n",
      "s = '''\nrevision = 'x'\n'''\nrevision = 'y'\n",
      "s = 'it\\'s # not a comment'  # alembic-lint: ignore[real]\n",
      "s = f'{a[\"k\"]}'\nrevision = 'a'\n",
      "",
      "\n\n   \n",
      // Targets, annotations and block headers that are valid Python keep the fast path.
      "revision = 'a'\nx.y[i + 1], *z = w = 1, 2\nk[a - 1:b] += 1\nv: dict[str, int] | None = {}\n",
      "revision = 'a'\n[a, (b, c)] = x\nmatch = type = 1\nasync def f(x=1) -> int:\n    pass\n",
      "revision = 'a'\nclass K(B, metaclass=M): pass\nif x:\n    y = 1\nelse:\n    y = 2\n",
      "import a.b as c, d\nfrom . import x\nfrom ..p.q import (r,\n  s)\nrevision = 'a'\n",
      "from m import *\nrevision = 'a'\n",
      // The line grammar and block checks accept the everyday Python of a migration.
      "revision = 'a'\n@op.f(x=1)\n@property\ndef g(self, a, b: int = 1, *c, d, **e) -> None:\n"
      "    global q\n    assert a, 'm'\n    del a[0], b.c\n    return [x * 2 for x in y if x]\n",
      "revision = 'a'\ntry:\n    import a\nexcept (A, B) as e:\n    raise C() from e\n"
      "except D:\n    pass\nelse:\n    pass\nfinally:\n    x = lambda a, b: a if b else -a\n",
      "revision = 'a'\nfor i, (k, v) in enumerate(d.items()):\n    if k not in s and v is not "
      "None:\n"
      "        continue\n    elif (n := len(k)) > 1:\n        break\nelse:\n    pass\n",
      "revision = 'a'\nwith op.batch_alter_table('t') as b, open(p) as f:\n    b.drop_column('c')\n"
      "while not done:\n    done = {k: v for k, v in x} or {*a, b} or {**m, 'k': 1} or f(*a, "
      "**k)\n",
      "revision = 'a'\nasync def f():\n    await g()\n    async with a as b:\n        yield\n"
      "    async for x in y:\n        z = yield x\n",
      "revision = 'a'\nt = sa.table('t', sa.column('id'))\nop.execute(t.update().where(t.c.id == 1)"
      ".values(v=~t.c.v, w=-1 ** 2, u=a[1:2, ::3], s=f'{t.name!r:>10} {x[\"k\"]} {y()}'))\n",
      "revision = 'a'\nif a < b <= c != d:\n    x = (1,)\nx = None\ny = [\n    1,\n    2,\n]\n",
      "revision = 'a'\nhead, *rest = parts\nmerged = *a, *b\nfor p in *a, *b:\n    pass\n",
  };
  for (const char* text : variants) {
    const std::string shown(text);
    CAPTURE(shown);
    SourceFile f(0, "v.py", text);
    CHECK(Scans(f));
    CheckSameHeader(ExtractMigration(f, ParseMode::kHeader), ExtractMigration(f, ParseMode::kFull));
  }
  SourceFile tmpl(0, "t.py", kTemplate);
  CHECK(Scans(tmpl));
  Migration fast = ExtractMigration(tmpl, ParseMode::kHeader);
  CheckSameHeader(fast, ExtractMigration(tmpl, ParseMode::kFull));
  CHECK(fast.revision.Values() == std::vector<std::string>{"{rev}"});
  CHECK(fast.suppressions.size() == 2);
}

TEST_CASE("the header scanner falls back on what it is not sure of, and still agrees") {
  const char* const variants[] = {
      "revision, down_revision = 'a', 'b'\n",
      "revision = down_revision = 'a'\n",
      "if X:\n    revision = 'a'\nelse:\n    revision = 'b'\n",
      "try:\n    from x import revision\nexcept ImportError:\n    revision = None\n",
      "revision = 'a'; down_revision = None\n",
      "revision += 'a'\n",
      "revision = ('a'\ndown_revision = None\n",
      "revision = 'a\ndown_revision = None\n",
      "(\"\"\"Revision ID: a\"\"\")\nrevision = 'a'\n",
      "  revision = 'a'\n",
      "revision = 'a')\n",
      "print(revision)\n",
      // Fuzz regressions header_diff/*: statements CPython refuses that tree-sitter's error
      // recovery reads with an error node the scanner did not see.
      "revision = 'a'\ndown_revisio-n = None\n",
      "revision = 'a'\nbranch_labelsade():\n    pass\n",
      "revision = 'a'\ndown_revisine\n\ndef ubranch_labels = ('x',)\ndepends_on = None\n",
      "revision = 'a'\nrevrade():\n    op.drop_column('t', 'c')\n",
      "revision = 'a'\nf() = 1\n",
      "revision = 'a'\n'x' = 1\n",
      "revision = 'a'\nx + 1 += 1\n",
      "revision = 'a'\nNone = 1\n",
      "revision = 'a'\n(a, b + 1) = 1, 2\n",
      "revision = 'a'\nclass = 1\n",
      "revision = 'a'\ndef = 1\n",
      "revision = 'a'\nasync x = 1\n",
      "revision = 'a'\ndef upgrade():\n    a - b = 1\n",
      // header_diff/from-amp-import (the smoke run): an import line CPython refuses.
      "from&import ot\nrevision = 'a'\n",
      "revision = 'a'\nimport\n",
      "revision = 'a'\nfrom . import\n",
      "revision = 'a'\nfrom x.import y\n",
      "from0anembic import context\nrevision = 'a'\n",
      "revision = 'a'\nconfi: = context.config\n",
      "revision = 'a'\nx + = 1\n",
      "revision = \"7a91c3\"None\n",
      // header_diff round 5: what the line grammar (and the block check) refuse.
      "revision = 'a'\n97[]\n",
      "revision = 'a'\nh; wor: osk; wkk:; h\n",
      "revision = 'a'\ne, O, i, and i\n",
      "revision = 'a'\ntype ~s\n",
      "revision = 'a'\nx *= y = z\n",
      "revision = 'a'\nwith x:action():\n    pass\n",
      "revision = 'a'\nfor t ^ b in (1, 2):\n    pass\n",
      "revision = 'a'\nop.execute(f'ALTER TABLE {&table} ADD c')\n",
      "revision = 'a'\nf(a=1, b)\n",
      "revision = 'a'\n(a for b)\n",
      "revision = 'a'\ndef f(a=1, b):\n    pass\n",
      "revision = 'a'\nx = 1\nelif y:\n    pass\n",
      "revision = 'a'\ndef f():\n    x = 1\n    except KeyError:\n        pass\n",
      "revision = 'a'\ntry:\n    pass\nx = 1\n",
      "revision = 'a'\nfor x in y:\n    pass\nfinally:\n    pass\n",
      // Valid Python that tree-sitter misreads: left to it, so both commands agree.
      "x,\nrevision = 'a'\n",
      "revision = 'a'\n1, *5\n",
      // header_diff round 7: a lone starred value (`x = *a` is refused; `x = *a,` is not).
      "h; enn = *(\"0a1\")\nrevision = 'a'\n",
  };
  int i = 0;
  for (const char* text : variants) {
    CAPTURE(i++);
    CAPTURE(text);
    SourceFile f(0, "v.py", text);
    CHECK_FALSE(Scans(f));
    CheckSameHeader(ExtractMigration(f, ParseMode::kHeader), ExtractMigration(f, ParseMode::kFull));
  }
}

TEST_CASE("header mode agrees with full mode on every fixture") {
  namespace fs = std::filesystem;
  fs::path root = fs::path(ALINT_SOURCE_DIR) / "fixtures";
  if (!fs::exists(root)) return;
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    SourceFile f(0, entry.path().string(), ss.str());
    CAPTURE(f.path);
    CheckSameHeader(ExtractMigration(f, ParseMode::kHeader), ExtractMigration(f, ParseMode::kFull));
    ++files;
  }
  MESSAGE("compared header facts of " << files << " fixture files");
}

TEST_CASE("ExtractMigration is safe to call from several threads") {
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) {
    texts.push_back("revision = 'r" + std::to_string(i) +
                    "'\ndef upgrade():\n    op.execute('SELECT " + std::to_string(i) + "')\n");
  }
  std::vector<int> ok(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        SourceFile f(0, "x.py", texts[i]);
        Migration m = ExtractMigration(f, t % 2 ? ParseMode::kFull : ParseMode::kHeader);
        bool good = m.revision.Values() == std::vector<std::string>{"r" + std::to_string(i)};
        if (t % 2)
          good = good && m.sql.size() == 1 && m.sql[0].text == "SELECT " + std::to_string(i);
        ok[t] += good;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(ok == std::vector<int>(4, 40));
}

}  // namespace alint

namespace alint {

TEST_CASE("PythonOperatorLength is Python's longest match for every punctuation triple") {
  // Python's operators and delimiters of two and three characters.
  const std::string_view kOps3[] = {"**=", "//=", ">>=", "<<=", "..."};
  const std::string_view kOps2[] = {"==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=",
                                    "|=", "^=", "@=", ":=", "->", "**", "//", "<<", ">>"};
  const std::string_view kPunct = "=<>!+-*/%&|^~@:;,.";
  int checked = 0;
  for (char a : kPunct) {
    for (char b : std::string(kPunct) + "x") {
      for (char c : std::string(kPunct) + "x") {
        std::string t{a, b, c};
        uint32_t want = 1;
        for (std::string_view op : kOps3) {
          if (std::string_view(t).substr(0, 3) == op) want = 3;
        }
        for (std::string_view op : kOps2) {
          if (want == 1 && std::string_view(t).substr(0, 2) == op) want = 2;
        }
        CAPTURE(t);
        CHECK(PythonOperatorLength(t, 0) == want);
        ++checked;
      }
    }
    CHECK(PythonOperatorLength(std::string(1, a), 0) == 1);  // at the end of the text
  }
  CHECK(checked == 18 * 19 * 19);
}

}  // namespace alint
