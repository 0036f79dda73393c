#pragma once
/// Checks on a file's bytes before any parsing: size, NUL bytes, encoding, BOM.

#include <cstdint>
#include <vector>

#include "lint/python/migration.h"

namespace alint {

/// Files larger than this are not parsed at all.
inline constexpr uint32_t kMaxParsedFileBytes = 8u << 20;

struct FileCheck {
  bool parse = true;   ///< false: the bytes cannot be Python source; extract nothing
  uint32_t start = 0;  ///< where Python source begins (3 after a UTF-8 BOM)
  std::vector<SyntaxProblem> problems;
  /// Where CPython's tokenizer ends each logical line (see ScanLayout).
  std::vector<uint32_t> newlines;
};

/// Checks `file.text` the way CPython's tokenizer would before reading any token: a NUL byte or
/// bytes that are not UTF-8 (unless a PEP 263 coding line declares another encoding) make it
/// refuse the file; then the layout bounds of ScanLayout (bracket nesting, indentation), past
/// which nothing is parsed.
FileCheck CheckFileBytes(const SourceFile& file);

}  // namespace alint
