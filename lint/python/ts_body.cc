// Body facts from a tree-sitter parse: which functions exist, every op.* call with its
// arguments, and the SQL text handed to execute().

#include <map>
#include <set>
#include <string>

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

Expr ToExpr(const TsFile& f, TSNode n) {
  n = Unparen(n);
  Expr e;
  e.span = f.SpanOf(n);
  std::string_view t = Type(n);
  if (t == "string" || t == "concatenated_string") {
    std::optional<DecodedString> d = DecodeStringNode(f, n);
    if (d && (d->kind == LiteralKind::kStr || d->kind == LiteralKind::kBytes)) {
      e.kind = Expr::Kind::kString;
      e.text = std::move(d->value);
    } else {
      e.kind = d && d->kind == LiteralKind::kFString ? Expr::Kind::kFString : Expr::Kind::kOther;
      e.text = std::string(f.Text(n));
    }
  } else if (t == "integer" || t == "float") {
    e.kind = Expr::Kind::kNumber;
    e.text = std::string(f.Text(n));
  } else if (t == "unary_operator" && f.Text(n).starts_with("-") &&
             (Is(Field(n, "argument"), "integer") || Is(Field(n, "argument"), "float"))) {
    e.kind = Expr::Kind::kNumber;
    e.text = "-" + std::string(f.Text(Field(n, "argument")));
  } else if (t == "true") {
    e.kind = Expr::Kind::kTrue;
  } else if (t == "false") {
    e.kind = Expr::Kind::kFalse;
  } else if (t == "none") {
    e.kind = Expr::Kind::kNone;
  } else if (t == "identifier") {
    e.kind = Expr::Kind::kName;
    e.text = std::string(f.Text(n));
  } else if (t == "attribute" && !DottedName(f, n).empty()) {
    e.kind = Expr::Kind::kAttribute;
    e.text = DottedName(f, n);
  } else if (t == "call") {
    e.kind = Expr::Kind::kCall;
    TSNode fn = Field(n, "function");
    e.text = DottedName(f, fn);
    if (e.text.empty()) e.text = Squeeze(f.Text(fn));
    TSNode args = Field(n, "arguments");
    for (TSNode a : NamedChildren(args)) {
      if (Is(a, "keyword_argument")) {
        e.keywords.emplace_back(f.Text(Field(a, "name")));
        e.children.push_back(ToExpr(f, Field(a, "value")));
      } else if (Is(a, "dictionary_splat")) {
        e.keywords.emplace_back("**");
        e.children.push_back(Expr{Expr::Kind::kOther, std::string(f.Text(a)), f.SpanOf(a), {}, {}});
      } else {
        e.keywords.emplace_back();
        e.children.push_back(ToExpr(f, a));
      }
    }
    if (Is(args, "generator_expression")) {
      e.keywords.emplace_back();
      e.children.push_back(ToExpr(f, args));
    }
  } else if (t == "list" || t == "tuple" || t == "expression_list") {
    e.kind = t == "list" ? Expr::Kind::kList : Expr::Kind::kTuple;
    for (TSNode c : NamedChildren(n)) e.children.push_back(ToExpr(f, c));
  } else if (t == "dictionary") {
    e.kind = Expr::Kind::kDict;
    for (TSNode p : NamedChildren(n)) {
      if (!Is(p, "pair")) continue;
      e.children.push_back(ToExpr(f, Field(p, "key")));
      e.children.push_back(ToExpr(f, Field(p, "value")));
    }
  } else {
    e.kind = Expr::Kind::kOther;
    e.text = std::string(f.Text(n));
  }
  return e;
}

// How a name was bound inside a function (or at module level).
struct Binding {
  uint32_t at;   // file offset of the statement
  TSNode value;  // null: bound by something other than `name = value` (loop, +=, with, ...)
};

struct Scope {
  Phase phase = Phase::kOther;
  uint32_t order = 0;
  std::map<std::string, std::vector<Binding>, std::less<>> bindings;
};

struct Context {
  Scope* scope;
  bool autocommit = false;
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

class BodyReader {
 public:
  BodyReader(const TsFile& f, Migration& m) : f_(f), m_(m) {}

  void Run() {
    TSNode root = f_.root();
    CollectBindings(root, module_, /*into_functions=*/false);
    for (TSNode stmt : NamedChildren(root)) {
      if (Is(stmt, "import_from_statement")) ReadImport(stmt);
    }
    for (TSNode stmt : NamedChildren(root)) TopLevel(stmt);
  }

 private:
  void ReadImport(TSNode stmt) {
    TSNode module = Field(stmt, "module_name");
    if (ts_node_is_null(module) || f_.Text(module) != "alembic") return;
    for (TSNode c : NamedChildren(stmt)) {
      TSNode name = c, alias = c;
      if (Is(c, "aliased_import")) {
        name = Field(c, "name");
        alias = Field(c, "alias");
      } else if (!Is(c, "dotted_name") || f_.Begin(c) == f_.Begin(module)) {
        continue;
      }
      std::string n(f_.Text(name)), a(f_.Text(alias));
      if (n == "op") op_names_.insert(a);
      if (n == "context") context_names_.insert(a);
    }
  }

  void TopLevel(TSNode stmt) {
    std::string_view t = Type(stmt);
    if (t == "decorated_definition") {
      TopLevel(Field(stmt, "definition"));
      return;
    }
    if (t == "function_definition") {
      std::string name(f_.Text(Field(stmt, "name")));
      Scope scope;
      if (name == "upgrade" || name.starts_with("upgrade_")) {
        scope.phase = Phase::kUpgrade;
        m_.has_upgrade = m_.has_upgrade || name == "upgrade";
      } else if (name == "downgrade" || name.starts_with("downgrade_")) {
        scope.phase = Phase::kDowngrade;
        m_.has_downgrade = m_.has_downgrade || name == "downgrade";
      }
      TSNode body = Field(stmt, "body");
      CollectBindings(body, scope, /*into_functions=*/true);
      Context ctx{&scope};
      Walk(body, ctx);
      return;
    }
    if (t == "if_statement" || t == "try_statement") {
      // `if TYPE_CHECKING: ... else: def upgrade()`: definitions in module-level blocks count.
      TopLevelBlocks(stmt);
      return;
    }
    if (t == "class_definition") {
      Scope scope;
      Context ctx{&scope};
      Walk(stmt, ctx);
      return;
    }
    Context ctx{&module_};
    module_.phase = Phase::kModule;
    Walk(stmt, ctx);
  }

  void TopLevelBlocks(TSNode node) {
    for (TSNode c : NamedChildren(node)) {
      std::string_view t = Type(c);
      if (t == "block") {
        for (TSNode s : NamedChildren(c)) TopLevel(s);
      } else if (t.ends_with("_clause")) {
        TopLevelBlocks(c);
      }
    }
  }

  void CollectBindings(TSNode node, Scope& scope, bool into_functions) {
    for (TSNode c : NamedChildren(node)) {
      std::string_view t = Type(c);
      if (t == "function_definition" || t == "class_definition" || t == "decorated_definition" ||
          t == "lambda") {
        if (into_functions && t != "class_definition") CollectBindings(c, scope, true);
        continue;
      }
      if (t == "assignment") {
        TSNode left = Field(c, "left"), right = Field(c, "right");
        if (Is(left, "identifier")) {
          bool plain = !ts_node_is_null(right) && !Is(right, "assignment");
          scope.bindings[std::string(f_.Text(left))].push_back(
              {f_.Begin(c), plain ? right : TSNode{}});
        } else if (!ts_node_is_null(left)) {
          Unbind(left, scope, f_.Begin(c));
        }
      } else if (t == "augmented_assignment" || t == "for_statement" || t == "as_pattern_target" ||
                 t == "named_expression" || t == "for_in_clause") {
        TSNode left = Field(c, t == "named_expression" ? "name" : "left");
        Unbind(ts_node_is_null(left) ? c : left, scope, f_.Begin(c));
      }
      CollectBindings(c, scope, into_functions);
    }
  }

  void Unbind(TSNode target, Scope& scope, uint32_t at) {
    if (Is(target, "identifier")) {
      scope.bindings[std::string(f_.Text(target))].push_back({at, TSNode{}});
      return;
    }
    for (TSNode c : NamedChildren(target)) Unbind(c, scope, at);
  }

  // The value `name` holds at `at`: its one plain assignment before that point.
  std::optional<TSNode> Resolve(const Scope& scope, std::string_view name, uint32_t at) const {
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
  bool IsExecutor(const Scope& scope, TSNode receiver, uint32_t at) const {
    receiver = Unparen(receiver);
    if (IsBindValue(receiver)) return true;
    if (!Is(receiver, "identifier")) return false;
    std::string_view name = f_.Text(receiver);
    if (op_names_.count(std::string(name)) || context_names_.count(std::string(name))) return true;
    if (name == "conn" || name == "connection" || name == "bind") return true;
    std::optional<TSNode> v = Resolve(scope, name, at);
    return v && IsBindValue(*v);
  }

  SqlValue ResolveSql(const Scope& scope, TSNode n, uint32_t at, int depth) {
    n = Unparen(n);
    SqlValue r;
    r.span = f_.SpanOf(n);
    std::string_view t = Type(n);
    if (depth > 8) return r;
    if (t == "string" || t == "concatenated_string") {
      std::optional<DecodedString> d = DecodeStringNode(f_, n);
      if (d && d->kind == LiteralKind::kFString) {
        r.kind = SqlValue::kDynamic;
        r.why = "f-string";
      } else if (d && d->kind != LiteralKind::kInvalid) {
        r.kind = SqlValue::kSql;
        r.text = std::move(*d);
      }
      return r;
    }
    if (t == "identifier") {
      std::optional<TSNode> v = Resolve(scope, f_.Text(n), at);
      if (!v) {
        r.kind = SqlValue::kDynamic;
        r.why = "variable `" + std::string(f_.Text(n)) + "`";
        return r;
      }
      return ResolveSql(scope, *v, at, depth + 1);
    }
    if (t == "attribute") {
      r.kind = SqlValue::kDynamic;
      r.why = "`" + Squeeze(f_.Text(n)) + "`";
      return r;
    }
    if (t == "binary_operator") {
      std::string_view op = f_.Text(Field(n, "operator"));
      TSNode left = Field(n, "left"), right = Field(n, "right");
      if (op == "%") {
        SqlValue l = ResolveSql(scope, left, at, depth + 1);
        if (l.kind == SqlValue::kNotText) return r;
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
    if (t == "call") {
      TSNode fn = Field(n, "function");
      std::string callee = DottedName(f_, fn);
      std::vector<TSNode> args = NamedChildren(Field(n, "arguments"));
      if (IsTextFunction(callee) || callee == "textwrap.dedent" || callee == "dedent") {
        // dedent() only changes indentation, which SQL does not care about.
        if (!args.empty() && !Is(args[0], "keyword_argument")) {
          return ResolveSql(scope, args[0], at, depth + 1);
        }
        return r;
      }
      if (Is(fn, "attribute")) {
        std::string_view method = f_.Text(Field(fn, "attribute"));
        if (method == "format" || method == "strip" || method == "lstrip" || method == "rstrip") {
          SqlValue base = ResolveSql(scope, Field(fn, "object"), at, depth + 1);
          if (base.kind != SqlValue::kSql || method != "format") return base;
          r.kind = SqlValue::kDynamic;
          r.why = "str.format";
          return r;
        }
      }
      return r;  // a SQLAlchemy construct (table.insert(), sa.select(...)), not text
    }
    if (t == "conditional_expression") {
      r.kind = SqlValue::kDynamic;
      r.why = "conditional expression";
    }
    return r;
  }

  void RecordSql(Context& ctx, TSNode call, TSNode fn, uint32_t order) {
    std::vector<TSNode> args = NamedChildren(Field(call, "arguments"));
    TSNode arg{};
    for (TSNode a : args) {
      if (Is(a, "keyword_argument")) {
        std::string_view k = f_.Text(Field(a, "name"));
        if (k == "sqltext" || k == "statement") arg = Field(a, "value");
      } else if (ts_node_is_null(arg)) {
        arg = a;
      }
    }
    if (ts_node_is_null(arg)) return;
    SqlValue v = ResolveSql(*ctx.scope, arg, f_.Begin(call), 0);
    std::string via = DottedName(f_, fn);
    if (via.empty()) via = Squeeze(f_.Text(fn));
    if (v.kind == SqlValue::kSql) {
      SqlString s;
      s.text = std::move(v.text.value);
      s.segments = std::move(v.text.segments);
      s.span = v.span;
      s.phase = ctx.scope->phase;
      s.in_autocommit_block = ctx.autocommit;
      s.via = std::move(via);
      s.order = order;
      m_.sql.push_back(std::move(s));
    } else if (v.kind == SqlValue::kDynamic) {
      m_.dynamic_sql.push_back({v.span, std::move(via), std::move(v.why), ctx.scope->phase});
    }
  }

  void Call(TSNode call, Context& ctx) {
    TSNode fn = Field(call, "function");
    TSNode args = Field(call, "arguments");
    Walk(fn, ctx);
    if (Is(fn, "attribute")) {
      TSNode object = Unparen(Field(fn, "object"));
      TSNode attr = Field(fn, "attribute");
      std::string_view method = f_.Text(attr);
      std::string receiver = Is(object, "identifier") ? std::string(f_.Text(object)) : "";
      bool op = op_names_.count(receiver) > 0;
      auto batch = ctx.batch.find(receiver);
      std::optional<uint32_t> order;
      if (op || batch != ctx.batch.end()) {
        OpCall c;
        c.name = std::string(method);
        c.receiver = receiver;
        c.call = ToExpr(f_, call);
        c.name_span = f_.SpanOf(attr);
        c.phase = ctx.scope->phase;
        c.in_autocommit_block = ctx.autocommit;
        if (!op) c.batch_table = batch->second;
        c.order = ctx.scope->order++;
        order = c.order;
        m_.ops.push_back(std::move(c));
      }
      if ((method == "execute" || method == "exec_driver_sql") &&
          (op || IsExecutor(*ctx.scope, object, f_.Begin(call)))) {
        RecordSql(ctx, call, fn, order ? *order : ctx.scope->order++);
      }
    }
    Walk(args, ctx);
  }

  void With(TSNode stmt, Context& ctx) {
    Context inner = ctx;
    for (TSNode clause : NamedChildren(stmt)) {
      if (!Is(clause, "with_clause")) continue;
      for (TSNode item : NamedChildren(clause)) {
        TSNode value = Field(item, "value");
        TSNode expr = value, alias{};
        if (Is(value, "as_pattern")) {
          expr = NamedChildren(value).empty() ? value : NamedChildren(value)[0];
          alias = Field(value, "alias");
          if (!ts_node_is_null(alias) && NamedChildren(alias).size() == 1) {
            alias = NamedChildren(alias)[0];
          }
        }
        Walk(value, ctx);
        expr = Unparen(expr);
        if (!Is(expr, "call")) continue;
        TSNode fn = Field(expr, "function");
        if (!Is(fn, "attribute")) continue;
        std::string_view method = f_.Text(Field(fn, "attribute"));
        if (method == "autocommit_block") inner.autocommit = true;
        TSNode object = Unparen(Field(fn, "object"));
        if (method == "batch_alter_table" && Is(object, "identifier") &&
            op_names_.count(std::string(f_.Text(object))) && !ts_node_is_null(alias) &&
            Is(alias, "identifier")) {
          Expr call = ToExpr(f_, expr);
          const Expr* table = call.Positional(0);
          if (table == nullptr) table = call.Keyword("table_name");
          inner.batch[std::string(f_.Text(alias))] =
              table != nullptr && table->kind == Expr::Kind::kString ? table->text : "";
        }
      }
    }
    Walk(Field(stmt, "body"), inner);
  }

  void Walk(TSNode node, Context& ctx) {
    if (ts_node_is_null(node)) return;
    std::string_view t = Type(node);
    if (t == "call") {
      Call(node, ctx);
      return;
    }
    if (t == "with_statement") {
      With(node, ctx);
      return;
    }
    if (t == "string" || t == "comment" || t == "identifier") return;
    for (TSNode c : NamedChildren(node)) Walk(c, ctx);
  }

  const TsFile& f_;
  Migration& m_;
  Scope module_;
  std::set<std::string, std::less<>> op_names_{"op"};
  std::set<std::string, std::less<>> context_names_;
};

}  // namespace

void ReadTreeBody(const TsFile& f, Migration& m) { BodyReader(f, m).Run(); }

}  // namespace alint
