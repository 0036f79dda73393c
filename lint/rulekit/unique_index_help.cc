#include "lint/rulekit/unique_index_help.h"
#include "lint/rulekit/lock_timeout_util.h"

#include <fmt/format.h>

#include <cctype>

#include "lint/rulekit/constraint_util.h"
#include "lint/rulekit/lock_rule_util.h"

namespace alint::rulekit {
namespace {

// The column list of the constraint: "email" / "a, b" (SQL) or the op's columns argument as
// written (["email"]); `sql_form` says which one was found.
std::string Columns(const SourceFile& file, const PlannedStatement& s, std::string_view keyword,
                    bool* sql_form) {
  *sql_form = s.sql != nullptr;
  if (s.sql != nullptr) {
    std::string_view part = AnchorSql(s);
    const size_t at = FindIgnoreCase(part, keyword);
    return at == std::string_view::npos ? std::string() : ParenthesizedAfter(part, at);
  }
  if (s.op == nullptr) return {};
  const Expr* cols = s.op->call.Keyword("columns");
  if (cols == nullptr) cols = s.op->call.Positional(s.op->batch_table ? 1 : 2);
  if (cols == nullptr) return {};
  std::string text(file.Slice(cols->span));
  std::string out;
  for (char c : text) {
    if (c != '\n' && c != '\r') out += c;
  }
  return out;
}

// A name made of the column names: "a, b" / ["a", "b"] -> "a_b".
std::string ColumnsSlug(std::string_view cols) {
  std::string out;
  bool sep = false;
  for (char c : cols) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      if (sep && !out.empty()) out += '_';
      sep = false;
      out += c;
    } else if (c == ',') {
      sep = true;
    }
  }
  return out;
}

}  // namespace

void CheckIndexBackedConstraint(const Migration& m, RuleContext& ctx, ConstraintKind type,
                                std::string_view keyword, std::string_view what) {
  const MigrationAnalysis* a = ctx.analysis();
  if (a == nullptr) return;
  for (const PlannedStatement& s : a->statements) {
    if (!IsAddConstraint(s.facts, type)) continue;
    const std::string& table = s.facts.table;
    if (table.empty() || s.IsNew(table)) continue;
    const RelationEffect* own = s.facts.Effect(table);
    // USING INDEX attaches an index built beforehand: no build under the lock.
    if (own == nullptr || !own->scan) continue;
    Finding& f = ctx.ReportStatement(
        s, fmt::format(
               "adding {}{} {}builds its unique index on `{}` while holding {} on it{}{}: {} "
               "wait for the whole build, and it fails if existing rows are duplicates",
               s.facts.constraint.empty() ? "a " : "", what,
               s.facts.constraint.empty() ? "" : "`" + s.facts.constraint + "` ", table,
               LockModeName(own->lock), PhaseSuffix(s.phase), HeldSince(ctx, s, table, own->lock),
               BlockedOperations(LockWhileRunning(s, table, own->lock))));
    bool sql_form = false;
    std::string cols = Columns(ctx.file(m.file), s, keyword, &sql_form);
    std::string slug = ColumnsSlug(cols);
    std::string name = s.facts.constraint;
    if (name.empty())
      name = table + (type == ConstraintKind::kPrimaryKey ? "_pkey" : "_" + slug + "_key");
    std::string build;
    if (cols.empty()) {
      build = OpExecute("CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (...)");
    } else if (sql_form) {
      build = OpExecute("CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (" + cols +
                        ")");
    } else {
      build = fmt::format("op.create_index({}, {}, {}, unique=True, postgresql_concurrently=True)",
                          Py(name), Py(table), cols);
    }
    std::string help = fmt::format(
        "build the index first without blocking writes, then attach it (a brief lock, no "
        "build):\n{}\n{}",
        InAutocommitBlock(build),
        OpExecute(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {} USING INDEX {}", table, name,
                              keyword, name)));
    if (type == ConstraintKind::kPrimaryKey) {
      help +=
          "\nthe key's columns must already be NOT NULL, or attaching it runs SET NOT NULL with "
          "a full scan under the lock";
    }
    f.help = std::move(help);
  }
}

}  // namespace alint::rulekit
