#pragma once
/// Internals shared by the lint/sql/*.cc files that read libpg_query's JSON parse tree. Not
/// part of the public API (see sql_facts.h).

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lint/sql/pg_json.h"
#include "lint/sql/sql_facts.h"

namespace alint::sql_internal {

/// Member `key` of object `j`, or nullptr.
JsonPtr Get(const Json& j, std::string_view key);
std::string Str(const Json& j, std::string_view key);
bool Bool(const Json& j, std::string_view key);
int Int(const Json& j, std::string_view key, int fallback = 0);

/// A parse-tree node is {"TypeName": {fields}}: its type name and fields (nullptr if `j` is
/// not a node).
std::string_view NodeType(const Json& j);
JsonPtr NodeBody(const Json& j);
/// Fields of `j` if it is a node of type `type`, else nullptr.
JsonPtr As(const Json& j, std::string_view type);

/// "schema.name" / "name" of a RangeVar body.
std::string RangeVarName(const Json& range_var);
/// The strings of a list of String nodes (["public", "users"]).
std::vector<std::string> Strings(JsonPtr list);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

/// A column type as PostgreSQL names it: base name ("character varying", "integer"), type
/// modifiers and array-ness.
struct TypeInfo {
  std::string base;
  std::vector<int> mods;
  bool array = false;
  bool serial = false;  ///< written serial/bigserial/smallserial (an integer with a sequence)
  std::string Display() const;  ///< "character varying(20)", "integer[]"
};
/// The TypeInfo of a TypeName body.
TypeInfo ReadType(const Json& type_name);
/// Parses a type written as text ("varchar(20)", "numeric(10, 2)"); nullopt if it is not one.
std::optional<TypeInfo> ParseTypeText(std::string_view text);

enum class Volatility : uint8_t { kConstant, kImmutable, kStable, kVolatile, kUnknown };
/// How PostgreSQL reads `DEFAULT <text>` in a column definition: printed as ExprText prints
/// it, with its volatility and the function that decides it.
struct DefaultReading {
  bool null_default = false;  ///< DEFAULT NULL: no default
  std::string text;           ///< ExprText of the expression ("now()", "'x'", "0")
  Volatility volatility = Volatility::kConstant;
  std::string culprit;  ///< ClassifyExpression's culprit
};
/// nullopt unless `text` is one default expression and nothing else (a column constraint or a
/// second column written into it, placeholders, bytes outside printable ASCII).
std::optional<DefaultReading> ParseDefaultText(std::string_view text);

/// `types`' entry for `key` ("table.column"), or nullptr (also when `types` is null).
const std::string* FindColumnType(const ColumnTypes* types, const std::string& key);
/// The known type of `table`.`column`: by the name as written, then, for a schema-qualified
/// table, by the bare one; `find(key)` looks one "table.column" key up. nullptr when neither.
const std::string* KnownColumnType(
    const std::string& table, const std::string& column,
    const std::function<const std::string*(const std::string& key)>& find);

/// What changing a column from one type to another does to the rows.
struct TypeChange {
  bool rewrite = true;
  bool can_fail = true;
  bool data_loss = false;
  bool uncertain = false;
  std::string note;
};
/// `from` unknown: the worst plausible case, marked uncertain.
TypeChange ClassifyTypeChange(const std::optional<TypeInfo>& from, const TypeInfo& to,
                              int pg_version);

/// The volatility of a default expression (an expression node) and the function that decided
/// it ("clock_timestamp").
Volatility ClassifyExpression(const Json& expr, std::string* culprit);

/// A default or index expression as SQL text, for the schema model ("now()", "'x'::text",
/// "-1"); "(expression)" for forms it does not print. `sql`: the text the tree was parsed from.
std::string ExprText(const Json& expr, std::string_view sql);
ConstraintKind ReadConstraintKind(const std::string& contype);
/// `col` when a CHECK constraint's expression is `col IS NOT NULL`, else "".
std::string NotNullCheckColumn(const Json& constraint);
/// A Constraint body as the model keeps it; nullopt for column properties (NULL, NOT NULL,
/// DEFAULT, IDENTITY, GENERATED, DEFERRABLE). `column`: the column it is written on, if any.
std::optional<ConstraintSpec> ReadConstraintSpec(const Json& con, const std::string& column);
/// A ColumnDef body; its inline constraints go to `constraints` when given.
ColumnSpec ReadColumnSpec(const Json& col, std::string_view sql,
                          std::vector<ConstraintSpec>* constraints);

/// State carried from statement to statement of one SQL text (a constraint added NOT VALID
/// and validated later, a CHECK (col IS NOT NULL) that lets SET NOT NULL skip its scan).
struct TextState {
  struct Constraint {
    std::string not_null_column;  ///< CHECK (col IS NOT NULL)
    std::string referenced;       ///< FOREIGN KEY: the referenced table
    bool valid = false;
  };
  std::map<std::string, Constraint> constraints;  ///< "table|constraint"
  std::set<std::string> not_null_proven;          ///< "table|column" with a valid CHECK
};

struct Context {
  std::string_view sql;
  const SqlOptions& options;
  TextState state;
};

/// Sets `f.kind` from a stable name built from the parse tree ("drop_" + object word,
/// "transaction." + kind, a statement type's snake name): the StatementKind of that name, or
/// kOther keeping the name in `other_kind`.
void SetKind(StatementFacts& f, std::string name);

/// An ALTER TABLE subcommand kind's name without "alter_table." ("add_column"): what ALTER
/// INDEX / VIEW / ... name the same subcommand after their own prefix.
std::string AlterSubcommandName(StatementKind kind);

/// Adds or strengthens `relation`'s effect in `facts`; returns it.
RelationEffect& Touch(StatementFacts& facts, const std::string& relation, LockMode lock,
                      RelationKind kind = RelationKind::kTable);

/// What ADD COLUMN's default and NOT NULL cost on a table that has rows: a default of
/// volatility `worst` (decided by `culprit`) rewrites it when volatile, or before PostgreSQL 11;
/// NOT NULL without a default scans it and fails on any row. Adds the flags and notes to `f`;
/// sets `rewrite` / `scan` (only ever to true).
void AddColumnCost(bool has_default, Volatility worst, const std::string& culprit, bool not_null,
                   int pg_version, StatementFacts& f, bool& rewrite, bool& scan);

/// ALTER TABLE / ALTER INDEX / ...: one StatementFacts per subcommand.
void AnalyzeAlterTable(const Json& stmt, const StatementFacts& base, Context& ctx,
                       std::vector<StatementFacts>& out);

}  // namespace alint::sql_internal
