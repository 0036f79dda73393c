#pragma once
/// filename-revision-mismatch's check of one migration, exposed so tests can run it without a
/// revision graph.

#include "lint/engine/rule.h"
#include "lint/rulekit/file_template.h"

namespace alint {

/// Reports on `m` when its file name does not carry its `revision` the way `file_template`
/// names files. Files named after Alembic's default template "%(rev)s_%(slug)s" are accepted
/// too (repositories that changed file_template keep their old names), as is any name holding
/// the revision id as a whole '_'/'-'/'.'-separated part.
void CheckFileNameRevision(const Migration& m, const rulekit::FileTemplate& file_template,
                           RuleContext& ctx);

}  // namespace alint
