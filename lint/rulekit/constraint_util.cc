#include "lint/rulekit/constraint_util.h"

#include <fmt/format.h>

#include "lint/rulekit/lock_rule_util.h"
#include "lint/sql/op_model.h"

namespace alint::rulekit {

bool IsAddConstraint(const StatementFacts& f, ConstraintKind type) {
  return f.kind == StatementKind::kAddConstraint && f.constraint_kind == type;
}

std::string SubcommandSql(const PlannedStatement& s, std::string_view needle) {
  if (s.sql != nullptr) {
    std::string_view part = AnchorSql(s);
    if (FindIgnoreCase(part, "ALTER") == 0) return std::string(part);
    return "ALTER TABLE " + s.facts.table + " " + std::string(part);
  }
  if (s.op == nullptr) return {};
  std::optional<std::vector<std::string>> rendered = RenderOpSql(*s.op);
  if (!rendered) return {};
  for (const std::string& sql : *rendered) {
    if (FindIgnoreCase(sql, needle) != std::string_view::npos) return sql;
  }
  return {};
}

void ReportValidateInSameTransaction(const MigrationAnalysis& a, RuleContext& ctx,
                                     ConstraintKind type) {
  for (size_t i = 0; i < a.statements.size(); ++i) {
    const PlannedStatement& v = a.statements[i];
    if (v.facts.kind != StatementKind::kValidateConstraint || !v.in_transaction) continue;
    const std::string& table = v.facts.table;
    if (v.IsNew(table)) continue;
    for (size_t j = 0; j < i; ++j) {
      const PlannedStatement& add = a.statements[j];
      if (!add.in_transaction || add.transaction != v.transaction || add.phase != v.phase ||
          !IsAddConstraint(add.facts, type) || !add.facts.not_valid ||
          add.facts.constraint != v.facts.constraint || add.facts.table != table) {
        continue;
      }
      const LockMode lock = add.facts.StrongestLock();
      Finding& f = ctx.ReportStatement(
          v, fmt::format("VALIDATE CONSTRAINT `{}` runs in the same transaction as the ADD ... NOT "
                         "VALID that created it{}: the {} lock the ADD took on `{}` is held until "
                         "commit, so the validation scan runs under it as if NOT VALID were not "
                         "there; it blocks {}",
                         v.facts.constraint, PhaseSuffix(v.phase), LockModeName(lock), table,
                         BlockedOperations(lock)));
      f.related.push_back({add.anchor, "constraint added NOT VALID here"});
      f.help = fmt::format(
          "validate in a separate transaction: move it to the next migration, or run it after "
          "the ADD has committed:\n{}",
          InAutocommitBlock(
              OpExecute("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + v.facts.constraint)));
      break;
    }
  }
}

std::string NotValidThenValidateHelp(std::string_view add_not_valid, std::string_view table,
                                     std::string_view constraint, std::string_view spared) {
  std::string name = constraint.empty() ? std::string("<name>") : std::string(constraint);
  return fmt::format(
      "add it NOT VALID ({}):\n{}\nthen validate it in the next migration (a SHARE UPDATE "
      "EXCLUSIVE lock: reads and writes continue):\n{}{}",
      spared, add_not_valid,
      OpExecute("ALTER TABLE " + std::string(table) + " VALIDATE CONSTRAINT " + name),
      constraint.empty() ? "\nname the constraint so it can be validated by name" : "");
}

std::string NotValidAddCode(const SourceFile& file, const PlannedStatement& s,
                            std::string_view op_name, std::string_view sql_keyword,
                            std::string_view fallback) {
  if (s.op != nullptr && s.op->name == op_name) {
    return OpCallWith(file, *s.op, "postgresql_not_valid=True");
  }
  std::string sql = SubcommandSql(s, sql_keyword);
  return sql.empty() ? std::string(fallback) : OpExecute(sql + " NOT VALID");
}

}  // namespace alint::rulekit
