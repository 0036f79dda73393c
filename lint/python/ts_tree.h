#pragma once
/// Internal to lint/python: one tree-sitter-python parse of a SourceFile plus node helpers.
/// Nothing outside lint/python includes this (rules see Migration facts only).
///
/// Speed matters here (a full `check` should cost little more than the parse itself), hence:
/// node types are compared as small enums looked up once per grammar symbol, fields by id,
/// and children are visited with pooled tree cursors (ts_node_child(i) is O(i) and
/// ts_node_next_sibling walks down from the root in tree-sitter 0.20).

#include <tree_sitter/api.h>

#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lint/python/py_literal.h"

namespace alint {

using TreePtr = std::unique_ptr<TSTree, decltype(&ts_tree_delete)>;

/// The node types the extractor looks at. Equal kinds mean equal ts_node_type() names.
enum class NodeKind : uint8_t {
  kNull,  ///< a null node (a field that is not there)
  kOther,
  kError,
  kAliasedImport,
  kAsPattern,
  kAsPatternTarget,
  kAssignment,
  kAttribute,
  kAugmentedAssignment,
  kBinaryOperator,
  kBlock,
  kCall,
  kClassDefinition,
  kComment,
  kConcatenatedString,
  kConditionalExpression,
  kDecoratedDefinition,
  kDictionary,
  kDictionarySplat,
  kDottedName,
  kExceptClause,
  kExceptGroupClause,
  kExpressionList,
  kExpressionStatement,
  kFalse,
  kFloat,
  kForInClause,
  kForStatement,
  kFunctionDefinition,
  kGeneratorExpression,
  kIdentifier,
  kIfStatement,
  kImportFromStatement,
  kInteger,
  kKeywordArgument,
  kLambda,
  kLineContinuation,
  kList,
  kListPattern,
  kListSplat,
  kMatchStatement,
  kModule,
  kNamedExpression,
  kNone,
  kPair,
  kParenthesizedExpression,
  kPassStatement,
  kPatternList,
  kRaiseStatement,
  kContinueStatement,
  kString,
  kTrue,
  kTryStatement,
  kTuple,
  kTuplePattern,
  kUnaryOperator,
  kWhileStatement,
  kWithClause,
  kWithStatement,
};

/// Field ids of the grammar, looked up once.
struct Fields {
  TSFieldId alias, argument, arguments, attribute, body, definition, function, key, left,
      module_name, name, object, operator_, right, value;
};

/// The grammar's symbol -> NodeKind table and field ids (built once, thread-safe).
struct Grammar {
  std::vector<NodeKind> kinds;  ///< by TSSymbol
  std::vector<bool> clauses;    ///< by TSSymbol: the type name ends with "_clause"
  Fields fields;
};
const Grammar& PythonGrammar();

inline NodeKind Kind(TSNode n) {
  if (ts_node_is_null(n)) return NodeKind::kNull;
  TSSymbol s = ts_node_symbol(n);
  const std::vector<NodeKind>& kinds = PythonGrammar().kinds;
  if (s < kinds.size()) return kinds[s];
  return s == static_cast<TSSymbol>(-1) ? NodeKind::kError : NodeKind::kOther;
}
/// The node's type name ends with "_clause" (else_clause, except_clause, ...).
inline bool IsClause(TSNode n) {
  if (ts_node_is_null(n)) return false;
  TSSymbol s = ts_node_symbol(n);
  const std::vector<bool>& clauses = PythonGrammar().clauses;
  return s < clauses.size() && clauses[s];
}
/// False for a null node (a missing field), never a crash.
inline bool Is(TSNode n, NodeKind k) { return Kind(n) == k; }
inline const Fields& F() { return PythonGrammar().fields; }
inline TSNode Field(TSNode n, TSFieldId field) {
  return ts_node_is_null(n) ? n : ts_node_child_by_field_id(n, field);
}

/// The children of a node in order, for range-for: all of them, or the named ones except
/// comments and line continuations (extras that may sit anywhere). Nothing for a null node.
/// Borrows a cursor from a per-thread pool: cheap to make, not copyable, one thread.
class Children {
 public:
  enum Which : uint8_t { kAll, kNamed };
  Children(TSNode parent, Which which);
  ~Children();
  Children(const Children&) = delete;
  Children& operator=(const Children&) = delete;

  class Iterator {
   public:
    TSNode operator*() const { return r_->current_; }
    Iterator& operator++() {
      r_->Advance(false);
      return *this;
    }
    bool operator!=(std::default_sentinel_t) const { return !r_->done_; }

   private:
    friend class Children;
    explicit Iterator(Children* r) : r_(r) {}
    Children* r_;
  };
  Iterator begin() {
    Advance(true);
    return Iterator(this);
  }
  std::default_sentinel_t end() const { return {}; }

 private:
  void Advance(bool first);
  static bool Wanted(TSNode n);  // for kNamed

  TSTreeCursor cursor_;
  TSNode parent_;
  TSNode current_{};
  const std::vector<TSNode>* list_ = nullptr;  // a statement list read before (see ts_tree.cc)
  uint32_t next_ = 0;                          // in list_
  Which which_;
  bool done_ = false;
  bool single_ = false;  // at most one child: read without a cursor
};
inline Children AllChildren(TSNode n) { return Children(n, Children::kAll); }
inline Children NamedChildren(TSNode n) { return Children(n, Children::kNamed); }

/// The first child NamedChildren() yields, or a null node.
TSNode FirstNamedChild(TSNode n);
/// The only child NamedChildren() yields, or a null node when there are none or several.
TSNode OnlyNamedChild(TSNode n);

/// A parsed file. Python source starts at `start` (after a BOM); node offsets are relative to
/// it and every helper here turns them into file offsets. Not copyable; one per thread.
class TsFile {
 public:
  /// `subscript_stars` (file offsets, from ScanLayout) are read as blanks: the pinned
  /// tree-sitter-python grammar refuses a starred subscript item that does not start with a
  /// name (`a[*(b)]`, `a[*[]]`, `tuple[*-b]`), which CPython accepts since 3.11, and a blank
  /// there leaves the item's own expression, all the facts layer reads of it.
  TsFile(const SourceFile& file, uint32_t start, std::span<const uint32_t> subscript_stars = {});
  ~TsFile();
  TsFile(const TsFile&) = delete;
  TsFile& operator=(const TsFile&) = delete;

  const SourceFile& file() const { return file_; }
  TSNode root() const { return ts_tree_root_node(tree_.get()); }
  uint32_t Begin(TSNode n) const { return ts_node_start_byte(n) + start_; }
  uint32_t End(TSNode n) const { return ts_node_end_byte(n) + start_; }
  Span SpanOf(TSNode n) const { return Span{file_.id, Begin(n), End(n)}; }
  std::string_view Text(TSNode n) const {
    return std::string_view(file_.text).substr(Begin(n), End(n) - Begin(n));
  }
  /// Whether byte `c` occurs in the node's text: a node without a `#` holds no comment, one
  /// without a `(` no call.
  bool Contains(TSNode n, char c) const;

 private:
  const SourceFile& file_;
  uint32_t start_;
  std::string parse_copy_;  ///< the text tree-sitter read, when it differs from the file's
  TreePtr tree_;
};

/// How deep the recursive tree readers go. CPython's compiler gives up (RecursionError) at
/// about 3,000 nested expressions, and brackets stop at 200 (ScanLayout), so only a file Python
/// rejects anyway reaches this; the readers then stop and record TooDeep() instead of
/// overflowing the stack.
inline constexpr int kMaxTreeDepth = 3000;
/// Records (once per migration) that a reader stopped at kMaxTreeDepth below `n`.
void TooDeep(const TsFile& f, Migration& m, TSNode n);

/// Strips any number of enclosing parentheses.
TSNode Unparen(TSNode n);
/// A `string` or `concatenated_string` node decoded; nullopt for any other node.
/// `plain_fstrings`: see DecodeLiteral.
std::optional<DecodedString> DecodeStringNode(const TsFile& f, TSNode n,
                                              bool plain_fstrings = false);
/// "a.b.c" for an identifier or a chain of attributes on identifiers; "" otherwise.
std::string DottedName(const TsFile& f, TSNode n);

/// The Expr view of an expression node (parentheses stripped).
Expr ToExpr(const TsFile& f, TSNode n);

/// Header facts, docstring, suppressions and syntax problems from the tree.
void ReadTreeHeader(const TsFile& f, Migration& m);
/// Statements that span a line end where CPython's tokenizer ends the logical line
/// (`newlines`, from ScanLayout): tree-sitter's error recovery may join `x = *` with the next
/// line without an error node. Records the first as a syntax problem.
void CheckLogicalLines(const TsFile& f, const std::vector<uint32_t>& newlines, Migration& m);
/// Body facts: upgrade/downgrade, op calls, SQL strings.
void ReadTreeBody(const TsFile& f, Migration& m);

}  // namespace alint
