// The facts of the common plain op calls, built without rendering and parsing their DDL
// (DirectOpCallFacts, lint/sql/op_model.h): the arguments read as the renderer reads them
// (lint/sql/op_render.h), then what analyze.cc and alter_table.cc conclude from the statement
// the renderer would write. tests/sql/op_model_test.cc and fuzz/op_call_fuzz.cc hold them
// equal to the rendered path, field by field.

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "lint/sql/analyze_internal.h"
#include "lint/sql/op_model.h"
#include "lint/sql/op_render.h"

namespace alint {
namespace {

using namespace op_render;

// A name the direct facts below take as is: PostgreSQL reads exactly these bytes back from
// the quoted identifier (nothing it would truncate at 63 bytes, nothing the placeholder and
// driver steps of AnalyzeSql would touch). Any other name goes through the rendered SQL.
bool PlainName(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  });
}

// Table(name, schema) as PostgreSQL names it back (RangeVarName), or nullopt.
std::optional<std::string> PlainTable(const std::string& name, const Expr* schema) {
  std::optional<std::string> s = StringArg(schema);
  if (!PlainName(name) || (s && !PlainName(*s))) return std::nullopt;
  return s ? *s + "." + name : name;
}

// libpg_query's reading of a short text (a type, a server default), once per distinct text
// and thread: a project has a few dozen. Past 4,096 texts a thread reads the new ones each
// time (hostile input: bounded, never wrong).
template <typename T>
std::optional<T> ReadOnce(std::unordered_map<std::string, std::optional<T>>& cache,
                          const std::string& text,
                          std::optional<T> (*read)(std::string_view text)) {
  if (auto it = cache.find(text); it != cache.end()) return it->second;
  std::optional<T> value = read(text);
  if (cache.size() < 4096) cache.emplace(text, value);
  return value;
}

// What PostgreSQL reads a rendered type as (ParseTypeText); nullopt when it is not a type.
std::optional<sql_internal::TypeInfo> TypeOf(const std::string& text) {
  thread_local std::unordered_map<std::string, std::optional<sql_internal::TypeInfo>> cache;
  return ReadOnce(cache, text, &sql_internal::ParseTypeText);
}

// What PostgreSQL reads `DEFAULT <sql>` as (ParseDefaultText); nullopt when it is not one
// lone default expression.
std::optional<sql_internal::DefaultReading> DefaultOf(const std::string& sql) {
  thread_local std::unordered_map<std::string, std::optional<sql_internal::DefaultReading>> cache;
  return ReadOnce(cache, sql, &sql_internal::ParseDefaultText);
}

// A column Render writes as `name type [DEFAULT d] [NOT NULL] [UNIQUE]` (foreign keys kept
// apart), read as PostgreSQL reads it; nullopt for anything else (identity, computed, a
// default the model cannot print, a name or type PostgreSQL would read differently).
struct PlainColumn {
  ColumnSql sql;
  ColumnSpec spec;
  bool unique = false;
  std::optional<sql_internal::DefaultReading> default_reading;  // a non-NULL default
};
std::optional<PlainColumn> ReadPlainColumn(const Expr& e) {
  std::optional<ColumnSql> c = RenderColumn(e, /*inline_fks=*/false);
  if (!c || !PlainName(c->name) || c->default_unknown || c->generated) return std::nullopt;
  std::optional<sql_internal::DefaultReading> reading;
  if (!c->default_sql.empty()) {
    reading = DefaultOf(c->default_sql);
    if (!reading) return std::nullopt;
  }
  PlainColumn out;
  out.spec.not_null = c->not_null;
  out.unique = c->unique;
  std::optional<sql_internal::TypeInfo> type = TypeOf(c->type);
  if (!type || type->serial) return std::nullopt;
  out.spec.name = c->name;
  out.spec.type = type->Display();
  if (reading && !reading->null_default) {
    out.spec.has_default = true;
    out.spec.default_expr = reading->text;
    out.default_reading = std::move(reading);
  }
  out.sql = std::move(*c);
  return out;
}

// TargetTable(target) as PostgreSQL names it back, or nullopt.
std::optional<std::string> PlainTarget(const std::string& target) {
  TargetName n = TargetTableName(target);
  if (!PlainName(n.table) || (n.schema && !PlainName(*n.schema))) return std::nullopt;
  return n.schema ? *n.schema + "." + n.table : n.table;
}

// A constraint call's literal name= ("" when PostgreSQL names it), or nullopt when it is not
// plain.
std::optional<std::string> PlainConstraintName(const Expr& call) {
  std::optional<std::string> n = StringArg(Kw(call, "name"));
  if (!n || n->empty()) return std::string();
  return PlainName(*n) ? n : std::nullopt;
}

// CREATE TABLE as Render writes it, when every column is a PlainColumn and the table
// constraints are keys, unique and foreign keys over plain names (a CHECK needs PostgreSQL's
// reading of its expression, an enum type a second statement).
std::optional<StatementFacts> DirectCreateTable(const OpCall& op, const Args& a) {
  using sql_internal::Touch;
  std::optional<std::string> t = a.Str(0, "table_name");
  std::optional<std::string> name = t ? PlainTable(*t, a.Schema()) : std::nullopt;
  if (!name) return std::nullopt;
  StatementFacts f;
  f.kind = StatementKind::kCreateTable;
  f.command = "CREATE TABLE";
  f.table = *name;
  f.summary = "CREATE TABLE " + *name;
  Touch(f, *name, LockMode::kAccessExclusive).created = true;
  ObjectDetail& detail = f.detail.emplace();
  auto references = [&](const std::string& ref) {
    if (ref != *name) Touch(f, ref, LockMode::kShareRowExclusive);
  };
  struct Column {
    ColumnSql sql;
    size_t spec;  // index in detail.columns
  };
  std::vector<Column> columns;
  std::vector<std::string> pk_columns;  // plain names, as Render's quoted ones
  std::string pk_name;
  std::vector<const Expr*> pos = Positionals(op.call);
  for (size_t i = 1; i < pos.size(); ++i) {
    const Expr& e = *pos[i];
    if (e.kind == Kind::kCall && LastName(e.text) == "Column") {
      std::optional<PlainColumn> pc = ReadPlainColumn(e);
      if (!pc || pc->sql.enum_create) return std::nullopt;  // CREATE TYPE runs first
      ColumnSql* c = &pc->sql;
      const bool unique = pc->unique;
      ColumnSpec spec = std::move(pc->spec);
      if (c->primary_key) pk_columns.push_back(c->name);
      // The column's own constraints, in the order Render writes them: UNIQUE, REFERENCES.
      if (unique) {
        ConstraintSpec u;
        u.kind = ConstraintKind::kUnique;
        u.columns.push_back(c->name);
        detail.constraints.push_back(std::move(u));
      }
      for (const std::string& target : c->foreign_keys) {
        std::optional<std::string> ref = PlainTarget(target);
        if (!ref) return std::nullopt;
        ConstraintSpec fk;
        fk.kind = ConstraintKind::kForeignKey;
        fk.columns.push_back(c->name);
        fk.references = *ref;
        detail.constraints.push_back(std::move(fk));
        references(*ref);
      }
      detail.columns.push_back(std::move(spec));
      columns.push_back({std::move(*c), detail.columns.size() - 1});
    } else if (e.kind == Kind::kCall && LastName(e.text) == "ForeignKeyConstraint") {
      std::vector<const Expr*> fk = Positionals(e);
      if (fk.size() <= 1 || fk[1]->kind != Kind::kList || fk[1]->children.empty() ||
          fk[1]->children[0].kind != Kind::kString) {
        continue;  // Render writes nothing for it
      }
      if (fk[0]->kind != Kind::kList && fk[0]->kind != Kind::kTuple) continue;
      std::optional<std::string> cname = PlainConstraintName(e);
      std::optional<std::string> ref = PlainTarget(fk[1]->children[0].text);
      if (!cname || !ref) return std::nullopt;
      ConstraintSpec spec;
      spec.name = *cname;
      spec.kind = ConstraintKind::kForeignKey;
      for (const Expr& col : fk[0]->children) {
        if (col.kind != Kind::kString || !PlainName(col.text)) return std::nullopt;
        spec.columns.push_back(col.text);
      }
      spec.references = *ref;
      detail.constraints.push_back(std::move(spec));
      references(*ref);
    } else if (e.kind == Kind::kCall && (LastName(e.text) == "PrimaryKeyConstraint" ||
                                         LastName(e.text) == "UniqueConstraint")) {
      std::vector<std::string> cols;
      for (const Expr* col : Positionals(e)) {
        if (col->kind != Kind::kString) continue;
        if (!PlainName(col->text)) return std::nullopt;
        cols.push_back(col->text);
      }
      if (cols.empty()) continue;
      std::optional<std::string> cname = PlainConstraintName(e);
      if (!cname) return std::nullopt;
      if (LastName(e.text) == "PrimaryKeyConstraint") {
        pk_name = *cname;
        pk_columns = cols;
      } else {
        ConstraintSpec spec;
        spec.name = *cname;
        spec.kind = ConstraintKind::kUnique;
        spec.columns = std::move(cols);
        detail.constraints.push_back(std::move(spec));
      }
    } else if (e.kind == Kind::kCall && LastName(e.text) == "CheckConstraint") {
      std::vector<const Expr*> check = Positionals(e);
      if (!check.empty() && check[0]->kind == Kind::kString) return std::nullopt;
    }
  }
  if (pk_columns.size() == 1) {
    // A lone integer primary key column SQLAlchemy makes autoincrement: SERIAL and friends,
    // an integer NOT NULL DEFAULT nextval(...).
    for (const Column& c : columns) {
      if (c.sql.name != pk_columns[0] || !c.sql.autoincrement) continue;
      std::optional<sql_internal::TypeInfo> serial =
          TypeOf(c.sql.type == "bigint"     ? "BIGSERIAL"
                 : c.sql.type == "smallint" ? "SMALLSERIAL"
                                            : "SERIAL");
      if (!serial || !serial->serial) return std::nullopt;
      ColumnSpec& spec = detail.columns[c.spec];
      spec.type = serial->Display();
      spec.not_null = true;
      spec.has_default = true;
      spec.default_expr = "nextval(...)";
    }
  }
  if (!pk_columns.empty()) {
    ConstraintSpec pk;
    pk.name = pk_name;
    pk.kind = ConstraintKind::kPrimaryKey;
    pk.columns = pk_columns;
    detail.constraints.push_back(std::move(pk));
  }
  return f;
}

// The facts AnalyzeSql gives the SQL Render writes for the most common ops, built without
// rendering and parsing it: the same arguments read the same way, then what analyze.cc and
// alter_table.cc conclude from that statement. Everything else (and every unusual argument)
// returns nullopt and goes through the SQL. tests/sql/op_model_test.cc and fuzz/op_call_fuzz.cc
// hold both paths equal, field by field.
std::optional<StatementFacts> DirectFacts(const OpCall& op, const SqlOptions& options) {
  const int pg_version = options.pg_version;
  using sql_internal::SetKind;
  using sql_internal::Touch;
  Args a(op);
  const std::string& name = op.name;
  StatementFacts f;
  if (name == "drop_table") {
    // DROP TABLE t
    std::optional<std::string> t = a.Str(0, "table_name");
    std::optional<std::string> table = t ? PlainTable(*t, a.Schema()) : std::nullopt;
    if (!table) return std::nullopt;
    SetKind(f, "drop_table");
    f.command = "DROP TABLE";
    f.summary = "DROP TABLE " + *table;
    Touch(f, *table, LockMode::kAccessExclusive);
    f.data_loss = true;
    return f;
  }
  if (name == "create_table") {
    return DirectCreateTable(op, a);
  }
  if (name == "drop_column") {
    // ALTER TABLE t DROP COLUMN c
    std::optional<std::string> t = a.TableName(0, "table_name");
    std::optional<std::string> c = a.Str(a.At(1), "column_name");
    std::optional<std::string> table = t ? PlainTable(*t, a.Schema()) : std::nullopt;
    if (!table || !c || !PlainName(*c)) return std::nullopt;
    f.kind = StatementKind::kDropColumn;
    f.command = "ALTER TABLE";
    f.table = *table;
    f.column = *c;
    f.data_loss = true;
    Touch(f, *table, LockMode::kAccessExclusive);
    f.summary = "ALTER TABLE " + *table + " DROP COLUMN " + *c;
    return f;
  }
  if (name == "add_column") {
    // ALTER TABLE t ADD COLUMN c type [DEFAULT d] [NOT NULL]: no constraint or foreign key.
    std::optional<std::string> t = a.TableName(0, "table_name");
    const Expr* col = a.Get(a.At(1), "column");
    std::optional<PlainColumn> c = col != nullptr ? ReadPlainColumn(*col) : std::nullopt;
    std::optional<std::string> table = t ? PlainTable(*t, a.Schema()) : std::nullopt;
    if (!table || !c || c->unique || !c->sql.foreign_keys.empty()) return std::nullopt;
    const bool not_null = c->spec.not_null;
    const std::optional<sql_internal::DefaultReading>& def = c->default_reading;
    f.kind = StatementKind::kAddColumn;
    f.command = "ALTER TABLE";
    f.table = *table;
    f.column = c->spec.name;
    f.new_type = c->spec.type;
    f.detail.emplace().columns.push_back(std::move(c->spec));
    bool rewrite = false, scan = false;
    sql_internal::AddColumnCost(
        def.has_value(), def ? def->volatility : sql_internal::Volatility::kConstant,
        def ? def->culprit : std::string(), not_null, pg_version, f, rewrite, scan);
    RelationEffect& e = Touch(f, *table, LockMode::kAccessExclusive);
    e.rewrite = rewrite;
    e.scan = scan || rewrite;  // a rewrite reads every row
    f.summary = "ALTER TABLE " + *table + " ADD COLUMN " + f.column;
    return f;
  }
  if (name == "alter_column") {
    // One of ALTER TABLE t ALTER COLUMN c TYPE x / SET NOT NULL / DROP NOT NULL / DROP
    // DEFAULT: the only statement the call renders (existing_* arguments render nothing).
    std::optional<std::string> t = a.TableName(0, "table_name");
    std::optional<std::string> c = a.Str(a.At(1), "column_name");
    std::optional<std::string> table = t ? PlainTable(*t, a.Schema()) : std::nullopt;
    const Expr* type_expr = a.Keyword("type_");
    const Expr* nullable = a.Keyword("nullable");
    const Expr* def = a.Keyword("server_default");
    const Expr* comment = a.Keyword("comment");
    const bool set_null = IsFalse(nullable) || IsTrue(nullable);
    const bool drop_default = def != nullptr && def->kind == Kind::kNone;
    const int statements =
        (type_expr != nullptr ? 1 : 0) + (set_null ? 1 : 0) + (drop_default ? 1 : 0);
    if (!table || !c || !PlainName(*c) || (def != nullptr && !IsFalse(def) && !drop_default) ||
        StringArg(a.Keyword("new_column_name")) || (comment != nullptr && !IsFalse(comment)) ||
        statements != 1 || a.Keyword("postgresql_using") != nullptr) {
      return std::nullopt;
    }
    f.command = "ALTER TABLE";
    f.table = *table;
    f.column = *c;
    std::string what;
    bool scan = false;
    bool rewrite = false;
    if (type_expr != nullptr) {
      std::optional<std::string> rendered = RenderType(*type_expr);
      std::optional<sql_internal::TypeInfo> to = rendered ? TypeOf(*rendered) : std::nullopt;
      if (!to) return std::nullopt;
      // The current type: the call's own existing_type= (keyed by the table as written, as
      // the rendered path adds it), else what the options know.
      std::optional<std::string> existing;
      if (const Expr* old = a.Keyword("existing_type")) existing = RenderType(*old);
      const std::string* from_text = sql_internal::KnownColumnType(
          *table, *c, [&](const std::string& key) -> const std::string* {
            if (existing && key == *t + "." + *c) return &*existing;
            return sql_internal::FindColumnType(options.column_types, key);
          });
      std::optional<sql_internal::TypeInfo> from =
          from_text != nullptr ? TypeOf(*from_text) : std::nullopt;
      sql_internal::TypeChange change = sql_internal::ClassifyTypeChange(from, *to, pg_version);
      f.kind = StatementKind::kAlterColumnType;
      f.new_type = to->Display();
      what = " TYPE " + f.new_type;
      rewrite = change.rewrite;
      scan = change.rewrite;
      f.can_fail_on_rows = change.can_fail;
      f.data_loss = change.data_loss;
      f.rewrite_uncertain = change.uncertain;
      if (!change.note.empty()) f.notes.push_back(change.note);
    } else if (IsFalse(nullable)) {
      f.kind = StatementKind::kSetNotNull;
      what = " SET NOT NULL";
      // Nothing earlier in the call proves the column has no NULLs (a valid CHECK).
      scan = true;
      f.can_fail_on_rows = true;
    } else if (IsTrue(nullable)) {
      f.kind = StatementKind::kDropNotNull;
      what = " DROP NOT NULL";
    } else {
      f.kind = StatementKind::kDropDefault;
      what = " DROP DEFAULT";
    }
    RelationEffect& e = Touch(f, *table, LockMode::kAccessExclusive);
    e.rewrite = rewrite;
    e.scan = scan;
    f.summary = "ALTER TABLE " + *table + " ALTER COLUMN " + *c + what;
    return f;
  }
  if (name == "drop_constraint") {
    // ALTER TABLE t DROP CONSTRAINT c
    std::optional<std::string> cname = a.Str(0, "constraint_name");
    std::optional<std::string> t = a.batch() ? op.batch_table : a.Str(1, "table_name");
    std::optional<std::string> table = t ? PlainTable(*t, a.Schema()) : std::nullopt;
    if (!table || !cname || !PlainName(*cname)) return std::nullopt;
    f.kind = StatementKind::kDropConstraint;
    f.command = "ALTER TABLE";
    f.table = *table;
    f.constraint = *cname;
    Touch(f, *table, LockMode::kAccessExclusive);
    f.summary = "ALTER TABLE " + *table + " DROP CONSTRAINT " + *cname;
    return f;
  }
  if (name == "create_foreign_key" || name == "create_unique_constraint" ||
      name == "create_primary_key") {
    // ALTER TABLE t ADD [CONSTRAINT c] FOREIGN KEY(a, ...) REFERENCES r (b, ...) [NOT VALID]
    // / UNIQUE (a, ...) / PRIMARY KEY (a, ...), over plain columns.
    const bool fk = name == "create_foreign_key";
    std::optional<std::string> cname = a.ConstraintName(0, "constraint_name");
    std::optional<std::string> t =
        a.batch() ? op.batch_table : a.Str(1, fk ? "source_table" : "table_name");
    std::optional<std::string> table =
        t ? PlainTable(*t, fk ? a.Keyword("source_schema") : a.Schema()) : std::nullopt;
    if (!table || (cname && !PlainName(*cname))) return std::nullopt;
    auto plain_columns = [](const Expr* e) -> std::optional<std::vector<std::string>> {
      if (e == nullptr || (e->kind != Kind::kList && e->kind != Kind::kTuple)) {
        return std::nullopt;
      }
      std::vector<std::string> out;
      for (const Expr& c : e->children) {
        if (c.kind != Kind::kString || !PlainName(c.text)) return std::nullopt;
        out.push_back(c.text);
      }
      if (out.empty()) return std::nullopt;
      return out;
    };
    ConstraintSpec spec;
    spec.name = cname.value_or("");
    std::string what = "ADD " + (cname ? "CONSTRAINT " + *cname + " " : std::string());
    LockMode lock = LockMode::kAccessExclusive;
    bool scan = true;
    f.can_fail_on_rows = true;
    if (fk) {
      std::optional<std::string> r = a.Str(a.At(2), "referent_table");
      std::optional<std::string> referent =
          r ? PlainTable(*r, a.Keyword("referent_schema")) : std::nullopt;
      std::optional<std::vector<std::string>> local = plain_columns(a.Get(a.At(3), "local_cols"));
      std::optional<std::vector<std::string>> remote = plain_columns(a.Get(a.At(4), "remote_cols"));
      if (!referent || !local || !remote) return std::nullopt;
      f.constraint_kind = ConstraintKind::kForeignKey;
      f.not_valid = IsTrue(a.Keyword("postgresql_not_valid"));
      spec.kind = ConstraintKind::kForeignKey;
      spec.columns = std::move(*local);
      spec.references = *referent;
      spec.not_valid = f.not_valid;
      what += "FOREIGN KEY" + std::string(f.not_valid ? " NOT VALID" : "");
      lock = LockMode::kShareRowExclusive;
      Touch(f, *referent, LockMode::kShareRowExclusive);
      scan = !f.not_valid;
      f.can_fail_on_rows = !f.not_valid;
    } else {
      std::optional<std::vector<std::string>> cols = plain_columns(a.Get(a.At(2), "columns"));
      if (!cols) return std::nullopt;
      const bool pk = name == "create_primary_key";
      f.constraint_kind = pk ? ConstraintKind::kPrimaryKey : ConstraintKind::kUnique;
      spec.kind = f.constraint_kind;
      spec.columns = std::move(*cols);
      what += pk ? "PRIMARY KEY" : "UNIQUE";
      f.notes.push_back(
          "builds a unique index while holding the lock; build it first with "
          "CREATE UNIQUE INDEX CONCURRENTLY and add the constraint USING INDEX");
    }
    f.kind = StatementKind::kAddConstraint;
    f.command = "ALTER TABLE";
    f.table = *table;
    f.constraint = spec.name;
    f.detail.emplace().constraints.push_back(std::move(spec));
    RelationEffect& e = Touch(f, *table, lock);
    e.scan = e.scan || scan;
    f.summary = "ALTER TABLE " + *table + " " + what;
    return f;
  }
  if (name == "drop_index") {
    // DROP INDEX [CONCURRENTLY] [IF EXISTS] i
    std::optional<std::string> index = a.Str(0, "index_name");
    std::optional<std::string> qualified = index ? PlainTable(*index, a.Schema()) : std::nullopt;
    if (!qualified) return std::nullopt;
    SetKind(f, "drop_index");
    f.command = "DROP INDEX";
    f.if_exists = IsTrue(a.Keyword("if_exists"));
    f.concurrently = IsTrue(a.Keyword("postgresql_concurrently"));
    const LockMode lock =
        f.concurrently ? LockMode::kShareUpdateExclusive : LockMode::kAccessExclusive;
    Touch(f, *qualified, lock, RelationKind::kIndex).table_lock = lock;
    f.summary = (f.concurrently ? "DROP INDEX CONCURRENTLY " : "DROP INDEX ") + *qualified;
    f.no_transaction = f.concurrently;
    return f;
  }
  if (name == "create_index") {
    // CREATE [UNIQUE] INDEX [CONCURRENTLY] [[IF NOT EXISTS] i] ON t (c, ...), plain columns
    // only (no USING, WHERE or expressions).
    std::optional<std::string> index = a.NewName(0, "index_name");
    std::optional<std::string> t = a.batch() ? op.batch_table : a.Str(1, "table_name");
    const Expr* cols = a.Get(a.At(2), "columns");
    if (!index || !t || cols == nullptr ||
        (cols->kind != Kind::kList && cols->kind != Kind::kTuple) || cols->children.empty() ||
        a.Keyword("postgresql_using") != nullptr || a.Keyword("postgresql_where") != nullptr ||
        (!index->empty() && !PlainName(*index))) {
      return std::nullopt;
    }
    std::optional<std::string> table = PlainTable(*t, a.Schema());
    if (!table) return std::nullopt;
    ObjectDetail& detail = f.detail.emplace();
    for (const Expr& c : cols->children) {
      if (c.kind != Kind::kString || !PlainName(c.text)) return std::nullopt;
      detail.items.push_back(c.text);
    }
    const bool unique = IsTrue(a.Keyword("unique"));
    detail.unique = unique;
    f.kind = StatementKind::kCreateIndex;
    f.command = "CREATE INDEX";
    f.table = *table;
    f.concurrently = IsTrue(a.Keyword("postgresql_concurrently"));
    f.if_exists = !index->empty() && IsTrue(a.Keyword("if_not_exists"));
    f.constraint = *index;
    f.summary = std::string("CREATE ") + (unique ? "UNIQUE " : "") + "INDEX " +
                (f.concurrently ? "CONCURRENTLY " : "") + (index->empty() ? "" : *index + " ") +
                "ON " + *table;
    Touch(f, *table, f.concurrently ? LockMode::kShareUpdateExclusive : LockMode::kShare).scan =
        true;
    if (!index->empty()) {
      std::optional<std::string> schema = StringArg(a.Schema());
      const std::string qualified = schema ? *schema + "." + *index : *index;
      Touch(f, qualified, LockMode::kAccessExclusive, RelationKind::kIndex).created = true;
    }
    if (f.concurrently) {
      f.no_transaction = true;
      f.notes.push_back("a failed concurrent build leaves an INVALID index behind");
    }
    if (unique) f.can_fail_on_rows = true;
    return f;
  }
  return std::nullopt;
}

}  // namespace

std::optional<StatementFacts> DirectOpCallFacts(const OpCall& op, const SqlOptions& options) {
  std::optional<StatementFacts> f = DirectFacts(op, options);
  if (f) {
    f->begin = op.call.span.begin;
    f->end = op.call.span.end;
    f->anchor = op.name_span.begin;
    f->anchor_end = op.name_span.end;
  }
  return f;
}

}  // namespace alint
