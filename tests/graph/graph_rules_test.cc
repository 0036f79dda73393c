#include <doctest/doctest.h>

#include "rules/registry.h"
#include "tests/graph/graph_test_util.h"

namespace alint {
namespace {

using testing::Repo;

const Rule& R(std::string_view name) {
  const Rule* r = FindRule(name);
  REQUIRE(r != nullptr);
  return *r;
}

TEST_CASE("duplicate-revision reports every file with the others as related") {
  Repo r;
  r.Rev("a1", "None");
  r.Add("versions/b2_from_pr1.py", "revision = \"b2\"\ndown_revision = \"a1\"\n");
  r.Add("versions/b2_from_pr2.py", "revision = \"b2\"\ndown_revision = \"a1\"\n");
  auto f = r.Check(R("duplicate-revision"));
  REQUIRE(f.size() == 2);
  CHECK(f[0].span.file == 1);
  CHECK(r.Text(f[0].span) == "\"b2\"");
  CHECK(f[0].message == "revision id `b2` is also declared in `versions/b2_from_pr2.py`");
  REQUIRE(f[0].related.size() == 1);
  CHECK(f[0].related[0].span.file == 2);
  CHECK(f[0].help->find("down_revision = \"b2\"") != std::string::npos);
  CHECK(f[0].severity == Severity::kError);
  CHECK(r.Check(R("duplicate-revision")).size() == 2);
}

TEST_CASE("duplicate-revision at scale: related locations are capped, the rest counted") {
  Repo r;
  r.Rev("a1", "None");
  for (int i = 0; i < 1000; ++i) {
    r.Add((i < 600 ? "versions/b2_copy" : "other/b2_copy") + std::to_string(1000 + i) + ".py",
          "revision = \"b2\"\ndown_revision = \"a1\"\n");
  }
  auto f = r.Check(R("duplicate-revision"));
  REQUIRE(f.size() == 1000);
  size_t bytes = 0;
  for (const Finding& x : f) {
    CHECK(x.related.size() == kMaxRelatedLocations);
    bytes += x.message.size() + (x.help ? x.help->size() : 0);
  }
  CHECK(bytes < 2000000);  // every file naming the 999 others was 53 MB in text output
  // Ten files by name, then the other 989 counted by directory.
  const std::string& m = f[0].message;
  CHECK(m.rfind("revision id `b2` is also declared in `", 0) == 0);
  size_t names = 0;
  for (size_t p = 0; (p = m.find(".py`", p)) != std::string::npos; ++p) ++names;
  CHECK(names == kMaxRelatedLocations);
  CHECK(m.find(" and 994 more (") != std::string::npos);
  CHECK(m.find(" in `other`") != std::string::npos);
  CHECK(m.find(" in `versions`") != std::string::npos);
}

TEST_CASE("multiple-heads anchors on the file that branched off the middle, with a fix") {
  Repo r;
  r.Rev("a", "None");
  r.Rev("b", "\"a\"");
  r.Rev("c", "\"b\"");
  r.Rev("d", "\"c\"");
  r.Rev("p", "\"b\"");  // the PR migration written against an old head
  auto f = r.Check(R("multiple-heads"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].span.file == 4);
  CHECK(r.Text(f[0].span) == "\"b\"");
  CHECK(f[0].message.find("`p` and `d` both descend from `b`") != std::string::npos);
  CHECK(f[0].help->find("alembic merge -m \"merge heads\" d p") != std::string::npos);
  CHECK(f[0].help->find("down_revision = \"d\"") != std::string::npos);
  REQUIRE(f[0].fix);
  CHECK(f[0].fix->edits[0].replacement == "\"d\"");
  CHECK(f[0].fix->applicability == Applicability::kUnsafe);

  LintSettings two;
  two.options["expected-heads"].number = 2;
  CHECK(r.Check(R("multiple-heads"), two).empty());
}

TEST_CASE("multiple-heads uses Create Date to find the newer side") {
  Repo r;
  r.Rev("a", "None");
  r.Rev("b", "\"a\"", "Create Date: 2024-05-01 10:00:00\n");
  r.Rev("c", "\"a\"", "Create Date: 2024-03-01 10:00:00\n");
  r.Rev("d", "\"c\"", "Create Date: 2024-03-02 10:00:00\n");
  auto f = r.Check(R("multiple-heads"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].span.file == 1);  // b is newer even though its branch is shorter... and it is
  CHECK(f[0].fix->edits[0].replacement == "\"d\"");
}

TEST_CASE("multiple-heads: labelled expand/contract heads are not a fork") {
  Repo r;
  r.Rev("base", "None");
  r.Rev("e1", "\"base\"", "branch_labels = (\"expand\",)\n");
  r.Rev("e2", "\"e1\"");
  r.Rev("c1", "\"base\"", "branch_labels = (\"contract\",)\n");
  CHECK(r.Check(R("multiple-heads")).empty());
  // Only the listed labels count when allowed_branch_labels is set.
  LintSettings s;
  s.options["allowed-branch-labels"].list = {"expand"};
  CHECK(r.Check(R("multiple-heads"), s).empty());  // {expand} vs {} still differ
  r.Rev("e3", "\"e1\"");                           // a fork inside expand
  r.Build();
  auto f = r.Check(R("multiple-heads"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("on branch `expand`") != std::string::npos);
}

TEST_CASE("multiple-heads says when a head is only an effective head") {
  Repo r;
  r.Rev("a", "None");
  r.Rev("b", "\"a\"");
  r.Rev("c", "\"a\"", "depends_on = \"b\"\n");
  auto f = r.Check(R("multiple-heads"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].help->find("`b` is only an effective head") != std::string::npos);
}

TEST_CASE("dangling-down-revision suggests the renamed file and fixes it") {
  Repo r;
  r.Add("versions/3f2a9c1d7e4b_add_users.py",
        "revision = \"9d8c7b6a5f4e\"\ndown_revision = None\n");
  r.Rev("1975ea83b712", "\"3f2a9c1d7e4b\"");
  auto f = r.Check(R("dangling-down-revision"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].span.file == 1);
  CHECK(f[0].message == "down_revision `3f2a9c1d7e4b` names no revision in this environment");
  CHECK(f[0].help->find("`9d8c7b6a5f4e` (file name of `versions/3f2a9c1d7e4b_add_users.py`)") !=
        std::string::npos);
  REQUIRE(f[0].fix);
  CHECK(f[0].fix->edits[0].replacement == "\"9d8c7b6a5f4e\"");
  CHECK(f[0].related.size() == 1);
}

TEST_CASE("dangling-down-revision: a branch label is not a revision id") {
  Repo r;
  r.Rev("a", "None", "branch_labels = (\"core\",)\n");
  r.Rev("b", "\"a\"");
  r.Rev("c", "'core'");
  auto f = r.Check(R("dangling-down-revision"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "down_revision `core` is a branch label, not a revision id");
  REQUIRE(f[0].fix);
  CHECK(f[0].fix->edits[0].replacement == "'b'");
}

TEST_CASE("dangling-depends-on: partial ids do not resolve, labels do") {
  Repo r;
  r.Rev("aaaa1111", "None", "branch_labels = \"lib\"\n");
  r.Rev("bbbb2222", "None", "depends_on = (\"aaaa\", \"lib\")\n");
  auto f = r.Check(R("dangling-depends-on"));
  REQUIRE(f.size() == 1);
  CHECK(r.Text(f[0].span) == "\"aaaa\"");
  CHECK(f[0].help->find("`aaaa1111` (unique prefix") != std::string::npos);
  REQUIRE(f[0].fix);
  CHECK(f[0].fix->edits[0].replacement == "\"aaaa1111\"");
}

TEST_CASE("revision-cycle prints the path and relates every edge") {
  Repo r;
  r.Rev("x", "None");
  r.Rev("a", "\"c\"");
  r.Rev("b", "\"a\"");
  r.Rev("c", "\"b\"");
  auto f = r.Check(R("revision-cycle"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].message == "revision cycle: `a` -> `c` -> `b` -> `a`");
  CHECK(f[0].span.file == 1);
  CHECK(f[0].related.size() == 2);
  CHECK(f[0].help->find("CycleDetected") != std::string::npos);
}

TEST_CASE("multiple-bases: unmerged, unlabelled second root only") {
  Repo r;
  r.Rev("a", "None");
  r.Rev("b", "\"a\"");
  r.Rev("z", "None");
  auto f = r.Check(R("multiple-bases"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].span.file == 2);
  CHECK(f[0].severity == Severity::kWarning);
  CHECK(f[0].help->find("down_revision = \"b\"") != std::string::npos);
  r.Rev("m", "(\"b\", \"z\")");  // merged later
  r.Build();
  CHECK(r.Check(R("multiple-bases")).empty());

  Repo l;
  l.Rev("a", "None");
  l.Rev("z", "None", "branch_labels = (\"plugin\",)\n");
  CHECK(l.Check(R("multiple-bases")).empty());
}

TEST_CASE("duplicate-branch-label: twice, and equal to a revision id") {
  Repo r;
  r.Rev("a", "None", "branch_labels = (\"core\",)\n");
  r.Rev("b", "\"a\"", "branch_labels = (\"core\", \"a\")\n");
  auto f = r.Check(R("duplicate-branch-label"));
  REQUIRE(f.size() == 2);
  CHECK(f[0].message == "branch label `core` is already declared on `a`");
  CHECK(r.Text(f[0].span) == "\"core\"");
  CHECK(f[0].span.file == 1);
  CHECK(f[1].message == "branch label `a` is also a revision id");
}

TEST_CASE("healthy history: no graph rule fires") {
  Repo r;
  r.Rev("a", "None");
  r.Rev("b", "\"a\"");
  r.Rev("c", "\"a\"");
  r.Rev("m", "(\"b\", \"c\")");
  for (std::string_view name :
       {"duplicate-revision", "multiple-heads", "dangling-down-revision", "dangling-depends-on",
        "revision-cycle", "multiple-bases", "duplicate-branch-label"}) {
    CAPTURE(name);
    CHECK(r.Check(R(name)).empty());
  }
}

}  // namespace
}  // namespace alint

namespace alint {

TEST_CASE("revision-cycle with a duplicate id: the cycle needs one file's definition") {
  // `b` twice: x1 revises `c` (and `c` revises `b`: a loop), x2 revises `a` (no loop). Files
  // load in name order, so x2 wins and Alembic loads fine; in a file-system order that lists
  // x1 last, Alembic sees the loop b -> c -> b. Reported, naming the file it needs.
  Repo r;
  r.Rev("a", "None");
  r.Add("versions/x1.py", "revision = \"b\"\ndown_revision = \"c\"\n");
  r.Add("versions/x2.py", "revision = \"b\"\ndown_revision = \"a\"\n");
  r.Add("versions/y.py", "revision = \"c\"\ndown_revision = \"b\"\n");
  auto f = r.Check(R("revision-cycle"));
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find(
            "revision cycle: `b` -> `c` -> `b` (when Alembic loads `versions/x1.py` last of the 2 "
            "files declaring `b`") == 0);
  CHECK(f[0].span.file == 1);

  // Both definitions' edges are never combined: x1 revises c, x2 is revised by c; no single
  // load order has both, so nothing is reported when each definition alone is acyclic.
  Repo ok;
  ok.Rev("a", "None");
  ok.Add("versions/x1.py", "revision = \"b\"\ndown_revision = \"a\"\n");
  ok.Add("versions/x2.py", "revision = \"b\"\ndown_revision = \"a\"\n");
  ok.Add("versions/y.py", "revision = \"c\"\ndown_revision = \"b\"\n");
  CHECK(ok.Check(R("revision-cycle")).empty());

  // The winner's own loop through a duplicated id says which file it needs too.
  Repo win;
  win.Rev("a", "None");
  win.Add("versions/x1.py", "revision = \"b\"\ndown_revision = \"a\"\n");
  win.Add("versions/x2.py", "revision = \"b\"\ndown_revision = \"c\"\n");
  win.Add("versions/y.py", "revision = \"c\"\ndown_revision = \"b\"\n");
  auto w = win.Check(R("revision-cycle"));
  REQUIRE(w.size() == 1);
  CHECK(w[0].message.find("when Alembic loads `versions/x2.py` last") != std::string::npos);
}

}  // namespace alint
