#include "lint/python/line_grammar.h"

#include <cctype>
#include <cstddef>
#include <cstdint>

namespace alint::scan {
namespace {

// A recogniser of one logical line against Python 3's grammar (statements and expressions as
// CPython 3.8 to 3.13 accept them), used as the last gate before the header scanner trusts a
// file. It answers "certainly valid" or "not sure": whatever it does not model (match/case,
// type aliases and parameters, Python 2's print statement, an f-string field beyond names,
// attributes, subscripts and calls without arguments) is "not sure", which only sends the file
// to the full parser. It builds nothing; each rule advances over the tokens it accepts.
class LineGrammar {
 public:
  LineGrammar(std::span<const Token> line, std::string_view text) : t_(line), text_(text) {}

  bool Valid() {
    if (t_.empty()) return false;
    // A statement ending in a comma (`x,` alone on its line) is valid Python, but tree-sitter
    // reads the next line into the same tuple, without an error: left to the parser, so both
    // commands agree.
    if (t_.back().kind == Tok::kOp && t_.back().op == ","_op) return false;
    if (IsOp(0, "@"_op)) {  // a decorator: the whole line
      ++i_;
      return NamedExpr() && i_ == t_.size();
    }
    if (StartsCompound()) {
      if (!CompoundHeader() || !Eat(":"_op)) return false;
      return i_ == t_.size() || (SimpleStmts() && i_ == t_.size());
    }
    return SimpleStmts() && i_ == t_.size();
  }

 private:
  static constexpr int kMaxDepth = 60;  // deeper nesting is left to the parser
  int annotation_ = 0;                  // inside an annotation (see Annotation)

  // A guard per recursive rule: failing past kMaxDepth.
  struct Deeper {
    explicit Deeper(int& d) : d_(d) { ++d_; }
    ~Deeper() { --d_; }
    Deeper(const Deeper&) = delete;
    Deeper& operator=(const Deeper&) = delete;
    int& d_;
  };

  bool AtEnd() const { return i_ >= t_.size(); }
  bool IsOp(size_t i, uint32_t op) const {
    return i < t_.size() && t_[i].kind == Tok::kOp && t_[i].op == op;
  }
  bool Op(uint32_t op) const { return IsOp(i_, op); }
  bool Eat(uint32_t op) {
    if (!Op(op)) return false;
    ++i_;
    return true;
  }
  bool Kw(uint8_t w) const {
    return i_ < t_.size() && t_[i_].kind == Tok::kName && t_[i_].word == w;
  }
  bool EatKw(uint8_t w) {
    if (!Kw(w)) return false;
    ++i_;
    return true;
  }
  // Hard keywords: never a name. The soft ones (match, case, type) and Python 2's print and
  // exec are names in Python 3.
  static bool Hard(uint8_t w) {
    return w != kNoWord && !IsSlotWord(w) && w != kMatch && w != kCase && w != kType &&
           w != kPrint && w != kExec;
  }
  bool IsNameAt(size_t i) const {
    return i < t_.size() && t_[i].kind == Tok::kName && !Hard(t_[i].word);
  }
  bool Name() {
    if (!IsNameAt(i_)) return false;
    ++i_;
    return true;
  }
  bool StmtEnd() const { return AtEnd() || Op(";"_op); }

  bool StartsCompound() const {
    const Token& h = t_[0];
    if (h.kind != Tok::kName) return false;
    switch (h.word) {
      case kIf:
      case kElif:
      case kWhile:
      case kElse:
      case kTry:
      case kFinally:
      case kFor:
      case kWith:
      case kExcept:
      case kDef:
      case kClass:
      case kAsync:
        return true;
      default:
        return false;
    }
  }

  bool CompoundHeader() {
    if (EatKw(kAsync)) {
      if (!Kw(kDef) && !Kw(kFor) && !Kw(kWith)) return false;
    }
    const uint8_t w = t_[i_].word;
    ++i_;
    switch (w) {
      case kIf:
      case kElif:
      case kWhile:
        return NamedExpr();
      case kElse:
      case kTry:
      case kFinally:
        return true;
      case kFor:
        return TargetList() && EatKw(kIn) && StarExprs();
      case kWith:
        return WithItems();
      case kExcept:
        Eat("*"_op);
        if (Op(":"_op)) return true;
        if (!Expr()) return false;
        return !EatKw(kAs) || Name();
      case kDef:
        if (!Name() || !Eat("("_op)) return false;
        if (!Eat(")"_op) && !(Params(true, ")"_op) && Eat(")"_op))) return false;
        return !Eat("->"_op) || Annotation();
      case kClass:
        if (!Name()) return false;
        if (!Eat("("_op)) return true;
        return Eat(")"_op) || (Args() && Eat(")"_op));
      default:
        return false;
    }
  }

  bool WithItems() {
    const size_t start = i_;
    auto items = [&] {
      do {
        if (!Expr()) return false;
        if (EatKw(kAs) && !StarTarget()) return false;
      } while (Eat(","_op) && !Op(":"_op) && !Op(")"_op));
      return true;
    };
    if (items() && Op(":"_op)) return true;
    i_ = start;  // `with (a as b, c as d):`
    return Eat("("_op) && items() && Eat(")"_op);
  }

  // Parameters of a def (annotations allowed) or a lambda, up to `close`.
  bool Params(bool annotations, uint32_t close) {
    bool slash = false, star = false, kwstar = false, defaults = false;
    while (!Op(close)) {
      if (kwstar) return false;  // nothing after **kwargs
      if (Eat("/"_op)) {
        if (slash || star) return false;
        slash = true;
      } else if (Eat("*"_op)) {
        if (star) return false;
        star = true;
        if (IsNameAt(i_)) {
          ++i_;
          if (annotations && Eat(":"_op) && !Annotation()) return false;
        }
      } else if (Eat("**"_op)) {
        if (!Name()) return false;
        if (annotations && Eat(":"_op) && !Annotation()) return false;
        kwstar = true;
      } else {
        if (!Name()) return false;
        if (annotations && Eat(":"_op) && !Annotation()) return false;
        if (Eat("="_op)) {
          if (!Expr()) return false;
          defaults = true;
        } else if (defaults && !star) {
          return false;  // non-default argument follows default argument
        }
      }
      if (!Eat(","_op)) break;
    }
    return true;
  }

  bool SimpleStmts() {
    do {
      if (!SimpleStmt()) return false;
    } while (Eat(";"_op) && !AtEnd());
    return true;
  }

  bool SimpleStmt() {
    if (AtEnd()) return false;
    const Token& h = t_[i_];
    if (h.kind == Tok::kName) {
      switch (h.word) {
        case kPass:
        case kBreak:
        case kContinue:
          ++i_;
          return true;
        case kReturn:
          ++i_;
          return StmtEnd() || StarExprs();
        case kRaise:
          ++i_;
          if (StmtEnd()) return true;
          if (!Expr()) return false;
          return !EatKw(kFrom) || Expr();
        case kGlobal:
        case kNonlocal:
          ++i_;
          do {
            if (!Name()) return false;
          } while (Eat(","_op));
          return true;
        case kDel:
          ++i_;
          return TargetList();
        case kAssert:
          ++i_;
          if (!Expr()) return false;
          return !Eat(","_op) || Expr();
        case kImport:
          ++i_;
          do {
            if (!Dotted() || (EatKw(kAs) && !Name())) return false;
          } while (Eat(","_op));
          return true;
        case kFrom: {
          ++i_;
          bool dots = false;
          while (Op("."_op) || Op("..."_op)) {
            ++i_;
            dots = true;
          }
          if (!Kw(kImport) && !Dotted()) return false;
          if (!dots && Kw(kImport) && t_[i_ - 1].word == kFrom) return false;
          if (!EatKw(kImport)) return false;
          if (Eat("*"_op)) return true;
          const bool paren = Eat("("_op);
          do {
            if (paren && Op(")"_op)) break;
            if (!Name() || (EatKw(kAs) && !Name())) return false;
          } while (Eat(","_op));
          return !paren || Eat(")"_op);
        }
        default:
          break;
      }
    }
    return ExprStmt();
  }

  bool Dotted() {
    do {
      if (!Name()) return false;
    } while (Eat("."_op));
    return true;
  }

  static bool AugAssign(uint32_t op) {
    switch (op) {
      case "+="_op:
      case "-="_op:
      case "*="_op:
      case "/="_op:
      case "//="_op:
      case "%="_op:
      case "@="_op:
      case "&="_op:
      case "|="_op:
      case "^="_op:
      case ">>="_op:
      case "<<="_op:
      case "**="_op:
        return true;
      default:
        return false;
    }
  }

  bool ExprStmt() {
    const size_t start = i_;
    if (Kw(kYield)) return YieldExpr() && StmtEnd();
    if (!StarExprs()) return false;
    if (StmtEnd()) return true;
    const size_t lhs_end = i_;
    if (Op(":"_op)) {  // an annotation: one plain target
      if (!SingleTargetIs(start, lhs_end)) return false;
      ++i_;
      if (!Annotation()) return false;
      if (Eat("="_op)) return Kw(kYield) ? YieldExpr() : StarExprs();
      return true;
    }
    if (i_ < t_.size() && t_[i_].kind == Tok::kOp && AugAssign(t_[i_].op)) {
      if (!SingleTargetIs(start, lhs_end)) return false;
      ++i_;
      return Kw(kYield) ? YieldExpr() : StarExprs();
    }
    // a = b = value: every part before the last `=` is a target list.
    size_t seg = start;
    while (Op("="_op)) {
      if (!TargetListIs(seg, i_)) return false;
      ++i_;
      seg = i_;
      if (Kw(kYield)) {
        if (!YieldExpr()) return false;
      } else if (!StarExprs()) {
        return false;
      }
    }
    return StmtEnd();
  }

  // Whether tokens [b, e) are exactly what `rule` reads: one target (SingleTarget: a name,
  // attribute or subscript, parenthesised once at most) or a target list (TargetList, as
  // CPython's star_targets). The position is left where it was.
  bool Exactly(size_t b, size_t e, bool (LineGrammar::*rule)()) {
    const size_t save = i_;
    i_ = b;
    bool ok = (this->*rule)() && i_ == e;
    i_ = save;
    return ok;
  }
  bool SingleTargetIs(size_t b, size_t e) { return Exactly(b, e, &LineGrammar::SingleTarget); }
  bool TargetListIs(size_t b, size_t e) { return Exactly(b, e, &LineGrammar::TargetList); }
  bool SingleTarget() {
    if (Op("("_op)) {
      const size_t save = i_;
      ++i_;
      if (SingleTarget() && Eat(")"_op) && (StmtEndOrAssignAt(i_))) return true;
      i_ = save;
    }
    return PrimaryTarget();
  }
  bool StmtEndOrAssignAt(size_t i) const { return i >= t_.size() || t_[i].kind == Tok::kOp; }
  // name, or a primary ending in an attribute or a subscript.
  bool PrimaryTarget() {
    Deeper d(depth_);
    if (depth_ > kMaxDepth) return false;
    if (IsNameAt(i_) && !IsOp(i_ + 1, "."_op) && !IsOp(i_ + 1, "("_op) && !IsOp(i_ + 1, "["_op)) {
      ++i_;
      return true;
    }
    if (!Atom()) return false;
    bool assignable = false;
    while (true) {
      if (Eat("."_op)) {
        if (!Name()) return false;
        assignable = true;
      } else if (Eat("("_op)) {
        if (!Eat(")"_op) && !(Args() && Eat(")"_op))) return false;
        assignable = false;
      } else if (Eat("["_op)) {
        if (!Slices() || !Eat("]"_op)) return false;
        assignable = true;
      } else {
        return assignable;
      }
    }
  }
  bool StarTarget() {
    Deeper d(depth_);
    if (depth_ > kMaxDepth) return false;
    if (Eat("*"_op)) {
      if (Op("*"_op)) return false;
      return StarTarget();
    }
    for (uint32_t open : {"("_op, "["_op}) {
      if (!Op(open)) continue;
      const size_t save = i_;
      ++i_;
      const uint32_t close = open == "("_op ? ")"_op : "]"_op;
      if (Eat(close) || (TargetList() && Eat(close))) {
        if (!Op("."_op) && !Op("("_op) && !Op("["_op)) return true;
      }
      i_ = save;
    }
    return PrimaryTarget();
  }
  bool TargetList() {
    do {
      if (!StarTarget()) return false;
    } while (Eat(","_op) && !Op("="_op) && !Op(")"_op) && !Op("]"_op) && !Kw(kIn) && !AtEnd() &&
             !Op(";"_op));
    return true;
  }

  bool YieldExpr() {
    if (!EatKw(kYield)) return false;
    if (EatKw(kFrom)) return Expr();
    if (StmtEnd() || Op(")"_op) || Op("="_op)) return true;
    return StarExprs();
  }

  // star_expressions: a, *b, c (a tuple when there is a comma).
  // A lone starred item is refused (`x = *a`: "can't use starred expression here"); with a
  // comma it is a tuple (`x = *a,`).
  bool StarExprs() {
    size_t items = 0;
    bool starred = false, comma = false;
    do {
      ++items;
      if (Eat("*"_op)) {
        if (!SplatOperand() || !BitOr()) return false;
        starred = true;
      } else if (!Expr()) {
        return false;
      }
      comma = Op(","_op);
    } while (Eat(","_op) && !StmtEnd() && !Op("="_op) && !Op(":"_op) && !Op(")"_op) &&
             !(i_ < t_.size() && t_[i_].kind == Tok::kOp && AugAssign(t_[i_].op)));
    return !(starred && items == 1 && !comma);
  }

  // An annotation is any expression to CPython, but tree-sitter-python reads one as a type,
  // whose subscripts refuse most slices (`x: a[c:] = 1`, `a[::2]`): a slice in an
  // annotation's subscript is left to the parser, so both commands reach its verdict.
  bool Annotation() {
    const size_t begin = i_;
    ++annotation_;
    const bool ok = Expr();
    --annotation_;
    return ok && PlainType(begin, i_);
  }
  // Whether tokens [b, e) are an annotation of the shapes real code writes and the grammar's
  // types take: names, attributes, subscripts of those (with items of the same shapes,
  // literals, `...`, lists and `()`), unions with `|`, strings, None, a unary minus on a
  // number. Anything else (`a[b][c]`, `a[b] & c`, calls) is left to the parser.
  bool PlainType(size_t b, size_t e) const {
    int depth = 0;
    for (size_t k = b; k < e; ++k) {
      const Token& t = t_[k];
      if (t.kind != Tok::kOp) continue;
      switch (t.op) {
        case "["_op:
          // A subscript right after a subscript (`a[b][c]`) is no type.
          if (k > b && IsOp(k - 1, "]"_op)) return false;
          ++depth;
          break;
        case "("_op:
          // `()` and `(T)` only, not a call.
          if (k > b &&
              (t_[k - 1].kind == Tok::kName || IsOp(k - 1, "]"_op) || IsOp(k - 1, ")"_op))) {
            return false;
          }
          ++depth;
          break;
        case "]"_op:
        case ")"_op:
          --depth;
          break;
        case "."_op:
        case ","_op:
        case "|"_op:
        case "..."_op:
          break;
        case "-"_op:
          if (k + 1 >= e || t_[k + 1].kind != Tok::kNumber) return false;
          break;
        default:
          return false;
      }
    }
    return depth == 0;
  }

  bool NamedExpr() {
    if (IsNameAt(i_) && IsOp(i_ + 1, ":="_op)) {
      i_ += 2;
      return Expr();
    }
    return Expr();
  }

  bool Expr() {
    Deeper d(depth_);
    if (depth_ > kMaxDepth) return false;
    if (Kw(kLambda)) {
      ++i_;
      if (!Op(":"_op) && !Params(false, ":"_op)) return false;
      return Eat(":"_op) && Expr();
    }
    if (!Disjunction()) return false;
    if (EatKw(kIf)) return Disjunction() && EatKw(kElse) && Expr();
    return true;
  }
  // `if` without `else` ends a comprehension's condition: no conditional expression there.
  bool Disjunction() { return Chain(true); }
  // bitwise_or: what follows `*` in a display and `**` in a dict.
  bool BitOr() { return Chain(false); }

  static bool BinaryOp(uint32_t op) {
    switch (op) {
      case "|"_op:
      case "^"_op:
      case "&"_op:
      case "<<"_op:
      case ">>"_op:
      case "+"_op:
      case "-"_op:
      case "*"_op:
      case "/"_op:
      case "//"_op:
      case "%"_op:
      case "@"_op:
      case "**"_op:
        return true;
      default:
        return false;
    }
  }
  static bool ComparisonOp(uint32_t op) {
    return op == "=="_op || op == "!="_op || op == "<"_op || op == ">"_op || op == "<="_op ||
           op == ">="_op;
  }

  // Operands joined by binary operators, in one loop rather than a rule per precedence level
  // (precedence does not change what is valid). With `logical`, a disjunction: comparisons,
  // `in`, `not in`, `is [not]`, `and`, `or`, and `not` before an operand where it may stand
  // (at the start, after `and`, `or` or `not`: `a == not b` is refused). Without, a
  // bitwise_or: arithmetic and bitwise operators only. Each operand is unary operators,
  // `await`, then a primary.
  bool Chain(bool logical) {
    bool not_ok = logical;
    const size_t n = t_.size();
    while (true) {
      if (not_ok) {
        while (EatKw(kNot)) {
        }
      }
      while (i_ < n && t_[i_].kind == Tok::kOp &&
             (t_[i_].op == "-"_op || t_[i_].op == "+"_op || t_[i_].op == "~"_op)) {
        ++i_;
      }
      EatKw(kAwait);
      if (!Primary()) return false;
      if (i_ >= n) return true;
      const Token& t = t_[i_];
      if (t.kind == Tok::kOp) {
        if (!BinaryOp(t.op) && !(logical && ComparisonOp(t.op))) return true;
        ++i_;
        not_ok = false;
        continue;
      }
      if (!logical || t.kind != Tok::kName) return true;
      switch (t.word) {
        case kAnd:
        case kOr:
          ++i_;
          not_ok = true;
          continue;
        case kIn:
          ++i_;
          not_ok = false;
          continue;
        case kIs:
          ++i_;
          EatKw(kNot);
          not_ok = false;
          continue;
        case kNot:
          if (i_ + 1 < n && t_[i_ + 1].kind == Tok::kName && t_[i_ + 1].word == kIn) {
            i_ += 2;
            not_ok = false;
            continue;
          }
          return true;
        default:
          return true;
      }
    }
  }
  bool Primary() {
    if (!Atom()) return false;
    while (true) {
      if (Eat("."_op)) {
        if (!Name()) return false;
      } else if (Eat("("_op)) {
        if (!Eat(")"_op) && !(Args() && Eat(")"_op))) return false;
      } else if (Eat("["_op)) {
        if (!Slices() || !Eat("]"_op)) return false;
      } else {
        return true;
      }
    }
  }

  bool Atom() {
    Deeper d(depth_);
    if (AtEnd() || depth_ > kMaxDepth) return false;
    const Token& t = t_[i_];
    switch (t.kind) {
      case Tok::kName:
        if (Hard(t.word) && t.word != kTrue && t.word != kFalse && t.word != kNone) return false;
        ++i_;
        return true;
      case Tok::kNumber: {
        bool open_exponent = false;
        if (!NumberOk(Text(t), open_exponent)) return false;
        ++i_;
        if (!open_exponent) return true;
        // `1e-5` is read as `1e`, `-`, `5`: the sign and the digits must touch it.
        if (i_ + 1 >= t_.size() || t_[i_].kind != Tok::kOp ||
            (t_[i_].op != "-"_op && t_[i_].op != "+"_op) || t_[i_].begin != t.end ||
            t_[i_ + 1].kind != Tok::kNumber || t_[i_ + 1].begin != t_[i_].end) {
          return false;
        }
        std::string_view rest = Text(t_[i_ + 1]);
        size_t k = 0;
        if (!Digits(rest, k)) return false;
        if (k < rest.size() && (rest[k] == 'j' || rest[k] == 'J')) ++k;
        if (k != rest.size()) return false;
        i_ += 2;
        return true;
      }
      case Tok::kString: {
        // Adjacent literals concatenate, but not bytes with text (CPython: "cannot mix bytes
        // and nonbytes literals"; left to ScanLayout, which says so).
        const bool bytes = IsBytes(t_[i_]);
        while (i_ < t_.size() && t_[i_].kind == Tok::kString) {
          if (!StringOk(t_[i_]) || IsBytes(t_[i_]) != bytes) return false;
          ++i_;
        }
        return true;
      }
      case Tok::kOp:
        break;
    }
    if (Eat("..."_op)) return true;
    if (Eat("("_op)) {
      if (Eat(")"_op)) return true;
      if (Kw(kYield)) return YieldExpr() && Eat(")"_op);
      bool starred = Op("*"_op);
      if (!StarNamedExpr()) return false;
      if (!starred && AtCompFor()) return CompFor() && Eat(")"_op);
      if (Eat(")"_op)) return !starred;  // `(*a)` is refused
      if (!Eat(","_op)) return false;
      while (!Op(")"_op)) {
        if (!StarNamedExpr()) return false;
        if (!Eat(","_op)) break;
      }
      return Eat(")"_op);
    }
    if (Eat("["_op)) {
      if (Eat("]"_op)) return true;
      bool starred = Op("*"_op);
      if (!StarNamedExpr()) return false;
      if (!starred && AtCompFor()) return CompFor() && Eat("]"_op);
      while (Eat(","_op) && !Op("]"_op)) {
        if (!StarNamedExpr()) return false;
      }
      return Eat("]"_op);
    }
    if (Eat("{"_op)) {
      if (Eat("}"_op)) return true;
      auto kv = [&] {
        if (Eat("**"_op)) return BitOr();
        return Expr() && Eat(":"_op) && Expr();
      };
      // Each element is read once: which display it is shows after the first one (a `:`
      // makes it a dict). Reading the first element twice, once to look and once for real,
      // doubled the work at every nested `{` (the nesting fuzzer's 47 levels never ended).
      bool dict = Op("**"_op);
      const bool starred = Op("*"_op);  // no comprehension over `*x`
      if (!dict) {
        if (starred || (IsNameAt(i_) && IsOp(i_ + 1, ":="_op))) {  // only a set starts so
          if (!StarNamedExpr()) return false;
        } else {
          if (!Expr()) return false;
          if (Eat(":"_op)) {
            if (!Expr()) return false;
            dict = true;
          }
        }
        if (AtCompFor()) return !starred && CompFor() && Eat("}"_op);
      } else if (!kv()) {
        return false;
      }
      if (dict) {
        while (Eat(","_op) && !Op("}"_op)) {
          if (!kv()) return false;
        }
        return Eat("}"_op);
      }
      while (Eat(","_op) && !Op("}"_op)) {
        if (!StarNamedExpr()) return false;
      }
      return Eat("}"_op);
    }
    return false;
  }

  bool StarNamedExpr() {
    if (Eat("*"_op)) return SplatOperand() && BitOr();
    return NamedExpr();
  }
  // What follows a `*` in a display or call: a name or a bracket. `*5` is valid Python, but
  // tree-sitter refuses a literal there, so the scanner leaves it to the parser.
  bool SplatOperand() const { return IsNameAt(i_) || Op("("_op) || Op("["_op) || Op("{"_op); }

  // Whether a comprehension's clauses start here, and reading them: `for ... in ...
  // [if ...]`, repeated.
  bool AtCompFor() const {
    return Kw(kFor) || (Kw(kAsync) && i_ + 1 < t_.size() && t_[i_ + 1].kind == Tok::kName &&
                        t_[i_ + 1].word == kFor);
  }
  bool CompFor() {
    while (AtCompFor()) {
      EatKw(kAsync);
      ++i_;
      if (!TargetList() || !EatKw(kIn) || !Disjunction()) return false;
      while (EatKw(kIf)) {
        if (!Disjunction()) return false;
      }
    }
    return true;
  }

  bool Args() {
    bool keyword = false, kwunpack = false;
    size_t n = 0;
    bool generator = false;
    do {
      if (Op(")"_op)) break;
      ++n;
      if (Eat("*"_op)) {
        if (kwunpack || !SplatOperand() || !Expr()) return false;
      } else if (Eat("**"_op)) {
        if (!Expr()) return false;
        kwunpack = true;
      } else if (IsNameAt(i_) && IsOp(i_ + 1, "="_op)) {
        i_ += 2;
        if (!Expr()) return false;
        keyword = true;
      } else {
        if (keyword || kwunpack || !NamedExpr()) return false;
        if (AtCompFor()) {
          if (!CompFor()) return false;
          generator = true;
        }
      }
    } while (Eat(","_op));
    return !(generator && n > 1);
  }

  bool Slices() {
    size_t n = 0;
    do {
      if (Op("]"_op)) break;
      ++n;
      if (Eat("*"_op)) {
        if (!SplatOperand() || !BitOr()) return false;
        continue;
      }
      bool any = false;
      if (!Op(":"_op)) {
        if (!NamedExpr()) return false;
        any = true;
      }
      if (Eat(":"_op)) {
        if (annotation_ > 0) return false;
        any = true;
        if (!Op(":"_op) && !Op(","_op) && !Op("]"_op) && !Expr()) return false;
        if (Eat(":"_op) && !Op(","_op) && !Op("]"_op) && !Expr()) return false;
      }
      if (!any) return false;
    } while (Eat(","_op));
    return n > 0;
  }

  bool IsBytes(const Token& t) const {
    std::string_view s = text_.substr(t.begin, t.end - t.begin);
    std::string_view prefix = s.substr(0, std::min(s.find_first_of("\"'"), s.size()));
    return prefix.find_first_of("bB") != std::string_view::npos;
  }

  // A string literal: plain ones are whole tokens already; an f-string's replacement fields
  // are accepted only in simple forms: {name}, {name.attr}, {name[key]}, {name["key"]},
  // {name()}, with an optional `=`, `!r`/`!s`/`!a` and a format spec without nested fields.
  bool StringOk(const Token& t) const {
    std::string_view s = text_.substr(t.begin, t.end - t.begin);
    size_t q = s.find_first_of("\"'");
    if (q == std::string_view::npos) return false;
    std::string_view prefix = s.substr(0, q);
    if (prefix.find_first_of("fF") == std::string_view::npos) return true;
    for (size_t p = q; p < s.size(); ++p) {
      if (s[p] == '\\') {
        if (p + 1 < s.size() && (s[p + 1] == '{' || s[p + 1] == '}')) return false;
        if (prefix.find_first_of("rR") == std::string_view::npos) ++p;
        continue;
      }
      if (s[p] == '}') {
        if (p + 1 < s.size() && s[p + 1] == '}') {
          ++p;
          continue;
        }
        return false;  // a single `}` outside a field
      }
      if (s[p] != '{') continue;
      if (p + 1 < s.size() && s[p + 1] == '{') {
        ++p;
        continue;
      }
      size_t close = s.find('}', p);
      if (close == std::string_view::npos) return false;
      if (!FieldOk(s.substr(p + 1, close - p - 1))) return false;
      p = close;
    }
    return true;
  }
  static bool FieldOk(std::string_view f) {
    // A non-ASCII character in a field (`{t\ufeffable}`): whether it may stand in a name is
    // Unicode's tables, which the parser knows.
    for (char c : f) {
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    size_t i = 0;
    auto blanks = [&] {
      while (i < f.size() && f[i] == ' ') ++i;
    };
    auto name = [&] {
      if (i >= f.size() || !IsNameStart(static_cast<unsigned char>(f[i]))) return false;
      size_t b = i;
      while (i < f.size() && IsNameChar(static_cast<unsigned char>(f[i]))) ++i;
      return !Hard(LookupWord(f.substr(b, i - b)));
    };
    blanks();
    if (!name()) return false;
    while (i < f.size()) {
      if (f[i] == '.') {
        ++i;
        if (!name()) return false;
      } else if (f[i] == '(' && i + 1 < f.size() && f[i + 1] == ')') {
        i += 2;
      } else if (f[i] == '[') {  // [name], [0], ["key"] (the other quote than the string's)
        size_t b = ++i;
        if (i < f.size() && (f[i] == '"' || f[i] == '\'')) {
          const size_t end = f.find(f[i], i + 1);
          if (end == std::string_view::npos ||
              f.substr(i + 1, end - i - 1).find_first_of("\\{}") != std::string_view::npos) {
            return false;
          }
          i = end + 1;
        } else {
          while (i < f.size() && IsNameChar(static_cast<unsigned char>(f[i]))) ++i;
        }
        if (i == b || i >= f.size() || f[i] != ']') return false;
        ++i;
      } else {
        break;
      }
    }
    blanks();
    if (i < f.size() && f[i] == '=') {
      ++i;
      blanks();
    }
    if (i + 1 < f.size() && f[i] == '!' &&
        (f[i + 1] == 'r' || f[i + 1] == 's' || f[i + 1] == 'a')) {
      i += 2;
    }
    if (i < f.size() && f[i] == ':') {
      return f.find_first_of("{}\"'\\", i) == std::string_view::npos;
    }
    return i == f.size();
  }

  std::string_view Text(const Token& t) const { return text_.substr(t.begin, t.end - t.begin); }

  // digit (['_'] digit)* from n[k]; false when there is none or an underscore is misplaced.
  static bool Digits(std::string_view n, size_t& k, bool (*digit)(char) = nullptr) {
    auto is_digit = [&](char c) { return digit ? digit(c) : (c >= '0' && c <= '9'); };
    const size_t b = k;
    while (k < n.size()) {
      if (is_digit(n[k])) {
        ++k;
      } else if (n[k] == '_' && k > b && k + 1 < n.size() && is_digit(n[k + 1])) {
        ++k;
      } else {
        break;
      }
    }
    return k > b;
  }

  // A number token as CPython's tokenizer reads it. `open_exponent`: it ends in `e`/`E`, so
  // its exponent's sign and digits are the next two tokens.
  static bool NumberOk(std::string_view n, bool& open_exponent) {
    size_t k = 0;
    if (n.size() > 1 && n[0] == '0' &&
        std::string_view("xXoObB").find(n[1]) != std::string_view::npos) {
      const char base = static_cast<char>(n[1] | 0x20);
      k = 2;
      if (k < n.size() && n[k] == '_') ++k;  // 0x_ff
      bool (*digit)(char) =
          base == 'x'   ? +[](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
          : base == 'o' ? +[](char c) { return c >= '0' && c <= '7'; }
                        : +[](char c) { return c == '0' || c == '1'; };
      return Digits(n, k, digit) && k == n.size();
    }
    bool int_part = false;
    if (k < n.size() && n[k] != '.') {
      if (!Digits(n, k)) return false;
      int_part = true;
    }
    bool fraction = false;
    if (k < n.size() && n[k] == '.') {
      ++k;
      if (k < n.size() && n[k] >= '0' && n[k] <= '9') {
        if (!Digits(n, k)) return false;
        fraction = true;
      } else if (!int_part) {
        return false;
      }
      fraction = true;
    }
    if (!int_part && !fraction) return false;
    // `0123` is refused (leading zeros in a decimal integer), `000` and `0.5`, `01.5` are not.
    if (int_part && !fraction && n[0] == '0') {
      for (size_t j = 0; j < k; ++j) {
        if (n[j] != '0' && n[j] != '_') {
          if (k == n.size() || (n[k] != 'e' && n[k] != 'E' && n[k] != 'j' && n[k] != 'J')) {
            return false;
          }
          break;
        }
      }
    }
    if (k < n.size() && (n[k] == 'e' || n[k] == 'E')) {
      ++k;
      if (k == n.size()) {
        open_exponent = true;
        return true;
      }
      if (!Digits(n, k)) return false;
    }
    if (k < n.size() && (n[k] == 'j' || n[k] == 'J')) ++k;
    return k == n.size();
  }

  std::span<const Token> t_;
  std::string_view text_;
  size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

bool LineValid(std::span<const Token> line, std::string_view text) {
  return LineGrammar(line, text).Valid();
}

}  // namespace alint::scan
