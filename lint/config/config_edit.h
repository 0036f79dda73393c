#pragma once
/// Editing one key of an alembic-lint config in place (`alembic-lint baseline`): the rest of
/// the file is kept byte for byte; nothing is re-serialized.

#include <string>
#include <string_view>
#include <vector>

#include "lint/core/result.h"

namespace alint {

/// `text` (a .alembic-lint.toml, or a pyproject.toml when `pyproject`) with the config's
/// `applied` set to `revisions` (written `applied = ["a", "b"]`). An existing `applied` is
/// replaced where it stands (the lines from its key to the end of its value); otherwise the key
/// is added, after the leading comments of a .alembic-lint.toml or right under the
/// `[tool.alembic-lint]` header of a pyproject.toml (a table appended at the end when the file
/// has none). Every other byte stays. The result is parsed again and must hold the same
/// values but `applied`: an edit that cannot be made that way is an error, never a write.
Result<std::string> SetAppliedInConfigText(std::string_view text, bool pyproject,
                                           const std::vector<std::string>& revisions);

}  // namespace alint
