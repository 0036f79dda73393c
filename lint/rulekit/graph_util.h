#pragma once
/// Helpers shared by the graph rules: display names, anchors, string-literal fixes and
/// "did you mean" text.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/finding.h"
#include "lint/engine/rule.h"
#include "lint/graph/revision_graph.h"

namespace alint::rulekit {

/// The file of `node` as users see it (display path, else path, else "<unknown file>").
std::string FileName(const RuleContext& ctx, const GraphNode& node);

/// Where to anchor a finding about `node`'s down_revision: its `ref`-th literal when there is
/// one, else the `down_revision` target, else the revision literal.
Span DownAnchor(const GraphNode& node, size_t ref = 0);

/// The edit that replaces the string literal at `literal` in `file` (quotes kept, prefix kept)
/// by `value`. nullopt when the span does not hold a plain quoted literal.
std::optional<Edit> LiteralEdit(const SourceFile& file, Span literal, std::string_view value);

/// A fix made of LiteralEdit (unsafe: it changes what the migration says).
std::optional<Fix> ReplaceLiteral(const RuleContext& ctx, Span literal, std::string_view value,
                                  std::string title);

/// "`a1b2` (file name of `3f2a_add_users.py`), `c3d4` (similar id of `c3d5_x.py`)".
std::string DescribeSuggestions(const RuleContext& ctx, const RevisionGraph& graph,
                                const std::vector<Suggestion>& suggestions);

/// The strongest suggestions: all of the best `why` class (file stem before prefix before
/// label before near miss). A single entry means an unambiguous replacement.
std::vector<Suggestion> BestSuggestions(const std::vector<Suggestion>& suggestions);

/// `a, b and c` with each id in backticks.
std::string JoinIds(const std::vector<std::string>& ids);

}  // namespace alint::rulekit
