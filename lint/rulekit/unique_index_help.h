#pragma once
/// The safe pattern shared by add-unique-constraint and add-primary-key: build the unique
/// index concurrently, then attach it with ADD CONSTRAINT ... USING INDEX.

#include <string>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint::rulekit {

/// Reports every ADD CONSTRAINT of `type` (kUnique or kPrimaryKey) that builds its index
/// under the ACCESS EXCLUSIVE lock on an existing table. `keyword` is the SQL spelling
/// ("UNIQUE", "PRIMARY KEY"), `what` the noun for messages.
void CheckIndexBackedConstraint(const Migration& m, RuleContext& ctx, ConstraintKind type,
                                std::string_view keyword, std::string_view what);

}  // namespace alint::rulekit
