#pragma once
/// Helpers of the constraint rules (add-foreign-key-validated, add-check-constraint-validated,
/// add-unique-constraint, add-primary-key, drop-constraint).

#include <string>
#include <string_view>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint::rulekit {

/// True when the statement is an ALTER TABLE ... ADD of a `type` constraint.
bool IsAddConstraint(const StatementFacts& f, ConstraintKind type);

/// The statement's ADD/DROP subcommand as one SQL statement of its own
/// ("ALTER TABLE orders ADD CONSTRAINT fk ..."): from the SQL string, or rendered from the op
/// call (the part of its SQL that holds `needle`, e.g. "FOREIGN KEY"). "" when unknown.
std::string SubcommandSql(const PlannedStatement& s, std::string_view needle);

/// Reports VALIDATE CONSTRAINT statements that run in the same transaction as the
/// ADD CONSTRAINT ... NOT VALID of the same constraint (of kind `type`): the lock
/// the ADD took is still held while VALIDATE scans, which is what NOT VALID was meant to avoid.
void ReportValidateInSameTransaction(const MigrationAnalysis& a, RuleContext& ctx,
                                     ConstraintKind type);

/// Help for a constraint whose ADD validates every existing row under its lock: the
/// `add_not_valid` code (the user's op call or SQL with NOT VALID), then VALIDATE CONSTRAINT in
/// the next migration. `spared` says what NOT VALID saves ("no scan", ...); an empty
/// `constraint` asks the user to name it.
std::string NotValidThenValidateHelp(std::string_view add_not_valid, std::string_view table,
                                     std::string_view constraint, std::string_view spared);

/// The code that adds the constraint of `s` NOT VALID: the user's `op_name` call with
/// `postgresql_not_valid=True`, or their SQL subcommand (found by `sql_keyword`) with NOT VALID
/// appended, or `fallback` when neither can be read.
std::string NotValidAddCode(const SourceFile& file, const PlannedStatement& s,
                            std::string_view op_name, std::string_view sql_keyword,
                            std::string_view fallback);

}  // namespace alint::rulekit
