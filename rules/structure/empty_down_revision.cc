// empty-down-revision: `down_revision = ""` or an empty id inside a tuple of parents.
#include <fmt/format.h>

#include "lint/engine/rule.h"

namespace alint {
namespace {

class EmptyDownRevision final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"empty-down-revision",
                                "`down_revision` is an empty string instead of None",
                                Severity::kError, "structure"};
    return kInfo;
  }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const RevisionValue& down = m.down_revision;
    if (down.kind == ValueKind::kString && !down.items.empty() && down.items[0].value.empty()) {
      Finding& f = ctx.Report(
          down.items[0].span,
          "`down_revision` is an empty string: Alembic before 1.12.1 quietly treats `\"\"` as no "
          "parent (a base), later versions refuse to load it");
      f.help = "write `down_revision = None` for a first migration";
      f.fix = Fix{"Replace \"\" with None",
                  Applicability::kSafe,
                  {Edit{down.value.valid() ? down.value : down.items[0].span, "None"}}};
      return;
    }
    if (down.kind != ValueKind::kSequence) return;
    size_t empty = 0;
    for (const StringItem& item : down.items) empty += item.value.empty() ? 1 : 0;
    if (empty == 0) return;
    // One fix for the whole value (on the first finding): per-item deletions of neighbouring
    // empty ids would overlap.
    std::string rebuilt;
    size_t kept = 0;
    for (const StringItem& item : down.items) {
      if (item.value.empty()) continue;
      if (kept++ > 0) rebuilt += ", ";
      rebuilt += ctx.file(m.file).Slice(item.span);
    }
    if (kept == 0) {
      rebuilt = "None";
    } else if (kept > 1) {
      rebuilt = "(" + rebuilt + ")";
    }
    bool first = true;
    for (const StringItem& item : down.items) {
      if (!item.value.empty()) continue;
      Finding& f = ctx.Report(
          item.span,
          "`down_revision` lists an empty id: no migration has it, so loading the versions "
          "directory fails (Alembic 1.8.1: KeyError: '')");
      f.help = kept == 0 ? std::string("write `down_revision = None` for a first migration")
                         : fmt::format("remove the empty id: `down_revision = {}`", rebuilt);
      if (first && down.value.valid()) {
        f.fix = Fix{kept == 0 ? "Replace with None" : "Remove the empty id",
                    Applicability::kUnsafe,
                    {Edit{down.value, rebuilt}}};
      }
      first = false;
    }
  }
};

}  // namespace

const Rule& EmptyDownRevisionRule() {
  static const EmptyDownRevision r;
  return r;
}

}  // namespace alint
