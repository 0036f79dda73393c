#pragma once
/// An INI reader with the rules of Python's `configparser.ConfigParser()` as Alembic builds it
/// (all defaults): `[section]` headers, `key = value` and `key: value`, full-line `#`/`;`
/// comments (inline comments are NOT stripped), continuation lines by deeper indentation,
/// empty lines kept inside multi-line values (trailing ones dropped), case-insensitive keys,
/// a [DEFAULT] section, strict duplicates, and BasicInterpolation (`%(name)s`, `%%`).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/core/result.h"

namespace alint {

struct IniOption {
  std::string key;    ///< lower-cased, as configparser's optionxform does
  std::string value;  ///< raw (not interpolated); continuation lines joined with '\n'
  int line = 0;       ///< 1-based line of `key = ...`
};

struct IniSection {
  std::string name;  ///< case-sensitive, as configparser keeps it
  int line = 0;      ///< line of the first `[name]` header (0 for DEFAULT when absent)
  std::vector<IniOption> options;                     ///< file order
  const IniOption* Find(std::string_view key) const;  ///< `key` must be lower-case
};

/// A parsed INI file. Immutable after Parse; cheap to copy.
class IniFile {
 public:
  /// Parses `text` (the file at `path`, used only in messages). `defaults` seed the DEFAULT
  /// section before the file is read, as `ConfigParser(defaults)` does (the file may override
  /// them). Errors name `path:line`: a key before any section header, a line that is neither
  /// a header nor `key = value`, a duplicate section or key.
  static Result<IniFile> Parse(std::string_view text, const std::string& path,
                               const std::map<std::string, std::string>& defaults = {});

  const std::string& path() const { return path_; }
  /// Sections other than DEFAULT, in file order.
  const std::vector<IniSection>& sections() const { return sections_; }
  const IniSection& defaults() const { return defaults_; }
  const IniSection* FindSection(std::string_view name) const;

  /// True when `key` is set in `section` itself or in DEFAULT (configparser's has_option).
  /// False when the section does not exist.
  bool Has(std::string_view section, std::string_view key) const;
  /// The option as stored (section first, then DEFAULT), or nullptr.
  const IniOption* Lookup(std::string_view section, std::string_view key) const;
  /// The interpolated value of `key` in `section` (BasicInterpolation against the section and
  /// DEFAULT), nullopt when absent. Errors name `path:line` of the option: a `%` not followed
  /// by `%` or `(`, a reference to a missing option, nesting deeper than 10.
  Result<std::optional<std::string>> Get(std::string_view section, std::string_view key) const;

 private:
  std::string path_;
  std::vector<IniSection> sections_;
  IniSection defaults_;
};

}  // namespace alint
