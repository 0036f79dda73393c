#include "lint/python/expr_scan.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "lint/python/ts_tree.h"

namespace alint {
namespace {

// Every difference between two Exprs, as readable paths ("" when equal).
void Diff(const Expr& a, const Expr& b, const std::string& at, std::string& out) {
  if (a.kind != b.kind) out += at + ": kind\n";
  if (a.text != b.text) out += at + ": text `" + a.text + "` vs `" + b.text + "`\n";
  if (!(a.span == b.span)) out += at + ": span\n";
  if (a.keywords != b.keywords) out += at + ": keywords\n";
  if (a.children.size() != b.children.size()) {
    out += at + ": child count\n";
    return;
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    Diff(a.children[i], b.children[i], at + "/" + std::to_string(i), out);
  }
}

struct Outcome {
  int scanned = 0;   // calls the scanner read
  int declined = 0;  // error-free calls it left to the tree
};

// Compares ScanCallExpr with ToExpr on every error-free call of `text`.
Outcome CheckAllCalls(const std::string& text) {
  SourceFile file(0, "x.py", text);
  TsFile tree(file, 0);
  Outcome o;
  std::vector<TSNode> stack{tree.root()};
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    for (TSNode c : AllChildren(n)) stack.push_back(c);
    if (!Is(n, NodeKind::kCall) || ts_node_has_error(n)) continue;
    std::optional<Expr> scanned = ScanCallExpr(text, 0, tree.Begin(n), tree.End(n));
    if (!scanned) {
      ++o.declined;
      continue;
    }
    ++o.scanned;
    std::string diff;
    Diff(*scanned, ToExpr(tree, n), "", diff);
    CAPTURE(tree.Text(n));
    CHECK(diff == "");
  }
  return o;
}

}  // namespace

TEST_CASE("the call scanner reads what the tree reads, or declines") {
  Outcome o = CheckAllCalls(R"PY(
op.create_table(
    "users",
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement = False),
    sa.Column("n", sa.Numeric(10, -2), server_default=sa.text("now()"), nullable=False),
    sa.Column('j', postgresql.JSONB(astext_type=sa.Text()), comment="a" 'b'
              "c"),
    sa.Column(u"u", sa.String(length=1.5), info={"k": None, 'x': [1, True, - 3]}),
    sa.CheckConstraint(r"x ~ '\d+'", name=b"bytes"),
    sa.Column("esc", sa.Text(), comment="tab\there \u00e9 \x41"),
    sa.Column("""triple "quoted" """, sa.Text(), comment='''also ' this'''),
    sa.Column("", sa.Text(), comment=""),
    schema=None,
)
op.create_index(op.f("ix_users_n"), "users", ["n", "id"], unique=False,)
batch_op.alter_column("x", existing_type=sa.VARCHAR(length=120), type_=sa.String(320))
op.bulk_insert(t, [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
op.drop_table("t", **kw)
op.execute(f"DROP TABLE {name}")
op.execute("a" % x)
op.add_column("t", sa.Column("x", sa.Enum("a", "b", name="e")))  # trailing comment
op.add_column("t",  # inner comment
              sa.Column("x"))
op.add_column("t", \
              sa.Column("x"))
op.alter_column("t", "c", server_default=sa.text("0"), existing_server_default=None)
op.create_foreign_key(None, "a", "b", ["b_id"], ["id"], ondelete="CASCADE")
op.alter_column("t", "c", type_=sa.Integer(), postgresql_using="c::integer")
op.f(x[0], lambda: 1, (1, 2), (3), a.b().c, 1e5, 0x1f, 1_000, 1j, ..., not x, *args)
op.f(print, type, match, _, None.x, True(), 007, 1., .5, "a" "b".upper())
op.f(ur"x", f"x", rb"y", Rb"z", BR"w", U"v", br"\n")
op.f(é, "é", {1, 2}, {**d}, [x for x in y], x if y else z, await y)
op.f(a .b, a. b, a (1), x=1, y == 2)
op.f("unterminated
)
)PY");
  MESSAGE("scanned " << o.scanned << " calls, declined " << o.declined);
  CHECK(o.scanned >= 30);  // the literal-only shapes op.* calls are made of
  CHECK(o.declined >= 10);
}

TEST_CASE("the call scanner declines what it does not cover") {
  auto scan = [](std::string_view text) {
    return ScanCallExpr(text, 0, 0, static_cast<uint32_t>(text.size())).has_value();
  };
  CHECK(scan("op.f('x')"));
  CHECK(scan("f()"));
  CHECK(scan("a.b.c(1, -2.5, k=[None], d={'a': b.c})"));
  CHECK_FALSE(scan("op.f('x')  # c"));     // a comment is a node of its own
  CHECK_FALSE(scan("op.f('x', \\\n 1)"));  // so is a line continuation
  CHECK_FALSE(scan("op.f(f'{x}')"));       // f-strings need the tree
  CHECK_FALSE(scan("op.f(x[0])"));         // subscripts
  CHECK_FALSE(scan("op.f(a + b)"));        // operators
  CHECK_FALSE(scan("op.f((a))"));          // parentheses
  CHECK_FALSE(scan("op.f(*a)"));           // splats
  CHECK_FALSE(scan("op.f(lambda: 1)"));    // keywords
  CHECK_FALSE(scan("op.f(1e3)"));          // numbers other than plain decimals
  CHECK_FALSE(scan("op.f('x'"));           // unclosed
  CHECK_FALSE(scan("op.f('x').g()"));      // not a call on a dotted name
  CHECK_FALSE(scan("'x'"));                // not a call
  CHECK_FALSE(scan("op .f('x')"));         // spaces in the callee
}

TEST_CASE("the call scanner agrees with the tree on every fixture") {
  namespace fs = std::filesystem;
  Outcome total;
  for (const auto& entry : fs::recursive_directory_iterator(ALINT_SOURCE_DIR "/fixtures")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CAPTURE(entry.path().string());
    Outcome o = CheckAllCalls(text);
    total.scanned += o.scanned;
    total.declined += o.declined;
  }
  MESSAGE("scanned " << total.scanned << " fixture calls, declined " << total.declined);
}

}  // namespace alint
