#pragma once
/// Facts about one Alembic migration file, read statically with tree-sitter-python (nothing is
/// ever imported or executed). Every fact carries a byte span into its SourceFile.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lint/core/source.h"

namespace alint {

/// A string literal's value with the span of the literal expression in the .py file.
struct StringItem {
  std::string value;
  Span span;
};

/// How a module-level identifier (revision, down_revision, branch_labels, depends_on) is set.
enum class ValueKind : uint8_t {
  kAbsent,     ///< not assigned at module level
  kNone,       ///< `= None`
  kString,     ///< one string (items has exactly one element)
  kSequence,   ///< a tuple or list of strings, possibly empty
  kNotLiteral  ///< something that needs executing to know (a name, call, f-string, ...)
};

struct RevisionValue {
  ValueKind kind = ValueKind::kAbsent;
  std::vector<StringItem> items;  ///< the strings, in source order
  Span target;                    ///< the identifier being assigned (anchor for findings)
  Span value;                     ///< the whole right-hand side
  std::string source;             ///< the right-hand side's text (for kNotLiteral messages)
  uint32_t assignments = 0;       ///< how many module-level assignments (the last one wins)
  /// The last assignment sits inside a module-level if/try/with/for/while block, so which
  /// value Alembic sees depends on running the file (kind is then kNotLiteral).
  bool conditional = false;
  /// Set when the value was written as an imported constant and read from the module that
  /// defines it (lint/python/const_resolve.h): "myproject.db.migration.cli.CONTRACT_BRANCH".
  std::string resolved_from;
  /// kNotLiteral values only: why it could not be resolved statically, when that was tried.
  std::string unresolved;

  bool present() const { return kind != ValueKind::kAbsent; }
  /// The ids named, for kString/kSequence; empty otherwise.
  std::vector<std::string> Values() const;
};

/// One `Key: value` line of the module docstring header (`Revision ID:`, `Revises:`,
/// `Create Date:`).
struct DocField {
  std::string value;  ///< trimmed text after the colon
  Span span;          ///< the value's bytes in the file
};

struct Docstring {
  bool present = false;
  Span span;
  std::optional<DocField> revision_id;
  std::optional<DocField> revises;
  std::optional<DocField> create_date;
};

/// A syntax error tree-sitter recovered from.
struct SyntaxProblem {
  Span span;
  std::string message;
  /// The file was not read or not parsed at all (too large, unreadable): nothing is known
  /// about it, rather than "Python would refuse it".
  bool not_read = false;
  /// CPython still imports the file (invalid UTF-8 inside comments only): worth fixing, but
  /// Alembic loads it.
  bool python_accepts = false;
  /// With not_read: the file cannot be read at all (not a regular file, no permission), so
  /// Alembic's import fails on it too (or blocks forever on a FIFO). Without it, not_read is
  /// only alembic-lint's own limit (a file over the size limit), which Alembic would load.
  bool unreadable = false;
};

/// A `# alembic-lint: ignore[...]` / `ignore-file[...]` comment.
struct Suppression {
  Span span;                      ///< the comment
  std::vector<StringItem> rules;  ///< rule names with their spans inside the comment
  bool file_level = false;        ///< ignore-file[...]
  uint32_t line = 0;              ///< 1-based line of the comment
  bool own_line = false;          ///< the comment is alone on its line (applies to the next line)
  std::string reason;             ///< text after the closing bracket, trimmed
  std::string malformed;          ///< non-empty: why the comment could not be read
};

// ---------------------------------------------------------------------------------------
// Body facts (what upgrade()/downgrade() do). Filled only by a full parse.

/// Where a statement sits.
enum class Phase : uint8_t { kModule, kUpgrade, kDowngrade, kOther };

/// A small, literal-oriented view of a Python expression: enough to read op.* arguments
/// (`sa.Column("x", sa.Integer(), nullable=False, server_default=sa.text("now()"))`).
struct Expr {
  enum class Kind : uint8_t {
    kString,  ///< text = the string value (implicit concatenation joined)
    kNumber,  ///< text = the literal as written
    kTrue,
    kFalse,
    kNone,
    kName,       ///< text = identifier
    kAttribute,  ///< text = dotted path ("sa.Integer", "postgresql.JSONB")
    kCall,       ///< text = dotted callee; children = arguments; keywords parallel
    kList,       ///< children = elements
    kTuple,      ///< children = elements
    kDict,       ///< children = alternating key, value
    kFString,    ///< text = the source of the f-string
    kOther       ///< text = source text
  };
  Kind kind = Kind::kOther;
  std::string text;
  Span span;
  std::vector<Expr> children;
  std::vector<std::string> keywords;  ///< for kCall: "" for positional args, else the keyword

  /// For kCall: the keyword argument named `name`, or nullptr.
  const Expr* Keyword(const std::string& name) const;
  /// For kCall: the i-th positional argument, or nullptr.
  const Expr* Positional(size_t i) const;

  friend bool operator==(const Expr&, const Expr&) = default;
};

/// A segment of a SQL string: bytes [sql_begin, sql_begin+length) of the SQL text came from
/// bytes [file_begin, file_begin+length) of the .py file one-to-one. Escape sequences get a
/// segment of their own whose `exact` is false (every SQL byte maps to its start).
struct SqlSegment {
  uint32_t sql_begin = 0;
  uint32_t file_begin = 0;
  uint32_t length = 0;
  bool exact = true;
  /// Bytes the segment covers in the file: `length` when exact, the escape's length otherwise.
  uint32_t file_length = 0;

  friend bool operator==(const SqlSegment&, const SqlSegment&) = default;
};

/// A SQL text found in the migration, with the map back into the .py file.
struct SqlString {
  std::string text;
  Span span;                         ///< the whole literal expression
  std::vector<SqlSegment> segments;  ///< sorted by sql_begin
  Phase phase = Phase::kOther;
  bool in_autocommit_block = false;
  std::string via;     ///< "op.execute", "sa.text", "conn.execute", ...
  uint32_t order = 0;  ///< position among ops and SQL of the same function
  int32_t guard = -1;  ///< index into Migration::guards when an error here is swallowed

  /// File offset of SQL offset `sql_offset`. An offset inside an escape sequence maps to the
  /// escape's first byte; `text.size()` maps to just after the last SQL byte in the file.
  uint32_t FileOffset(uint32_t sql_offset) const;

  friend bool operator==(const SqlString&, const SqlString&) = default;
};

/// Where a failing statement does not stop the migration: a `try:` whose `except` catches
/// database errors (a bare `except:`, `Exception`, SQLAlchemy's or a driver's errors) and
/// neither re-raises nor exits, or a `with contextlib.suppress(...)` of such errors. A
/// `try:` that opens a savepoint (`begin_nested()`) is not one: the failure is rolled back
/// to it.
struct ErrorGuard {
  Span handler;         ///< the `except ...:` clause up to its colon, or the suppress() call
  std::string catches;  ///< the exceptions as written ("IntegrityError"); "" for a bare except
  /// What the handler does instead: "`pass`", "`continue`", "logs it", "does not re-raise",
  /// "`contextlib.suppress`".
  std::string how;
  Phase phase = Phase::kOther;
};

/// SQL that is built at run time (f-string, .format, % on a variable, a variable).
struct DynamicSql {
  Span span;
  std::string via;
  std::string why;  ///< "f-string", "str.format", "%-formatting", "variable `sql`"
  Phase phase = Phase::kOther;
  int32_t guard = -1;  ///< index into Migration::guards when an error here is swallowed

  friend bool operator==(const DynamicSql&, const DynamicSql&) = default;
};

/// An `op.<name>(...)` (or `batch_op.<name>(...)`) call.
struct OpCall {
  std::string name;      ///< "create_index", "add_column", ...
  std::string receiver;  ///< "op" or the batch variable name
  Expr call;             ///< the whole call (children/keywords are its arguments)
  Span name_span;        ///< the attribute name (anchor for findings)
  Phase phase = Phase::kOther;
  bool in_autocommit_block = false;
  std::optional<std::string> batch_table;  ///< for calls on a batch_alter_table() variable
  uint32_t order = 0;                      ///< position among ops and SQL of the same function
  int32_t guard = -1;  ///< index into Migration::guards when an error here is swallowed

  friend bool operator==(const OpCall&, const OpCall&) = default;
};

/// How a migration function is written, for reversibility: not there, empty (only `pass`,
/// `...`, a docstring or comments), only raising (`raise NotImplementedError(...)`), or
/// anything else.
enum class BodyShape : uint8_t { kAbsent, kEmpty, kRaises, kCode };

/// All facts of one migration file.
struct Migration {
  FileId file = kNoFile;
  RevisionValue revision;
  RevisionValue down_revision;
  RevisionValue branch_labels;
  RevisionValue depends_on;
  Docstring docstring;
  std::vector<SyntaxProblem> syntax_problems;
  std::vector<Suppression> suppressions;

  /// True when the whole file was parsed (body facts below are filled); false for the fast
  /// header-only read used by graph-only work.
  bool full = false;
  bool has_upgrade = false;
  bool has_downgrade = false;
  BodyShape downgrade_shape = BodyShape::kAbsent;  ///< of the module-level `def downgrade`
  Span upgrade_name;    ///< the name in `def upgrade` (empty span when absent)
  Span downgrade_name;  ///< the name in `def downgrade`
  std::vector<OpCall> ops;
  std::vector<SqlString> sql;
  std::vector<DynamicSql> dynamic_sql;
  std::vector<ErrorGuard> guards;

  /// A .sql file given to the linter (MigrationFromSqlFile): SQL only, no upgrade() or
  /// downgrade() to speak of.
  bool FromSqlFile() const {
    return ops.empty() && sql.size() == 1 && sql.front().via == "sql file";
  }
};

}  // namespace alint
