// missing-revision: a migration without `revision` or without `down_revision`.
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "lint/core/file_source.h"
#include "lint/engine/rule.h"

namespace alint {
namespace {

// Alembic's legacy fallback (script/base.py `_legacy_rev`, re.match): a file named "<hex>.py"
// gets its revision id from the name when the module has no `revision`.
std::string LegacyRevisionFromName(std::string_view name) {
  size_t n = 0;
  while (n < name.size() &&
         ((name[n] >= '0' && name[n] <= '9') || (name[n] >= 'a' && name[n] <= 'f'))) {
    ++n;
  }
  if (n == 0 || name.substr(n) != ".py") return "";
  return std::string(name.substr(0, n));
}

// The module name Alembic imports the file under (util.load_python_file: re.sub(r"\W", "_",
// filename)); it appears in the AttributeError users see.
std::string ModuleId(std::string_view name) {
  std::string id(name);
  for (char& c : id) {
    auto u = static_cast<unsigned char>(c);
    bool word = u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') ||
                (u >= 'A' && u <= 'Z') || u == '_';
    if (!word) c = '_';
  }
  return id;
}

class MissingRevision final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"missing-revision",
                                "Migration without a module-level `revision` or `down_revision`",
                                Severity::kError, "structure"};
    return kInfo;
  }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    // A file Python cannot read has no reliable facts; parse-error already reports it.
    if (!m.syntax_problems.empty()) return;
    const SourceFile& file = ctx.file(m.file);
    std::string name = BaseName(file.path);
    // Alembic skips these names when it lists the versions directory.
    if (name.starts_with("__init__") || name.starts_with(".#")) return;
    const std::string down_help =
        "add `down_revision = None` if this is a first migration (a base), or `down_revision = "
        "\"<parent id>\"` naming the migration it follows";
    const std::string no_down = fmt::format(
        "Alembic 1.8.1 then reads `module.down_revision` unguarded and every command fails with "
        "AttributeError: module '{}' has no attribute 'down_revision'",
        ModuleId(name));

    if (!m.revision.present()) {
      std::string legacy = LegacyRevisionFromName(name);
      Span anchor = m.down_revision.present() ? m.down_revision.target : Span{m.file, 0, 0};
      if (legacy.empty()) {
        Finding& f = ctx.Report(
            anchor,
            fmt::format("no module-level `revision`{}: Alembic 1.8.1 stops loading the versions "
                        "directory with CommandError \"Could not determine revision id from "
                        "filename {}\", so every alembic command fails",
                        m.down_revision.present() ? "" : " (nor `down_revision`)", name));
        f.help = m.down_revision.present()
                     ? std::string(
                           "add `revision = \"<id>\"` (`alembic revision` generates "
                           "one; the file name usually starts with it)")
                     : "add `revision = \"<id>\"` and `down_revision` (None for a first "
                       "migration, else the id of the migration it follows)";
        return;
      }
      if (!m.down_revision.present()) {
        Finding& f = ctx.Report(
            anchor,
            fmt::format("no module-level `revision` nor `down_revision`: Alembic takes the id "
                        "`{}` from the legacy file name, then {}",
                        legacy, no_down));
        f.help = down_help;
        return;
      }
      Finding& f = ctx.Report(
          anchor, fmt::format("no module-level `revision`: Alembic falls back to the pre-0.2 "
                              "convention and takes the id `{}` from the file name",
                              legacy));
      // Loads fine today: a warning, not an error, unless configured otherwise.
      if (!ctx.severity_configured() && f.severity > Severity::kWarning)
        f.severity = Severity::kWarning;
      f.help = fmt::format("declare `revision = \"{}\"` explicitly", legacy);
      uint32_t line_start = file.lines.LineStart(file.Locate(m.down_revision.target.begin).line);
      f.fix = Fix{
          fmt::format("Declare revision = \"{}\"", legacy),
          Applicability::kSafe,
          {Edit{Span{m.file, line_start, line_start}, fmt::format("revision = \"{}\"\n", legacy)}}};
      return;
    }
    if (!m.down_revision.present()) {
      Finding& f = ctx.Report(m.revision.target,
                              fmt::format("no module-level `down_revision`: {}", no_down));
      f.help = down_help;
    }
  }
};

}  // namespace

const Rule& MissingRevisionRule() {
  static const MissingRevision r;
  return r;
}

}  // namespace alint
