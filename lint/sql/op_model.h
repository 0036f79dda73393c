#pragma once
/// The SQL model applied to Alembic operations: `op.add_column(...)`, `op.create_index(...)`,
/// `batch_op.alter_column(...)`. Each modelled call is rendered to the PostgreSQL DDL Alembic
/// emits for it (tests/pg/alembic_cross_check.py compares with Alembic's offline output) and
/// analyzed by AnalyzeSql, so an op and the equivalent raw SQL get the same facts. The most
/// common plain calls skip the rendering and the parse (DirectOpCallFacts) and must reach the
/// same facts: tests/sql/op_model_test.cc and fuzz/op_call_fuzz.cc compare both paths.

#include <optional>
#include <string>
#include <vector>

#include "lint/python/migration.h"
#include "lint/sql/sql_facts.h"

namespace alint {

/// The SQL an op call runs on PostgreSQL, one statement per element, or nullopt when the op
/// is not modelled or an argument that decides the SQL is not a literal (a variable name).
std::optional<std::vector<std::string>> RenderOpSql(const OpCall& op);

/// Facts of each statement the op runs. Offsets are file offsets: begin/end span the call,
/// anchor/anchor_end the op's name. Empty when RenderOpSql gives nothing. The op's own
/// `existing_type=` (alter_column) is used as the current column type. Thread-safe.
/// create_table, add_column, drop_table, drop_column, drop_index, create_index on columns,
/// alter_column making one change (a type without USING, NULL, dropping the default; the
/// current type from existing_type= or the options as through the SQL), drop_constraint, and
/// create_foreign_key / create_unique_constraint / create_primary_key over columns, when
/// every name is plain and every column a type with at most a default, NOT NULL, UNIQUE and
/// foreign keys, get their facts directly, without rendering and parsing the SQL (types and
/// defaults are read by PostgreSQL's parser once per distinct text). The others, and
/// AnalyzeOpCallViaSql always, render the SQL and analyse it.
std::vector<StatementFacts> AnalyzeOpCall(const OpCall& op, const SqlOptions& options = {});
std::vector<StatementFacts> AnalyzeOpCallViaSql(const OpCall& op, const SqlOptions& options = {});
/// The direct facts alone: nullopt when the op goes through the SQL.
std::optional<StatementFacts> DirectOpCallFacts(const OpCall& op, const SqlOptions& options = {});

}  // namespace alint
