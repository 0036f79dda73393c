// missing-lock-timeout: a strong lock on an existing table with no lock_timeout in effect.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

#include "lint/analysis/migration_analysis.h"
#include "lint/engine/rule.h"
#include "lint/rulekit/lock_timeout_util.h"

namespace alint {
namespace {

// The modes that queue ordinary traffic behind them: ACCESS EXCLUSIVE blocks reads, SHARE ROW
// EXCLUSIVE and SHARE block writes. Weaker modes only conflict with DDL and maintenance.
bool QueuesTraffic(LockMode mode) {
  return mode == LockMode::kAccessExclusive || mode == LockMode::kShareRowExclusive ||
         mode == LockMode::kShare;
}

// What queues behind a waiting request for `mode` (one of the QueuesTraffic modes).
std::string_view QueuedTraffic(LockMode mode) {
  return mode == LockMode::kAccessExclusive ? "reads and writes" : "writes";
}

// The strongest traffic-queueing lock `st` takes on an existing relation, if any.
std::optional<rulekit::ExistingLock> StrongLock(const PlannedStatement& st) {
  std::optional<rulekit::ExistingLock> best;
  for (rulekit::ExistingLock& l : rulekit::ExistingLocks(st)) {
    if (!QueuesTraffic(l.mode)) continue;
    // A lock the transaction already holds (as strongly) is granted at once: no wait.
    if (st.AlreadyGranted(l.relation, l.mode)) continue;
    if (!best || l.mode > best->mode) best = std::move(l);
  }
  return best;
}

std::string Help(const PlannedStatement& st) {
  if (st.sql != nullptr && st.sql->via == "sql file") {
    return "start the file with `SET lock_timeout = '5s';` so a blocked statement fails fast "
           "instead of queueing traffic behind it (retry the deploy later)";
  }
  if (!st.in_transaction) {
    return fmt::format(
        "inside the autocommit_block(), run `op.execute(\"SET lock_timeout = '5s'\")` before this "
        "statement, so it fails fast instead of queueing traffic behind it; or set it for every "
        "migration in env.py: `create_engine(url, connect_args={{\"options\": \"-c "
        "lock_timeout=5s\"}})`");
  }
  return fmt::format(
      "make the first statement of {} `op.execute(\"SET LOCAL lock_timeout = '5s'\")` (SET "
      "LOCAL ends with the migration's transaction), so a blocked statement fails fast instead "
      "of queueing traffic behind it, and retry the deploy later; or set it for every "
      "migration in env.py: `create_engine(url, connect_args={{\"options\": \"-c "
      "lock_timeout=5s\"}})`",
      rulekit::PhaseFunction(st.phase));
}

// Where a statement goes to run first in the function named at `name` (`def upgrade`): the
// start of its body's first line after the docstring, with that line's indentation. nullopt
// for a one-line body (`def upgrade(): pass`) or text the scan does not follow.
std::optional<std::pair<uint32_t, std::string>> BodyStart(std::string_view text, Span name) {
  size_t i = name.end;
  int depth = 0;
  char quote = 0;
  for (; i < text.size(); ++i) {  // the signature, to its colon
    const char c = text[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(' || c == '[') {
      ++depth;
    } else if (c == ')' || c == ']') {
      --depth;
    } else if (c == ':' && depth == 0) {
      break;
    }
  }
  if (i >= text.size()) return std::nullopt;
  const size_t eol = text.find('\n', i);
  if (eol == std::string_view::npos) return std::nullopt;
  const std::string_view rest = text.substr(i + 1, eol - i - 1);
  const size_t code = rest.find_first_not_of(" \t\r");
  if (code != std::string_view::npos && rest[code] != '#') return std::nullopt;  // one-liner
  size_t line = eol + 1;
  bool docstring_done = false;
  while (line < text.size()) {
    size_t end = text.find('\n', line);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view l = text.substr(line, end - line);
    const size_t first = l.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || l[first] == '#') {  // blank or comment
      line = end + 1;
      continue;
    }
    if (first == 0) return std::nullopt;  // not indented: not a body this scan follows
    const std::string_view body = l.substr(first);
    const std::string_view triple = body.substr(0, 3);
    if (!docstring_done && (triple == "\"\"\"" || triple == "'''")) {
      docstring_done = true;
      const size_t close = text.find(triple, line + first + 3);
      if (close == std::string_view::npos) return std::nullopt;
      const size_t after = text.find('\n', close);
      if (after == std::string_view::npos) return std::nullopt;
      line = after + 1;
      continue;
    }
    return std::make_pair(static_cast<uint32_t>(line), std::string(l.substr(0, first)));
  }
  return std::nullopt;
}

class MissingLockTimeout final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{
        "missing-lock-timeout",
        "Statement takes a lock that blocks reads or writes on an existing table without a "
        "lock_timeout",
        Severity::kWarning, "ddl"};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    if (a == nullptr) return;
    // One finding per transaction: the first offending statement, the others as related.
    std::map<std::pair<Phase, uint32_t>,
             std::vector<std::pair<const PlannedStatement*, rulekit::ExistingLock>>>
        by_transaction;
    std::vector<std::pair<Phase, uint32_t>> order;
    for (const PlannedStatement& st : a->statements) {
      if (st.HasLockTimeout()) continue;
      std::optional<rulekit::ExistingLock> lock = StrongLock(st);
      if (!lock) continue;
      auto key = std::make_pair(st.phase, st.transaction);
      auto& list = by_transaction[key];
      if (list.empty()) order.push_back(key);
      list.emplace_back(&st, std::move(*lock));
    }
    for (const auto& key : order) {
      const auto& list = by_transaction[key];
      const PlannedStatement& first = *list.front().first;
      const rulekit::ExistingLock& lock = list.front().second;
      // Every relation the transaction locks without a timeout, with the strongest mode it
      // takes there, in the order first locked.
      std::vector<std::pair<std::string, LockMode>> tables;
      for (const auto& entry : list) {
        for (const rulekit::ExistingLock& l : rulekit::ExistingLocks(*entry.first)) {
          if (!QueuesTraffic(l.mode)) continue;
          bool known = false;
          for (auto& [label, mode] : tables) {
            if (label != l.label) continue;
            known = true;
            mode = std::max(mode, l.mode);
          }
          if (!known) tables.emplace_back(l.label, l.mode);
        }
      }
      // One table: "takes SHARE on `orders`"; several: each with its mode, in the order locked.
      std::string what;
      if (tables.size() == 1) {
        what = fmt::format("takes {} on {}", LockModeName(tables[0].second), tables[0].first);
      } else {
        std::vector<std::string> labels;
        for (const auto& [label, mode] : tables)
          labels.push_back(fmt::format("{} ({})", label, LockModeName(mode)));
        what = "locks " + rulekit::JoinLabels(labels);
      }
      const std::string timeout =
          first.lock_timeout
              ? fmt::format("with lock_timeout set to `{}`, which disables it", *first.lock_timeout)
              : "with no lock_timeout";
      const std::string scope =
          first.in_transaction
              ? fmt::format("the transaction{} {} {}; `{}` is the first to wait",
                            PhaseSuffix(first.phase), what, timeout, first.facts.summary)
              : fmt::format("`{}`{} {} {}", first.facts.summary, PhaseSuffix(first.phase), what,
                            timeout);
      Finding& f = ctx.ReportStatement(
          first, fmt::format("{}: if another session holds a conflicting lock it waits "
                             "indefinitely, and meanwhile new {} on {} queue behind it",
                             scope, QueuedTraffic(lock.mode), lock.label));
      f.help = Help(first);
      // The fix: SET LOCAL lock_timeout as the first statement of upgrade() / downgrade(),
      // when the transaction has no timeout at all (one set to 0 is a choice to look at).
      const Span fn = first.phase == Phase::kUpgrade     ? m.upgrade_name
                      : first.phase == Phase::kDowngrade ? m.downgrade_name
                                                         : Span{};
      if (first.in_transaction && !first.lock_timeout && fn.end > fn.begin &&
          (first.sql == nullptr || first.sql->via != "sql file")) {
        const std::string_view text = ctx.file(m.file).text;
        if (auto at = BodyStart(text, fn)) {
          const std::string_view nl = text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
          f.fix = Fix{fmt::format("Set lock_timeout at the start of {}",
                                  rulekit::PhaseFunction(first.phase)),
                      Applicability::kUnsafe,
                      {Edit{Span{m.file, at->first, at->first},
                            fmt::format("{}op.execute(\"SET LOCAL lock_timeout = '5s'\"){}",
                                        at->second, nl)}}};
        }
      }
      for (size_t i = 1; i < list.size(); ++i) {
        const auto& [st, l] = list[i];
        f.related.push_back(
            {st->anchor, fmt::format("{} lock on {} here too, also without a timeout",
                                     LockModeName(l.mode), l.label)});
      }
    }
  }
};

}  // namespace

const Rule& MissingLockTimeoutRule() {
  static const MissingLockTimeout r;
  return r;
}

}  // namespace alint
