#pragma once
/// Shared pieces of the statement rules (rules/ddl/, rules/data/): reading the statement's own
/// SQL text, and writing help code adapted to the migration's actual op call or table names.
/// (Reporting a statement with the downgrade() policy is RuleContext::ReportStatement.)

#include <string>
#include <string_view>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"

namespace alint::rulekit {

/// The first effect on a plain table the statement does not create, or nullptr.
const RelationEffect* ExistingTableEffect(const StatementFacts& f);

/// True when a statement after `s` in the same transaction and phase drops `table`: locking
/// the table just before it is dropped (autogenerate's downgrade drops indexes and constraints
/// first) adds nothing worth reporting. `s` must be an element of `a.statements`.
bool TableDroppedLater(const MigrationAnalysis& a, const PlannedStatement& s,
                       std::string_view table);

/// The SQL text of the whole statement when it came from a SQL string; "" for op calls.
std::string_view StatementSql(const PlannedStatement& s);

/// The SQL text of the anchored part (an ALTER TABLE subcommand, or the whole statement);
/// "" for op calls.
std::string_view AnchorSql(const PlannedStatement& s);

/// The op call's source on one line (whitespace outside string literals collapsed, no
/// trailing comma) with `keyword` (e.g. "postgresql_concurrently=True") added before the
/// closing parenthesis unless a keyword of that name is already given, in which case its
/// value is replaced. For help text that mirrors the user's own call.
std::string OpCallWith(const SourceFile& file, const OpCall& op, std::string_view keyword);

/// The op call's source on one line, unchanged otherwise.
std::string OpCallSource(const SourceFile& file, const OpCall& op);

/// Whether the statement is in a .sql file (run as psql runs it: SQL advice, not Python).
bool InSqlFile(const PlannedStatement& s);

/// How a .sql file's transaction is described in a message: "between BEGIN and COMMIT", or
/// "in the one transaction the file runs in (--assume-in-transaction)".
std::string SqlFileTransaction(const RuleContext& ctx);

/// `code` (one or more lines) wrapped in Alembic's autocommit block, indented 4 spaces:
/// "with op.get_context().autocommit_block():\n    <code>".
std::string InAutocommitBlock(std::string_view code);

/// `code` as an `op.execute("...")` line (double quotes, escaped as needed).
std::string OpExecute(std::string_view sql);

/// The text between the first '(' at or after `from` and its matching ')', trimmed; "" when
/// there is none. Used to lift a column list out of `UNIQUE (a, b)`.
std::string ParenthesizedAfter(std::string_view text, size_t from);

/// `sql` with " <word>" inserted after the first occurrence of keyword `after` (matched
/// case-insensitively as a whole word); `sql` unchanged when absent.
std::string InsertAfterKeyword(std::string_view sql, std::string_view after, std::string_view word);

/// `name` as a Python string literal: "name".
std::string Py(std::string_view name);

/// Case-insensitive search for `word` in `text`; npos when absent.
size_t FindIgnoreCase(std::string_view text, std::string_view word, size_t from = 0);

}  // namespace alint::rulekit
