#pragma once
/// The op model's reading of an op call's arguments and its PostgreSQL rendering of types,
/// server defaults and columns (lint/sql/op_model.cc), shared with the op calls' direct facts
/// (lint/sql/op_facts.cc). Internal to lint/sql.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/python/migration.h"

namespace alint::op_render {

using Kind = Expr::Kind;

/// A call's keyword argument `name`, or nullptr.
const Expr* Kw(const Expr& call, std::string_view name);
/// A call's positional arguments.
std::vector<const Expr*> Positionals(const Expr& call);
/// The last dotted component: "sa.dialects.postgresql.JSONB" -> "JSONB".
std::string LastName(const std::string& dotted);
bool IsTrue(const Expr* e);
bool IsFalse(const Expr* e);
/// A string literal's value, or nullopt.
std::optional<std::string> StringArg(const Expr* e);
/// A SQLAlchemy type expression -> PostgreSQL type text, or nullopt when it is not modelled.
std::optional<std::string> RenderType(const Expr& e);

/// A ForeignKey target's table: "orgs.id" -> (none, "orgs"), "public.orgs.id" -> ("public",
/// "orgs").
struct TargetName {
  std::optional<std::string> schema;
  std::string table;
};
TargetName TargetTableName(const std::string& target);

struct Default {
  std::string sql;  // empty: no server default
  bool unknown = false;
};

/// server_default=... -> the SQL after DEFAULT.
Default RenderDefault(const Expr* e);

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
  // What `rest` holds, in its order:
  std::string default_sql;       // after DEFAULT ("" without a server default)
  bool default_unknown = false;  // a default the model cannot print (alint_unknown_default())
  bool not_null = false;
  bool unique = false;
  bool generated = false;  // GENERATED ... AS IDENTITY, or a STORED computed column
};

/// An sa.Column(...) as Alembic renders it; foreign keys inline (REFERENCES) or kept apart.
std::optional<ColumnSql> RenderColumn(const Expr& col, bool inline_fks = true);

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

}  // namespace alint::op_render
