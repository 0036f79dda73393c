// Alembic op calls -> the PostgreSQL DDL Alembic renders for them -> AnalyzeSql. Rendering
// follows alembic/ddl/postgresql.py and alembic/ddl/base.py (1.8); where Alembic's output does
// not change the facts (constraint names it would generate, column order) it is simplified.

#include "lint/sql/op_model.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "lint/sql/analyze_internal.h"

namespace alint {
namespace {

using Kind = Expr::Kind;

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

// "orgs.id" / "public.orgs.id" (a ForeignKey target) -> quoted table.
std::string TargetTable(const std::string& target) {
  size_t dot = target.rfind('.');
  std::string table = dot == std::string::npos ? target : target.substr(0, dot);
  size_t schema_dot = table.find('.');
  if (schema_dot == std::string::npos) return Quote(table);
  return Quote(table.substr(0, schema_dot)) + "." + Quote(table.substr(schema_dot + 1));
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

struct Default {
  std::string sql;  // empty: no server default
  bool unknown = false;
};

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

struct ColumnSql {
  std::string name;
  std::string sql;                        // "name type [constraints]"
  std::vector<std::string> foreign_keys;  // ForeignKey targets not rendered inline
  std::vector<std::string> notes;
  bool primary_key = false;  // primary_key=True: part of the table's PRIMARY KEY
  // SQLAlchemy would make it the table's autoincrement column if it is its only primary key
  // column (an integer type, no server_default, default, Identity or Sequence, no ForeignKey
  // unless autoincrement=True): CREATE TABLE then renders SERIAL / BIGSERIAL / SMALLSERIAL.
  bool autoincrement = false;
  std::string type;                        // as rendered
  std::string rest;                        // what follows the type in `sql`
  std::optional<std::string> enum_create;  // the CREATE TYPE its enum type needs first
};

std::optional<ColumnSql> RenderColumn(const Expr& col, bool inline_fks = true) {
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
      constraints += IsTrue(Kw(a, "always")) ? " GENERATED ALWAYS AS IDENTITY"
                                             : " GENERATED BY DEFAULT AS IDENTITY";
    } else if (callee == "Computed") {
      std::vector<const Expr*> c = Positionals(a);
      const Expr* persisted = Kw(a, "persisted");
      if (!c.empty() && c[0]->kind == Kind::kString && !IsFalse(persisted)) {
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
    out.notes.push_back("server_default is not a literal: assumed volatile");
  }
  out.sql = Quote(*name) + " " + *type;
  const size_t type_end = out.sql.size();
  if (!def.sql.empty()) out.sql += " DEFAULT " + def.sql;
  // nullable defaults to True (False for primary_key columns).
  const Expr* nullable = Kw(col, "nullable");
  if (IsFalse(nullable) || (nullable == nullptr && IsTrue(Kw(col, "primary_key")))) {
    out.sql += " NOT NULL";
  }
  if (IsTrue(Kw(col, "unique"))) out.sql += " UNIQUE";
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

// Argument access that accounts for batch ops (no table argument) and keywords.
class Args {
 public:
  explicit Args(const OpCall& op) : op_(op), pos_(Positionals(op.call)) {}
  bool batch() const { return op_.batch_table.has_value(); }
  const Expr* Get(size_t index, std::string_view kw) const {
    if (const Expr* k = Kw(op_.call, kw)) return k;
    return index < pos_.size() ? pos_[index] : nullptr;
  }
  std::optional<std::string> Str(size_t index, std::string_view kw) const {
    return StringArg(Get(index, kw));
  }
  // The name of an object the op creates; "" for `None`, which lets the naming convention (or
  // PostgreSQL) name it and changes nothing about the locks.
  std::optional<std::string> NewName(size_t index, std::string_view kw) const {
    const Expr* e = Get(index, kw);
    if (e != nullptr && e->kind == Kind::kNone) return std::string();
    return StringArg(e);
  }
  // A constraint's name, or nothing when the op leaves it to the naming convention (`None`) or
  // computes it: the SQL then has no CONSTRAINT clause, as PostgreSQL names it itself, and
  // messages say "a foreign key" rather than inventing a name.
  std::optional<std::string> ConstraintName(size_t index, std::string_view kw) const {
    return StringArg(Get(index, kw));
  }
  // The table: batch_table for batch ops, else the argument at `index`/`kw`.
  std::optional<std::string> TableName(size_t index, std::string_view kw) const {
    if (batch()) return op_.batch_table;
    return Str(index, kw);
  }
  // Positional index shifted left by one for batch ops (which lack the table argument).
  size_t At(size_t index_with_table) const {
    return batch() ? index_with_table - 1 : index_with_table;
  }
  const Expr* Schema() const { return Kw(op_.call, "schema"); }
  const Expr* Keyword(std::string_view kw) const { return Kw(op_.call, kw); }

 private:
  const OpCall& op_;
  std::vector<const Expr*> pos_;
};

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

// What PostgreSQL reads a rendered type as (ParseTypeText: libpg_query once per distinct type
// text and thread; a project has a few dozen). nullptr when it is not a type. The pointer is
// valid until the next call (a full cache is cleared).
const sql_internal::TypeInfo* TypeOf(const std::string& text) {
  thread_local std::unordered_map<std::string, std::optional<sql_internal::TypeInfo>> cache;
  auto it = cache.find(text);
  if (it == cache.end()) {
    if (cache.size() >= 4096) cache.clear();  // hostile input: bounded, never wrong
    it = cache.emplace(text, sql_internal::ParseTypeText(text)).first;
  }
  return it->second ? &*it->second : nullptr;
}

// What PostgreSQL reads `DEFAULT <sql>` as (ParseDefaultText, cached per thread like TypeOf);
// nullptr when it is not one lone default expression. Valid until the next call.
const sql_internal::DefaultReading* DefaultOf(const std::string& sql) {
  thread_local std::unordered_map<std::string, std::optional<sql_internal::DefaultReading>> cache;
  auto it = cache.find(sql);
  if (it == cache.end()) {
    if (cache.size() >= 4096) cache.clear();
    it = cache.emplace(sql, sql_internal::ParseDefaultText(sql)).first;
  }
  return it->second ? &*it->second : nullptr;
}

// A column Render writes as `name type [DEFAULT d] [NOT NULL] [UNIQUE]` (foreign keys kept
// apart), read as PostgreSQL reads it; nullopt for anything else (identity, computed, a
// default the model cannot print, a name or type PostgreSQL would read differently).
struct PlainColumn {
  ColumnSql sql;
  ColumnSpec spec;
  bool unique = false;
  const sql_internal::DefaultReading* default_reading = nullptr;  // a non-NULL default
};
std::optional<PlainColumn> ReadPlainColumn(const Expr& e) {
  std::optional<ColumnSql> c = RenderColumn(e, /*inline_fks=*/false);
  if (!c || !PlainName(c->name)) return std::nullopt;
  Default def = RenderDefault(Kw(e, "server_default"));
  if (def.unknown) return std::nullopt;
  const sql_internal::DefaultReading* reading = nullptr;
  std::string rest = c->rest;
  if (!def.sql.empty()) {
    const std::string prefix = " DEFAULT " + def.sql;
    reading = DefaultOf(def.sql);
    if (reading == nullptr || rest.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
    rest.erase(0, prefix.size());
  }
  PlainColumn out;
  out.spec.not_null = rest == " NOT NULL" || rest == " NOT NULL UNIQUE";
  out.unique = rest == " UNIQUE" || rest == " NOT NULL UNIQUE";
  if (!rest.empty() && !out.spec.not_null && !out.unique) return std::nullopt;
  const sql_internal::TypeInfo* type = TypeOf(c->type);
  if (type == nullptr || type->serial) return std::nullopt;
  out.spec.name = c->name;
  out.spec.type = type->Display();
  if (reading != nullptr && !reading->null_default) {
    out.spec.has_default = true;
    out.spec.default_expr = reading->text;
    out.default_reading = reading;
  }
  out.sql = std::move(*c);
  return out;
}

// TargetTable(target) as PostgreSQL names it back, or nullopt.
std::optional<std::string> PlainTarget(const std::string& target) {
  size_t dot = target.rfind('.');
  std::string table = dot == std::string::npos ? target : target.substr(0, dot);
  size_t schema_dot = table.find('.');
  if (schema_dot == std::string::npos) {
    return PlainName(table) ? std::optional<std::string>(table) : std::nullopt;
  }
  std::string schema = table.substr(0, schema_dot);
  std::string rel = table.substr(schema_dot + 1);
  if (!PlainName(schema) || !PlainName(rel)) return std::nullopt;
  return schema + "." + rel;
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
      const sql_internal::TypeInfo* serial = TypeOf(c.sql.type == "bigint"     ? "BIGSERIAL"
                                                    : c.sql.type == "smallint" ? "SMALLSERIAL"
                                                                               : "SERIAL");
      if (serial == nullptr || !serial->serial) return std::nullopt;
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
    const sql_internal::DefaultReading* def = c->default_reading;
    f.kind = StatementKind::kAddColumn;
    f.command = "ALTER TABLE";
    f.table = *table;
    f.column = c->spec.name;
    f.new_type = c->spec.type;
    f.detail.emplace().columns.push_back(std::move(c->spec));
    bool rewrite = false;
    if (def != nullptr) {
      using sql_internal::Volatility;
      if (def->volatility >= Volatility::kVolatile) {
        rewrite = true;
        if (def->volatility == Volatility::kUnknown) {
          f.rewrite_uncertain = true;
          f.notes.push_back("default calls " + def->culprit +
                            ", whose volatility is unknown: assumed volatile (table rewrite)");
        } else {
          f.notes.push_back("volatile default " + def->culprit + " is evaluated for every row");
        }
      } else if (pg_version < 11) {
        rewrite = true;
        f.notes.push_back("before PostgreSQL 11 any non-null default rewrites the table");
      }
    }
    bool scan = rewrite;
    if (not_null && def == nullptr) {
      // PostgreSQL verifies the new column has no NULLs: a scan, failing on any row.
      scan = true;
      f.can_fail_on_rows = true;
      f.not_null_without_default = true;
      f.notes.push_back("NOT NULL without a default fails when the table has rows");
    }
    RelationEffect& e = Touch(f, *table, LockMode::kAccessExclusive);
    e.rewrite = rewrite;
    e.scan = scan;
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
      const sql_internal::TypeInfo* to_type = rendered ? TypeOf(*rendered) : nullptr;
      if (to_type == nullptr) return std::nullopt;
      const sql_internal::TypeInfo to = *to_type;  // TypeOf is called again below
      // The current type: the call's own existing_type= (keyed by the table as written),
      // else what the options know, by the qualified name then the bare one.
      std::optional<std::string> existing;
      if (const Expr* old = a.Keyword("existing_type")) existing = RenderType(*old);
      auto known = [&](const std::string& key) -> const std::string* {
        if (existing && key == *t + "." + *c) return &*existing;
        if (options.column_types != nullptr) {
          auto it = options.column_types->find(key);
          if (it != options.column_types->end()) return &it->second;
        }
        return nullptr;
      };
      const std::string* from_text = known(*table + "." + *c);
      if (from_text == nullptr && table->find('.') != std::string::npos) {
        from_text = known(table->substr(table->find('.') + 1) + "." + *c);
      }
      std::optional<sql_internal::TypeInfo> from;
      if (from_text != nullptr) {
        if (const sql_internal::TypeInfo* known_type = TypeOf(*from_text)) from = *known_type;
      }
      sql_internal::TypeChange change = sql_internal::ClassifyTypeChange(from, to, pg_version);
      f.kind = StatementKind::kAlterColumnType;
      f.new_type = to.Display();
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

std::optional<std::vector<std::string>> RenderOpSql(const OpCall& op) {
  ColumnTypes ignored;
  return Render(op, &ignored);
}

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
