#include "lint/python/const_resolve.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lint/core/file_source.h"
#include "lint/python/extract.h"

namespace alint {

namespace {

using Strings = std::vector<std::string>;
const Strings kRoots = {"src"};

// Both readers (header scan and tree-sitter), then the resolver: they must agree.
std::vector<Migration> Read(const MemoryFileSource& fs, const std::string& path) {
  std::vector<Migration> out;
  for (ParseMode mode : {ParseMode::kHeader, ParseMode::kFull}) {
    SourceFile file(0, path, *fs.Read(path));
    Migration m = ExtractMigration(file, mode);
    ResolveImportedConstants(fs, kRoots, file, &m);
    out.push_back(std::move(m));
  }
  return out;
}

std::string Mig(const std::string& imports, const std::string& labels,
                const std::string& down = "None") {
  return imports + "\nrevision = \"a1b2c3d4e5f6\"\ndown_revision = " + down +
         "\nbranch_labels = " + labels + "\ndepends_on = None\n\n\ndef upgrade():\n    pass\n";
}

}  // namespace

TEST_CASE("imported constant branch label: `from pkg import mod` then (mod.NAME,)") {
  MemoryFileSource fs;
  fs.Add("src/shop/__init__.py", "");
  fs.Add("src/shop/db/__init__.py", "");
  fs.Add("src/shop/db/cli.py",
         "import os\n\nEXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = \"contract\"\n"
         "MIGRATION_BRANCHES = (EXPAND_BRANCH, CONTRACT_BRANCH)\n\ndef main():\n"
         "    CONTRACT_BRANCH = 'nope'\n");
  fs.Add("v/c1.py", Mig("from shop.db import cli", "(cli.CONTRACT_BRANCH,)"));
  for (const Migration& m : Read(fs, "v/c1.py")) {
    CHECK(m.branch_labels.kind == ValueKind::kSequence);
    CHECK(m.branch_labels.Values() == Strings{"contract"});
    CHECK(m.branch_labels.resolved_from == "shop.db.cli.CONTRACT_BRANCH");
    // The item points at the expression in the migration.
    const std::string text = *fs.Read("v/c1.py");
    const Span& s = m.branch_labels.items[0].span;
    CHECK(text.substr(s.begin, s.end - s.begin) == "cli.CONTRACT_BRANCH");
  }
}

TEST_CASE("imported constants: from-import, aliases, re-assignment chains, tuples, relative") {
  MemoryFileSource fs;
  fs.Add("src/shop/__init__.py", "from .names import BASE as ROOT_LABEL\n");
  fs.Add("src/shop/names.py", "BASE = 'core'\nALIAS = BASE\nBOTH = [ALIAS, 'extra']\n");
  fs.Add("v/a.py", Mig("from shop.names import ALIAS as L", "L"));
  fs.Add("v/b.py", Mig("import shop.names", "shop.names.BOTH"));
  fs.Add("v/c.py", Mig("from shop import ROOT_LABEL", "(ROOT_LABEL, 'x')"));
  fs.Add("v/d.py", Mig("LOCAL = 'here'\n", "LOCAL"));
  fs.Add("v/consts.py", "DOWN = 'ffeeddccbbaa'\n");
  fs.Add("v/e.py", Mig("from .consts import DOWN", "None", "DOWN"));
  for (const Migration& m : Read(fs, "v/a.py")) {
    CHECK(m.branch_labels.kind == ValueKind::kString);
    CHECK(m.branch_labels.Values() == Strings{"core"});
  }
  for (const Migration& m : Read(fs, "v/b.py")) {
    CHECK(m.branch_labels.kind == ValueKind::kSequence);
    CHECK(m.branch_labels.Values() == Strings{"core", "extra"});
  }
  for (const Migration& m : Read(fs, "v/c.py")) {
    CHECK(m.branch_labels.Values() == Strings{"core", "x"});
  }
  for (const Migration& m : Read(fs, "v/d.py")) {
    CHECK(m.branch_labels.Values() == Strings{"here"});
  }
  for (const Migration& m : Read(fs, "v/e.py")) {
    CHECK(m.down_revision.kind == ValueKind::kString);
    CHECK(m.down_revision.Values() == Strings{"ffeeddccbbaa"});
  }
}

TEST_CASE("imported constants that cannot be resolved stay unknown, with the reason") {
  MemoryFileSource fs;
  fs.Add("src/shop/names.py",
         "import os\nCOMPUTED = os.environ['X']\nLOOP = LOOP2\nLOOP2 = LOOP\n"
         "if os.name:\n    LATER = 'x'\n");
  fs.Add("v/a.py", Mig("from shop.names import COMPUTED", "(COMPUTED,)"));
  fs.Add("v/b.py", Mig("from elsewhere import NAME", "(NAME,)"));
  fs.Add("v/c.py", Mig("from shop.names import LOOP", "LOOP"));
  fs.Add("v/d.py", Mig("from shop.names import LATER", "LATER"));
  fs.Add("v/e.py", Mig("from shop import names", "names"));
  struct Case {
    std::string file, why;
  };
  for (const Case& c : std::vector<Case>{{"v/a.py", "not a name"},
                                         {"v/b.py", "module `elsewhere` is not in the repository"},
                                         {"v/c.py", "more than 8 steps"},
                                         {"v/d.py", "`LATER` is not defined at the top level"},
                                         {"v/e.py", "is a module"}}) {
    CAPTURE(c.file);
    for (const Migration& m : Read(fs, c.file)) {
      CHECK(m.branch_labels.kind == ValueKind::kNotLiteral);
      CHECK(m.branch_labels.unresolved.find(c.why) != std::string::npos);
    }
  }
}

}  // namespace alint

namespace alint {

TEST_CASE("imported constants: a wide tuple of names resolves; a hostile fan-out is bounded") {
  MemoryFileSource fs;
  std::string names = "A0 = 'l0'\n", tuple = "(";
  for (int i = 1; i < 12; ++i)
    names += "A" + std::to_string(i) + " = A" + std::to_string(i - 1) + "\n";
  for (int i = 0; i < 12; ++i) tuple += "A" + std::to_string(i % 6) + ", ";
  tuple += ")";
  fs.Add("src/wide.py", names + "WIDE = " + tuple + "\n");
  fs.Add("v/a.py", Mig("from wide import WIDE", "WIDE"));
  for (const Migration& m : Read(fs, "v/a.py")) {
    CHECK(m.branch_labels.kind == ValueKind::kSequence);
    CHECK(m.branch_labels.items.size() == 12);
  }
  // Every level a tuple of 50 names of the level below: never expanded (an element must be
  // a string), and the total work is capped.
  std::string bomb = "L0 = 'x'\n";
  for (int l = 1; l < 8; ++l) {
    bomb += "L" + std::to_string(l) + " = (";
    for (int i = 0; i < 50; ++i) bomb += "L" + std::to_string(l - 1) + ", ";
    bomb += ")\n";
  }
  fs.Add("src/bomb.py", bomb);
  fs.Add("v/b.py", Mig("from bomb import L7", "L7"));
  for (const Migration& m : Read(fs, "v/b.py")) {
    CHECK(m.branch_labels.kind == ValueKind::kNotLiteral);
  }
}

}  // namespace alint
