#pragma once
/// The wire layer of the language server: JSON-RPC 2.0 messages framed by `Content-Length`
/// headers (LSP 3.17 "Base Protocol"), file URIs, and LSP positions (UTF-16 code units).

#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "lint/core/source.h"

namespace alint::lsp {

/// What ReadMessage found.
enum class ReadStatus {
  kMessage,    ///< `body` holds one message body (not yet parsed: it may be malformed JSON)
  kEof,        ///< the stream ended (the client is gone)
  kBadHeader,  ///< a header block without a usable Content-Length; skipped, keep reading
};

struct ReadResult {
  ReadStatus status = ReadStatus::kEof;
  std::string body;
  std::string error;       ///< for kBadHeader: what was wrong (for the log)
  bool too_large = false;  ///< for kBadHeader: Content-Length was over kMaxMessageBytes
};

/// Largest body ReadMessage accepts (a larger Content-Length is a bad header). Migrations over
/// 8 MiB are not parsed anyway; 64 MiB leaves room for a workspace-wide request.
inline constexpr size_t kMaxMessageBytes = size_t{64} << 20;

/// Reads one framed message: header lines ending in "\r\n" (a bare "\n" is tolerated), an
/// empty line, then exactly Content-Length bytes. Unknown headers (Content-Type) are ignored.
/// Never throws; blocks until a whole message, a bad header block or the end of the stream.
/// The body is read in chunks as it arrives: memory follows the bytes received, never the
/// declared length. After a bad header block the reader resynchronises on the next
/// `Content-Length` header, even one glued to the end of the skipped bytes (a body sent
/// without a usable header has no line break of its own).
ReadResult ReadMessage(std::istream& in);

/// Writes `body` with its Content-Length header and flushes.
void WriteMessage(std::ostream& out, std::string_view body);

/// "file:///a/b%20c.py" -> "/a/b c.py". nullopt for other schemes or malformed escapes.
std::optional<std::string> UriToPath(std::string_view uri);
/// "/a/b c.py" -> "file:///a/b%20c.py" (percent-encodes everything but unreserved characters
/// and '/'), the form VS Code and Neovim produce.
std::string PathToUri(std::string_view path);

/// A zero-based LSP position; `character` counts UTF-16 code units.
struct Position {
  uint32_t line = 0;
  uint32_t character = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

struct Range {
  Position start;
  Position end;
  friend bool operator==(const Range&, const Range&) = default;
};

/// The LSP position of byte `offset` in `file`.
Position ToPosition(const SourceFile& file, uint32_t offset);
/// The LSP range of bytes [begin, end) in `file`.
Range ToRange(const SourceFile& file, uint32_t begin, uint32_t end);
/// The byte offset of an LSP position in `text` (clamped to the line's end and the text).
uint32_t ToOffset(const LineIndex& lines, std::string_view text, Position pos);

}  // namespace alint::lsp
