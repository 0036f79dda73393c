#include "lint/python/header_scan.h"

#include <cctype>
#include <string_view>

#include "lint/python/py_literal.h"

namespace alint {
namespace {

enum class Tok : uint8_t { kName, kString, kNumber, kOp };

struct Token {
  Tok kind;
  uint32_t begin;
  uint32_t end;
};

bool IsNameStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool IsNameChar(unsigned char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

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
    std::vector<Token> line;
    bool decorated = false;  // the previous statement was a decorator: a def or class follows
    while (true) {
      line.clear();
      bool eof = false;
      if (!ReadLogicalLine(line, eof)) return std::nullopt;
      if (!line.empty()) {
        if (!Plausible(line) || !Process(line)) return std::nullopt;
        const bool decorator = IsOp(line[0], "@");
        if (decorated && !decorator && !IsName(line[0], "def") && !IsName(line[0], "class") &&
            !(IsName(line[0], "async") && line.size() > 1 && IsName(line[1], "def"))) {
          return std::nullopt;  // `@v` over anything but a definition
        }
        decorated = decorator;
      }
      if (eof) break;
    }
    if (decorated) return std::nullopt;  // `@v` at the end of the file
    return std::move(facts_);
  }

 private:
  std::string_view Text(const Token& t) const { return text_.substr(t.begin, t.end - t.begin); }
  bool IsOp(const Token& t, std::string_view op) const {
    return t.kind == Tok::kOp && Text(t) == op;
  }

  bool IsKeyword(const Token& t) const {
    static constexpr std::string_view kWords[] = {
        "False",  "None",  "True",    "and",      "as",       "assert", "async", "await",
        "break",  "case",  "class",   "continue", "def",      "del",    "elif",  "else",
        "except", "exec",  "finally", "for",      "from",     "global", "if",    "import",
        "in",     "is",    "lambda",  "match",    "nonlocal", "not",    "or",    "pass",
        "print",  "raise", "return",  "try",      "type",     "while",  "with",  "yield"};
    if (t.kind != Tok::kName) return false;
    std::string_view n = Text(t);
    if (n.size() < 2 || n.size() > 8) return false;  // every keyword: 2 to 8 characters
    for (std::string_view w : kWords) {
      if (n[0] == w[0] && n == w) return true;
    }
    return false;
  }

  // Rejects (so the caller parses, and the parser reports the error) two kinds of logical
  // line CPython refuses but tree-sitter's error recovery may read without an error node:
  // one ending in an operator (`x = *`, `c.` before the next line's `revision = ...`), and
  // two atoms side by side (`"27c6a30d"c742`). Lines with keywords, where atoms legitimately
  // meet (`a if b else c`), are left to the parser too.
  bool Plausible(const std::vector<Token>& line) const {
    if (!TokensPlausible(line)) return false;
    const Token& last = line.back();
    if (last.kind == Tok::kOp) {
      std::string_view op = Text(last);
      bool ok = op == ")" || op == "]" || op == "}" || op == "," || op == ";" || op == ":" ||
                op == "..." ||
                (op == "*" && line.size() >= 2 && Text(line[line.size() - 2]) == "import");
      if (!ok) return false;
    }
    for (size_t i = 1; i < line.size(); ++i) {
      const Token& a = line[i - 1];
      const Token& b = line[i];
      // An assignment operator right after another operator: only a closing bracket or a
      // comma may end a target (`x: = y`, `x + = 1` are syntax errors).
      if (a.kind == Tok::kOp && b.kind == Tok::kOp && IsAssignOp(Text(b)) &&
          !(IsOp(a, ")") || IsOp(a, "]") || IsOp(a, "}") || IsOp(a, ","))) {
        return false;
      }
      // Operators must sit where CPython's grammar puts them: a binary-only operator after
      // an operand (`c & lock`, not `c && lock`), the unary-only `~` never after one (`ofr ~x`
      // is two expressions), and nothing but an operator or keyword after a closing bracket
      // (`f() x`). The check is one-sided: a line it refuses is left to the parser, which is
      // right either way, only slower.
      if (b.kind == Tok::kOp && IsBinaryOnly(Text(b)) && !EndsOperand(a)) return false;
      if (IsOp(b, "~") && EndsOperand(a)) return false;
      if (a.kind == Tok::kOp && (IsOp(a, ")") || IsOp(a, "]") || IsOp(a, "}")) &&
          b.kind != Tok::kOp && !IsKeyword(b)) {
        return false;
      }
      if (a.kind == Tok::kOp || b.kind == Tok::kOp) continue;
      if (a.kind == Tok::kString && b.kind == Tok::kString) continue;  // concatenation
      // None, True and False are atoms: `"7a91c3"None` is two atoms side by side.
      auto keyword = [&](const Token& t) {
        return IsKeyword(t) && !IsName(t, "None") && !IsName(t, "True") && !IsName(t, "False");
      };
      if (keyword(a) || keyword(b)) continue;
      return false;
    }
    return CompoundHeaderPlausible(line) && TargetsPlausible(line) && ImportPlausible(line) &&
           GrammarPlausible(line);
  }

  // More of what CPython's grammar refuses, checked token by token with the brackets in view
  // (the header_diff fuzz campaigns found each: tree-sitter's error recovery reads these
  // without an error node). Refusing a valid line only costs the parse; accepting an invalid
  // one would hide an import error, so each rule refuses anything it is unsure of.
  // Python 3's hard keywords (not the soft ones: match, case, type, _; nor print and exec),
  // by length: this runs for names in hot loops.
  static bool HardKeywordText(std::string_view n) {
    switch (n.size()) {
      case 2:
        return n == "as" || n == "if" || n == "in" || n == "is" || n == "or";
      case 3:
        return n == "and" || n == "def" || n == "del" || n == "for" || n == "not" || n == "try";
      case 4:
        return n == "None" || n == "True" || n == "elif" || n == "else" || n == "from" ||
               n == "pass" || n == "with";
      case 5:
        return n == "False" || n == "async" || n == "await" || n == "break" || n == "class" ||
               n == "raise" || n == "while" || n == "yield";
      case 6:
        return n == "assert" || n == "except" || n == "global" || n == "import" || n == "lambda" ||
               n == "return";
      case 7:
        return n == "finally";
      case 8:
        return n == "continue" || n == "nonlocal";
      default:
        return false;
    }
  }

  bool GrammarPlausible(const std::vector<Token>& line) const {
    // The single character of a one-character operator, else 0: the checks below run for
    // every token of every line, so they compare characters, not strings.
    auto ch = [&](const Token& t) -> char {
      return t.kind == Tok::kOp && t.end - t.begin == 1 ? text_[t.begin] : '\0';
    };
    auto word = [&](const Token& t, std::string_view w) {
      if (t.kind != Tok::kName || t.end - t.begin != w.size()) return false;
      for (size_t k = 0; k < w.size(); ++k) {  // short words: no memcmp call
        if (text_[t.begin + k] != w[k]) return false;
      }
      return true;
    };
    const bool def =
        word(line[0], "def") || (word(line[0], "async") && line.size() > 1 && word(line[1], "def"));
    const bool import = word(line[0], "import") || word(line[0], "from");
    // Open brackets, innermost last, and per level whether a lambda still awaits its `:`
    // (level 0: the statement). Deeper than this is left to the parser.
    constexpr size_t kMaxDepth = 62;
    char brackets[kMaxDepth + 2];
    bool lambda_open[kMaxDepth + 2];
    size_t depth = 0;
    lambda_open[0] = false;
    size_t stmt = 0;  // index of the current statement's first token
    int arrows = 0;
    auto soft_name = [&](const Token& t) { return word(t, "print") || word(t, "exec"); };
    auto statement_end_ok = [&](size_t last) {
      const Token& t = line[last];
      if (t.kind != Tok::kName || !HardKeywordText(Text(t))) return true;
      static constexpr std::string_view kAlone[] = {"pass",  "break", "continue", "return", "yield",
                                                    "raise", "None",  "True",     "False"};
      for (std::string_view k : kAlone) {
        if (word(t, k)) return true;
      }
      return false;
    };
    for (size_t i = 0; i < line.size(); ++i) {
      const Token& t = line[i];
      const Token* prev = i > stmt ? &line[i - 1] : nullptr;
      const char inner = depth == 0 ? '\0' : brackets[depth - 1];
      if (t.kind == Tok::kName) {
        const uint32_t len = t.end - t.begin;
        // No statement starts with these (`as sa`, `or x`).
        if (i == stmt && len <= 3 &&
            (word(t, "as") || word(t, "in") || word(t, "is") || word(t, "and") || word(t, "or"))) {
          return false;
        }
        // Non-ASCII identifiers are rare in migrations: the parser judges them (and bytes that
        // are not UTF-8 at all).
        for (uint32_t k = t.begin; k < t.end; ++k) {
          if (static_cast<unsigned char>(text_[k]) >= 0x80) return false;
        }
        // `for` only begins a statement (or follows `async`) outside brackets.
        if (len == 3 && word(t, "for") && depth == 0 && i != stmt &&
            !(i == stmt + 1 && word(*prev, "async"))) {
          return false;
        }
        if (len == 6 && word(t, "lambda")) lambda_open[depth] = true;
        // Python 2's print and exec statements: a name beside an atom (`print "x"`, `a print`).
        if (prev != nullptr && prev->kind != Tok::kOp &&
            ((soft_name(t) && (soft_name(*prev) || EndsOperand(*prev))) ||
             (soft_name(*prev) && !IsKeyword(t)))) {
          return false;
        }
        continue;
      }
      if (t.kind == Tok::kString) {
        if (prev != nullptr && soft_name(*prev)) return false;
        continue;
      }
      if (t.kind == Tok::kNumber) {
        if (!NumberValid(Text(t)) || (prev != nullptr && soft_name(*prev))) return false;
        continue;
      }
      const char c = ch(t);
      const uint32_t len = t.end - t.begin;
      switch (c) {
        case '(':
        case '[':
        case '{':
          if (depth == kMaxDepth) return false;
          brackets[depth++] = c;
          lambda_open[depth] = false;
          continue;
        case ')':
        case ']':
        case '}':
          if (lambda_open[depth]) return false;  // `(lambda x)`: no `:`
          if (depth > 0) --depth;
          continue;
        case ';':
          if (depth > 0) continue;
          // `a;;b`, a line starting `;`, `x = lambda;`: each statement has tokens, ends well.
          if (i == stmt || !statement_end_ok(i - 1) || lambda_open[0]) return false;
          stmt = i + 1;
          continue;
        case ',': {
          if (prev == nullptr) return false;
          const char p = ch(*prev);
          if (p == ',' || p == '(' || p == '[' || p == '{' || p == '=' ||
              (p == ':' && inner != '[')) {
            return false;
          }
          continue;
        }
        case ':': {
          if (lambda_open[depth]) {
            lambda_open[depth] = false;
            continue;
          }
          if (prev == nullptr) return false;
          const char p = ch(*prev);
          if (p == '(' || p == '{' || p == '=' || (p == ',' && inner != '[')) return false;
          // In parentheses a `:` belongs to a lambda, or to a def's parameter annotations.
          if (inner == '(' && !def) return false;
          if (depth == 0 && i + 1 < line.size() && ch(line[i + 1]) == ',') return false;
          continue;
        }
        case '=': {
          if (inner == '[' || inner == '{') return false;  // `[a=1]`
          if (inner == '(' && !def) {
            // A keyword argument: `(name=` or `, name=` (`lambda x=1` too).
            if (prev == nullptr || prev->kind != Tok::kName || i < 2 ||
                HardKeywordText(Text(*prev))) {
              return false;
            }
            const Token& before = line[i - 2];
            const char b = ch(before);
            if (!(b == '(' || b == ',' || word(before, "lambda"))) return false;
          }
          if (depth == 0 && i + 1 < line.size() && ch(line[i + 1]) == '*') {
            // `x = *a` needs a tuple (`x = *a,`): a comma later at this depth.
            int d = 0;
            bool comma = false;
            for (size_t j = i + 1; j < line.size(); ++j) {
              const char x = ch(line[j]);
              if (d == 0 && x == ';') break;
              d += Depth(line[j]);
              comma = comma || (d == 0 && x == ',');
            }
            if (!comma) return false;
          }
          continue;
        }
        case '.': {
          // Attribute access needs an object (`with .x`); only imports have leading dots.
          if (import) continue;
          if (prev == nullptr) return false;
          const char p = ch(*prev);
          if (prev->kind == Tok::kName) {
            if (HardKeywordText(Text(*prev)) && !word(*prev, "None") && !word(*prev, "True") &&
                !word(*prev, "False")) {
              return false;
            }
          } else if (prev->kind == Tok::kOp && p != ')' && p != ']' && p != '}' &&
                     !(prev->end - prev->begin == 3)) {
            return false;
          }
          continue;
        }
        default:
          break;
      }
      if (len == 2 && text_[t.begin] == '-' && text_[t.begin + 1] == '>') {
        if (!def || ++arrows > 1 || prev == nullptr || ch(*prev) != ')' || depth != 0) {
          return false;
        }
        continue;
      }
      if (len == 3 && text_[t.begin] == '.') {                               // `...`
        if (prev != nullptr && !import && EndsOperand(*prev)) return false;  // `op.ex...`
        continue;
      }
      const bool star =
          c == '*' || (len == 2 && text_[t.begin] == '*' && text_[t.begin + 1] == '*');
      if (!star) continue;
      const bool after_operand = prev != nullptr && EndsOperand(*prev);
      if (!after_operand) {
        // Unpacking, not multiplication: only where a starred item may stand (`== *l` is not).
        bool ok = prev == nullptr;
        if (!ok) {
          const char p = ch(*prev);
          ok = p == '(' || p == '[' || p == '{' || p == ',' || p == ':' || p == ';' ||
               (prev->kind == Tok::kOp && IsAssignOp(Text(*prev))) || word(*prev, "lambda") ||
               word(*prev, "in") || word(*prev, "return") || word(*prev, "yield") ||
               word(*prev, "for") || word(*prev, "print") || word(*prev, "import") ||
               word(*prev, "except");
        }
        if (!ok) return false;
      } else if (c == '*' && depth == 0) {
        // Multiplication left of an assignment (`down_revisi*n = ...`) assigns to an
        // expression.
        for (size_t j = i + 1; j < line.size(); ++j) {
          const char x = ch(line[j]);
          if (x == ';' || Depth(line[j]) != 0) break;
          if (x == '=') return false;
        }
      }
    }
    if (lambda_open[0]) return false;  // `x = lambda None`
    // `for TARGET in ITER:` (`for upgrade():` assigns to a call and has no `in`).
    const size_t f = word(line[0], "async") ? 1 : 0;
    if (f < line.size() && word(line[f], "for")) {
      int d = 0;
      bool in = false;
      for (size_t i = f + 1; i < line.size(); ++i) {
        d += Depth(line[i]);
        if (d == 0 && word(line[i], "in")) in = true;
        if (d == 0 && ch(line[i]) == ':') break;
      }
      if (!in) return false;
    }
    return stmt < line.size() ? statement_end_ok(line.size() - 1) : true;
  }

  // A numeric literal as CPython's tokenizer reads it: `0x1F`, `0o17`, `0b101`, `1_000`,
  // `3.14`, `.5`, `1e-3`, `2j`; digits separated by single underscores; no leading zeros on a
  // nonzero decimal integer. The scanner's number token holds a run of name characters and
  // points (`0EE`, `1e`, `1__0` arrive whole), and a sign after an exponent comes as its own
  // operator, so `1e-3` is `1e` `-` `3` here: an exponent may end without digits when an
  // operator follows, which the caller's operand checks cover.
  static bool NumberValid(std::string_view n) {
    auto digits = [](std::string_view d, bool (*ok)(char)) {
      if (d.empty() || d.front() == '_' || d.back() == '_') return false;
      for (size_t i = 0; i < d.size(); ++i) {
        if (d[i] == '_') {
          if (d[i + 1] == '_') return false;
        } else if (!ok(d[i])) {
          return false;
        }
      }
      return true;
    };
    auto dec = [](char c) { return c >= '0' && c <= '9'; };
    if (n.size() > 1 && n[0] == '0' &&
        std::string_view("xXoObB").find(n[1]) != std::string_view::npos) {
      std::string_view rest = n.substr(2);
      if (!rest.empty() && rest.front() == '_') rest.remove_prefix(1);
      const char b = static_cast<char>(n[1] | 0x20);
      if (b == 'x')
        return digits(rest,
                      [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
      if (b == 'o') return digits(rest, [](char c) { return c >= '0' && c <= '7'; });
      return digits(rest, [](char c) { return c == '0' || c == '1'; });
    }
    if (!n.empty() && (n.back() == 'j' || n.back() == 'J')) n.remove_suffix(1);
    size_t e = n.find_first_of("eE");
    std::string_view mantissa = n.substr(0, e);
    if (e != std::string_view::npos) {
      std::string_view exp = n.substr(e + 1);
      // `1e` before `-3` / `+3` (the sign is the next token): allowed here, see above.
      if (!exp.empty() && !digits(exp, dec)) return false;
    }
    const size_t dot = mantissa.find('.');
    std::string_view whole = mantissa.substr(0, dot);
    std::string_view frac =
        dot == std::string_view::npos ? std::string_view() : mantissa.substr(dot + 1);
    if (frac.find('.') != std::string_view::npos) return false;
    if (whole.empty() && frac.empty()) return false;
    if (!whole.empty() && !digits(whole, dec)) return false;
    if (!frac.empty() && !digits(frac, dec)) return false;
    if (dot == std::string_view::npos && e == std::string_view::npos &&
        n.size() == mantissa.size() && whole.size() > 1 && whole[0] == '0' &&
        whole.find_first_not_of("0_") != std::string_view::npos) {
      return false;  // `012`: leading zeros in a decimal integer
    }
    return true;
  }

  bool IsPlainName(const Token& t) const { return t.kind == Tok::kName && !IsKeyword(t); }

  // What the parser would refuse at the token level: a character that is no Python operator
  // (`!` alone, `$`, `?`); a keyword that only starts a statement (`pass`, `return`, `try`,
  // ...) anywhere but at the start or after `:` or `;` (`b   pass`); a compound statement's
  // header without its `:` (`if x pass`, `try pointts`).
  bool TokensPlausible(const std::vector<Token>& line) const {
    std::string brackets;  // the open ones, innermost last: `[str, x)` does not close
    const bool raise = IsName(line[0], "raise");
    for (size_t i = 0; i < line.size(); ++i) {
      const Token& t = line[i];
      if (t.kind == Tok::kOp && !IsPythonOperator(Text(t))) return false;
      if (t.kind == Tok::kOp && t.end - t.begin == 1) {
        const char c = text_[t.begin];
        if (c == '(' || c == '[' || c == '{') brackets += c;
        if (c == ')' || c == ']' || c == '}') {
          const char open = c == ')' ? '(' : c == ']' ? '[' : '{';
          if (brackets.empty() || brackets.back() != open) return false;
          brackets.pop_back();
        }
        if (c == ';' && !brackets.empty()) return false;  // `nullable=Fals;e)`
      }
      // An operator that takes a right operand must be followed by one (`x@:`, `False&)`,
      // `sa.,olumn`, `&=->`); `*` is left out (`def f(*, a)`, `import *`).
      if (i + 1 < line.size() && t.kind == Tok::kOp && NeedsOperand(Text(t)) &&
          !StartsOperand(line[i + 1], Text(t))) {
        return false;
      }
      if (i + 1 == line.size() && t.kind == Tok::kOp && NeedsOperand(Text(t))) return false;
      // `from` inside a line: only `raise X from Y` and `yield from`.
      if (i > 0 && IsName(t, "from") && !raise && !IsName(line[i - 1], "yield")) return false;
      if (i > 0 && IsStatementKeyword(t) && !IsOp(line[i - 1], ":") && !IsOp(line[i - 1], ";") &&
          !(IsName(line[i - 1], "async") && (IsName(t, "def") || IsName(t, "with")))) {
        return false;
      }
    }
    // A statement starts with a name, a literal, a bracket, a unary operator, `*` (a starred
    // target), `...` or `@` (a decorator): never with `,`, `)`, `=`, ... (`,# comment`).
    if (line[0].kind == Tok::kOp && !StartsOperand(line[0], "") && !IsOp(line[0], "@")) {
      return false;
    }
    if (IsOp(line[0], "@")) {
      // A decorator is an expression: no assignment in it (`@ranch_labels = None`).
      int depth = 0;
      for (const Token& t : line) {
        depth += Depth(t);
        if (depth == 0 && t.kind == Tok::kOp && IsAssignOp(Text(t))) return false;
      }
    }
    for (size_t i = 0; i < line.size(); ++i) {
      const Token& t = line[i];
      if (t.kind == Tok::kNumber && !NumberPlausible(Text(t))) return false;  // `0None`
      // `@` anywhere but at the start is matrix multiplication: an operand before it.
      if (i > 0 && IsOp(t, "@") && !EndsOperand(line[i - 1])) return false;
    }
    size_t h = IsName(line[0], "async") && line.size() > 1 ? 1 : 0;
    const Token& head = line[h];
    if (IsName(head, "def") && line.size() > h + 2 && IsOp(line[h + 2], "(")) {
      // After the parameters: `:` or `-> annotation:` (`def f("x") as y:` is no def).
      const size_t close = Closing(line, h + 2, line.size());
      if (close + 1 >= line.size() ||
          !(IsOp(line[close + 1], ":") || IsOp(line[close + 1], "->"))) {
        return false;
      }
    }
    if (IsName(head, "try") || IsName(head, "finally") || IsName(head, "else")) {
      return line.size() > h + 1 && IsOp(line[h + 1], ":");
    }
    static constexpr std::string_view kNeedsColon[] = {"if",   "elif",   "while", "for",
                                                       "with", "except", "def",   "class"};
    for (std::string_view k : kNeedsColon) {
      if (!IsName(head, k)) continue;
      int depth = 0;
      for (size_t i = h + 1; i < line.size(); ++i) {
        depth += Depth(line[i]);
        if (depth == 0 && IsOp(line[i], ":")) return true;
      }
      return false;
    }
    return true;
  }

  // A numeric literal's characters: digits, `_`, a point, an exponent, `j`, and the digits of
  // a 0x/0o/0b literal. The tokenizer takes a run of name characters after a digit as one
  // number, so `0None` arrives here whole; CPython calls it an invalid decimal literal.
  static bool NumberPlausible(std::string_view n) {
    if (n.size() > 1 && n[0] == '0' &&
        (n[1] == 'x' || n[1] == 'X' || n[1] == 'o' || n[1] == 'O' || n[1] == 'b' || n[1] == 'B')) {
      const char base = static_cast<char>(std::tolower(static_cast<unsigned char>(n[1])));
      for (size_t i = 2; i < n.size(); ++i) {
        const auto c = static_cast<unsigned char>(n[i]);
        const bool digit = base == 'x'   ? std::isxdigit(c) != 0
                           : base == 'o' ? (c >= '0' && c <= '7')
                                         : (c == '0' || c == '1');
        if (!digit && c != '_') return false;
      }
      return n.size() > 2;
    }
    for (char c : n) {
      if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == 'e' ||
            c == 'E' || c == 'j' || c == 'J' || c == '+' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  // Operators after which an operand must follow.
  static bool NeedsOperand(std::string_view op) {
    if (IsBinaryOnly(op)) return true;
    switch (op.size()) {
      case 1:
        return op[0] == '@' || op[0] == '+' || op[0] == '-' || op[0] == '~' || op[0] == '.' ||
               op[0] == '=';
      case 2:  // `**`, `->`, `:=` and the augmented assignments `+=` ... `|=`
        return op == "**" || op == "->" || op == ":=" ||
               (op[1] == '=' && op[0] != '=' && op[0] != '!' && op[0] != '<' && op[0] != '>');
      case 3:
        return op == "//=" || op == ">>=" || op == "<<=" || op == "**=";
      default:
        return false;
    }
  }

  // `t` can begin the operand that `op` needs: a name (after `.` any name, keywords too:
  // `from . import x`), a number, a string, an opening bracket, a unary operator, `...`,
  // or `.` (relative import dots).
  bool StartsOperand(const Token& t, std::string_view op) const {
    if (op == ".") return t.kind == Tok::kName || IsOp(t, ".") || IsOp(t, "...");
    switch (t.kind) {
      case Tok::kName:
      case Tok::kString:
      case Tok::kNumber:
        return true;
      case Tok::kOp:
        return IsOp(t, "(") || IsOp(t, "[") || IsOp(t, "{") || IsOp(t, "-") || IsOp(t, "+") ||
               IsOp(t, "~") || IsOp(t, "*") || IsOp(t, "**") || IsOp(t, "...");
    }
    return false;
  }

  // Keywords that begin a statement and cannot appear inside an expression. `import` is
  // ImportPlausible's; `if`, `else`, `for`, `in`, `not`, ... also occur in expressions.
  bool IsStatementKeyword(const Token& t) const {
    if (t.kind != Tok::kName) return false;
    const std::string_view n = Text(t);
    switch (n.size()) {  // by length: this runs for every name of every header line
      case 3:
        return n == "del" || n == "try" || n == "def";
      case 4:
        return n == "pass" || n == "elif" || n == "with";
      case 5:
        return n == "break" || n == "raise" || n == "class" || n == "while";
      case 6:
        return n == "return" || n == "global" || n == "assert" || n == "except";
      case 7:
        return n == "finally";
      case 8:
        return n == "continue" || n == "nonlocal";
      default:
        return false;
    }
  }

  // Python's operators and delimiters (PythonOperatorLength splits the text into them; a
  // character it does not know comes out alone, as `!` or `$` do).
  static bool IsPythonOperator(std::string_view op) {
    // PythonOperatorLength only joins characters into real operators; a character it does
    // not know comes out alone.
    if (op.size() != 1) return true;
    switch (op[0]) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case '@':
      case '<':
      case '>':
      case '&':
      case '|':
      case '^':
      case '~':
      case '(':
      case ')':
      case '[':
      case ']':
      case '{':
      case '}':
      case ',':
      case ':':
      case '.':
      case ';':
      case '=':
        return true;
      default:
        return false;
    }
  }

  // Operators that only ever join two operands. Not `.` (relative imports), `*`/`**`
  // (unpacking), `-`/`+`, `:` (slices, lambda), `,`, `;`, `=` (checked on its own), `->`.
  static bool IsBinaryOnly(std::string_view op) {
    switch (op.size()) {
      case 1:
        return op[0] == '|' || op[0] == '&' || op[0] == '^' || op[0] == '/' || op[0] == '%' ||
               op[0] == '<' || op[0] == '>';
      case 2:
        return op == "<<" || op == ">>" || op == "//" || op == "==" || op == "!=" || op == "<=" ||
               op == ">=";
      default:
        return false;
    }
  }

  // The token ends an operand: a name that is not a keyword (None, True and False are
  // values), a number, a string, a closing bracket or `...`.
  bool EndsOperand(const Token& t) const {
    switch (t.kind) {
      case Tok::kName:
        return !IsKeyword(t) || IsName(t, "None") || IsName(t, "True") || IsName(t, "False");
      case Tok::kString:
      case Tok::kNumber:
        return true;
      case Tok::kOp:
        return IsOp(t, ")") || IsOp(t, "]") || IsOp(t, "}") || IsOp(t, "...");
    }
    return false;
  }

  // `import a.b` and `from .a.b import c` / `(` / `*`: anything else on a line that starts with
  // either keyword (`from&import x`) is a syntax error for the parser to report.
  bool ImportPlausible(const std::vector<Token>& line) const {
    // `import` is a hard keyword that only import statements hold (`from0x import y` is not
    // one).
    if (!IsName(line[0], "from")) {
      for (size_t i = 1; i < line.size(); ++i) {
        if (IsName(line[i], "import")) return false;
      }
    }
    if (IsName(line[0], "import")) return ImportList(line, 1, /*dotted=*/true);
    if (!IsName(line[0], "from")) return true;
    size_t i = 1;
    bool module = false;
    while (i < line.size() && (IsOp(line[i], ".") || IsOp(line[i], "..."))) {
      ++i;
      module = true;
    }
    if (i < line.size() && IsPlainName(line[i])) {
      ++i;
      module = true;
      while (i + 1 < line.size() && IsOp(line[i], ".") && IsPlainName(line[i + 1])) i += 2;
    }
    if (!module || i + 1 >= line.size() || !IsName(line[i], "import")) return false;
    ++i;
    if (IsOp(line[i], "*")) return i + 1 == line.size();
    if (IsOp(line[i], "(")) {
      // `from m import (a, b as c,)`: the list, an optional trailing comma, `)` last.
      if (!IsOp(line.back(), ")") || line.size() < i + 3) return false;
      std::vector<Token> inner(line.begin() + static_cast<std::ptrdiff_t>(i) + 1, line.end() - 1);
      if (!inner.empty() && IsOp(inner.back(), ",")) inner.pop_back();
      return !inner.empty() && ImportList(inner, 0, /*dotted=*/false);
    }
    return ImportList(line, i, /*dotted=*/false);
  }

  // `name [as name] (, name [as name])*` from `from` to the end of `line`; `dotted`: the names
  // may be dotted module paths (`import a.b as c`).
  bool ImportList(const std::vector<Token>& line, size_t from, bool dotted) const {
    size_t i = from;
    while (true) {
      if (i >= line.size() || !IsPlainName(line[i])) return false;
      ++i;
      while (dotted && i + 1 < line.size() && IsOp(line[i], ".") && IsPlainName(line[i + 1])) {
        i += 2;
      }
      if (i + 1 < line.size() && IsName(line[i], "as")) {
        if (!IsPlainName(line[i + 1])) return false;
        i += 2;
      }
      if (i == line.size()) return true;
      if (!IsOp(line[i], ",")) return false;
      ++i;
    }
  }

  bool IsName(const Token& t, std::string_view n) const {
    return t.kind == Tok::kName && Text(t) == n;
  }

  // A line ending in `:` opens a block: only a compound statement may (`branch_labelsade():`,
  // a truncated `def`, reads as a call to tree-sitter's error recovery). `def` and `class`
  // need their name and then `(` (or `:` for a class): `def ubranch_labels = (...)` is not
  // one. Anything else falls back to the parser, which reports it.
  bool CompoundHeaderPlausible(const std::vector<Token>& line) const {
    size_t h = 0;
    if (IsName(line[0], "async")) {
      if (line.size() < 2 ||
          !(IsName(line[1], "def") || IsName(line[1], "for") || IsName(line[1], "with"))) {
        return false;
      }
      h = 1;
    }
    const Token& head = line[h];
    if (IsName(head, "def") || IsName(head, "class")) {
      bool def = IsName(head, "def");
      if (line.size() < h + 3 || line[h + 1].kind != Tok::kName || IsKeyword(line[h + 1])) {
        return false;
      }
      const Token& after = line[h + 2];
      if (!(IsOp(after, "(") || (!def && IsOp(after, ":")))) return false;
      // The header's own `:` at depth 0 (a one-line body may follow it).
      int depth = 0;
      for (size_t i = h + 2; i < line.size(); ++i) {
        depth += Depth(line[i]);
        if (depth == 0 && IsOp(line[i], ":")) return true;
      }
      return false;
    }
    if (!IsOp(line.back(), ":")) return true;
    static constexpr std::string_view kCompound[] = {
        "if", "elif", "else", "for", "while", "try", "except", "finally", "with", "match", "case"};
    for (std::string_view k : kCompound) {
      if (IsName(head, k)) return true;
    }
    return false;
  }

  static bool IsAssignOp(std::string_view op) {
    static constexpr std::string_view kOps[] = {
        "=", "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="};
    for (std::string_view o : kOps) {
      if (op == o) return true;
    }
    return false;
  }

  // Hard keywords: never a name, so never an assignment target.
  bool IsHardKeyword(const Token& t) const {
    if (!IsKeyword(t)) return false;
    std::string_view n = Text(t);
    return n != "match" && n != "case" && n != "type" && n != "print" && n != "exec";
  }

  // Every target left of an assignment operator at depth 0 must be one CPython can assign to:
  // names, attributes, subscripts, starred targets and tuples or lists of them. `down_revisio-n
  // = None` ("cannot assign to expression") is read by tree-sitter with an error: fall back.
  bool TargetsPlausible(const std::vector<Token>& line) const {
    if (IsName(line[0], "def") || IsName(line[0], "class") || IsName(line[0], "async") ||
        IsName(line[0], "lambda") || IsOp(line[0], "@")) {
      return true;  // `=` in parameter defaults; `lambda x=1: ...` falls back below anyway
    }
    size_t last_assign = 0;
    bool any = false;
    int depth = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      depth += Depth(line[i]);
      if (depth == 0 && line[i].kind == Tok::kOp && IsAssignOp(Text(line[i]))) {
        last_assign = i;
        any = true;
      }
    }
    if (!any) return true;
    // Brackets in a target: a group (`(a, b)`, `[a, *b]`) holds targets, a subscript or a call
    // argument list holds expressions (a call itself is no target).
    std::vector<bool> group;   // per open bracket: true when it is a target group
    bool atom_before = false;  // the previous token ends an atom (name, `)`, `]`)
    bool annotation = false;   // after `x:` up to the `=`: an expression
    for (size_t i = 0; i < last_assign; ++i) {
      const Token& t = line[i];
      bool in_target = !annotation && (group.empty() || group.back());
      if (t.kind == Tok::kOp) {
        std::string_view op = Text(t);
        if (op == "(" || op == "[" || op == "{") {
          if (in_target && (op == "{" || (op == "(" && atom_before))) return false;
          group.push_back(in_target && !atom_before);
          atom_before = false;
          continue;
        }
        if (op == ")" || op == "]" || op == "}") {
          if (!group.empty()) group.pop_back();
          atom_before = true;
          continue;
        }
        atom_before = false;
        if (!group.empty() && !group.back()) continue;
        if (annotation) {
          if (IsAssignOp(op)) annotation = false;
          continue;
        }
        if (IsAssignOp(op) || op == "." || op == "," || op == "*") continue;
        if (op == ":" && group.empty()) {
          annotation = true;
          continue;
        }
        return false;
      }
      atom_before = true;
      if (!in_target) continue;
      if (t.kind != Tok::kName || IsHardKeyword(t)) return false;
    }
    return true;
  }

  RevisionValue* Slot(const Token& t) {
    if (t.kind != Tok::kName) return nullptr;
    std::string_view n = Text(t);
    if (n == "revision") return &facts_.revision;
    if (n == "down_revision") return &facts_.down_revision;
    if (n == "branch_labels") return &facts_.branch_labels;
    if (n == "depends_on") return &facts_.depends_on;
    return nullptr;
  }

  // Reads tokens up to the end of a logical line; false when unsure (the caller falls back).
  bool ReadLogicalLine(std::vector<Token>& out, bool& eof) {
    int depth = 0;
    while (true) {
      if (pos_ >= text_.size()) {
        eof = true;
        return depth == 0;
      }
      auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == ' ' || c == '\t') {
        ++pos_;
      } else if (c == '\n' || c == '\r') {
        ++pos_;
        if (depth == 0 && !out.empty()) return true;
      } else if (c == '#') {
        uint32_t b = pos_;
        while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
        if (auto s = ReadSuppression(file_, b, pos_)) facts_.suppressions.push_back(std::move(*s));
      } else if (c == '\\') {
        ++pos_;
        if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
        if (pos_ >= text_.size() || text_[pos_] != '\n') return false;
        ++pos_;
      } else if (c == '"' || c == '\'') {
        if (!ReadString(pos_, pos_, false, out)) return false;
      } else if (IsNameStart(c)) {
        uint32_t b = pos_;
        while (pos_ < text_.size() && IsNameChar(static_cast<unsigned char>(text_[pos_]))) ++pos_;
        if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'') &&
            IsStringPrefix(text_.substr(b, pos_ - b))) {
          bool f = text_.substr(b, pos_ - b).find_first_of("fF") != std::string_view::npos;
          if (!ReadString(b, pos_, f, out)) return false;
        } else {
          out.push_back({Tok::kName, b, pos_});
        }
      } else if ((c >= '0' && c <= '9') || (c == '.' && pos_ + 1 < text_.size() &&
                                            text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9')) {
        uint32_t b = pos_;
        while (pos_ < text_.size() &&
               (IsNameChar(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) {
          ++pos_;
        }
        out.push_back({Tok::kNumber, b, pos_});
      } else if (c == '(' || c == '[' || c == '{') {
        ++depth;
        out.push_back({Tok::kOp, pos_, pos_ + 1});
        ++pos_;
      } else if (c == ')' || c == ']' || c == '}') {
        if (--depth < 0) return false;
        out.push_back({Tok::kOp, pos_, pos_ + 1});
        ++pos_;
      } else if (std::string_view("=<>!+-*/%&|^~@:;,.").find(static_cast<char>(c)) !=
                 std::string_view::npos) {
        uint32_t len = PythonOperatorLength(text_, pos_);
        out.push_back({Tok::kOp, pos_, pos_ + len});
        pos_ += len;
      } else {
        return false;  // form feed, stray characters: not worth guessing
      }
    }
  }

  // A string literal whose prefix starts at `begin` and opening quote is at `quote`.
  bool ReadString(uint32_t begin, uint32_t quote, bool fstring, std::vector<Token>& out) {
    char q = text_[quote];
    bool triple = text_.substr(quote, 3) == std::string(3, q);
    uint32_t p = quote + (triple ? 3 : 1);
    int field_depth = 0;
    while (true) {
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
        if (text_.substr(p, 3) == std::string(3, q)) {
          p += 3;
          break;
        }
      } else if (!triple && (c == '\n' || c == '\r')) {
        return false;  // unterminated
      }
      ++p;
    }
    if (p > text_.size()) return false;
    out.push_back({Tok::kString, begin, p});
    pos_ = p;
    return true;
  }

  bool AtColumnZero(const Token& t) const {
    return t.begin == start_ || text_[t.begin - 1] == '\n' || text_[t.begin - 1] == '\r';
  }

  bool MentionsSlot(const std::vector<Token>& line) {
    for (const Token& t : line) {
      if (Slot(t) != nullptr) return true;
    }
    return false;
  }

  bool Process(const std::vector<Token>& line) {
    const Token& head = line.front();
    bool first_statement = first_statement_;
    first_statement_ = false;
    if (!AtColumnZero(head)) {
      // Lines in a module-level if/try/with body may assign conditionally: let the parser say.
      if (first_statement) return false;
      return in_def_block_ || !MentionsSlot(line);
    }
    std::string_view h = Text(head);
    if (head.kind == Tok::kName && (h == "def" || h == "class" || h == "async")) {
      in_def_block_ = true;
      return true;
    }
    if (IsOp(head, "@")) {
      in_def_block_ = true;
      return true;
    }
    in_def_block_ = false;
    if (first_statement && head.kind == Tok::kString) return ReadDocstring(line);
    if (first_statement && IsOp(head, "(") && line.size() > 1 && line[1].kind == Tok::kString) {
      return false;  // a parenthesised docstring: rare enough to leave to the parser
    }
    RevisionValue* slot = Slot(head);
    if (slot == nullptr) return !MentionsSlot(line);
    return ReadAssignment(line, *slot);
  }

  bool ReadDocstring(const std::vector<Token>& line) {
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

  bool ReadAssignment(const std::vector<Token>& line, RevisionValue& rv) {
    if (line.size() < 2) return false;
    size_t value_at;
    if (IsOp(line[1], "=")) {
      value_at = 2;
    } else if (IsOp(line[1], ":")) {
      int depth = 0;
      value_at = 0;
      for (size_t i = 2; i < line.size() && value_at == 0; ++i) {
        depth += Depth(line[i]);
        if (depth == 0 && IsOp(line[i], "=")) value_at = i + 1;
      }
      if (value_at == 0) return !MentionsSlot({line.begin() + 1, line.end()});  // annotation only
    } else {
      return false;  // `revision.x = `, `revision += `, `revision, down_revision = ` ...
    }
    if (value_at >= line.size()) return false;
    int depth = 0;
    for (size_t i = value_at; i < line.size(); ++i) {
      depth += Depth(line[i]);
      if (depth == 0 && (IsOp(line[i], "=") || IsOp(line[i], ":") || IsOp(line[i], ";"))) {
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

  int Depth(const Token& t) const {
    if (t.kind != Tok::kOp || t.end - t.begin != 1) return 0;
    char c = text_[t.begin];
    return (c == '(' || c == '[' || c == '{') ? 1 : (c == ')' || c == ']' || c == '}') ? -1 : 0;
  }

  struct Range {
    size_t begin, end;
  };

  // Index of the bracket closing the one at `open`, or line.size().
  size_t Closing(const std::vector<Token>& line, size_t open, size_t end) const {
    int depth = 0;
    for (size_t i = open; i < end; ++i) {
      depth += Depth(line[i]);
      if (depth == 0) return i;
    }
    return line.size();
  }

  bool Wrapped(const std::vector<Token>& line, Range r, std::string_view open) const {
    return r.end - r.begin >= 2 && IsOp(line[r.begin], open) &&
           Closing(line, r.begin, r.end) == r.end - 1;
  }

  Range Unparen(const std::vector<Token>& line, Range r) const {
    // `(x)` is x, but `()` and `(x,)` are tuples.
    while (Wrapped(line, r, "(") && r.end - r.begin > 2 &&
           !HasTopComma(line, {r.begin + 1, r.end - 1})) {
      r = {r.begin + 1, r.end - 1};
    }
    return r;
  }

  bool HasTopComma(const std::vector<Token>& line, Range r) const {
    int depth = 0;
    for (size_t i = r.begin; i < r.end; ++i) {
      depth += Depth(line[i]);
      if (depth == 0 && IsOp(line[i], ",")) return true;
    }
    return false;
  }

  // A run of string tokens that is a str literal.
  std::optional<StringItem> StringRun(const std::vector<Token>& line, Range r) const {
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
  bool Classify(const std::vector<Token>& line, Range r, RevisionValue& rv) const {
    r = Unparen(line, r);
    if (r.end - r.begin == 1 && line[r.begin].kind == Tok::kName && Text(line[r.begin]) == "None") {
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
    if (Wrapped(line, r, "(") || Wrapped(line, r, "[")) {
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
      if (at_end || (depth == 0 && IsOp(line[i], ","))) {
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
