#include "lint/rulekit/graph_util.h"

#include <fmt/format.h>

namespace alint::rulekit {

std::string FileName(const RuleContext& ctx, const GraphNode& node) {
  if (node.file == kNoFile) return "<unknown file>";
  const SourceFile& f = ctx.file(node.file);
  if (!f.display_path.empty()) return f.display_path;
  if (!f.path.empty()) return f.path;
  return "<unknown file>";
}

Span DownAnchor(const GraphNode& node, size_t ref) {
  if (ref < node.down.size() && node.down[ref].span.valid()) return node.down[ref].span;
  if (node.migration != nullptr) {
    const RevisionValue& down = node.migration->down_revision;
    if (down.value.valid()) return down.value;
    if (down.target.valid()) return down.target;
  }
  return node.id_span;
}

std::optional<Edit> LiteralEdit(const SourceFile& file, Span literal, std::string_view value) {
  if (!literal.valid() || literal.end <= literal.begin) return std::nullopt;
  std::string_view text = file.Slice(literal);
  size_t open = text.find_first_of("'\"");
  if (open == std::string_view::npos || text.size() < open + 2) return std::nullopt;
  char q = text[open];
  if (text.back() != q) return std::nullopt;
  // Triple quotes and escapes in an id are too odd to rewrite safely.
  if (text.substr(open).starts_with(std::string(3, q))) return std::nullopt;
  for (char c : value) {
    if (c == q || c == '\\' || c == '\n') return std::nullopt;
  }
  std::string prefix(text.substr(0, open));
  for (char c : prefix) {
    if (c != 'r' && c != 'R' && c != 'u' && c != 'U') return std::nullopt;
  }
  return Edit{literal, fmt::format("{}{}{}{}", prefix, q, value, q)};
}

std::optional<Fix> ReplaceLiteral(const RuleContext& ctx, Span literal, std::string_view value,
                                  std::string title) {
  std::optional<Edit> edit = LiteralEdit(ctx.file(literal.file), literal, value);
  if (!edit) return std::nullopt;
  Fix fix;
  fix.title = std::move(title);
  fix.applicability = Applicability::kUnsafe;
  fix.edits.push_back(std::move(*edit));
  return fix;
}

std::string DescribeSuggestions(const RuleContext& ctx, const RevisionGraph& graph,
                                const std::vector<Suggestion>& suggestions) {
  std::string out;
  for (const Suggestion& s : suggestions) {
    const GraphNode& n = graph.node(s.node);
    if (!out.empty()) out += ", ";
    out += fmt::format("`{}` ({} of `{}`)", n.id, s.Explain(), FileName(ctx, n));
  }
  return out;
}

std::vector<Suggestion> BestSuggestions(const std::vector<Suggestion>& suggestions) {
  std::vector<Suggestion> out;
  if (suggestions.empty()) return out;
  Suggestion::Why best = suggestions.front().why;
  for (const Suggestion& s : suggestions) {
    if (s.why < best) best = s.why;
  }
  for (const Suggestion& s : suggestions) {
    if (s.why == best) out.push_back(s);
  }
  return out;
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += i + 1 == ids.size() ? " and " : ", ";
    out += "`" + ids[i] + "`";
  }
  return out;
}

}  // namespace alint::rulekit
