// Header facts from a tree-sitter parse: the four module-level assignments, the docstring,
// suppression comments and syntax errors.

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "lint/python/ts_tree.h"

namespace alint {
namespace {

RevisionValue* Slot(Migration& m, std::string_view name) {
  if (name == "revision") return &m.revision;
  if (name == "down_revision") return &m.down_revision;
  if (name == "branch_labels") return &m.branch_labels;
  if (name == "depends_on") return &m.depends_on;
  return nullptr;
}

// A literal string usable as a revision id (kStr only: bytes and f-strings need running).
std::optional<StringItem> StringValue(const TsFile& f, TSNode n) {
  n = Unparen(n);
  std::optional<DecodedString> d = DecodeStringNode(f, n);
  if (!d || d->kind != LiteralKind::kStr) return std::nullopt;
  return StringItem{std::move(d->value), f.SpanOf(n)};
}

void Classify(const TsFile& f, TSNode value, RevisionValue& rv) {
  TSNode v = Unparen(value);
  rv.kind = ValueKind::kNotLiteral;
  NodeKind k = Kind(v);
  if (k == NodeKind::kNone) {
    rv.kind = ValueKind::kNone;
  } else if (k == NodeKind::kString || k == NodeKind::kConcatenatedString) {
    if (auto item = StringValue(f, v)) {
      rv.items.push_back(std::move(*item));
      rv.kind = ValueKind::kString;
    }
  } else if (k == NodeKind::kTuple || k == NodeKind::kList || k == NodeKind::kExpressionList) {
    for (TSNode el : NamedChildren(v)) {
      auto item = StringValue(f, el);
      if (!item) {
        rv.items.clear();
        return;
      }
      rv.items.push_back(std::move(*item));
    }
    rv.kind = ValueKind::kSequence;
  }
}

void Assign(const TsFile& f, Migration& m, TSNode target, TSNode value, bool conditional) {
  RevisionValue* rv = Slot(m, f.Text(target));
  if (rv == nullptr) return;
  rv->assignments += 1;
  rv->items.clear();
  rv->target = f.SpanOf(target);
  rv->conditional = conditional;
  if (ts_node_is_null(value)) {  // augmented assignment: the old value matters
    rv->kind = ValueKind::kNotLiteral;
    rv->value = Span{};
    rv->source.clear();
    return;
  }
  rv->value = f.SpanOf(value);
  rv->source = std::string(f.Text(value));
  if (conditional) {
    rv->kind = ValueKind::kNotLiteral;
  } else {
    Classify(f, value, *rv);
  }
}

bool IsPatternList(TSNode n) {
  NodeKind k = Kind(n);
  return k == NodeKind::kPatternList || k == NodeKind::kTuplePattern || k == NodeKind::kListPattern;
}

std::vector<TSNode> NamedChildList(TSNode n) {
  std::vector<TSNode> out;
  for (TSNode c : NamedChildren(n)) out.push_back(c);
  return out;
}

// One `a = b = value` / `a: T = value` / `a, b = x, y` / `a += x` statement.
void ReadAssignment(const TsFile& f, Migration& m, TSNode node, bool conditional) {
  if (Is(node, NodeKind::kAugmentedAssignment)) {
    TSNode left = Field(node, F().left);
    if (Is(left, NodeKind::kIdentifier)) Assign(f, m, left, TSNode{}, conditional);
    return;
  }
  std::vector<TSNode> targets;
  TSNode value = node;
  while (Is(value, NodeKind::kAssignment)) {
    targets.push_back(Field(value, F().left));
    value = Field(value, F().right);
  }
  if (ts_node_is_null(value)) return;  // `revision: str` annotates, assigns nothing
  for (TSNode t : targets) {
    if (Is(t, NodeKind::kIdentifier)) {
      Assign(f, m, t, value, conditional);
    } else if (IsPatternList(t)) {
      std::vector<TSNode> names = NamedChildList(t);
      TSNode v = Unparen(value);
      std::vector<TSNode> values;
      NodeKind vk = Kind(v);
      if (vk == NodeKind::kExpressionList || vk == NodeKind::kTuple || vk == NodeKind::kList) {
        values = NamedChildList(v);
      }
      bool pairwise = values.size() == names.size();
      for (TSNode vn : values) pairwise = pairwise && !Is(vn, NodeKind::kListSplat);
      for (size_t i = 0; i < names.size(); ++i) {
        if (!Is(names[i], NodeKind::kIdentifier)) continue;
        // Without a one-to-one match (`a, b = pair`) the element is unknowable.
        Assign(f, m, names[i], pairwise ? values[i] : value, conditional);
        if (!pairwise) {
          if (RevisionValue* rv = Slot(m, f.Text(names[i]))) {
            rv->kind = ValueKind::kNotLiteral;
            rv->items.clear();
          }
        }
      }
    }
  }
}

// Assignments inside a module-level compound statement (if/try/with/for/while/match): they run
// or not depending on the code, so whatever they set is not a literal.
void ReadNested(const TsFile& f, Migration& m, TSNode node, int depth = 0) {
  if (depth >= kMaxTreeDepth) return;  // Walk reports it
  for (TSNode c : NamedChildren(node)) {
    NodeKind k = Kind(c);
    if (k == NodeKind::kFunctionDefinition || k == NodeKind::kClassDefinition ||
        k == NodeKind::kDecoratedDefinition || k == NodeKind::kLambda) {
      continue;
    }
    if (k == NodeKind::kAssignment || k == NodeKind::kAugmentedAssignment) {
      ReadAssignment(f, m, c, /*conditional=*/true);
    } else {
      ReadNested(f, m, c, depth + 1);
    }
  }
}

void ReadDocstring(const TsFile& f, Migration& m, TSNode first) {
  if (!Is(first, NodeKind::kExpressionStatement)) return;
  TSNode part = OnlyNamedChild(first);
  if (ts_node_is_null(part)) return;
  TSNode s = Unparen(part);
  std::optional<DecodedString> d = DecodeStringNode(f, s);
  if (!d || d->kind != LiteralKind::kStr) return;
  m.docstring.present = true;
  m.docstring.span = f.SpanOf(s);
  ReadDocstringFields(*d, m.docstring, f.file().id);
}

std::string Shorten(std::string_view s) {
  size_t eol = s.find_first_of("\r\n");
  if (eol != std::string_view::npos) s = s.substr(0, eol);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() > 40) return std::string(s.substr(0, 37)) + "...";
  return std::string(s);
}

// The first token of an ERROR node: what the parser could not fit.
TSNode FirstLeaf(TSNode n) {
  while (ts_node_child_count(n) > 0) n = ts_node_child(n, 0);
  return n;
}

void UnclosedBrackets(TSNode n, std::vector<TSNode>& open, int depth = 0) {
  if (depth >= kMaxTreeDepth) return;
  for (TSNode c : AllChildren(n)) {
    if (ts_node_child_count(c) > 0) {
      UnclosedBrackets(c, open, depth + 1);
      continue;
    }
    if (ts_node_is_missing(c) || ts_node_is_named(c)) continue;
    std::string_view t = ts_node_type(c);
    if (t == "(" || t == "[" || t == "{") {
      open.push_back(c);
    } else if ((t == ")" || t == "]" || t == "}") && !open.empty()) {
      open.pop_back();
    }
  }
}

void ReportError(const TsFile& f, Migration& m, TSNode n) {
  if (ts_node_is_missing(n)) {
    std::string_view what = ts_node_type(n);
    std::string msg = ts_node_is_named(n)
                          ? fmt::format("invalid syntax: missing {}",
                                        what == "identifier" ? "a name" : std::string(what))
                          : fmt::format("invalid syntax: missing `{}`", what);
    // A missing token has no bytes: anchor on the token before which it was expected.
    uint32_t at = f.Begin(n);
    m.syntax_problems.push_back({Span{f.file().id, at, at}, std::move(msg)});
    return;
  }
  // An unclosed bracket is the usual cause and what Python names ("'(' was never closed").
  std::vector<TSNode> open;
  UnclosedBrackets(n, open);
  if (!open.empty()) {
    m.syntax_problems.push_back(
        {f.SpanOf(open.front()),
         fmt::format("invalid syntax: `{}` is never closed", ts_node_type(open.front()))});
    return;
  }
  TSNode leaf = FirstLeaf(n);
  std::string tok = Shorten(f.Text(ts_node_is_null(leaf) ? n : leaf));
  std::string msg;
  if (tok.empty()) {
    msg = "invalid syntax";
  } else if (tok.starts_with("\"") || tok.starts_with("'")) {
    msg = fmt::format("invalid syntax: unexpected string {}", tok);
  } else {
    msg = fmt::format("invalid syntax: unexpected `{}`", tok);
  }
  Span span = f.SpanOf(n);
  m.syntax_problems.push_back({span, std::move(msg)});
}

// One pass over the tree in source order: comments (suppressions) and syntax errors. Only
// subtrees that can hold one are entered: an error below shows in ts_node_has_error, and a
// comment needs a `#` byte.
void Walk(const TsFile& f, Migration& m, TSNode node, bool in_error, int depth) {
  NodeKind k = Kind(node);
  if (k == NodeKind::kComment) {
    if (auto s = ReadSuppression(f.file(), f.Begin(node), f.End(node))) {
      m.suppressions.push_back(std::move(*s));
    }
    return;
  }
  bool error = k == NodeKind::kError;
  if (!in_error && (error || ts_node_is_missing(node))) ReportError(f, m, node);
  if (ts_node_child_count(node) == 0) return;
  bool errors_below = !in_error && !error && ts_node_has_error(node);
  if (!errors_below) {
    // Comments are the only thing left to find; an error-free string is read as a whole.
    if (!error && k == NodeKind::kString && !ts_node_has_error(node)) return;
    if (!f.Contains(node, '#')) return;
  }
  if (depth >= kMaxTreeDepth) {
    TooDeep(f, m, node);
    return;
  }
  for (TSNode c : AllChildren(node)) Walk(f, m, c, in_error || error, depth + 1);
}

bool IsCompound(NodeKind k) {
  switch (k) {
    case NodeKind::kIfStatement:
    case NodeKind::kForStatement:
    case NodeKind::kWhileStatement:
    case NodeKind::kTryStatement:
    case NodeKind::kWithStatement:
    case NodeKind::kMatchStatement:
    case NodeKind::kFunctionDefinition:
    case NodeKind::kClassDefinition:
    case NodeKind::kDecoratedDefinition:
      return true;
    default:
      return false;
  }
}

// Where the statements below `parent` (a module or block) break CPython's logical lines: a
// simple statement that holds one of its NEWLINE offsets (`x = *` joined with the next line),
// or two simple statements on one logical line without a `;` between them (what a hidden
// MISSING newline leaves: `revision = "27c6a30d"c742`). Compound statements are entered
// through their blocks and clauses. Returns the offset CPython would point near, or nullopt.
std::optional<uint32_t> BrokenLine(const TsFile& f, const std::vector<uint32_t>& nl, TSNode parent,
                                   int depth) {
  if (depth >= kMaxTreeDepth) return std::nullopt;
  std::string_view text = f.file().text;
  // Only a module or block holds statements (a clause's other children are its header).
  bool statements = Is(parent, NodeKind::kBlock) || ts_node_eq(parent, f.root());
  bool prev = false;      // a simple statement came before, on this level
  uint32_t prev_end = 0;  // where it ends
  for (TSNode c : NamedChildren(parent)) {
    NodeKind k = Kind(c);
    if (k == NodeKind::kError) {  // reported as such
      prev = false;
      continue;
    }
    if (k == NodeKind::kBlock || IsClause(c) || IsCompound(k)) {
      if (auto at = BrokenLine(f, nl, c, depth + 1)) return at;
      prev = false;
      continue;
    }
    if (!statements) continue;
    uint32_t b = f.Begin(c), e = f.End(c);
    auto it = std::lower_bound(nl.begin(), nl.end(), b);
    if (it != nl.end() && *it < e) return *it;
    if (prev) {
      auto gap = std::lower_bound(nl.begin(), nl.end(), prev_end);
      bool same_line = gap == nl.end() || *gap >= b;
      if (same_line && text.substr(prev_end, b - prev_end).find(';') == std::string_view::npos) {
        return b;
      }
    }
    prev = true;
    prev_end = e;
  }
  return std::nullopt;
}

}  // namespace

void CheckLogicalLines(const TsFile& f, const std::vector<uint32_t>& newlines, Migration& m) {
  if (std::optional<uint32_t> at = BrokenLine(f, newlines, f.root(), 0)) {
    m.syntax_problems.push_back({Span{f.file().id, *at, *at},
                                 "invalid syntax: the statement does not end at the end of its "
                                 "line, or two statements share a line"});
    return;
  }
  // tree-sitter may also mark an error only with a MISSING token the cursor API does not show
  // (a hidden newline): no error node was reported, yet the tree has an error. Point at the
  // innermost visible node that holds it.
  TSNode root = f.root();
  if (!ts_node_has_error(root)) return;
  for (const SyntaxProblem& p : m.syntax_problems) {
    if (!p.python_accepts && !p.not_read) return;
  }
  TSNode n = root;
  for (int depth = 0; depth < kMaxTreeDepth; ++depth) {
    TSNode next{};
    for (TSNode c : AllChildren(n)) {
      if (ts_node_has_error(c)) {
        next = c;
        break;
      }
    }
    if (ts_node_is_null(next)) break;
    n = next;
  }
  uint32_t at = f.Begin(n);
  m.syntax_problems.push_back({Span{f.file().id, at, at}, "invalid syntax"});
}

void ReadTreeHeader(const TsFile& f, Migration& m) {
  TSNode root = f.root();
  bool first = true;
  for (TSNode stmt : NamedChildren(root)) {
    if (first) {
      ReadDocstring(f, m, stmt);
      first = false;
    }
    NodeKind k = Kind(stmt);
    if (k == NodeKind::kExpressionStatement) {
      for (TSNode c : NamedChildren(stmt)) {
        NodeKind ck = Kind(c);
        if (ck == NodeKind::kAssignment || ck == NodeKind::kAugmentedAssignment) {
          ReadAssignment(f, m, c, false);
        }
      }
    } else if (k == NodeKind::kIfStatement || k == NodeKind::kTryStatement ||
               k == NodeKind::kWithStatement || k == NodeKind::kForStatement ||
               k == NodeKind::kWhileStatement || k == NodeKind::kMatchStatement) {
      ReadNested(f, m, stmt);
    }
  }
  Walk(f, m, root, false, 0);
}

}  // namespace alint
