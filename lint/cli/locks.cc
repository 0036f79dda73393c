#include "lint/cli/locks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "lint/cli/commands.h"
#include "lint/discover/discover.h"
#include "lint/report/report.h"

namespace alint {
namespace {

PhaseLocks& PhaseOf(MigrationLocks& out, Phase phase) {
  return phase == Phase::kDowngrade ? out.downgrade : out.upgrade;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string Title(const Migration& m, const SourceFile& file) {
  if (!m.docstring.present) return "";
  std::string_view text = file.Slice(m.docstring.span);
  // A string prefix (r, u, b), the quotes, then the message's first line.
  size_t start = text.find_first_of("\"'");
  if (start == std::string_view::npos) return "";
  start = text.find_first_not_of("\"' \n\t", start);
  if (start == std::string_view::npos) return "";
  text.remove_prefix(start);
  std::string title(text.substr(0, text.find('\n')));
  while (!title.empty() && (title.back() == ' ' || title.back() == '\r' || title.back() == '"' ||
                            title.back() == '\''))
    title.pop_back();
  return title;
}

bool BlocksReads(LockMode m) { return LocksConflict(m, LockMode::kAccessShare); }
bool BlocksWrites(LockMode m) { return LocksConflict(m, LockMode::kRowExclusive); }

std::string Blocks(LockMode m) {
  if (BlocksReads(m)) return "reads, writes";
  if (BlocksWrites(m)) return "writes";
  return "DDL only";
}

std::string Pos(const std::vector<SourceFile>& files, Span s) {
  if (!s.valid() || s.file >= files.size()) return "?";
  LineCol lc = files[s.file].Locate(s.begin);
  return fmt::format("{}:{}", lc.line, lc.column);
}

// A table's lock_timeout cell: the value when every statement on it ran with one, else none.
std::optional<std::string> CommonTimeout(const TableLocks& t) {
  std::optional<std::string> value;
  for (const LockStatement& s : t.statements) {
    if (IsLockTimeoutOff(s.lock_timeout)) return std::nullopt;
    if (!value) value = s.lock_timeout;
  }
  return value;
}

std::string Cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string PhaseText(std::string_view name, const PhaseLocks& p,
                      const std::vector<SourceFile>& files) {
  if (p.tables.empty() && p.unknown.empty()) return fmt::format("{}: no table locks\n", name);
  std::string out = fmt::format("{}:\n\n", name);
  if (!p.tables.empty()) {
    out += "| Table | Lock | Blocks | Rewrite | Scan | lock_timeout | Statements |\n";
    out += "|---|---|---|---|---|---|---|\n";
    for (const TableLocks& t : p.tables) {
      std::string stmts;
      for (const LockStatement& s : t.statements) {
        stmts += fmt::format("{}{} {}", stmts.empty() ? "" : "; ", Pos(files, s.anchor), s.summary);
      }
      std::optional<std::string> timeout = CommonTimeout(t);
      out += fmt::format("| `{}`{} | {} | {} | {} | {} | {} | {} |\n", Cell(t.table),
                         t.is_new ? " (new)" : "", LockModeName(t.lock),
                         t.is_new ? "nobody (new)" : Blocks(t.lock), t.rewrite ? "yes" : "no",
                         t.scan ? "yes" : "no", timeout ? Cell(*timeout) : "none", Cell(stmts));
    }
  }
  for (const UnknownLocks& u : p.unknown) {
    out += fmt::format("{}- not analysed: {} {}\n", &u == &p.unknown.front() ? "\n" : "",
                       Pos(files, u.at), u.reason);
  }
  return out;
}

nlohmann::ordered_json PhaseJson(const PhaseLocks& p, const std::vector<SourceFile>& files) {
  auto at = [&](Span s, nlohmann::ordered_json& j) {
    LineCol lc = s.valid() && s.file < files.size() ? files[s.file].Locate(s.begin) : LineCol{};
    j["line"] = lc.line;
    j["column"] = lc.column;
  };
  nlohmann::ordered_json tables = nlohmann::ordered_json::array();
  for (const TableLocks& t : p.tables) {
    nlohmann::ordered_json j;
    j["table"] = t.table;
    j["new"] = t.is_new;
    j["lock"] = LockModeName(t.lock);
    j["blocks_reads"] = !t.is_new && BlocksReads(t.lock);
    j["blocks_writes"] = !t.is_new && BlocksWrites(t.lock);
    j["rewrite"] = t.rewrite;
    j["scan"] = t.scan;
    std::optional<std::string> timeout = CommonTimeout(t);
    j["lock_timeout"] = timeout ? nlohmann::ordered_json(*timeout) : nullptr;
    nlohmann::ordered_json stmts = nlohmann::ordered_json::array();
    for (const LockStatement& s : t.statements) {
      nlohmann::ordered_json js;
      at(s.anchor, js);
      js["summary"] = s.summary;
      js["lock"] = LockModeName(s.lock);
      js["in_transaction"] = s.in_transaction;
      js["lock_timeout"] = s.lock_timeout ? nlohmann::ordered_json(*s.lock_timeout) : nullptr;
      stmts.push_back(std::move(js));
    }
    j["statements"] = std::move(stmts);
    tables.push_back(std::move(j));
  }
  nlohmann::ordered_json unknown = nlohmann::ordered_json::array();
  for (const UnknownLocks& u : p.unknown) {
    nlohmann::ordered_json j;
    at(u.at, j);
    j["reason"] = u.reason;
    unknown.push_back(std::move(j));
  }
  return {{"tables", std::move(tables)}, {"unknown", std::move(unknown)}};
}

}  // namespace

std::string TransactionModel(const Migration& m, const EnvFacts* env, bool assume_in_transaction) {
  if (m.FromSqlFile()) return assume_in_transaction ? "file" : "psql";
  if (env != nullptr && env->transactional_ddl == false) return "none";
  if (env != nullptr && env->transaction_per_migration) return "per-migration";
  return "per-run";
}

namespace {

std::string_view TransactionModelText(std::string_view model) {
  if (model == "psql") {
    return "a .sql file, run as psql runs it: each statement commits on its own unless BEGIN "
           "... COMMIT groups them";
  }
  if (model == "file") return "a .sql file run in one transaction (--assume-in-transaction)";
  if (model == "none") {
    return "no transaction (env.py: transactional_ddl=False): each statement commits on its "
           "own";
  }
  if (model == "per-migration") {
    return "one transaction per migration (env.py: transaction_per_migration=True); "
           "autocommit_block() and COMMIT split it";
  }
  return "Alembic's default: one transaction for all the migrations of an `alembic upgrade` "
         "run (env.py does not set transaction_per_migration=True), so the locks of each are "
         "held until the last one commits; autocommit_block() and COMMIT split it";
}

}  // namespace

MigrationLocks SummarizeLocks(const Migration& m, const SourceFile& file,
                              const MigrationAnalysis& a) {
  MigrationLocks out;
  out.file = file.id;
  if (m.revision.kind == ValueKind::kString && !m.revision.items.empty())
    out.revision = m.revision.items.front().value;
  out.title = Title(m, file);
  for (const PlannedStatement& st : a.statements) {
    PhaseLocks& p = PhaseOf(out, st.phase);
    for (const RelationEffect& e : st.facts.effects) {
      // DROP INDEX and friends lock a table the SQL does not name: show it by its index.
      // A new index is part of its table's row (CREATE INDEX locks the table).
      if (e.kind == RelationKind::kIndex && e.created) continue;
      bool via_index = e.kind == RelationKind::kIndex && e.table_lock != LockMode::kNone;
      LockMode lock = via_index ? e.table_lock : e.lock;
      if (lock == LockMode::kNone) continue;
      std::string name = via_index ? fmt::format("table of {}", e.relation) : e.relation;
      auto it = std::find_if(p.tables.begin(), p.tables.end(),
                             [&](const TableLocks& t) { return t.table == name; });
      if (it == p.tables.end()) {
        TableLocks t;
        t.table = name;
        t.is_new = e.created || Contains(st.new_relations, e.relation);
        p.tables.push_back(std::move(t));
        it = p.tables.end() - 1;
      }
      it->lock = std::max(it->lock, lock);
      it->rewrite = it->rewrite || e.rewrite;
      it->scan = it->scan || e.scan;
      if (it->statements.empty() || it->statements.back().anchor != st.anchor) {
        it->statements.push_back(
            {st.anchor, st.facts.summary, lock, st.in_transaction, st.lock_timeout});
      } else {
        it->statements.back().lock = std::max(it->statements.back().lock, lock);
      }
    }
  }
  for (const OpCall* op : a.unmodelled_ops) {
    PhaseOf(out, op->phase)
        .unknown.push_back(
            {op->name_span,
             op->name == "execute"
                 ? fmt::format("{}.execute() of a SQLAlchemy expression, not SQL "
                               "text",
                               op->receiver)
                 : fmt::format("{}.{}(): an argument is not a literal", op->receiver, op->name)});
  }
  for (const DynamicSql& d : m.dynamic_sql) {
    PhaseOf(out, d.phase)
        .unknown.push_back(
            {d.span, fmt::format("SQL built at run time ({}) via {}", d.why, d.via)});
  }
  for (const SqlProblem& p : a.sql_errors) {
    PhaseOf(out, p.phase).unknown.push_back({p.at, fmt::format("SQL error: {}", p.message)});
  }
  for (PhaseLocks* p : {&out.upgrade, &out.downgrade}) {
    std::stable_sort(
        p->unknown.begin(), p->unknown.end(),
        [](const UnknownLocks& x, const UnknownLocks& y) { return x.at.begin < y.at.begin; });
  }
  return out;
}

std::vector<FileId> GraphOrder(const Workspace& ws, size_t e) {
  const RevisionGraph& g = *ws.graphs[e];
  std::vector<FileId> out;
  std::set<FileId> seen;
  for (uint32_t i : g.ParentsFirst()) {
    if (seen.insert(g.node(i).file).second) out.push_back(g.node(i).file);
  }
  for (FileId f : ws.envs[e].files) {
    if (seen.insert(f).second) out.push_back(f);
  }
  return out;
}

std::string FormatLocksText(std::span<const MigrationLocks> migrations,
                            const std::vector<SourceFile>& files) {
  std::string out;
  std::string model;  // said again when it changes (another environment, a .sql file)
  for (const MigrationLocks& m : migrations) {
    const SourceFile& f = files[m.file];
    if (!m.transaction.empty() && m.transaction != model) {
      model = m.transaction;
      out += fmt::format("{}Transactions: {}.\n", out.empty() ? "" : "\n",
                         TransactionModelText(model));
    }
    std::string heading = m.revision.empty() ? f.display_path : m.revision;
    if (!m.title.empty()) heading += ": " + m.title;
    out += fmt::format("{}## {}\n", out.empty() ? "" : "\n", heading);
    if (!m.revision.empty()) out += fmt::format("`{}`\n", f.display_path);
    out += "\n" + PhaseText("upgrade()", m.upgrade, files);
    bool sql_file = f.path.size() >= 4 && f.path.compare(f.path.size() - 4, 4, ".sql") == 0;
    if (!sql_file) out += "\n" + PhaseText("downgrade()", m.downgrade, files);
  }
  if (out.empty()) out = "No migrations.\n";
  return out;
}

std::string FormatLocksJson(std::span<const MigrationLocks> migrations,
                            const std::vector<SourceFile>& files) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const MigrationLocks& m : migrations) {
    nlohmann::ordered_json j;
    j["revision"] = m.revision.empty() ? nullptr : nlohmann::ordered_json(m.revision);
    j["title"] = m.title;
    j["path"] = files[m.file].display_path;
    j["transaction"] = m.transaction;
    j["upgrade"] = PhaseJson(m.upgrade, files);
    j["downgrade"] = PhaseJson(m.downgrade, files);
    arr.push_back(std::move(j));
  }
  nlohmann::ordered_json root;
  root["version"] = 1;
  root["migrations"] = std::move(arr);
  return DumpJson(root);
}

int RunLocks(const LocksArgs& args) {
  DiskFileSource fs;
  Result<Discovery> discovery = Discover(fs, {args.path});
  if (!discovery.ok()) {
    std::fprintf(stderr, "alembic-lint: error: %s\n", discovery.error().message.c_str());
    return 2;
  }
  LoadOptions load;
  load.target_mode = ParseMode::kFull;
  load.other_mode = ParseMode::kHeader;
  std::error_code ec;
  load.display_base = std::filesystem::current_path(ec).string();
  if (!args.dialect.empty()) {
    load.dialect = args.dialect;
    load.dialect_origin = "--dialect";
  }
  Workspace ws = LoadWorkspace(fs, *discovery, load);
  for (const std::string& w : ws.warnings)
    std::fprintf(stderr, "alembic-lint: warning: %s\n", w.c_str());

  std::vector<FileId> order;
  std::vector<const EnvFacts*> env_of(ws.files.size(), nullptr);
  // Lock levels are PostgreSQL's: an environment on another database is left out, and the
  // text output says so rather than guessing that database's locks.
  std::string skipped;
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    if (!ws.envs[e].IsPostgres()) {
      for (FileId f : ws.envs[e].files) order.push_back(f);  // claimed: not listed elsewhere
      skipped += fmt::format(
          "> Not shown: `{}` runs on {} ({}); lock levels here are PostgreSQL's, and other "
          "databases lock differently.\n\n",
          ws.envs[e].name, ws.envs[e].dialect, ws.envs[e].dialect_origin);
    }
  }
  const size_t claimed = order.size();
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    if (!ws.envs[e].IsPostgres()) continue;
    const EnvFacts* facts =
        e < ws.env_facts.size() && ws.env_facts[e].found ? &ws.env_facts[e] : nullptr;
    for (FileId f : GraphOrder(ws, e)) {
      if (!ws.loaded[f].report_on || std::find(order.begin(), order.end(), f) != order.end())
        continue;
      env_of[f] = facts;
      order.push_back(f);
    }
  }
  order.erase(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(claimed));
  for (FileId f = 0; f < ws.files.size(); ++f) {
    if (ws.loaded[f].is_sql && ws.loaded[f].report_on) order.push_back(f);
  }

  // What earlier migrations established (the schema model), as `check` uses it.
  std::vector<bool> wanted(ws.files.size(), false);
  for (FileId f : order) wanted[f] = true;
  std::vector<Boxed<PriorSchema>> priors = HistoryPriors(ws, args.pg_version, wanted);
  std::vector<MigrationLocks> summaries;
  for (FileId f : order) {
    AnalysisOptions options;
    options.pg_version = args.pg_version;
    options.env = env_of[f];
    options.sql_file_in_transaction = args.assume_in_transaction;
    options.prior = f < priors.size() && priors[f] ? &*priors[f] : nullptr;
    MigrationAnalysis a = AnalyzeMigration(ws.loaded[f].facts, ws.files[f], options);
    summaries.push_back(SummarizeLocks(ws.loaded[f].facts, ws.files[f], a));
    summaries.back().transaction =
        TransactionModel(ws.loaded[f].facts, env_of[f], args.assume_in_transaction);
  }
  std::string out = args.format == "json" ? FormatLocksJson(summaries, ws.files)
                                          : skipped + FormatLocksText(summaries, ws.files);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace alint
