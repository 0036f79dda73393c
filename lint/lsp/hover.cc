#include "lint/lsp/hover.h"

#include <fmt/format.h>

#include "lint/sql/op_model.h"
#include "lint/sql/sql_facts.h"
#include "rules/rule_docs.h"

namespace alint::lsp {

namespace {

std::string_view TrimLines(std::string_view s) {
  while (!s.empty() && (s.front() == '\n' || s.front() == ' ' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// One statement's facts as a markdown block.
std::string DescribeStatement(const StatementFacts& f) {
  std::string out = fmt::format("```sql\n{}\n```\n", f.summary.empty() ? f.kind : f.summary);
  for (const RelationEffect& e : f.effects) {
    if (e.lock == LockMode::kNone && !e.rewrite && !e.scan) continue;
    std::string line = fmt::format("- `{}`", e.relation);
    if (e.lock != LockMode::kNone) {
      std::string blocked = BlockedOperations(e.lock);
      line += fmt::format(": **{}** lock", LockModeName(e.lock));
      if (!blocked.empty()) line += fmt::format(" (blocks {})", blocked);
    }
    if (e.table_lock != LockMode::kNone)
      line += fmt::format("; its table: **{}**", LockModeName(e.table_lock));
    if (e.created) line += ", created here";
    if (e.rewrite)
      line += f.rewrite_uncertain ? ", may **rewrite** the table" : ", **rewrites** the table";
    if (e.scan) line += ", **scans** it under the lock";
    out += line + "\n";
  }
  std::vector<std::string> flags;
  if (f.concurrently) flags.push_back("runs CONCURRENTLY");
  if (f.no_transaction) flags.push_back("cannot run inside a transaction block");
  if (f.can_fail_on_rows) flags.push_back("can fail on existing rows");
  if (f.data_loss) flags.push_back("**destroys data**");
  if (f.not_valid) flags.push_back("constraint added NOT VALID");
  if (f.requires_pg > 0) flags.push_back(fmt::format("needs PostgreSQL {}+", f.requires_pg));
  if (f.sets_lock_timeout)
    flags.push_back(fmt::format("sets lock_timeout = {}", *f.sets_lock_timeout));
  if (f.sets_statement_timeout)
    flags.push_back(fmt::format("sets statement_timeout = {}", *f.sets_statement_timeout));
  for (const std::string& flag : flags) out += "- " + flag + "\n";
  for (const std::string& note : f.notes) out += "- " + note + "\n";
  return out;
}

bool Contains(Span s, uint32_t offset) { return s.begin <= offset && offset <= s.end; }

}  // namespace

std::string RuleDocSummary(std::string_view rule) {
  const RuleDoc* doc = FindRuleDoc(rule);
  if (!doc) return "";
  std::string_view md = doc->markdown;
  constexpr std::string_view kHeading = "## What it does";
  size_t at = md.find(kHeading);
  if (at == std::string_view::npos) return "";
  std::string_view rest = md.substr(at + kHeading.size());
  size_t next = rest.find("\n## ");
  return std::string(TrimLines(rest.substr(0, next)));
}

std::optional<HoverText> DiagnosticHover(const std::vector<Diagnostic>& diagnostics,
                                         uint32_t offset) {
  std::optional<HoverText> out;
  for (const Diagnostic& d : diagnostics) {
    if (offset < d.begin || offset > d.end) continue;
    std::string block = fmt::format("**alembic-lint** `{}` ({})\n\n{}\n", d.rule,
                                    SeverityName(d.severity), d.message);
    if (d.help) block += fmt::format("\n*help:* {}\n", *d.help);
    std::string summary = RuleDocSummary(d.rule);
    if (!summary.empty()) block += fmt::format("\n{}\n", summary);
    block += fmt::format("\n`alembic-lint explain {}` for the full documentation.\n", d.rule);
    if (!out) {
      out = HoverText{block, d.range};
    } else {
      out->markdown += "\n---\n\n" + block;
    }
  }
  return out;
}

std::optional<HoverText> LockHover(const Migration& m, const SourceFile& file, uint32_t offset,
                                   const LintSettings& settings) {
  SqlOptions options;
  options.pg_version = settings.pg_version;
  // The innermost op call around the offset (a batch op inside a `with` is its own call).
  const OpCall* best_op = nullptr;
  for (const OpCall& op : m.ops) {
    if (!Contains(op.call.span, offset)) continue;
    if (!best_op ||
        op.call.span.end - op.call.span.begin < best_op->call.span.end - best_op->call.span.begin)
      best_op = &op;
  }
  const SqlString* best_sql = nullptr;
  for (const SqlString& s : m.sql) {
    if (Contains(s.span, offset) &&
        (!best_sql || s.span.end - s.span.begin < best_sql->span.end - best_sql->span.begin))
      best_sql = &s;
  }
  // A SQL string inside op.execute(...) is more specific than the call.
  if (best_sql && (!best_op || best_sql->span.end - best_sql->span.begin <=
                                   best_op->call.span.end - best_op->call.span.begin)) {
    SqlAnalysis a = AnalyzeSql(best_sql->text, options);
    if (a.error) {
      return HoverText{fmt::format("**SQL** does not parse: {}\n", a.error->message),
                       ToRange(file, best_sql->span.begin, best_sql->span.end)};
    }
    // The statements whose text holds the offset; the whole string when between statements.
    std::string md;
    Span range = best_sql->span;
    for (const StatementFacts& f : a.facts) {
      uint32_t b = best_sql->FileOffset(f.begin), e = best_sql->FileOffset(f.end);
      if (offset < b || offset > e) continue;
      md += DescribeStatement(f);
      range = Span{file.id, b, e};
    }
    if (md.empty()) {
      for (const StatementFacts& f : a.facts) md += DescribeStatement(f);
    }
    if (md.empty()) return std::nullopt;
    return HoverText{"**Runs on PostgreSQL**\n\n" + md, ToRange(file, range.begin, range.end)};
  }
  if (!best_op) return std::nullopt;
  std::vector<StatementFacts> facts = AnalyzeOpCall(*best_op, options);
  Range range = ToRange(file, best_op->call.span.begin, best_op->call.span.end);
  if (facts.empty()) {
    return HoverText{fmt::format("**{}.{}**: not modelled (an argument that decides the SQL is "
                                 "not a literal, or the operation is unknown): its locks are "
                                 "unknown\n",
                                 best_op->receiver, best_op->name),
                     range};
  }
  std::string md =
      fmt::format("**{}.{}** runs on PostgreSQL\n\n", best_op->receiver, best_op->name);
  for (const StatementFacts& f : facts) md += DescribeStatement(f);
  return HoverText{md, range};
}

}  // namespace alint::lsp
