// filename-revision-mismatch: the file name names a different revision than the file declares.
#include "rules/structure/filename_revision_mismatch.h"

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "lint/engine/workspace.h"

namespace alint {
namespace {

// Accepted for compatibility; the rule reads each environment's own file_template (EnvSpec).
constexpr RuleOption kOptions[] = {{"file-template", RuleOption::Type::kString,
                                    "Alembic's file_template (each environment's own wins)", 0, 0,
                                    0, kDefaultFileTemplate}};

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         static_cast<unsigned char>(c) >= 0x80;
}

// True when `id` occurs in `name` as a whole part, not inside a longer run of letters/digits.
bool ContainsAsPart(std::string_view name, std::string_view id) {
  if (id.empty()) return false;
  for (size_t at = name.find(id); at != std::string_view::npos; at = name.find(id, at + 1)) {
    bool left = at == 0 || !IsAlnum(name[at - 1]);
    size_t end = at + id.size();
    bool right = end >= name.size() || !IsAlnum(name[end]);
    if (left && right) return true;
  }
  return false;
}

// Alembic's message is the docstring's first line; the slug of a renamed file comes from it.
std::string DocstringMessage(const SourceFile& file, const Docstring& doc) {
  if (!doc.present || !doc.span.valid()) return "";
  std::string_view s = file.Slice(doc.span);
  while (!s.empty() && s.front() != '"' && s.front() != '\'') s.remove_prefix(1);
  while (!s.empty() && (s.front() == '"' || s.front() == '\'')) s.remove_prefix(1);
  while (!s.empty() && (s.front() == '\n' || s.front() == '\r' || s.front() == ' ')) {
    s.remove_prefix(1);
  }
  return std::string(s.substr(0, s.find_first_of("\r\n\"'")));
}

// "2023-01-15 12:30:45.123456" (str(datetime), as Alembic writes `Create Date:`).
void ParseCreateDate(std::string_view s, rulekit::TemplateValues* v) {
  auto num = [&s](size_t at, size_t len) -> std::optional<int> {
    if (at + len > s.size()) return std::nullopt;
    int n = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      n = n * 10 + (s[i] - '0');
    }
    return n;
  };
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return;
  v->year = num(0, 4);
  v->month = num(5, 2);
  v->day = num(8, 2);
  if (s.size() >= 19 && s[13] == ':' && s[16] == ':') {
    v->hour = num(11, 2);
    v->minute = num(14, 2);
    v->second = num(17, 2);
  }
}

class FilenameRevisionMismatch final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"filename-revision-mismatch",
                                "File name does not carry the migration's revision id the way "
                                "file_template names files",
                                Severity::kInfo, "structure", kOptions};
    return kInfo;
  }

  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    rulekit::FileTemplate t = rulekit::FileTemplate::Parse(view.env.file_template);
    if (!t.has_rev()) return;
    for (const Migration* m : view.migrations) CheckFileNameRevision(*m, t, ctx);
  }
};

}  // namespace

void CheckFileNameRevision(const Migration& m, const rulekit::FileTemplate& t, RuleContext& ctx) {
  if (!t.has_rev() || m.revision.kind != ValueKind::kString || m.revision.items.empty()) return;
  const StringItem& rev = m.revision.items[0];
  const SourceFile& file = ctx.file(m.file);
  std::string name = rulekit::TrailingComponents(file.path, t.depth());
  if (t.Matches(name, rev.value)) return;
  static const rulekit::FileTemplate kDefault = rulekit::FileTemplate::Parse(kDefaultFileTemplate);
  std::string base = rulekit::TrailingComponents(file.path, 0);
  if (kDefault.Matches(base, rev.value) || ContainsAsPart(base, rev.value)) return;

  // Words in the rev position ("add_users.py" read as rev "add") are a name that ignores the
  // template, not a different id: only a part with a digit is taken as an id.
  std::optional<std::string> named = t.ExtractRev(name);
  if (named && named->find_first_of("0123456789") == std::string::npos) named.reset();
  std::string suggestion;
  if (named) {
    suggestion = t.ReplaceRev(name, rev.value).value_or(name);
  } else {
    rulekit::TemplateValues values;
    std::string message = DocstringMessage(file, m.docstring);
    if (message.empty()) {
      message = base.substr(0, base.size() - (base.ends_with(".py") ? 3 : 0));
    }
    values.slug = rulekit::Slugify(message);
    if (m.docstring.create_date) ParseCreateDate(m.docstring.create_date->value, &values);
    suggestion = t.Render(rev.value, values);
  }
  std::string message =
      named ? fmt::format(
                  "file name `{}` names revision `{}`, but the file declares revision "
                  "`{}`",
                  name, *named, rev.value)
            : fmt::format(
                  "file name `{}` does not carry the revision id `{}` (file_template "
                  "`{}`)",
                  name, rev.value, t.text());
  Finding& f = ctx.Report(rev.span, message);
  f.help = fmt::format(
      "rename the file to `{}` so people (and `grep`) find a revision by its id; if the name is "
      "right instead, fix `revision` and every `down_revision` that names it",
      suggestion);
}

const Rule& FilenameRevisionMismatchRule() {
  static const FilenameRevisionMismatch r;
  return r;
}

}  // namespace alint
