// non-literal-revision-value: a revision identifier set by code the linter does not run.
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "lint/engine/rule.h"

namespace alint {
namespace {

// The expression as shown in a message: its first line, at most 60 bytes.
std::string Shorten(std::string_view source) {
  std::string_view s = source.substr(0, source.find('\n'));
  bool cut = s.size() < source.size();
  if (s.size() > 60) {
    s = s.substr(0, 60);
    // Do not end inside a UTF-8 sequence.
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.remove_suffix(1);
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.remove_suffix(1);
    cut = true;
  }
  return std::string(s) + (cut ? "..." : "");
}

class NonLiteralRevisionValue final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"non-literal-revision-value",
                                "`revision`, `down_revision`, `branch_labels` or `depends_on` is "
                                "not a literal the linter can read",
                                Severity::kWarning, "structure"};
    return kInfo;
  }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    struct Var {
      const RevisionValue& value;
      std::string_view name;
      std::string_view consequence;
    };
    const Var vars[] = {
        {m.revision, "revision", "this migration's id is unknown, so no graph check can place it"},
        {m.down_revision, "down_revision",
         "its parents are unknown, so graph checks cannot link it"},
        {m.branch_labels, "branch_labels", "its branch labels are unknown to graph checks"},
        {m.depends_on, "depends_on", "its dependencies are unknown to graph checks"},
    };
    for (const Var& v : vars) {
      if (v.value.kind != ValueKind::kNotLiteral) continue;
      Span anchor = v.value.value.valid() ? v.value.value : v.value.target;
      std::string how = v.value.source.empty()
                            ? std::string("is set in a way")
                            : fmt::format("is set by `{}`, which", Shorten(v.value.source));
      std::string looked = v.value.unresolved.empty()
                               ? std::string()
                               : fmt::format(" (not resolved statically: {})", v.value.unresolved);
      Finding& f =
          ctx.Report(anchor, fmt::format("`{}` {} only running the file can evaluate{}: {}", v.name,
                                         how, looked, v.consequence));
      f.help = fmt::format(
          "write `{}` as a string literal, a tuple of string literals or None, unconditionally "
          "at module level (what `alembic revision` generates)",
          v.name);
    }
  }
};

}  // namespace

const Rule& NonLiteralRevisionValueRule() {
  static const NonLiteralRevisionValue r;
  return r;
}

}  // namespace alint
