// `alembic-lint graph`: the revision graph as Mermaid and Graphviz dot, on a repository built
// here (branch labels, a branch point, a merge, depends_on, a duplicate id, a dangling parent),
// its dot output rendered by the real Graphviz, and --since on a git history.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli/cli_test_util.h"

namespace alint {
namespace {

namespace fs = std::filesystem;
using testing::RunBinary;

struct Repo {
  fs::path dir;
  Repo() {
    dir = fs::temp_directory_path() / ("alint_graph_" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "versions");
  }
  ~Repo() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void Add(const std::string& rev, const std::string& down, const std::string& slug,
           const std::string& extra = "") const {
    std::ofstream(dir / "versions" / (rev + "_" + slug + ".py"))
        << "revision = \"" << rev << "\"\ndown_revision = " << down << "\n"
        << extra << "\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n";
  }
  std::string Versions() const { return (dir / "versions").string(); }
};

TEST_CASE("graph: Mermaid marks heads, bases, branch points, merges, labels and dependencies") {
  Repo r;
  r.Add("a1c9e0f3b7d2", "None", "create_users");
  r.Add("b7e2d4a9c1f0", "\"a1c9e0f3b7d2\"", "add_orders", "branch_labels = (\"shop\",)");
  r.Add("c3f8a2e6d0b4", "\"a1c9e0f3b7d2\"", "add_email");
  r.Add("d9b1c7e5a3f2", "(\"b7e2d4a9c1f0\", \"c3f8a2e6d0b4\")", "merge_heads");
  r.Add("e5d3f9b2c8a1", "\"d9b1c7e5a3f2\"", "add_index", "depends_on = \"b7e2d4a9c1f0\"");
  testing::Run g = RunBinary("graph " + r.Versions());
  CHECK(g.status == 0);
  // Nodes in discovery (file name) order, edges parent -> child, depends_on dotted.
  const std::string expected =
      "flowchart TB\n"
      "  s0n0[\"a1c9e0f3b7d2<br/>create users<br/>(base, branch point)\"]\n"
      "  s0n1[\"b7e2d4a9c1f0<br/>add orders<br/>(label shop)\"]\n"
      "  s0n2[\"c3f8a2e6d0b4<br/>add email\"]\n"
      "  s0n3[\"d9b1c7e5a3f2<br/>merge heads<br/>(merge)\"]\n"
      "  s0n4[\"e5d3f9b2c8a1<br/>add index<br/>(head)\"]\n"
      "  s0n0 --> s0n1\n"
      "  s0n0 --> s0n2\n"
      "  s0n1 --> s0n3\n"
      "  s0n2 --> s0n3\n"
      "  s0n3 --> s0n4\n"
      "  s0n1 -.-> s0n4\n";
  CHECK(g.out.substr(0, expected.size()) == expected);
  CHECK(g.out.find("  class s0n0 branchpoint\n") != std::string::npos);
  CHECK(g.out.find("  class s0n3 merge\n") != std::string::npos);
  CHECK(g.out.find("  class s0n4 head\n") != std::string::npos);
  CHECK(g.out.find("fork:") == std::string::npos);  // no fork in a healthy chain
  CHECK(g.out.find(" fork\n") == std::string::npos);
}

TEST_CASE("graph: the chain findings are marked, and dot renders with Graphviz") {
  Repo r;
  r.Add("a1c9e0f3b7d2", "None", "create_users");
  r.Add("b7e2d4a9c1f0", "\"a1c9e0f3b7d2\"", "add_orders");
  r.Add("c3f8a2e6d0b4", "\"a1c9e0f3b7d2\"", "add_email");  // a fork off a1c9
  r.Add("c3f8a2e6d0b4", "\"b7e2d4a9c1f0\"", "add_phone");  // the same id twice
  r.Add("f0e1d2c3b4a5", "\"9999aaaa0000\"", "orphan");     // names nothing
  testing::Run g = RunBinary("graph " + r.Versions());
  CHECK(g.status == 0);
  CHECK(g.out.find("[\"9999aaaa0000<br/>(missing: no revision has this id)\"]") !=
        std::string::npos);
  CHECK(g.out.find("duplicate id") != std::string::npos);
  CHECK(g.out.find("fork: one of several heads") != std::string::npos);
  CHECK(g.out.find("  class s0n2,s0n3,s0m0 error\n") != std::string::npos);

  testing::Run d = RunBinary("graph --format dot " + r.Versions());
  CHECK(d.status == 0);
  CHECK(d.out.rfind("digraph revisions {\n", 0) == 0);
  CHECK(d.out.find("s0n0 -> s0n1;") != std::string::npos);
  // The real Graphviz must accept and lay it out.
  REQUIRE_MESSAGE(std::system("command -v dot >/dev/null 2>&1") == 0,
                  "Graphviz is not installed (Debian: apt-get install graphviz)");
  const fs::path dot = r.dir / "g.dot", svg = r.dir / "g.svg";
  std::ofstream(dot) << d.out;
  CHECK(std::system(("dot -Tsvg " + dot.string() + " -o " + svg.string()).c_str()) == 0);
  std::ifstream in(svg);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("9999aaaa0000") != std::string::npos);
  CHECK(text.find("add phone") != std::string::npos);
}

TEST_CASE("graph --since: the revisions a change touches, their neighbours and the heads") {
  Repo r;
  const std::string git = "git -C " + r.dir.string() + " ";
  REQUIRE(std::system((git + "init -q -b main && " + git + "config user.email t@e && " + git +
                       "config user.name t")
                          .c_str()) == 0);
  r.Add("a1c9e0f3b7d2", "None", "create_users");
  r.Add("b7e2d4a9c1f0", "\"a1c9e0f3b7d2\"", "add_orders");
  r.Add("c3f8a2e6d0b4", "\"b7e2d4a9c1f0\"", "add_email");
  r.Add("d9b1c7e5a3f2", "\"c3f8a2e6d0b4\"", "add_phone");
  REQUIRE(std::system((git + "add -A && " + git + "commit -qm base").c_str()) == 0);
  r.Add("e5d3f9b2c8a1", "\"b7e2d4a9c1f0\"", "add_coupons");  // the PR forks off b7e2
  REQUIRE(std::system((git + "add -A && " + git + "commit -qm pr").c_str()) == 0);
  testing::Run g = RunBinary("graph --since HEAD~1 " + r.Versions());
  CHECK(g.status == 0);
  CHECK(g.out.find("e5d3f9b2c8a1") != std::string::npos);  // changed
  CHECK(g.out.find("b7e2d4a9c1f0") != std::string::npos);  // its parent
  CHECK(g.out.find("d9b1c7e5a3f2") != std::string::npos);  // the other head
  CHECK(g.out.find("a1c9e0f3b7d2") == std::string::npos);  // far history: elided
  CHECK(g.out.find("[\"...\"]") != std::string::npos);
  // Nothing changed in the environment: nothing to draw, not an error.
  testing::Run none = RunBinary("graph --since HEAD " + r.Versions(), true);
  CHECK(none.status == 0);
  CHECK(none.out.find("nothing to draw") != std::string::npos);
}

}  // namespace
}  // namespace alint
