// add-unique-constraint: ADD UNIQUE on an existing table builds the index under ACCESS
// EXCLUSIVE.
#include "lint/engine/rule.h"
#include "lint/rulekit/unique_index_help.h"

namespace alint {
namespace {

class AddUniqueConstraint final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"add-unique-constraint",
                                "ADD UNIQUE builds its index while blocking reads and writes; "
                                "build it concurrently and add the constraint USING INDEX",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    rulekit::CheckIndexBackedConstraint(m, ctx, ConstraintKind::kUnique, "UNIQUE",
                                        "unique constraint");
  }
};

}  // namespace

const Rule& AddUniqueConstraintRule() {
  static const AddUniqueConstraint r;
  return r;
}

}  // namespace alint
