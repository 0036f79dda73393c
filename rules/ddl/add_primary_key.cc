// add-primary-key: ADD PRIMARY KEY on an existing table builds the index (and checks NOT
// NULL) under ACCESS EXCLUSIVE.
#include "lint/engine/rule.h"
#include "lint/rulekit/unique_index_help.h"

namespace alint {
namespace {

class AddPrimaryKey final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"add-primary-key",
                                "ADD PRIMARY KEY builds its index while blocking reads and "
                                "writes; build it concurrently and add the key USING INDEX",
                                Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    rulekit::CheckIndexBackedConstraint(m, ctx, ConstraintKind::kPrimaryKey, "PRIMARY KEY",
                                        "primary key");
  }
};

}  // namespace

const Rule& AddPrimaryKeyRule() {
  static const AddPrimaryKey r;
  return r;
}

}  // namespace alint
