// enum-add-value-in-transaction: ALTER TYPE ... ADD VALUE inside the migration's transaction:
// refused before PostgreSQL 12; on 12+ the new value cannot be used until the transaction
// commits, so a later statement of the same transaction that uses it fails.
#include <fmt/format.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_rule_util.h"

namespace alint {
namespace {

// The unqualified, unquoted last part of a type name.
std::string BareName(std::string name) {
  if (size_t dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
  return name;
}

bool ExprHasString(const Expr& e, std::string_view value, bool exact) {
  if (e.kind == Expr::Kind::kString) {
    if (exact ? e.text == value
              : e.text.find("'" + std::string(value) + "'") != std::string::npos) {
      return true;
    }
  }
  for (const Expr& c : e.children) {
    if (ExprHasString(c, value, exact)) return true;
  }
  return false;
}

// An sa.Enum(..., name="status") / postgresql.ENUM(..., name="status") in an op call: the op
// creates the type (create_table, add_column with create_type left on).
bool CreatesEnum(const Expr& e, std::string_view type) {
  if (e.kind == Expr::Kind::kCall) {
    const size_t dot = e.text.rfind('.');
    const std::string callee = dot == std::string::npos ? e.text : e.text.substr(dot + 1);
    if (callee == "Enum" || callee == "ENUM") {
      const Expr* name = e.Keyword("name");
      if (name != nullptr && name->kind == Expr::Kind::kString && name->text == type) return true;
    }
  }
  for (const Expr& c : e.children) {
    if (CreatesEnum(c, type)) return true;
  }
  return false;
}

// True when `s` uses the enum label `value` (a quoted literal in its SQL, a bulk_insert row,
// a server_default or partial-index predicate of an op).
bool UsesValue(const PlannedStatement& s, std::string_view value) {
  if (s.sql != nullptr) {
    return rulekit::StatementSql(s).find("'" + std::string(value) + "'") != std::string_view::npos;
  }
  if (s.op == nullptr) return false;
  if (s.op->name == "bulk_insert") return ExprHasString(s.op->call, value, /*exact=*/true);
  if (const Expr* def = s.op->call.Keyword("server_default")) {
    if (ExprHasString(*def, value, /*exact=*/true) || ExprHasString(*def, value, false)) {
      return true;
    }
  }
  if (const Expr* where = s.op->call.Keyword("postgresql_where")) {
    return ExprHasString(*where, value, /*exact=*/false);
  }
  return false;
}

class EnumAddValueInTransaction final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"enum-add-value-in-transaction",
                                "ALTER TYPE ... ADD VALUE in a transaction: refused before "
                                "PostgreSQL 12, and the value is unusable until commit on 12+",
                                Severity::kError, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& /*m*/, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    const int pg = ctx.settings().pg_version;
    const auto& st = a->statements;
    for (size_t i = 0; i < st.size(); ++i) {
      const PlannedStatement& s = st[i];
      if (s.facts.kind != StatementKind::kAlterTypeAddValue || !s.in_transaction) continue;
      const std::string& type = s.facts.type_name;
      const std::string& value = s.facts.new_name;
      auto same_transaction = [&](const PlannedStatement& o) {
        return o.in_transaction && o.transaction == s.transaction && o.phase == s.phase;
      };
      // A type created earlier in the same transaction may take new values freely.
      bool new_type = false;
      for (size_t j = 0; j < i && !new_type; ++j) {
        const PlannedStatement& o = st[j];
        if (!same_transaction(o)) continue;
        if (o.facts.kind == StatementKind::kCreateEnum) {
          new_type = BareName(o.facts.type_name) == BareName(type);
        } else if (o.op != nullptr) {
          new_type = CreatesEnum(o.op->call, BareName(type));
        }
      }
      if (new_type) continue;
      std::string sql(rulekit::StatementSql(s));
      if (sql.empty()) {  // not from a SQL string: write the statement from its facts
        std::string literal;
        for (char c : value) literal += c == '\'' ? std::string("''") : std::string(1, c);
        sql = "ALTER TYPE " + type + " ADD VALUE '" + literal + "'";
      }
      const std::string code = rulekit::OpExecute(sql);
      if (pg < 12) {
        Finding& f = ctx.ReportStatement(
            s, fmt::format("ALTER TYPE `{}` ADD VALUE cannot run inside a transaction block before "
                           "PostgreSQL 12 (target: {}), and Alembic runs every migration in one{}: "
                           "the deploy fails",
                           type, pg, PhaseSuffix(s.phase)));
        f.help =
            fmt::format("run it in an autocommit block:\n{}", rulekit::InAutocommitBlock(code));
        continue;
      }
      for (size_t k = i + 1; k < st.size(); ++k) {
        const PlannedStatement& use = st[k];
        if (!same_transaction(use) || !UsesValue(use, value)) continue;
        Finding& f = ctx.ReportStatement(
            use,
            fmt::format("uses enum value `{}` in the same transaction that added it to `{}`{}: "
                        "PostgreSQL refuses a new enum value until the transaction commits "
                        "(ERROR: unsafe use of new value \"{}\" of enum type {})",
                        value, type, PhaseSuffix(use.phase), value, BareName(type)));
        f.related.push_back({s.anchor, "value added here"});
        f.help = fmt::format(
            "commit the new value before using it: run the ADD VALUE in an autocommit block\n{}\n"
            "or use the value in the next migration",
            rulekit::InAutocommitBlock(code));
        break;  // one finding per added value: the first use fails the migration
      }
    }
  }
};

}  // namespace

const Rule& EnumAddValueInTransactionRule() {
  static const EnumAddValueInTransaction r;
  return r;
}

}  // namespace alint
