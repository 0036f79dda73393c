#include "lint/analysis/migration_analysis.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "lint/sql/op_model.h"

namespace alint {

std::string NormalizeRelation(std::string_view relation) {
  std::string out(relation);
  if (out.rfind("public.", 0) == 0) out.erase(0, 7);
  return out;
}

bool PlannedStatement::IsNew(std::string_view relation) const {
  const std::string want = NormalizeRelation(relation);
  return std::any_of(new_relations.begin(), new_relations.end(),
                     [&](const std::string& r) { return NormalizeRelation(r) == want; });
}

const HeldLock* PlannedStatement::Held(std::string_view relation) const {
  if (held_log == nullptr) return nullptr;
  const std::string key = NormalizeRelation(relation);
  const HeldLock* best = nullptr;
  for (uint32_t i = 0; i < held_count && i < held_log->size(); ++i) {
    const HeldLock& h = (*held_log)[i];
    if (h.relation == key && (best == nullptr || h.mode > best->mode)) best = &h;
  }
  return best;
}

bool PlannedStatement::AlreadyGranted(std::string_view relation, LockMode mode) const {
  const HeldLock* h = Held(relation);
  if (h == nullptr) {
    // An index of a table held ACCESS EXCLUSIVE: nobody else can have it open.
    const std::string& table = facts.table.empty() ? index_table : facts.table;
    const RelationEffect* e = facts.Effect(relation);
    return e != nullptr && e->kind == RelationKind::kIndex && !table.empty() &&
           NormalizeRelation(table) != NormalizeRelation(relation) &&
           AlreadyGranted(table, LockMode::kAccessExclusive);
  }
  if (mode == LockMode::kNone) return true;
  // It waits only for a mode another session may hold next to ours and that conflicts with
  // the one requested.
  for (int m = static_cast<int>(LockMode::kAccessShare);
       m <= static_cast<int>(LockMode::kAccessExclusive); ++m) {
    const auto other = static_cast<LockMode>(m);
    if (!LocksConflict(h->mode, other) && LocksConflict(mode, other)) return false;
  }
  return true;
}

bool PlannedStatement::HasLockTimeout() const { return !IsLockTimeoutOff(lock_timeout); }

bool IsLockTimeoutOff(const std::optional<std::string>& value) {
  if (!value) return true;
  std::string v;
  for (char c : *value) {
    if (c != '\'' && c != '"' && c != ' ') v += c;
  }
  if (v.empty()) return true;
  // A number with an optional unit: zero in any unit means "no timeout". Anything else (a
  // value env.py computes) is taken as set.
  if (!std::isdigit(static_cast<unsigned char>(v[0]))) return false;
  size_t digits = v.find_first_not_of("0123456789");
  return v.substr(0, digits).find_first_not_of('0') == std::string::npos;
}

namespace {

// Op names that change the schema: when the op model cannot read one of these, its locks are
// unknown. (execute is covered by the SQL strings and DynamicSql; get_context, f, ... are not
// DDL.)
const std::set<std::string, std::less<>>& DdlOpNames() {
  static const std::set<std::string, std::less<>> kNames{
      "add_column",
      "alter_column",
      "bulk_insert",
      "create_check_constraint",
      "create_exclude_constraint",
      "create_foreign_key",
      "create_index",
      "create_primary_key",
      "create_table",
      "create_table_comment",
      "create_unique_constraint",
      "drop_column",
      "drop_constraint",
      "drop_index",
      "drop_table",
      "drop_table_comment",
      "rename_table",
  };
  return kNames;
}

// One op call or SQL string, in source order within its function.
struct Item {
  uint32_t order = 0;
  const OpCall* op = nullptr;
  const SqlString* sql = nullptr;
  bool autocommit() const {
    return op != nullptr ? op->in_autocommit_block : sql->in_autocommit_block;
  }
};

std::string Key(const std::string& table, const std::string& column) {
  return NormalizeRelation(table) + "|" + column;
}

// Walks one phase's items, keeping Alembic's transaction model and the session state.
class Planner {
 public:
  Planner(const Migration& m, const SourceFile& file, const AnalysisOptions& options,
          MigrationAnalysis& out)
      : m_(m), file_(file), options_(options), out_(out) {}

  void Run(alint::Phase phase, uint32_t* transaction) {
    std::vector<Item> items;
    std::set<uint32_t> sql_orders;
    for (const SqlString& s : m_.sql) {
      if (s.phase != phase) continue;
      items.push_back({s.order, nullptr, &s});
      sql_orders.insert(s.order);
    }
    for (const OpCall& op : m_.ops) {
      if (op.phase != phase) continue;
      // op.execute("...") is read through its SqlString (same order).
      if (op.name == "execute" && sql_orders.count(op.order)) continue;
      items.push_back({op.order, &op, nullptr});
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const Item& a, const Item& b) { return a.order < b.order; });

    // Each phase starts on a fresh connection state: env.py's settings only.
    session_lock_timeout_ = options_.env != nullptr ? options_.env->lock_timeout : std::nullopt;
    session_statement_timeout_ =
        options_.env != nullptr ? options_.env->statement_timeout : std::nullopt;
    local_lock_timeout_.reset();
    local_statement_timeout_.reset();
    created_.clear();
    added_here_.clear();
    dropped_not_null_.clear();
    held_.reset();
    held_modes_.clear();
    column_types_.clear();
    not_null_checks_.clear();
    proven_not_null_.clear();
    // The upgrade starts from what earlier migrations built (the schema model's replay).
    const PriorSchema* prior = phase == alint::Phase::kUpgrade ? options_.prior : nullptr;
    if (prior != nullptr) {
      column_types_ = prior->column_types;
      not_null_checks_.insert(prior->not_null_checks.begin(), prior->not_null_checks.end());
      proven_not_null_.insert(prior->proven_not_null.begin(), prior->proven_not_null.end());
      created_.insert(prior->new_tables.begin(), prior->new_tables.end());
    }
    prior_ = prior;
    phase_ = phase;
    transaction_ = transaction;
    in_block_ = false;
    bool first = true;

    for (const Item& item : items) {
      const bool autocommit = item.autocommit() || NoTransaction();
      if (first) {
        first = false;
      } else if (autocommit || in_block_) {
        // An autocommit statement commits what was open and runs on its own; the statement
        // after the block opens a new transaction.
        NextTransaction();
      }
      in_block_ = autocommit;
      if (item.sql != nullptr) {
        PlanSql(*item.sql);
      } else {
        PlanOp(*item.op);
      }
    }
    if (!items.empty()) ++*transaction_;
  }

 private:
  void NextTransaction() {
    ++*transaction_;
    held_.reset();
    held_modes_.clear();
    local_lock_timeout_.reset();
    local_statement_timeout_.reset();
  }

  SqlOptions Options() const {
    SqlOptions o;
    o.pg_version = options_.pg_version;
    o.column_types = column_types_.empty() ? nullptr : &column_types_;
    return o;
  }

  void PlanSql(const SqlString& s) {
    SqlAnalysis a = AnalyzeSql(s.text, Options());
    for (const SqlError& e : a.driver_errors) {
      const uint32_t at = s.FileOffset(e.offset);
      out_.sql_errors.push_back({Span{m_.file, at, at}, e.message, phase_, /*driver=*/true});
    }
    if (a.error) {
      out_.sql_errors.push_back(
          {Span{m_.file, s.FileOffset(a.error->offset), s.FileOffset(a.error->offset)},
           a.error->message, phase_});
      return;
    }
    // A .sql file runs as psql runs it: each statement in its own transaction unless an
    // explicit BEGIN ... COMMIT groups them (unless the tool wraps the file in one:
    // AnalysisOptions::sql_file_in_transaction).
    const bool psql = s.via == "sql file" && !options_.sql_file_in_transaction;
    bool explicit_tx = false;
    bool first = true;
    for (StatementFacts& f : a.facts) {
      PlannedStatement p;
      p.span = MapRange(s, f.begin, f.end);
      p.anchor = MapRange(s, f.anchor, f.anchor_end);
      p.sql = &s;
      const StatementKind kind = f.kind;
      p.facts = std::move(f);
      if (!psql) {
        Add(std::move(p), s.in_autocommit_block || NoTransaction());
        continue;
      }
      if (kind == StatementKind::kBegin || kind == StatementKind::kStart) {
        if (!explicit_tx && !first) NextTransaction();
        explicit_tx = true;
      } else if (!explicit_tx && !first) {
        NextTransaction();  // the previous statement committed on its own
      }
      first = false;
      // COMMIT, ROLLBACK, or PREPARE TRANSACTION (which detaches it from the session).
      const bool ends = kind == StatementKind::kCommit || kind == StatementKind::kRollback ||
                        kind == StatementKind::kPrepare;
      Add(std::move(p), /*autocommit=*/!explicit_tx);
      if (ends && explicit_tx) {
        explicit_tx = false;
        if (kind == StatementKind::kPrepare) NextTransaction();  // Add ends only COMMIT/ROLLBACK
      }
    }
  }

  void PlanOp(const OpCall& op) {
    std::vector<StatementFacts> facts = AnalyzeOpCall(op, Options());
    if (facts.empty() && op.name == "execute") facts = ExpressionDml(op);
    if (facts.empty()) {
      // op.execute() of a SQLAlchemy expression (`table.update().where(...)`): not text the SQL
      // model can read. Listed as not analysed (SQL built at run time is listed as such).
      const bool expression =
          op.name == "execute" &&
          std::none_of(m_.dynamic_sql.begin(), m_.dynamic_sql.end(), [&](const DynamicSql& d) {
            return d.span.begin >= op.call.span.begin && d.span.end <= op.call.span.end;
          });
      if (DdlOpNames().count(op.name) || expression) out_.unmodelled_ops.push_back(&op);
      return;
    }
    for (StatementFacts& f : facts) {
      PlannedStatement p;
      p.span = Span{m_.file, f.begin, f.end};
      p.anchor = Span{m_.file, f.anchor, f.anchor_end};
      p.op = &op;
      p.facts = std::move(f);
      Add(std::move(p), op.in_autocommit_block || NoTransaction());
    }
  }

  // op.execute(accounts.update().where(...).values(...)): SQLAlchemy's DML on a table object.
  // When the file binds that name exactly once to `sa.table("name", ...)` / `sa.Table("name",
  // ...)`, the statement is an UPDATE / DELETE / INSERT on that table (with or without a
  // WHERE, as the chain says); otherwise nothing is known.
  std::vector<StatementFacts> ExpressionDml(const OpCall& op) const {
    const Expr* arg = op.call.Positional(0);
    if (arg == nullptr || arg->kind != Expr::Kind::kCall || arg->span.file != file_.id) return {};
    const std::string_view src = file_.Slice(arg->span);
    size_t i = 0;
    auto ident = [&]() {
      const size_t b = i;
      while (i < src.size() && (std::isalnum(static_cast<unsigned char>(src[i])) || src[i] == '_'))
        ++i;
      return src.substr(b, i - b);
    };
    const std::string_view var = ident();
    if (var.empty() || i >= src.size() || src[i] != '.') return {};
    ++i;
    const std::string_view verb = ident();
    if (verb != "update" && verb != "delete" && verb != "insert") return {};
    // The one `var = sa.table("...", ...)` (or Table) binding in the file.
    const std::string_view text = file_.text;
    std::string table;
    int bindings = 0;
    for (size_t at = text.find(var); at != std::string_view::npos; at = text.find(var, at + 1)) {
      const bool starts = at == 0 || !(std::isalnum(static_cast<unsigned char>(text[at - 1])) ||
                                       text[at - 1] == '_' || text[at - 1] == '.');
      size_t j = at + var.size();
      if (!starts || (j < text.size() &&
                      (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_'))) {
        continue;
      }
      while (j < text.size() && text[j] == ' ') ++j;
      if (j >= text.size() || text[j] != '=' || (j + 1 < text.size() && text[j + 1] == '='))
        continue;
      ++bindings;
      ++j;
      while (j < text.size() && text[j] == ' ') ++j;
      size_t k = j;
      while (k < text.size() && (std::isalnum(static_cast<unsigned char>(text[k])) ||
                                 text[k] == '_' || text[k] == '.'))
        ++k;
      const std::string_view callee = text.substr(j, k - j);
      const std::string_view last = callee.substr(callee.rfind('.') + 1);
      if ((last != "table" && last != "Table") || k >= text.size() || text[k] != '(') continue;
      ++k;
      while (k < text.size() && (text[k] == ' ' || text[k] == '\n')) ++k;
      if (k >= text.size() || (text[k] != '"' && text[k] != '\'')) continue;
      const size_t close = text.find(text[k], k + 1);
      if (close == std::string_view::npos) continue;
      table = std::string(text.substr(k + 1, close - k - 1));
    }
    if (bindings != 1 || table.empty() || table.find_first_of("\"'\\ ;") != std::string::npos) {
      return {};
    }
    const bool where = src.find(".where(") != std::string_view::npos;
    const std::string sql =
        verb == "insert" ? "INSERT INTO \"" + table + "\" DEFAULT VALUES"
        : verb == "update"
            ? "UPDATE \"" + table + "\" SET alint_column = NULL" +
                  (where ? " WHERE alint_condition" : "")
            : "DELETE FROM \"" + table + "\"" + (where ? " WHERE alint_condition" : "");
    SqlAnalysis a = AnalyzeSql(sql, Options());
    if (a.error) return {};
    for (StatementFacts& f : a.facts) {
      f.begin = op.call.span.begin;
      f.end = op.call.span.end;
      f.anchor = op.name_span.begin;
      f.anchor_end = op.name_span.end;
      f.summary = std::string(verb == "insert"   ? "INSERT INTO "
                              : verb == "update" ? "UPDATE "
                                                 : "DELETE FROM ") +
                  table + " (" + std::string(var) + "." + std::string(verb) + "())";
    }
    return std::move(a.facts);
  }

  // env.py's context.configure(transactional_ddl=False): no migration transaction at all.
  bool NoTransaction() const {
    return options_.env != nullptr && options_.env->transactional_ddl == false;
  }

  Span MapRange(const SqlString& s, uint32_t begin, uint32_t end) const {
    const uint32_t b = s.FileOffset(begin);
    const uint32_t e = end > begin ? s.FileOffset(end - 1) + 1 : b;
    return Span{m_.file, b, std::max(b, e)};
  }

  void Add(PlannedStatement p, bool autocommit) {
    p.phase = phase_;
    p.in_transaction = !autocommit;
    p.transaction = *transaction_;
    p.lock_timeout = local_lock_timeout_ ? *local_lock_timeout_ : session_lock_timeout_;
    p.statement_timeout =
        local_statement_timeout_ ? *local_statement_timeout_ : session_statement_timeout_;
    StatementFacts& f = p.facts;
    for (const RelationEffect& e : f.effects) {
      if (created_.count(NormalizeRelation(e.relation)) && !e.created) {
        p.new_relations.push_back(e.relation);
      }
    }
    Cross(f);
    if (f.table.empty() && prior_ != nullptr) {
      // DROP INDEX / REINDEX INDEX / ALTER INDEX name the index only: its table, from the
      // migration that created it.
      for (const RelationEffect& e : f.effects) {
        if (e.kind != RelationKind::kIndex) continue;
        auto it = prior_->index_tables.find(NormalizeRelation(e.relation));
        if (it != prior_->index_tables.end()) p.index_table = it->second;
      }
    }
    if (f.table.empty() && p.index_table.empty() && p.op != nullptr) {
      const Expr* t = p.op->call.Keyword("table_name");
      if (t != nullptr && t->kind == Expr::Kind::kString) {
        // op.drop_index(..., table_name=..., schema=...): the schema qualifies the table too.
        const Expr* schema = p.op->call.Keyword("schema");
        p.index_table = schema != nullptr && schema->kind == Expr::Kind::kString &&
                                !schema->text.empty() && t->text.find('.') == std::string::npos
                            ? schema->text + "." + t->text
                            : t->text;
      }
    }
    if (!p.index_table.empty() && created_.count(NormalizeRelation(p.index_table))) {
      p.new_relations.push_back(p.index_table);
    }
    if (!autocommit && held_ != nullptr) {
      p.held_log = held_;
      p.held_count = static_cast<uint32_t>(held_->size());
    }
    Remember(f, autocommit);
    if (!autocommit) Hold(p);
    // An explicit COMMIT (op.execute("COMMIT"), connection.commit()) ends the migration's
    // transaction: what follows runs in a new one (which drivers open at the next statement).
    const bool ends =
        !autocommit && (f.kind == StatementKind::kCommit || f.kind == StatementKind::kRollback ||
                        f.kind == StatementKind::kCommitPrepared);
    out_.statements.push_back(std::move(p));
    if (ends) NextTransaction();
  }

  // Records the locks `p` takes on existing relations: its transaction holds them until it ends.
  void Hold(const PlannedStatement& p) {
    auto take = [&](const std::string& relation, LockMode mode) {
      if (mode == LockMode::kNone || p.IsNew(relation)) return;
      std::string key = NormalizeRelation(relation);
      auto [it, fresh] = held_modes_.try_emplace(key, mode);
      if (!fresh) {
        if (mode <= it->second) return;
        it->second = mode;
      }
      // Appended, never changed: earlier statements see the log up to their held_count.
      if (held_ == nullptr) held_ = std::make_shared<std::vector<HeldLock>>();
      held_->push_back({std::move(key), mode, p.anchor, p.facts.summary});
    };
    for (const RelationEffect& e : p.facts.effects) {
      if (e.created) continue;
      take(e.relation, e.lock);
      // An index's table: the facts name the index only; its table lock is keyed by the
      // table the statement names.
      if (e.kind == RelationKind::kIndex && e.table_lock != LockMode::kNone) {
        const std::string& table = p.facts.table.empty() ? p.index_table : p.facts.table;
        if (!table.empty()) take(table, e.table_lock);
      }
    }
  }

  // Facts that depend on earlier statements of other strings or ops: AnalyzeSql only sees one
  // text at a time.
  void Cross(StatementFacts& f) {
    if (prior_ != nullptr && f.kind == StatementKind::kSetNotNull &&
        prior_->not_null.count(Key(f.table, f.column)) &&
        !dropped_not_null_.count(Key(f.table, f.column))) {
      // Already NOT NULL: PostgreSQL has nothing to check.
      for (RelationEffect& e : f.effects) e.scan = false;
      if (f.can_fail_on_rows) {
        f.can_fail_on_rows = false;
        f.notes.push_back(fmt::format("`{}` is already NOT NULL{}: nothing to check", f.column,
                                      Since(f.table + "." + f.column)));
      }
    }
    // A foreign key added by an earlier migration: validating or dropping it locks the table
    // it references too.
    if (prior_ != nullptr && (f.kind == StatementKind::kValidateConstraint ||
                              f.kind == StatementKind::kDropConstraint)) {
      auto it = prior_->foreign_keys.find(Key(f.table, f.constraint));
      if (it != prior_->foreign_keys.end() && f.Effect(it->second) == nullptr &&
          !added_here_.count(Key(f.table, f.constraint))) {
        RelationEffect e;
        e.relation = it->second;
        e.lock = f.kind == StatementKind::kValidateConstraint ? LockMode::kRowShare
                                                              : LockMode::kAccessExclusive;
        f.effects.push_back(std::move(e));
        f.notes.push_back(fmt::format("the foreign key{} references `{}`",
                                      Since(f.table + "|" + f.constraint), it->second));
      }
    }
    if (f.kind == StatementKind::kSetNotNull && options_.pg_version >= 12 &&
        proven_not_null_.count(Key(f.table, f.column))) {
      for (RelationEffect& e : f.effects) e.scan = false;
      if (f.can_fail_on_rows) {
        f.can_fail_on_rows = false;
        f.notes.push_back("a valid CHECK (" + f.column +
                          " IS NOT NULL) lets PostgreSQL 12+ skip the table scan");
      }
    }
  }

  // Updates the session and schema state after a statement.
  void Remember(const StatementFacts& f, bool autocommit) {
    auto apply = [&](const std::optional<std::string>& value, std::optional<std::string>& session,
                     std::optional<std::optional<std::string>>& local) {
      if (!value) return;
      std::optional<std::string> v = *value;
      if (*v == "DEFAULT") v = std::nullopt;  // RESET / SET ... TO DEFAULT
      if (f.set_local) {
        // SET LOCAL outside a transaction block has no effect (PostgreSQL warns).
        if (!autocommit) local = v;
      } else {
        session = v;
        local.reset();
      }
    };
    apply(f.sets_lock_timeout, session_lock_timeout_, local_lock_timeout_);
    apply(f.sets_statement_timeout, session_statement_timeout_, local_statement_timeout_);

    const std::string& table = f.table;
    for (const RelationEffect& e : f.effects) {
      if (e.created) created_.insert(NormalizeRelation(e.relation));
    }
    if (f.kind == StatementKind::kRenameTable && created_.count(NormalizeRelation(table))) {
      created_.insert(NormalizeRelation(f.new_name));
    }
    if (f.kind == StatementKind::kAddColumn && !f.column.empty() && !f.new_type.empty()) {
      column_types_[NormalizeRelation(table) + "." + f.column] = f.new_type;
    }
    if (f.kind == StatementKind::kAlterColumnType && !f.column.empty() && !f.new_type.empty()) {
      column_types_[NormalizeRelation(table) + "." + f.column] = f.new_type;
    }
    if (f.kind == StatementKind::kAddConstraint && !f.constraint.empty()) {
      added_here_.insert(Key(table, f.constraint));
    }
    if (f.kind == StatementKind::kDropNotNull) dropped_not_null_.insert(Key(table, f.column));
    if (f.kind == StatementKind::kSetNotNull) dropped_not_null_.erase(Key(table, f.column));
    // CHECK (col IS NOT NULL): the SQL model names the column; valid now or once validated.
    if (f.kind == StatementKind::kAddConstraint && f.constraint_kind == ConstraintKind::kCheck &&
        !f.column.empty()) {
      if (!f.constraint.empty()) not_null_checks_[Key(table, f.constraint)] = f.column;
      if (!f.not_valid) proven_not_null_.insert(Key(table, f.column));
    }
    if (f.kind == StatementKind::kValidateConstraint) {
      auto it = not_null_checks_.find(Key(table, f.constraint));
      if (it != not_null_checks_.end()) proven_not_null_.insert(Key(table, it->second));
    }
    if (f.kind == StatementKind::kDropConstraint) {
      auto it = not_null_checks_.find(Key(table, f.constraint));
      if (it != not_null_checks_.end()) {
        proven_not_null_.erase(Key(table, it->second));
        not_null_checks_.erase(it);
      }
    }
  }

  const Migration& m_;
  const SourceFile& file_;
  const AnalysisOptions& options_;
  MigrationAnalysis& out_;
  alint::Phase phase_ = alint::Phase::kOther;
  uint32_t* transaction_ = nullptr;
  bool in_block_ = false;
  std::optional<std::string> session_lock_timeout_, session_statement_timeout_;
  // Set: a SET LOCAL in the current transaction (the inner nullopt: LOCAL ... TO DEFAULT).
  std::optional<std::optional<std::string>> local_lock_timeout_, local_statement_timeout_;
  std::set<std::string> created_;
  // The current transaction's lock log (PlannedStatement::held_log) and the strongest mode
  // per relation in it.
  std::shared_ptr<std::vector<HeldLock>> held_;
  std::map<std::string, LockMode> held_modes_;
  // " (since revision X)" for a fact the prior schema gives, "" otherwise.
  std::string Since(const std::string& key) const {
    if (prior_ == nullptr) return {};
    auto it = prior_->source.find(NormalizeRelation(key));
    return it != prior_->source.end() ? " (since revision " + it->second + ")" : std::string();
  }

  const PriorSchema* prior_ = nullptr;
  std::set<std::string> added_here_;        // table|constraint added in this phase
  std::set<std::string> dropped_not_null_;  // table|column made nullable in this phase
  ColumnTypes column_types_;
  std::map<std::string, std::string> not_null_checks_;  // table|constraint -> column
  std::set<std::string> proven_not_null_;               // table|column
};

}  // namespace

MigrationAnalysis AnalyzeMigration(const Migration& m, const SourceFile& file,
                                   const AnalysisOptions& options) {
  MigrationAnalysis out;
  if (!m.full) return out;
  Planner planner(m, file, options, out);
  uint32_t transaction = 0;
  for (Phase phase : {Phase::kUpgrade, Phase::kDowngrade, Phase::kOther}) {
    planner.Run(phase, &transaction);
  }
  return out;
}

}  // namespace alint
