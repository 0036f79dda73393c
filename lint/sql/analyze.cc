// AnalyzeSql: libpg_query's JSON parse tree -> StatementFacts. Lock levels follow the
// "Explicit Locking" chapter and each command's Notes; tests/pg/ checks them on a real server.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <pg_query.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

#include "lint/core/source.h"
#include "lint/sql/analyze_internal.h"
#include "lint/sql/sql_text.h"

namespace alint {
namespace sql_internal {

RelationEffect& Touch(StatementFacts& facts, const std::string& relation, LockMode lock,
                      RelationKind kind) {
  for (RelationEffect& e : facts.effects) {
    if (e.relation == relation) {
      e.lock = std::max(e.lock, lock);
      return e;
    }
  }
  RelationEffect e;
  e.relation = relation;
  e.lock = lock;
  e.kind = kind;
  facts.effects.push_back(std::move(e));
  return facts.effects.back();
}

namespace {

// The walks below recurse per JSON level; libpg_query nests a few levels per level of SQL
// nesting, and PostgreSQL parses expressions thousands deep. Past this depth they stop: what a
// query reads that deep is not worth a stack overflow on a worker thread.
constexpr int kMaxWalkDepth = 2000;

void CollectCteNames(const Json& j, std::vector<std::string>& ctes, int depth = 0) {
  if (depth > kMaxWalkDepth) return;
  if (j.is_object()) {
    for (const JsonMember m : j.members()) {
      if (m.key == "CommonTableExpr") ctes.push_back(Str(m.value, "ctename"));
      CollectCteNames(m.value, ctes, depth + 1);
    }
  } else if (j.is_array()) {
    for (const Json& item : j) CollectCteNames(item, ctes, depth + 1);
  }
}

// Relations a query reads (RangeVars anywhere below `j`), minus names of its CTEs.
void CollectRangeVars(const Json& j, std::vector<std::string>& out,
                      const std::vector<std::string>& ctes, int depth = 0) {
  if (depth > kMaxWalkDepth) return;
  if (j.is_object()) {
    for (const JsonMember m : j.members()) {
      if (m.key == "RangeVar") {
        std::string name = RangeVarName(m.value);
        if (std::find(ctes.begin(), ctes.end(), name) == ctes.end() &&
            std::find(out.begin(), out.end(), name) == out.end()) {
          out.push_back(name);
        }
        continue;
      }
      CollectRangeVars(m.value, out, ctes, depth + 1);
    }
  } else if (j.is_array()) {
    for (const Json& item : j) CollectRangeVars(item, out, ctes, depth + 1);
  }
}

// `scan`: the statement reads these relations in full (CREATE TABLE AS, a materialized view).
void TouchReads(StatementFacts& f, JsonPtr j, LockMode lock = LockMode::kAccessShare,
                bool scan = false) {
  if (j == nullptr) return;
  std::vector<std::string> names, ctes;
  CollectCteNames(*j, ctes);
  CollectRangeVars(*j, names, ctes);
  for (const std::string& n : names) Touch(f, n, lock).scan = scan;
}

// A DropStmt object: a List of Strings (qualified name) or a bare String.
std::string ObjectName(const Json& object) {
  if (JsonPtr list = As(object, "List")) return Join(Strings(Get(*list, "items")), ".");
  if (JsonPtr s = As(object, "String")) return Str(*s, "sval");
  if (JsonPtr tn = As(object, "TypeName")) return Join(Strings(Get(*tn, "names")), ".");
  return {};
}

std::string ConstValue(const Json& node) {
  if (JsonPtr c = As(node, "A_Const")) {
    if (JsonPtr s = Get(*c, "sval")) return Str(*s, "sval");
    if (JsonPtr i = Get(*c, "ival")) return std::to_string(Int(*i, "ival"));
    if (JsonPtr f = Get(*c, "fval")) return Str(*f, "fval");
    return "0";  // ival 0 is omitted from the JSON
  }
  return {};
}

bool HasDefElem(JsonPtr options, std::string_view name) {
  if (options == nullptr || !options->is_array()) return false;
  for (const Json& o : *options) {
    JsonPtr d = As(o, "DefElem");
    if (d == nullptr || Str(*d, "defname") != name) continue;
    JsonPtr arg = Get(*d, "arg");
    if (arg == nullptr) return true;
    std::string v = ConstValue(*arg);
    if (JsonPtr s = As(*arg, "String")) v = Str(*s, "sval");
    return v != "0" && v != "false" && v != "off";
  }
  return false;
}

std::string ObjectWord(const std::string& objtype) {
  std::string w = objtype.rfind("OBJECT_", 0) == 0 ? objtype.substr(7) : objtype;
  std::transform(w.begin(), w.end(), w.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (w == "matview") w = "materialized_view";
  return w;
}

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return static_cast<char>(c == '_' ? ' ' : std::toupper(c));
  });
  return s;
}

void AnalyzeCreateTable(const Json& s, StatementFacts& f, std::string_view sql) {
  const std::string name = RangeVarName(*Get(s, "relation"));
  f.kind = StatementKind::kCreateTable;
  f.command = "CREATE TABLE";
  f.table = name;
  f.if_exists = Bool(s, "if_not_exists");
  f.summary = "CREATE TABLE " + name;
  RelationEffect& e = Touch(f, name, LockMode::kAccessExclusive);
  e.created = true;
  ObjectDetail& detail = f.detail.emplace();
  detail.partitioned = Get(s, "partspec") != nullptr;
  auto foreign = [&](const Json& con) {
    if (Str(con, "contype") != "CONSTR_FOREIGN") return;
    if (JsonPtr pk = Get(con, "pktable")) {
      std::string ref = RangeVarName(*pk);
      if (ref != name) Touch(f, ref, LockMode::kShareRowExclusive);
    }
  };
  if (JsonPtr elts = Get(s, "tableElts"); elts != nullptr && elts->is_array()) {
    for (const Json& elt : *elts) {
      if (JsonPtr col = As(elt, "ColumnDef")) {
        detail.columns.push_back(ReadColumnSpec(*col, sql, &detail.constraints));
        if (JsonPtr cons = Get(*col, "constraints"); cons != nullptr && cons->is_array()) {
          for (const Json& c : *cons) {
            if (JsonPtr con = As(c, "Constraint")) foreign(*con);
          }
        }
      } else if (JsonPtr con = As(elt, "Constraint")) {
        foreign(*con);
        if (std::optional<ConstraintSpec> spec = ReadConstraintSpec(*con, "")) {
          detail.constraints.push_back(std::move(*spec));
        }
      } else if (JsonPtr like = As(elt, "TableLikeClause")) {
        if (JsonPtr rel = Get(*like, "relation")) {
          Touch(f, RangeVarName(*rel), LockMode::kAccessShare);
        }
      }
    }
  }
  if (JsonPtr inh = Get(s, "inhRelations"); inh != nullptr && inh->is_array()) {
    const bool partition = Get(s, "partbound") != nullptr;
    for (const Json& p : *inh) {
      if (JsonPtr rv = As(p, "RangeVar")) {
        Touch(f, RangeVarName(*rv),
              partition ? LockMode::kAccessExclusive : LockMode::kShareUpdateExclusive);
        if (partition) {
          f.summary += " PARTITION OF " + RangeVarName(*rv);
          detail.partition_of = RangeVarName(*rv);
        }
      }
    }
  }
}

void AnalyzeDrop(const Json& s, StatementFacts& f) {
  const std::string objtype = Str(s, "removeType");
  const std::string word = ObjectWord(objtype);
  SetKind(f, "drop_" + word);
  f.command = "DROP " + Upper(word);
  f.if_exists = Bool(s, "missing_ok");
  f.concurrently = Bool(s, "concurrent");
  const bool cascade = Str(s, "behavior") == "DROP_CASCADE";
  f.cascade = cascade;
  std::vector<std::string> names;
  if (JsonPtr objects = Get(s, "objects"); objects != nullptr && objects->is_array()) {
    for (const Json& o : *objects) names.push_back(ObjectName(o));
  }
  f.summary = "DROP " + Upper(word) + " " + Join(names, ", ") + (cascade ? " CASCADE" : "");
  if (objtype == "OBJECT_TABLE" || objtype == "OBJECT_FOREIGN_TABLE") {
    for (const std::string& n : names) Touch(f, n, LockMode::kAccessExclusive);
    f.data_loss = true;
  } else if (objtype == "OBJECT_INDEX") {
    const LockMode lock =
        f.concurrently ? LockMode::kShareUpdateExclusive : LockMode::kAccessExclusive;
    for (const std::string& n : names) {
      Touch(f, n, lock, RelationKind::kIndex).table_lock = lock;
    }
    if (f.concurrently) {
      f.no_transaction = true;
      f.summary = "DROP INDEX CONCURRENTLY " + Join(names, ", ");
    }
  } else if (objtype == "OBJECT_VIEW" || objtype == "OBJECT_MATVIEW" ||
             objtype == "OBJECT_SEQUENCE") {
    const RelationKind kind = objtype == "OBJECT_VIEW"      ? RelationKind::kView
                              : objtype == "OBJECT_MATVIEW" ? RelationKind::kMaterializedView
                                                            : RelationKind::kSequence;
    for (const std::string& n : names) Touch(f, n, LockMode::kAccessExclusive, kind);
  } else if (objtype == "OBJECT_TRIGGER" || objtype == "OBJECT_POLICY" ||
             objtype == "OBJECT_RULE") {
    // objects: [table..., name]: the table is everything but the last part.
    // The JsonPtr must outlive the loop: `*Get(...)` would iterate a destroyed temporary.
    const JsonPtr objects = Get(s, "objects");
    for (const Json& o : *objects) {
      if (JsonPtr list = As(o, "List")) {
        std::vector<std::string> parts = Strings(Get(*list, "items"));
        if (parts.size() >= 2) {
          parts.pop_back();
          Touch(f, Join(parts, "."), LockMode::kAccessExclusive);
        }
      }
    }
  } else if (objtype == "OBJECT_TYPE" || objtype == "OBJECT_DOMAIN") {
    f.detail.emplace().items = names;  // the types dropped, for the schema model
  } else if (objtype == "OBJECT_SCHEMA") {
    f.schemas = names;
    f.data_loss = cascade;
    if (cascade) f.notes.push_back("CASCADE drops every object in the schema");
  } else if (objtype == "OBJECT_COLUMN") {
    f.data_loss = true;
  }
  if (cascade && !f.data_loss && objtype != "OBJECT_INDEX" && objtype != "OBJECT_VIEW" &&
      objtype != "OBJECT_MATVIEW" && objtype != "OBJECT_TABLE") {
    f.data_loss = true;
    f.notes.push_back("CASCADE also drops dependent objects (columns of this type, ...)");
  }
  if (cascade && objtype == "OBJECT_TABLE") {
    f.notes.push_back("CASCADE also drops dependent views and foreign keys");
  }
}

void AnalyzeIndex(const Json& s, StatementFacts& f, const Context& ctx) {
  const std::string table = RangeVarName(*Get(s, "relation"));
  const std::string index = Str(s, "idxname");
  f.kind = StatementKind::kCreateIndex;
  f.command = "CREATE INDEX";
  f.table = table;
  f.concurrently = Bool(s, "concurrent");
  f.if_exists = Bool(s, "if_not_exists");
  f.constraint = index;
  const bool unique = Bool(s, "unique");
  ObjectDetail& detail = f.detail.emplace();
  detail.unique = unique;
  if (JsonPtr params = Get(s, "indexParams"); params != nullptr && params->is_array()) {
    for (const Json& p : *params) {
      JsonPtr elem = As(p, "IndexElem");
      if (elem == nullptr) continue;
      std::string col = Str(*elem, "name");
      JsonPtr expr = Get(*elem, "expr");
      detail.items.push_back(!col.empty()      ? col
                             : expr != nullptr ? "(" + ExprText(*expr, ctx.sql) + ")"
                                               : std::string("(expression)"));
    }
  }
  f.summary = std::string("CREATE ") + (unique ? "UNIQUE " : "") + "INDEX " +
              (f.concurrently ? "CONCURRENTLY " : "") + (index.empty() ? "" : index + " ") + "ON " +
              table;
  RelationEffect& e =
      Touch(f, table, f.concurrently ? LockMode::kShareUpdateExclusive : LockMode::kShare);
  e.scan = true;
  if (!index.empty()) {
    std::string qualified = index;
    if (JsonPtr rel = Get(s, "relation"); rel != nullptr && !Str(*rel, "schemaname").empty()) {
      qualified = Str(*rel, "schemaname") + "." + index;
    }
    RelationEffect& ie = Touch(f, qualified, LockMode::kAccessExclusive, RelationKind::kIndex);
    ie.created = true;
  }
  if (f.concurrently) {
    f.no_transaction = true;
    f.notes.push_back("a failed concurrent build leaves an INVALID index behind");
  }
  if (unique) f.can_fail_on_rows = true;
  (void)ctx;
}

void AnalyzeRename(const Json& s, StatementFacts& f, const Context& ctx) {
  const std::string type = Str(s, "renameType");
  JsonPtr rel = Get(s, "relation");
  const std::string name = rel != nullptr ? RangeVarName(*rel) : std::string();
  f.new_name = Str(s, "newname");
  f.if_exists = Bool(s, "missing_ok");
  const std::string sub = Str(s, "subname");
  if (type == "OBJECT_TABLE" || type == "OBJECT_FOREIGN_TABLE") {
    f.kind = StatementKind::kRenameTable;
    f.command = "ALTER TABLE";
    f.table = name;
    f.summary = "ALTER TABLE " + name + " RENAME TO " + f.new_name;
    Touch(f, name, LockMode::kAccessExclusive);
  } else if (type == "OBJECT_COLUMN") {
    f.kind = StatementKind::kRenameColumn;
    f.command = "ALTER TABLE";
    f.table = name;
    f.column = sub;
    f.summary = "ALTER TABLE " + name + " RENAME COLUMN " + sub + " TO " + f.new_name;
    Touch(f, name, LockMode::kAccessExclusive);
  } else if (type == "OBJECT_INDEX") {
    f.kind = StatementKind::kRenameIndex;
    f.command = "ALTER INDEX";
    f.summary = "ALTER INDEX " + name + " RENAME TO " + f.new_name;
    Touch(
        f, name,
        ctx.options.pg_version >= 12 ? LockMode::kShareUpdateExclusive : LockMode::kAccessExclusive,
        RelationKind::kIndex);
  } else if (type == "OBJECT_TABCONSTRAINT") {
    f.kind = StatementKind::kRenameConstraint;
    f.command = "ALTER TABLE";
    f.table = name;
    f.constraint = sub;
    f.summary = "ALTER TABLE " + name + " RENAME CONSTRAINT " + sub + " TO " + f.new_name;
    Touch(f, name, LockMode::kAccessExclusive);
  } else if (type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW" || type == "OBJECT_SEQUENCE") {
    SetKind(f, "rename_" + ObjectWord(type));
    f.command = "ALTER " + Upper(ObjectWord(type));
    f.summary = "ALTER " + Upper(ObjectWord(type)) + " " + name + " RENAME TO " + f.new_name;
    Touch(f, name, LockMode::kAccessExclusive,
          type == "OBJECT_VIEW"      ? RelationKind::kView
          : type == "OBJECT_MATVIEW" ? RelationKind::kMaterializedView
                                     : RelationKind::kSequence);
  } else if (type == "OBJECT_TRIGGER" || type == "OBJECT_POLICY" || type == "OBJECT_RULE") {
    SetKind(f, "rename_" + ObjectWord(type));
    f.command = "ALTER " + Upper(ObjectWord(type));
    f.table = name;
    f.summary =
        "ALTER " + Upper(ObjectWord(type)) + " " + sub + " ON " + name + " RENAME TO " + f.new_name;
    Touch(f, name, LockMode::kAccessExclusive);
  } else {
    SetKind(f, "rename_" + ObjectWord(type));
    f.command = "ALTER " + Upper(ObjectWord(type));
    f.summary = "RENAME " + Upper(ObjectWord(type)) + " TO " + f.new_name;
  }
}

void AnalyzeSet(const Json& s, StatementFacts& f) {
  const std::string kind = Str(s, "kind");
  const std::string name = Str(s, "name");
  f.set_local = Bool(s, "is_local");
  std::string value;
  if (kind == "VAR_SET_VALUE") {
    f.kind = StatementKind::kSet;
    if (JsonPtr args = Get(s, "args"); args != nullptr && args->is_array() && !args->empty()) {
      value = ConstValue(*args->at(0));
    }
  } else if (kind == "VAR_RESET" || kind == "VAR_SET_DEFAULT") {
    f.kind = kind == "VAR_RESET" ? StatementKind::kReset : StatementKind::kSet;
    value = "DEFAULT";
  } else if (kind == "VAR_RESET_ALL") {
    f.kind = StatementKind::kReset;
    f.command = "RESET";
    f.summary = "RESET ALL";
    f.sets_lock_timeout = "DEFAULT";
    f.sets_statement_timeout = "DEFAULT";
    return;
  } else {
    f.kind = StatementKind::kSet;
  }
  const bool reset = f.kind == StatementKind::kReset;
  f.command = reset ? "RESET" : "SET";
  f.summary = (reset ? "RESET " : std::string(f.set_local ? "SET LOCAL " : "SET ")) + name +
              (reset ? "" : " = " + value);
  if (name == "lock_timeout") f.sets_lock_timeout = value;
  if (name == "statement_timeout") f.sets_statement_timeout = value;
}

void AnalyzeStatement(std::string_view type, const Json& s, StatementFacts f, Context& ctx,
                      std::vector<StatementFacts>& out) {
  const int pg = ctx.options.pg_version;
  if (type == "AlterTableStmt") {
    AnalyzeAlterTable(s, f, ctx, out);
    return;
  }
  if (type == "CreateStmt") {
    AnalyzeCreateTable(s, f, ctx.sql);
  } else if (type == "IndexStmt") {
    AnalyzeIndex(s, f, ctx);
  } else if (type == "DropStmt") {
    AnalyzeDrop(s, f);
  } else if (type == "RenameStmt") {
    AnalyzeRename(s, f, ctx);
  } else if (type == "VariableSetStmt") {
    AnalyzeSet(s, f);
  } else if (type == "TruncateStmt") {
    f.kind = StatementKind::kTruncate;
    f.command = "TRUNCATE";
    f.data_loss = true;
    std::vector<std::string> names;
    if (JsonPtr rels = Get(s, "relations"); rels != nullptr && rels->is_array()) {
      for (const Json& r : *rels) {
        if (JsonPtr rv = As(r, "RangeVar")) {
          names.push_back(RangeVarName(*rv));
          Touch(f, names.back(), LockMode::kAccessExclusive);
        }
      }
    }
    f.summary = "TRUNCATE " + Join(names, ", ");
    if (Str(s, "behavior") == "DROP_CASCADE") {
      f.notes.push_back("CASCADE also empties every table with a foreign key to these");
    }
  } else if (type == "CreateTableAsStmt") {
    JsonPtr into = Get(s, "into");
    JsonPtr rel = into != nullptr ? Get(*into, "rel") : nullptr;
    const std::string name = rel != nullptr ? RangeVarName(*rel) : std::string();
    const bool matview = Str(s, "objtype") == "OBJECT_MATVIEW";
    f.kind = matview ? StatementKind::kCreateMaterializedView : StatementKind::kCreateTableAs;
    f.command = matview ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE AS";
    if (!matview) f.table = name;
    f.if_exists = Bool(s, "if_not_exists");
    f.summary =
        std::string(matview ? "CREATE MATERIALIZED VIEW " : "CREATE TABLE ") + name + " AS ...";
    TouchReads(f, Get(s, "query"), LockMode::kAccessShare, true);
    RelationEffect& e = Touch(f, name, LockMode::kAccessExclusive,
                              matview ? RelationKind::kMaterializedView : RelationKind::kTable);
    e.created = true;
  } else if (type == "ViewStmt") {
    const std::string name = RangeVarName(*Get(s, "view"));
    f.kind = StatementKind::kCreateView;
    f.command = "CREATE VIEW";
    f.summary = std::string("CREATE ") + (Bool(s, "replace") ? "OR REPLACE " : "") + "VIEW " + name;
    TouchReads(f, Get(s, "query"));
    RelationEffect& e = Touch(f, name, LockMode::kAccessExclusive, RelationKind::kView);
    e.created = !Bool(s, "replace");
  } else if (type == "CreateSeqStmt") {
    const std::string name = RangeVarName(*Get(s, "sequence"));
    f.kind = StatementKind::kCreateSequence;
    f.command = "CREATE SEQUENCE";
    f.summary = "CREATE SEQUENCE " + name;
    f.if_exists = Bool(s, "if_not_exists");
    Touch(f, name, LockMode::kAccessExclusive, RelationKind::kSequence).created = true;
  } else if (type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt" ||
             type == "MergeStmt") {
    const std::string target = RangeVarName(*Get(s, "relation"));
    std::string verb = type == "InsertStmt"   ? "insert"
                       : type == "UpdateStmt" ? "update"
                       : type == "DeleteStmt" ? "delete"
                                              : "merge";
    f.kind = type == "InsertStmt"   ? StatementKind::kInsert
             : type == "UpdateStmt" ? StatementKind::kUpdate
             : type == "DeleteStmt" ? StatementKind::kDelete
                                    : StatementKind::kMerge;
    f.command = Upper(verb);
    f.table = target;
    f.summary = Upper(verb) +
                (type == "InsertStmt"   ? " INTO "
                 : type == "DeleteStmt" ? " FROM "
                                        : " ") +
                target;
    for (const char* key : {"selectStmt", "fromClause", "usingClause", "whereClause",
                            "sourceRelation", "targetList", "withClause"}) {
      TouchReads(f, Get(s, key));
    }
    Touch(f, target, LockMode::kRowExclusive);
    if ((type == "UpdateStmt" || type == "DeleteStmt") && Get(s, "whereClause") == nullptr) {
      f.data_loss = true;
      f.notes.push_back(type == "DeleteStmt" ? "DELETE without WHERE removes every row"
                                             : "UPDATE without WHERE overwrites every row");
    }
  } else if (type == "SelectStmt") {
    f.kind = StatementKind::kSelect;
    f.command = "SELECT";
    f.summary = "SELECT";
    const bool locking = Get(s, "lockingClause") != nullptr;
    TouchReads(f, JsonPtr(s), locking ? LockMode::kRowShare : LockMode::kAccessShare);
  } else if (type == "CopyStmt") {
    f.kind = StatementKind::kCopy;
    f.command = "COPY";
    if (JsonPtr rel = Get(s, "relation")) {
      const bool from = Bool(s, "is_from");
      f.table = RangeVarName(*rel);
      Touch(f, RangeVarName(*rel), from ? LockMode::kRowExclusive : LockMode::kAccessShare);
      f.summary = "COPY " + RangeVarName(*rel) + (from ? " FROM" : " TO");
    }
    TouchReads(f, Get(s, "query"));
  } else if (type == "ReindexStmt") {
    const std::string kind = Str(s, "kind");
    f.kind = StatementKind::kReindex;
    f.command = "REINDEX " + Upper(kind.substr(kind.rfind('_') + 1));
    f.concurrently = HasDefElem(Get(s, "params"), "concurrently");
    const LockMode lock = f.concurrently ? LockMode::kShareUpdateExclusive : LockMode::kShare;
    JsonPtr rel = Get(s, "relation");
    const std::string name = rel != nullptr ? RangeVarName(*rel) : Str(s, "name");
    if (kind == "REINDEX_OBJECT_INDEX") {
      RelationEffect& e = Touch(
          f, name, f.concurrently ? LockMode::kShareUpdateExclusive : LockMode::kAccessExclusive,
          RelationKind::kIndex);
      e.table_lock = lock;
      e.scan = true;  // the rebuild reads the whole table
      f.summary = "REINDEX INDEX " + name;
    } else if (kind == "REINDEX_OBJECT_TABLE") {
      Touch(f, name, lock).scan = true;
      f.table = name;
      f.summary = "REINDEX TABLE " + name;
    } else {
      f.no_transaction = true;
      f.summary = "REINDEX " + Upper(kind.substr(kind.rfind('_') + 1)) + " " + name;
    }
    if (f.concurrently) {
      f.no_transaction = true;
      f.requires_pg = 12;
      f.summary += " CONCURRENTLY";
    }
  } else if (type == "VacuumStmt") {
    const bool vacuum = Bool(s, "is_vacuumcmd");
    const bool full = vacuum && HasDefElem(Get(s, "options"), "full");
    f.kind = full     ? StatementKind::kVacuumFull
             : vacuum ? StatementKind::kVacuum
                      : StatementKind::kAnalyze;
    f.command = vacuum ? "VACUUM" : "ANALYZE";
    f.no_transaction = vacuum;
    std::vector<std::string> names;
    if (JsonPtr rels = Get(s, "rels"); rels != nullptr && rels->is_array()) {
      for (const Json& r : *rels) {
        JsonPtr vr = As(r, "VacuumRelation");
        JsonPtr rv = vr != nullptr ? Get(*vr, "relation") : nullptr;
        if (rv == nullptr) continue;
        names.push_back(RangeVarName(*rv));
        RelationEffect& e = Touch(
            f, names.back(), full ? LockMode::kAccessExclusive : LockMode::kShareUpdateExclusive);
        e.rewrite = full;
        e.scan = vacuum;  // ANALYZE reads a sample only
      }
    }
    f.summary = std::string(full     ? "VACUUM FULL"
                            : vacuum ? "VACUUM"
                                     : "ANALYZE") +
                (names.empty() ? " (every table)" : " " + Join(names, ", "));
  } else if (type == "ClusterStmt") {
    f.kind = StatementKind::kCluster;
    f.command = "CLUSTER";
    if (JsonPtr rel = Get(s, "relation")) {
      f.table = RangeVarName(*rel);
      RelationEffect& e = Touch(f, RangeVarName(*rel), LockMode::kAccessExclusive);
      e.rewrite = e.scan = true;
      f.summary = "CLUSTER " + RangeVarName(*rel);
    } else {
      f.no_transaction = true;
      f.summary = "CLUSTER (every clustered table)";
    }
  } else if (type == "RefreshMatViewStmt") {
    const std::string name = RangeVarName(*Get(s, "relation"));
    f.kind = StatementKind::kRefreshMaterializedView;
    f.command = "REFRESH MATERIALIZED VIEW";
    f.concurrently = Bool(s, "concurrent");
    f.summary =
        std::string("REFRESH MATERIALIZED VIEW ") + (f.concurrently ? "CONCURRENTLY " : "") + name;
    RelationEffect& e =
        Touch(f, name, f.concurrently ? LockMode::kExclusive : LockMode::kAccessExclusive,
              RelationKind::kMaterializedView);
    e.rewrite = !f.concurrently;
    e.scan = true;  // CONCURRENTLY diffs the old contents against the new
    if (f.concurrently) f.notes.push_back("needs a unique index on the materialized view");
    f.notes.push_back("the view's query runs in full and locks the tables it reads");
  } else if (type == "AlterEnumStmt") {
    const std::string name = Join(Strings(Get(s, "typeName")), ".");
    f.command = "ALTER TYPE";
    f.type_name = name;
    if (!Str(s, "oldVal").empty()) {
      f.kind = StatementKind::kAlterTypeRenameValue;
      f.summary = "ALTER TYPE " + name + " RENAME VALUE";
    } else {
      f.kind = StatementKind::kAlterTypeAddValue;
      f.if_exists = Bool(s, "skipIfNewValExists");
      f.new_name = Str(s, "newVal");
      f.summary = "ALTER TYPE " + name + " ADD VALUE '" + f.new_name + "'";
      if (pg < 12) {
        f.no_transaction = true;
      } else {
        f.notes.push_back("the new value cannot be used until the transaction commits");
      }
    }
  } else if (type == "AlterObjectSchemaStmt") {
    const std::string objtype = Str(s, "objectType");
    SetKind(f, "set_schema." + ObjectWord(objtype));
    f.command = "ALTER " + Upper(ObjectWord(objtype));
    f.new_name = Str(s, "newschema");
    if (JsonPtr rel = Get(s, "relation")) {
      Touch(f, RangeVarName(*rel), LockMode::kAccessExclusive);
      f.summary = "ALTER " + Upper(ObjectWord(objtype)) + " " + RangeVarName(*rel) +
                  " SET SCHEMA " + f.new_name;
    } else {
      f.summary = "ALTER " + Upper(ObjectWord(objtype)) + " SET SCHEMA " + f.new_name;
    }
  } else if (type == "CreateTrigStmt") {
    const std::string name = RangeVarName(*Get(s, "relation"));
    f.kind = StatementKind::kCreateTrigger;
    f.command = "CREATE TRIGGER";
    f.table = name;
    f.summary = "CREATE TRIGGER " + Str(s, "trigname") + " ON " + name;
    Touch(f, name, LockMode::kShareRowExclusive);
  } else if (type == "RuleStmt") {
    // CREATE [OR REPLACE] RULE ... ON event TO table: ACCESS EXCLUSIVE on the table (checked on
    // PostgreSQL 15); no kind of its own ("create_rule").
    const std::string name = RangeVarName(*Get(s, "relation"));
    SetKind(f, "create_rule");
    f.command = "CREATE RULE";
    f.table = name;
    f.summary = "CREATE RULE " + Str(s, "rulename") + " ON " + name;
    Touch(f, name, LockMode::kAccessExclusive);
  } else if (type == "CreatePolicyStmt" || type == "AlterPolicyStmt") {
    const std::string name = RangeVarName(*Get(s, "table"));
    const bool create = type == "CreatePolicyStmt";
    f.kind = create ? StatementKind::kCreatePolicy : StatementKind::kAlterPolicy;
    f.command = create ? "CREATE POLICY" : "ALTER POLICY";
    f.table = name;
    f.summary = (type == "CreatePolicyStmt" ? "CREATE POLICY ON " : "ALTER POLICY ON ") + name;
    Touch(f, name, LockMode::kAccessExclusive);
  } else if (type == "LockStmt") {
    f.kind = StatementKind::kLockTable;
    f.command = "LOCK TABLE";
    const LockMode lock = static_cast<LockMode>(std::clamp(Int(s, "mode", 8), 1, 8));
    std::vector<std::string> names;
    if (JsonPtr rels = Get(s, "relations"); rels != nullptr && rels->is_array()) {
      for (const Json& r : *rels) {
        if (JsonPtr rv = As(r, "RangeVar")) {
          names.push_back(RangeVarName(*rv));
          Touch(f, names.back(), lock);
        }
      }
    }
    f.summary =
        "LOCK TABLE " + Join(names, ", ") + " IN " + std::string(LockModeName(lock)) + " MODE";
  } else if (type == "CommentStmt") {
    const std::string objtype = Str(s, "objtype");
    f.kind = StatementKind::kComment;
    f.command = "COMMENT";
    f.summary = "COMMENT ON " + Upper(ObjectWord(objtype));
    if (JsonPtr object = Get(s, "object")) {
      std::string name = ObjectName(*object);
      if (objtype == "OBJECT_COLUMN" && name.rfind('.') != std::string::npos) {
        name = name.substr(0, name.rfind('.'));
      }
      if (objtype == "OBJECT_TABLE" || objtype == "OBJECT_COLUMN") {
        Touch(f, name, LockMode::kShareUpdateExclusive);
      }
      f.summary += " " + ObjectName(*object);
    }
  } else if (type == "TransactionStmt") {
    std::string kind = Str(s, "kind");
    kind = kind.rfind("TRANS_STMT_", 0) == 0 ? kind.substr(11) : kind;
    std::transform(kind.begin(), kind.end(), kind.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    SetKind(f, "transaction." + kind);
    f.command = Upper(kind);
    f.summary = Upper(kind);
  } else if (type == "CreatedbStmt" || type == "DropdbStmt") {
    const bool drop = type == "DropdbStmt";
    f.kind = drop ? StatementKind::kDropDatabase : StatementKind::kCreateDatabase;
    f.command = drop ? "DROP DATABASE" : "CREATE DATABASE";
    f.summary = std::string(drop ? "DROP DATABASE " : "CREATE DATABASE ") + Str(s, "dbname");
    f.no_transaction = true;
    f.data_loss = drop;
    f.if_exists = Bool(s, "missing_ok");
  } else if (type == "DoStmt") {
    f.kind = StatementKind::kDo;
    f.command = "DO";
    f.summary = "DO block";
    f.notes.push_back("an anonymous code block: what it does is not analyzed");
  } else {
    // CREATE SCHEMA/TYPE/EXTENSION/FUNCTION, GRANT, ...: no table-level effect modelled.
    std::string name(type);
    if (name.size() > 4 && name.compare(name.size() - 4, 4, "Stmt") == 0) {
      name.resize(name.size() - 4);
    }
    std::string snake;
    for (char c : name) {
      if (std::isupper(static_cast<unsigned char>(c)) && !snake.empty() &&
          !std::isupper(static_cast<unsigned char>(snake.back()))) {
        snake += '_';
      }
      snake += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    SetKind(f, snake);
    f.command = Upper(snake);
    f.summary = Upper(snake);
    if (type == "CreateSchemaStmt") {
      // CREATE SCHEMA AUTHORIZATION joe creates the schema `joe`.
      std::string schema = Str(s, "schemaname");
      if (JsonPtr role = Get(s, "authrole"); schema.empty() && role != nullptr) {
        if (JsonPtr spec = As(*role, "RoleSpec")) schema = Str(*spec, "rolename");
        if (schema.empty()) schema = Str(*role, "rolename");
      }
      if (!schema.empty()) f.schemas.push_back(std::move(schema));
    } else if (type == "CreateEnumStmt") {
      f.type_name = Join(Strings(Get(s, "typeName")), ".");
      f.detail.emplace().items = Strings(Get(s, "vals"));
    }
  }
  out.push_back(std::move(f));
}

// libpg_query reports a 1-based character position; the facts speak bytes.
uint32_t CharPosToByte(std::string_view text, int cursorpos) {
  if (cursorpos <= 1) return 0;
  int chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == cursorpos - 1) return static_cast<uint32_t>(i);
      ++chars;
    }
  }
  return static_cast<uint32_t>(text.size());
}

// The bytes no driver sends to PostgreSQL: the first NUL and the first invalid UTF-8 byte
// become driver errors, and every such byte is replaced in `text` (a NUL by a space, a bad
// byte by an identifier character, which lexes as the byte would) so the rest is analysed at
// the same offsets. libpg_query reads a C string and would stop at a NUL; its JSON tree would
// not parse with bad UTF-8 inside.
void ScrubDriverBytes(std::string& text, std::vector<SqlError>& errors) {
  bool nul = false, utf8 = false;
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) - 1u < 0x7Fu) {  // ASCII other than NUL
      ++i;
      continue;
    }
    if (text[i] == '\0') {
      if (!nul) {
        errors.push_back(
            {static_cast<uint32_t>(i),
             "the SQL text holds a NUL byte (\\x00): PostgreSQL never accepts one and the "
             "driver refuses or cuts the string there, so the statements after it do not run "
             "as written"});
        nul = true;
      }
      text[i++] = ' ';
      continue;
    }
    size_t n = Utf8SequenceAt(text, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (!utf8) {
      errors.push_back(
          {static_cast<uint32_t>(i),
           fmt::format("the SQL text is not valid UTF-8 (byte 0x{:02X}; a lone surrogate such as "
                       "\\udcff in the Python string): the driver cannot encode it for the "
                       "server (psycopg2 raises UnicodeEncodeError)",
                       static_cast<unsigned char>(text[i]))});
      utf8 = true;
    }
    text[i++] = 'x';
  }
}

}  // namespace
}  // namespace sql_internal

SqlAnalysis AnalyzeSql(std::string_view sql, const SqlOptions& options) {
  using namespace sql_internal;
  SqlAnalysis analysis;
  std::string text = sql_text::NeutralizePlaceholders(sql);
  ScrubDriverBytes(text, analysis.driver_errors);
  std::unique_ptr<PgQueryParseResult, void (*)(PgQueryParseResult*)> result(
      new PgQueryParseResult(pg_query_parse(text.c_str())), [](PgQueryParseResult* r) {
        pg_query_free_parse_result(*r);
        delete r;
      });
  if (result->error != nullptr) {
    analysis.error =
        SqlError{CharPosToByte(text, result->error->cursorpos),
                 result->error->message != nullptr ? result->error->message : "syntax error"};
    return analysis;
  }
  JsonDocument tree;
  if (!tree.Parse(result->parse_tree)) {  // never a silent skip: say the statements were not read
    analysis.error = SqlError{0,
                              "libpg_query's parse tree could not be read, so this SQL was "
                              "not analysed (an internal error of alembic-lint)"};
    return analysis;
  }
  JsonPtr stmts = Get(*tree.root(), "stmts");
  if (stmts == nullptr || !stmts->is_array()) return analysis;
  Context ctx{sql, options, {}};
  for (const Json& entry : *stmts) {
    JsonPtr stmt = Get(entry, "stmt");
    if (stmt == nullptr) continue;
    const uint32_t location = static_cast<uint32_t>(Int(entry, "stmt_location", 0));
    const int len = Int(entry, "stmt_len", 0);
    uint32_t end =
        len > 0 ? location + static_cast<uint32_t>(len) : static_cast<uint32_t>(sql.size());
    end = std::min<uint32_t>(end, static_cast<uint32_t>(sql.size()));
    StatementFacts base;
    base.begin = sql_text::SkipSpaceAndComments(sql, location, end);
    base.end = sql_text::TrimEnd(sql, base.begin, end);
    base.anchor = base.begin;
    base.anchor_end = base.end;
    JsonPtr body = NodeBody(*stmt);
    if (body == nullptr) continue;
    AnalyzeStatement(NodeType(*stmt), *body, std::move(base), ctx, analysis.facts);
  }
  return analysis;
}

namespace {

std::string_view RelationKindName(RelationKind kind) {
  switch (kind) {
    case RelationKind::kTable:
      return "table";
    case RelationKind::kIndex:
      return "index";
    case RelationKind::kView:
      return "view";
    case RelationKind::kMaterializedView:
      return "materialized_view";
    case RelationKind::kSequence:
      return "sequence";
    case RelationKind::kOther:
      return "other";
  }
  return "other";
}

}  // namespace

std::string FactsToJson(const SqlAnalysis& analysis) {
  nlohmann::json out = nlohmann::json::object();
  nlohmann::json statements = nlohmann::json::array();
  for (const StatementFacts& f : analysis.facts) {
    nlohmann::json s;
    s["begin"] = f.begin;
    s["end"] = f.end;
    s["anchor"] = f.anchor;
    s["anchor_end"] = f.anchor_end;
    s["kind"] = f.KindName();
    s["summary"] = f.summary;
    nlohmann::json effects = nlohmann::json::array();
    for (const RelationEffect& e : f.effects) {
      nlohmann::json je;
      je["relation"] = e.relation;
      je["kind"] = RelationKindName(e.kind);
      je["lock"] = LockModeName(e.lock);
      if (e.table_lock != LockMode::kNone) je["table_lock"] = LockModeName(e.table_lock);
      je["rewrite"] = e.rewrite;
      je["scan"] = e.scan;
      je["created"] = e.created;
      effects.push_back(std::move(je));
    }
    s["effects"] = std::move(effects);
    s["concurrently"] = f.concurrently;
    s["no_transaction"] = f.no_transaction;
    s["can_fail_on_rows"] = f.can_fail_on_rows;
    s["data_loss"] = f.data_loss;
    s["not_valid"] = f.not_valid;
    s["rewrite_uncertain"] = f.rewrite_uncertain;
    if (f.requires_pg != 0) s["requires_pg"] = f.requires_pg;
    if (f.sets_lock_timeout) s["sets_lock_timeout"] = *f.sets_lock_timeout;
    if (f.sets_statement_timeout) s["sets_statement_timeout"] = *f.sets_statement_timeout;
    for (const auto& [key, value] :
         {std::pair<const char*, const std::string*>{"column", &f.column},
          {"constraint", &f.constraint},
          {"new_type", &f.new_type},
          {"new_name", &f.new_name}}) {
      if (!value->empty()) s[key] = *value;
    }
    s["notes"] = f.notes;
    statements.push_back(std::move(s));
  }
  out["statements"] = std::move(statements);
  if (!analysis.driver_errors.empty()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const SqlError& e : analysis.driver_errors) {
      errors.push_back({{"offset", e.offset}, {"message", e.message}});
    }
    out["driver_errors"] = std::move(errors);
  }
  if (analysis.error) {
    out["error"] = {{"offset", analysis.error->offset}, {"message", analysis.error->message}};
  }
  return out.dump();
}

std::string FactsDebugString(const StatementFacts& f) {
  std::string out = fmt::format(
      "span {}-{} anchor {}-{}\nkind {} ({}) constraint_kind {}\nsummary {}\ncommand {}\n"
      "table {}\ntype_name {}\n",
      f.begin, f.end, f.anchor, f.anchor_end, f.KindName(), f.other_kind,
      ConstraintKindName(f.constraint_kind), f.summary, f.command, f.table, f.type_name);
  for (const std::string& s : f.schemas) out += "schema " + s + "\n";
  for (const RelationEffect& e : f.effects) {
    out += fmt::format("effect {} {} lock {} table_lock {} rewrite {} scan {} created {}\n",
                       e.relation, RelationKindName(e.kind), LockModeName(e.lock),
                       LockModeName(e.table_lock), e.rewrite, e.scan, e.created);
  }
  out += fmt::format(
      "concurrently {} no_transaction {} can_fail_on_rows {} data_loss {} not_valid {} "
      "rewrite_uncertain {} requires_pg {}\n",
      f.concurrently, f.no_transaction, f.can_fail_on_rows, f.data_loss, f.not_valid,
      f.rewrite_uncertain, f.requires_pg);
  out += fmt::format("lock_timeout {} statement_timeout {} set_local {} if_exists {} cascade {}\n",
                     f.sets_lock_timeout.value_or("-"), f.sets_statement_timeout.value_or("-"),
                     f.set_local, f.if_exists, f.cascade);
  out +=
      fmt::format("column {} constraint {} new_type {} new_name {} not_null_without_default {}\n",
                  f.column, f.constraint, f.new_type, f.new_name, f.not_null_without_default);
  if (f.detail) {
    const ObjectDetail& d = *f.detail;
    out += fmt::format("detail unique {} partitioned {} partition_of {}\n", d.unique, d.partitioned,
                       d.partition_of);
    for (const ColumnSpec& c : d.columns) {
      out += fmt::format("  column {} {} not_null {} default {} {}\n", c.name, c.type, c.not_null,
                         c.has_default, c.default_expr);
    }
    for (const ConstraintSpec& c : d.constraints) {
      out += fmt::format(
          "  constraint {} {} ({}) references {} not_null_column {} using_index {} "
          "not_valid {}\n",
          c.name, ConstraintKindName(c.kind), fmt::join(c.columns, ", "), c.references,
          c.not_null_column, c.using_index, c.not_valid);
    }
    for (const std::string& item : d.items) out += "  item " + item + "\n";
  }
  for (const std::string& n : f.notes) out += "note " + n + "\n";
  return out;
}

}  // namespace alint
