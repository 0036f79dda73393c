#include "lint/python/ts_tree.h"

#include <string>

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

}  // namespace

TsFile::TsFile(const SourceFile& file, uint32_t start)
    : file_(file), start_(start), tree_(nullptr, &ts_tree_delete) {
  std::string_view src = std::string_view(file.text).substr(start);
  tree_.reset(ts_parser_parse_string(ThreadParser(), nullptr, src.data(),
                                     static_cast<uint32_t>(src.size())));
}

std::vector<TSNode> Children(TSNode n) {
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

std::vector<TSNode> NamedChildren(TSNode n) {
  std::vector<TSNode> out;
  for (TSNode c : Children(n)) {
    if (ts_node_is_named(c) && !Is(c, "comment") && !Is(c, "line_continuation")) {
      out.push_back(c);
    }
  }
  return out;
}

TSNode Field(TSNode n, std::string_view field) {
  return ts_node_child_by_field_name(n, field.data(), static_cast<uint32_t>(field.size()));
}

TSNode Unparen(TSNode n) {
  while (!ts_node_is_null(n) && Is(n, "parenthesized_expression")) {
    std::vector<TSNode> inner = NamedChildren(n);
    if (inner.size() != 1) break;
    n = inner[0];
  }
  return n;
}

std::optional<DecodedString> DecodeStringNode(const TsFile& f, TSNode n) {
  if (Is(n, "string")) {
    return DecodeLiteral(f.file().text, f.Begin(n), f.End(n));
  }
  if (!Is(n, "concatenated_string")) return std::nullopt;
  std::optional<DecodedString> out;
  for (TSNode part : NamedChildren(n)) {
    if (!Is(part, "string")) continue;
    DecodedString d = DecodeLiteral(f.file().text, f.Begin(part), f.End(part));
    if (!out) {
      out = std::move(d);
    } else {
      AppendLiteral(*out, d);
    }
  }
  return out;
}

std::string DottedName(const TsFile& f, TSNode n) {
  if (Is(n, "identifier")) return std::string(f.Text(n));
  if (!Is(n, "attribute")) return "";
  std::string object = DottedName(f, Field(n, "object"));
  TSNode attr = Field(n, "attribute");
  if (object.empty() || ts_node_is_null(attr)) return "";
  return object + "." + std::string(f.Text(attr));
}

}  // namespace alint
