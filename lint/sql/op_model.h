#pragma once
/// The SQL model applied to Alembic operations: `op.add_column(...)`, `op.create_index(...)`,
/// `batch_op.alter_column(...)`. Each modelled call is rendered to the PostgreSQL DDL Alembic
/// emits for it (tests/pg/alembic_cross_check.py compares with Alembic's offline output) and
/// analyzed by AnalyzeSql, so an op and the equivalent raw SQL get the same facts.

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
std::vector<StatementFacts> AnalyzeOpCall(const OpCall& op, const SqlOptions& options = {});

}  // namespace alint
