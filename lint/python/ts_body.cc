// Body facts from a tree-sitter parse: which functions exist, every op.* call with its
// arguments, and the SQL text handed to execute().

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lint/python/expr_scan.h"
#include "lint/python/ts_tree.h"

namespace alint {
namespace {

std::string Squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\') out += c;
  }
  return out;
}

bool IsNumber(TSNode n) {
  NodeKind k = Kind(n);
  return k == NodeKind::kInteger || k == NodeKind::kFloat;
}

// A chain of at most a few binary operators on each side: folding recurses into it.
bool ShallowOperands(TSNode n) {
  for (const auto* side : {&F().left, &F().right}) {
    TSNode c = Field(n, *side);
    for (int depth = 0; Is(c, NodeKind::kBinaryOperator); ++depth) {
      if (depth >= 16) return false;
      c = Unparen(Field(c, *side));
    }
  }
  return true;
}

// `"ix_%s_%d" % ("users", 2)` with literal operands: the formatted string, or nullopt for
// anything else (a conversion other than %s/%d/%i/%%, a mapping, a count mismatch).
std::optional<std::string> FormatLiteral(const Expr& fmt, const Expr& args) {
  std::vector<const Expr*> values;
  if (args.kind == Expr::Kind::kTuple) {
    for (const Expr& c : args.children) values.push_back(&c);
  } else {
    values.push_back(&args);
  }
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < fmt.text.size(); ++i) {
    char c = fmt.text[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (++i >= fmt.text.size()) return std::nullopt;
    char conv = fmt.text[i];
    if (conv == '%') {
      out += '%';
      continue;
    }
    if (next >= values.size()) return std::nullopt;
    const Expr& v = *values[next++];
    bool integer = v.kind == Expr::Kind::kNumber &&
                   v.text.find_first_not_of("-0123456789") == std::string::npos;
    if (conv == 's' && (v.kind == Expr::Kind::kString || v.kind == Expr::Kind::kNumber)) {
      out += v.text;
    } else if ((conv == 'd' || conv == 'i') && integer) {
      out += v.text;
    } else {
      return std::nullopt;
    }
  }
  if (next != values.size()) return std::nullopt;
  return out;
}

}  // namespace

Expr ToExpr(const TsFile& f, TSNode n) {
  n = Unparen(n);
  Expr e;
  e.span = f.SpanOf(n);
  NodeKind t = Kind(n);
  if (t == NodeKind::kString || t == NodeKind::kConcatenatedString) {
    std::optional<DecodedString> d = DecodeStringNode(f, n, /*plain_fstrings=*/true);
    if (d && (d->kind == LiteralKind::kStr || d->kind == LiteralKind::kBytes)) {
      e.kind = Expr::Kind::kString;
      e.text = std::move(d->value);
    } else {
      e.kind = d && d->kind == LiteralKind::kFString ? Expr::Kind::kFString : Expr::Kind::kOther;
      e.text = std::string(f.Text(n));
    }
  } else if (t == NodeKind::kInteger || t == NodeKind::kFloat) {
    e.kind = Expr::Kind::kNumber;
    e.text = std::string(f.Text(n));
  } else if (t == NodeKind::kUnaryOperator && f.Text(n).starts_with("-") &&
             IsNumber(Field(n, F().argument))) {
    e.kind = Expr::Kind::kNumber;
    e.text = "-" + std::string(f.Text(Field(n, F().argument)));
  } else if (t == NodeKind::kBinaryOperator && ShallowOperands(n)) {
    // Names built from literals (`"ix_" + "users"`, `"ix_%s" % "users"`) are literals.
    std::string_view op = f.Text(Field(n, F().operator_));
    Expr left = ToExpr(f, Field(n, F().left));
    Expr right = ToExpr(f, Field(n, F().right));
    std::optional<std::string> folded;
    if (left.kind == Expr::Kind::kString && op == "+" && right.kind == Expr::Kind::kString) {
      folded = left.text + right.text;
    } else if (left.kind == Expr::Kind::kString && op == "%") {
      folded = FormatLiteral(left, right);
    }
    e.kind = folded ? Expr::Kind::kString : Expr::Kind::kOther;
    e.text = folded ? std::move(*folded) : std::string(f.Text(n));
  } else if (t == NodeKind::kTrue) {
    e.kind = Expr::Kind::kTrue;
  } else if (t == NodeKind::kFalse) {
    e.kind = Expr::Kind::kFalse;
  } else if (t == NodeKind::kNone) {
    e.kind = Expr::Kind::kNone;
  } else if (t == NodeKind::kIdentifier) {
    e.kind = Expr::Kind::kName;
    e.text = std::string(f.Text(n));
  } else if (t == NodeKind::kAttribute && !(e.text = DottedName(f, n)).empty()) {
    e.kind = Expr::Kind::kAttribute;
  } else if (t == NodeKind::kCall) {
    e.kind = Expr::Kind::kCall;
    TSNode fn = Field(n, F().function);
    e.text = DottedName(f, fn);
    if (e.text.empty()) e.text = Squeeze(f.Text(fn));
    TSNode args = Field(n, F().arguments);
    for (TSNode a : NamedChildren(args)) {
      NodeKind ak = Kind(a);
      if (ak == NodeKind::kKeywordArgument) {
        e.keywords.emplace_back(f.Text(Field(a, F().name)));
        e.children.push_back(ToExpr(f, Field(a, F().value)));
      } else if (ak == NodeKind::kDictionarySplat) {
        e.keywords.emplace_back("**");
        e.children.push_back(Expr{Expr::Kind::kOther, std::string(f.Text(a)), f.SpanOf(a), {}, {}});
      } else {
        e.keywords.emplace_back();
        e.children.push_back(ToExpr(f, a));
      }
    }
    if (Is(args, NodeKind::kGeneratorExpression)) {
      e.keywords.emplace_back();
      e.children.push_back(ToExpr(f, args));
    }
  } else if (t == NodeKind::kList || t == NodeKind::kTuple || t == NodeKind::kExpressionList) {
    e.kind = t == NodeKind::kList ? Expr::Kind::kList : Expr::Kind::kTuple;
    for (TSNode c : NamedChildren(n)) e.children.push_back(ToExpr(f, c));
  } else if (t == NodeKind::kDictionary) {
    e.kind = Expr::Kind::kDict;
    for (TSNode p : NamedChildren(n)) {
      if (!Is(p, NodeKind::kPair)) continue;
      e.children.push_back(ToExpr(f, Field(p, F().key)));
      e.children.push_back(ToExpr(f, Field(p, F().value)));
    }
  } else {
    e.kind = Expr::Kind::kOther;
    e.text = std::string(f.Text(n));
  }
  return e;
}

namespace {

// How a name was bound inside a function (or at module level).
struct Binding {
  uint32_t at;   // file offset of the statement
  TSNode value;  // null: bound by something other than `name = value` (loop, +=, with, ...)
};

struct Scope {
  Phase phase = Phase::kOther;
  uint32_t order = 0;
  // Bindings are read only to resolve an execute() argument or receiver, which few
  // migrations need: they are collected from `root` on first use.
  TSNode root{};
  bool into_functions = false;
  bool collected = false;
  std::map<std::string, std::vector<Binding>, std::less<>> bindings;
};

struct Context {
  Scope* scope;
  bool autocommit = false;
  int32_t guard = -1;  // the innermost ErrorGuard around what is walked (Migration::guards)
  std::map<std::string, std::string, std::less<>> batch;  // batch variable -> table
};

// What an execute() argument turned out to be.
struct SqlValue {
  enum Kind { kSql, kDynamic, kNotText } kind = kNotText;
  DecodedString text;
  Span span;
  std::string why;
};

bool IsTextFunction(std::string_view callee) {
  return callee == "text" || callee == "sa.text" || callee == "sqlalchemy.text" ||
         callee == "sql.text" || callee == "sa.sql.text" || callee == "sqlalchemy.sql.text" ||
         callee == "expression.text" || callee == "sa.sql.expression.text" ||
         callee == "sqlalchemy.sql.expression.text";
}

// True when an `except` (or suppress()) naming `caught` (its source: `Exception`,
// `(IntegrityError, ValueError)`, `sa.exc.ProgrammingError`) would catch the error a failing
// statement raises: Python's broad classes, SQLAlchemy's, DB-API's and the PostgreSQL
// drivers' (psycopg2/psycopg/asyncpg error classes such as `DuplicateTable`), oslo.db's
// (`db_exc.DBNonExistentConstraint`). Other names
// (`KeyError`, a project's own exception) are not taken for one.
bool CatchesDatabaseErrors(std::string_view caught) {
  static constexpr std::string_view kNames[] = {
      "Exception",         "BaseException",         "Error",          "DatabaseError",
      "DBAPIError",        "SQLAlchemyError",       "StatementError", "ProgrammingError",
      "OperationalError",  "IntegrityError",        "InternalError",  "DataError",
      "NotSupportedError", "InterfaceError",        "PostgresError",  "QueryCanceled",
      "LockNotAvailable",  "InFailedSqlTransaction"};
  static constexpr std::string_view kPrefixes[] = {"psycopg2.",       "psycopg.", "asyncpg.",
                                                   "sqlalchemy.exc.", "sa.exc.",  "exc.",
                                                   "db_exc.",         "oslo_db."};
  size_t i = 0;
  while (i < caught.size()) {
    const auto ident = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    };
    if (!ident(caught[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < caught.size() && ident(caught[j])) ++j;
    const std::string_view name = caught.substr(i, j - i);
    i = j;
    const std::string_view last =
        name.substr(name.rfind('.') == std::string_view::npos ? 0 : name.rfind('.') + 1);
    for (std::string_view p : kPrefixes) {
      if (name.substr(0, p.size()) == p) return true;
    }
    for (std::string_view n : kNames) {
      if (last == n) return true;
    }
    // oslo.db's classes (DBDuplicateEntry, DBNonExistentConstraint, DBError).
    const bool oslo = last.size() > 2 && last.substr(0, 2) == "DB" &&
                      std::isupper(static_cast<unsigned char>(last[2]));
    if (oslo || last.substr(0, 9) == "Duplicate" || last.substr(0, 9) == "Undefined" ||
        (last.size() > 9 && last.substr(last.size() - 9) == "Violation"))
      return true;
  }
  return false;
}

bool IsDefinition(NodeKind k) {
  return k == NodeKind::kFunctionDefinition || k == NodeKind::kClassDefinition ||
         k == NodeKind::kDecoratedDefinition || k == NodeKind::kLambda;
}

class BodyReader {
 public:
  BodyReader(const TsFile& f, Migration& m) : f_(f), m_(m) {}

  void Run() {
    TSNode root = f_.root();
    module_.root = root;
    for (TSNode stmt : NamedChildren(root)) {
      if (Is(stmt, NodeKind::kImportFromStatement)) ReadImport(stmt);
      if (Is(stmt, NodeKind::kFunctionDefinition)) ReadHelper(stmt);
    }
    for (TSNode stmt : NamedChildren(root)) TopLevel(stmt);
  }

 private:
  void ReadImport(TSNode stmt) {
    TSNode module = Field(stmt, F().module_name);
    if (ts_node_is_null(module) || f_.Text(module) != "alembic") return;
    for (TSNode c : NamedChildren(stmt)) {
      TSNode name = c, alias = c;
      if (Is(c, NodeKind::kAliasedImport)) {
        name = Field(c, F().name);
        alias = Field(c, F().alias);
      } else if (!Is(c, NodeKind::kDottedName) || f_.Begin(c) == f_.Begin(module)) {
        continue;
      }
      std::string n(f_.Text(name)), a(f_.Text(alias));
      if (n == "op") op_names_.insert(a);
      if (n == "context") context_names_.insert(a);
    }
  }

  // `def is_sqlite(bind): return bind.dialect.name == "sqlite"`: a module-level function whose
  // body is one return statement, kept so that `if is_sqlite(bind):` can be judged.
  void ReadHelper(TSNode def) {
    TSNode body = Field(def, F().body);
    TSNode only = OnlyNamedChild(body);
    if (ts_node_is_null(only) || std::string_view(ts_node_type(only)) != "return_statement") {
      return;
    }
    TSNode value = FirstNamedChild(only);
    if (!ts_node_is_null(value)) helpers_[std::string(f_.Text(Field(def, F().name)))] = value;
  }

  // --- Dialect branches -------------------------------------------------------------------
  // Only the code that runs on PostgreSQL is analysed: a branch guarded for another dialect
  // (`if bind.dialect.name == "sqlite":`, the `else:` of `== "postgresql"`) is skipped.

  enum class OnPg : uint8_t { kUnknown, kTrue, kFalse };

  static OnPg Not(OnPg v) {
    return v == OnPg::kUnknown ? v : (v == OnPg::kTrue ? OnPg::kFalse : OnPg::kTrue);
  }

  static TSNode ChildByField(TSNode n, std::string_view name) {
    return ts_node_child_by_field_name(n, name.data(), static_cast<uint32_t>(name.size()));
  }

  // Does `n` hold the dialect's name (`op.get_bind().dialect.name`, `bind.engine.name`,
  // `context.get_context().dialect.name`, or a variable set to one of those)?
  bool IsDialectName(Scope& scope, TSNode n, uint32_t at, int depth) {
    n = Unparen(n);
    if (depth > 4 || ts_node_is_null(n)) return false;
    if (Is(n, NodeKind::kIdentifier)) {
      std::optional<TSNode> v = Resolve(scope, f_.Text(n), at);
      return v && IsDialectName(scope, *v, at, depth + 1);
    }
    if (Is(n, NodeKind::kCall)) {  // `....dialect.name.lower()`
      TSNode fn = Field(n, F().function);
      return Is(fn, NodeKind::kAttribute) && f_.Text(Field(fn, F().attribute)) == "lower" &&
             IsDialectName(scope, Field(fn, F().object), at, depth + 1);
    }
    if (!Is(n, NodeKind::kAttribute) || f_.Text(Field(n, F().attribute)) != "name") return false;
    TSNode object = Unparen(Field(n, F().object));
    if (Is(object, NodeKind::kIdentifier)) {  // `dialect = bind.dialect` ... `dialect.name`
      std::optional<TSNode> v = Resolve(scope, f_.Text(object), at);
      if (v) object = Unparen(*v);
    }
    if (!Is(object, NodeKind::kAttribute)) return false;
    std::string_view attr = f_.Text(Field(object, F().attribute));
    return attr == "dialect" || attr == "engine";
  }

  // The dialect names a literal names: "mysql", ("mysql", "sqlite"), ["sqlite"], {"mssql"}.
  std::optional<std::vector<std::string>> DialectLiterals(TSNode n) {
    n = Unparen(n);
    std::vector<std::string> out;
    auto add = [&](TSNode s) {
      std::optional<DecodedString> d = DecodeStringNode(f_, s);
      if (!d || d->kind != LiteralKind::kStr) return false;
      out.push_back(d->value);
      return true;
    };
    if (Is(n, NodeKind::kString) || Is(n, NodeKind::kConcatenatedString)) {
      if (!add(n)) return std::nullopt;
      return out;
    }
    std::string_view type = ts_node_type(n);
    if (!Is(n, NodeKind::kTuple) && !Is(n, NodeKind::kList) && type != "set") return std::nullopt;
    for (TSNode c : NamedChildren(n)) {
      if (!add(c)) return std::nullopt;
    }
    return out;
  }

  // What `cond` evaluates to when the migration runs on PostgreSQL, when it is a test of the
  // dialect's name (possibly behind a variable, a one-line helper, not/and/or).
  OnPg EvalOnPg(Scope& scope, TSNode cond, uint32_t at, int depth) {
    cond = Unparen(cond);
    if (depth > 6 || ts_node_is_null(cond)) return OnPg::kUnknown;
    std::string_view type = ts_node_type(cond);
    if (type == "not_operator") {
      return Not(EvalOnPg(scope, ChildByField(cond, "argument"), at, depth + 1));
    }
    if (type == "boolean_operator") {
      OnPg l = EvalOnPg(scope, Field(cond, F().left), at, depth + 1);
      OnPg r = EvalOnPg(scope, Field(cond, F().right), at, depth + 1);
      const bool is_and = f_.Text(Field(cond, F().operator_)) == "and";
      const OnPg absorbing = is_and ? OnPg::kFalse : OnPg::kTrue;
      if (l == absorbing || r == absorbing) return absorbing;
      return l == r ? l : OnPg::kUnknown;
    }
    if (Is(cond, NodeKind::kIdentifier)) {  // `is_sqlite = bind.dialect.name == "sqlite"`
      std::optional<TSNode> v = Resolve(scope, f_.Text(cond), at);
      return v ? EvalOnPg(scope, *v, at, depth + 1) : OnPg::kUnknown;
    }
    if (Is(cond, NodeKind::kCall)) {  // `is_sqlite()`, `is_sqlite(op.get_bind())`
      TSNode fn = Field(cond, F().function);
      if (!Is(fn, NodeKind::kIdentifier)) return OnPg::kUnknown;
      auto it = helpers_.find(f_.Text(fn));
      return it == helpers_.end() ? OnPg::kUnknown
                                  : EvalOnPg(module_, it->second, UINT32_MAX, depth + 1);
    }
    if (type != "comparison_operator") return OnPg::kUnknown;
    std::vector<TSNode> operands;
    std::string op;
    for (TSNode c : Children(cond, Children::kAll)) {
      if (ts_node_is_named(c)) {
        operands.push_back(c);
      } else {
        op += op.empty() ? "" : " ";
        op += f_.Text(c);
      }
    }
    if (operands.size() != 2) return OnPg::kUnknown;
    TSNode name = operands[0], literal = operands[1];
    if (!IsDialectName(scope, name, at, 0)) std::swap(name, literal);
    if ((op == "in" || op == "not in") && literal.id == operands[0].id) return OnPg::kUnknown;
    if (!IsDialectName(scope, name, at, 0)) return OnPg::kUnknown;
    std::optional<std::vector<std::string>> values = DialectLiterals(literal);
    if (!values) return OnPg::kUnknown;
    bool pg = false;
    for (const std::string& v : *values) pg = pg || v == "postgresql";
    if (op == "==" || op == "in") return pg ? OnPg::kTrue : OnPg::kFalse;
    if (op == "!=" || op == "not in") return pg ? OnPg::kFalse : OnPg::kTrue;
    return OnPg::kUnknown;
  }

  // if / elif / else: a branch runs on PostgreSQL unless its own test is false there or an
  // earlier test is true there.
  void IfStatement(TSNode stmt, Context& ctx) {
    // Most files never test the dialect: skip resolving their conditions (and collecting
    // bindings for it) altogether.
    if (!mentions_dialect_) {
      mentions_dialect_ = f_.file().text.find("dialect") != std::string_view::npos ||
                                  f_.file().text.find("engine.name") != std::string_view::npos
                              ? 1
                              : 0;
    }
    if (*mentions_dialect_ == 0) {
      for (TSNode c : NamedChildren(stmt)) Walk(c, ctx);
      return;
    }
    bool earlier_true = false;
    auto branch = [&](TSNode cond, TSNode body) {
      OnPg v = OnPg::kTrue;
      if (!ts_node_is_null(cond)) {
        Walk(cond, ctx);
        v = EvalOnPg(*ctx.scope, cond, f_.Begin(cond), 0);
      }
      if (!earlier_true && v != OnPg::kFalse) Walk(body, ctx);
      earlier_true = earlier_true || (!ts_node_is_null(cond) && v == OnPg::kTrue);
    };
    branch(ChildByField(stmt, "condition"), ChildByField(stmt, "consequence"));
    for (TSNode c : NamedChildren(stmt)) {
      std::string_view type = ts_node_type(c);
      if (type == "elif_clause") {
        branch(ChildByField(c, "condition"), ChildByField(c, "consequence"));
      } else if (type == "else_clause") {
        branch(TSNode{}, ChildByField(c, "body"));
      }
    }
  }

  void TopLevel(TSNode stmt) {
    NodeKind t = Kind(stmt);
    if (t == NodeKind::kDecoratedDefinition) {
      TopLevel(Field(stmt, F().definition));
      return;
    }
    if (t == NodeKind::kFunctionDefinition) {
      std::string_view name = f_.Text(Field(stmt, F().name));
      Scope scope;
      if (name == "upgrade" || name.starts_with("upgrade_")) {
        scope.phase = Phase::kUpgrade;
        m_.has_upgrade = m_.has_upgrade || name == "upgrade";
      } else if (name == "downgrade" || name.starts_with("downgrade_")) {
        scope.phase = Phase::kDowngrade;
        m_.has_downgrade = m_.has_downgrade || name == "downgrade";
      }
      TSNode body = Field(stmt, F().body);
      if (name == "upgrade") m_.upgrade_name = f_.SpanOf(Field(stmt, F().name));
      if (name == "downgrade") {
        m_.downgrade_name = f_.SpanOf(Field(stmt, F().name));
        m_.downgrade_shape = Shape(body);
      }
      scope.root = body;
      scope.into_functions = true;
      Context ctx{&scope};
      Walk(body, ctx);
      return;
    }
    if (t == NodeKind::kIfStatement || t == NodeKind::kTryStatement) {
      // `if TYPE_CHECKING: ... else: def upgrade()`: definitions in module-level blocks count.
      TopLevelBlocks(stmt);
      return;
    }
    if (t == NodeKind::kClassDefinition) {
      Scope scope;
      scope.collected = true;  // names bound in a class body are not resolved
      Context ctx{&scope};
      Walk(stmt, ctx);
      return;
    }
    Context ctx{&module_};
    module_.phase = Phase::kModule;
    Walk(stmt, ctx);
  }

  // What a function body holds: nothing but pass/.../docstrings/comments, only raises, or code.
  BodyShape Shape(TSNode body) const {
    if (ts_node_is_null(body) || ts_node_has_error(body)) return BodyShape::kCode;
    bool raises = false;
    for (TSNode c : NamedChildren(body)) {
      const NodeKind k = Kind(c);
      if (k == NodeKind::kPassStatement || k == NodeKind::kComment) continue;
      if (k == NodeKind::kRaiseStatement) {
        raises = true;
        continue;
      }
      if (k == NodeKind::kExpressionStatement && ts_node_named_child_count(c) == 1) {
        TSNode e = ts_node_named_child(c, 0);
        if (Is(e, NodeKind::kString) || Is(e, NodeKind::kConcatenatedString) || f_.Text(e) == "...")
          continue;  // a docstring, a stray string, `...`
      }
      return BodyShape::kCode;
    }
    return raises ? BodyShape::kRaises : BodyShape::kEmpty;
  }

  void TopLevelBlocks(TSNode node) {
    for (TSNode c : NamedChildren(node)) {
      if (Is(c, NodeKind::kBlock)) {
        for (TSNode s : NamedChildren(c)) TopLevel(s);
      } else if (IsClause(c)) {
        TopLevelBlocks(c);
      }
    }
  }

  void CollectBindings(TSNode node, Scope& scope, bool into_functions, int depth = 0) {
    if (depth >= kMaxTreeDepth) {  // defence in depth: see kMaxTreeDepth
      TooDeep(f_, m_, node);
      return;
    }
    for (TSNode c : NamedChildren(node)) {
      NodeKind t = Kind(c);
      if (IsDefinition(t)) {
        if (into_functions && t != NodeKind::kClassDefinition) {
          CollectBindings(c, scope, true, depth + 1);
        }
        continue;
      }
      if (t == NodeKind::kAssignment) {
        TSNode left = Field(c, F().left), right = Field(c, F().right);
        if (Is(left, NodeKind::kIdentifier)) {
          bool plain = !ts_node_is_null(right) && !Is(right, NodeKind::kAssignment);
          scope.bindings[std::string(f_.Text(left))].push_back(
              {f_.Begin(c), plain ? right : TSNode{}});
        } else if (!ts_node_is_null(left)) {
          Unbind(left, scope, f_.Begin(c));
        }
      } else if (t == NodeKind::kAugmentedAssignment || t == NodeKind::kForStatement ||
                 t == NodeKind::kAsPatternTarget || t == NodeKind::kNamedExpression ||
                 t == NodeKind::kForInClause) {
        TSNode left = Field(c, t == NodeKind::kNamedExpression ? F().name : F().left);
        Unbind(ts_node_is_null(left) ? c : left, scope, f_.Begin(c));
      }
      if (ts_node_child_count(c) > 0) CollectBindings(c, scope, into_functions, depth + 1);
    }
  }

  void Unbind(TSNode target, Scope& scope, uint32_t at) {
    if (Is(target, NodeKind::kIdentifier)) {
      scope.bindings[std::string(f_.Text(target))].push_back({at, TSNode{}});
      return;
    }
    for (TSNode c : NamedChildren(target)) Unbind(c, scope, at);
  }

  void EnsureBindings(Scope& scope) {
    if (scope.collected) return;
    scope.collected = true;
    CollectBindings(scope.root, scope, scope.into_functions);
  }

  // The value `name` holds at `at`: its one plain assignment before that point.
  std::optional<TSNode> Resolve(Scope& scope, std::string_view name, uint32_t at) {
    EnsureBindings(scope);
    EnsureBindings(module_);
    for (const Scope* s : {&scope, &module_}) {
      auto it = s->bindings.find(name);
      if (it == s->bindings.end()) continue;
      std::optional<TSNode> last;
      for (const Binding& b : it->second) {
        if (s != &module_ && b.at >= at) break;
        if (ts_node_is_null(b.value)) return std::nullopt;
        last = b.value;
      }
      if (s == &module_ && it->second.size() != 1) return std::nullopt;
      if (last) return last;
    }
    return std::nullopt;
  }

  bool IsBindValue(TSNode v) const {
    std::string s = Squeeze(f_.Text(Unparen(v)));
    for (const std::string& op : op_names_) {
      if (s == op + ".get_bind()" || s == op + ".get_context().bind" ||
          s == op + ".get_context().connection") {
        return true;
      }
    }
    for (const std::string& c : context_names_) {
      if (s == c + ".get_bind()") return true;
    }
    return false;
  }

  // Can `receiver.execute(...)` run SQL in this migration's connection?
  bool IsExecutor(Scope& scope, TSNode receiver, uint32_t at) {
    receiver = Unparen(receiver);
    if (IsBindValue(receiver)) return true;
    if (!Is(receiver, NodeKind::kIdentifier)) return false;
    std::string_view name = f_.Text(receiver);
    if (op_names_.count(name) || context_names_.count(name)) return true;
    if (name == "conn" || name == "connection" || name == "bind") return true;
    std::optional<TSNode> v = Resolve(scope, name, at);
    return v && IsBindValue(*v);
  }

  SqlValue ResolveSql(Scope& scope, TSNode n, uint32_t at, int depth) {
    n = Unparen(n);
    SqlValue r;
    r.span = f_.SpanOf(n);
    NodeKind t = Kind(n);
    if (depth > 8) return r;
    if (t == NodeKind::kString || t == NodeKind::kConcatenatedString) {
      std::optional<DecodedString> d = DecodeStringNode(f_, n, /*plain_fstrings=*/true);
      if (d && d->kind == LiteralKind::kFString) {
        r.kind = SqlValue::kDynamic;
        r.why = "f-string";
      } else if (d && d->kind != LiteralKind::kInvalid) {
        r.kind = SqlValue::kSql;
        r.text = std::move(*d);
      }
      return r;
    }
    if (t == NodeKind::kIdentifier) {
      std::optional<TSNode> v = Resolve(scope, f_.Text(n), at);
      if (!v) {
        r.kind = SqlValue::kDynamic;
        r.why = "variable `" + std::string(f_.Text(n)) + "`";
        return r;
      }
      return ResolveSql(scope, *v, at, depth + 1);
    }
    if (t == NodeKind::kAttribute) {
      r.kind = SqlValue::kDynamic;
      r.why = "`" + Squeeze(f_.Text(n)) + "`";
      return r;
    }
    if (t == NodeKind::kBinaryOperator) {
      std::string_view op = f_.Text(Field(n, F().operator_));
      TSNode left = Field(n, F().left), right = Field(n, F().right);
      if (op == "%") {
        SqlValue l = ResolveSql(scope, left, at, depth + 1);
        if (l.kind == SqlValue::kNotText) return r;
        if (l.kind == SqlValue::kSql) {
          // `"... %s" % "literal"`: the formatted text, mapped as a whole onto the expression
          // (a statement inside it is located at the expression's start).
          Expr format{Expr::Kind::kString, l.text.value, r.span, {}, {}};
          if (std::optional<std::string> v = FormatLiteral(format, ToExpr(f_, right))) {
            r.kind = SqlValue::kSql;
            r.text.kind = LiteralKind::kStr;
            r.text.value = std::move(*v);
            SqlSegment seg;
            seg.file_begin = r.span.begin;
            seg.length = static_cast<uint32_t>(r.text.value.size());
            seg.exact = false;
            seg.file_length = r.span.end - r.span.begin;
            if (seg.length > 0) r.text.segments = {seg};
            return r;
          }
        }
        r.kind = SqlValue::kDynamic;
        r.why = "%-formatting";
        return r;
      }
      if (op == "+") {
        SqlValue l = ResolveSql(scope, left, at, depth + 1);
        SqlValue rr = ResolveSql(scope, right, at, depth + 1);
        if (l.kind == SqlValue::kSql && rr.kind == SqlValue::kSql) {
          AppendLiteral(l.text, rr.text);
          l.span = r.span;
          return l;
        }
        if (l.kind == SqlValue::kNotText && rr.kind == SqlValue::kNotText) return r;
        r.kind = SqlValue::kDynamic;
        r.why = "string concatenation with a non-literal";
        return r;
      }
      return r;
    }
    if (t == NodeKind::kCall) {
      TSNode fn = Field(n, F().function);
      std::string callee = DottedName(f_, fn);
      if (IsTextFunction(callee) || callee == "textwrap.dedent" || callee == "dedent") {
        // dedent() only changes indentation, which SQL does not care about.
        TSNode first = FirstNamedChild(Field(n, F().arguments));
        if (!ts_node_is_null(first) && !Is(first, NodeKind::kKeywordArgument)) {
          return ResolveSql(scope, first, at, depth + 1);
        }
        return r;
      }
      if (Is(fn, NodeKind::kAttribute)) {
        std::string_view method = f_.Text(Field(fn, F().attribute));
        if (method == "format" || method == "strip" || method == "lstrip" || method == "rstrip") {
          SqlValue base = ResolveSql(scope, Field(fn, F().object), at, depth + 1);
          if (base.kind != SqlValue::kSql || method != "format") return base;
          r.kind = SqlValue::kDynamic;
          r.why = "str.format";
          return r;
        }
      }
      return r;  // a SQLAlchemy construct (table.insert(), sa.select(...)), not text
    }
    if (t == NodeKind::kConditionalExpression) {
      r.kind = SqlValue::kDynamic;
      r.why = "conditional expression";
    }
    return r;
  }

  void RecordSql(Context& ctx, TSNode call, std::string via, uint32_t order) {
    TSNode arg{};
    for (TSNode a : NamedChildren(Field(call, F().arguments))) {
      if (Is(a, NodeKind::kKeywordArgument)) {
        std::string_view k = f_.Text(Field(a, F().name));
        if (k == "sqltext" || k == "statement") arg = Field(a, F().value);
      } else if (ts_node_is_null(arg)) {
        arg = a;
      }
    }
    if (ts_node_is_null(arg)) return;
    SqlValue v = ResolveSql(*ctx.scope, arg, f_.Begin(call), 0);
    if (v.kind == SqlValue::kSql) {
      SqlString s;
      s.text = std::move(v.text.value);
      s.segments = std::move(v.text.segments);
      s.span = v.span;
      s.phase = ctx.scope->phase;
      s.in_autocommit_block = ctx.autocommit;
      s.via = std::move(via);
      s.order = order;
      s.guard = ctx.guard;
      m_.sql.push_back(std::move(s));
    } else if (v.kind == SqlValue::kDynamic) {
      m_.dynamic_sql.push_back(
          {v.span, std::move(via), std::move(v.why), ctx.scope->phase, ctx.guard});
    }
  }

  // `op.f("ix_x")` (a name marked as already converted by the naming convention) and
  // `op.inline_literal("x")` with a literal argument are that literal as far as the DDL is
  // concerned: fold them so the op model reads them like a plain string.
  void FoldOpWrappers(Expr& e, const Context& ctx) const {
    for (Expr& c : e.children) FoldOpWrappers(c, ctx);
    if (e.kind != Expr::Kind::kCall || e.children.size() != 1 || !e.keywords[0].empty() ||
        e.children[0].kind != Expr::Kind::kString) {
      return;
    }
    size_t dot = e.text.rfind('.');
    if (dot == std::string::npos) return;
    std::string_view receiver = std::string_view(e.text).substr(0, dot);
    if (!op_names_.count(receiver) && !ctx.batch.count(receiver)) return;
    std::string_view method = std::string_view(e.text).substr(dot + 1);
    if (method != "f" && method != "inline_literal") return;
    e.kind = Expr::Kind::kString;
    e.text = std::move(e.children[0].text);
    e.children.clear();
    e.keywords.clear();
  }

  // A name in an op call's arguments that stands for one string literal: a module-level
  // constant assigned exactly once (`TABLE_NAME = "messages"`), or a variable of the
  // function assigned exactly once, before the call. The op model then reads the string, as
  // Python passes it; a name bound twice, in a loop, conditionally or to anything but a plain
  // string literal stays a name, and the call is reported as not analysed.
  void ResolveConstantNames(Expr& e, const Context& ctx, uint32_t at, int depth = 0) {
    if (depth > kMaxTreeDepth) return;
    for (Expr& c : e.children) ResolveConstantNames(c, ctx, at, depth + 1);
    if (e.kind != Expr::Kind::kName) return;
    std::optional<TSNode> v = ConstantValue(*ctx.scope, e.text, at);
    if (!v) return;
    TSNode n = Unparen(*v);
    if (!Is(n, NodeKind::kString) && !Is(n, NodeKind::kConcatenatedString)) return;
    std::optional<DecodedString> d = DecodeStringNode(f_, n, /*plain_fstrings=*/false);
    if (!d || d->kind != LiteralKind::kStr) return;
    e.kind = Expr::Kind::kString;
    e.text = std::move(d->value);
  }

  // The one plain assignment of `name`: in the function (before `at`) when it assigns the
  // name at all, else at module level.
  std::optional<TSNode> ConstantValue(Scope& scope, std::string_view name, uint32_t at) {
    EnsureBindings(scope);
    EnsureBindings(module_);
    for (const Scope* s : {&scope, &module_}) {
      auto it = s->bindings.find(name);
      if (it == s->bindings.end()) continue;
      if (it->second.size() != 1) return std::nullopt;
      const Binding& b = it->second.front();
      if (ts_node_is_null(b.value) || (s != &module_ && b.at >= at)) return std::nullopt;
      return b.value;
    }
    return std::nullopt;
  }

  // `connection.commit()` / `op.get_bind().commit()`: recorded as the SQL it sends, COMMIT,
  // mapped onto the call, so the analysis sees the transaction end where it does.
  void RecordCommit(Context& ctx, TSNode call, TSNode fn) {
    SqlString s;
    s.text = "COMMIT";
    s.span = f_.SpanOf(call);
    SqlSegment seg;
    seg.sql_begin = 0;
    seg.file_begin = s.span.begin;
    seg.length = static_cast<uint32_t>(s.text.size());
    seg.exact = false;
    seg.file_length = s.span.end - s.span.begin;
    s.segments.push_back(seg);
    s.phase = ctx.scope->phase;
    s.in_autocommit_block = ctx.autocommit;
    s.via = DottedName(f_, fn);
    if (s.via.empty()) s.via = Squeeze(f_.Text(fn));
    s.order = ctx.scope->order++;
    s.guard = ctx.guard;
    m_.sql.push_back(std::move(s));
  }

  OpCall MakeOp(std::string_view name, std::string_view receiver, Span name_span,
                const std::string* batch_table, const Context& ctx) {
    OpCall c;
    c.name = std::string(name);
    c.receiver = receiver;
    c.name_span = name_span;
    c.phase = ctx.scope->phase;
    c.in_autocommit_block = ctx.autocommit;
    if (batch_table != nullptr) c.batch_table = *batch_table;
    c.order = ctx.scope->order++;
    c.guard = ctx.guard;
    return c;
  }

  // The Expr ToExpr would build for an error-free call, read from its text when it has one
  // of the shapes ScanCallExpr covers.
  std::optional<Expr> ScanCall(TSNode call) const {
    if (ts_node_has_error(call)) return std::nullopt;
    return ScanCallExpr(f_.file().text, f_.file().id, f_.Begin(call), f_.End(call));
  }

  // The calls nested in a call's arguments, in source order (what Walk(args) meets). False
  // when one may run SQL: RecordSql and IsExecutor read those from the tree.
  static bool NestedCalls(const Expr& e, std::vector<const Expr*>& out) {
    for (const Expr& c : e.children) {
      if (c.kind == Expr::Kind::kCall) {
        std::string_view callee = c.text;
        std::string_view method = callee.substr(callee.rfind('.') + 1);
        if (method == "execute" || method == "exec_driver_sql") return false;
        out.push_back(&c);
      }
      if (!NestedCalls(c, out)) return false;
    }
    return true;
  }

  // The op call a scanned call `e` (starting at file offset `begin`) makes, if any: what Call
  // records from the tree, with the name span worked out from the callee text (ScanCallExpr
  // reads dotted callees only when written without spaces).
  std::optional<OpCall> ScannedOp(const Expr& e, const Context& ctx, bool* execute) {
    std::string_view callee = e.text;
    size_t dot = callee.rfind('.');
    if (execute != nullptr) *execute = false;
    if (dot == std::string_view::npos) return std::nullopt;  // a function, not a method
    std::string_view object = callee.substr(0, dot);
    std::string_view method = callee.substr(dot + 1);
    std::string_view receiver = object.find('.') == std::string_view::npos ? object : "";
    if (execute != nullptr) *execute = method == "execute" || method == "exec_driver_sql";
    const std::string* table = nullptr;
    if (!op_names_.count(receiver)) {
      auto b = ctx.batch.find(receiver);
      if (b == ctx.batch.end()) return std::nullopt;
      table = &b->second;
    }
    Span name_span{f_.file().id, e.span.begin + static_cast<uint32_t>(dot) + 1,
                   e.span.begin + static_cast<uint32_t>(callee.size())};
    return MakeOp(method, receiver, name_span, table, ctx);
  }

  // Call() for a call read by ScanCall: the same facts without visiting its nodes. False,
  // having done nothing, when the tree is needed after all (an execute() not on op).
  bool ScannedCall(TSNode call, Expr& e, Context& ctx) {
    std::vector<const Expr*> nested;
    if (!NestedCalls(e, nested)) return false;
    std::string_view callee = e.text;
    size_t dot = callee.rfind('.');
    if (dot != std::string_view::npos) {
      std::string_view method = callee.substr(dot + 1);
      std::string_view object = callee.substr(0, dot);
      bool op = object.find('.') == std::string_view::npos && op_names_.count(object);
      if ((method == "execute" || method == "exec_driver_sql" || method == "commit") && !op) {
        return false;
      }
    }
    uint32_t order_before = ctx.scope->order;
    bool execute = false;
    std::optional<OpCall> outer = ScannedOp(e, ctx, &execute);
    std::vector<OpCall> inner;
    for (const Expr* n : nested) {
      if (std::optional<OpCall> c = ScannedOp(*n, ctx, nullptr)) {
        c->call = *n;
        FoldOpWrappers(c->call, ctx);
        ResolveConstantNames(c->call, ctx, f_.Begin(call));
        inner.push_back(std::move(*c));
      }
    }
    if (outer) {
      std::string via = execute ? e.text : std::string();
      outer->call = std::move(e);
      FoldOpWrappers(outer->call, ctx);
      ResolveConstantNames(outer->call, ctx, f_.Begin(call));
      m_.ops.push_back(std::move(*outer));
      if (execute) RecordSql(ctx, call, std::move(via), order_before);
    }
    for (OpCall& c : inner) m_.ops.push_back(std::move(c));
    return true;
  }

  void Call(TSNode call, Context& ctx) {
    if (!op_names_.count("") && !ctx.batch.count("")) {
      if (std::optional<Expr> e = ScanCall(call)) {
        if (ScannedCall(call, *e, ctx)) return;
      }
    }
    TSNode fn = Field(call, F().function);
    TSNode args = Field(call, F().arguments);
    Walk(fn, ctx);
    if (Is(fn, NodeKind::kAttribute)) {
      TSNode object = Unparen(Field(fn, F().object));
      TSNode attr = Field(fn, F().attribute);
      std::string_view method = f_.Text(attr);
      std::string_view receiver = Is(object, NodeKind::kIdentifier) ? f_.Text(object) : "";
      bool op = op_names_.count(receiver) > 0;
      auto batch = op || ctx.batch.empty() ? ctx.batch.end() : ctx.batch.find(receiver);
      std::optional<uint32_t> order;
      if (op || batch != ctx.batch.end()) {
        OpCall c = MakeOp(method, receiver, f_.SpanOf(attr), op ? nullptr : &batch->second, ctx);
        c.call = ToExpr(f_, call);
        FoldOpWrappers(c.call, ctx);
        ResolveConstantNames(c.call, ctx, f_.Begin(call));
        order = c.order;
        m_.ops.push_back(std::move(c));
      }
      if ((method == "execute" || method == "exec_driver_sql") &&
          (op || IsExecutor(*ctx.scope, object, f_.Begin(call)))) {
        std::string via = DottedName(f_, fn);
        if (via.empty()) via = Squeeze(f_.Text(fn));
        RecordSql(ctx, call, std::move(via), order ? *order : ctx.scope->order++);
      }
      if (method == "commit" && !op && ts_node_named_child_count(args) == 0 &&
          IsExecutor(*ctx.scope, object, f_.Begin(call))) {
        RecordCommit(ctx, call, fn);
      }
    }
    Walk(args, ctx);
  }

  void With(TSNode stmt, Context& ctx) {
    Context inner = ctx;
    for (TSNode clause : NamedChildren(stmt)) {
      if (!Is(clause, NodeKind::kWithClause)) continue;
      for (TSNode item : NamedChildren(clause)) {
        TSNode value = Field(item, F().value);
        TSNode expr = value, alias{};
        if (Is(value, NodeKind::kAsPattern)) {
          TSNode first = FirstNamedChild(value);
          expr = ts_node_is_null(first) ? value : first;
          alias = Field(value, F().alias);
          TSNode only = OnlyNamedChild(alias);
          if (!ts_node_is_null(only)) alias = only;
        }
        Walk(value, ctx);
        expr = Unparen(expr);
        if (!Is(expr, NodeKind::kCall)) continue;
        TSNode fn = Field(expr, F().function);
        if (const std::string callee = DottedName(f_, fn);
            callee == "suppress" || callee == "contextlib.suppress") {
          TSNode args = Field(expr, F().arguments);
          std::string_view caught = ts_node_is_null(args) ? "" : f_.Text(args);
          if (caught.size() >= 2) caught = caught.substr(1, caught.size() - 2);
          if (!caught.empty() && CatchesDatabaseErrors(caught)) {
            inner.guard = AddGuard(f_.SpanOf(expr), caught, "`contextlib.suppress`", ctx);
          }
        }
        if (!Is(fn, NodeKind::kAttribute)) continue;
        std::string_view method = f_.Text(Field(fn, F().attribute));
        if (method == "autocommit_block") inner.autocommit = true;
        TSNode object = Unparen(Field(fn, F().object));
        if (method == "batch_alter_table" && Is(object, NodeKind::kIdentifier) &&
            op_names_.count(f_.Text(object)) && Is(alias, NodeKind::kIdentifier)) {
          std::optional<Expr> scanned = ScanCall(expr);
          Expr call = scanned ? std::move(*scanned) : ToExpr(f_, expr);
          FoldOpWrappers(call, ctx);
          const Expr* table = call.Positional(0);
          if (table == nullptr) table = call.Keyword("table_name");
          inner.batch[std::string(f_.Text(alias))] =
              table != nullptr && table->kind == Expr::Kind::kString ? table->text : "";
        }
      }
    }
    Walk(Field(stmt, F().body), inner);
  }

  int32_t AddGuard(Span handler, std::string_view catches, std::string how, const Context& ctx) {
    ErrorGuard g;
    g.handler = handler;
    g.catches = Squeeze(catches);
    g.how = std::move(how);
    g.phase = ctx.scope->phase;
    m_.guards.push_back(std::move(g));
    return static_cast<int32_t>(m_.guards.size() - 1);
  }

  // What an `except` block does with the error: nullopt when it re-raises or exits (anywhere
  // in it, nested functions aside), else how it goes on.
  std::optional<std::string> Swallows(TSNode block) const {
    bool only_pass = true, continues = false, logs = false;
    for (TSNode c : NamedChildren(block)) {
      if (!Is(c, NodeKind::kPassStatement) && !Is(c, NodeKind::kComment)) only_pass = false;
    }
    std::vector<TSNode> todo{block};
    size_t visited = 0;
    while (!todo.empty()) {
      TSNode n = todo.back();
      todo.pop_back();
      if (++visited > 100000) return std::nullopt;  // not worth a verdict
      const NodeKind k = Kind(n);
      if (k == NodeKind::kRaiseStatement) return std::nullopt;
      if (IsDefinition(k)) continue;
      if (k == NodeKind::kCall) {
        const std::string callee = DottedName(f_, Field(n, F().function));
        if (callee == "sys.exit" || callee == "exit" || callee == "quit" || callee == "os._exit")
          return std::nullopt;
        std::string lower = callee;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower.find("log") != std::string::npos || lower.find("warn") != std::string::npos ||
            lower == "print" || lower.find("echo") != std::string::npos)
          logs = true;
      }
      if (k == NodeKind::kContinueStatement) continues = true;
      const uint32_t count = ts_node_named_child_count(n);
      for (uint32_t i = count; i-- > 0;) todo.push_back(ts_node_named_child(n, i));
    }
    if (logs) return std::string("logs it");
    if (continues) return std::string("`continue`");
    if (only_pass) return std::string("`pass`");
    return std::string("does not re-raise");
  }

  // try: the body runs under a guard when the first handler that catches database errors
  // swallows them, unless the body opens a savepoint (begin_nested()).
  void Try(TSNode stmt, Context& ctx) {
    TSNode body = Field(stmt, F().body);
    Context inner = ctx;
    if (!ts_node_is_null(body) && f_.Text(body).find("begin_nested") == std::string_view::npos) {
      for (TSNode clause : NamedChildren(stmt)) {
        const NodeKind k = Kind(clause);
        if (k != NodeKind::kExceptClause && k != NodeKind::kExceptGroupClause) continue;
        TSNode block{}, type{};
        for (TSNode c : NamedChildren(clause)) {
          if (Is(c, NodeKind::kBlock)) {
            block = c;
          } else if (ts_node_is_null(type)) {
            type = c;
          }
        }
        if (k == NodeKind::kExceptClause) {
          TSNode value = Field(clause, F().value);
          type = value;
        }
        std::string_view caught = ts_node_is_null(type) ? "" : f_.Text(Unparen(type));
        if (Is(Unparen(type), NodeKind::kAsPattern)) {
          TSNode first = FirstNamedChild(Unparen(type));
          if (!ts_node_is_null(first)) caught = f_.Text(Unparen(first));
        }
        if (!caught.empty() && !CatchesDatabaseErrors(caught)) continue;
        if (ts_node_is_null(block)) break;
        std::optional<std::string> how = Swallows(block);
        if (!how) break;  // the first handler that sees the error re-raises it
        // The clause up to its colon: `except Exception as e:` (the first colon after the
        // exception and its alias; a comment after it may hold colons too).
        const std::string_view text = f_.file().text;
        const uint32_t begin = f_.Begin(clause);
        uint32_t end = begin;
        for (TSNode c : NamedChildren(clause)) {
          if (!Is(c, NodeKind::kBlock) && !Is(c, NodeKind::kComment))
            end = std::max(end, f_.End(c));
        }
        const uint32_t limit = f_.Begin(block);
        while (end < limit && text[end] != ':') ++end;
        end = end < limit ? end + 1 : f_.End(clause);
        inner.guard = AddGuard(Span{f_.file().id, begin, end}, caught, std::move(*how), ctx);
        break;
      }
    }
    Walk(body, inner);
    for (TSNode clause : NamedChildren(stmt)) {
      if (!ts_node_eq(clause, body)) Walk(clause, ctx);  // handlers, else, finally
    }
  }

  void Walk(TSNode node, Context& ctx) {
    switch (Kind(node)) {
      case NodeKind::kCall:
        Call(node, ctx);
        return;
      case NodeKind::kWithStatement:
        With(node, ctx);
        return;
      case NodeKind::kTryStatement:
        if (!ts_node_has_error(node)) {
          Try(node, ctx);
          return;
        }
        break;
      case NodeKind::kIfStatement:
        if (!ts_node_has_error(node)) {
          IfStatement(node, ctx);
          return;
        }
        break;
      case NodeKind::kNull:
      case NodeKind::kString:
      case NodeKind::kComment:
      case NodeKind::kIdentifier:
        return;
      default:
        break;
    }
    // Only a call records anything, and an error-free subtree without a `(` holds none.
    if (ts_node_child_count(node) == 0 || (!ts_node_has_error(node) && !f_.Contains(node, '('))) {
      return;
    }
    if (depth_ >= kMaxTreeDepth) {  // defence in depth: see kMaxTreeDepth
      TooDeep(f_, m_, node);
      return;
    }
    ++depth_;
    for (TSNode c : NamedChildren(node)) Walk(c, ctx);
    --depth_;
  }

  const TsFile& f_;
  Migration& m_;
  int depth_ = 0;  // of Walk's generic descent
  Scope module_;
  std::set<std::string, std::less<>> op_names_{"op"};
  std::set<std::string, std::less<>> context_names_;
  std::map<std::string, TSNode, std::less<>> helpers_;  // one-line module functions
  std::optional<int> mentions_dialect_;  // the file's text names a dialect test at all
};

}  // namespace

void ReadTreeBody(const TsFile& f, Migration& m) { BodyReader(f, m).Run(); }

}  // namespace alint
