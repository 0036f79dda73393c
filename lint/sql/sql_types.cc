// Column types, type changes and expression volatility, read from libpg_query's JSON tree.

#include <pg_query.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "lint/sql/analyze_internal.h"
#include "lint/sql/sql_text.h"

namespace alint::sql_internal {

JsonPtr Get(const Json& j, std::string_view key) { return j.find(key); }

std::string Str(const Json& j, std::string_view key) {
  JsonPtr v = Get(j, key);
  return v != nullptr && v->is_string() ? std::string(v->string()) : std::string();
}

bool Bool(const Json& j, std::string_view key) {
  JsonPtr v = Get(j, key);
  return v != nullptr && v->is_boolean() && v->boolean();
}

int Int(const Json& j, std::string_view key, int fallback) {
  JsonPtr v = Get(j, key);
  if (v == nullptr || !v->is_number_integer()) return fallback;
  const int64_t n = v->integer();
  return n < INT32_MIN || n > INT32_MAX ? fallback : static_cast<int>(n);
}

std::string_view NodeType(const Json& j) {
  if (!j.is_object() || j.size() != 1) return {};
  return (*j.members().begin()).key;
}

JsonPtr NodeBody(const Json& j) {
  if (!j.is_object() || j.size() != 1) return nullptr;
  return JsonPtr((*j.members().begin()).value);
}

JsonPtr As(const Json& j, std::string_view type) {
  return NodeType(j) == type ? NodeBody(j) : nullptr;
}

std::string RangeVarName(const Json& range_var) {
  std::string name = Str(range_var, "relname");
  std::string schema = Str(range_var, "schemaname");
  return schema.empty() ? name : schema + "." + name;
}

std::vector<std::string> Strings(JsonPtr list) {
  std::vector<std::string> out;
  if (list == nullptr || !list->is_array()) return out;
  for (const Json& item : *list) {
    if (JsonPtr s = As(item, "String")) out.push_back(Str(*s, "sval"));
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

namespace {

// Internal catalog names -> the names format_type() prints.
std::string CanonicalTypeName(std::string name) {
  static const std::array<std::pair<std::string_view, std::string_view>, 22> kAliases = {{
      {"int4", "integer"},
      {"int", "integer"},
      {"int8", "bigint"},
      {"int2", "smallint"},
      {"varchar", "character varying"},
      {"bpchar", "character"},
      {"char", "character"},
      {"float8", "double precision"},
      {"float4", "real"},
      {"bool", "boolean"},
      {"timestamptz", "timestamp with time zone"},
      {"timestamp", "timestamp without time zone"},
      {"timetz", "time with time zone"},
      {"time", "time without time zone"},
      {"decimal", "numeric"},
      {"varbit", "bit varying"},
      {"serial", "integer"},
      {"serial4", "integer"},
      {"bigserial", "bigint"},
      {"serial8", "bigint"},
      {"smallserial", "smallint"},
      {"serial2", "smallint"},
  }};
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [from, to] : kAliases) {
    if (name == from) return std::string(to);
  }
  return name;
}

bool IsOneOf(std::string_view s, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), s) != options.end();
}

bool IsInteger(std::string_view t) { return IsOneOf(t, {"smallint", "integer", "bigint"}); }
int IntegerRank(std::string_view t) { return t == "smallint" ? 1 : t == "integer" ? 2 : 3; }
bool IsText(std::string_view t) { return IsOneOf(t, {"text", "character varying"}); }
bool IsTimestamp(std::string_view t) {
  return IsOneOf(t, {"timestamp without time zone", "timestamp with time zone"});
}

}  // namespace

std::string TypeInfo::Display() const {
  std::string out = base;
  if (!mods.empty()) {
    out += "(";
    for (size_t i = 0; i < mods.size(); ++i) {
      if (i > 0) out += ",";
      out += std::to_string(mods[i]);
    }
    out += ")";
  }
  if (array) out += "[]";
  return out;
}

TypeInfo ReadType(const Json& type_name) {
  TypeInfo info;
  std::vector<std::string> names = Strings(Get(type_name, "names"));
  if (!names.empty()) {
    std::string last = names.back();
    std::string lower = last;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    info.serial =
        IsOneOf(lower, {"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"}) &&
        names.size() == 1;
    info.base = CanonicalTypeName(last);
  }
  if (JsonPtr mods = Get(type_name, "typmods"); mods != nullptr && mods->is_array()) {
    for (const Json& m : *mods) {
      if (JsonPtr c = As(m, "A_Const")) {
        if (JsonPtr iv = Get(*c, "ival")) info.mods.push_back(Int(*iv, "ival"));
      }
    }
  }
  info.array = Get(type_name, "arrayBounds") != nullptr;
  return info;
}

std::optional<TypeInfo> ParseTypeText(std::string_view text) {
  std::string sql = "SELECT NULL::" + std::string(text);
  PgQueryParseResult result = pg_query_parse(sql.c_str());
  std::optional<TypeInfo> out;
  if (result.error == nullptr) {
    JsonDocument doc;
    JsonPtr stmts = doc.Parse(result.parse_tree) ? Get(*doc.root(), "stmts") : nullptr;
    JsonPtr first = stmts != nullptr && stmts->size() == 1 ? stmts->at(0) : nullptr;
    JsonPtr stmt = first != nullptr ? Get(*first, "stmt") : nullptr;
    if (stmt != nullptr) {
      JsonPtr select = As(*stmt, "SelectStmt");
      JsonPtr targets = select != nullptr ? Get(*select, "targetList") : nullptr;
      if (targets != nullptr && targets->size() == 1) {
        JsonPtr target = As(*targets->at(0), "ResTarget");
        JsonPtr cast = target != nullptr ? Get(*target, "val") : nullptr;
        JsonPtr body = cast != nullptr ? As(*cast, "TypeCast") : nullptr;
        if (body != nullptr && Get(*body, "typeName") != nullptr) {
          out = ReadType(*Get(*body, "typeName"));
        }
      }
    }
  }
  pg_query_free_parse_result(result);
  return out;
}

std::optional<DefaultReading> ParseDefaultText(std::string_view text) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; })) {
    return std::nullopt;
  }
  const std::string sql = "ALTER TABLE t ADD COLUMN c integer DEFAULT " + std::string(text);
  if (sql_text::NeutralizePlaceholders(sql) != sql) return std::nullopt;
  PgQueryParseResult result = pg_query_parse(sql.c_str());
  std::optional<DefaultReading> out;
  JsonDocument doc;
  if (result.error == nullptr && doc.Parse(result.parse_tree)) {
    JsonPtr stmts = Get(*doc.root(), "stmts");
    JsonPtr first = stmts != nullptr && stmts->size() == 1 ? stmts->at(0) : nullptr;
    JsonPtr stmt = first != nullptr ? Get(*first, "stmt") : nullptr;
    JsonPtr alter = stmt != nullptr ? As(*stmt, "AlterTableStmt") : nullptr;
    JsonPtr cmds = alter != nullptr ? Get(*alter, "cmds") : nullptr;
    JsonPtr cmd =
        cmds != nullptr && cmds->size() == 1 ? As(*cmds->at(0), "AlterTableCmd") : nullptr;
    JsonPtr def = cmd != nullptr ? Get(*cmd, "def") : nullptr;
    JsonPtr col = def != nullptr ? As(*def, "ColumnDef") : nullptr;
    JsonPtr cons = col != nullptr ? Get(*col, "constraints") : nullptr;
    JsonPtr con = cons != nullptr && cons->size() == 1 ? As(*cons->at(0), "Constraint") : nullptr;
    if (con != nullptr && Str(*con, "contype") == "CONSTR_DEFAULT") {
      DefaultReading r;
      JsonPtr expr = Get(*con, "raw_expr");
      r.null_default =
          expr == nullptr || (As(*expr, "A_Const") && Bool(*As(*expr, "A_Const"), "isnull"));
      if (!r.null_default) {
        r.text = ExprText(*expr, sql);
        r.volatility = ClassifyExpression(*expr, &r.culprit);
      }
      out = std::move(r);
    }
  }
  pg_query_free_parse_result(result);
  return out;
}

const std::string* FindColumnType(const ColumnTypes* types, const std::string& key) {
  if (types == nullptr) return nullptr;
  auto it = types->find(key);
  return it != types->end() ? &it->second : nullptr;
}

const std::string* KnownColumnType(
    const std::string& table, const std::string& column,
    const std::function<const std::string*(const std::string& key)>& find) {
  if (const std::string* type = find(table + "." + column)) return type;
  const size_t dot = table.find('.');
  return dot != std::string::npos ? find(table.substr(dot + 1) + "." + column) : nullptr;
}

TypeChange ClassifyTypeChange(const std::optional<TypeInfo>& from_opt, const TypeInfo& to,
                              int pg_version) {
  TypeChange change;
  if (!from_opt) {
    // Without the current type only a change to unlimited text is known not to fail.
    change.uncertain = true;
    change.can_fail = !(to.base == "text" || (to.base == "character varying" && to.mods.empty()));
    change.note =
        "the current type is unknown: assumed to need a rewrite (no rewrite only when "
        "binary-coercible, e.g. varchar(n) -> varchar(m > n) or text)";
    return change;
  }
  const TypeInfo& from = *from_opt;
  auto same_mods_or_wider = [&](size_t index) {
    if (to.mods.empty()) return true;  // unconstrained target
    if (from.mods.empty()) return false;
    return index < to.mods.size() && index < from.mods.size() && to.mods[index] >= from.mods[index];
  };
  if (from.array != to.array) {
    change.note = "array-ness changes";
    return change;
  }
  if (from.base == to.base && from.mods == to.mods) {
    change.rewrite = false;
    change.can_fail = false;
    change.note = "same type";
    return change;
  }
  if (from.base == to.base) {
    const std::string& t = to.base;
    if (t == "character varying" || t == "bit varying") {
      if (same_mods_or_wider(0)) {
        change.rewrite = change.can_fail = false;
        change.note = "widening a length limit is binary-coercible";
      } else {
        change.note = "narrowing a length limit checks (rewrites) every row";
      }
      return change;
    }
    if (t == "numeric") {
      const int from_scale = from.mods.size() > 1 ? from.mods[1] : 0;
      const int to_scale = to.mods.size() > 1 ? to.mods[1] : 0;
      if (to.mods.empty() ||
          (!from.mods.empty() && to_scale == from_scale && to.mods[0] >= from.mods[0])) {
        change.rewrite = change.can_fail = false;
        change.note = "raising numeric precision with the same scale is binary-coercible";
        return change;
      }
      change.data_loss = !from.mods.empty() && to_scale < from_scale;
      if (change.data_loss) change.note = "lowering the numeric scale rounds stored values";
      return change;
    }
    if (IsTimestamp(t) ||
        IsOneOf(t, {"time without time zone", "time with time zone", "interval"})) {
      if (same_mods_or_wider(0)) {
        change.rewrite = change.can_fail = false;
        change.note = "raising the fractional-second precision is binary-coercible";
      } else {
        change.can_fail = false;
        change.data_loss = true;
        change.note = "lowering the fractional-second precision rounds stored values";
      }
      return change;
    }
    change.note = "changing the type modifier rewrites the table";
    return change;
  }
  // Different base types.
  if (IsText(from.base) && IsText(to.base)) {
    if (to.base == "text" || to.mods.empty()) {
      change.rewrite = change.can_fail = false;
      change.note = "varchar and text are binary-coercible";
    } else {
      change.note = "adding a length limit checks (rewrites) every row";
    }
    return change;
  }
  if (from.base == "cidr" && to.base == "inet") {
    change.rewrite = change.can_fail = false;
    change.note = "cidr -> inet is binary-coercible";
    return change;
  }
  if (IsInteger(from.base) && IsInteger(to.base)) {
    change.can_fail = IntegerRank(to.base) < IntegerRank(from.base);
    change.note = "integer types have different sizes: every row is rewritten";
    return change;
  }
  if (IsTimestamp(from.base) && IsTimestamp(to.base)) {
    change.can_fail = false;
    if (pg_version >= 12) {
      change.uncertain = true;
      change.note = "timestamp <-> timestamptz rewrites unless the session TimeZone is UTC";
    }
    return change;
  }
  if (IsInteger(to.base) && IsOneOf(from.base, {"numeric", "real", "double precision"})) {
    change.data_loss = true;
    change.note = "casting to an integer type rounds fractional values";
    return change;
  }
  if (to.base == "date" && IsTimestamp(from.base)) {
    change.can_fail = false;
    change.data_loss = true;
    change.note = "casting to date drops the time of day";
    return change;
  }
  if (to.base == "text" || (to.base == "character varying" && to.mods.empty())) {
    change.can_fail = false;
    change.note = "converting to text rewrites the table";
    return change;
  }
  change.note = from.base + " -> " + to.base + " converts (rewrites) every row and may fail";
  return change;
}

namespace {

Volatility FunctionVolatility(std::string_view name) {
  // Built-ins seen in migration defaults; anything else is unknown (a user function is
  // VOLATILE unless declared otherwise).
  if (IsOneOf(name, {"clock_timestamp", "random", "gen_random_uuid", "uuid_generate_v1",
                     "uuid_generate_v1mc", "uuid_generate_v4", "nextval", "timeofday", "setval",
                     "txid_current", "random_normal", "uuidv7", "uuidv4"})) {
    return Volatility::kVolatile;
  }
  if (IsOneOf(name, {"now", "statement_timestamp", "transaction_timestamp", "current_setting",
                     "to_char", "to_timestamp", "current_schema", "current_database", "concat",
                     "concat_ws", "json_build_object", "jsonb_build_object", "json_build_array",
                     "jsonb_build_array", "timezone", "age"})) {
    return Volatility::kStable;
  }
  if (IsOneOf(name,
              {"lower",     "upper",         "md5",        "abs",          "length",    "coalesce",
               "make_date", "make_interval", "array_fill", "jsonb",        "to_jsonb",  "to_json",
               "btrim",     "trim",          "replace",    "substr",       "substring", "round",
               "floor",     "ceil",          "date_trunc", "int4",         "int8",      "float8",
               "numeric",   "text",          "uuid",       "jsonb_object", "format",    "left",
               "right",     "lpad",          "rpad"})) {
    return Volatility::kImmutable;
  }
  return Volatility::kUnknown;
}

void Walk(const Json& j, Volatility& worst, std::string* culprit, int depth = 0) {
  // Nested past what a default is worth reading (a stack overflow on a worker thread): assume
  // the worst, as for anything the model cannot classify.
  if (depth > 2000) {
    if (worst < Volatility::kUnknown) {
      worst = Volatility::kUnknown;
      if (culprit != nullptr) *culprit = "an expression nested too deeply to read";
    }
    return;
  }
  if (j.is_object()) {
    for (const JsonMember m : j.members()) {
      Volatility v = Volatility::kConstant;
      std::string name;
      if (m.key == "FuncCall") {
        std::vector<std::string> parts = Strings(Get(m.value, "funcname"));
        name = parts.empty() ? "?" : parts.back();
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        v = FunctionVolatility(name);
        name += "()";
      } else if (m.key == "SQLValueFunction") {
        v = Volatility::kStable;
        name = Str(m.value, "op");
        if (name.rfind("SVFOP_", 0) == 0) name = name.substr(6);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      } else if (m.key == "SubLink") {
        v = Volatility::kUnknown;
        name = "a subquery";
      }
      if (v > worst) {
        worst = v;
        if (culprit != nullptr) *culprit = name;
      }
      Walk(m.value, worst, culprit, depth + 1);
    }
  } else if (j.is_array()) {
    for (const Json& item : j) Walk(item, worst, culprit, depth + 1);
  }
}

}  // namespace

Volatility ClassifyExpression(const Json& expr, std::string* culprit) {
  Volatility worst = Volatility::kConstant;
  Walk(expr, worst, culprit);
  return worst;
}

}  // namespace alint::sql_internal
