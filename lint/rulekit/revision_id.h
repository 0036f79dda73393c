#pragma once
/// What the structure rules know about revision ids: the ids Alembic rejects or cannot address
/// (invalid-revision-id) and the ids `alembic revision` would never generate
/// (handmade-revision-id). Pure functions of their arguments; safe from any thread.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "lint/core/regex.h"

namespace alint::rulekit {

/// Why Alembic 1.8.1 (or the database it stamps) cannot use `id` as a revision id, or nullopt
/// when it can. The text completes "revision id `<id>` ...", e.g. "contains '-', which Alembic
/// rejects: ...".
std::optional<std::string> InvalidRevisionIdReason(std::string_view id);

/// Why a branch label cannot be addressed on the command line, or nullopt.
std::optional<std::string> InvalidBranchLabelReason(std::string_view label);

/// Why `id` looks hand-typed (HandTypedIdReason in lint/rulekit/handmade_id.h: keyboard
/// walks, sequences, repetitions), or nullopt. `pattern`, when set, is the compiled
/// revision_id_pattern (compiled once, when the settings are read) the id must fully match
/// instead (a team's own `--rev-id` scheme); `pattern_text` is its source, for the message.
std::optional<std::string> HandmadeRevisionIdReason(std::string_view id,
                                                    const Regex* pattern = nullptr,
                                                    std::string_view pattern_text = {});

/// The structural pattern a 12-lowercase-hex id follows ("counts up", "repeats `ab`", ...), or
/// nullopt. Exposed for tests; HandmadeRevisionIdReason uses it.
std::optional<std::string> HandTypedPattern(std::string_view hex12);

/// A revision id of Alembic's generated form (12 lowercase hex digits, what
/// uuid4().hex[-12:] gives), derived from `seed` (FNV-1a) rather than random, so a fix shows
/// the same id run after run; `taken` says which ids are used (the next salt is tried), and
/// an id that looks hand-typed (HandTypedPattern) is never returned.
std::string FreshRevisionId(std::string_view seed,
                            const std::function<bool(const std::string&)>& taken);

}  // namespace alint::rulekit
