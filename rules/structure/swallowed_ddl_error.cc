// swallowed-ddl-error: an op.* call or executed SQL inside a `try:` whose `except` catches
// database errors and goes on (pass, continue, a log line), or inside
// `with contextlib.suppress(...)`. The facts (Migration::guards) come from lint/python.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "lint/engine/rule.h"

namespace alint {
namespace {

struct Guarded {
  Span at;
  std::string label;
};

std::string SqlLabel(const SqlString& s) {
  std::string head;
  for (char c : s.text) {
    if (head.size() >= 32) {
      head += "...";
      break;
    }
    head += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
  }
  while (!head.empty() && head.front() == ' ') head.erase(head.begin());
  return fmt::format("{}(\"{}\")", s.via, head);
}

class SwallowedDdlError final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"swallowed-ddl-error",
                                "A failing migration statement is caught and ignored (`except: "
                                "pass`, a log line, `contextlib.suppress`)",
                                Severity::kWarning,
                                "structure",
                                {},
                                /*only_unapplied=*/true};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    if (m.guards.empty()) return;
    std::vector<std::vector<Guarded>> inside(m.guards.size());
    std::vector<std::vector<Span>> calls(m.guards.size());  // the op calls, to match SQL to
    auto slot = [&](int32_t g) -> std::vector<Guarded>* {
      return g >= 0 && static_cast<size_t>(g) < inside.size() ? &inside[static_cast<size_t>(g)]
                                                              : nullptr;
    };
    for (const OpCall& op : m.ops) {
      if (auto* v = slot(op.guard)) {
        v->push_back({op.name_span, op.receiver + "." + op.name + "()"});
        calls[static_cast<size_t>(op.guard)].push_back(op.call.span);
      }
    }
    // The SQL of an op.execute() is the same statement: it names it, and counts once.
    auto add_sql = [&](int32_t g, Span at, std::string label) {
      std::vector<Guarded>* v = slot(g);
      if (v == nullptr) return;
      const std::vector<Span>& cs = calls[static_cast<size_t>(g)];
      for (size_t i = 0; i < cs.size(); ++i) {
        if (cs[i].begin <= at.begin && at.end <= cs[i].end) {
          (*v)[i].label = std::move(label);
          return;
        }
      }
      v->push_back({at, std::move(label)});
    };
    for (const SqlString& s : m.sql) add_sql(s.guard, s.span, SqlLabel(s));
    for (const DynamicSql& d : m.dynamic_sql) add_sql(d.guard, d.span, d.via + "(<" + d.why + ">)");
    for (size_t g = 0; g < m.guards.size(); ++g) {
      if (inside[g].empty()) continue;
      const ErrorGuard& guard = m.guards[g];
      const SourceFile& file = ctx.file(m.file);
      const std::vector<Guarded>& st = inside[g];
      const std::string clause(file.Slice(guard.handler));
      std::string what =
          fmt::format("{} (line {})", st.front().label, file.Locate(st.front().at.begin).line);
      if (st.size() > 1) {
        what += fmt::format(" and {} more statement{}", st.size() - 1, st.size() == 2 ? "" : "s");
      }
      std::string how;
      if (guard.how == "`contextlib.suppress`") {
        how = "the error is suppressed";
      } else if (guard.how == "`pass`") {
        how = "the handler is `pass`";
      } else if (guard.how == "`continue`") {
        how = "the handler moves on to the next loop iteration";
      } else if (guard.how == "logs it") {
        how = "the handler only logs it";
      } else {
        how = "the handler " + guard.how;
      }
      std::string message = fmt::format(
          "`{}` swallows a failure of {}{}: {}, so the migration carries on as if it had "
          "worked. On PostgreSQL the transaction is then aborted and every later statement "
          "fails with `current transaction is aborted`; without transactional DDL the schema "
          "is left half-built",
          clause, what, PhaseSuffix(guard.phase), how);
      Finding& f = ctx.Report(guard.handler, std::move(message));
      if (guard.phase == Phase::kDowngrade) ctx.LowerSeverity(f);
      f.help =
          "Let the error stop the migration: remove the try/except. If the statement may fail "
          "because the object already exists (or is already gone), say so in the statement: "
          "`IF NOT EXISTS` / `IF EXISTS` in SQL, `if_not_exists=True` / `if_exists=True` on "
          "op.create_index() / op.drop_index() (Alembic 1.12+), or check first with "
          "`sa.inspect(op.get_bind())` (has_table(), get_columns(), get_indexes()). If a failure "
          "really must be tolerated, run the statement in a savepoint so the transaction "
          "survives it: `with op.get_bind().begin_nested(): ...`";
      for (const Guarded& s : st) {
        if (f.related.size() >= kMaxRelatedLocations) break;
        f.related.push_back({s.at, fmt::format("{} runs here", s.label)});
      }
    }
  }
};

}  // namespace

const Rule& SwallowedDdlErrorRule() {
  static const SwallowedDdlError r;
  return r;
}

}  // namespace alint
