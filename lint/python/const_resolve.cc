#include "lint/python/const_resolve.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "lint/python/py_literal.h"

namespace alint {

namespace {

// --- a small tokenizer: enough of Python's to read top-level imports and assignments -------

struct Tok {
  enum Kind : uint8_t { kName, kString, kOp, kNewline, kOther } kind = kOther;
  uint32_t begin = 0, end = 0;
  bool line_start = false;  ///< first token of a logical line
  uint32_t indent = 0;      ///< that line's indentation (columns)
};

bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// String prefix (up to two of r, b, u, f in any case) directly followed by a quote.
uint32_t StringPrefixLength(std::string_view t, uint32_t p) {
  uint32_t n = 0;
  while (n < 2 && p + n < t.size() &&
         std::string_view("rRbBuUfF").find(t[p + n]) != std::string_view::npos)
    ++n;
  if (p + n < t.size() && (t[p + n] == '\'' || t[p + n] == '"')) return n;
  return UINT32_MAX;
}

std::vector<Tok> Tokenize(std::string_view t) {
  std::vector<Tok> out;
  uint32_t p = 0, depth = 0;
  bool at_line_start = true;
  uint32_t indent = 0;
  const uint32_t n = static_cast<uint32_t>(t.size());
  while (p < n) {
    char c = t[p];
    if (at_line_start && depth == 0) {
      indent = 0;
      while (p < n && (t[p] == ' ' || t[p] == '\t')) {
        indent += t[p] == '\t' ? 8 - indent % 8 : 1;
        ++p;
      }
      if (p >= n) break;
      c = t[p];
      if (c == '\n' || c == '\r' || c == '#') {  // blank or comment-only line
        while (p < n && t[p] != '\n') ++p;
        ++p;
        continue;
      }
    }
    if (c == ' ' || c == '\t' || c == '\f') {
      ++p;
      continue;
    }
    if (c == '#') {
      while (p < n && t[p] != '\n') ++p;
      continue;
    }
    if (c == '\\' && p + 1 < n && (t[p + 1] == '\n' || t[p + 1] == '\r')) {
      p += 2;
      if (p < n && t[p - 1] == '\r' && t[p] == '\n') ++p;
      continue;
    }
    if (c == '\n' || c == '\r') {
      ++p;
      if (depth == 0) {
        if (!out.empty() && out.back().kind != Tok::kNewline) out.push_back({Tok::kNewline, p, p});
        at_line_start = true;
      }
      continue;
    }
    Tok tok;
    tok.begin = p;
    tok.line_start = at_line_start && depth == 0;
    tok.indent = indent;
    at_line_start = false;
    if (uint32_t pre =
            IsNameStart(c) ? StringPrefixLength(t, p) : (c == '\'' || c == '"' ? 0 : UINT32_MAX);
        pre != UINT32_MAX) {
      uint32_t q = p + pre;
      char quote = t[q];
      bool triple = q + 2 < n && t[q + 1] == quote && t[q + 2] == quote;
      uint32_t e = q + (triple ? 3 : 1);
      bool raw = false;
      for (uint32_t i = p; i < q; ++i) raw = raw || (t[i] | 0x20) == 'r';
      (void)raw;  // a backslash escapes the next character in raw strings too
      while (e < n) {
        if (t[e] == '\\') {
          e += 2;
          continue;
        }
        if (t[e] == quote) {
          if (!triple) {
            ++e;
            break;
          }
          if (e + 2 < n && t[e + 1] == quote && t[e + 2] == quote) {
            e += 3;
            break;
          }
        }
        if (!triple && (t[e] == '\n' || t[e] == '\r')) break;  // unterminated: stop here
        ++e;
      }
      tok.kind = Tok::kString;
      tok.end = std::min(e, n);
      p = tok.end;
    } else if (IsNameStart(c)) {
      uint32_t e = p;
      while (e < n && IsNameChar(t[e])) ++e;
      tok.kind = Tok::kName;
      tok.end = e;
      p = e;
    } else if (std::string_view("()[]{},.=:;").find(c) != std::string_view::npos) {
      if (c == '(' || c == '[' || c == '{') ++depth;
      if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
      tok.kind = Tok::kOp;
      tok.end = p + 1;
      // `==`, `:=` are not the assignment we look for.
      if ((c == '=' || c == ':') && p + 1 < n && t[p + 1] == '=') {
        tok.kind = Tok::kOther;
        tok.end = p + 2;
      }
      p = tok.end;
    } else {
      tok.kind = Tok::kOther;
      tok.end = p + 1;
      ++p;
    }
    out.push_back(tok);
  }
  if (!out.empty() && out.back().kind != Tok::kNewline) out.push_back({Tok::kNewline, n, n});
  return out;
}

// --- what a module binds at top level ----------------------------------------------------

struct Binding {
  enum Kind : uint8_t { kExpr, kModule, kFromImport } kind = kExpr;
  size_t expr_begin = 0, expr_end = 0;  ///< kExpr: token range of the right-hand side
  int level = 0;                        ///< imports: leading dots
  std::string module;                   ///< imports: dotted module name (may be empty)
  std::string attr;                     ///< kFromImport: the imported name
};

struct Module {
  std::string path;  ///< the .py file ("" for a namespace package directory)
  std::string dir;   ///< where its submodules live (the package dir, or the file's dir)
  std::string name;  ///< dotted, for messages
  std::string text;
  std::vector<Tok> toks;
  std::map<std::string, Binding> names;  ///< last top-level binding wins
};

std::string_view TokText(const Module& m, const Tok& t) {
  return std::string_view(m.text).substr(t.begin, t.end - t.begin);
}

// Reads the top-level `import`, `from ... import` and `NAME = ...` statements.
void ReadBindings(Module& m) {
  const auto& toks = m.toks;
  size_t i = 0;
  while (i < toks.size()) {
    size_t end = i;
    while (end < toks.size() && toks[end].kind != Tok::kNewline) ++end;
    // Statements split by ';' are rare in modules of constants; such a line is skipped.
    bool semicolon = false;
    for (size_t k = i; k < end; ++k)
      semicolon = semicolon || (toks[k].kind == Tok::kOp && TokText(m, toks[k]) == ";");
    if (i < end && toks[i].line_start && toks[i].indent == 0 && !semicolon) {
      auto text = [&](size_t k) { return TokText(m, toks[k]); };
      auto is = [&](size_t k, std::string_view s) { return k < end && text(k) == s; };
      auto dotted = [&](size_t& k) {
        std::string name;
        while (k < end && toks[k].kind == Tok::kName) {
          name += text(k);
          if (is(k + 1, ".") && k + 2 < end && toks[k + 2].kind == Tok::kName) {
            name += ".";
            k += 2;
          } else {
            ++k;
            break;
          }
        }
        return name;
      };
      if (is(i, "import")) {
        size_t k = i + 1;
        while (k < end) {
          std::string mod = dotted(k);
          if (mod.empty()) break;
          Binding b;
          b.kind = Binding::kModule;
          if (is(k, "as") && k + 1 < end) {
            b.module = mod;
            m.names[std::string(text(k + 1))] = b;
            k += 2;
          } else {
            // `import a.b` binds `a`; a.b is then reached as an attribute (a submodule).
            b.module = mod.substr(0, mod.find('.'));
            m.names[b.module] = b;
          }
          if (!is(k, ",")) break;
          ++k;
        }
      } else if (is(i, "from")) {
        size_t k = i + 1;
        int level = 0;
        while (k < end && (is(k, ".") || text(k) == "...")) {
          level += static_cast<int>(text(k).size());
          ++k;
        }
        std::string mod = dotted(k);
        if (is(k, "import")) {
          ++k;
          if (is(k, "(")) ++k;
          while (k < end && toks[k].kind == Tok::kName) {
            Binding b;
            b.kind = Binding::kFromImport;
            b.level = level;
            b.module = mod;
            b.attr = std::string(text(k));
            std::string local = b.attr;
            ++k;
            if (is(k, "as") && k + 1 < end) {
              local = std::string(text(k + 1));
              k += 2;
            }
            m.names[local] = b;
            if (!is(k, ",")) break;
            ++k;
          }
        }
      } else if (toks[i].kind == Tok::kName) {
        // NAME = ..., NAME: annotation = ..., A = B = ...
        std::vector<std::string> targets;
        size_t k = i;
        while (k + 1 < end && toks[k].kind == Tok::kName && is(k + 1, "=")) {
          targets.emplace_back(text(k));
          k += 2;
        }
        if (targets.empty() && is(i + 1, ":")) {
          size_t eq = i + 2;
          while (eq < end && !is(eq, "=")) ++eq;
          if (eq < end) {
            targets.emplace_back(text(i));
            k = eq + 1;
          }
        }
        for (const std::string& t : targets) {
          Binding b;
          b.kind = Binding::kExpr;
          b.expr_begin = k;
          b.expr_end = end;
          m.names[t] = b;
        }
      }
    }
    i = end + 1;
  }
}

// --- evaluation ----------------------------------------------------------------------------

struct Value {
  enum Kind : uint8_t { kFail, kNone, kString, kSeq, kModule } kind = kFail;
  std::vector<std::string> strings;
  const Module* module = nullptr;
  std::string why;   ///< kFail
  std::string from;  ///< dotted name of the constant that gave the value
};

Value Fail(std::string why) {
  Value v;
  v.why = std::move(why);
  return v;
}

class Resolver {
 public:
  Resolver(const FileSource& fs, const std::vector<std::string>& roots) : fs_(fs), roots_(roots) {}

  const Module* Load(const std::string& path, const std::string& dir, const std::string& name) {
    std::string key = path.empty() ? dir : path;
    if (auto it = cache_.find(key); it != cache_.end()) return it->second.get();
    if (cache_.size() >= 32) return nullptr;  // a bound on the work for one file
    auto m = std::make_unique<Module>();
    m->path = path;
    m->dir = dir;
    m->name = name;
    if (!path.empty()) {
      auto text = fs_.Read(path);
      if (!text.ok() || text->size() > (1u << 20)) return nullptr;
      m->text = std::move(*text);
      m->toks = Tokenize(m->text);
      ReadBindings(*m);
    }
    return cache_.emplace(key, std::move(m)).first->second.get();
  }

  // A module by dotted name, under the package roots (`level` 0) or relative to `from`.
  const Module* Find(const Module& from, int level, const std::string& dotted) {
    std::vector<std::string> bases;
    if (level == 0) {
      bases = roots_;
    } else {
      std::string base = from.dir;
      for (int l = 1; l < level; ++l) base = DirName(base);
      bases.push_back(base);
    }
    std::string rel = dotted;
    std::replace(rel.begin(), rel.end(), '.', '/');
    for (const std::string& b : bases) {
      std::string p = rel.empty() ? b : JoinPath(b, rel);
      std::string name =
          level == 0 ? dotted : std::string(static_cast<size_t>(level), '.') + dotted;
      if (!rel.empty() && fs_.IsFile(p + ".py")) return Load(p + ".py", DirName(p + ".py"), name);
      if (fs_.IsFile(JoinPath(p, "__init__.py"))) return Load(JoinPath(p, "__init__.py"), p, name);
      if (!rel.empty() && fs_.IsDir(p)) return Load("", p, name);  // namespace package
    }
    return nullptr;
  }

  // `attr` of module `m`: its binding, else a submodule.
  Value Attribute(const Module& m, const std::string& attr, int& steps) {
    if (m.names.count(attr)) return Lookup(m, attr, steps);
    std::string p = JoinPath(m.dir, attr);
    std::string name = m.name + "." + attr;
    const Module* sub = nullptr;
    if (fs_.IsFile(p + ".py")) {
      sub = Load(p + ".py", m.dir, name);
    } else if (fs_.IsFile(JoinPath(p, "__init__.py"))) {
      sub = Load(JoinPath(p, "__init__.py"), p, name);
    }
    if (!sub)
      return Fail(fmt::format("`{}` is not defined at the top level of {}", attr, Where(m)));
    Value v;
    v.kind = Value::kModule;
    v.module = sub;
    return v;
  }

  Value Lookup(const Module& m, const std::string& name, int& steps) {
    if (++steps > kMaxConstSteps)
      return Fail(fmt::format("more than {} steps of names and imports", kMaxConstSteps));
    if (++work_ > kMaxWork) return Fail("too many names to follow");
    auto it = m.names.find(name);
    if (it == m.names.end())
      return Fail(fmt::format("`{}` is not defined at the top level of {}", name, Where(m)));
    const Binding& b = it->second;
    if (b.kind == Binding::kExpr) {
      Value v = Eval(m, b.expr_begin, b.expr_end, steps);
      if (v.kind != Value::kFail && v.kind != Value::kModule && v.from.empty())
        v.from = m.name.empty() ? name : m.name + "." + name;
      return v;
    }
    if (b.kind == Binding::kModule) {
      const Module* mod = Find(m, 0, b.module);
      if (!mod) return Fail(fmt::format("module `{}` is not in the repository", b.module));
      Value v;
      v.kind = Value::kModule;
      v.module = mod;
      return v;
    }
    const Module* mod = Find(m, b.level, b.module);
    if (!mod) {
      return Fail(fmt::format("module `{}{}` is not in the repository",
                              std::string(static_cast<size_t>(b.level), '.'), b.module));
    }
    return Attribute(*mod, b.attr, steps);
  }

  // The expression in tokens [b, e) of `m`.
  Value Eval(const Module& m, size_t b, size_t e, int& steps) {
    if (b >= e) return Fail("an empty expression");
    const auto& toks = m.toks;
    auto text = [&](size_t k) { return TokText(m, toks[k]); };
    // Strings (implicit concatenation).
    if (toks[b].kind == Tok::kString) {
      DecodedString all;
      bool first = true;
      for (size_t k = b; k < e; ++k) {
        if (toks[k].kind != Tok::kString) return Fail("not a plain string literal");
        DecodedString piece = DecodeLiteral(m.text, toks[k].begin, toks[k].end);
        if (first) {
          all = std::move(piece);
          first = false;
        } else {
          AppendLiteral(all, piece);
        }
      }
      if (all.kind != LiteralKind::kStr) return Fail("not a plain str literal");
      Value v;
      v.kind = Value::kString;
      v.strings = {all.value};
      return v;
    }
    // Tuples and lists.
    if (text(b) == "(" || text(b) == "[") {
      std::string_view close = text(b) == "(" ? ")" : "]";
      if (text(e - 1) != close) return Fail("not a tuple or list of strings");
      std::vector<std::pair<size_t, size_t>> parts;
      bool comma = false;
      int depth = 0;
      size_t start = b + 1;
      for (size_t k = b + 1; k < e - 1; ++k) {
        std::string_view s = text(k);
        if (s == "(" || s == "[" || s == "{") ++depth;
        if (s == ")" || s == "]" || s == "}") --depth;
        if (depth == 0 && s == ",") {
          parts.emplace_back(start, k);
          start = k + 1;
          comma = true;
        }
      }
      if (start < e - 1) parts.emplace_back(start, e - 1);
      if (close == ")" && !comma) {
        if (parts.empty()) {
          Value v;
          v.kind = Value::kSeq;
          return v;
        }
        return Eval(m, parts[0].first, parts[0].second, steps);  // parentheses only
      }
      Value seq;
      seq.kind = Value::kSeq;
      for (const auto& [pb, pe] : parts) {
        int element_steps = steps;  // each element is its own chain
        Value v = Eval(m, pb, pe, element_steps);
        if (v.kind == Value::kFail) return v;
        if (v.kind != Value::kString) return Fail("an element is not a string");
        seq.strings.push_back(v.strings.front());
      }
      return seq;
    }
    // None, NAME, NAME.attr.attr
    if (toks[b].kind != Tok::kName) return Fail("not a name or literal");
    if (e == b + 1 && text(b) == "None") {
      Value v;
      v.kind = Value::kNone;
      return v;
    }
    for (size_t k = b; k < e; ++k) {
      bool want_name = (k - b) % 2 == 0;
      if (want_name ? toks[k].kind != Tok::kName : text(k) != ".")
        return Fail("not a name, a dotted name or a literal");
    }
    if ((e - b) % 2 == 0) return Fail("not a dotted name");
    Value v = Lookup(m, std::string(text(b)), steps);
    for (size_t k = b + 2; k < e && v.kind != Value::kFail; k += 2) {
      if (v.kind != Value::kModule)
        return Fail(fmt::format("`{}` is not a module", std::string(text(k - 2))));
      v = Attribute(*v.module, std::string(text(k)), steps);
    }
    return v;
  }

 private:
  static std::string Where(const Module& m) {
    if (!m.path.empty()) return m.path;
    return m.dir;
  }

  const FileSource& fs_;
  const std::vector<std::string>& roots_;
  std::map<std::string, std::unique_ptr<Module>> cache_;
  static constexpr int kMaxWork = 256;  // name lookups per migration file, in all
  int work_ = 0;
};

}  // namespace

void ResolveImportedConstants(const FileSource& fs, const std::vector<std::string>& package_roots,
                              const SourceFile& file, Migration* m) {
  RevisionValue* values[] = {&m->revision, &m->down_revision, &m->branch_labels, &m->depends_on};
  bool any = false;
  for (RevisionValue* rv : values)
    any = any || (rv->kind == ValueKind::kNotLiteral && !rv->conditional && rv->value.valid());
  if (!any) return;

  Resolver r(fs, package_roots);
  Module self;
  self.path = file.path;
  self.dir = DirName(file.path);
  self.text = file.text;
  self.toks = Tokenize(self.text);
  ReadBindings(self);

  for (RevisionValue* rv : values) {
    if (rv->kind != ValueKind::kNotLiteral || rv->conditional || !rv->value.valid()) continue;
    size_t b = 0;
    while (b < self.toks.size() && self.toks[b].begin < rv->value.begin) ++b;
    size_t e = b;
    while (e < self.toks.size() && self.toks[e].kind != Tok::kNewline &&
           self.toks[e].end <= rv->value.end)
      ++e;
    if (b >= e || self.toks[b].begin != rv->value.begin) {
      rv->unresolved = "the value could not be read";
      continue;
    }
    auto span_of = [&](size_t pb, size_t pe) {
      return Span{file.id, self.toks[pb].begin, self.toks[pe - 1].end};
    };
    int steps = 0;
    // A tuple or list written in the migration: each element on its own, so literal elements
    // keep their own spans.
    std::string_view open = TokText(self, self.toks[b]);
    if ((open == "(" || open == "[") && e - b >= 2) {
      Value whole = r.Eval(self, b, e, steps);
      if (whole.kind == Value::kFail) {
        rv->unresolved = whole.why;
        continue;
      }
      if (whole.kind == Value::kSeq) {
        std::vector<StringItem> items;
        std::vector<std::string> from;
        int depth = 0;
        size_t start = b + 1;
        for (size_t k = b + 1; k < e; ++k) {
          std::string_view s = TokText(self, self.toks[k]);
          bool last = k == e - 1;
          if (!last && (s == "(" || s == "[" || s == "{")) ++depth;
          if (!last && (s == ")" || s == "]" || s == "}")) --depth;
          if ((depth == 0 && s == ",") || last) {
            if (start < k) {
              int sub_steps = 0;
              Value v = r.Eval(self, start, k, sub_steps);
              items.push_back({v.strings.empty() ? "" : v.strings.front(), span_of(start, k)});
              if (!v.from.empty()) from.push_back(v.from);
            }
            start = k + 1;
          }
        }
        if (from.empty()) continue;  // all literal: not ours (the readers decided)
        rv->kind = ValueKind::kSequence;
        rv->items = std::move(items);
        rv->resolved_from.clear();
        for (const auto& f : from) rv->resolved_from += (rv->resolved_from.empty() ? "" : ", ") + f;
        continue;
      }
    }
    Value v = r.Eval(self, b, e, steps);
    switch (v.kind) {
      case Value::kFail:
        rv->unresolved = v.why;
        break;
      case Value::kModule:
        rv->unresolved = "the name is a module, not a value";
        break;
      case Value::kNone:
        rv->kind = ValueKind::kNone;
        rv->items.clear();
        rv->resolved_from = v.from;
        break;
      case Value::kString:
        rv->kind = ValueKind::kString;
        rv->items = {{v.strings.front(), span_of(b, e)}};
        rv->resolved_from = v.from;
        break;
      case Value::kSeq:
        rv->kind = ValueKind::kSequence;
        rv->items.clear();
        for (const auto& s : v.strings) rv->items.push_back({s, span_of(b, e)});
        rv->resolved_from = v.from;
        break;
    }
  }
}

}  // namespace alint
