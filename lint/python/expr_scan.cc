#include "lint/python/expr_scan.h"

#include <string>

#include "lint/python/py_layout.h"
#include "lint/python/py_literal.h"

namespace alint {
namespace {

bool IsIdStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdChar(char c) { return IsIdStart(c) || IsDigit(c); }

// Names the grammar may read as something other than a plain identifier (keywords, soft
// keywords, Python 2 statements): the tree decides for those.
bool IsReserved(std::string_view s) {
  if (s.size() > 8) return false;
  auto any = [&](std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      if (w == s) return true;
    }
    return false;
  };
  switch (s[0]) {
    case 'F':
      return s == "False";
    case 'N':
      return s == "None";
    case 'T':
      return s == "True";
    case '_':
      return s.size() == 1;
    case 'a':
      return any({"and", "as", "assert", "async", "await"});
    case 'b':
      return s == "break";
    case 'c':
      return any({"case", "class", "continue"});
    case 'd':
      return any({"def", "del"});
    case 'e':
      return any({"elif", "else", "except", "exec"});
    case 'f':
      return any({"finally", "for", "from"});
    case 'g':
      return s == "global";
    case 'i':
      return any({"if", "import", "in", "is"});
    case 'l':
      return s == "lambda";
    case 'm':
      return s == "match";
    case 'n':
      return any({"nonlocal", "not"});
    case 'o':
      return s == "or";
    case 'p':
      return any({"pass", "print"});
    case 'r':
      return any({"raise", "return"});
    case 't':
      return any({"try", "type"});
    case 'w':
      return any({"while", "with"});
    case 'y':
      return s == "yield";
    default:
      return false;
  }
}

class Scanner {
 public:
  Scanner(std::string_view file, FileId id, uint32_t end) : s_(file), id_(id), end_(end) {}

  std::optional<Expr> Call(uint32_t begin) {
    p_ = begin;
    Expr e;
    if (!Value(e) || e.kind != Expr::Kind::kCall || p_ != end_) return std::nullopt;
    return e;
  }

 private:
  char Peek(uint32_t k = 0) const { return p_ + k < end_ ? s_[p_ + k] : '\0'; }

  // Whitespace only: a comment or a line continuation is a node of its own in the tree, so
  // the scan stops there (no production accepts '#' or '\\').
  void Ws() {
    while (p_ < end_) {
      char c = s_[p_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') return;
      ++p_;
    }
  }

  Span SpanFrom(uint32_t begin) const { return Span{id_, begin, p_}; }

  // Length of a string prefix at p_ ("", r, u, b, br, rb in any case) followed by a quote,
  // or -1 when p_ does not start a string the scanner reads (f-strings included).
  int StringPrefix() const {
    uint32_t q = p_;
    while (q < end_ && q - p_ < 3 && IsIdStart(s_[q])) ++q;
    if (q >= end_ || (s_[q] != '"' && s_[q] != '\'')) return -1;
    char prefix[3] = {0, 0, 0};
    for (uint32_t i = p_; i < q; ++i) prefix[i - p_] = static_cast<char>(s_[i] | 0x20);
    std::string_view pv(prefix, q - p_);
    if (pv.empty() || pv == "r" || pv == "u" || pv == "b" || pv == "br" || pv == "rb") {
      return static_cast<int>(q - p_);
    }
    return -1;
  }

  // One string token from p_ (prefix and quotes included).
  bool StringToken() {
    int prefix = StringPrefix();
    if (prefix < 0) return false;
    p_ += static_cast<uint32_t>(prefix);
    char q = s_[p_];
    bool triple = Peek(1) == q && Peek(2) == q;
    p_ += triple ? 3 : 1;
    escapes_ = false;
    while (p_ < end_) {
      char c = s_[p_];
      if (c == '\\') {
        escapes_ = true;
        char n = Peek(1);
        if (n == '\0' || n == '\n' || n == '\r') return false;
        p_ += 2;
        continue;
      }
      if (c == '\n' && !triple) return false;
      if (c == q) {
        if (!triple) {
          ++p_;
          return true;
        }
        if (Peek(1) == q && Peek(2) == q) {
          p_ += 3;
          return true;
        }
      }
      ++p_;
    }
    return false;
  }

  // One string or an implicit concatenation, read the way ToExpr reads the tree's node.
  bool Strings(Expr& e) {
    uint32_t begin = p_;
    std::optional<DecodedString> d;
    uint32_t last_end = p_;
    for (;;) {
      uint32_t b = p_;
      if (!StringToken()) return false;
      last_end = p_;
      if (!d && !escapes_ && (s_[b] == '"' || s_[b] == '\'')) {
        // Unprefixed, no backslash, and no string follows: the value is the body as is.
        uint32_t save = p_;
        Ws();
        char c = Peek();
        p_ = save;
        if (c != '"' && c != '\'' && !(IsIdStart(c) && StringPrefix() >= 0)) {
          uint32_t q = p_ - b >= 6 && s_[b + 1] == s_[b] && s_[b + 2] == s_[b] ? 3 : 1;
          e.kind = Expr::Kind::kString;
          e.text = std::string(s_.substr(b + q, p_ - b - 2 * q));
          e.span = SpanFrom(begin);
          return true;
        }
      }
      DecodedString piece = DecodeLiteral(s_, b, p_);
      if (!d) {
        d = std::move(piece);
      } else {
        AppendLiteral(*d, piece);
      }
      Ws();
      char c = Peek();
      if (c != '"' && c != '\'' && !(IsIdStart(c) && StringPrefix() >= 0)) break;
    }
    p_ = last_end;
    e.span = SpanFrom(begin);
    if (d->kind == LiteralKind::kStr || d->kind == LiteralKind::kBytes) {
      e.kind = Expr::Kind::kString;
      e.text = std::move(d->value);
    } else if (d->kind == LiteralKind::kInvalid) {
      e.kind = Expr::Kind::kOther;
      e.text = std::string(s_.substr(begin, p_ - begin));
    } else {
      return false;
    }
    return true;
  }

  // Plain decimal integers and floats (`12`, `1.5`); the rest goes to the tree.
  bool NumberToken() {
    uint32_t begin = p_;
    while (IsDigit(Peek())) ++p_;
    if (Peek() == '.' && IsDigit(Peek(1))) {
      ++p_;
      while (IsDigit(Peek())) ++p_;
    }
    if (s_[begin] == '0' && p_ - begin > 1 && s_[begin + 1] != '.') return false;
    return !IsIdChar(Peek()) && Peek() != '.';
  }

  bool Ident() {
    uint32_t begin = p_;
    if (!IsIdStart(Peek())) return false;
    while (IsIdChar(Peek())) ++p_;
    return !IsReserved(s_.substr(begin, p_ - begin));
  }

  bool NameOrCall(Expr& e) {
    uint32_t begin = p_;
    uint32_t name_end = p_;
    while (name_end < end_ && IsIdChar(s_[name_end])) ++name_end;
    std::string_view first = s_.substr(p_, name_end - p_);
    char after = name_end < end_ ? s_[name_end] : '\0';
    if ((first == "True" || first == "False" || first == "None") && after != '.' && after != '(') {
      p_ = name_end;
      e.kind = first == "True"    ? Expr::Kind::kTrue
               : first == "False" ? Expr::Kind::kFalse
                                  : Expr::Kind::kNone;
      e.span = SpanFrom(begin);
      return true;
    }
    if (!Ident()) return false;
    bool dotted = false;
    while (Peek() == '.') {
      ++p_;
      if (!Ident()) return false;
      dotted = true;
    }
    std::string_view name = s_.substr(begin, p_ - begin);
    if (Peek() != '(') {
      e.kind = dotted ? Expr::Kind::kAttribute : Expr::Kind::kName;
      e.text = std::string(name);
      e.span = SpanFrom(begin);
      return true;
    }
    ++p_;
    e.kind = Expr::Kind::kCall;
    e.text = std::string(name);
    if (!Arguments(e)) return false;
    e.span = SpanFrom(begin);
    return true;
  }

  // After `(`: arguments up to and including `)`.
  bool Arguments(Expr& e) {
    Ws();
    if (Peek() == ')') {
      ++p_;
      return true;
    }
    for (;;) {
      Ws();
      std::string keyword;
      if (IsIdStart(Peek()) && StringPrefix() < 0) {
        uint32_t save = p_;
        if (Ident()) {
          std::string_view name = s_.substr(save, p_ - save);
          Ws();
          if (Peek() == '=' && Peek(1) != '=') {
            ++p_;
            Ws();
            keyword = std::string(name);
          } else {
            p_ = save;
          }
        } else {
          p_ = save;
        }
      }
      Expr v;
      if (!Value(v)) return false;
      if (e.children.empty()) {
        e.children.reserve(4);
        e.keywords.reserve(4);
      }
      e.keywords.push_back(std::move(keyword));
      e.children.push_back(std::move(v));
      Ws();
      char c = Peek();
      if (c == ',') {
        ++p_;
        Ws();
        if (Peek() == ')') {
          ++p_;
          return true;
        }
        continue;
      }
      if (c == ')') {
        ++p_;
        return true;
      }
      return false;
    }
  }

  // After `[` or `{`: elements (for a dict, key `:` value pairs) up to the closing bracket.
  bool Elements(Expr& e, char close, bool pairs) {
    Ws();
    if (Peek() == close) {
      ++p_;
      return true;
    }
    for (;;) {
      Ws();
      Expr v;
      if (!Value(v)) return false;
      e.children.push_back(std::move(v));
      Ws();
      if (pairs) {
        if (Peek() != ':') return false;
        ++p_;
        Ws();
        Expr val;
        if (!Value(val)) return false;
        e.children.push_back(std::move(val));
        Ws();
      }
      char c = Peek();
      if (c == ',') {
        ++p_;
        Ws();
        if (Peek() == close) {
          ++p_;
          return true;
        }
        continue;
      }
      if (c == close) {
        ++p_;
        return true;
      }
      return false;
    }
  }

  bool Value(Expr& e) {
    // Each level is a bracket, which ScanLayout bounds; past that the tree reads it.
    if (depth_ > kMaxBracketDepth) return false;
    ++depth_;
    bool ok = Value1(e);
    --depth_;
    return ok;
  }

  bool Value1(Expr& e) {
    uint32_t begin = p_;
    char c = Peek();
    if (c == '"' || c == '\'' || (IsIdStart(c) && StringPrefix() >= 0)) return Strings(e);
    if (IsDigit(c)) {
      if (!NumberToken()) return false;
      e.kind = Expr::Kind::kNumber;
      e.text = std::string(s_.substr(begin, p_ - begin));
      e.span = SpanFrom(begin);
      return true;
    }
    if (c == '-') {
      ++p_;
      Ws();
      uint32_t number = p_;
      if (!IsDigit(Peek()) || !NumberToken()) return false;
      e.kind = Expr::Kind::kNumber;
      e.text = "-" + std::string(s_.substr(number, p_ - number));
      e.span = SpanFrom(begin);
      return true;
    }
    if (IsIdStart(c)) return NameOrCall(e);
    if (c == '[' || c == '{') {
      ++p_;
      e.kind = c == '[' ? Expr::Kind::kList : Expr::Kind::kDict;
      if (!Elements(e, c == '[' ? ']' : '}', c == '{')) return false;
      e.span = SpanFrom(begin);
      return true;
    }
    return false;
  }

  std::string_view s_;
  FileId id_;
  uint32_t end_;
  uint32_t p_ = 0;
  bool escapes_ = false;  // the last StringToken holds a backslash
  int depth_ = 0;         // of Value
};

}  // namespace

std::optional<Expr> ScanCallExpr(std::string_view file, FileId id, uint32_t begin, uint32_t end) {
  if (end > file.size() || begin >= end) return std::nullopt;
  return Scanner(file, id, end).Call(begin);
}

}  // namespace alint
