#pragma once
// Test support for the structure rules: files in memory, hand-built Migration facts, and a
// RuleContext that collects findings.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "lint/engine/rule.h"
#include "rules/registry.h"

namespace alint::testing {

struct RuleHarness {
  std::vector<SourceFile> files;
  LintSettings settings;
  std::vector<Finding> findings;

  FileId Add(std::string path, std::string text) {
    auto id = static_cast<FileId>(files.size());
    files.emplace_back(id, std::move(path), std::move(text));
    return id;
  }

  /// The span of the `nth` occurrence of `needle` in file `id` (fails the test when absent).
  Span Find(FileId id, std::string_view needle, int nth = 0) const {
    const std::string& text = files[id].text;
    size_t at = text.find(needle);
    for (int i = 0; i < nth && at != std::string::npos; ++i) at = text.find(needle, at + 1);
    REQUIRE_MESSAGE(at != std::string::npos, "not found: " << needle);
    return Span{id, static_cast<uint32_t>(at), static_cast<uint32_t>(at + needle.size())};
  }

  /// A string literal `"value"` or `'value'` in the file: the item spans the quotes.
  StringItem Literal(FileId id, std::string_view value, int nth = 0) const {
    std::string dq = "\"" + std::string(value) + "\"";
    std::string sq = "'" + std::string(value) + "'";
    bool double_quoted = files[id].text.find(dq) != std::string::npos;
    return StringItem{std::string(value), Find(id, double_quoted ? dq : sq, nth)};
  }

  /// A module-level assignment `name = <rhs>` found in the file, as the facts layer reports it.
  RevisionValue Assign(FileId id, std::string_view name, ValueKind kind,
                       std::vector<std::string_view> strings = {}) const {
    RevisionValue v;
    v.kind = kind;
    v.assignments = 1;
    Span line = Find(id, std::string(name) + " =");
    v.target = Span{id, line.begin, static_cast<uint32_t>(line.begin + name.size())};
    const std::string& text = files[id].text;
    size_t rhs = text.find_first_not_of(' ', line.end);
    size_t eol = text.find('\n', rhs);
    if (eol == std::string::npos) eol = text.size();
    size_t comment = text.find("  #", rhs);
    if (comment != std::string::npos && comment < eol) eol = comment;
    v.value = Span{id, static_cast<uint32_t>(rhs), static_cast<uint32_t>(eol)};
    v.source = text.substr(rhs, eol - rhs);
    // `strings` are given in source order; each is searched after the previous one, from the
    // right-hand side on (so a docstring mention of the same id is never taken).
    size_t from = rhs;
    for (std::string_view s : strings) {
      std::string dq = "\"" + std::string(s) + "\"";
      std::string sq = "'" + std::string(s) + "'";
      size_t at = text.find(dq, from);
      size_t len = dq.size();
      if (at == std::string::npos || at >= eol) {
        at = text.find(sq, from);
        len = sq.size();
      }
      REQUIRE_MESSAGE((at != std::string::npos && at < eol), "literal not found: " << s);
      v.items.push_back(StringItem{
          std::string(s), Span{id, static_cast<uint32_t>(at), static_cast<uint32_t>(at + len)}});
      from = at + len;
    }
    return v;
  }

  std::vector<Finding> Run(const Rule& rule, const Migration& m) {
    findings.clear();
    RuleContext ctx(rule.info(), rule.info().default_severity, settings, files, &findings);
    rule.CheckMigration(m, ctx);
    return findings;
  }

  /// 1-based line and column of a span's start.
  LineCol Where(Span span) const { return files[span.file].Locate(span.begin); }

  /// `text` of file `id` with `edits` applied (they must not overlap).
  std::string Apply(FileId id, std::vector<Edit> edits) const {
    std::string text = files[id].text;
    std::sort(edits.begin(), edits.end(),
              [](const Edit& a, const Edit& b) { return a.span.begin > b.span.begin; });
    for (const Edit& e : edits)
      text.replace(e.span.begin, e.span.end - e.span.begin, e.replacement);
    return text;
  }
};

inline const Rule& GetRule(std::string_view name) {
  const Rule* r = FindRule(name);
  REQUIRE_MESSAGE(r != nullptr, "rule not registered: " << name);
  return *r;
}

}  // namespace alint::testing
