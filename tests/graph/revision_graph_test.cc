#include "lint/graph/revision_graph.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/graph/graph_test_util.h"

namespace alint {
namespace {

using testing::Repo;

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST_CASE("A linear chain has one head, one base, and parent/child edges") {
  Repo r;
  r.Rev("a1", "None");
  r.Rev("b2", "\"a1\"");
  r.Rev("c3", "'b2'");
  const RevisionGraph& g = r.Build();
  CHECK(g.Ids(g.heads()) == std::vector<std::string>{"c3"});
  CHECK(g.Ids(g.bases()) == std::vector<std::string>{"a1"});
  CHECK(g.Find("b2")->parents == std::vector<uint32_t>{0});
  CHECK(g.Find("b2")->children == std::vector<uint32_t>{2});
  CHECK(!g.alembic_error());
  CHECK(g.cycles().empty());
  CHECK(g.Ids(g.Ancestors(2)) == std::vector<std::string>{"b2", "a1"});
  CHECK(g.Ids(g.Descendants(0)) == std::vector<std::string>{"b2", "c3"});
  CHECK(r.Text(g.Find("c3")->down[0].span) == "'b2'");
}

TEST_CASE("Forks and merges: branch points, merge points, common ancestor") {
  Repo r;
  r.Rev("a", "None");
  r.Rev("b", "\"a\"");
  r.Rev("c", "\"a\"");
  const RevisionGraph& g1 = r.Build();
  CHECK(Sorted(g1.Ids(g1.heads())) == std::vector<std::string>{"b", "c"});
  CHECK(g1.Ids(g1.BranchPoints()) == std::vector<std::string>{"a"});
  CHECK(g1.CommonAncestor(1, 2) == 0);
  r.Rev("m", "(\"b\", \"c\")");
  const RevisionGraph& g2 = r.Build();
  CHECK(g2.Ids(g2.heads()) == std::vector<std::string>{"m"});
  CHECK(g2.Ids(g2.MergePoints()) == std::vector<std::string>{"m"});
  CHECK(g2.CommonAncestor(3, 1) == 1);
}

TEST_CASE("down_revision normalisation follows tuple_rev_as_scalar") {
  Repo r;
  r.Rev("a", "\"\"");     // "" is a base
  r.Rev("b", "()");       // () is a base
  r.Rev("c", "[\"a\"]");  // one-element list is a scalar
  r.Rev("d", "(\"\",)");  // ("",) is NOT a base: it names revision ''
  const RevisionGraph& g = r.Build();
  CHECK(g.Find("a")->is_base);
  CHECK(g.Find("b")->is_base);
  CHECK(!g.Find("c")->is_base);
  CHECK(g.Find("c")->parents == std::vector<uint32_t>{0});
  CHECK(!g.Find("d")->is_base);
  REQUIRE(g.dangling().size() == 1);
  CHECK(g.dangling()[0].node == 3);
  REQUIRE(g.alembic_error());
  CHECK(g.alembic_error()->kind == "dangling");
  CHECK(g.alembic_error()->Describe() == "KeyError: ''");
}

TEST_CASE("Duplicate ids: the last file wins, the dropped one lingers in heads and bases") {
  Repo r;
  r.Rev("a", "None");
  r.Add("versions/x1.py", "revision = \"b\"\ndown_revision = \"a\"\n");
  r.Add("versions/x2.py", "revision = \"b\"\ndown_revision = \"a\"\n");
  r.Rev("c", "\"b\"");
  const RevisionGraph& g = r.Build();
  CHECK(g.Find("b")->index == 2);
  CHECK(g.node(1).shadowed);
  // Alembic's head list keeps the dropped object: ("b", "c").
  CHECK(g.Ids(g.heads()) == std::vector<std::string>{"b", "c"});
  REQUIRE(g.Duplicates().size() == 1);
  CHECK(g.Duplicates()[0] == std::vector<uint32_t>{1, 2});
  CHECK(g.alembic_warnings().front() == "Revision b is present more than once");
  CHECK(!g.alembic_error());
  CHECK(g.NodesWithId("b") == std::vector<uint32_t>{1, 2});
}

TEST_CASE("depends_on: effective heads, real heads and bases") {
  Repo r;
  r.Rev("a1", "None");
  r.Rev("b1", "None", "depends_on = \"a1\"\n");
  const RevisionGraph& g = r.Build();
  CHECK(Sorted(g.Ids(g.heads())) == std::vector<std::string>{"a1", "b1"});
  CHECK(g.Ids(g.real_heads()) == std::vector<std::string>{"b1"});
  CHECK(g.Find("a1")->effective_head());
  CHECK(!g.Find("b1")->effective_head());
  CHECK(Sorted(g.Ids(g.bases())) == std::vector<std::string>{"a1", "b1"});
  CHECK(g.Ids(g.real_bases()) == std::vector<std::string>{"a1"});
  CHECK(g.Find("a1")->dependents == std::vector<uint32_t>{1});
  CHECK(!g.alembic_error());
}

TEST_CASE("depends_on resolves branch labels but not partial ids") {
  Repo r;
  r.Rev("aaaa1111", "None", "branch_labels = (\"shared\",)\n");
  r.Rev("bbbb2222", "None", "depends_on = \"shared\"\n");
  const RevisionGraph& g = r.Build();
  CHECK(g.Find("bbbb2222")->deps == std::vector<uint32_t>{0});
  CHECK(!g.alembic_error());
  CHECK(g.LabelOwner("shared") == 0);

  Repo p;
  p.Rev("aaaa1111", "None");
  p.Rev("bbbb2222", "None", "depends_on = [\"aaaa\"]\n");
  const RevisionGraph& gp = p.Build();
  REQUIRE(gp.alembic_error());
  CHECK(gp.alembic_error()->kind == "dangling-depends-on");
  CHECK(gp.alembic_error()->Describe() == "KeyError: 'aaaa'");
  REQUIRE(gp.dangling().size() == 1);
  CHECK(gp.dangling()[0].field == DanglingRef::Field::kDependsOn);
}

TEST_CASE("A down_revision naming a branch label resolves, then fails cycle detection") {
  Repo r;
  r.Rev("a", "None", "branch_labels = [\"main\"]\n");
  r.Rev("b", "\"main\"");
  const RevisionGraph& g = r.Build();
  REQUIRE(g.dangling().size() == 1);
  CHECK(g.dangling()[0].problem == DanglingRef::Problem::kLabel);
  // Alembic drops `a` from its heads (the label counts as a down revision)...
  CHECK(g.Ids(g.heads()) == std::vector<std::string>{"b"});
  // ...and then fails with KeyError walking an id-only map.
  REQUIRE(g.alembic_error());
  CHECK(g.alembic_error()->kind == "label-as-down-revision");
  CHECK(g.alembic_error()->Describe() == "KeyError: 'main'");
}

TEST_CASE("Cycles: path, Alembic's CycleDetected message, self-loops") {
  Repo r;
  r.Rev("x", "None");
  r.Rev("a", "\"c\"");
  r.Rev("b", "\"a\"");
  r.Rev("c", "\"b\"");
  const RevisionGraph& g = r.Build();
  REQUIRE(g.cycles().size() == 1);
  CHECK(g.Ids(g.cycles()[0].path) == std::vector<std::string>{"a", "c", "b", "a"});
  REQUIRE(g.alembic_error());
  CHECK(g.alembic_error()->Describe() == "CycleDetected: Cycle is detected in revisions (a, b, c)");

  Repo s;
  s.Rev("a", "\"a\"");
  const RevisionGraph& gs = s.Build();
  REQUIRE(gs.alembic_error());
  CHECK(gs.alembic_error()->Describe() == "LoopDetected: Self-loop is detected in revisions (a)");
  REQUIRE(gs.cycles().size() == 1);
  CHECK(gs.cycles()[0].path == std::vector<uint32_t>{0, 0});
}

TEST_CASE("Dependency cycles are told apart from down_revision cycles") {
  Repo r;
  r.Rev("a", "None", "depends_on = \"b\"\n");
  r.Rev("b", "None", "depends_on = \"a\"\n");
  const RevisionGraph& g = r.Build();
  REQUIRE(g.cycles().size() == 1);
  CHECK(g.cycles()[0].dependency);
  REQUIRE(g.alembic_error());
  CHECK(g.alembic_error()->kind == "dependency-cycle");
}

TEST_CASE("Label clashes and invalid ids are load errors") {
  Repo r;
  r.Rev("a", "None", "branch_labels = \"x\"\n");
  r.Rev("b", "\"a\"", "branch_labels = \"x\"\n");
  const RevisionGraph& g = r.Build();
  REQUIRE(g.alembic_error());
  CHECK(g.alembic_error()->kind == "duplicate-label");
  CHECK(g.alembic_error()->message == "Branch name 'x' in revision b already used by revision a");

  Repo bad;
  bad.Rev("a-1", "None");
  REQUIRE(bad.Build().alembic_error());
  CHECK(bad.graph->alembic_error()->Describe() ==
        "RevisionError: Character(s) '-' not allowed in revision identifier 'a-1'");
}

TEST_CASE("Files without `revision`: legacy hex names load, others fail") {
  Repo r;
  r.Add("versions/1f2e3d.py", "down_revision = None\n");
  const RevisionGraph& g = r.Build();
  REQUIRE(g.Find("1f2e3d") != nullptr);
  CHECK(!g.alembic_error());

  Repo s;
  s.Add("versions/helpers.py", "X = 1\n");
  const RevisionGraph& gs = s.Build();
  REQUIRE(gs.alembic_error());
  CHECK(gs.alembic_error()->kind == "no-revision");
  CHECK(gs.nodes().empty());

  Repo t;
  t.Add("versions/a_m.py", "revision = \"a\"\n");
  REQUIRE(t.Build().alembic_error());
  CHECK(t.graph->alembic_error()->Describe() ==
        "AttributeError: module 'a_m_py' has no attribute 'down_revision'");
}

TEST_CASE("Non-literal headers make the graph incomplete") {
  Repo r;
  r.Rev("a", "None");
  r.Add("versions/b.py", "revision = make_id()\ndown_revision = \"a\"\n");
  const RevisionGraph& g = r.Build();
  CHECK(g.incomplete());
  CHECK(g.nodes().size() == 1);
  CHECK(g.skipped().size() == 1);
}

TEST_CASE("Suggest: file stem, unique prefix, branch label, near miss") {
  Repo r;
  r.Add("versions/3f2a9c1d7e4b_add_users.py",
        "revision = \"9d8c7b6a5f4e\"\ndown_revision = None\n");  // renamed id
  r.Rev("1975ea83b712", "\"9d8c7b6a5f4e\"", "branch_labels = (\"core\",)\n");
  r.Rev("ae1027a6acf0", "\"1975ea83b712\"");
  const RevisionGraph& g = r.Build();
  auto first = [&](std::string_view ref) {
    auto s = g.Suggest(ref);
    return s.empty() ? std::string("-") : g.node(s[0].node).id + "/" + s[0].Explain();
  };
  CHECK(first("3f2a9c1d7e4b") == "9d8c7b6a5f4e/file name");
  CHECK(first("1975") == "1975ea83b712/unique prefix");
  CHECK(first("core") == "ae1027a6acf0/branch label");
  CHECK(first("ae1027a6acf1") == "ae1027a6acf0/similar id");
  CHECK(first("ffffffffffff") == "-");
}

// Timing lives in bench/; this checks that a long chain (deep recursion would overflow the
// stack, a quadratic pass would make this test crawl under the sanitizers) resolves right.
TEST_CASE("a 10,000-revision chain with dependencies resolves to one head") {
  Repo r;
  for (int i = 0; i < 10000; ++i) {
    r.Rev("r" + std::to_string(i), i == 0 ? "None" : "\"r" + std::to_string(i - 1) + "\"",
          i > 0 && i % 1000 == 0 ? "depends_on = \"r0\"\n" : "");
  }
  const RevisionGraph& g = r.Build();
  CHECK(g.Ids(g.heads()) == std::vector<std::string>{"r9999"});
  CHECK(g.Ids(g.bases()) == std::vector<std::string>{"r0"});
  CHECK(!g.alembic_error());
  CHECK(g.Ancestors(g.Find("r9999")->index).size() == 9999);
}

}  // namespace
}  // namespace alint
