#include "lint/python/py_layout.h"

#include <fmt/format.h>

#include <array>

#include "lint/python/py_literal.h"

namespace alint {
namespace {

// Bytes that need a decision of their own; every other byte is part of a plain run (names,
// numbers, operators other than `:`), skipped a run at a time.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view("\n\r \t\f#\\\"'()[]{}:")) t[c] = true;
  return t;
}();

// What a byte starts, for Run's dispatch: the special bytes, each kind on its own, and the rest.
enum class Lead : uint8_t {
  kPlain,
  kEol,
  kBlank,
  kHash,
  kBackslash,
  kQuote,
  kOpen,
  kClose,
  kColon
};
constexpr std::array<Lead, 256> kLead = [] {
  std::array<Lead, 256> t{};
  t['\n'] = t['\r'] = Lead::kEol;
  t[' '] = t['\t'] = t['\f'] = Lead::kBlank;
  t['#'] = Lead::kHash;
  t['\\'] = Lead::kBackslash;
  t['"'] = t['\''] = Lead::kQuote;
  t['('] = t['['] = t['{'] = Lead::kOpen;
  t[')'] = t[']'] = t['}'] = Lead::kClose;
  t[':'] = Lead::kColon;
  return t;
}();

// Bytes of a name or a number (any non-ASCII byte is part of a name); `.` is read on its own.
constexpr std::array<bool, 256> kWord = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
  }
  return t;
}();

// What a word does to a chain of prefix operators: `not` and `await` nest what follows,
// `lambda` too (its parameters run to its `:`), and keywords that sit between two operands (or
// start a clause) complete the chain before them. Any other word is an operand.
enum class WordKind : uint8_t { kOperand, kNest, kLambda, kSeparator };

struct KnownWord {
  std::string_view text;
  WordKind kind;
};

// In ASCII order, so that the words sharing a first letter sit together (kFirstKnown).
constexpr KnownWord kKnownWords[] = {
    {"and", WordKind::kSeparator},      {"as", WordKind::kSeparator},
    {"assert", WordKind::kSeparator},   {"async", WordKind::kSeparator},
    {"await", WordKind::kNest},         {"break", WordKind::kSeparator},
    {"class", WordKind::kSeparator},    {"continue", WordKind::kSeparator},
    {"def", WordKind::kSeparator},      {"del", WordKind::kSeparator},
    {"elif", WordKind::kSeparator},     {"else", WordKind::kSeparator},
    {"except", WordKind::kSeparator},   {"finally", WordKind::kSeparator},
    {"for", WordKind::kSeparator},      {"from", WordKind::kSeparator},
    {"global", WordKind::kSeparator},   {"if", WordKind::kSeparator},
    {"import", WordKind::kSeparator},   {"in", WordKind::kSeparator},
    {"is", WordKind::kSeparator},       {"lambda", WordKind::kLambda},
    {"nonlocal", WordKind::kSeparator}, {"not", WordKind::kNest},
    {"or", WordKind::kSeparator},       {"pass", WordKind::kSeparator},
    {"raise", WordKind::kSeparator},    {"return", WordKind::kSeparator},
    {"try", WordKind::kSeparator},      {"while", WordKind::kSeparator},
    {"with", WordKind::kSeparator},     {"yield", WordKind::kSeparator}};
constexpr size_t kKnownCount = std::size(kKnownWords);

// Per first byte: the first entry of kKnownWords starting with it (the next byte's entry ends
// the run).
constexpr std::array<uint8_t, 257> kFirstKnown = [] {
  std::array<uint8_t, 257> t{};
  size_t w = 0;
  for (size_t c = 0; c < 257; ++c) {
    while (w < kKnownCount && static_cast<unsigned char>(kKnownWords[w].text[0]) < c) ++w;
    t[c] = static_cast<uint8_t>(w);
  }
  return t;
}();

WordKind KindOfWord(std::string_view w) {
  if (w.size() < 2 || w.size() > 8) return WordKind::kOperand;  // every keyword: 2 to 8 bytes
  const auto c = static_cast<unsigned char>(w[0]);
  for (size_t i = kFirstKnown[c]; i < kFirstKnown[c + 1u]; ++i) {
    if (SameShortText(kKnownWords[i].text, w)) return kKnownWords[i].kind;
  }
  return WordKind::kOperand;
}

// Bytes that end a run of a string literal's plain characters.
constexpr std::array<bool, 256> kStringSpecial = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view("\n\r\\\"'")) t[c] = true;
  return t;
}();

class LayoutScanner {
 public:
  LayoutScanner(std::string_view text, uint32_t start) : t_(text), p_(start) {}

  PyLayout Run() {
    indents_.push_back(0);
    alt_indents_.push_back(0);
    while (p_ < t_.size() && !out_.error) {
      if (line_start_) {
        line_start_ = false;
        if (depth_ == 0 && !continued_ && !Indentation()) break;
        continued_ = false;
      }
      char c = t_[p_];
      // A `break` out of the switch after Fail ends the loop too (its condition checks).
      switch (kLead[static_cast<unsigned char>(c)]) {
        case Lead::kEol:
          EndPhysicalLine();
          break;
        case Lead::kBlank:
          ++p_;
          while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\f')) ++p_;
          break;
        case Lead::kHash:
          while (p_ < t_.size() && t_[p_] != '\n' && t_[p_] != '\r') ++p_;
          break;
        case Lead::kBackslash:
          Continuation();
          line_start_ = true;
          continued_ = true;
          break;
        case Lead::kQuote: {
          item_start_ = after_colon_ = false;
          // Adjacent literals concatenate, but bytes never with text.
          const int8_t bytes = BytesPrefix() ? 1 : 0;
          if (last_string_ >= 0 && last_string_ != bytes) {
            Fail(p_, "cannot mix bytes and nonbytes literals (SyntaxError)");
            break;
          }
          String();
          last_string_ = bytes;
          operand_ = true;
          Token(false);
          break;
        }
        case Lead::kOpen:
          if (++depth_ > kMaxBracketDepth) {
            Fail(p_, fmt::format("too many nested parentheses (SyntaxError: CPython allows at "
                                 "most {} nested brackets)",
                                 kMaxBracketDepth));
            break;
          }
          {
            // A `(` after an operand is a call, a `[` a subscript; a `(` after anything else
            // groups (or makes a tuple or a generator).
            Bracket kind = c == '('   ? (operand_ ? Bracket::kOther : Bracket::kParen)
                           : c == '{' ? Bracket::kBrace
                                      : (operand_ ? Bracket::kSubscript : Bracket::kOther);
            // A call or subscript nests what precedes it: `f()()()...` is a chain too.
            if (operand_ && c != '{') Nest(p_);
            if (out_.error) break;
            levels_.push_back({chain_, lambdas_, kind});
            last_string_ = -1;
            lambdas_ = 0;
            operand_ = false;
            item_start_ = true;
            ++p_;
            Token(false);
            break;
          }
        case Lead::kClose:
          if (depth_ > 0) --depth_;
          if (!levels_.empty() && levels_.back().kind == Bracket::kParen &&
              levels_.back().first_star && !levels_.back().comma) {
            Fail(levels_.back().star_at,
                 "cannot use starred expression here (SyntaxError): `(*a)` needs a comma to be "
                 "a tuple, `(*a,)`");
            break;
          }
          item_start_ = after_colon_ = false;
          last_string_ = -1;
          if (!levels_.empty()) {
            chain_ = levels_.back().chain;
            lambdas_ = levels_.back().lambdas;
            levels_.pop_back();
          }
          operand_ = true;
          ++p_;
          Token(false);
          break;
        case Lead::kColon: {
          bool walrus = p_ + 1 < t_.size() && t_[p_ + 1] == '=';
          item_start_ = after_colon_ = false;
          last_string_ = -1;
          if (walrus && !levels_.empty() && levels_.back().kind == Bracket::kSubscript &&
              levels_.back().star_item) {
            Fail(p_,
                 "invalid syntax: a starred item cannot be an assignment expression "
                 "(`a[*b := c]`; write `a[*(b := c)]`)");
            break;
          }
          if (lambdas_ > 0 && !walrus) {
            --lambdas_;  // a lambda's body follows: it nests inside the lambda
            operand_ = false;
          } else {
            // A slice bound, or a dictionary's value (a set has no `:` outside nested brackets
            // and lambdas): Star refuses a `*` right after it.
            const Bracket kind = levels_.empty() ? Bracket::kOther : levels_.back().kind;
            if (!walrus && kind == Bracket::kSubscript && levels_.back().star_item) {
              Fail(p_, "invalid syntax: a starred item cannot be a slice bound (`a[*b:c]`)");
              break;
            }
            after_colon_ = !walrus && (kind == Bracket::kSubscript || kind == Bracket::kBrace);
            Separator();
          }
          Token(!walrus);  // `:` alone ends a header, `:=` not
          p_ += walrus ? 2 : 1;
          break;
        }
        case Lead::kPlain:
          Plain();
          break;
      }
    }
    if (!out_.error && depth_ == 0 && (tokens_ ? colon_ : block_due_)) {
      Fail(static_cast<uint32_t>(t_.size()),
           "expected an indented block at the end of the file (IndentationError)");
    }
    return std::move(out_);
  }

 private:
  bool AtLineBreak() const { return p_ < t_.size() && (t_[p_] == '\n' || t_[p_] == '\r'); }
  void SkipLineBreak() {
    if (t_[p_] == '\r' && p_ + 1 < t_.size() && t_[p_ + 1] == '\n') ++p_;
    ++p_;
  }

  void Token(bool colon) {
    tokens_ = true;
    colon_ = colon;
  }

  // A run of bytes between the special ones: names, numbers and operators, read token by token
  // to follow chains of prefix operators (`not`, `lambda`, `await`, unary `-` `+` `~`) and of
  // `**`, each of which nests the rest of the expression one level deeper without a bracket
  // (calls and subscripts, which nest their callee, are counted where brackets open).
  // The run ends at the first special byte; no name or operator byte is one, so each step
  // below stays inside the run by itself (one pass, no end found first).
  void Plain() {
    const auto size = static_cast<uint32_t>(t_.size());
    while (p_ < size && !kSpecial[static_cast<unsigned char>(t_[p_])] && !out_.error) {
      unsigned char c = static_cast<unsigned char>(t_[p_]);
      // Any token but a string's prefix (a word the quote follows) ends a run of literals.
      if (last_string_ >= 0 && (!kWord[c] || !PrefixAt(p_))) last_string_ = -1;
      if (kWord[c]) {
        item_start_ = after_colon_ = false;
        uint32_t b = p_;
        while (p_ < size && kWord[static_cast<unsigned char>(t_[p_])]) ++p_;
        switch (KindOfWord(t_.substr(b, p_ - b))) {
          case WordKind::kNest:
            Nest(b);
            break;
          case WordKind::kLambda:
            ++lambdas_;
            Nest(b);
            break;
          case WordKind::kSeparator:
            Separator();
            break;
          case WordKind::kOperand:
            operand_ = true;
            break;
        }
      } else if (c == ' ' || c == '\t' || c == '\f') {
        ++p_;
      } else if (c == '.') {
        ++p_;  // attribute access, a number's point or `...`: within one operand
        operand_ = true;
        item_start_ = after_colon_ = false;
      } else if (c == '*' && p_ + 1 < size && t_[p_ + 1] == '*' &&
                 (p_ + 2 >= size || t_[p_ + 2] != '=')) {
        if (operand_) {
          Nest(p_);  // `a ** b`: right-associative, `b` nests one level deeper
        } else {
          Separator();  // `**kwargs`
        }
        item_start_ = after_colon_ = false;
        p_ += 2;
      } else if ((c == '-' || c == '+' || c == '~') && !operand_) {
        item_start_ = after_colon_ = false;
        Nest(p_);
        ++p_;
      } else if (c == '*' && !operand_ && (p_ + 1 >= size || t_[p_ + 1] != '=')) {
        Star();
        ++p_;
      } else {
        // Any other operator (binary, comparison, assignment, `,`, `;`): the operand before it
        // is complete.
        Separator();
        item_start_ = after_colon_ = false;
        if (c == ',' && !levels_.empty() && lambdas_ == 0) {
          Level& l = levels_.back();
          l.comma = true;
          l.star_item = false;
          item_start_ = true;
        }
        ++p_;
      }
    }
    Token(false);
  }

  // A `*` where no operand precedes it: unpacking (`f(*a)`, `[*a]`, `a[*b]`, `*a, b = c`), or
  // a lambda's or a definition's `*args` or bare `*`. CPython refuses it as a slice bound, as
  // a dictionary's value and alone in parentheses. The pinned tree-sitter-python grammar
  // refuses a subscript item `*X` unless X starts with a name (`a[*(b)]`, valid since Python
  // 3.11), so those stars are listed for the parse to read as blanks.
  void Star() {
    const bool item = item_start_, after_colon = after_colon_;
    item_start_ = after_colon_ = false;
    Separator();
    if (levels_.empty() || lambdas_ > 0) return;
    Level& l = levels_.back();
    if (l.kind == Bracket::kBrace && after_colon) {
      Fail(p_, "cannot use a starred expression in a dictionary value (SyntaxError)");
      return;
    }
    if (l.kind == Bracket::kSubscript) {
      if (after_colon) {
        Fail(p_, "invalid syntax: a starred item cannot be a slice bound (`a[b:*c]`)");
        return;
      }
      if (item) {
        l.star_item = true;
        out_.subscript_stars.push_back(p_);
      }
    } else if (l.kind == Bracket::kParen && item && !l.comma) {
      l.first_star = true;
      l.star_at = p_;
    }
  }

  void Nest(uint32_t at) {
    operand_ = false;
    if (++chain_ > kMaxPrefixChain) {
      Fail(at, fmt::format("expression nested too deeply: more than {} prefix operators (`not`, "
                           "`lambda`, `await`, unary `-` `+` `~`), `**`, calls or subscripts in "
                           "a row; CPython cannot compile it",
                           kMaxPrefixChain));
    }
  }

  void Separator() {
    operand_ = false;
    if (lambdas_ > 0) return;  // inside a lambda's parameters: the chain goes on after `:`
    chain_ = levels_.empty() ? 0 : levels_.back().chain;
  }

  // Whether a string prefix (`b`, `rb`, `F`, ...) starts at `b`: letters up to a quote.
  bool PrefixAt(uint32_t b) const {
    uint32_t e = b;
    while (e < t_.size() && e - b < 3 &&
           std::string_view("rRbBuUfF").find(t_[e]) != std::string_view::npos) {
      ++e;
    }
    return e > b && e < t_.size() && (t_[e] == '"' || t_[e] == '\'');
  }
  // Whether the literal whose quote is at p_ is bytes: a prefix with `b` right before it.
  bool BytesPrefix() const {
    uint32_t b = p_;
    while (b > 0 && p_ - b < 3 &&
           std::string_view("rRbBuUfF").find(t_[b - 1]) != std::string_view::npos) {
      --b;
    }
    if (b > 0 && kWord[static_cast<unsigned char>(t_[b - 1])]) return false;  // `ab"..."`
    return t_.substr(b, p_ - b).find_first_of("bB") != std::string_view::npos;
  }

  void EndPhysicalLine() {
    if (depth_ == 0) {
      chain_ = 0;
      lambdas_ = 0;
      last_string_ = -1;
      operand_ = false;
      levels_.clear();
    }
    if (depth_ == 0 && tokens_) {
      out_.newlines.push_back(p_);
      block_due_ = colon_;  // a compound statement's header: its block must follow
    }
    if (depth_ == 0) tokens_ = false;
    SkipLineBreak();
    line_start_ = true;
  }

  void Fail(uint32_t at, std::string message) {
    out_.error = PyLayoutError{at, std::move(message)};
  }

  // A `\` outside a string or comment: it must end its line (CPython: "unexpected character
  // after line continuation character"), and a line must follow (else "unexpected EOF while
  // parsing"). False (after Fail) when not.
  bool Continuation() {
    const uint32_t at = p_++;
    if (p_ < t_.size() && !AtLineBreak()) {
      Fail(at, "unexpected character after line continuation character (SyntaxError)");
      return false;
    }
    if (p_ < t_.size()) SkipLineBreak();
    if (p_ >= t_.size()) {
      Fail(at,
           "unexpected EOF while parsing (SyntaxError): the file ends with a line "
           "continuation (`\\`)");
      return false;
    }
    return true;
  }

  // At the start of a logical line: CPython's indentation bookkeeping (tabs to multiples of 8,
  // a form feed resets the column; blank and comment-only lines do not count). False on error.
  // Each level is measured twice, as CPython's tokenizer does: tabs to multiples of 8 (`col`)
  // and tabs as one column (`alt`). The two must order the lines the same way, or the meaning
  // would depend on the tab size: TabError.
  bool Indentation() {
    uint32_t line = p_;
    uint32_t col = 0;
    uint32_t alt = 0;
    // A continuation among the indentation goes on counting on the next line, but the column
    // of the first `\` (when not 0) is the line's indentation, as in CPython 3.11's tokenizer.
    uint32_t cont_col = 0;
    while (p_ < t_.size()) {
      char c = t_[p_];
      if (c == ' ') {
        ++col;
        ++alt;
      } else if (c == '\t') {
        col = (col / 8 + 1) * 8;
        ++alt;
      } else if (c == '\f') {
        col = 0;
        alt = 0;
      } else if (c == '\\') {
        if (cont_col == 0) cont_col = col;
        if (!Continuation()) return false;
        continue;
      } else {
        break;
      }
      ++p_;
    }
    if (p_ >= t_.size() || t_[p_] == '#' || t_[p_] == '\n' || t_[p_] == '\r') return true;
    if (cont_col != 0) col = alt = cont_col;
    if (!ConsistentTabs(col, alt)) {
      Fail(line, "inconsistent use of tabs and spaces in indentation (TabError)");
      return false;
    }
    bool due = block_due_;
    block_due_ = false;
    if (col > indents_.back() && !due) {
      Fail(line, "unexpected indent (IndentationError)");
      return false;
    }
    if (col <= indents_.back() && due) {
      Fail(line, "expected an indented block (IndentationError)");
      return false;
    }
    if (col > indents_.back()) {
      if (static_cast<int>(indents_.size()) > kMaxIndentLevels) {
        Fail(line, fmt::format("too many levels of indentation (IndentationError: CPython allows "
                               "at most {} nested blocks)",
                               kMaxIndentLevels));
        return false;
      }
      indents_.push_back(col);
      alt_indents_.push_back(alt);
    } else {
      while (col < indents_.back()) {
        indents_.pop_back();
        alt_indents_.pop_back();
      }
      if (col != indents_.back()) {
        Fail(line, "unindent does not match any outer indentation level (IndentationError)");
        return false;
      }
    }
    return true;
  }

  // CPython's checks of the alternate column against the level the line opens, stays on or
  // returns to (a dedent to no level at all is the IndentationError reported after this).
  bool ConsistentTabs(uint32_t col, uint32_t alt) const {
    size_t i = indents_.size() - 1;
    if (col > indents_[i]) return alt > alt_indents_[i];
    while (i > 0 && col < indents_[i]) --i;
    return col != indents_[i] || alt == alt_indents_[i];
  }

  // A string literal from its opening quote (a prefix was read as a name, which is harmless
  // here). An unterminated single-quoted string ends at the line break; the parser reports it.
  void String() {
    char q = t_[p_];
    bool triple = p_ + 2 < t_.size() && t_[p_ + 1] == q && t_[p_ + 2] == q;
    p_ += triple ? 3 : 1;
    while (p_ < t_.size()) {
      if (!kStringSpecial[static_cast<unsigned char>(t_[p_])]) {
        ++p_;
        continue;
      }
      char c = t_[p_];
      if (c == '\\') {
        ++p_;
        if (p_ < t_.size()) {
          if (AtLineBreak()) {
            SkipLineBreak();
          } else {
            ++p_;
          }
        }
        continue;
      }
      if (c == q) {
        if (!triple) {
          ++p_;
          return;
        }
        if (p_ + 2 < t_.size() && t_[p_ + 1] == q && t_[p_ + 2] == q) {
          p_ += 3;
          return;
        }
      } else if (!triple && (c == '\n' || c == '\r')) {
        return;
      }
      ++p_;
    }
  }

  std::string_view t_;
  uint32_t p_;
  PyLayout out_;
  std::vector<uint32_t> indents_;
  std::vector<uint32_t> alt_indents_;  // the same levels with a tab as one column
  // Chains of prefix operators and `**`: the length of the current one, lambdas still waiting
  // for their `:`, whether the last token ends an operand, and both saved at each open bracket.
  // Per open bracket, what it is and, for the checks of `*`, what its current item holds.
  enum class Bracket : uint8_t { kOther, kParen, kSubscript, kBrace };
  struct Level {
    int chain;
    int lambdas;
    Bracket kind = Bracket::kOther;
    bool comma = false;       // a `,` at this level so far
    bool star_item = false;   // a subscript: the current item starts with `*`
    bool first_star = false;  // a parenthesis: its first item starts with `*`
    uint32_t star_at = 0;     // where that `*` is
  };
  std::vector<Level> levels_;
  int chain_ = 0;
  int lambdas_ = 0;
  bool operand_ = false;
  bool item_start_ = false;   // the last token opened a bracket or was a `,` in one
  bool after_colon_ = false;  // the last token was a `:` in a subscript or a dictionary
  int8_t last_string_ = -1;   // the last token was a literal: 1 bytes, 0 text; else -1
  int depth_ = 0;
  bool line_start_ = true;
  bool continued_ = false;  // the previous physical line ended with a backslash
  bool tokens_ = false;     // the current logical line holds a token
  bool colon_ = false;      // its last token so far is `:`
  bool block_due_ = false;  // the last logical line ended with `:`
};

}  // namespace

PyLayout ScanLayout(std::string_view text, uint32_t start) {
  return LayoutScanner(text, start).Run();
}

}  // namespace alint
