#include "lint/python/py_literal.h"

#include <algorithm>

namespace alint {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Appends verbatim file bytes, extending the previous exact segment when they are adjacent.
void AddExact(DecodedString& d, std::string_view file, uint32_t file_begin, uint32_t length) {
  if (length == 0) return;
  auto sql_begin = static_cast<uint32_t>(d.value.size());
  d.value.append(file.substr(file_begin, length));
  if (!d.segments.empty()) {
    SqlSegment& last = d.segments.back();
    if (last.exact && last.file_begin + last.length == file_begin &&
        last.sql_begin + last.length == sql_begin) {
      last.length += length;
      last.file_length += length;
      return;
    }
  }
  d.segments.push_back({sql_begin, file_begin, length, true, length});
}

void AddEscape(DecodedString& d, std::string_view produced, uint32_t file_begin,
               uint32_t file_length) {
  if (produced.empty()) return;
  auto sql_begin = static_cast<uint32_t>(d.value.size());
  d.value.append(produced);
  d.segments.push_back(
      {sql_begin, file_begin, static_cast<uint32_t>(produced.size()), false, file_length});
}

const SqlSegment* SegmentAt(const std::vector<SqlSegment>& segments, uint32_t offset) {
  auto it = std::upper_bound(segments.begin(), segments.end(), offset,
                             [](uint32_t o, const SqlSegment& s) { return o < s.sql_begin; });
  if (it == segments.begin()) return nullptr;
  return &*(it - 1);
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (IsSpace(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (IsSpace(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

bool IsRuleChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

DecodedString DecodeLiteral(std::string_view file, uint32_t begin, uint32_t end,
                            bool plain_fstrings) {
  DecodedString d;
  uint32_t i = begin;
  bool raw = false, bytes = false, fstr = false, unicode = false;
  for (; i < end && file[i] != '\'' && file[i] != '"'; ++i) {
    switch (file[i] | 0x20) {
      case 'r':
        raw = raw ? (d.kind = LiteralKind::kInvalid, true) : true;
        break;
      case 'b':
        bytes = bytes ? (d.kind = LiteralKind::kInvalid, true) : true;
        break;
      case 'f':
        fstr = fstr ? (d.kind = LiteralKind::kInvalid, true) : true;
        break;
      case 'u':
        unicode = unicode ? (d.kind = LiteralKind::kInvalid, true) : true;
        break;
      default:
        d.kind = LiteralKind::kInvalid;
    }
  }
  if ((unicode && (raw || bytes || fstr)) || (bytes && fstr) || i >= end) {
    d.kind = LiteralKind::kInvalid;
  }
  if (d.kind == LiteralKind::kInvalid) return d;
  char q = file[i];
  uint32_t qlen = (end - i >= 6 && file[i + 1] == q && file[i + 2] == q) ? 3 : 1;
  if (end - i < 2 * qlen || file[end - 1] != q) {
    d.kind = LiteralKind::kInvalid;
    return d;
  }
  uint32_t body = i + qlen, body_end = end - qlen;
  if (fstr && !(plain_fstrings &&
                file.substr(body, body_end - body).find_first_of("{}") == std::string_view::npos)) {
    d.kind = LiteralKind::kFString;
    return d;
  }
  d.kind = bytes ? LiteralKind::kBytes : LiteralKind::kStr;
  if (raw) {
    AddExact(d, file, body, body_end - body);
    return d;
  }
  uint32_t run = body;  // start of the pending verbatim run
  uint32_t k = body;
  std::string produced;
  while (k < body_end) {
    if (file[k] != '\\' || k + 1 >= body_end) {
      ++k;
      continue;
    }
    uint32_t esc = k;
    char c = file[k + 1];
    uint32_t next = k + 2;
    produced.clear();
    bool known = true;
    switch (c) {
      case '\n':
        break;
      case '\r':
        next += (next < body_end && file[next] == '\n') ? 1 : 0;
        break;
      case '\\':
      case '\'':
      case '"':
        produced = c;
        break;
      case 'a':
        produced = '\a';
        break;
      case 'b':
        produced = '\b';
        break;
      case 'f':
        produced = '\f';
        break;
      case 'n':
        produced = '\n';
        break;
      case 'r':
        produced = '\r';
        break;
      case 't':
        produced = '\t';
        break;
      case 'v':
        produced = '\v';
        break;
      case 'x':
      case 'u':
      case 'U': {
        if (c != 'x' && bytes) {
          known = false;
          break;
        }
        uint32_t digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        uint32_t cp = 0;
        for (uint32_t n = 0; n < digits; ++n) {
          int h = next < body_end ? HexValue(file[next]) : -1;
          if (h < 0) {
            d.kind = LiteralKind::kInvalid;  // Python: "truncated \xXX escape"
            return d;
          }
          cp = cp * 16 + static_cast<uint32_t>(h);
          ++next;
        }
        if (cp > 0x10FFFF) {
          d.kind = LiteralKind::kInvalid;
          return d;
        }
        if (bytes) {
          produced = static_cast<char>(cp);
        } else {
          AppendUtf8(produced, cp);
        }
        break;
      }
      case 'N':
        // Named characters need the Unicode database; keep the escape as written.
        if (bytes) {
          known = false;
          break;
        }
        while (next < body_end && file[next - 1] != '}') ++next;
        produced = file.substr(esc, next - esc);
        break;
      default:
        if (c >= '0' && c <= '7') {
          uint32_t cp = 0;
          next = k + 1;
          for (int n = 0; n < 3 && next < body_end && file[next] >= '0' && file[next] <= '7'; ++n) {
            cp = cp * 8 + static_cast<uint32_t>(file[next] - '0');
            ++next;
          }
          if (bytes) {
            produced = static_cast<char>(cp & 0xFF);
          } else {
            AppendUtf8(produced, cp);
          }
        } else {
          known = false;  // Python keeps an unknown escape as written
        }
    }
    if (!known) {
      k += 2;
      continue;
    }
    AddExact(d, file, run, esc - run);
    AddEscape(d, produced, esc, next - esc);
    k = next;
    run = next;
  }
  AddExact(d, file, run, body_end - run);
  return d;
}

void AppendLiteral(DecodedString& into, const DecodedString& piece) {
  if (into.kind == LiteralKind::kInvalid || piece.kind == LiteralKind::kInvalid) {
    into.kind = LiteralKind::kInvalid;
    return;
  }
  bool into_bytes = into.kind == LiteralKind::kBytes,
       piece_bytes = piece.kind == LiteralKind::kBytes;
  if (into_bytes != piece_bytes) {
    into.kind = LiteralKind::kInvalid;  // Python: "cannot mix bytes and nonbytes literals"
    return;
  }
  if (into.kind == LiteralKind::kFString || piece.kind == LiteralKind::kFString) {
    into.kind = LiteralKind::kFString;
    into.value.clear();
    into.segments.clear();
    return;
  }
  auto base = static_cast<uint32_t>(into.value.size());
  into.value += piece.value;
  for (SqlSegment s : piece.segments) {
    s.sql_begin += base;
    into.segments.push_back(s);
  }
}

uint32_t MapBegin(const std::vector<SqlSegment>& segments, uint32_t offset, uint32_t fallback) {
  const SqlSegment* s = SegmentAt(segments, offset);
  if (s == nullptr) return segments.empty() ? fallback : segments.front().file_begin;
  if (offset >= s->sql_begin + s->length) return s->file_begin + s->file_length;
  return s->exact ? s->file_begin + (offset - s->sql_begin) : s->file_begin;
}

uint32_t MapEnd(const std::vector<SqlSegment>& segments, uint32_t end, uint32_t fallback) {
  if (end == 0) return MapBegin(segments, 0, fallback);
  const SqlSegment* s = SegmentAt(segments, end - 1);
  if (s == nullptr) return fallback;
  if (!s->exact || end >= s->sql_begin + s->length) return s->file_begin + s->file_length;
  return s->file_begin + (end - s->sql_begin);
}

void ReadDocstringFields(const DecodedString& doc, Docstring& out, FileId file) {
  struct Key {
    std::string_view name;
    std::optional<DocField>* field;
  };
  const Key keys[] = {{"Revision ID:", &out.revision_id},
                      {"Revises:", &out.revises},
                      {"Create Date:", &out.create_date}};
  std::string_view v = doc.value;
  size_t line = 0;
  while (line <= v.size()) {
    size_t eol = v.find('\n', line);
    if (eol == std::string_view::npos) eol = v.size();
    size_t b = line;
    while (b < eol && IsSpace(v[b])) ++b;
    for (const Key& key : keys) {
      if (key.field->has_value() || v.substr(b, key.name.size()) != key.name) continue;
      size_t vb = b + key.name.size(), ve = eol;
      while (vb < ve && IsSpace(v[vb])) ++vb;
      while (ve > vb && IsSpace(v[ve - 1])) --ve;
      DocField f;
      f.value = std::string(v.substr(vb, ve - vb));
      uint32_t fb = MapBegin(doc.segments, static_cast<uint32_t>(vb), 0);
      uint32_t fe = ve > vb ? MapEnd(doc.segments, static_cast<uint32_t>(ve), fb) : fb;
      f.span = Span{file, fb, fe};
      *key.field = std::move(f);
    }
    line = eol + 1;
  }
}

std::optional<Suppression> ReadSuppression(const SourceFile& file, uint32_t begin, uint32_t end) {
  std::string_view text = file.text;
  // The directive may follow other tools' comments: `# noqa: E501  # alembic-lint: ignore[x]`.
  constexpr std::string_view kTool = "alembic-lint";
  uint32_t hash = begin;
  uint32_t p = 0;
  bool found = false;
  for (; hash < end; ++hash) {
    if (text[hash] != '#') continue;
    p = hash + 1;
    while (p < end && IsSpace(text[p])) ++p;
    if (text.substr(p, kTool.size()) == kTool &&
        (p + kTool.size() >= end || !IsRuleChar(text[p + kTool.size()]))) {
      found = true;
      break;
    }
  }
  if (!found) return std::nullopt;
  uint32_t e = end;
  while (e > hash && IsSpace(text[e - 1])) --e;
  Suppression s;
  s.span = Span{file.id, hash, e};
  s.line = file.Locate(hash).line;
  uint32_t ls = file.lines.LineStart(s.line);
  s.own_line = std::all_of(text.begin() + ls, text.begin() + begin, IsSpace);
  p += static_cast<uint32_t>(kTool.size());
  while (p < e && IsSpace(text[p])) ++p;
  if (p >= e || text[p] != ':') {
    s.malformed = "expected `:` after `alembic-lint` (as in `# alembic-lint: ignore[rule-name]`)";
    return s;
  }
  ++p;
  while (p < e && IsSpace(text[p])) ++p;
  uint32_t verb_begin = p;
  while (p < e && IsRuleChar(text[p])) ++p;
  std::string_view verb = text.substr(verb_begin, p - verb_begin);
  if (verb == "ignore-file") {
    s.file_level = true;
  } else if (verb != "ignore") {
    s.malformed = verb.empty()
                      ? "expected `ignore[...]` or `ignore-file[...]` after `alembic-lint:`"
                      : "unknown directive `" + std::string(verb) +
                            "`: use `ignore[rule-name]` or `ignore-file[rule-name]`";
    return s;
  }
  if (p >= e || text[p] != '[') {
    s.malformed = "`" + std::string(verb) + "` needs the rules to silence in brackets, as in `" +
                  std::string(verb) + "[rule-name]`; there is no blanket form";
    return s;
  }
  uint32_t close = p + 1;
  while (close < e && text[close] != ']') ++close;
  if (close >= e) {
    s.malformed = "missing `]` after the rule list";
    return s;
  }
  uint32_t q = p + 1;
  while (q <= close) {
    uint32_t item_end = q;
    while (item_end < close && text[item_end] != ',') ++item_end;
    uint32_t ib = q, ie = item_end;
    while (ib < ie && IsSpace(text[ib])) ++ib;
    while (ie > ib && IsSpace(text[ie - 1])) --ie;
    bool last = item_end >= close;
    if (ib == ie) {
      // Tolerate one trailing comma (`[a, b,]`), not holes.
      if (!(last && !s.rules.empty())) {
        s.malformed = s.rules.empty() && last ? "empty rule list: name the rules to silence"
                                              : "empty rule name in the list";
        s.rules.clear();
        return s;
      }
    } else {
      std::string_view name = text.substr(ib, ie - ib);
      if (!std::all_of(name.begin(), name.end(), IsRuleChar)) {
        s.malformed =
            "`" + std::string(name) + "` is not a rule name; separate rule names with commas";
        s.rules.clear();
        return s;
      }
      s.rules.push_back({std::string(name), Span{file.id, ib, ie}});
    }
    q = item_end + 1;
  }
  s.reason = std::string(Trim(text.substr(close + 1, e - close - 1)));
  return s;
}

}  // namespace alint
