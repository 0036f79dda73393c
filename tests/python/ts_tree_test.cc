// The tree helpers: children as tree-sitter's cursor gives them, the statement lists read
// once per tree (and kept apart for two trees read on one thread).
#include "lint/python/ts_tree.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

namespace alint {
namespace {

// Every child of `n`, straight from a fresh cursor: the reference Children must agree with.
std::vector<TSNode> CursorChildren(TSNode n) {
  std::vector<TSNode> out;
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      out.push_back(ts_tree_cursor_current_node(&c));
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
  return out;
}

// Walks every node of `tree` (blocks read more than once), comparing Children with a cursor.
size_t CheckChildren(const TsFile& tree) {
  size_t blocks = 0;
  std::vector<TSNode> stack{tree.root()};
  while (!stack.empty()) {
    const TSNode n = stack.back();
    stack.pop_back();
    const std::vector<TSNode> want = CursorChildren(n);
    for (int pass = 0; pass < 2; ++pass) {  // the second pass reads the kept list
      std::vector<TSNode> all, named;
      for (TSNode c : AllChildren(n)) all.push_back(c);
      for (TSNode c : NamedChildren(n)) named.push_back(c);
      REQUIRE(all.size() == want.size());
      size_t k = 0;
      for (size_t i = 0; i < want.size(); ++i) {
        CHECK(ts_node_eq(all[i], want[i]));
        const NodeKind kind = Kind(want[i]);
        if (ts_node_is_named(want[i]) && kind != NodeKind::kComment &&
            kind != NodeKind::kLineContinuation) {
          REQUIRE(k < named.size());
          CHECK(ts_node_eq(named[k++], want[i]));
        }
      }
      CHECK(k == named.size());
    }
    if (Is(n, NodeKind::kBlock) || Is(n, NodeKind::kModule)) ++blocks;
    for (TSNode c : want) stack.push_back(c);
  }
  return blocks;
}

const char kFirst[] = R"(
"""First."""
revision = "a1"  # a comment
down_revision = None


def upgrade():
    # ### commands ###
    op.create_table("t", sa.Column("id", sa.Integer()))
    if True:
        op.add_column("t", sa.Column("x", sa.Text()))
    with op.batch_alter_table("t") as b:
        b.drop_column("x")


def downgrade():
    op.drop_table("t")
)";

const char kSecond[] = R"(
revision = "b2"
down_revision = "a1"
def upgrade():
    op.execute("SELECT 1")
    for i in range(3):
        pass
    try:
        op.drop_index("ix")
    except Exception:
        raise
def downgrade(): pass
)";

}  // namespace

TEST_CASE("Children gives the cursor's children, read again from the kept statement lists") {
  SourceFile first(0, "a.py", kFirst);
  SourceFile second(1, "b.py", kSecond);
  {
    TsFile a(first, 0);
    CHECK(CheckChildren(a) >= 5);
  }
  // Two trees alive at once on one thread, read in turns: each keeps its own lists, and the
  // first one's go with it while the second is still read.
  auto a = std::make_unique<TsFile>(first, 0);
  TsFile b(second, 0);
  CHECK(CheckChildren(*a) >= 5);
  CHECK(CheckChildren(b) >= 5);
  CHECK(CheckChildren(*a) >= 5);
  a.reset();
  CHECK(CheckChildren(b) >= 5);
  SourceFile third(2, "c.py", std::string(kSecond) + kFirst);
  TsFile again(third, 0);  // may take the freed tree's address, and its subtrees'

  CHECK(CheckChildren(again) >= 5);
  CHECK(CheckChildren(b) >= 5);
}

}  // namespace alint
