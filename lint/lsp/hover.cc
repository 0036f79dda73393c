#include "lint/lsp/hover.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

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
  std::string out = fmt::format("```sql\n{}\n```\n", f.summary.empty() ? f.KindName() : f.summary);
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
                                   const LintSettings& settings, const EnvFacts* env) {
  AnalysisOptions options;
  options.pg_version = settings.pg_version;
  options.env = env != nullptr && env->found ? env : nullptr;
  options.sql_file_in_transaction = settings.sql_files_in_transaction;
  MigrationAnalysis analysis = AnalyzeMigration(m, file, options);

  // The innermost statements around the offset (the subcommands of one ALTER TABLE share
  // their statement's span: all of them are shown).
  uint32_t best = UINT32_MAX;
  for (const PlannedStatement& s : analysis.statements) {
    if (Contains(s.span, offset)) best = std::min(best, s.span.end - s.span.begin);
  }
  std::string md;
  Span range;
  for (const PlannedStatement& s : analysis.statements) {
    if (!Contains(s.span, offset) || s.span.end - s.span.begin != best) continue;
    if (md.empty()) {
      md = s.op ? fmt::format("**{}.{}** runs on PostgreSQL\n\n", s.op->receiver, s.op->name)
                : std::string("**SQL** runs on PostgreSQL\n\n");
      range = s.span;
    }
    md += DescribeStatement(s.facts);
    md += s.in_transaction ? "- runs inside the migration's transaction: its locks are held "
                             "until the migration commits\n"
                           : "- runs in an autocommit block (outside a transaction)\n";
    md += s.lock_timeout ? fmt::format("- lock_timeout in effect: `{}`\n", *s.lock_timeout)
                         : std::string(
                               "- no lock_timeout in effect: it waits for its lock "
                               "as long as it takes, and blocks the queries queued "
                               "behind it meanwhile\n");
    for (const std::string& r : s.new_relations)
      md += fmt::format(
          "- `{}` was created earlier in this migration (empty: its locks are "
          "harmless)\n",
          r);
  }
  if (!md.empty()) return HoverText{md, ToRange(file, range.begin, range.end)};
  for (const OpCall* op : analysis.unmodelled_ops) {
    if (!Contains(op->call.span, offset)) continue;
    return HoverText{fmt::format("**{}.{}**: not modelled (an argument that decides the SQL "
                                 "is not a literal, or the operation is unknown), so its "
                                 "locks are unknown\n",
                                 op->receiver, op->name),
                     ToRange(file, op->call.span.begin, op->call.span.end)};
  }
  for (const SqlString& sql : m.sql) {
    if (!Contains(sql.span, offset)) continue;
    for (const SqlProblem& p : analysis.sql_errors) {
      if (Contains(sql.span, p.at.begin))
        return HoverText{fmt::format("**SQL** that PostgreSQL rejects: {}\n", p.message),
                         ToRange(file, sql.span.begin, sql.span.end)};
    }
  }
  return std::nullopt;
}

}  // namespace alint::lsp
