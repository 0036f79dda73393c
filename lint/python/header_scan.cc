#include "lint/python/header_scan.h"

#include <array>
#include <cctype>
#include <span>
#include <string_view>

#include "lint/python/line_grammar.h"
#include "lint/python/py_layout.h"
#include "lint/python/py_literal.h"
#include "lint/python/scan_tokens.h"

namespace alint {

using namespace scan;  // the token vocabulary, shared with line_grammar.cc

namespace {

// The characters PythonOperatorLength reads as (the start of) an operator.
constexpr std::array<bool, 256> kOperatorChar = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view("=<>!+-*/%&|^~@:;,.")) t[c] = true;
  return t;
}();

// What a byte starts, for ReadLogicalLine's dispatch.
enum class Lead : uint8_t {
  kOther,
  kBlank,
  kEol,
  kHash,
  kBackslash,
  kQuote,
  kName,
  kDigit,
  kDot,
  kOpen,
  kClose,
  kOperator
};
constexpr std::array<Lead, 256> kLead = [] {
  std::array<Lead, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const auto u = static_cast<unsigned char>(c);
    Lead l = Lead::kOther;
    if (c == ' ' || c == '\t') {
      l = Lead::kBlank;
    } else if (c == '\n' || c == '\r') {
      l = Lead::kEol;
    } else if (c == '#') {
      l = Lead::kHash;
    } else if (c == '\\') {
      l = Lead::kBackslash;
    } else if (c == '"' || c == '\'') {
      l = Lead::kQuote;
    } else if (IsNameStart(u)) {
      l = Lead::kName;
    } else if (c >= '0' && c <= '9') {
      l = Lead::kDigit;
    } else if (c == '.') {
      l = Lead::kDot;
    } else if (c == '(' || c == '[' || c == '{') {
      l = Lead::kOpen;
    } else if (c == ')' || c == ']' || c == '}') {
      l = Lead::kClose;
    } else if (kOperatorChar[u]) {
      l = Lead::kOperator;
    }
    t[u] = l;
  }
  return t;
}();

// Bytes that need a decision inside a string literal: every other byte is skipped.
constexpr std::array<bool, 256> kStringSpecial = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view("\\\"'{}\n\r")) t[c] = true;
  return t;
}();

bool IsStringPrefix(std::string_view p) {
  if (p.size() > 2) return false;
  bool r = false, b = false, u = false, f = false;
  for (char c : p) {
    switch (c | 0x20) {
      case 'r':
        if (r) return false;
        r = true;
        break;
      case 'b':
        if (b) return false;
        b = true;
        break;
      case 'u':
        if (u) return false;
        u = true;
        break;
      case 'f':
        if (f) return false;
        f = true;
        break;
      default:
        return false;
    }
  }
  return !(u && p.size() > 1) && !(b && f);
}

}  // namespace

uint32_t PythonOperatorLength(std::string_view t, uint32_t p) {
  // A switch on the next characters: this runs for every punctuation character of every
  // header, and comparing against a table of operator strings cost a third of `heads`.
  char a = t[p];
  char b = p + 1 < t.size() ? t[p + 1] : '\0';
  char c = p + 2 < t.size() ? t[p + 2] : '\0';
  switch (a) {
    case '*':
    case '/':
    case '<':
    case '>':
      if (b == a) return c == '=' ? 3 : 2;  // ** //= << >>=
      return b == '=' ? 2 : 1;
    case '.':
      return b == '.' && c == '.' ? 3 : 1;
    case '-':
      return b == '=' || b == '>' ? 2 : 1;
    case '=':
    case '!':
    case '+':
    case '%':
    case '&':
    case '|':
    case '^':
    case '@':
    case ':':
      return b == '=' ? 2 : 1;
    default:
      return 1;  // ~ ; , and anything else
  }
}

namespace {

class Scanner {
 public:
  Scanner(const SourceFile& file, uint32_t start)
      : file_(file), text_(file.text), pos_(start), start_(start) {}

  std::optional<HeaderFacts> Run() {
    bool decorated = false;  // the previous statement was a decorator
    uint32_t decorated_col = 0;
    while (true) {
      n_ = 0;
      bool eof = false;
      if (!ReadLogicalLine(eof)) return std::nullopt;
      const std::span<const Token> line(buf_.data(), n_);
      if (!line.empty()) {
        if (!Indented(line[0])) return std::nullopt;
        block_due_ = IsOp(line.back(), ":"_op);
        if (!Plausible(line) || !BlocksPlausible(line) || !Process(line)) return std::nullopt;
        // A decorator stands over a def or class at its own indentation (`@v` over anything
        // else, before a dedent, or at the end of the file, is a syntax error).
        const bool decorator = IsOp(line[0], "@"_op);
        const uint32_t col = Column(line[0]);
        if (decorated &&
            (col != decorated_col ||
             (!decorator && !IsName(line[0], kDef) && !IsName(line[0], kClass) &&
              !(IsName(line[0], kAsync) && line.size() > 1 && IsName(line[1], kDef))))) {
          return std::nullopt;
        }
        decorated = decorator;
        decorated_col = col;
      }
      if (eof) break;
    }
    if (decorated || block_due_) return std::nullopt;
    for (const Level& l : levels_) {
      if (l.head == Head::kTry) return std::nullopt;  // a try without a handler
    }
    return std::move(facts_);
  }

 private:
  // Block structure, which the line grammar cannot see: per indentation column, what the last
  // statement there opened. `elif` and `else` must continue an `if` (or a loop, or a try's
  // handlers), `except` and `finally` a `try`, and a `try` must be continued by one of them
  // (header_diff found `elif` and `except` with nothing before them, which tree-sitter reports
  // and the scanner read through).
  enum class Head : uint8_t { kSimple, kIf, kLoop, kTry, kExcept, kTryElse };
  struct Level {
    uint32_t column;
    Head head;
  };

  uint32_t Column(const Token& t) const {
    uint32_t b = t.begin;
    while (b > start_ && text_[b - 1] != '\n' && text_[b - 1] != '\r') --b;
    return t.begin - b;
  }

  // CPython's indentation bookkeeping at the start of a logical line (ScanLayout's, which the
  // header-only read does not run first): tabs to multiples of 8 and to 1 column must order
  // the lines the same way (TabError), a block must follow a line ending in `:` and only
  // there may a line be indented further, a dedent must return to an open level, and at most
  // 99 levels. False on any of these: the caller then runs ScanLayout, which reports it.
  bool Indented(const Token& first) {
    uint32_t b = first.begin;
    while (b > start_ && text_[b - 1] != '\n' && text_[b - 1] != '\r') --b;
    uint32_t col = 0, alt = 0;
    for (uint32_t p = b; p < first.begin; ++p) {
      if (text_[p] == ' ') {
        ++col;
      } else if (text_[p] == '\t') {
        col = (col / 8 + 1) * 8;
      } else {
        return false;  // a form feed (the tokenizer refused it already) or a continuation
      }
      ++alt;
    }
    if (indents_.empty()) indents_.push_back({0, 0});
    const Indent top = indents_.back();
    if (col > top.col) {
      if (!block_due_ || alt <= top.alt || indents_.size() > 99) return false;
      indents_.push_back({col, alt});
      return true;
    }
    if (block_due_) return false;
    while (col < indents_.back().col) indents_.pop_back();
    return col == indents_.back().col && alt == indents_.back().alt;
  }

  bool BlocksPlausible(std::span<const Token> line) {
    const uint32_t col = Column(line[0]);
    while (!levels_.empty() && levels_.back().column > col) {
      if (levels_.back().head == Head::kTry) return false;
      levels_.pop_back();
    }
    const bool same = !levels_.empty() && levels_.back().column == col;
    const Head prev = same ? levels_.back().head : Head::kSimple;
    const Token& h = line[0];
    const uint8_t w = h.kind == Tok::kName ? h.word : uint8_t{kNoWord};
    const bool loop =
        w == kFor || w == kWhile || (w == kAsync && line.size() > 1 && IsName(line[1], kFor));
    Head head = Head::kSimple;
    if (w == kElif) {
      if (!same || prev != Head::kIf) return false;
      head = Head::kIf;
    } else if (w == kElse) {
      if (!same || (prev != Head::kIf && prev != Head::kLoop && prev != Head::kExcept)) {
        return false;
      }
      head = prev == Head::kExcept ? Head::kTryElse : Head::kSimple;
    } else if (w == kExcept) {
      if (!same || (prev != Head::kTry && prev != Head::kExcept)) return false;
      head = Head::kExcept;
    } else if (w == kFinally) {
      if (!same || (prev != Head::kTry && prev != Head::kExcept && prev != Head::kTryElse)) {
        return false;
      }
    } else {
      if (prev == Head::kTry) return false;  // a try's body ended without a handler
      head = w == kIf ? Head::kIf : w == kTry ? Head::kTry : loop ? Head::kLoop : Head::kSimple;
    }
    if (same) {
      levels_.back().head = head;
    } else {
      levels_.push_back({col, head});
    }
    return true;
  }

  static bool IsOp(const Token& t, uint32_t op) { return t.kind == Tok::kOp && t.op == op; }

  // Rejects (so the caller parses, and the parser reports the error) a logical line CPython
  // refuses, which tree-sitter's error recovery may read without an error node: the line
  // grammar (line_grammar.cc) accepts only what it knows to be valid Python (two atoms side
  // by side, `"27c6a30d"c742`, a number run into a name, `0None`, an operator without its
  // operand, `x = *`). The block structure across lines is BlocksPlausible's.
  bool Plausible(std::span<const Token> line) const {
    const Token& last = line.back();
    if (last.kind == Tok::kOp) {
      const uint32_t op = last.op;
      bool ok = op == ")"_op || op == "]"_op || op == "}"_op || op == ","_op || op == ";"_op ||
                op == ":"_op || op == "..."_op ||
                (op == "*"_op && line.size() >= 2 && IsName(line[line.size() - 2], kImport));
      if (!ok) return false;
    }
    return LineValid(line, text_);
  }

  static bool IsName(const Token& t, uint8_t word) {
    return t.kind == Tok::kName && t.word == word;
  }

  RevisionValue* Slot(const Token& t) {
    if (t.kind != Tok::kName) return nullptr;
    switch (t.word) {
      case kRevision:
        return &facts_.revision;
      case kDownRevision:
        return &facts_.down_revision;
      case kBranchLabels:
        return &facts_.branch_labels;
      case kDependsOn:
        return &facts_.depends_on;
      default:
        return nullptr;
    }
  }

  // Reads tokens up to the end of a logical line; false when unsure (the caller falls back).
  // The current logical line's tokens are buf_[0, n_): a buffer kept for the whole file.
  void Push(Token t) {
    if (n_ == buf_.size()) buf_.resize(buf_.empty() ? 64 : buf_.size() * 2);
    buf_[n_++] = t;
  }

  // Also gives up where ScanLayout, which the header-only read does not run first, would
  // refuse the line: brackets nested deeper than CPython's 200, or a chain of prefix operators,
  // `**`, calls and subscripts longer than kMaxPrefixChain (counted loosely: every such token in
  // the logical line, at least as many as any chain in it).
  bool ReadLogicalLine(bool& eof) {
    int depth = 0;
    int chain = 0;
    while (true) {
      if (pos_ >= text_.size()) {
        eof = true;
        return depth == 0;
      }
      auto c = static_cast<unsigned char>(text_[pos_]);
      Lead lead = kLead[c];
      if (lead == Lead::kDot) {
        const bool digit =
            pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9';
        lead = digit ? Lead::kDigit : Lead::kOperator;
      }
      switch (lead) {
        case Lead::kBlank:
          ++pos_;
          while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
          break;
        case Lead::kEol:
          ++pos_;
          if (depth == 0 && n_ > 0) return true;
          break;
        case Lead::kHash: {
          uint32_t b = pos_;
          while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
          if (auto s = ReadSuppression(file_, b, pos_)) {
            facts_.suppressions.push_back(std::move(*s));
          }
          break;
        }
        case Lead::kBackslash:
          // Before the line's first token the continuation moves where CPython measures the
          // indentation (Indented cannot see it); at the end of the file it is CPython's
          // "unexpected EOF": both left to ScanLayout.
          if (n_ == 0) return false;
          ++pos_;
          if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
          if (pos_ >= text_.size() || text_[pos_] != '\n') return false;
          ++pos_;
          if (pos_ >= text_.size()) return false;
          break;
        case Lead::kQuote:
          if (!ReadString(pos_, pos_, false)) return false;
          break;
        case Lead::kName: {
          uint32_t b = pos_;
          unsigned high = 0;  // any byte >= 0x80 in the name
          while (pos_ < text_.size() && IsNameChar(static_cast<unsigned char>(text_[pos_]))) {
            high |= static_cast<unsigned char>(text_[pos_]);
            ++pos_;
          }
          // A non-ASCII name: whether each character may stand in an identifier (U+FEFF, a
          // no-break space or a symbol may not) is Unicode's XID tables, which the parser
          // knows and the scanner does not. Rare in migrations: left to the parser.
          if (high & 0x80) return false;
          if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'') &&
              IsStringPrefix(text_.substr(b, pos_ - b))) {
            bool f = text_.substr(b, pos_ - b).find_first_of("fF") != std::string_view::npos;
            if (!ReadString(b, pos_, f)) return false;
          } else {
            const uint8_t w = LookupWord(text_.substr(b, pos_ - b));
            if ((w == kNot || w == kLambda || w == kAwait) && ++chain > kMaxPrefixChain) {
              return false;
            }
            Push({Tok::kName, w, 0, b, pos_});
          }
          break;
        }
        case Lead::kDigit: {
          uint32_t b = pos_;
          while (pos_ < text_.size() &&
                 (IsNameChar(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) {
            ++pos_;
          }
          Push({Tok::kNumber, kNoWord, 0, b, pos_});
          break;
        }
        case Lead::kOpen:
          if (++depth > kMaxBracketDepth || (c != '{' && ++chain > kMaxPrefixChain)) return false;
          Push({Tok::kOp, kNoWord, c, pos_, pos_ + 1});
          ++pos_;
          break;
        case Lead::kClose:
          if (--depth < 0) return false;
          Push({Tok::kOp, kNoWord, c, pos_, pos_ + 1});
          ++pos_;
          break;
        case Lead::kOperator: {
          uint32_t len = PythonOperatorLength(text_, pos_);
          const uint32_t op = PackOp(text_.substr(pos_, len));
          if ((op == "-"_op || op == "+"_op || op == "~"_op || op == "**"_op) &&
              ++chain > kMaxPrefixChain) {
            return false;
          }
          Push({Tok::kOp, kNoWord, op, pos_, pos_ + len});
          pos_ += len;
          break;
        }
        case Lead::kDot:
        case Lead::kOther:
          return false;  // form feed, stray characters: not worth guessing
      }
    }
  }

  // A string literal whose prefix starts at `begin` and opening quote is at `quote`.
  bool ReadString(uint32_t begin, uint32_t quote, bool fstring) {
    char q = text_[quote];
    bool triple = quote + 2 < text_.size() && text_[quote + 1] == q && text_[quote + 2] == q;
    uint32_t p = quote + (triple ? 3 : 1);
    int field_depth = 0;
    while (true) {
      while (p < text_.size() && !kStringSpecial[static_cast<unsigned char>(text_[p])]) ++p;
      if (p >= text_.size()) return false;
      char c = text_[p];
      if (c == '\\') {
        p += 2;
        continue;
      }
      if (fstring && c == '{') {
        if (field_depth == 0 && p + 1 < text_.size() && text_[p + 1] == '{') {
          p += 2;
          continue;
        }
        ++field_depth;
      } else if (fstring && c == '}' && field_depth > 0) {
        --field_depth;
      } else if (c == q) {
        // Python 3.12 lets a replacement field reuse the quote; older Pythons end the string.
        if (field_depth > 0) return false;
        if (!triple) {
          p += 1;
          break;
        }
        if (p + 2 < text_.size() && text_[p + 1] == q && text_[p + 2] == q) {
          p += 3;
          break;
        }
      } else if (!triple && (c == '\n' || c == '\r')) {
        return false;  // unterminated
      }
      ++p;
    }
    if (p > text_.size()) return false;
    Push({Tok::kString, kNoWord, 0, begin, p});
    pos_ = p;
    return true;
  }

  bool AtColumnZero(const Token& t) const {
    return t.begin == start_ || text_[t.begin - 1] == '\n' || text_[t.begin - 1] == '\r';
  }

  bool MentionsSlot(std::span<const Token> line) {
    for (const Token& t : line) {
      if (Slot(t) != nullptr) return true;
    }
    return false;
  }

  bool Process(std::span<const Token> line) {
    const Token& head = line.front();
    bool first_statement = first_statement_;
    first_statement_ = false;
    if (!AtColumnZero(head)) {
      // Lines in a module-level if/try/with body may assign conditionally: let the parser say.
      if (first_statement) return false;
      return in_def_block_ || !MentionsSlot(line);
    }
    if (IsName(head, kDef) || IsName(head, kClass) || IsName(head, kAsync)) {
      in_def_block_ = true;
      return true;
    }
    if (IsOp(head, "@"_op)) {
      in_def_block_ = true;
      return true;
    }
    in_def_block_ = false;
    if (first_statement && head.kind == Tok::kString) return ReadDocstring(line);
    if (first_statement && IsOp(head, "("_op) && line.size() > 1 && line[1].kind == Tok::kString) {
      return false;  // a parenthesised docstring: rare enough to leave to the parser
    }
    RevisionValue* slot = Slot(head);
    if (slot == nullptr) return !MentionsSlot(line);
    return ReadAssignment(line, *slot);
  }

  bool ReadDocstring(std::span<const Token> line) {
    DecodedString d;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i].kind != Tok::kString) return false;
      DecodedString piece = DecodeLiteral(text_, line[i].begin, line[i].end);
      if (i == 0) {
        d = std::move(piece);
      } else {
        AppendLiteral(d, piece);
      }
    }
    if (d.kind != LiteralKind::kStr) return true;
    facts_.docstring.present = true;
    facts_.docstring.span = Span{file_.id, line.front().begin, line.back().end};
    ReadDocstringFields(d, facts_.docstring, file_.id);
    return true;
  }

  bool ReadAssignment(std::span<const Token> line, RevisionValue& rv) {
    if (line.size() < 2) return false;
    size_t value_at;
    if (IsOp(line[1], "="_op)) {
      value_at = 2;
    } else if (IsOp(line[1], ":"_op)) {
      int depth = 0;
      value_at = 0;
      for (size_t i = 2; i < line.size() && value_at == 0; ++i) {
        depth += Depth(line[i]);
        // `depends_on: X; y = None`: the `=` after a `;` is another statement's.
        if (depth == 0 && IsOp(line[i], ";"_op)) break;
        if (depth == 0 && IsOp(line[i], "="_op)) value_at = i + 1;
      }
      if (value_at == 0) return !MentionsSlot({line.begin() + 1, line.end()});  // annotation only
    } else {
      return false;  // `revision.x = `, `revision += `, `revision, down_revision = ` ...
    }
    if (value_at >= line.size()) return false;
    int depth = 0;
    for (size_t i = value_at; i < line.size(); ++i) {
      depth += Depth(line[i]);
      if (depth == 0 && (IsOp(line[i], "="_op) || IsOp(line[i], ":"_op) || IsOp(line[i], ";"_op))) {
        return false;
      }
    }
    Range value{value_at, line.size()};
    rv.assignments += 1;
    rv.items.clear();
    rv.conditional = false;
    rv.target = Span{file_.id, line[0].begin, line[0].end};
    rv.value = Span{file_.id, line[value.begin].begin, line[value.end - 1].end};
    rv.source = std::string(text_.substr(rv.value.begin, rv.value.end - rv.value.begin));
    rv.kind = ValueKind::kNotLiteral;
    return Classify(line, value, rv);
  }

  static int Depth(const Token& t) {
    if (t.kind != Tok::kOp) return 0;
    switch (t.op) {
      case "("_op:
      case "["_op:
      case "{"_op:
        return 1;
      case ")"_op:
      case "]"_op:
      case "}"_op:
        return -1;
      default:
        return 0;
    }
  }

  struct Range {
    size_t begin, end;
  };

  // Index of the bracket closing the one at `open`, or line.size().
  size_t Closing(std::span<const Token> line, size_t open, size_t end) const {
    int depth = 0;
    for (size_t i = open; i < end; ++i) {
      depth += Depth(line[i]);
      if (depth == 0) return i;
    }
    return line.size();
  }

  bool Wrapped(std::span<const Token> line, Range r, uint32_t open) const {
    return r.end - r.begin >= 2 && IsOp(line[r.begin], open) &&
           Closing(line, r.begin, r.end) == r.end - 1;
  }

  Range Unparen(std::span<const Token> line, Range r) const {
    // `(x)` is x, but `()` and `(x,)` are tuples.
    while (Wrapped(line, r, "("_op) && r.end - r.begin > 2 &&
           !HasTopComma(line, {r.begin + 1, r.end - 1})) {
      r = {r.begin + 1, r.end - 1};
    }
    return r;
  }

  bool HasTopComma(std::span<const Token> line, Range r) const {
    int depth = 0;
    for (size_t i = r.begin; i < r.end; ++i) {
      depth += Depth(line[i]);
      if (depth == 0 && IsOp(line[i], ","_op)) return true;
    }
    return false;
  }

  // A run of string tokens that is a str literal.
  std::optional<StringItem> StringRun(std::span<const Token> line, Range r) const {
    if (r.begin >= r.end) return std::nullopt;
    DecodedString d;
    for (size_t i = r.begin; i < r.end; ++i) {
      if (line[i].kind != Tok::kString) return std::nullopt;
      DecodedString piece = DecodeLiteral(text_, line[i].begin, line[i].end);
      if (i == r.begin) {
        d = std::move(piece);
      } else {
        AppendLiteral(d, piece);
      }
    }
    if (d.kind != LiteralKind::kStr) return std::nullopt;
    return StringItem{std::move(d.value), Span{file_.id, line[r.begin].begin, line[r.end - 1].end}};
  }

  // Fills rv from the value tokens; false when the tokens are not valid Python as far as the
  // scanner can tell (the parser then reports the error).
  bool Classify(std::span<const Token> line, Range r, RevisionValue& rv) const {
    r = Unparen(line, r);
    if (r.end - r.begin == 1 && IsName(line[r.begin], kNone)) {
      rv.kind = ValueKind::kNone;
      return true;
    }
    if (auto item = StringRun(line, r)) {
      rv.kind = ValueKind::kString;
      rv.items.push_back(std::move(*item));
      return true;
    }
    Range elems = r;
    bool sequence = false;
    if (Wrapped(line, r, "("_op) || Wrapped(line, r, "["_op)) {
      elems = {r.begin + 1, r.end - 1};
      sequence = true;
    } else if (HasTopComma(line, r)) {
      sequence = true;
    }
    if (!sequence) return true;  // kNotLiteral
    std::vector<StringItem> items;
    bool literal = true;
    size_t i = elems.begin;
    int depth = 0;
    size_t el_begin = i;
    for (; i <= elems.end; ++i) {
      bool at_end = i == elems.end;
      if (!at_end) depth += Depth(line[i]);
      if (at_end || (depth == 0 && IsOp(line[i], ","_op))) {
        if (el_begin == i) {
          // Only a trailing comma after at least one element may leave an empty slot.
          if (!(at_end && el_begin > elems.begin)) {
            if (at_end && el_begin == elems.begin) break;  // `()` / `[]`
            return false;
          }
          break;
        }
        auto item = StringRun(line, Unparen(line, {el_begin, i}));
        if (!item) {
          literal = false;
        } else {
          items.push_back(std::move(*item));
        }
        el_begin = i + 1;
      }
    }
    if (literal) {
      rv.kind = ValueKind::kSequence;
      rv.items = std::move(items);
    }
    return true;
  }

  const SourceFile& file_;
  std::string_view text_;
  uint32_t pos_;
  uint32_t start_;
  HeaderFacts facts_;
  std::vector<Token> buf_;
  size_t n_ = 0;
  std::vector<Level> levels_;  // BlocksPlausible: open columns, outermost first
  // Indented: the open indentation levels, tabs to 8 columns and to 1, outermost first.
  struct Indent {
    uint32_t col, alt;
  };
  std::vector<Indent> indents_;
  bool block_due_ = false;  // the last logical line ended with `:`
  bool first_statement_ = true;
  bool in_def_block_ = false;
};

}  // namespace

void HeaderFacts::MoveInto(Migration& m) {
  m.revision = std::move(revision);
  m.down_revision = std::move(down_revision);
  m.branch_labels = std::move(branch_labels);
  m.depends_on = std::move(depends_on);
  m.docstring = std::move(docstring);
  m.suppressions = std::move(suppressions);
}

std::optional<HeaderFacts> ScanHeader(const SourceFile& file, uint32_t start) {
  return Scanner(file, start).Run();
}

}  // namespace alint
