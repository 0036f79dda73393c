// docstring-mismatch: the docstring header disagrees with the revision variables.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "lint/engine/rule.h"

namespace alint {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// `'a'` / `"a"` / `u'a'` -> `a`.
std::string_view Unquote(std::string_view s) {
  if (s.size() >= 3 && (s[0] == 'u' || s[0] == 'U') && (s[1] == '\'' || s[1] == '"')) {
    s.remove_prefix(1);
  }
  if (s.size() >= 2 && (s[0] == '\'' || s[0] == '"') && s.back() == s[0]) {
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

// "a, b" -> {"a", "b"}; Alembic writes "Revises:" with util.format_as_comma (", "-joined),
// empty for None. A hand-written "None" means the same as empty. Old templates wrote the
// tuple itself for a merge (`Revises: ('a', 'b')`): the same ids.
std::vector<std::string> SplitRevises(std::string_view text) {
  std::vector<std::string> out;
  text = Trim(text);
  if (text.size() >= 2 && ((text.front() == '(' && text.back() == ')') ||
                           (text.front() == '[' && text.back() == ']'))) {
    text = Trim(text.substr(1, text.size() - 2));
  }
  if (text == "None" || text == "<base>") return out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = Unquote(Trim(text.substr(0, comma)));
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Join(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ", ";
    out += id;
  }
  return out;
}

class DocstringMismatch final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"docstring-mismatch",
                                "Docstring `Revision ID:` / `Revises:` disagree with `revision` / "
                                "`down_revision`",
                                Severity::kInfo, "structure"};
    return kInfo;
  }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const Docstring& doc = m.docstring;
    if (!doc.present) return;
    if (doc.revision_id && m.revision.kind == ValueKind::kString && !m.revision.items.empty()) {
      const std::string& real = m.revision.items[0].value;
      if (Trim(doc.revision_id->value) != real) {
        Report(ctx, *doc.revision_id, "Revision ID", real, "revision", m.revision);
      }
    }
    if (doc.revises &&
        (m.down_revision.kind == ValueKind::kNone || m.down_revision.kind == ValueKind::kString ||
         m.down_revision.kind == ValueKind::kSequence)) {
      // Alembic writes the ids in tuple order; the comparison ignores order so a merge whose
      // docstring lists its parents differently is not reported.
      std::vector<std::string> real_ids;
      for (const StringItem& item : m.down_revision.items) real_ids.push_back(item.value);
      std::vector<std::string> sorted = real_ids;
      std::sort(sorted.begin(), sorted.end());
      if (SplitRevises(doc.revises->value) != sorted) {
        Report(ctx, *doc.revises, "Revises", Join(real_ids), "down_revision", m.down_revision);
      }
    }
  }

 private:
  static void Report(RuleContext& ctx, const DocField& field, std::string_view key,
                     const std::string& real, std::string_view var, const RevisionValue& value) {
    std::string shown = real.empty() ? std::string("nothing (a base)") : "`" + real + "`";
    Finding& f = ctx.Report(
        field.span,
        fmt::format("docstring says `{}: {}`, but `{}` gives {}: readers, and `alembic history "
                    "--verbose` which prints the docstring, see the wrong value",
                    key, Trim(field.value), var, shown));
    f.help = fmt::format("set the docstring line to `{}: {}`", key, real);
    if (value.target.valid())
      f.related.push_back(Related{value.target, fmt::format("`{}` is set here", var)});
    std::string replacement = real;
    // An empty value's span sits right after the colon; keep Alembic's "Key: value" spacing.
    if (field.value.empty() && field.span.begin > 0 &&
        ctx.file(field.span.file).text[field.span.begin - 1] == ':') {
      replacement = " " + replacement;
    }
    f.fix = Fix{fmt::format("Set the docstring's {} to the real value", key),
                Applicability::kSafe,
                {Edit{field.span, replacement}}};
  }
};

}  // namespace

const Rule& DocstringMismatchRule() {
  static const DocstringMismatch r;
  return r;
}

}  // namespace alint
