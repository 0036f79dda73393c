// irreversible-migration: upgrade() changes the schema and downgrade() is missing, empty or
// only raises; or downgrade() leaves behind a table, column, index or constraint that
// upgrade() creates.
#include <fmt/format.h>

#include <set>
#include <string>
#include <utility>

#include "lint/analysis/migration_analysis.h"
#include "lint/rulekit/lock_timeout_util.h"
#include "lint/rulekit/statement_rules.h"

namespace alint {
namespace {

constexpr RuleOption kOptions[] = {
    {"irreversible-ok", RuleOption::Type::kBool,
     "The team deploys forward only: a downgrade() that is missing, `pass` or raises is "
     "accepted (one that exists but does not undo the upgrade is still reported)",
     0, 0, 1}};

// Statements that change the schema (what a downgrade has to undo); data changes,
// maintenance and session settings do not count.
bool ChangesSchema(const StatementFacts& f) {
  switch (f.kind) {
    case StatementKind::kInsert:
    case StatementKind::kUpdate:
    case StatementKind::kDelete:
    case StatementKind::kMerge:
    case StatementKind::kSelect:
    case StatementKind::kCopy:
    case StatementKind::kTruncate:
    case StatementKind::kReindex:
    case StatementKind::kVacuum:
    case StatementKind::kVacuumFull:
    case StatementKind::kAnalyze:
    case StatementKind::kCluster:
    case StatementKind::kRefreshMaterializedView:
    case StatementKind::kLockTable:
    case StatementKind::kDo:
    case StatementKind::kSet:
    case StatementKind::kReset:
    case StatementKind::kBegin:
    case StatementKind::kStart:
    case StatementKind::kCommit:
    case StatementKind::kRollback:
    case StatementKind::kSavepoint:
    case StatementKind::kRelease:
    case StatementKind::kRollbackTo:
    case StatementKind::kPrepare:
    case StatementKind::kCommitPrepared:
    case StatementKind::kRollbackPrepared:
      return false;
    case StatementKind::kOther:
      return f.other_kind.starts_with("create_") || f.other_kind.starts_with("drop_") ||
             f.other_kind.starts_with("alter_");
    default:
      return true;
  }
}

// An index or constraint name without its schema.
std::string Bare(std::string_view name) {
  const size_t dot = name.rfind('.');
  return std::string(dot == std::string_view::npos ? name : name.substr(dot + 1));
}

// What the downgrade drops.
struct Drops {
  std::set<std::string> tables;                           // NormalizeRelation
  std::set<std::string> tables_losing_columns;            // any DROP COLUMN on them
  std::set<std::pair<std::string, std::string>> columns;  // (table, column)
  std::set<std::string> names;                            // indexes and constraints, bare

  // An index or constraint the downgrade drops by this name, or by the name a SQLAlchemy
  // naming convention makes of it (`ck_%(table_name)s_%(constraint_name)s`: the name given to
  // op.create_check_constraint() ends the real one).
  bool Named(std::string_view name) const {
    const std::string bare = Bare(name);
    if (names.count(bare)) return true;
    for (const std::string& n : names) {
      if (n.size() > bare.size() + 1 && n.compare(n.size() - bare.size(), bare.size(), bare) == 0 &&
          n[n.size() - bare.size() - 1] == '_')
        return true;
    }
    return false;
  }
};

class IrreversibleMigration final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo kInfo{"irreversible-migration",
                                "Migration whose downgrade() is missing, empty or only raises "
                                "while upgrade() changes the schema, or leaves what upgrade() "
                                "creates",
                                Severity::kWarning,
                                "structure",
                                kOptions,
                                /*only_unapplied=*/true};
    return kInfo;
  }
  bool NeedsBody() const override { return true; }

  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const MigrationAnalysis* a = ctx.analysis();
    // A .sql file has no downgrade() by design: nothing to say.
    if (a == nullptr || !m.full || !m.has_upgrade || m.FromSqlFile()) return;
    const PlannedStatement* first_change = nullptr;
    bool downgrade_unknown = false, helpers = false;
    size_t downgrade_statements = 0;
    for (const PlannedStatement& s : a->statements) {
      if (s.phase == Phase::kUpgrade && first_change == nullptr && ChangesSchema(s.facts))
        first_change = &s;
      if (s.phase == Phase::kDowngrade) ++downgrade_statements;
      if (s.phase == Phase::kOther) helpers = true;
    }
    for (const DynamicSql& d : m.dynamic_sql) {
      if (d.phase == Phase::kDowngrade) downgrade_unknown = true;
    }
    for (const OpCall* op : a->unmodelled_ops) {
      if (op->phase == Phase::kDowngrade) downgrade_unknown = true;
    }
    for (const SqlProblem& p : a->sql_errors) {
      if (p.phase == Phase::kDowngrade) downgrade_unknown = true;
    }
    if (first_change == nullptr) return;  // a data or no-op migration: nothing to undo

    if (m.downgrade_shape != BodyShape::kCode) {
      if (ctx.BoolOption("irreversible-ok")) return;
      // The project's script.py.mako writes migrations this way (no downgrade(), or one that
      // raises): forward-only by design, said once in the template.
      const EnvFacts* env = ctx.env();
      if (env != nullptr && env->template_downgrade &&
          *env->template_downgrade == m.downgrade_shape)
        return;
      const SourceFile& file = ctx.file(m.file);
      const std::string change = fmt::format("{} (line {})", first_change->facts.summary,
                                             file.Locate(first_change->anchor.begin).line);
      std::string message;
      Span at = m.downgrade_name;
      switch (m.downgrade_shape) {
        case BodyShape::kAbsent:
          at = m.upgrade_name;
          message = fmt::format(
              "upgrade() changes the schema ({}) and there is no downgrade(): `alembic "
              "downgrade` past this revision fails with an AttributeError",
              change);
          break;
        case BodyShape::kEmpty:
          message = fmt::format(
              "downgrade() is empty while upgrade() changes the schema ({}): `alembic "
              "downgrade` past this revision reports success and changes nothing, leaving a "
              "schema that the code rolled back to does not expect",
              change);
          break;
        default:
          message = fmt::format(
              "downgrade() only raises while upgrade() changes the schema ({}): this revision "
              "cannot be rolled back",
              change);
          break;
      }
      Finding& f = ctx.Report(at, std::move(message));
      ctx.LowerSeverity(f);  // worth knowing; a production risk only for teams that roll back
      f.help =
          "write the downgrade() that undoes upgrade(): drop what it creates, re-create what it "
          "drops (the data cannot come back that way: restore it from a backup). A team that "
          "deploys forward only says so once with `irreversible-ok = true` in "
          "[tool.alembic-lint]";
      return;
    }

    // A downgrade with code: does it drop what the upgrade creates? Only when every
    // statement of it is known (no run-time SQL, no helper functions, no unread op).
    if (downgrade_unknown || helpers || downgrade_statements == 0) return;
    Drops drops;
    for (const PlannedStatement& s : a->statements) {
      if (s.phase != Phase::kDowngrade) continue;
      const StatementFacts& f = s.facts;
      switch (f.kind) {
        case StatementKind::kDropTable:
          for (const RelationEffect& e : f.effects)
            drops.tables.insert(NormalizeRelation(e.relation));
          break;
        case StatementKind::kDropColumn:
          drops.columns.insert({NormalizeRelation(f.table), f.column});
          drops.tables_losing_columns.insert(NormalizeRelation(f.table));
          break;
        case StatementKind::kDropIndex:
          for (const RelationEffect& e : f.effects) drops.names.insert(Bare(e.relation));
          break;
        case StatementKind::kDropConstraint:
          drops.names.insert(Bare(f.constraint));
          break;
        default:
          break;
      }
    }
    // Columns and tables the upgrade renames afterwards: what it created has another name
    // by the end (add `x_new`, copy, rename it to `x`); the downgrade deals with that one.
    std::set<std::pair<std::string, std::string>> renamed_columns;
    std::set<std::string> renamed_tables;
    for (const PlannedStatement& s : a->statements) {
      if (s.phase != Phase::kUpgrade) continue;
      if (s.facts.kind == StatementKind::kRenameColumn)
        renamed_columns.insert({NormalizeRelation(s.facts.table), s.facts.column});
      if (s.facts.kind == StatementKind::kRenameTable)
        renamed_tables.insert(NormalizeRelation(s.facts.table));
    }
    std::vector<std::pair<const PlannedStatement*, std::string>> left;  // created, never dropped
    for (const PlannedStatement& s : a->statements) {
      if (s.phase != Phase::kUpgrade) continue;
      const StatementFacts& f = s.facts;
      const std::string table = NormalizeRelation(f.table);
      if (renamed_tables.count(table)) continue;
      const bool table_dropped = !f.table.empty() && drops.tables.count(table) > 0;
      std::string what;
      switch (f.kind) {
        case StatementKind::kCreateTable:
          if (!f.table.empty() && !table_dropped) what = fmt::format("creates table `{}`", f.table);
          break;
        case StatementKind::kAddColumn:
          if (!f.column.empty() && !table_dropped && !drops.columns.count({table, f.column}) &&
              !renamed_columns.count({table, f.column}))
            what = fmt::format("column `{}.{}`", f.table, f.column);
          break;
        case StatementKind::kCreateIndex:
          if (!f.constraint.empty() && !table_dropped && !drops.Named(f.constraint) &&
              !drops.tables_losing_columns.count(table))
            what = fmt::format("index `{}`", f.constraint);
          break;
        case StatementKind::kAddConstraint:
          if (!f.constraint.empty() && !table_dropped && !drops.Named(f.constraint) &&
              !drops.tables_losing_columns.count(table))
            what = fmt::format("constraint `{}` on `{}`", f.constraint, f.table);
          break;
        default:
          break;
      }
      if (what.empty()) continue;
      left.push_back({&s, std::move(what)});
    }
    if (left.empty()) return;
    // One finding, at downgrade() where the fix goes, listing what it leaves behind.
    const SourceFile& file = ctx.file(m.file);
    std::vector<std::string> items;
    for (const auto& [st, what] : left)
      items.push_back(fmt::format("{} (line {})", what, file.Locate(st->anchor.begin).line));
    Finding& f = ctx.Report(
        m.downgrade_name,
        fmt::format("downgrade() never drops what upgrade() creates: {}; after a downgrade the "
                    "schema still has {}",
                    rulekit::JoinLabels(items), left.size() == 1 ? "it" : "them"));
    f.help =
        "drop it in downgrade(), in the reverse order of upgrade() (indexes and constraints "
        "before their columns and tables); a downgrade that leaves it makes the next upgrade "
        "that creates it fail with `already exists`";
    for (const auto& [st, what] : left) {
      if (f.related.size() >= kMaxRelatedLocations) break;
      f.related.push_back({st->anchor, "upgrade() creates " + what + " here"});
    }
  }
};

}  // namespace

const Rule& IrreversibleMigrationRule() {
  static const IrreversibleMigration r;
  return r;
}

}  // namespace alint
