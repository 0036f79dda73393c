#include "lint/lsp/protocol.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace alint::lsp {

namespace {

constexpr size_t kMaxHeaderLine = 64 * 1024;
constexpr size_t kReadChunk = 64 * 1024;

// One header line without its line break; false at the end of the stream. A line over the
// limit keeps only its last kMaxHeaderLine / 2 bytes or more (where a glued header would be).
bool ReadHeaderLine(std::istream& in, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  int c;
  bool any = false;
  while ((c = in.get()) != std::char_traits<char>::eof()) {
    any = true;
    if (c == '\n') break;
    if (line->size() >= kMaxHeaderLine) {
      line->erase(0, kMaxHeaderLine / 2);
      *too_long = true;
    }
    line->push_back(static_cast<char>(c));
  }
  if (!any) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// Where a "Content-Length" header starts inside a line that is not a header itself (the
// bytes of a skipped body run into the next header), or npos.
size_t GluedContentLength(std::string_view line) {
  constexpr std::string_view kName = "content-length";
  if (line.size() < kName.size()) return std::string_view::npos;
  for (size_t i = line.size() - kName.size() + 1; i-- > 0;) {
    if (EqualsIgnoreCase(line.substr(i, kName.size()), kName)) return i;
  }
  return std::string_view::npos;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

ReadResult ReadMessage(std::istream& in) {
  ReadResult r;
  std::optional<size_t> length;
  std::string line;
  bool too_long = false;
  bool saw_header = false;
  std::string problem;
  for (;;) {
    if (!ReadHeaderLine(in, &line, &too_long)) {
      r.status = ReadStatus::kEof;
      return r;
    }
    if (line.empty()) {
      // Blank lines before any header are noise between messages, not an empty header block.
      if (!saw_header) continue;
      break;
    }
    saw_header = true;
    size_t colon = line.find(':');
    bool is_header = !too_long && colon != std::string::npos && colon > 0;
    for (size_t i = 0; is_header && i < colon; ++i) {
      if (!IsTokenChar(line[i]) && line[i] != ' ' && line[i] != '\t') is_header = false;
    }
    if (!is_header) {
      size_t at = GluedContentLength(line);
      if (at != std::string::npos && at > 0) {
        // Resynchronise: what came before belonged to a skipped message.
        line.erase(0, at);
        colon = line.find(':');
        too_long = false;
      }
    }
    if (too_long) {
      problem = "header line too long";
      continue;
    }
    if (colon == std::string::npos) {
      problem = "not a header: `" + line.substr(0, 80) + "`";
      continue;
    }
    std::string_view name = Trim(std::string_view(line).substr(0, colon));
    std::string_view value = Trim(std::string_view(line).substr(colon + 1));
    if (!EqualsIgnoreCase(name, "Content-Length")) continue;
    size_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size()) {
      problem = "bad Content-Length `" + std::string(value) + "`";
      continue;
    }
    if (n > kMaxMessageBytes) {
      problem = "Content-Length " + std::string(value) + " is over the " +
                std::to_string(kMaxMessageBytes >> 20) + " MiB limit";
      r.too_large = true;
      continue;
    }
    length = n;
    r.too_large = false;
  }
  if (!length) {
    r.status = ReadStatus::kBadHeader;
    r.error = problem.empty() ? "header block without Content-Length" : problem;
    return r;
  }
  r.too_large = false;
  // In chunks: a header that declares more than the client sends costs what was sent.
  while (r.body.size() < *length) {
    size_t old = r.body.size();
    size_t want = std::min(kReadChunk, *length - old);
    r.body.resize(old + want);
    in.read(r.body.data() + old, static_cast<std::streamsize>(want));
    if (static_cast<size_t>(in.gcount()) != want) {
      r.status = ReadStatus::kEof;
      r.body.clear();
      r.body.shrink_to_fit();
      return r;
    }
  }
  r.status = ReadStatus::kMessage;
  return r;
}

void WriteMessage(std::ostream& out, std::string_view body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n";
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
  out.flush();
}

std::optional<std::string> UriToPath(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.size() < kScheme.size() || !EqualsIgnoreCase(uri.substr(0, kScheme.size()), kScheme))
    return std::nullopt;
  std::string_view rest = uri.substr(kScheme.size());
  // "file://host/path": only the local host (empty or "localhost") names a local file.
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view host = rest.substr(0, slash);
  if (!host.empty() && !EqualsIgnoreCase(host, "localhost")) return std::nullopt;
  rest = rest.substr(slash);
  size_t cut = rest.find_first_of("?#");
  if (cut != std::string_view::npos) rest = rest.substr(0, cut);
  std::string path;
  path.reserve(rest.size());
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] != '%') {
      path.push_back(rest[i]);
      continue;
    }
    if (i + 2 >= rest.size()) return std::nullopt;
    int hi = HexValue(rest[i + 1]), lo = HexValue(rest[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    path.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  if (path.find('\0') != std::string::npos) return std::nullopt;
  return path;
}

std::string PathToUri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file://";
  if (path.empty() || path.front() != '/') uri.push_back('/');
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      uri.push_back(ch);
    } else {
      uri.push_back('%');
      uri.push_back(kHex[c >> 4]);
      uri.push_back(kHex[c & 15]);
    }
  }
  return uri;
}

Position ToPosition(const SourceFile& file, uint32_t offset) {
  if (offset > file.text.size()) offset = static_cast<uint32_t>(file.text.size());
  LineCol lc = file.Locate(offset);
  return Position{lc.line - 1, lc.utf16_column};
}

Range ToRange(const SourceFile& file, uint32_t begin, uint32_t end) {
  if (end < begin) end = begin;
  return Range{ToPosition(file, begin), ToPosition(file, end)};
}

uint32_t ToOffset(const LineIndex& lines, std::string_view text, Position pos) {
  return lines.OffsetOfUtf16(text, pos.line, pos.character);
}

}  // namespace alint::lsp
