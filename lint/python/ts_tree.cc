#include "lint/python/ts_tree.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>

extern "C" const TSLanguage* tree_sitter_python();

namespace alint {
namespace {

using ParserPtr = std::unique_ptr<TSParser, decltype(&ts_parser_delete)>;

// One parser per thread: a TSParser is not thread-safe, and making one per call costs more
// than the parse of a small migration's header.
TSParser* ThreadParser() {
  thread_local ParserPtr parser = [] {
    ParserPtr p(ts_parser_new(), &ts_parser_delete);
    ts_parser_set_language(p.get(), tree_sitter_python());
    return p;
  }();
  return parser.get();
}

// Cursors for Children, reused: a fresh cursor mallocs its stack, a reset one does not.
struct CursorPool {
  std::vector<TSTreeCursor> free;
  ~CursorPool() {
    for (TSTreeCursor& c : free) ts_tree_cursor_delete(&c);
  }
};
thread_local CursorPool cursor_pool;

// A cursor at `n`, the pool's when it has one; give it back with ReturnCursor.
TSTreeCursor BorrowCursor(TSNode n) {
  std::vector<TSTreeCursor>& pool = cursor_pool.free;
  if (pool.empty()) return ts_tree_cursor_new(n);
  TSTreeCursor c = pool.back();
  pool.pop_back();
  ts_tree_cursor_reset(&c, n);
  return c;
}

void ReturnCursor(const TSTreeCursor& c) { cursor_pool.free.push_back(c); }

// The children of the module and of every block, as read the first time, for the trees being
// read on this thread. The header reader, the logical-line check and the body reader each go
// through every statement list, and a cursor step along a long list costs hundreds of
// instructions (tree-sitter balances repetitions into hidden subtrees). Keyed by the tree and
// the node's subtree and offset; a TsFile drops its tree's lists when it goes, so no entry
// outlives its tree, and two trees read on one thread keep their own.
struct StatementLists {
  struct Key {
    const TSTree* tree;
    const void* id;
    uint32_t start;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<const void*>()(k.id) ^ (size_t{k.start} * 0x9E3779B97F4A7C15ull) ^
             std::hash<const void*>()(k.tree);
    }
  };
  std::unordered_map<Key, std::vector<TSNode>, KeyHash> by_node;
  std::vector<std::vector<TSNode>> spare;  // dropped lists, their capacity kept
  void Drop(const TSTree* tree) {
    for (auto it = by_node.begin(); it != by_node.end();) {
      if (it->first.tree != tree) {
        ++it;
        continue;
      }
      it->second.clear();
      spare.push_back(std::move(it->second));
      it = by_node.erase(it);
    }
  }
};
thread_local StatementLists statement_lists;

const std::vector<TSNode>& StatementList(TSNode parent, uint32_t count) {
  auto [it, added] =
      statement_lists.by_node.try_emplace({parent.tree, parent.id, ts_node_start_byte(parent)});
  std::vector<TSNode>& list = it->second;
  if (!added) return list;
  if (!statement_lists.spare.empty()) {
    list = std::move(statement_lists.spare.back());
    statement_lists.spare.pop_back();
  }
  list.reserve(count);
  TSTreeCursor c = BorrowCursor(parent);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      list.push_back(ts_tree_cursor_current_node(&c));
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ReturnCursor(c);
  return list;
}

constexpr std::pair<std::string_view, NodeKind> kKindNames[] = {
    {"aliased_import", NodeKind::kAliasedImport},
    {"as_pattern", NodeKind::kAsPattern},
    {"as_pattern_target", NodeKind::kAsPatternTarget},
    {"assignment", NodeKind::kAssignment},
    {"attribute", NodeKind::kAttribute},
    {"augmented_assignment", NodeKind::kAugmentedAssignment},
    {"binary_operator", NodeKind::kBinaryOperator},
    {"block", NodeKind::kBlock},
    {"call", NodeKind::kCall},
    {"class_definition", NodeKind::kClassDefinition},
    {"comment", NodeKind::kComment},
    {"concatenated_string", NodeKind::kConcatenatedString},
    {"conditional_expression", NodeKind::kConditionalExpression},
    {"decorated_definition", NodeKind::kDecoratedDefinition},
    {"dictionary", NodeKind::kDictionary},
    {"dictionary_splat", NodeKind::kDictionarySplat},
    {"dotted_name", NodeKind::kDottedName},
    {"except_clause", NodeKind::kExceptClause},
    {"except_group_clause", NodeKind::kExceptGroupClause},
    {"expression_list", NodeKind::kExpressionList},
    {"expression_statement", NodeKind::kExpressionStatement},
    {"false", NodeKind::kFalse},
    {"float", NodeKind::kFloat},
    {"for_in_clause", NodeKind::kForInClause},
    {"for_statement", NodeKind::kForStatement},
    {"function_definition", NodeKind::kFunctionDefinition},
    {"generator_expression", NodeKind::kGeneratorExpression},
    {"identifier", NodeKind::kIdentifier},
    {"if_statement", NodeKind::kIfStatement},
    {"import_from_statement", NodeKind::kImportFromStatement},
    {"integer", NodeKind::kInteger},
    {"keyword_argument", NodeKind::kKeywordArgument},
    {"lambda", NodeKind::kLambda},
    {"line_continuation", NodeKind::kLineContinuation},
    {"list", NodeKind::kList},
    {"list_pattern", NodeKind::kListPattern},
    {"list_splat", NodeKind::kListSplat},
    {"match_statement", NodeKind::kMatchStatement},
    {"module", NodeKind::kModule},
    {"named_expression", NodeKind::kNamedExpression},
    {"none", NodeKind::kNone},
    {"pair", NodeKind::kPair},
    {"parenthesized_expression", NodeKind::kParenthesizedExpression},
    {"pass_statement", NodeKind::kPassStatement},
    {"pattern_list", NodeKind::kPatternList},
    {"raise_statement", NodeKind::kRaiseStatement},
    {"continue_statement", NodeKind::kContinueStatement},
    {"string", NodeKind::kString},
    {"true", NodeKind::kTrue},
    {"try_statement", NodeKind::kTryStatement},
    {"tuple", NodeKind::kTuple},
    {"tuple_pattern", NodeKind::kTuplePattern},
    {"unary_operator", NodeKind::kUnaryOperator},
    {"while_statement", NodeKind::kWhileStatement},
    {"with_clause", NodeKind::kWithClause},
    {"with_statement", NodeKind::kWithStatement},
};

TSFieldId FieldId(const TSLanguage* lang, std::string_view name) {
  return ts_language_field_id_for_name(lang, name.data(), static_cast<uint32_t>(name.size()));
}

Grammar BuildGrammar() {
  const TSLanguage* lang = tree_sitter_python();
  Grammar g;
  // By name, over every symbol (named or not, aliases included), so a kind test answers
  // exactly what comparing ts_node_type() strings would.
  uint32_t count = ts_language_symbol_count(lang);
  g.kinds.assign(count, NodeKind::kOther);
  g.clauses.assign(count, false);
  for (uint32_t s = 0; s < count; ++s) {
    const char* raw = ts_language_symbol_name(lang, static_cast<TSSymbol>(s));
    if (raw == nullptr) continue;
    std::string_view name = raw;
    for (const auto& [n, k] : kKindNames) {
      if (n == name) g.kinds[s] = k;
    }
    if (name == "ERROR") g.kinds[s] = NodeKind::kError;
    g.clauses[s] = name.ends_with("_clause");
  }
  Fields& f = g.fields;
  f.alias = FieldId(lang, "alias");
  f.argument = FieldId(lang, "argument");
  f.arguments = FieldId(lang, "arguments");
  f.attribute = FieldId(lang, "attribute");
  f.body = FieldId(lang, "body");
  f.definition = FieldId(lang, "definition");
  f.function = FieldId(lang, "function");
  f.key = FieldId(lang, "key");
  f.left = FieldId(lang, "left");
  f.module_name = FieldId(lang, "module_name");
  f.name = FieldId(lang, "name");
  f.object = FieldId(lang, "object");
  f.operator_ = FieldId(lang, "operator");
  f.right = FieldId(lang, "right");
  f.value = FieldId(lang, "value");
  return g;
}

// A chain of attributes is as deep as it is long (`a.b.c` is ((a).b).c): walked in a loop,
// not recursively, so no length can overflow the stack.
void AppendDotted(const TsFile& f, TSNode n, std::string& out, bool& ok) {
  std::vector<TSNode> attrs;  // innermost last
  while (Kind(n) == NodeKind::kAttribute) {
    TSNode attr = Field(n, F().attribute);
    if (ts_node_is_null(attr)) {
      ok = false;
      return;
    }
    attrs.push_back(attr);
    n = Field(n, F().object);
  }
  if (Kind(n) != NodeKind::kIdentifier || f.Text(n).empty()) {  // `.x` on a missing name
    ok = false;
    return;
  }
  out += f.Text(n);
  for (auto it = attrs.rbegin(); it != attrs.rend(); ++it) {
    out += '.';
    out += f.Text(*it);
  }
}

}  // namespace

const Grammar& PythonGrammar() {
  static const Grammar g = BuildGrammar();
  return g;
}

Children::Children(TSNode parent, Which which) : parent_(parent), which_(which) {
  cursor_ = {};
  uint32_t count = ts_node_is_null(parent) ? 0 : ts_node_child_count(parent);
  if (count <= 1) {  // no cursor needed: ts_node_child(n, 0) is cheap
    done_ = count == 0;
    single_ = true;
    return;
  }
  NodeKind k = Kind(parent);
  if (k == NodeKind::kBlock || k == NodeKind::kModule) {
    list_ = &StatementList(parent, count);
    return;
  }
  cursor_ = BorrowCursor(parent);
}

Children::~Children() {
  if (cursor_.tree != nullptr) ReturnCursor(cursor_);
}

void Children::Advance(bool first) {
  if (done_) return;
  if (single_) {
    done_ = !first;
    if (done_) return;
    current_ = ts_node_child(parent_, 0);
    if (which_ == kAll || Wanted(current_)) return;
    done_ = true;
    return;
  }
  if (list_ != nullptr) {
    for (;;) {
      if (next_ >= list_->size()) {
        done_ = true;
        return;
      }
      current_ = (*list_)[next_++];
      if (which_ == kAll || Wanted(current_)) return;
    }
  }
  for (;;) {
    bool moved = first ? ts_tree_cursor_goto_first_child(&cursor_)
                       : ts_tree_cursor_goto_next_sibling(&cursor_);
    first = false;
    if (!moved) {
      done_ = true;
      return;
    }
    current_ = ts_tree_cursor_current_node(&cursor_);
    if (which_ == kAll || Wanted(current_)) return;
  }
}

bool Children::Wanted(TSNode n) {
  if (!ts_node_is_named(n)) return false;
  NodeKind k = Kind(n);
  return k != NodeKind::kComment && k != NodeKind::kLineContinuation;
}

TSNode FirstNamedChild(TSNode n) {
  for (TSNode c : NamedChildren(n)) return c;
  return TSNode{};
}

TSNode OnlyNamedChild(TSNode n) {
  TSNode only{};
  int count = 0;
  for (TSNode c : NamedChildren(n)) {
    if (++count > 1) return TSNode{};
    only = c;
  }
  return only;
}

TsFile::TsFile(const SourceFile& file, uint32_t start, std::span<const uint32_t> subscript_stars)
    : file_(file), start_(start), tree_(nullptr, &ts_tree_delete) {
  std::string_view src = std::string_view(file.text).substr(start);
  for (uint32_t at : subscript_stars) {
    if (at < start || at - start >= src.size()) continue;
    if (parse_copy_.empty()) parse_copy_ = std::string(src);
    parse_copy_[at - start] = ' ';
  }
  // tree-sitter-python takes a lone CR for junk where CPython ends the line: parse a copy with
  // those mapped to LF (same length, so every offset stays exact).
  for (size_t i = src.find('\r'); i != std::string_view::npos; i = src.find('\r', i + 1)) {
    if (i + 1 < src.size() && src[i + 1] == '\n') continue;
    if (parse_copy_.empty()) parse_copy_ = std::string(src);
    parse_copy_[i] = '\n';
  }
  if (!parse_copy_.empty()) src = parse_copy_;
  tree_.reset(ts_parser_parse_string(ThreadParser(), nullptr, src.data(),
                                     static_cast<uint32_t>(src.size())));
}

TsFile::~TsFile() { statement_lists.Drop(tree_.get()); }

bool TsFile::Contains(TSNode n, char c) const {
  uint32_t b = Begin(n), e = End(n);
  return e > b && std::memchr(file_.text.data() + b, c, e - b) != nullptr;
}

void TooDeep(const TsFile& f, Migration& m, TSNode n) {
  constexpr std::string_view kMessage =
      "nested too deeply: more than 3000 levels of expressions; CPython's compiler fails with "
      "RecursionError";
  for (const SyntaxProblem& p : m.syntax_problems) {
    if (p.message == kMessage) return;
  }
  uint32_t at = f.Begin(n);
  m.syntax_problems.push_back({Span{f.file().id, at, at}, std::string(kMessage)});
}

TSNode Unparen(TSNode n) {
  while (Is(n, NodeKind::kParenthesizedExpression)) {
    TSNode inner = OnlyNamedChild(n);
    if (ts_node_is_null(inner)) break;
    n = inner;
  }
  return n;
}

std::optional<DecodedString> DecodeStringNode(const TsFile& f, TSNode n, bool plain_fstrings) {
  NodeKind k = Kind(n);
  if (k == NodeKind::kString) {
    return DecodeLiteral(f.file().text, f.Begin(n), f.End(n), plain_fstrings);
  }
  if (k != NodeKind::kConcatenatedString) return std::nullopt;
  std::optional<DecodedString> out;
  for (TSNode part : NamedChildren(n)) {
    if (!Is(part, NodeKind::kString)) continue;
    DecodedString d = DecodeLiteral(f.file().text, f.Begin(part), f.End(part), plain_fstrings);
    if (!out) {
      out = std::move(d);
    } else {
      AppendLiteral(*out, d);
    }
  }
  return out;
}

std::string DottedName(const TsFile& f, TSNode n) {
  std::string out;
  bool ok = true;
  AppendDotted(f, n, out, ok);
  if (!ok) out.clear();
  return out;
}

}  // namespace alint
