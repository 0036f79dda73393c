// invalid-revision-id: a revision id (or branch label) Alembic or the database cannot use.
#include <fmt/format.h>

#include "lint/engine/rule.h"
#include "lint/rulekit/revision_id.h"

namespace alint {
namespace {

class InvalidRevisionId final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"invalid-revision-id",
                                "Revision id or branch label that Alembic rejects or cannot "
                                "address",
                                Severity::kError, "structure"};
    return kInfo;
  }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const RevisionValue& rev = m.revision;
    const std::string generate =
        "use the id `alembic revision` generates (12 lowercase hex digits); if this revision is "
        "already deployed, also update alembic_version and every `down_revision` naming it";
    switch (rev.kind) {
      case ValueKind::kNone: {
        Finding& f = ctx.Report(rev.value,
                                "`revision = None`: Alembic 1.8.1 fails while loading the versions "
                                "directory (TypeError: 'NoneType' object is not iterable)");
        f.help = generate;
        break;
      }
      case ValueKind::kSequence: {
        bool is_list = rev.source.starts_with("[");
        std::string first = rev.items.empty() ? std::string() : rev.items[0].value;
        Finding& f = ctx.Report(
            rev.value,
            is_list ? std::string("`revision` is a list, not a string: Alembic 1.8.1 cannot use "
                                  "it as a revision id and fails loading the versions directory")
                    : fmt::format("`revision` is a tuple, not a string: Alembic 1.8.1 keys the "
                                  "migration by the whole tuple, then fails to find it "
                                  "(\"Can't locate revision identified by '{}'\")",
                                  first));
        f.help = rev.items.size() == 1 ? fmt::format("write `revision = {}`",
                                                     ctx.file(m.file).Slice(rev.items[0].span))
                                       : generate;
        if (rev.items.size() == 1) {
          f.fix = Fix{"Unwrap the single id",
                      Applicability::kSafe,
                      {Edit{rev.value, std::string(ctx.file(m.file).Slice(rev.items[0].span))}}};
        }
        break;
      }
      case ValueKind::kString:
        if (!rev.items.empty()) {
          const StringItem& id = rev.items[0];
          if (std::optional<std::string> why = rulekit::InvalidRevisionIdReason(id.value)) {
            Finding& f = ctx.Report(id.span, fmt::format("revision id `{}` {}", id.value, *why));
            f.help = generate;
          }
        }
        break;
      default:
        break;
    }
    for (const StringItem& label : m.branch_labels.items) {
      if (std::optional<std::string> why = rulekit::InvalidBranchLabelReason(label.value)) {
        Finding& f = ctx.Report(label.span, fmt::format("branch label `{}` {}", label.value, *why));
        f.help = "use a plain name such as `billing` (letters, digits, `_`)";
      }
    }
  }
};

}  // namespace

const Rule& InvalidRevisionIdRule() {
  static const InvalidRevisionId r;
  return r;
}

}  // namespace alint
