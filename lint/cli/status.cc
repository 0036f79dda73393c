// `alembic-lint status`: what the database has run (its version table) against the revision
// graph of the checkout; the problems that will stop the next `alembic upgrade` with the SQL
// that fixes them; the pending migrations in upgrade order with their locks and data loss;
// with --blockers the sessions that would block them now; and schema drift hints. Reads only
// (lint/db/pg_client.h); the static half is lint/db/status.h.

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "lint/analysis/migration_analysis.h"
#include "lint/cli/commands.h"
#include "lint/cli/locks.h"
#include "lint/db/pg_client.h"
#include "lint/db/status.h"
#include "lint/engine/linter.h"

namespace alint {
namespace {

using Json = nlohmann::ordered_json;

// A statement of a pending migration, for the report.
struct StatementRef {
  std::string revision;
  std::string summary;
  std::string path;
  uint32_t line = 0;
  LockMode needs = LockMode::kNone;
};

struct PendingMigration {
  uint32_t node = kNoNode;
  std::string revision;
  FileId file = kNoFile;
  std::string title;
  std::vector<TableLocks> tables;  ///< upgrade phase
  size_t unknown = 0;              ///< statements whose locks are unknown
  std::vector<StatementRef> data_loss;
};

struct Blocker {
  std::string pid, state, application, user, query, table, mode;
  long long seconds = 0;
  bool granted = true;
  std::vector<StatementRef> blocks;
};

struct DriftHint {
  std::string revision, path, message;
  uint32_t line = 0;
};

struct EnvReport {
  std::string name;
  std::string database;  ///< redacted
  std::string database_from;
  db::VersionTable table;
  db::EnvStatus status;
  std::vector<std::string> head_ids;
  std::vector<PendingMigration> pending;
  std::vector<Blocker> blockers;
  bool blockers_read = false;
  std::vector<DriftHint> drift;
  std::vector<std::string> notes;  ///< what could not be read (drift queries that failed)
  size_t Destructive() const {
    return static_cast<size_t>(
        std::count_if(pending.begin(), pending.end(),
                      [](const PendingMigration& p) { return !p.data_loss.empty(); }));
  }
  std::string State() const {
    if (!status.problems.empty()) return "problem";
    if (!status.table_exists) return "fresh";
    return pending.empty() ? "up-to-date" : "pending";
  }
};

// The database URL of environment `env`: --database-url, then $DATABASE_URL, then a literal
// sqlalchemy.url (unless env.py replaces it at run time).
Result<std::pair<std::string, std::string>> UrlFor(const StatusArgs& args, const Environment& env,
                                                   const EnvFacts& facts) {
  if (!args.database_url.empty())
    return std::pair{args.database_url, std::string("--database-url")};
  if (const char* v = std::getenv("DATABASE_URL"); v != nullptr && *v != '\0')
    return std::pair{std::string(v), std::string("DATABASE_URL")};
  if (!env.url.empty()) {
    if (facts.replaces_url) {
      return Error{fmt::format(
          "{}: env.py sets the database URL at run time, so {}'s sqlalchemy.url is not the "
          "database Alembic uses; pass --database-url or set DATABASE_URL",
          env.name, env.url_origin)};
    }
    return std::pair{env.url, env.url_origin + " sqlalchemy.url"};
  }
  return Error{
      fmt::format("{}: no database URL: pass --database-url, set DATABASE_URL, or set a literal "
                  "sqlalchemy.url in alembic.ini",
                  env.name.empty() ? std::string(".") : env.name)};
}

Result<db::VersionTable> TableFor(const StatusArgs& args, const EnvFacts& facts) {
  db::VersionTable t;
  if (facts.version_table_dynamic && (args.version_table.empty())) {
    return Error{
        fmt::format("{}: env.py computes version_table or version_table_schema at run time; pass "
                    "--version-table (and --version-table-schema) to name the table",
                    facts.path)};
  }
  if (facts.version_table && !facts.version_table->empty()) t.name = *facts.version_table;
  if (facts.version_table_schema) t.schema = *facts.version_table_schema;
  if (!args.version_table.empty()) t.name = args.version_table;
  if (!args.version_table_schema.empty()) t.schema = args.version_table_schema;
  return t;
}

// The version table's rows, or nullopt when it does not exist (a fresh database).
Result<std::optional<std::vector<std::string>>> ReadVersionRows(db::Session& s,
                                                                const db::VersionTable& t) {
  Result<db::Rows> found = s.Query(
      "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relname = $1 AND c.relkind IN ('r', 'p', 'v', 'f') AND "
      "CASE WHEN $2 = '' THEN pg_catalog.pg_table_is_visible(c.oid) ELSE n.nspname = $2 END",
      {t.name, t.schema});
  if (!found.ok()) return Error{"reading pg_class: " + found.error().message};
  if (found->rows.empty()) return std::optional<std::vector<std::string>>();
  const std::string schema = found->rows[0][0].value_or("");
  const std::string qualified = db::SqlIdentifier(schema) + "." + db::SqlIdentifier(t.name);
  Result<db::Rows> rows = s.Query("SELECT version_num::text FROM " + qualified);
  if (!rows.ok()) {
    const std::string& m = rows.error().message;
    if (m.find("[42703]") != std::string::npos) {
      return Error{
          fmt::format("{} has no version_num column: it is not an Alembic version table (pass "
                      "--version-table if env.py names another one)",
                      schema + "." + t.name)};
    }
    if (m.find("[55P03]") != std::string::npos || m.find("[57014]") != std::string::npos) {
      return Error{fmt::format(
          "reading {}: another session holds a lock on it (a migration running now?) and it "
          "was not released within the timeout: {}",
          schema + "." + t.name, m)};
    }
    return Error{fmt::format("reading {}: {}", schema + "." + t.name, m)};
  }
  std::vector<std::string> out;
  for (const auto& r : rows->rows) {
    if (!r[0]) {
      return Error{fmt::format("{} has a NULL version_num: not a table Alembic wrote",
                               schema + "." + t.name)};
    }
    out.push_back(*r[0]);
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

// The analysis of each pending migration: the locks, data loss and what it creates or drops.
void Analyse(const Workspace& ws, size_t e, const StatusArgs& args, EnvReport& r,
             std::vector<std::vector<const PlannedStatement*>>* upgrade_statements,
             std::vector<MigrationAnalysis>* keep) {
  const RevisionGraph& g = *ws.graphs[e];
  const EnvFacts* facts = ws.env_facts[e].found ? &ws.env_facts[e] : nullptr;
  for (uint32_t n : r.status.pending) {
    const GraphNode& node = g.node(n);
    PendingMigration p;
    p.node = n;
    p.revision = node.id;
    p.file = node.file;
    AnalysisOptions options;
    options.pg_version = args.pg_version;
    options.env = facts;
    const Migration& m = ws.loaded[node.file].facts;
    const SourceFile& f = ws.files[node.file];
    keep->push_back(AnalyzeMigration(m, f, options));
    const MigrationAnalysis& a = keep->back();
    MigrationLocks locks = SummarizeLocks(m, f, a);
    p.title = locks.title;
    p.tables = std::move(locks.upgrade.tables);
    p.unknown = locks.upgrade.unknown.size();
    std::vector<const PlannedStatement*> up;  // into `keep`, which outlives them
    for (const PlannedStatement& st : a.statements) {
      if (st.phase != Phase::kUpgrade) continue;
      up.push_back(&st);
      if (st.facts.data_loss) {
        p.data_loss.push_back({node.id, st.facts.summary, f.display_path,
                               f.Locate(st.anchor.begin).line, LockMode::kNone});
      }
    }
    upgrade_statements->push_back(std::move(up));
    r.pending.push_back(std::move(p));
  }
}

void ReadBlockers(db::Session& s, const Workspace& ws, EnvReport& r,
                  const std::vector<std::vector<const PlannedStatement*>>& upgrade) {
  // Per existing table: the statements of the pending migrations that lock it, in order.
  std::map<std::string, std::vector<StatementRef>> needs;
  std::vector<std::string> order;
  for (size_t i = 0; i < r.pending.size(); ++i) {
    const SourceFile& f = ws.files[r.pending[i].file];
    for (const PlannedStatement* stp : upgrade[i]) {
      const PlannedStatement& st = *stp;
      for (const RelationEffect& e : st.facts.effects) {
        if (e.created || st.IsNew(e.relation)) continue;
        std::string table = e.relation;
        LockMode lock = e.lock;
        if (e.kind == RelationKind::kIndex) {
          if (e.table_lock == LockMode::kNone || st.index_table.empty()) continue;
          table = st.index_table;
          lock = e.table_lock;
        }
        if (lock == LockMode::kNone) continue;
        if (!needs.count(table)) order.push_back(table);
        needs[table].push_back({r.pending[i].revision, st.facts.summary, f.display_path,
                                f.Locate(st.anchor.begin).line, lock});
      }
    }
  }
  r.blockers_read = true;
  for (const std::string& table : order) {
    Result<db::Rows> rows = s.Query(
        "SELECT l.pid::text, l.mode, l.granted::text, coalesce(a.state, ''), "
        "coalesce(a.application_name, ''), coalesce(a.usename::text, ''), "
        "coalesce(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::bigint, "
        "0)::text, coalesce(a.query, '') "
        "FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'relation' AND l.pid <> pg_catalog.pg_backend_pid() "
        "AND l.database = (SELECT oid FROM pg_catalog.pg_database "
        "WHERE datname = pg_catalog.current_database()) "
        "AND l.relation = pg_catalog.to_regclass($1) ORDER BY l.pid",
        {table});
    if (!rows.ok()) {
      r.notes.push_back(fmt::format("locks on {} not read: {}", table, rows.error().message));
      continue;
    }
    for (const auto& row : rows->rows) {
      Blocker b;
      b.pid = row[0].value_or("");
      b.mode = row[1].value_or("");
      b.granted = row[2].value_or("") == "true";
      b.state = row[3].value_or("");
      b.application = row[4].value_or("");
      b.user = row[5].value_or("");
      b.seconds = std::atoll(row[6].value_or("0").c_str());
      b.query = row[7].value_or("");
      b.table = table;
      std::optional<LockMode> held = ParseLockMode(b.mode);
      for (const StatementRef& ref : needs[table]) {
        // A session waiting in the queue blocks later requests too; one holding a
        // conflicting lock blocks the statement until it ends.
        if (!held || LocksConflict(*held, ref.needs)) b.blocks.push_back(ref);
      }
      const bool idle = b.state.rfind("idle in transaction", 0) == 0;
      if (b.blocks.empty() && !idle) continue;
      r.blockers.push_back(std::move(b));
    }
  }
}

void ReadDrift(db::Session& s, const Workspace& ws, EnvReport& r,
               const std::vector<std::vector<const PlannedStatement*>>& upgrade) {
  auto relation_exists = [&](const std::string& rel) -> std::optional<bool> {
    Result<db::Rows> q = s.Query("SELECT (pg_catalog.to_regclass($1) IS NOT NULL)::text", {rel});
    if (!q.ok() || q->rows.empty()) return std::nullopt;
    return q->rows[0][0].value_or("") == "true";
  };
  auto column_exists = [&](const std::string& rel, const std::string& col) -> std::optional<bool> {
    Result<db::Rows> q = s.Query(
        "SELECT (pg_catalog.to_regclass($1) IS NOT NULL)::text, EXISTS (SELECT 1 FROM "
        "pg_catalog.pg_attribute WHERE attrelid = pg_catalog.to_regclass($1) AND attname = $2 "
        "AND attnum > 0 AND NOT attisdropped)::text",
        {rel, col});
    if (!q.ok() || q->rows.empty() || q->rows[0][0].value_or("") != "true") return std::nullopt;
    return q->rows[0][1].value_or("") == "true";
  };
  // What earlier pending migrations create or drop changes what later ones find.
  std::set<std::string> created, dropped;
  for (size_t i = 0; i < r.pending.size(); ++i) {
    const SourceFile& f = ws.files[r.pending[i].file];
    for (const PlannedStatement* stp : upgrade[i]) {
      const PlannedStatement& st = *stp;
      const StatementFacts& sf = st.facts;
      auto hint = [&](std::string message) {
        r.drift.push_back({r.pending[i].revision, f.display_path, std::move(message),
                           f.Locate(st.anchor.begin).line});
      };
      const bool drop =
          sf.kind == StatementKind::kDropTable || sf.kind == StatementKind::kDropIndex ||
          sf.kind == StatementKind::kDropView || sf.kind == StatementKind::kDropMaterializedView ||
          sf.kind == StatementKind::kDropSequence;
      for (const RelationEffect& e : sf.effects) {
        const std::string key = NormalizeRelation(e.relation);
        if (e.created && !sf.if_exists && !dropped.count(key) && !created.count(key)) {
          if (relation_exists(e.relation).value_or(false)) {
            hint(
                fmt::format("{} creates {}, which already exists in the database: the upgrade "
                            "will fail with `relation \"{}\" already exists` (created by hand, or "
                            "by a migration whose row was lost)",
                            sf.command.empty() ? "it" : sf.command, e.relation, e.relation));
          }
        }
        if (drop && !sf.if_exists && !created.count(key) && !dropped.count(key)) {
          std::optional<bool> exists = relation_exists(e.relation);
          if (exists && !*exists) {
            hint(
                fmt::format("{} drops {}, which does not exist in the database: the upgrade "
                            "will fail with `... \"{}\" does not exist`",
                            sf.command.empty() ? "it" : sf.command, e.relation, e.relation));
          }
        }
        if (e.created) {
          created.insert(key);
          dropped.erase(key);
        } else if (drop) {
          dropped.insert(key);
          created.erase(key);
        }
      }
      const std::string tkey = NormalizeRelation(sf.table);
      if ((sf.kind == StatementKind::kAddColumn || sf.kind == StatementKind::kDropColumn) &&
          !sf.if_exists && !sf.column.empty() && !created.count(tkey)) {
        std::optional<bool> has = column_exists(sf.table, sf.column);
        if (has && *has && sf.kind == StatementKind::kAddColumn) {
          hint(
              fmt::format("adds column {}.{}, which already exists in the database: the upgrade "
                          "will fail with `column \"{}\" of relation \"{}\" already exists`",
                          sf.table, sf.column, sf.column, sf.table));
        } else if (has && !*has && sf.kind == StatementKind::kDropColumn) {
          hint(
              fmt::format("drops column {}.{}, which does not exist in the database: the "
                          "upgrade will fail with `column \"{}\" of relation \"{}\" does not "
                          "exist`",
                          sf.table, sf.column, sf.column, sf.table));
        }
      }
    }
  }
}

std::string Duration(long long s) {
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

std::string OneLine(std::string q, size_t max = 100) {
  for (char& c : q) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  size_t b = q.find_first_not_of(' ');
  q = b == std::string::npos ? "" : q.substr(b);
  if (q.size() > max) q = q.substr(0, max - 3) + "...";
  return q;
}

std::string TablesText(const PendingMigration& p) {
  std::string out;
  for (const TableLocks& t : p.tables) {
    if (t.is_new) continue;
    std::string what;
    if (t.rewrite)
      what = ", rewrites it";
    else if (t.scan)
      what = ", scans it";
    out += fmt::format("{}{} {}{}", out.empty() ? "" : "; ", t.table, LockModeName(t.lock), what);
  }
  return out;
}

std::string FormatText(const std::vector<EnvReport>& reports, const Workspace& ws) {
  std::string out;
  for (const EnvReport& r : reports) {
    if (reports.size() > 1 || !r.name.empty())
      out += fmt::format("# {}\n", r.name.empty() ? "." : r.name);
    out += fmt::format("database:      {} (from {})\n", r.database, r.database_from);
    if (!r.status.table_exists) {
      out += fmt::format("version table: {} does not exist: a fresh database\n", r.table.Display());
    } else {
      std::string rows;
      for (const db::CurrentRow& c : r.status.current) {
        rows += fmt::format("{}{}{}", rows.empty() ? "" : ", ", c.revision,
                            c.node == kNoNode ? " (not in this checkout)"
                            : c.head          ? " (head)"
                                              : "");
      }
      out += fmt::format("version table: {}: {}\n", r.table.Display(),
                         rows.empty() ? "no rows" : rows);
    }
    std::string heads;
    for (const std::string& h : r.head_ids) heads += (heads.empty() ? "" : ", ") + h;
    out += fmt::format("heads:         {}\n", heads.empty() ? "none" : heads);
    const std::string state = r.State();
    if (state == "problem") {
      out += fmt::format("status:        {} problem{}: `alembic upgrade` will fail\n",
                         r.status.problems.size(), r.status.problems.size() == 1 ? "" : "s");
    } else if (r.pending.empty()) {
      out += "status:        up to date\n";
    } else {
      size_t d = r.Destructive();
      out += fmt::format("status:        {} pending migration{}{}\n", r.pending.size(),
                         r.pending.size() == 1 ? "" : "s",
                         d ? fmt::format(" ({} destructive)", d) : std::string());
    }
    for (const db::StatusProblem& p : r.status.problems) {
      out += fmt::format("\nproblem ({}): {}\n  Alembic will fail with: {}\n  fix: {}\n", p.kind,
                         p.message, p.alembic_error, p.fix);
    }
    if (!r.pending.empty()) {
      out += "\npending, in upgrade order:\n";
      size_t i = 0;
      for (const PendingMigration& p : r.pending) {
        out += fmt::format("  {}. {}{}  {}\n", ++i, p.revision,
                           p.title.empty() ? "" : "  " + p.title, ws.files[p.file].display_path);
        std::string tables = TablesText(p);
        if (!tables.empty()) out += fmt::format("     locks: {}\n", tables);
        if (p.unknown)
          out += fmt::format("     locks unknown for {} statement{}\n", p.unknown,
                             p.unknown == 1 ? "" : "s");
        for (const StatementRef& d : p.data_loss)
          out += fmt::format("     destroys data: {} (line {})\n", d.summary, d.line);
      }
    }
    if (r.blockers_read) {
      if (r.blockers.empty()) {
        out +=
            "\nblockers: none (no session holds a conflicting lock on the tables the pending "
            "migrations lock)\n";
      } else {
        out += "\nblockers (sessions in the way of the pending migrations now):\n";
        for (const Blocker& b : r.blockers) {
          out += fmt::format("  pid {}{}{}: {}{}, {} {} on {}\n", b.pid,
                             b.application.empty() ? "" : " " + b.application,
                             b.user.empty() ? "" : " (user " + b.user + ")",
                             b.state.empty() ? "unknown state" : b.state,
                             b.seconds > 0 ? " for " + Duration(b.seconds) : "",
                             b.granted ? "holds" : "waits for", b.mode, b.table);
          if (!b.query.empty()) out += fmt::format("    query: {}\n", OneLine(b.query));
          for (const StatementRef& s : b.blocks)
            out += fmt::format("    blocks {} ({}:{}, {}): needs {}\n", s.summary, s.path, s.line,
                               s.revision, LockModeName(s.needs));
          if (b.blocks.empty())
            out +=
                "    idle in a transaction: it keeps its locks, and the rows it read, until it "
                "ends\n";
          out += fmt::format("    to end it (a human's call): SELECT pg_terminate_backend({});\n",
                             b.pid);
        }
      }
    }
    if (!r.drift.empty()) {
      out += "\ndrift hints (best effort, read from the catalog):\n";
      for (const DriftHint& d : r.drift)
        out += fmt::format("  {}:{} ({}): {}\n", d.path, d.line, d.revision, d.message);
    }
    for (const std::string& n : r.notes) out += fmt::format("note: {}\n", n);
    if (&r != &reports.back()) out += "\n";
  }
  return out;
}

Json RefJson(const StatementRef& s) {
  Json j = {{"revision", s.revision}, {"statement", s.summary}, {"path", s.path}, {"line", s.line}};
  if (s.needs != LockMode::kNone) j["needs"] = LockModeName(s.needs);
  return j;
}

Json FormatJson(const std::vector<EnvReport>& reports, const Workspace& ws) {
  Json envs = Json::array();
  size_t pending = 0, destructive = 0, problems = 0, blockers = 0;
  std::string worst = "up-to-date";
  auto rank = [](const std::string& s) {
    return s == "problem" ? 3 : s == "pending" ? 2 : s == "fresh" ? 1 : 0;
  };
  for (const EnvReport& r : reports) {
    Json current = Json::array();
    for (const db::CurrentRow& c : r.status.current) {
      current.push_back({{"revision", c.revision},
                         {"known", c.node != kNoNode},
                         {"head", c.head},
                         {"branch_labels", c.labels}});
    }
    Json probs = Json::array();
    for (const db::StatusProblem& p : r.status.problems) {
      probs.push_back({{"kind", p.kind},
                       {"revisions", p.revisions},
                       {"message", p.message},
                       {"alembic_error", p.alembic_error},
                       {"fix", p.fix}});
    }
    Json pend = Json::array();
    for (const PendingMigration& p : r.pending) {
      Json tables = Json::array();
      for (const TableLocks& t : p.tables) {
        tables.push_back({{"table", t.table},
                          {"new", t.is_new},
                          {"lock", LockModeName(t.lock)},
                          {"rewrite", t.rewrite},
                          {"scan", t.scan}});
      }
      Json loss = Json::array();
      for (const StatementRef& d : p.data_loss) loss.push_back(RefJson(d));
      pend.push_back({{"revision", p.revision},
                      {"path", ws.files[p.file].display_path},
                      {"title", p.title},
                      {"destructive", !p.data_loss.empty()},
                      {"data_loss", std::move(loss)},
                      {"tables", std::move(tables)},
                      {"unknown_locks", p.unknown}});
    }
    Json env = {{"name", r.name},
                {"database", r.database},
                {"database_from", r.database_from},
                {"version_table",
                 {{"schema", r.table.schema.empty() ? Json(nullptr) : Json(r.table.schema)},
                  {"name", r.table.name},
                  {"exists", r.status.table_exists}}},
                {"state", r.State()},
                {"current", std::move(current)},
                {"heads", r.head_ids},
                {"problems", std::move(probs)},
                {"pending", std::move(pend)}};
    if (r.blockers_read) {
      Json bl = Json::array();
      for (const Blocker& b : r.blockers) {
        Json blocks = Json::array();
        for (const StatementRef& s : b.blocks) blocks.push_back(RefJson(s));
        bl.push_back({{"pid", std::atoll(b.pid.c_str())},
                      {"state", b.state},
                      {"application_name", b.application},
                      {"user", b.user},
                      {"seconds", b.seconds},
                      {"query", OneLine(b.query, 200)},
                      {"table", b.table},
                      {"mode", b.mode},
                      {"granted", b.granted},
                      {"blocks", std::move(blocks)},
                      {"terminate", fmt::format("SELECT pg_terminate_backend({});", b.pid)}});
      }
      env["blockers"] = std::move(bl);
    } else {
      env["blockers"] = nullptr;
    }
    Json drift = Json::array();
    for (const DriftHint& d : r.drift) {
      drift.push_back(
          {{"revision", d.revision}, {"path", d.path}, {"line", d.line}, {"message", d.message}});
    }
    env["drift"] = std::move(drift);
    env["notes"] = r.notes;
    envs.push_back(std::move(env));
    pending += r.pending.size();
    destructive += r.Destructive();
    problems += r.status.problems.size();
    blockers += r.blockers.size();
    if (rank(r.State()) > rank(worst)) worst = r.State();
  }
  return {{"version", 1},
          {"environments", std::move(envs)},
          {"summary",
           {{"state", worst},
            {"pending", pending},
            {"destructive", destructive},
            {"problems", problems},
            {"blockers", blockers}}}};
}

std::string FormatSummary(const std::vector<EnvReport>& reports) {
  std::string out;
  for (const EnvReport& r : reports) {
    std::string current;
    for (const db::CurrentRow& c : r.status.current)
      current += (current.empty() ? "" : ",") + c.revision;
    std::string heads;
    for (const std::string& h : r.head_ids) heads += (heads.empty() ? "" : ",") + h;
    out += fmt::format("{}{} pending={} destructive={} problems={}{} current={} heads={}\n",
                       reports.size() > 1 ? r.name + ": " : "", r.State(), r.pending.size(),
                       r.Destructive(), r.status.problems.size(),
                       r.blockers_read ? fmt::format(" blockers={}", r.blockers.size()) : "",
                       current.empty() ? "-" : current, heads.empty() ? "-" : heads);
  }
  return out;
}

}  // namespace

int RunStatus(const StatusArgs& args) {
  for (const std::string& f : args.fail_on) {
    if (f != "pending" && f != "destructive" && f != "blockers" && f != "problems")
      return Fail(fmt::format("--fail-on {}: expected pending, destructive or blockers", f));
  }
  DiskFileSource fs;
  Result<Discovery> discovery = DiscoverFromConfig(fs, args.path);
  if (!discovery.ok()) return Fail(discovery.error().message);
  // Headers only, first: the graph and env.py's settings (target_mode kFull reads env.py; the
  // filter keeps every file at the header parse).
  LoadOptions load;
  load.target_mode = ParseMode::kFull;
  load.other_mode = ParseMode::kHeader;
  load.display_base = Cwd();
  load.report_filter = [](const std::string&) { return false; };
  Workspace ws = LoadWorkspace(fs, *discovery, load);
  for (const std::string& w : ws.warnings)
    std::fprintf(stderr, "alembic-lint: warning: %s\n", w.c_str());
  if (ws.envs.empty()) return Fail(fmt::format("{}: no Alembic environment found", args.path));

  std::vector<EnvReport> reports;
  std::set<std::string> pending_paths;
  std::vector<size_t> env_index;
  std::vector<db::Session> sessions;  // parallel to reports: one connection per environment
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    const Environment& env = ws.envs[e];
    if (env.name.empty() && env.files.empty()) continue;  // discovery's .sql pseudo-environment
    if (!env.IsPostgres()) {
      std::fprintf(
          stderr,
          "alembic-lint: warning: %s runs on %s (%s): `status` reads PostgreSQL only; skipped\n",
          env.name.c_str(), env.dialect.c_str(), env.dialect_origin.c_str());
      continue;
    }
    EnvReport r;
    r.name = env.name;
    auto url = UrlFor(args, env, ws.env_facts[e]);
    if (!url.ok()) return Fail(url.error().message);
    r.database = db::RedactUrl(url->first);
    r.database_from = url->second;
    Result<std::string> uri = db::LibpqUri(url->first);
    if (!uri.ok())
      return Fail(fmt::format("{} ({}): {}", env.name, r.database_from, uri.error().message));
    Result<db::VersionTable> table = TableFor(args, ws.env_facts[e]);
    if (!table.ok()) return Fail(table.error().message);
    r.table = *table;
    Result<db::Session> session = db::Session::Connect(*uri, args.timeout);
    if (!session.ok()) return Fail(fmt::format("{}: {}", r.database, session.error().message));
    auto rows = ReadVersionRows(*session, r.table);
    if (!rows.ok()) return Fail(fmt::format("{}: {}", r.database, rows.error().message));
    const RevisionGraph& g = *ws.graphs[e];
    r.status = db::ComputeStatus(g, *rows, r.table);
    r.head_ids = g.Ids(r.status.heads);
    for (uint32_t n : r.status.pending) pending_paths.insert(ws.files[g.node(n).file].path);
    reports.push_back(std::move(r));
    env_index.push_back(e);
    sessions.push_back(std::move(*session));
  }
  if (reports.empty()) return Fail("no PostgreSQL environment to check");

  // The pending migrations' bodies: a second load parses those files fully.
  if (!pending_paths.empty()) {
    LoadOptions full = load;
    full.report_filter = [&](const std::string& p) { return pending_paths.count(p) > 0; };
    ws = LoadWorkspace(fs, *discovery, full);
  }
  for (size_t i = 0; i < reports.size(); ++i) {
    EnvReport& r = reports[i];
    const size_t e = env_index[i];
    if (r.status.pending.empty() && !args.blockers) continue;
    std::vector<std::vector<const PlannedStatement*>> upgrade;
    std::vector<MigrationAnalysis> analyses;
    analyses.reserve(r.status.pending.size());
    Analyse(ws, e, args, r, &upgrade, &analyses);
    if (args.blockers) ReadBlockers(sessions[i], ws, r, upgrade);
    ReadDrift(sessions[i], ws, r, upgrade);
  }

  std::string out;
  if (args.format == "json") {
    out = FormatJson(reports, ws).dump(2) + "\n";
  } else if (args.format == "summary") {
    out = FormatSummary(reports);
  } else {
    out = FormatText(reports, ws);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);

  auto wants = [&](const char* what) {
    return std::find(args.fail_on.begin(), args.fail_on.end(), what) != args.fail_on.end();
  };
  for (const EnvReport& r : reports) {
    if (!r.status.problems.empty()) return 1;
    if (wants("pending") && !r.pending.empty()) return 1;
    if (wants("destructive") && r.Destructive() > 0) return 1;
    if (wants("blockers") && !r.blockers.empty()) return 1;
  }
  return 0;
}

}  // namespace alint
