// What CREATE TABLE, ADD COLUMN, ADD CONSTRAINT, CREATE INDEX and CREATE TYPE ... AS ENUM
// define (ObjectDetail), read from the parse tree for the schema model.

#include <cstdlib>

#include "lint/sql/analyze_internal.h"

namespace alint::sql_internal {

namespace {

// libpg_query 15 prints a negative integer constant as `"ival": {}` (the value is lost), so
// an integer is read back from the statement's text at the constant's position.
std::string IntegerAt(const Json& a_const, std::string_view sql) {
  JsonPtr iv = Get(a_const, "ival");
  if (iv != nullptr && Get(*iv, "ival") != nullptr) return std::to_string(Int(*iv, "ival"));
  const int loc = Int(a_const, "location", -1);
  if (loc < 0 || static_cast<size_t>(loc) >= sql.size()) return "0";
  size_t i = static_cast<size_t>(loc);
  std::string out;
  if (sql[i] == '-') out += sql[i++];
  while (i < sql.size() && sql[i] >= '0' && sql[i] <= '9') out += sql[i++];
  return out.empty() || out == "-" ? "0" : out;
}

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string ExprTextAt(const Json& e, std::string_view sql, int depth) {
  static const std::string kOpaque = "(expression)";
  if (depth > 8) return kOpaque;
  if (JsonPtr c = As(e, "A_Const")) {
    if (Bool(*c, "isnull")) return "NULL";
    if (JsonPtr s = Get(*c, "sval")) return Quote(Str(*s, "sval"));
    if (JsonPtr f = Get(*c, "fval")) return Str(*f, "fval");
    if (JsonPtr b = Get(*c, "boolval")) return Bool(*b, "boolval") ? "true" : "false";
    return IntegerAt(*c, sql);
  }
  if (JsonPtr t = As(e, "TypeCast")) {
    JsonPtr arg = Get(*t, "arg");
    JsonPtr tn = Get(*t, "typeName");
    if (arg == nullptr || tn == nullptr) return kOpaque;
    return ExprTextAt(*arg, sql, depth + 1) + "::" + ReadType(*tn).Display();
  }
  if (JsonPtr f = As(e, "FuncCall")) {
    std::string out = Join(Strings(Get(*f, "funcname")), ".") + "(";
    if (JsonPtr args = Get(*f, "args"); args != nullptr && args->is_array()) {
      bool first = true;
      for (const Json& a : *args) {
        if (!first) out += ", ";
        first = false;
        out += ExprTextAt(a, sql, depth + 1);
      }
    }
    return out + ")";
  }
  if (JsonPtr v = As(e, "SQLValueFunction")) {
    std::string op = Str(*v, "op");
    if (op.rfind("SVFOP_", 0) == 0) op = op.substr(6);
    return op.empty() ? kOpaque : op;
  }
  if (JsonPtr r = As(e, "ColumnRef")) return Join(Strings(Get(*r, "fields")), ".");
  if (JsonPtr a = As(e, "A_Expr"); a != nullptr && Str(*a, "kind") == "AEXPR_OP") {
    JsonPtr l = Get(*a, "lexpr");
    JsonPtr r = Get(*a, "rexpr");
    std::vector<std::string> op = Strings(Get(*a, "name"));
    if (r == nullptr || op.size() != 1) return kOpaque;
    return (l != nullptr ? ExprTextAt(*l, sql, depth + 1) + " " : std::string()) + op[0] + " " +
           ExprTextAt(*r, sql, depth + 1);
  }
  return kOpaque;
}

}  // namespace

std::string ExprText(const Json& expr, std::string_view sql) { return ExprTextAt(expr, sql, 0); }

ConstraintKind ReadConstraintKind(const std::string& contype) {
  if (contype == "CONSTR_FOREIGN") return ConstraintKind::kForeignKey;
  if (contype == "CONSTR_CHECK") return ConstraintKind::kCheck;
  if (contype == "CONSTR_UNIQUE") return ConstraintKind::kUnique;
  if (contype == "CONSTR_PRIMARY") return ConstraintKind::kPrimaryKey;
  if (contype == "CONSTR_EXCLUSION") return ConstraintKind::kExclusion;
  return ConstraintKind::kOther;
}

std::string NotNullCheckColumn(const Json& constraint) {
  JsonPtr expr = Get(constraint, "raw_expr");
  JsonPtr test = expr != nullptr ? As(*expr, "NullTest") : nullptr;
  if (test == nullptr || Str(*test, "nulltesttype") != "IS_NOT_NULL") return {};
  JsonPtr arg = Get(*test, "arg");
  JsonPtr ref = arg != nullptr ? As(*arg, "ColumnRef") : nullptr;
  if (ref == nullptr) return {};
  std::vector<std::string> fields = Strings(Get(*ref, "fields"));
  return fields.size() == 1 ? fields[0] : std::string();
}

std::optional<ConstraintSpec> ReadConstraintSpec(const Json& con, const std::string& column) {
  const std::string contype = Str(con, "contype");
  // Column properties, not constraints of their own in the model.
  if (contype == "CONSTR_NULL" || contype == "CONSTR_NOTNULL" || contype == "CONSTR_DEFAULT" ||
      contype == "CONSTR_IDENTITY" || contype == "CONSTR_GENERATED" ||
      contype.rfind("CONSTR_ATTR_", 0) == 0) {
    return std::nullopt;
  }
  ConstraintSpec c;
  c.name = Str(con, "conname");
  c.kind = ReadConstraintKind(contype);
  c.not_valid = Bool(con, "skip_validation");
  c.using_index = Str(con, "indexname");
  if (c.kind == ConstraintKind::kForeignKey) {
    c.columns = Strings(Get(con, "fk_attrs"));
    if (JsonPtr pk = Get(con, "pktable")) c.references = RangeVarName(*pk);
  } else if (c.kind == ConstraintKind::kCheck) {
    c.not_null_column = NotNullCheckColumn(con);
  } else {
    c.columns = Strings(Get(con, "keys"));
  }
  if (c.columns.empty() && !column.empty() && c.kind != ConstraintKind::kCheck) {
    c.columns.push_back(column);
  }
  return c;
}

ColumnSpec ReadColumnSpec(const Json& col, std::string_view sql,
                          std::vector<ConstraintSpec>* constraints) {
  ColumnSpec c;
  c.name = Str(col, "colname");
  TypeInfo type;
  if (JsonPtr tn = Get(col, "typeName")) type = ReadType(*tn);
  if (type.serial) {
    // serial is integer NOT NULL DEFAULT nextval('<table>_<col>_seq').
    c.not_null = true;
    c.has_default = true;
    c.default_expr = "nextval(...)";
  }
  c.type = type.Display();
  if (JsonPtr cons = Get(col, "constraints"); cons != nullptr && cons->is_array()) {
    for (const Json& node : *cons) {
      JsonPtr con = As(node, "Constraint");
      if (con == nullptr) continue;
      const std::string contype = Str(*con, "contype");
      if (contype == "CONSTR_NOTNULL" || contype == "CONSTR_PRIMARY" ||
          contype == "CONSTR_IDENTITY") {
        c.not_null = true;
      } else if (contype == "CONSTR_NULL") {
        c.not_null = false;
      } else if (contype == "CONSTR_DEFAULT") {
        JsonPtr expr = Get(*con, "raw_expr");
        const bool null_default =
            expr == nullptr || (As(*expr, "A_Const") && Bool(*As(*expr, "A_Const"), "isnull"));
        c.has_default = !null_default;
        c.default_expr = null_default ? std::string() : ExprText(*expr, sql);
      }
      if (constraints != nullptr) {
        if (std::optional<ConstraintSpec> spec = ReadConstraintSpec(*con, c.name)) {
          constraints->push_back(std::move(*spec));
        }
      }
    }
  }
  return c;
}

}  // namespace alint::sql_internal
