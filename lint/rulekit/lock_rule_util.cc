#include "lint/rulekit/lock_rule_util.h"

#include <cctype>

namespace alint::rulekit {

const RelationEffect* ExistingTableEffect(const StatementFacts& f) {
  for (const RelationEffect& e : f.effects) {
    if (e.kind == RelationKind::kTable && !e.created) return &e;
  }
  return nullptr;
}

bool TableDroppedLater(const MigrationAnalysis& a, const PlannedStatement& s,
                       std::string_view table) {
  if (table.empty() || a.statements.empty()) return false;
  const std::string wanted = NormalizeRelation(table);
  for (const PlannedStatement* o = &s + 1; o < a.statements.data() + a.statements.size(); ++o) {
    if (o->phase != s.phase || o->transaction != s.transaction) continue;
    if (o->facts.kind != StatementKind::kDropTable) continue;
    for (const RelationEffect& e : o->facts.effects) {
      if (NormalizeRelation(e.relation) == wanted) return true;
    }
  }
  return false;
}

std::string_view StatementSql(const PlannedStatement& s) {
  if (s.sql == nullptr) return {};
  std::string_view text = s.sql->text;
  if (s.facts.begin > s.facts.end || s.facts.end > text.size()) return {};
  return text.substr(s.facts.begin, s.facts.end - s.facts.begin);
}

std::string_view AnchorSql(const PlannedStatement& s) {
  if (s.sql == nullptr) return {};
  std::string_view text = s.sql->text;
  if (s.facts.anchor >= s.facts.anchor_end || s.facts.anchor_end > text.size()) {
    return StatementSql(s);
  }
  return text.substr(s.facts.anchor, s.facts.anchor_end - s.facts.anchor);
}

namespace {

// Collapses whitespace runs outside string literals to one space, drops spaces just inside
// brackets and a trailing comma before a closing bracket: the call as one readable line.
std::string OneLine(std::string_view src) {
  std::string out;
  char quote = 0;
  bool pending_space = false;
  for (size_t i = 0; i < src.size(); ++i) {
    const char c = src[i];
    if (quote != 0) {
      out += c;
      if (c == '\\' && i + 1 < src.size()) {
        out += src[++i];
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '#') {  // a comment runs to the end of its line
      while (i + 1 < src.size() && src[i + 1] != '\n') ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = true;
      continue;
    }
    const bool closing = c == ')' || c == ']' || c == '}';
    if (closing) {
      while (!out.empty() && (out.back() == ',' || out.back() == ' ')) out.pop_back();
    }
    if (pending_space && !out.empty() && !closing && out.back() != '(' && out.back() != '[' &&
        out.back() != '{') {
      out += ' ';
    }
    pending_space = false;
    if (c == '"' || c == '\'') quote = c;
    out += c;
  }
  return out;
}

}  // namespace

std::string OpCallSource(const SourceFile& file, const OpCall& op) {
  return OneLine(file.Slice(op.call.span));
}

std::string OpCallWith(const SourceFile& file, const OpCall& op, std::string_view keyword) {
  const std::string_view name = keyword.substr(0, keyword.find('='));
  std::string line = OpCallSource(file, op);
  // An existing keyword of that name: replace its value (its argument's span is exact).
  for (size_t i = 0; i < op.call.keywords.size() && i < op.call.children.size(); ++i) {
    if (op.call.keywords[i] != name) continue;
    const std::string value(OneLine(file.Slice(op.call.children[i].span)));
    const std::string old = std::string(name) + "=" + value;
    if (size_t at = line.find(old); at != std::string::npos) {
      return line.replace(at, old.size(), std::string(keyword));
    }
  }
  if (line.empty() || line.back() != ')') return line;
  line.pop_back();
  const bool no_args = !line.empty() && line.back() == '(';
  return line + (no_args ? "" : ", ") + std::string(keyword) + ")";
}

bool InSqlFile(const PlannedStatement& s) { return s.sql != nullptr && s.sql->via == "sql file"; }

std::string SqlFileTransaction(const RuleContext& ctx) {
  return ctx.settings().sql_files_in_transaction
             ? "in the one transaction the file runs in (--assume-in-transaction)"
             : "between BEGIN and COMMIT";
}

std::string InAutocommitBlock(std::string_view code) {
  std::string out = "with op.get_context().autocommit_block():\n    ";
  for (char c : code) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

std::string OpExecute(std::string_view sql) {
  const std::string open = "op.execute(\"";
  std::string out = open;
  bool space = false;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote == 0 && c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      // A -- comment would swallow the rest of the one-line statement.
      while (i + 1 < sql.size() && sql[i + 1] != '\n') ++i;
      space = true;
      continue;
    }
    if (c == '\'' || c == '"') quote = quote == 0 ? c : (quote == c ? 0 : quote);
    if (quote == 0 && std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && out.size() > open.size()) out += ' ';
    space = false;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\")";
}

std::string ParenthesizedAfter(std::string_view text, size_t from) {
  size_t open = text.find('(', from);
  if (open == std::string_view::npos) return {};
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && --depth == 0) {
      std::string_view inner = text.substr(open + 1, i - open - 1);
      size_t b = inner.find_first_not_of(" \t\n");
      size_t e = inner.find_last_not_of(" \t\n");
      return b == std::string_view::npos ? std::string() : std::string(inner.substr(b, e - b + 1));
    }
  }
  return {};
}

size_t FindIgnoreCase(std::string_view text, std::string_view word, size_t from) {
  if (word.empty() || text.size() < word.size()) return std::string_view::npos;
  for (size_t i = from; i + word.size() <= text.size(); ++i) {
    size_t k = 0;
    while (k < word.size() && std::tolower(static_cast<unsigned char>(text[i + k])) ==
                                  std::tolower(static_cast<unsigned char>(word[k]))) {
      ++k;
    }
    if (k == word.size()) return i;
  }
  return std::string_view::npos;
}

std::string InsertAfterKeyword(std::string_view sql, std::string_view after,
                               std::string_view word) {
  auto is_ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t at = FindIgnoreCase(sql, after); at != std::string_view::npos;
       at = FindIgnoreCase(sql, after, at + 1)) {
    const size_t end = at + after.size();
    if ((at > 0 && is_ident(sql[at - 1])) || (end < sql.size() && is_ident(sql[end]))) continue;
    return std::string(sql.substr(0, end)) + " " + std::string(word) + std::string(sql.substr(end));
  }
  return std::string(sql);
}

std::string Py(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace alint::rulekit
