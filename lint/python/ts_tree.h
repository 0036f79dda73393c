#pragma once
/// Internal to lint/python: one tree-sitter-python parse of a SourceFile plus node helpers.
/// Nothing outside lint/python includes this (rules see Migration facts only).

#include <tree_sitter/api.h>

#include <memory>
#include <string_view>
#include <vector>

#include "lint/python/py_literal.h"

namespace alint {

using TreePtr = std::unique_ptr<TSTree, decltype(&ts_tree_delete)>;

/// A parsed file. Python source starts at `start` (after a BOM); node offsets are relative to
/// it and every helper here turns them into file offsets. Not copyable; one per thread.
class TsFile {
 public:
  TsFile(const SourceFile& file, uint32_t start);
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

 private:
  const SourceFile& file_;
  uint32_t start_;
  TreePtr tree_;
};

inline std::string_view Type(TSNode n) { return ts_node_type(n); }
/// False for a null node (a missing field), never a crash.
inline bool Is(TSNode n, std::string_view type) { return !ts_node_is_null(n) && Type(n) == type; }
/// All children (named and anonymous) in order, via a cursor (ts_node_child is O(n) each).
std::vector<TSNode> Children(TSNode n);
/// Named children, skipping comments and line continuations (extras that may sit anywhere).
std::vector<TSNode> NamedChildren(TSNode n);
TSNode Field(TSNode n, std::string_view field);
/// Strips any number of enclosing parentheses.
TSNode Unparen(TSNode n);
/// A `string` or `concatenated_string` node decoded; nullopt for any other node.
std::optional<DecodedString> DecodeStringNode(const TsFile& f, TSNode n);
/// "a.b.c" for an identifier or a chain of attributes on identifiers; "" otherwise.
std::string DottedName(const TsFile& f, TSNode n);

/// Header facts, docstring, suppressions and syntax problems from the tree.
void ReadTreeHeader(const TsFile& f, Migration& m);
/// Body facts: upgrade/downgrade, op calls, SQL strings.
void ReadTreeBody(const TsFile& f, Migration& m);

}  // namespace alint
