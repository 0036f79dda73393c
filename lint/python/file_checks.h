#pragma once
/// Checks on a file's bytes before any parsing: size, NUL bytes, encoding, BOM.

#include <cstdint>
#include <string>
#include <vector>

#include "lint/python/migration.h"

namespace alint {

/// The one size limit for a migration file: larger files are not parsed at all, and
/// a parse-error finding says so with FileTooLargeMessage. The engine checks it before reading
/// (LoadWorkspace, Workspace::ReloadFile: the CLI and the language server), the facts layer
/// again on the bytes it is given.
inline constexpr uint32_t kMaxFileBytes = 8u << 20;

/// "not parsed: the file is 9.5 MiB, over the 8 MiB limit"
std::string FileTooLargeMessage(uint64_t bytes);

struct FileCheck {
  bool parse = true;   ///< false: the bytes cannot be Python source; extract nothing
  uint32_t start = 0;  ///< where Python source begins (3 after a UTF-8 BOM)
  std::vector<SyntaxProblem> problems;
  /// Where CPython's tokenizer ends each logical line (see ScanLayout).
  std::vector<uint32_t> newlines;
  /// The `*` that start subscript items, for TsFile (see ScanLayout).
  std::vector<uint32_t> subscript_stars;
};

/// Checks `file.text` the way CPython's tokenizer would before reading any token: a NUL byte or
/// bytes that are not UTF-8 (unless a PEP 263 coding line declares another encoding) make it
/// refuse the file; then, with `layout`, CheckLayout.
FileCheck CheckFileBytes(const SourceFile& file, bool layout = true);

/// The layout bounds of ScanLayout (bracket nesting, indentation, prefix chains, misplaced
/// stars), past which nothing is parsed; fills `newlines` and `subscript_stars`. Call only when
/// `r.parse`. A header-only read skips it while the header scanner, which checks the same
/// bounds as it tokenizes, is sure of the file.
void CheckLayout(const SourceFile& file, FileCheck& r);

}  // namespace alint
