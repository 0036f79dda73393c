#pragma once
/// Alembic's `file_template` (how `alembic revision` names a new file), parsed so that a file
/// name can be checked against a migration's `revision`. Immutable once parsed; safe to share
/// between threads.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/regex.h"

namespace alint::rulekit {

/// The values Alembic substitutes besides `rev` (ScriptDirectory._rev_path).
struct TemplateValues {
  std::string slug;  ///< already slugified
  /// Create date fields, when known (from the docstring's `Create Date:`).
  std::optional<long long> epoch;
  std::optional<int> year, month, day, hour, minute, second;
};

class FileTemplate {
 public:
  /// Parses a template. `raw` may be the alembic.ini text, where configparser turns `%%` into
  /// `%` (detected by the presence of `%%(`), or the already unescaped Python format string.
  static FileTemplate Parse(std::string_view raw);

  /// The template with ini escapes removed, as Alembic applies it.
  const std::string& text() const { return text_; }
  /// False when the template has no %(rev)s: file names then say nothing about revisions.
  bool has_rev() const;
  /// How many '/' the template holds: a file name is compared with that many parent
  /// directories plus the base name.
  int depth() const { return depth_; }

  /// True when `name` (ending in ".py") is what the template yields for `revision` with some
  /// slug and date.
  bool Matches(std::string_view name, std::string_view revision) const;
  /// The text in the %(rev)s position when `name` has the template's shape.
  std::optional<std::string> ExtractRev(std::string_view name) const;
  /// `name` with its %(rev)s part(s) replaced by `revision`, when `name` has the template's
  /// shape.
  std::optional<std::string> ReplaceRev(std::string_view name, std::string_view revision) const;
  /// The file name Alembic would write ("<rendered>.py"); unknown date fields render as
  /// `<year>` etc.
  std::string Render(std::string_view revision, const TemplateValues& values) const;

 private:
  struct Piece {
    bool field = false;
    std::string text;  ///< literal text, or the key of a field
    char conversion = 's';
    int width = -1;
    int precision = -1;
    bool zero_pad = false;
  };
  std::string BuildRegex(const std::string* revision) const;

  std::string text_;
  std::vector<Piece> pieces_;
  int depth_ = 0;
  /// BuildRegex(nullptr) compiled once by Parse (ExtractRev and ReplaceRev run per file).
  std::shared_ptr<const Regex> shape_;
};

/// Alembic's slug of a message: the \w+ runs joined by '_', lowercased, cut at 40 characters
/// on a '_' boundary (with a trailing '_') like ScriptDirectory._rev_path.
std::string Slugify(std::string_view message);

/// The last `depth + 1` '/'-separated components of `path`.
std::string TrailingComponents(std::string_view path, int depth);

}  // namespace alint::rulekit
