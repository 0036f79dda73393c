#pragma once
/// Source files, byte spans and the line index that turns offsets into line/column only at the
/// edges (reporters, LSP).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace alint {

using FileId = uint32_t;
inline constexpr FileId kNoFile = UINT32_MAX;

/// A half-open byte range [begin, end) in one file.
struct Span {
  FileId file = kNoFile;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file != kNoFile; }
  friend bool operator==(const Span&, const Span&) = default;
};

/// A 1-based line and column. `column` counts Unicode code points (what editors and humans
/// show); `utf16_column` is 0-based in UTF-16 code units (what LSP wants).
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
  uint32_t utf16_column = 0;
};

/// Maps byte offsets to lines and columns. Built once per file, O(log lines) per lookup.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  LineCol Locate(std::string_view text, uint32_t offset) const;
  /// Byte offset of the start of 1-based `line` (clamped to the text size).
  uint32_t LineStart(uint32_t line) const;
  /// Byte offset for an LSP position (0-based line, UTF-16 character).
  uint32_t OffsetOfUtf16(std::string_view text, uint32_t line0, uint32_t character) const;
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }

 private:
  std::vector<uint32_t> starts_;
};

/// One file's text and identity. Immutable once built; views into `text` stay valid as long as
/// the SourceFile lives (the engine keeps every SourceFile alive for the whole run).
struct SourceFile {
  FileId id = kNoFile;
  std::string path;          ///< as given or discovered, '/'-separated
  std::string display_path;  ///< relative to the working directory when possible
  std::string text;
  LineIndex lines{std::string_view()};

  SourceFile() = default;
  SourceFile(FileId file_id, std::string file_path, std::string file_text);
  LineCol Locate(uint32_t offset) const { return lines.Locate(text, offset); }
  /// The text of the line holding `offset`, without its newline.
  std::string_view LineText(uint32_t line) const;
  std::string_view Slice(Span span) const {
    return std::string_view(text).substr(span.begin, span.end - span.begin);
  }
};

/// Length of the well-formed UTF-8 sequence at text[i] (no overlongs, no surrogates, nothing
/// above U+10FFFF), or 0 when the byte there does not start one. i < text.size().
size_t Utf8SequenceAt(std::string_view text, size_t i);

}  // namespace alint
