#pragma once
/// Findings are plain data: rules make them, the engine filters them, reporters render them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/boxed.h"
#include "lint/core/source.h"

namespace alint {

enum class Severity : uint8_t { kInfo = 0, kWarning = 1, kError = 2 };

std::string_view SeverityName(Severity s);  // "info", "warning", "error"
std::optional<Severity> ParseSeverity(std::string_view name);

/// A secondary location that explains a finding ("also declared here").
struct Related {
  Span span;
  std::string message;
};

/// Most related locations a finding lists by name (README "Limits"): a rule with more counts
/// the rest ("and 994 more (994 in `versions`)"), so that one id copied 1,000 times prints
/// kilobytes, not the 53 MB of every file naming every other.
inline constexpr size_t kMaxRelatedLocations = 5;

/// A text replacement in one file.
struct Edit {
  Span span;  ///< bytes to replace
  std::string replacement;
};

enum class Applicability : uint8_t {
  kSafe,        ///< keeps behaviour; may be applied automatically
  kUnsafe,      ///< changes behaviour; needs a human to agree
  kDisplayOnly  ///< shown as a suggestion only
};

/// A file a fix renames, in the same directory (`alembic revision` names files after their id).
struct FileRename {
  FileId file = kNoFile;
  std::string new_name;  ///< the file name only
};

struct Fix {
  std::string title;
  Applicability applicability = Applicability::kUnsafe;
  std::vector<Edit> edits;
  /// Files renamed after the edits are applied (`fix` only: the language server does not
  /// offer a fix that renames).
  std::vector<FileRename> renames;
  /// The fix gives a migration a new revision id (its own `revision` literal is among the
  /// edits). `fix` then also rewrites every down_revision / depends_on naming the old id in
  /// the environment, and renames the file per file_template (refusing when one of those files
  /// may not be touched, and unless the run knows what production ran: `applied` or PR mode).
  /// Empty `from`: no id change.
  struct IdChange {
    FileId file = kNoFile;
    std::string from, to;
    /// Rewrite the references to `from` too (false when they are ambiguous: a duplicated id).
    bool references = true;
  };
  IdChange new_id;
  /// The rule that made it when it is not the finding's own (a merged note's fix); "" when
  /// it is.
  std::string rule;
};

/// Another rule's reason about the same statement, merged into a finding by the engine (one
/// statement, one finding: see MergeSameStatement in lint/engine/linter.h).
struct Note {
  std::string rule;  ///< the rule that found it: still addressable for suppression/selection
  Severity severity = Severity::kWarning;
  std::string message;
};

struct Finding {
  std::string rule;  ///< kebab-case rule name
  Severity severity = Severity::kWarning;
  Span span;
  std::string message;
  std::optional<std::string> help;
  std::vector<Related> related;
  Boxed<Fix> fix;  ///< on the heap: most findings have none
  /// The other reasons merged into this one (empty unless several lock/data rules found the
  /// same statement); `rule`, `message` and `severity` are the most severe reason's, `help`
  /// covers them all.
  std::vector<Note> notes;

  /// True when `name` is `rule` or the rule of one of the notes.
  bool HasRule(std::string_view name) const {
    if (rule == name) return true;
    for (const Note& n : notes) {
      if (n.rule == name) return true;
    }
    return false;
  }
};

}  // namespace alint
