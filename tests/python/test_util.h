#pragma once
// Helpers shared by the lint/python tests.

#include <string>
#include <string_view>

#include "lint/python/extract.h"

namespace alint::testing {

/// A file and its facts, kept together so spans can be read back.
struct Extracted {
  SourceFile file;
  Migration m;
  Extracted(std::string text, ParseMode mode)
      : file(0, "versions/x.py", std::move(text)), m(ExtractMigration(file, mode)) {}
  std::string_view At(Span s) const { return file.Slice(s); }
  uint32_t Line(Span s) const { return file.Locate(s.begin).line; }
  uint32_t Col(Span s) const { return file.Locate(s.begin).column; }
};

inline Extracted Full(std::string text) { return Extracted(std::move(text), ParseMode::kFull); }
inline Extracted Header(std::string text) { return Extracted(std::move(text), ParseMode::kHeader); }

}  // namespace alint::testing
