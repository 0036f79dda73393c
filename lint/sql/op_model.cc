// Alembic op calls -> the PostgreSQL DDL Alembic renders for them -> AnalyzeSql. Rendering
// follows alembic/ddl/postgresql.py and alembic/ddl/base.py (1.8); where Alembic's output does
// not change the facts (constraint names it would generate, column order) it is simplified.

#include "lint/sql/op_model.h"

#include <algorithm>
#include <cctype>

#include "lint/sql/op_render.h"

namespace alint {
namespace op_render {

const Expr* Kw(const Expr& call, std::string_view name) {
  for (size_t i = 0; i < call.children.size() && i < call.keywords.size(); ++i) {
    if (call.keywords[i] == name) return &call.children[i];
  }
  return nullptr;
}

std::vector<const Expr*> Positionals(const Expr& call) {
  std::vector<const Expr*> out;
  for (size_t i = 0; i < call.children.size(); ++i) {
    if (i >= call.keywords.size() || call.keywords[i].empty()) out.push_back(&call.children[i]);
  }
  return out;
}

// The last dotted component: "sa.dialects.postgresql.JSONB" -> "JSONB".
std::string LastName(const std::string& dotted) {
  size_t dot = dotted.rfind('.');
  return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool IsTrue(const Expr* e) { return e != nullptr && e->kind == Kind::kTrue; }
bool IsFalse(const Expr* e) { return e != nullptr && e->kind == Kind::kFalse; }

std::optional<std::string> StringArg(const Expr* e) {
  if (e == nullptr || e->kind != Kind::kString) return std::nullopt;
  return e->text;
}

std::string Quote(const std::string& ident) {
  std::string out = "\"";
  for (char c : ident) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Literal(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string Table(const std::string& name, const Expr* schema) {
  std::optional<std::string> s = StringArg(schema);
  return s ? Quote(*s) + "." + Quote(name) : Quote(name);
}

// "CONSTRAINT name " for a constraint call with a literal name=, else "".
std::string Named(const Expr& constraint_call) {
  std::optional<std::string> name = StringArg(Kw(constraint_call, "name"));
  return name && !name->empty() ? "CONSTRAINT " + Quote(*name) + " " : std::string();
}

TargetName TargetTableName(const std::string& target) {
  size_t dot = target.rfind('.');
  std::string table = dot == std::string::npos ? target : target.substr(0, dot);
  size_t schema_dot = table.find('.');
  if (schema_dot == std::string::npos) return {std::nullopt, table};
  return {table.substr(0, schema_dot), table.substr(schema_dot + 1)};
}

// "orgs.id" / "public.orgs.id" (a ForeignKey target) -> quoted table.
std::string TargetTable(const std::string& target) {
  TargetName n = TargetTableName(target);
  return n.schema ? Quote(*n.schema) + "." + Quote(n.table) : Quote(n.table);
}

std::optional<std::string> Number(const Expr* e) {
  if (e == nullptr || e->kind != Kind::kNumber) return std::nullopt;
  return e->text;
}

// A SQLAlchemy type expression -> PostgreSQL type text.
std::optional<std::string> RenderType(const Expr& e) {
  if (e.kind != Kind::kCall && e.kind != Kind::kAttribute && e.kind != Kind::kName) {
    return std::nullopt;
  }
  const std::string name = LastName(e.text);
  const std::string lower = Lower(name);
  std::vector<const Expr*> args =
      e.kind == Kind::kCall ? Positionals(e) : std::vector<const Expr*>();
  auto arg = [&](size_t i, std::string_view kw) -> std::optional<std::string> {
    if (e.kind != Kind::kCall) return std::nullopt;
    if (const Expr* k = Kw(e, kw)) return Number(k);
    return i < args.size() ? Number(args[i]) : std::nullopt;
  };
  if (lower == "integer" || lower == "int") return "integer";
  if (lower == "biginteger" || lower == "bigint") return "bigint";
  if (lower == "smallinteger" || lower == "smallint") return "smallint";
  if (lower == "string" || lower == "unicode" || lower == "varchar" || lower == "nvarchar") {
    std::optional<std::string> len = arg(0, "length");
    return len ? "varchar(" + *len + ")" : "varchar";
  }
  if (lower == "char" || lower == "nchar") {
    std::optional<std::string> len = arg(0, "length");
    return len ? "char(" + *len + ")" : "char";
  }
  if (lower == "text" || lower == "unicodetext" || lower == "citext") {
    return lower == "citext" ? "citext" : "text";
  }
  if (lower == "boolean") return "boolean";
  if (lower == "datetime" || lower == "timestamp") {
    const bool tz = e.kind == Kind::kCall && IsTrue(Kw(e, "timezone"));
    std::optional<std::string> p = arg(99, "precision");
    return std::string(tz ? "timestamptz" : "timestamp") + (p ? "(" + *p + ")" : "");
  }
  if (lower == "date") return "date";
  if (lower == "time") return "time";
  if (lower == "interval") return "interval";
  if (lower == "numeric" || lower == "decimal") {
    std::optional<std::string> p = arg(0, "precision");
    std::optional<std::string> s = arg(1, "scale");
    if (!p) return "numeric";
    return "numeric(" + *p + (s ? ", " + *s : "") + ")";
  }
  if (lower == "float" || lower == "double" || lower == "double_precision") {
    return "double precision";
  }
  if (lower == "real") return "real";
  if (lower == "largebinary" || lower == "bytea") return "bytea";
  if (lower == "json" || lower == "jsonb" || lower == "uuid" || lower == "inet" ||
      lower == "cidr" || lower == "macaddr" || lower == "tsvector" || lower == "money") {
    return lower;
  }
  if (lower == "array" && !args.empty()) {
    std::optional<std::string> inner = RenderType(*args[0]);
    return inner ? std::optional<std::string>(*inner + "[]") : std::nullopt;
  }
  if (lower == "enum") {
    if (e.kind == Kind::kCall && IsFalse(Kw(e, "native_enum"))) {
      // A VARCHAR as long as the longest label (SQLAlchemy's non-native enum).
      size_t longest = 0;
      for (const Expr* a : args) {
        if (a->kind != Kind::kString) return "varchar";
        longest = std::max(longest, a->text.size());
      }
      return longest > 0 ? "varchar(" + std::to_string(longest) + ")" : std::string("varchar");
    }
    if (std::optional<std::string> n = StringArg(Kw(e, "name"))) return Quote(*n);
    return std::nullopt;
  }
  return std::nullopt;
}

// The CREATE TYPE ... AS ENUM that create_table runs first for an `sa.Enum("a", "b",
// name="x")` / `postgresql.ENUM(...)` column (SQLAlchemy creates a native enum type with its
// table unless create_type=False); nullopt when there is none or its labels are not literals.
std::optional<std::string> EnumCreate(const Expr& e) {
  if (e.kind != Kind::kCall || Lower(LastName(e.text)) != "enum") return std::nullopt;
  if (IsFalse(Kw(e, "native_enum")) || IsFalse(Kw(e, "create_type"))) return std::nullopt;
  std::optional<std::string> name = StringArg(Kw(e, "name"));
  std::vector<const Expr*> labels = Positionals(e);
  if (!name || name->empty() || labels.empty()) return std::nullopt;
  std::string out = "CREATE TYPE " + Quote(*name) + " AS ENUM (";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i]->kind != Kind::kString) return std::nullopt;
    out += (i > 0 ? ", " : "") + Literal(labels[i]->text);
  }
  return out + ")";
}

// server_default=... -> the SQL after DEFAULT.
Default RenderDefault(const Expr* e) {
  if (e == nullptr || e->kind == Kind::kNone) return {};
  if (e->kind == Kind::kString) return {Literal(e->text)};
  if (e->kind == Kind::kNumber) return {e->text};
  if (e->kind == Kind::kCall) {
    const std::string callee = LastName(e->text);
    std::vector<const Expr*> args = Positionals(*e);
    if ((callee == "text" || callee == "literal_column") && !args.empty() &&
        args[0]->kind == Kind::kString) {
      return {args[0]->text};
    }
    if (callee == "true" || callee == "false") return {callee};
    if (e->text.find("func.") != std::string::npos && args.empty()) return {callee + "()"};
  }
  return {"", true};
}

// "orgs.id" -> quoted "id".
std::string TargetColumn(const std::string& target) {
  size_t dot = target.rfind('.');
  return Quote(dot == std::string::npos ? target : target.substr(dot + 1));
}

std::optional<ColumnSql> RenderColumn(const Expr& col, bool inline_fks) {
  if (col.kind != Kind::kCall || LastName(col.text) != "Column") return std::nullopt;
  std::vector<const Expr*> args = Positionals(col);
  size_t next = 0;
  std::optional<std::string> name;
  if (next < args.size() && args[next]->kind == Kind::kString) name = args[next++]->text;
  if (const Expr* n = Kw(col, "name")) name = StringArg(n);
  if (!name) return std::nullopt;
  std::optional<std::string> type;
  const Expr* type_expr = Kw(col, "type_");
  if (type_expr != nullptr) type = RenderType(*type_expr);
  ColumnSql out;
  out.name = *name;
  out.primary_key = IsTrue(Kw(col, "primary_key"));
  std::string constraints;
  bool has_foreign_key = false, has_identity_or_sequence = false;
  for (; next < args.size(); ++next) {
    const Expr& a = *args[next];
    const std::string callee = a.kind == Kind::kCall ? LastName(a.text) : "";
    if (callee == "ForeignKey") has_foreign_key = true;
    if (callee == "Identity" || callee == "Sequence") has_identity_or_sequence = true;
    if (callee == "ForeignKey") {
      std::vector<const Expr*> fk = Positionals(a);
      if (!fk.empty() && fk[0]->kind == Kind::kString) {
        if (inline_fks) {
          constraints += " REFERENCES " + TargetTable(fk[0]->text);
        } else {
          out.foreign_keys.push_back(fk[0]->text);
        }
      }
    } else if (callee == "Identity") {
      out.generated = true;
      constraints += IsTrue(Kw(a, "always")) ? " GENERATED ALWAYS AS IDENTITY"
                                             : " GENERATED BY DEFAULT AS IDENTITY";
    } else if (callee == "Computed") {
      std::vector<const Expr*> c = Positionals(a);
      const Expr* persisted = Kw(a, "persisted");
      if (!c.empty() && c[0]->kind == Kind::kString && !IsFalse(persisted)) {
        out.generated = true;
        constraints += " GENERATED ALWAYS AS (" + c[0]->text + ") STORED";
      }
    } else if (!type) {
      type = RenderType(a);
      type_expr = &a;
    }
  }
  if (!type) {
    type = "text";
    out.notes.push_back("column type not recognized; analyzed as text");
  }
  Default def = RenderDefault(Kw(col, "server_default"));
  if (def.unknown) {
    // A default PostgreSQL may have to evaluate per row; the SQL model treats an unknown
    // function as volatile.
    def.sql = "alint_unknown_default()";
    out.default_unknown = true;
    out.notes.push_back("server_default is not a literal: assumed volatile");
  }
  out.sql = Quote(*name) + " " + *type;
  const size_t type_end = out.sql.size();
  if (!def.sql.empty()) out.sql += " DEFAULT " + def.sql;
  out.default_sql = def.sql;
  // nullable defaults to True (False for primary_key columns).
  const Expr* nullable = Kw(col, "nullable");
  out.not_null = IsFalse(nullable) || (nullable == nullptr && IsTrue(Kw(col, "primary_key")));
  if (out.not_null) out.sql += " NOT NULL";
  out.unique = IsTrue(Kw(col, "unique"));
  if (out.unique) out.sql += " UNIQUE";
  out.sql += constraints;
  out.type = *type;
  out.rest = out.sql.substr(type_end);
  if (type_expr != nullptr) out.enum_create = EnumCreate(*type_expr);
  const Expr* autoinc = Kw(col, "autoincrement");
  const bool forced = IsTrue(autoinc);
  const bool integer = *type == "integer" || *type == "bigint" || *type == "smallint";
  out.autoincrement = integer && !IsFalse(autoinc) && Kw(col, "server_default") == nullptr &&
                      Kw(col, "default") == nullptr && !has_identity_or_sequence &&
                      (!has_foreign_key || forced);
  return out;
}

std::optional<std::vector<std::string>> Columns(const Expr* e) {
  if (e == nullptr || (e->kind != Kind::kList && e->kind != Kind::kTuple)) return std::nullopt;
  std::vector<std::string> out;
  for (const Expr& c : e->children) {
    if (c.kind == Kind::kString) {
      out.push_back(Quote(c.text));
    } else if (c.kind == Kind::kCall && LastName(c.text) == "text" && !c.children.empty() &&
               c.children[0].kind == Kind::kString) {
      out.push_back(c.children[0].text);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string JoinComma(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i > 0 ? ", " : "") + v[i];
  return out;
}

std::optional<std::string> SqlText(const Expr* e) {
  if (e == nullptr) return std::nullopt;
  if (e->kind == Kind::kString) return e->text;
  if (e->kind == Kind::kCall && LastName(e->text) == "text" && !e->children.empty() &&
      e->children[0].kind == Kind::kString) {
    return e->children[0].text;
  }
  return std::nullopt;
}

}  // namespace op_render

namespace {

using namespace op_render;

std::optional<std::vector<std::string>> Render(const OpCall& op, ColumnTypes* existing) {
  Args a(op);
  const std::string& name = op.name;
  using Out = std::vector<std::string>;
  auto alter = [&](const std::string& table) { return "ALTER TABLE " + table + " "; };
  if (name == "create_table") {
    std::optional<std::string> t = a.Str(0, "table_name");
    if (!t) return std::nullopt;
    std::vector<std::string> parts;
    std::vector<std::string> pk_columns;
    std::string pk_name;
    std::vector<std::pair<size_t, ColumnSql>> columns;  // index into parts, column
    std::vector<std::string> enums;                     // CREATE TYPE statements that run first
    std::vector<const Expr*> pos = Positionals(op.call);
    for (size_t i = 1; i < pos.size(); ++i) {
      const Expr& e = *pos[i];
      if (std::optional<ColumnSql> c = RenderColumn(e)) {
        parts.push_back(c->sql);
        if (c->primary_key) pk_columns.push_back(Quote(c->name));
        if (c->enum_create &&
            std::find(enums.begin(), enums.end(), *c->enum_create) == enums.end()) {
          enums.push_back(*c->enum_create);
        }
        columns.emplace_back(parts.size() - 1, *c);
      } else if (e.kind == Kind::kCall && LastName(e.text) == "ForeignKeyConstraint") {
        std::vector<const Expr*> fk = Positionals(e);
        std::optional<std::vector<std::string>> local =
            fk.size() > 0 ? Columns(fk[0]) : std::nullopt;
        if (fk.size() > 1 && fk[1]->kind == Kind::kList && !fk[1]->children.empty() &&
            fk[1]->children[0].kind == Kind::kString && local) {
          parts.push_back(Named(e) + "FOREIGN KEY (" + JoinComma(*local) + ") REFERENCES " +
                          TargetTable(fk[1]->children[0].text));
        }
      } else if (e.kind == Kind::kCall && (LastName(e.text) == "PrimaryKeyConstraint" ||
                                           LastName(e.text) == "UniqueConstraint")) {
        // Table constraints over named columns, as Alembic renders them.
        std::vector<std::string> cols;
        for (const Expr* col : Positionals(e)) {
          if (col->kind == Kind::kString) cols.push_back(Quote(col->text));
        }
        if (cols.empty()) continue;
        if (LastName(e.text) == "PrimaryKeyConstraint") {
          pk_name = Named(e);
          pk_columns = cols;
        } else {
          parts.push_back(Named(e) + "UNIQUE (" + JoinComma(cols) + ")");
        }
      } else if (e.kind == Kind::kCall && LastName(e.text) == "CheckConstraint") {
        std::vector<const Expr*> check = Positionals(e);
        if (!check.empty() && check[0]->kind == Kind::kString) {
          parts.push_back(Named(e) + "CHECK (" + check[0]->text + ")");
        }
      }
    }
    if (pk_columns.size() == 1) {
      for (const auto& [at, c] : columns) {
        if (Quote(c.name) != pk_columns[0] || !c.autoincrement) continue;
        const char* serial = c.type == "bigint"     ? "BIGSERIAL"
                             : c.type == "smallint" ? "SMALLSERIAL"
                                                    : "SERIAL";
        parts[at] = Quote(c.name) + " " + serial + c.rest;
      }
    }
    if (!pk_columns.empty())
      parts.push_back(pk_name + "PRIMARY KEY (" + JoinComma(pk_columns) + ")");
    enums.push_back("CREATE TABLE " + Table(*t, a.Schema()) + " (" + JoinComma(parts) + ")");
    return enums;
  }
  if (name == "drop_table") {
    std::optional<std::string> t = a.Str(0, "table_name");
    if (!t) return std::nullopt;
    return Out{"DROP TABLE " + Table(*t, a.Schema())};
  }
  if (name == "rename_table") {
    std::optional<std::string> from = a.Str(0, "old_table_name");
    std::optional<std::string> to = a.Str(1, "new_table_name");
    if (!from || !to) return std::nullopt;
    return Out{"ALTER TABLE " + Table(*from, a.Schema()) + " RENAME TO " + Quote(*to)};
  }
  std::optional<std::string> table = a.TableName(0, "table_name");
  if (name == "add_column") {
    const Expr* col = a.Get(a.At(1), "column");
    std::optional<ColumnSql> c =
        col != nullptr ? RenderColumn(*col, /*inline_fks=*/false) : std::nullopt;
    if (!table || !c) return std::nullopt;
    Out out{alter(Table(*table, a.Schema())) + "ADD COLUMN " + c->sql};
    // Alembic adds a column's ForeignKey as a separate, unnamed constraint.
    for (const std::string& target : c->foreign_keys) {
      out.push_back(alter(Table(*table, a.Schema())) + "ADD FOREIGN KEY(" + Quote(c->name) +
                    ") REFERENCES " + TargetTable(target) + " (" + TargetColumn(target) + ")");
    }
    return out;
  }
  if (name == "drop_column") {
    std::optional<std::string> c = a.Str(a.At(1), "column_name");
    if (!table || !c) return std::nullopt;
    return Out{alter(Table(*table, a.Schema())) + "DROP COLUMN " + Quote(*c)};
  }
  if (name == "alter_column") {
    std::optional<std::string> c = a.Str(a.At(1), "column_name");
    if (!table || !c) return std::nullopt;
    const std::string t = alter(Table(*table, a.Schema()));
    const std::string col = Quote(*c);
    Out out;
    if (const Expr* type = a.Keyword("type_")) {
      std::optional<std::string> rendered = RenderType(*type);
      if (!rendered) return std::nullopt;
      std::string sql = t + "ALTER COLUMN " + col + " TYPE " + *rendered;
      if (std::optional<std::string> using_expr = SqlText(a.Keyword("postgresql_using"))) {
        sql += " USING " + *using_expr;
      }
      out.push_back(sql);
      if (const Expr* old = a.Keyword("existing_type")) {
        if (std::optional<std::string> old_type = RenderType(*old)) {
          (*existing)[*table + "." + *c] = *old_type;
        }
      }
    }
    if (const Expr* nullable = a.Keyword("nullable")) {
      if (IsFalse(nullable)) out.push_back(t + "ALTER COLUMN " + col + " SET NOT NULL");
      if (IsTrue(nullable)) out.push_back(t + "ALTER COLUMN " + col + " DROP NOT NULL");
    }
    if (const Expr* def = a.Keyword("server_default"); def != nullptr && !IsFalse(def)) {
      Default d = RenderDefault(def);
      if (d.unknown) return std::nullopt;
      out.push_back(t + "ALTER COLUMN " + col +
                    (d.sql.empty() ? " DROP DEFAULT" : " SET DEFAULT " + d.sql));
    }
    if (std::optional<std::string> to = StringArg(a.Keyword("new_column_name"))) {
      out.push_back(t + "RENAME COLUMN " + col + " TO " + Quote(*to));
    }
    // comment= (None removes it): Alembic emits COMMENT ON COLUMN.
    if (const Expr* comment = a.Keyword("comment"); comment != nullptr && !IsFalse(comment)) {
      std::optional<std::string> text = StringArg(comment);
      if (!text && comment->kind != Kind::kNone) return std::nullopt;
      out.push_back("COMMENT ON COLUMN " + Table(*table, a.Schema()) + "." + col + " IS " +
                    (text ? Literal(*text) : std::string("NULL")));
    }
    return out;
  }
  if (name == "create_table_comment" || name == "drop_table_comment") {
    std::optional<std::string> text =
        name == "create_table_comment" ? a.Str(a.At(1), "comment") : std::nullopt;
    if (!table || (name == "create_table_comment" && !text)) return std::nullopt;
    return Out{"COMMENT ON TABLE " + Table(*table, a.Schema()) + " IS " +
               (text ? Literal(*text) : std::string("NULL"))};
  }
  if (name == "create_index") {
    std::optional<std::string> index = a.NewName(0, "index_name");
    std::optional<std::string> t = a.batch() ? op.batch_table : a.Str(1, "table_name");
    std::optional<std::vector<std::string>> cols = Columns(a.Get(a.At(2), "columns"));
    if (!index || !t || !cols) return std::nullopt;
    std::string sql =
        std::string("CREATE ") + (IsTrue(a.Keyword("unique")) ? "UNIQUE " : "") + "INDEX " +
        (IsTrue(a.Keyword("postgresql_concurrently")) ? "CONCURRENTLY " : "") +
        (index->empty()
             ? std::string()
             : (IsTrue(a.Keyword("if_not_exists")) ? "IF NOT EXISTS " : "") + Quote(*index) + " ") +
        "ON " + Table(*t, a.Schema());
    if (std::optional<std::string> using_method = StringArg(a.Keyword("postgresql_using"))) {
      sql += " USING " + *using_method;
    }
    sql += " (" + JoinComma(*cols) + ")";
    if (std::optional<std::string> where = SqlText(a.Keyword("postgresql_where"))) {
      sql += " WHERE " + *where;
    }
    return Out{sql};
  }
  if (name == "drop_index") {
    std::optional<std::string> index = a.Str(0, "index_name");
    if (!index) return std::nullopt;
    return Out{std::string("DROP INDEX ") +
               (IsTrue(a.Keyword("postgresql_concurrently")) ? "CONCURRENTLY " : "") +
               (IsTrue(a.Keyword("if_exists")) ? "IF EXISTS " : "") + Table(*index, a.Schema())};
  }
  if (name == "create_foreign_key") {
    std::optional<std::string> cname = a.ConstraintName(0, "constraint_name");
    std::optional<std::string> source = a.batch() ? op.batch_table : a.Str(1, "source_table");
    std::optional<std::string> referent = a.Str(a.At(2), "referent_table");
    std::optional<std::vector<std::string>> local = Columns(a.Get(a.At(3), "local_cols"));
    std::optional<std::vector<std::string>> remote = Columns(a.Get(a.At(4), "remote_cols"));
    if (!source || !referent || !local || !remote) return std::nullopt;
    std::string sql = alter(Table(*source, a.Keyword("source_schema"))) + "ADD " +
                      (cname ? "CONSTRAINT " + Quote(*cname) + " " : "") + "FOREIGN KEY(" +
                      JoinComma(*local) + ") REFERENCES " +
                      Table(*referent, a.Keyword("referent_schema")) + " (" + JoinComma(*remote) +
                      ")";
    if (IsTrue(a.Keyword("postgresql_not_valid"))) sql += " NOT VALID";
    return Out{sql};
  }
  if (name == "create_check_constraint") {
    std::optional<std::string> cname = a.ConstraintName(0, "constraint_name");
    std::optional<std::string> t = a.batch() ? op.batch_table : a.Str(1, "table_name");
    std::optional<std::string> cond = SqlText(a.Get(a.At(2), "condition"));
    if (!t || !cond) return std::nullopt;
    table = t;
    std::string sql = alter(Table(*table, a.Schema())) + "ADD " +
                      (cname ? "CONSTRAINT " + Quote(*cname) + " " : "") + "CHECK (" + *cond + ")";
    if (IsTrue(a.Keyword("postgresql_not_valid"))) sql += " NOT VALID";
    return Out{sql};
  }
  if (name == "create_unique_constraint" || name == "create_primary_key") {
    std::optional<std::string> cname = a.ConstraintName(0, "constraint_name");
    std::optional<std::string> t = a.batch() ? op.batch_table : a.Str(1, "table_name");
    std::optional<std::vector<std::string>> cols = Columns(a.Get(a.At(2), "columns"));
    if (!t || !cols) return std::nullopt;
    return Out{
        alter(Table(*t, a.Schema())) + "ADD " + (cname ? "CONSTRAINT " + Quote(*cname) + " " : "") +
        (name == "create_primary_key" ? "PRIMARY KEY" : "UNIQUE") + " (" + JoinComma(*cols) + ")"};
  }
  if (name == "create_exclude_constraint") {
    std::optional<std::string> cname = a.Str(0, "constraint_name");
    std::optional<std::string> t = a.batch() ? op.batch_table : a.Str(1, "table_name");
    if (!t) return std::nullopt;
    std::vector<std::string> elements;
    std::vector<const Expr*> pos = Positionals(op.call);
    for (size_t i = a.At(2); i < pos.size(); ++i) {
      const Expr& el = *pos[i];
      if (el.kind != Kind::kTuple || el.children.size() != 2) return std::nullopt;
      std::optional<std::string> what = SqlText(&el.children[0]);
      std::optional<std::string> op_text = StringArg(&el.children[1]);
      if (!what || !op_text) return std::nullopt;
      elements.push_back(*what + " WITH " + *op_text);
    }
    std::string method = StringArg(a.Keyword("using")).value_or("gist");
    return Out{alter(Table(*t, a.Schema())) + "ADD " +
               (cname ? "CONSTRAINT " + Quote(*cname) + " " : "") + "EXCLUDE USING " + method +
               " (" + JoinComma(elements) + ")"};
  }
  if (name == "drop_constraint") {
    std::optional<std::string> cname = a.Str(0, "constraint_name");
    std::optional<std::string> t = a.batch() ? op.batch_table : a.Str(1, "table_name");
    if (!cname || !t) return std::nullopt;
    return Out{alter(Table(*t, a.Schema())) + "DROP CONSTRAINT " + Quote(*cname)};
  }
  if (name == "bulk_insert") {
    const Expr* t = a.Get(0, "table");
    std::optional<std::string> tname;
    if (t != nullptr && t->kind == Kind::kCall &&
        (LastName(t->text) == "table" || LastName(t->text) == "Table")) {
      tname = StringArg(t->children.empty() ? nullptr : &t->children[0]);
    }
    if (!tname) return std::nullopt;
    // One INSERT per row, as Alembic renders them offline (the values change no lock).
    const Expr* rows = a.Get(1, "rows");
    size_t n = 1;
    if (rows != nullptr && (rows->kind == Kind::kList || rows->kind == Kind::kTuple)) {
      n = std::max<size_t>(1, rows->children.size());
    }
    return Out(n, "INSERT INTO " + Quote(*tname) + " DEFAULT VALUES");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<std::string>> RenderOpSql(const OpCall& op) {
  ColumnTypes ignored;
  return Render(op, &ignored);
}

std::vector<StatementFacts> AnalyzeOpCall(const OpCall& op, const SqlOptions& options) {
  if (std::optional<StatementFacts> f = DirectOpCallFacts(op, options)) {
    std::vector<StatementFacts> out;
    out.push_back(std::move(*f));
    return out;
  }
  return AnalyzeOpCallViaSql(op, options);
}

std::vector<StatementFacts> AnalyzeOpCallViaSql(const OpCall& op, const SqlOptions& options) {
  ColumnTypes added;  // what the call itself says (alter_column's existing_type)
  std::optional<std::vector<std::string>> sql = Render(op, &added);
  std::vector<StatementFacts> out;
  if (!sql) return out;
  SqlOptions local = options;
  ColumnTypes merged;
  if (!added.empty()) {
    // Copied only then: copying the known types for every call made a migration's analysis
    // quadratic (they grow with every add_column).
    if (options.column_types != nullptr) merged = *options.column_types;
    for (auto& [column, type] : added) merged[column] = std::move(type);
    local.column_types = &merged;
  }
  std::string text;
  for (const std::string& s : *sql) text += s + ";\n";
  SqlAnalysis analysis = AnalyzeSql(text, local);
  if (analysis.error) return out;
  for (StatementFacts& f : analysis.facts) {
    f.begin = op.call.span.begin;
    f.end = op.call.span.end;
    f.anchor = op.name_span.begin;
    f.anchor_end = op.name_span.end;
    for (std::string& note : f.notes) {
      if (note.find("alint_unknown_default") != std::string::npos) {
        note = "server_default is not a literal: assumed volatile (table rewrite)";
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace alint
