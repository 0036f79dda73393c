#pragma once
/// `applied`: the revisions production already ran. Migrations that have run cannot be
/// changed, so what the lock, SQL and data rules say about them is noise on a long history;
/// the revision-chain and structure rules still see every file. A named revision stands for
/// itself and all its ancestors (down_revision and depends_on, as `alembic upgrade` runs
/// them), in its environment's revision graph.

#include <span>
#include <string>
#include <vector>

#include "lint/core/finding.h"
#include "lint/core/result.h"
#include "lint/engine/linter.h"
#include "lint/engine/rule_set.h"
#include "lint/engine/settings.h"

namespace alint {

/// True for the rules `applied` silences on history: categories ddl, sql and data, and rules
/// that say so (RuleInfo::only_unapplied).
bool IsHistoryRule(const Rule& rule);

/// Per FileId: true for the migrations production already ran. Each environment uses its own
/// `applied` (EnvSpec::applied, declared in the config) or else `settings.applied`. A
/// revision is its id, a unique prefix of one, or a branch label (its head), as Alembic
/// reads them. A name in an environment's own list that its graph lacks, or a name in the
/// top-level list that no environment has, is an error "origin: ..." with a did-you-mean
/// when the graph offers one.
Result<std::vector<bool>> AppliedFiles(const Workspace& ws, const LintSettings& settings);

/// Drops the findings of history rules (IsHistoryRule, looked up in `known`) located in an
/// applied file. Returns how many were dropped.
size_t DropAppliedFindings(const std::vector<bool>& applied, const RuleSet& known,
                           std::vector<Finding>* findings);

/// What a report shows of `findings`: without the history rules' findings on applied files
/// (DropAppliedFindings) and without those below `settings.min_severity`. `check` and the
/// language server both call it, so an editor shows what `check` prints.
void FilterReported(const std::vector<bool>& applied, const RuleSet& known,
                    const LintSettings& settings, std::vector<Finding>* findings);

}  // namespace alint
