// environment-error: an Alembic environment that a config declares but that cannot be
// resolved (its script_location does not exist, a `package:path` location names a package not
// found in the repository, the ini does not parse). The engine reports it (see Lint in
// lint/engine/linter.cc) from Discovery::broken; the rule carries its name, severity and doc.

#include "lint/engine/rule.h"

namespace alint {
namespace {

class EnvironmentError final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"environment-error",
                                "An Alembic environment in the config cannot be resolved",
                                Severity::kError, "structure"};
    return kInfo;
  }
};

}  // namespace

const Rule& EnvironmentErrorRule() {
  static const EnvironmentError r;
  return r;
}

}  // namespace alint
