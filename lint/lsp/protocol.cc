#include "lint/lsp/protocol.h"

#include <charconv>
#include <vector>

namespace alint::lsp {

namespace {

constexpr size_t kMaxHeaderLine = 64 * 1024;

// One header line without its line break; false at the end of the stream.
bool ReadHeaderLine(std::istream& in, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  int c;
  bool any = false;
  while ((c = in.get()) != std::char_traits<char>::eof()) {
    any = true;
    if (c == '\n') break;
    if (line->size() < kMaxHeaderLine) {
      line->push_back(static_cast<char>(c));
    } else {
      *too_long = true;
    }
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
    if (too_long) {
      problem = "header line too long";
      continue;
    }
    size_t colon = line.find(':');
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
      problem = "Content-Length " + std::string(value) + " is over the limit";
      continue;
    }
    length = n;
  }
  if (!length) {
    r.status = ReadStatus::kBadHeader;
    r.error = problem.empty() ? "header block without Content-Length" : problem;
    return r;
  }
  r.body.resize(*length);
  in.read(r.body.data(), static_cast<std::streamsize>(*length));
  if (static_cast<size_t>(in.gcount()) != *length) {
    r.status = ReadStatus::kEof;
    r.body.clear();
    return r;
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
