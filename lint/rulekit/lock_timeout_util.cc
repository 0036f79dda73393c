#include "lint/rulekit/lock_timeout_util.h"

#include <fmt/format.h>

namespace alint::rulekit {

std::vector<ExistingLock> ExistingLocks(const PlannedStatement& st) {
  std::vector<ExistingLock> out;
  for (const RelationEffect& e : st.facts.effects) {
    if (e.created || st.IsNew(e.relation)) continue;
    // An index with a table lock: traffic queues on the table, listed instead of the index
    // (which would read as a table in messages).
    const bool via_table = e.kind == RelationKind::kIndex && e.table_lock != LockMode::kNone;
    if (e.lock != LockMode::kNone && !via_table) {
      out.push_back({e.relation, Quoted(e.relation), e.lock, &e});
    }
    if (via_table) {
      // The table when the statement names it (op.drop_index(..., table_name=...)).
      const std::string& table = st.facts.table.empty() ? st.index_table : st.facts.table;
      if (!table.empty()) {
        out.push_back({table, Quoted(table), e.table_lock, &e});
      } else {
        out.push_back({fmt::format("the table of index {}", e.relation),
                       fmt::format("the table of index {}", Quoted(e.relation)), e.table_lock, &e});
      }
    }
  }
  return out;
}

std::string JoinLabels(const std::vector<std::string>& labels, size_t max) {
  std::string out;
  const size_t shown = labels.size() > max ? max : labels.size();
  for (size_t i = 0; i < shown; ++i) {
    out += (i == 0 ? "" : i + 1 == labels.size() ? " and " : ", ") + labels[i];
  }
  if (labels.size() > shown) out += fmt::format(" and {} more", labels.size() - shown);
  return out;
}

bool IsSlowStatement(const PlannedStatement& st, std::string* why) {
  const StatementFacts& f = st.facts;
  for (const RelationEffect& e : f.effects) {
    if (e.created || st.IsNew(e.relation)) continue;
    if (e.rewrite) {
      *why = fmt::format("rewrites {}{}", Quoted(e.relation),
                         f.rewrite_uncertain ? " (possibly: it depends on the current type)" : "");
      return true;
    }
    if (e.scan) {
      if (f.kind == StatementKind::kCreateIndex) {
        *why = fmt::format("builds an index on {} (reads the whole table)", Quoted(e.relation));
      } else if (f.kind == StatementKind::kValidateConstraint) {
        *why =
            fmt::format("validates a constraint on {} (reads the whole table)", Quoted(e.relation));
      } else {
        *why = fmt::format("scans the whole of {}", Quoted(e.relation));
      }
      return true;
    }
  }
  // Data changes take time proportional to the rows they touch.
  bool dml = f.kind == StatementKind::kUpdate || f.kind == StatementKind::kDelete ||
             f.kind == StatementKind::kMerge || f.kind == StatementKind::kCopy;
  // INSERT ... SELECT reads other tables; a VALUES insert is quick.
  bool insert_select = f.kind == StatementKind::kInsert && f.effects.size() > 1;
  if (!dml && !insert_select) return false;
  const RelationEffect* target = nullptr;
  bool holds_data = false;
  for (const RelationEffect& e : f.effects) {
    if (e.lock == LockMode::kRowExclusive && target == nullptr) target = &e;
    holds_data = holds_data || !(e.created || st.IsNew(e.relation));
  }
  if (target == nullptr || !holds_data) return false;
  // The message quotes the statement already: say what it does to the rows, and how many.
  const std::string rows =
      fmt::format("{} {}", f.data_loss ? "every row of" : "rows of", Quoted(target->relation));
  switch (f.kind) {
    case StatementKind::kInsert:
      *why = fmt::format("copies rows into {} (INSERT ... SELECT)", Quoted(target->relation));
      break;
    case StatementKind::kUpdate:
      *why = "updates " + rows;
      break;
    case StatementKind::kDelete:
      *why = "deletes " + rows;
      break;
    case StatementKind::kCopy:
      *why = fmt::format("loads rows into {} (COPY)", Quoted(target->relation));
      break;
    default:
      *why = "changes " + rows;
  }
  return true;
}

LockMode LockWhileRunning(const PlannedStatement& st, std::string_view relation, LockMode own) {
  const HeldLock* h = st.Held(relation);
  return h != nullptr && h->mode > own ? h->mode : own;
}

std::string HeldSince(const RuleContext& ctx, const PlannedStatement& st, std::string_view relation,
                      LockMode own) {
  const HeldLock* h = st.Held(relation);
  if (h == nullptr || h->mode <= own) return "";
  return fmt::format(" (its transaction already holds {} on it, taken at {} by `{}`)",
                     LockModeName(h->mode), LineOf(ctx, h->taken_at), h->taken_by);
}

std::string_view PhaseFunction(Phase phase) {
  switch (phase) {
    case Phase::kUpgrade:
      return "upgrade()";
    case Phase::kDowngrade:
      return "downgrade()";
    default:
      return "module level";
  }
}

std::string LineOf(const RuleContext& ctx, Span span) {
  return fmt::format("line {}", ctx.file(span.file).Locate(span.begin).line);
}

std::string Quoted(std::string_view name) { return fmt::format("`{}`", name); }

}  // namespace alint::rulekit
