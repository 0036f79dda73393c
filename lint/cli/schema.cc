// `alembic-lint schema`: the schema the migration history builds, replayed statically
// (lint/schema/schema_model.h), at the heads or at the revisions asked for.

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "lint/cli/commands.h"
#include "lint/core/parallel.h"
#include "lint/discover/discover.h"
#include "lint/engine/linter.h"
#include "lint/report/report.h"
#include "lint/schema/schema_model.h"

namespace alint {
namespace {

using Json = nlohmann::ordered_json;

// A revision as `alembic upgrade` takes it: an id, a branch label, or a unique id prefix.
// kNoNode when nothing (or more than one id) matches; `why` says which.
uint32_t ResolveRevision(const RevisionGraph& g, const std::string& ref, std::string* why) {
  if (uint32_t n = g.Resolve(ref); n != kNoNode) return n;
  uint32_t found = kNoNode;
  int matches = 0;
  for (const GraphNode& n : g.nodes()) {
    if (n.shadowed || n.id.rfind(ref, 0) != 0) continue;
    if (found == kNoNode || g.node(found).id != n.id) ++matches;
    found = n.index;
  }
  if (matches == 1) return found;
  *why = matches == 0 ? "no such revision" : "more than one revision starts with it";
  return kNoNode;
}

std::string Where(const std::vector<SourceFile>& files, const Span& at) {
  if (!at.valid() || at.file >= files.size()) return "";
  const LineCol lc = files[at.file].Locate(at.begin);
  return fmt::format("{}:{}:{}", files[at.file].display_path, lc.line, lc.column);
}

struct Shown {
  std::string revision;  ///< the id shown (the head's, or the one asked for)
  const Schema* schema = nullptr;
};

Json ToJson(const Schema& s, const RevisionGraph& g, const std::vector<SourceFile>& files) {
  auto rev = [&](SchemaStamp n) -> Json {
    return n < g.nodes().size() ? Json(g.node(n).id) : Json(nullptr);
  };
  Json tables = Json::array();
  for (const SchemaTable* tp : s.Tables()) {
    const SchemaTable& t = *tp;
    Json jt;
    jt["name"] = t.name;
    jt["created_by"] = rev(t.created_by);
    Json cols = Json::array();
    for (const SchemaColumn& c : t.columns) {
      if (c.dropped) continue;
      Json jc;
      jc["name"] = c.name;
      jc["type"] = c.type.empty() ? Json(nullptr) : Json(c.type);
      jc["nullable"] = !c.not_null;
      jc["default"] = c.has_default ? Json(c.default_expr) : Json(nullptr);
      jc["unknown"] = c.unknown;
      cols.push_back(std::move(jc));
    }
    jt["columns"] = std::move(cols);
    Json cons = Json::array();
    for (const SchemaConstraint& c : t.constraints) {
      if (c.dropped) continue;
      Json jc;
      jc["name"] = c.name.empty() ? Json(nullptr) : Json(c.name);
      jc["kind"] = ConstraintKindName(c.kind);
      jc["columns"] = c.columns;
      if (c.kind == ConstraintKind::kForeignKey) jc["references"] = c.references;
      if (!c.not_null_column.empty()) jc["not_null_column"] = c.not_null_column;
      jc["validated"] = c.validated;
      cons.push_back(std::move(jc));
    }
    jt["constraints"] = std::move(cons);
    jt["partition_of"] = t.partition_of.empty() ? Json(nullptr) : Json(t.partition_of);
    jt["partitioned"] = t.partitioned;
    jt["unknown"] = t.unknown;
    if (t.unknown) jt["unknown_reason"] = t.unknown_reason;
    tables.push_back(std::move(jt));
  }
  Json indexes = Json::array();
  for (const SchemaIndex* ip : s.Indexes()) {
    const SchemaIndex& i = *ip;
    indexes.push_back(
        Json{{"name", i.name}, {"table", i.table}, {"unique", i.unique}, {"columns", i.columns}});
  }
  Json sequences = Json::array(), views = Json::array(), matviews = Json::array(),
       enums = Json::array();
  for (const auto& [key, o] : s.objects()) {
    if (o.dropped) continue;
    switch (o.kind) {
      case SchemaObject::Kind::kSequence:
        sequences.push_back(o.name);
        break;
      case SchemaObject::Kind::kView:
        views.push_back(o.name);
        break;
      case SchemaObject::Kind::kMaterializedView:
        matviews.push_back(o.name);
        break;
      case SchemaObject::Kind::kEnum:
        enums.push_back(Json{{"name", o.name}, {"labels", o.items}, {"unknown", o.unknown}});
        break;
    }
  }
  Json unknown = Json::array();
  for (const SchemaUnknown& u : s.unknowns()) {
    Json ju;
    ju["object"] = u.object.empty() ? Json(nullptr) : Json(u.object);
    ju["reason"] = u.reason;
    ju["revision"] = rev(u.node);
    const std::string where = Where(files, u.at);
    ju["at"] = where.empty() ? Json(nullptr) : Json(where);
    unknown.push_back(std::move(ju));
  }
  Json out;
  out["tables"] = std::move(tables);
  out["indexes"] = std::move(indexes);
  out["sequences"] = std::move(sequences);
  out["views"] = std::move(views);
  out["materialized_views"] = std::move(matviews);
  out["enums"] = std::move(enums);
  out["unknown"] = std::move(unknown);
  return out;
}

std::string ToText(const Schema& s, const RevisionGraph& g, const std::vector<SourceFile>& files) {
  auto rev = [&](SchemaStamp n) {
    return n < g.nodes().size() ? g.node(n).id : std::string("before the history");
  };
  std::string out;
  for (const SchemaTable* tp : s.Tables()) {
    const SchemaTable& t = *tp;
    out += fmt::format("\ntable {}", t.name);
    if (!t.partition_of.empty()) out += fmt::format(" (partition of {})", t.partition_of);
    if (t.partitioned) out += " (partitioned)";
    out += t.created_by != kNoNode ? fmt::format("  [created in {}]", rev(t.created_by))
                                   : std::string("  [never created in the history]");
    out += "\n";
    if (t.unknown) out += fmt::format("  ? incomplete: {}\n", t.unknown_reason);
    size_t width = 0;
    for (const SchemaColumn& c : t.columns) {
      if (!c.dropped) width = std::max(width, c.name.size());
    }
    for (const SchemaColumn& c : t.columns) {
      if (c.dropped) continue;
      out += fmt::format("  {:<{}}  {}{}{}{}\n", c.name, width, c.type.empty() ? "?" : c.type,
                         c.not_null ? "  NOT NULL" : "",
                         c.has_default ? "  DEFAULT " + c.default_expr : std::string(),
                         c.unknown ? "  (unknown)" : "");
    }
    for (const SchemaConstraint& c : t.constraints) {
      if (c.dropped) continue;
      std::string cols;
      for (const std::string& col : c.columns) cols += (cols.empty() ? "" : ", ") + col;
      out += fmt::format("  constraint {} {}{}{}{}\n", c.name.empty() ? "(unnamed)" : c.name,
                         ConstraintKindName(c.kind), cols.empty() ? "" : " (" + cols + ")",
                         c.references.empty() ? "" : " -> " + c.references,
                         c.validated ? "" : " NOT VALID");
    }
  }
  bool any_index = false;
  for (const SchemaIndex* ip : s.Indexes()) {
    const SchemaIndex& i = *ip;
    if (!any_index) out += "\nindexes\n";
    any_index = true;
    std::string cols;
    for (const std::string& col : i.columns) cols += (cols.empty() ? "" : ", ") + col;
    out += fmt::format("  {}{} on {} ({})\n", i.name, i.unique ? " (unique)" : "",
                       i.table.empty() ? "?" : i.table, cols);
  }
  for (const auto& [key, o] : s.objects()) {
    if (o.dropped) continue;
    std::string labels;
    for (const std::string& l : o.items) labels += (labels.empty() ? "'" : ", '") + l + "'";
    switch (o.kind) {
      case SchemaObject::Kind::kSequence:
        out += fmt::format("\nsequence {}\n", o.name);
        break;
      case SchemaObject::Kind::kView:
        out += fmt::format("\nview {}\n", o.name);
        break;
      case SchemaObject::Kind::kMaterializedView:
        out += fmt::format("\nmaterialized view {}\n", o.name);
        break;
      case SchemaObject::Kind::kEnum:
        out += fmt::format("\nenum {} ({}){}\n", o.name, labels, o.unknown ? " (unknown)" : "");
        break;
    }
  }
  if (!s.unknowns().empty()) {
    out += fmt::format("\nnot followed ({}):\n", s.unknowns().size());
    for (const SchemaUnknown& u : s.unknowns()) {
      const std::string where = Where(files, u.at);
      out += fmt::format(
          "  - {}{}{}\n", u.object.empty() ? "" : u.object + ": ", u.reason,
          where.empty() ? fmt::format(" (revision {})", rev(u.node)) : " (" + where + ")");
    }
  }
  return out;
}

}  // namespace

int RunSchema(const SchemaArgs& args) {
  DiskFileSource fs;
  Result<Discovery> discovery = Discover(fs, {args.path});
  if (!discovery.ok()) return Fail(discovery.error().message);
  LoadOptions load;
  load.target_mode = ParseMode::kFull;
  load.other_mode = ParseMode::kFull;
  load.display_base = Cwd();
  Workspace ws = LoadWorkspace(fs, *discovery, load);
  for (const std::string& w : ws.warnings) {
    std::fprintf(stderr, "alembic-lint: warning: %s\n", w.c_str());
  }
  if (ws.envs.empty()) return Fail(fmt::format("{}: no Alembic migrations found", args.path));

  // Every migration's upgrade statements, analysed in parallel.
  std::vector<SchemaInput> inputs(ws.files.size());
  std::vector<const EnvFacts*> env_of(ws.files.size(), nullptr);
  for (size_t e = ws.envs.size(); e-- > 0;) {
    for (FileId f : ws.envs[e].files) {
      env_of[f] = e < ws.env_facts.size() && ws.env_facts[e].found ? &ws.env_facts[e] : nullptr;
    }
  }
  ParallelFor(ws.files.size(), 0, [&](size_t f) {
    if (ws.loaded[f].is_sql) return;
    if (!ws.loaded[f].facts.full || !ws.loaded[f].facts.syntax_problems.empty()) {
      inputs[f] = SchemaInput{true, "it does not parse", {}, {}};
      return;
    }
    AnalysisOptions options;
    options.pg_version = args.pg_version;
    options.env = env_of[f];
    inputs[f] = SchemaInputOf(AnalyzeMigration(ws.loaded[f].facts, ws.files[f], options),
                              ws.loaded[f].facts);
  });

  Json envs = Json::array();
  std::string text;
  std::vector<bool> asked_found(args.revisions.size(), false);
  for (size_t e = 0; e < ws.envs.size(); ++e) {
    const RevisionGraph& g = *ws.graphs[e];
    const Environment& env = ws.envs[e];
    // A history Alembic cannot load is still replayed as far as it can be ordered (migrations
    // on a cycle are left out), and the user is told why the result may not be the schema.
    if (const auto& error = g.alembic_error(); error.has_value()) {
      std::fprintf(stderr,
                   "alembic-lint: warning: %s: Alembic would fail to load this environment: %s; "
                   "the schema is replayed from the migrations that can be ordered\n",
                   env.name.c_str(), error->Describe().c_str());
    }
    std::vector<uint32_t> targets;
    for (size_t r = 0; r < args.revisions.size(); ++r) {
      std::string why;
      const uint32_t n = ResolveRevision(g, args.revisions[r], &why);
      if (n != kNoNode) {
        targets.push_back(n);
        asked_found[r] = true;
      } else if (ws.envs.size() == 1) {
        return Fail(fmt::format("--revision {}: {}", args.revisions[r], why));
      }
    }
    if (args.revisions.empty()) targets = g.heads();
    // `alembic heads` repeats a duplicated id; its schema is shown once.
    std::vector<uint32_t> unique;
    for (uint32_t t : targets) {
      if (std::find(unique.begin(), unique.end(), t) == unique.end()) unique.push_back(t);
    }
    targets = std::move(unique);
    std::vector<Schema> schemas = ReplaySchema(g, targets, [&](uint32_t n) {
      const FileId f = g.node(n).file;
      return f < inputs.size() ? std::move(inputs[f]) : SchemaInput{};
    });
    Json je;
    je["environment"] = env.name;
    je["dialect"] = env.dialect.empty() ? Json(nullptr) : Json(env.dialect);
    Json list = Json::array();
    for (size_t i = 0; i < targets.size(); ++i) {
      Json js = ToJson(schemas[i], g, ws.files);
      Json entry;
      entry["revision"] = g.node(targets[i]).id;
      for (auto& [k, v] : js.items()) entry[k] = std::move(v);
      list.push_back(std::move(entry));
      const size_t tables = schemas[i].Tables().size();
      text += fmt::format("{}# {}schema at {}{}: {} table{}, {} not followed\n",
                          text.empty() ? "" : "\n",
                          ws.envs.size() > 1 ? env.name + ": " : std::string(),
                          g.node(targets[i]).id, g.node(targets[i]).is_head ? " (head)" : "",
                          tables, tables == 1 ? "" : "s", schemas[i].unknowns().size());
      if (!env.IsPostgres()) {
        text += fmt::format(
            "# runs on {} ({}): SQL strings are read as PostgreSQL's, op.* calls as Alembic "
            "renders them for PostgreSQL\n",
            env.dialect, env.dialect_origin);
      }
      text += ToText(schemas[i], g, ws.files);
    }
    if (targets.empty()) {
      text += fmt::format(
          "{}# {}no revision to show: no migration of this environment could be "
          "read as a revision (see `alembic-lint check`)\n",
          text.empty() ? "" : "\n", ws.envs.size() > 1 ? env.name + ": " : std::string());
    }
    je["schemas"] = std::move(list);
    envs.push_back(std::move(je));
  }
  for (size_t r = 0; r < args.revisions.size(); ++r) {
    if (!asked_found[r]) {
      return Fail(
          fmt::format("--revision {}: no such revision in any environment", args.revisions[r]));
    }
  }
  std::string out =
      args.format == "json" ? DumpJson(Json{{"environments", std::move(envs)}}) + "\n" : text;
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace alint
