// ALTER TABLE (and ALTER INDEX / VIEW / MATERIALIZED VIEW / SEQUENCE): one StatementFacts per
// subcommand. Lock levels follow PostgreSQL's AlterTableGetLockLevel(); tests/pg/ checks
// them against a real server.

#include <algorithm>
#include <cctype>

#include "lint/sql/analyze_internal.h"
#include "lint/sql/sql_text.h"

namespace alint::sql_internal {
namespace {

struct Target {
  std::string name;
  RelationKind kind = RelationKind::kTable;
  std::string keyword;  // "TABLE", "INDEX", ...
  std::string kind_prefix;
};

Target ReadTarget(const Json& stmt) {
  Target t;
  if (JsonPtr rel = Get(stmt, "relation")) t.name = RangeVarName(*rel);
  std::string objtype = Str(stmt, "objtype");
  if (objtype == "OBJECT_INDEX") {
    t = {t.name, RelationKind::kIndex, "INDEX", "alter_index."};
  } else if (objtype == "OBJECT_MATVIEW") {
    t = {t.name, RelationKind::kMaterializedView, "MATERIALIZED VIEW", "alter_materialized_view."};
  } else if (objtype == "OBJECT_VIEW") {
    t = {t.name, RelationKind::kView, "VIEW", "alter_view."};
  } else if (objtype == "OBJECT_SEQUENCE") {
    t = {t.name, RelationKind::kSequence, "SEQUENCE", "alter_sequence."};
  } else if (objtype == "OBJECT_FOREIGN_TABLE") {
    t = {t.name, RelationKind::kTable, "FOREIGN TABLE", "alter_foreign_table."};
  } else {
    t = {t.name, RelationKind::kTable, "TABLE", "alter_table."};
  }
  return t;
}

std::string Key(const std::string& table, const std::string& name) { return table + "|" + name; }

std::string ConstraintWord(const std::string& contype) {
  if (contype == "CONSTR_FOREIGN") return "FOREIGN KEY";
  if (contype == "CONSTR_CHECK") return "CHECK";
  if (contype == "CONSTR_UNIQUE") return "UNIQUE";
  if (contype == "CONSTR_PRIMARY") return "PRIMARY KEY";
  if (contype == "CONSTR_EXCLUSION") return "EXCLUDE";
  return "constraint";
}

class CmdAnalyzer {
 public:
  CmdAnalyzer(const Target& target, Context& ctx, StatementFacts& f)
      : t_(target), ctx_(ctx), f_(f) {}

  void Run(const Json& cmd) {
    const std::string subtype = Str(cmd, "subtype");
    const std::string name = Str(cmd, "name");
    f_.if_exists = f_.if_exists || Bool(cmd, "missing_ok");
    JsonPtr def = Get(cmd, "def");
    LockMode lock = LockMode::kAccessExclusive;
    std::string what;
    // ALTER TABLE subcommands have a kind of their own; the same subcommand of ALTER INDEX /
    // VIEW / SEQUENCE / FOREIGN TABLE is kOther, named after its own prefix.
    auto kind = [&](StatementKind k) {
      if (t_.keyword == "TABLE") {
        f_.kind = k;
      } else {
        f_.kind = StatementKind::kOther;
        f_.other_kind = t_.kind_prefix + AlterSubcommandName(k);
      }
    };
    f_.command = "ALTER " + t_.keyword;
    if (t_.kind == RelationKind::kTable) f_.table = t_.name;
    if (subtype == "AT_AddColumn" || subtype == "AT_AddColumnToView") {
      kind(StatementKind::kAddColumn);
      JsonPtr col = def != nullptr ? As(*def, "ColumnDef") : nullptr;
      if (col != nullptr) AddColumn(*col);
      what = "ADD COLUMN " + f_.column;
    } else if (subtype == "AT_DropColumn") {
      kind(StatementKind::kDropColumn);
      f_.column = name;
      f_.data_loss = true;
      what = "DROP COLUMN " + name;
      if (Str(cmd, "behavior") == "DROP_CASCADE")
        f_.notes.push_back("CASCADE also drops dependent objects");
    } else if (subtype == "AT_AlterColumnType") {
      kind(StatementKind::kAlterColumnType);
      f_.column = name;
      JsonPtr col = def != nullptr ? As(*def, "ColumnDef") : nullptr;
      if (col != nullptr) AlterType(*col);
      what = "ALTER COLUMN " + name + " TYPE " + f_.new_type;
    } else if (subtype == "AT_SetNotNull") {
      kind(StatementKind::kSetNotNull);
      f_.column = name;
      what = "ALTER COLUMN " + name + " SET NOT NULL";
      if (ctx_.options.pg_version >= 12 && ctx_.state.not_null_proven.count(Key(t_.name, name))) {
        f_.notes.push_back("a valid CHECK (" + name +
                           " IS NOT NULL) lets PostgreSQL 12+ skip the table scan");
      } else {
        scan_ = true;
        f_.can_fail_on_rows = true;
      }
    } else if (subtype == "AT_DropNotNull") {
      kind(StatementKind::kDropNotNull);
      f_.column = name;
      what = "ALTER COLUMN " + name + " DROP NOT NULL";
    } else if (subtype == "AT_ColumnDefault" || subtype == "AT_CookedColumnDefault") {
      f_.column = name;
      if (def != nullptr) {
        kind(StatementKind::kSetDefault);
        ColumnSpec c;
        c.name = name;
        c.has_default = true;
        c.default_expr = ExprText(*def, ctx_.sql);
        f_.detail.emplace().columns.push_back(std::move(c));
        what = "ALTER COLUMN " + name + " SET DEFAULT";
      } else {
        kind(StatementKind::kDropDefault);
        what = "ALTER COLUMN " + name + " DROP DEFAULT";
      }
    } else if (subtype == "AT_AddConstraint" || subtype == "AT_AddIndexConstraint") {
      JsonPtr con = def != nullptr ? As(*def, "Constraint") : nullptr;
      if (con != nullptr) lock = AddConstraint(*con, what);
    } else if (subtype == "AT_ValidateConstraint") {
      kind(StatementKind::kValidateConstraint);
      lock = LockMode::kShareUpdateExclusive;
      f_.constraint = name;
      what = "VALIDATE CONSTRAINT " + name;
      scan_ = true;
      f_.can_fail_on_rows = true;
      auto it = ctx_.state.constraints.find(Key(t_.name, name));
      if (it != ctx_.state.constraints.end()) {
        if (!it->second.referenced.empty()) {
          Touch(f_, it->second.referenced, LockMode::kRowShare);
        }
        if (!it->second.not_null_column.empty()) {
          ctx_.state.not_null_proven.insert(Key(t_.name, it->second.not_null_column));
        }
        it->second.valid = true;
      }
    } else if (subtype == "AT_DropConstraint") {
      kind(StatementKind::kDropConstraint);
      f_.constraint = name;
      what = "DROP CONSTRAINT " + name;
      auto it = ctx_.state.constraints.find(Key(t_.name, name));
      if (it != ctx_.state.constraints.end()) {
        if (!it->second.referenced.empty()) {
          Touch(f_, it->second.referenced, LockMode::kAccessExclusive);
        }
        if (!it->second.not_null_column.empty()) {
          ctx_.state.not_null_proven.erase(Key(t_.name, it->second.not_null_column));
        }
        ctx_.state.constraints.erase(it);
      }
    } else if (subtype == "AT_AlterConstraint") {
      kind(StatementKind::kAlterConstraint);
      JsonPtr con = def != nullptr ? As(*def, "Constraint") : nullptr;
      f_.constraint = con != nullptr ? Str(*con, "conname") : name;
      what = "ALTER CONSTRAINT " + f_.constraint;
    } else if (subtype == "AT_SetStatistics") {
      kind(StatementKind::kSetStatistics);
      f_.column = name;
      what = "ALTER COLUMN " + name + " SET STATISTICS";
      lock = LockMode::kShareUpdateExclusive;
    } else if (subtype == "AT_SetOptions" || subtype == "AT_ResetOptions") {
      kind(subtype == "AT_SetOptions" ? StatementKind::kSetColumnOptions
                                      : StatementKind::kResetColumnOptions);
      f_.column = name;
      what = "ALTER COLUMN " + name + (subtype == "AT_SetOptions" ? " SET (...)" : " RESET (...)");
      lock = LockMode::kShareUpdateExclusive;
    } else if (subtype == "AT_SetStorage") {
      kind(StatementKind::kSetStorage);
      f_.column = name;
      what = "ALTER COLUMN " + name + " SET STORAGE";
    } else if (subtype == "AT_SetCompression") {
      kind(StatementKind::kSetCompression);
      f_.column = name;
      what = "ALTER COLUMN " + name + " SET COMPRESSION";
    } else if (subtype == "AT_AddIdentity") {
      kind(StatementKind::kAddIdentity);
      f_.column = name;
      what = "ALTER COLUMN " + name + " ADD GENERATED AS IDENTITY";
      f_.can_fail_on_rows = true;  // the column must be NOT NULL
    } else if (subtype == "AT_SetIdentity" || subtype == "AT_DropIdentity") {
      kind(subtype == "AT_SetIdentity" ? StatementKind::kSetIdentity
                                       : StatementKind::kDropIdentity);
      f_.column = name;
      what = "ALTER COLUMN " + name +
             (subtype == "AT_SetIdentity" ? " SET identity options" : " DROP IDENTITY");
    } else if (subtype == "AT_DropExpression") {
      kind(StatementKind::kDropExpression);
      f_.column = name;
      what = "ALTER COLUMN " + name + " DROP EXPRESSION";
    } else if (subtype == "AT_SetRelOptions" || subtype == "AT_ResetRelOptions" ||
               subtype == "AT_ReplaceRelOptions") {
      kind(subtype == "AT_ResetRelOptions" ? StatementKind::kResetOptions
                                           : StatementKind::kSetOptions);
      what = subtype == "AT_ResetRelOptions" ? "RESET (...)" : "SET (...)";
      lock = LockMode::kShareUpdateExclusive;
    } else if (subtype == "AT_SetTableSpace") {
      kind(StatementKind::kSetTablespace);
      what = "SET TABLESPACE " + name;
      rewrite_ = true;
      copy_only_ = true;  // the files are copied block by block, not read row by row
      f_.notes.push_back("moving to another tablespace copies every data file");
    } else if (subtype == "AT_SetLogged" || subtype == "AT_SetUnLogged") {
      kind(subtype == "AT_SetLogged" ? StatementKind::kSetLogged : StatementKind::kSetUnlogged);
      what = subtype == "AT_SetLogged" ? "SET LOGGED" : "SET UNLOGGED";
      rewrite_ = true;
    } else if (subtype == "AT_SetAccessMethod") {
      kind(StatementKind::kSetAccessMethod);
      what = "SET ACCESS METHOD " + name;
      // PostgreSQL skips the rewrite when the access method does not change; tables use heap
      // unless created otherwise (USING ...), so SET ACCESS METHOD heap is taken as that no-op.
      if (name == "heap") {
        f_.notes.push_back("a table that already uses heap is not rewritten");
      } else {
        rewrite_ = true;
      }
    } else if (subtype == "AT_ClusterOn" || subtype == "AT_DropCluster") {
      kind(subtype == "AT_ClusterOn" ? StatementKind::kClusterOn
                                     : StatementKind::kSetWithoutCluster);
      what = subtype == "AT_ClusterOn" ? "CLUSTER ON " + name : "SET WITHOUT CLUSTER";
      lock = LockMode::kShareUpdateExclusive;
    } else if (subtype.find("Trig") != std::string::npos) {
      kind(subtype.rfind("AT_Disable", 0) == 0 ? StatementKind::kDisableTrigger
                                               : StatementKind::kEnableTrigger);
      what = (subtype.rfind("AT_Disable", 0) == 0 ? "DISABLE TRIGGER " : "ENABLE TRIGGER ") + name;
      lock = LockMode::kShareRowExclusive;
    } else if (subtype.find("RowSecurity") != std::string::npos) {
      kind(StatementKind::kRowLevelSecurity);
      what = "ROW LEVEL SECURITY";
    } else if (subtype == "AT_AddInherit" || subtype == "AT_DropInherit") {
      kind(subtype == "AT_AddInherit" ? StatementKind::kInherit : StatementKind::kNoInherit);
      std::string parent;
      if (def != nullptr) {
        if (JsonPtr rv = As(*def, "RangeVar")) parent = RangeVarName(*rv);
      }
      what = (subtype == "AT_AddInherit" ? "INHERIT " : "NO INHERIT ") + parent;
      if (!parent.empty()) Touch(f_, parent, LockMode::kShareUpdateExclusive);
    } else if (subtype == "AT_AttachPartition") {
      kind(StatementKind::kAttachPartition);
      std::string part = PartitionName(def);
      what = "ATTACH PARTITION " + part;
      lock = ctx_.options.pg_version >= 12 ? LockMode::kShareUpdateExclusive
                                           : LockMode::kAccessExclusive;
      if (!part.empty()) {
        RelationEffect& p = Touch(f_, part, LockMode::kAccessExclusive);
        p.scan = true;
        f_.detail.emplace().items.push_back(part);
      }
      f_.can_fail_on_rows = true;
      f_.notes.push_back(
          "the partition is scanned to check its rows fit the bound, unless a "
          "valid CHECK constraint already implies it");
    } else if (subtype == "AT_DetachPartition") {
      kind(StatementKind::kDetachPartition);
      std::string part = PartitionName(def);
      JsonPtr cmd_def = def != nullptr ? As(*def, "PartitionCmd") : nullptr;
      const bool concurrent = cmd_def != nullptr && Bool(*cmd_def, "concurrent");
      what = "DETACH PARTITION " + part + (concurrent ? " CONCURRENTLY" : "");
      if (concurrent) {
        lock = LockMode::kShareUpdateExclusive;
        f_.concurrently = true;
        f_.no_transaction = true;
        f_.requires_pg = 14;
      }
      if (!part.empty()) Touch(f_, part, lock);
    } else if (subtype == "AT_DetachPartitionFinalize") {
      kind(StatementKind::kDetachPartitionFinalize);
      what = "DETACH PARTITION " + PartitionName(def) + " FINALIZE";
      lock = LockMode::kShareUpdateExclusive;
      f_.requires_pg = 14;
    } else if (subtype == "AT_ChangeOwner") {
      kind(StatementKind::kOwnerTo);
      what = "OWNER TO";
    } else if (subtype == "AT_ReplicaIdentity") {
      kind(StatementKind::kReplicaIdentity);
      what = "REPLICA IDENTITY";
    } else {
      std::string k = subtype.rfind("AT_", 0) == 0 ? subtype.substr(3) : subtype;
      std::string snake;
      for (char c : k) {
        if (std::isupper(static_cast<unsigned char>(c)) && !snake.empty()) snake += '_';
        snake += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      f_.kind = StatementKind::kOther;
      f_.other_kind = t_.kind_prefix + snake;
      what = k;
    }
    RelationEffect& e = Touch(f_, t_.name, lock, t_.kind);
    e.rewrite = e.rewrite || rewrite_;
    e.scan = e.scan || scan_ || (rewrite_ && !copy_only_);
    f_.summary = "ALTER " + t_.keyword + " " + t_.name + " " + what;
  }

 private:
  std::string PartitionName(JsonPtr def) {
    JsonPtr pc = def != nullptr ? As(*def, "PartitionCmd") : nullptr;
    JsonPtr rv = pc != nullptr ? Get(*pc, "name") : nullptr;
    return rv != nullptr ? RangeVarName(*rv) : std::string();
  }

  void AddColumn(const Json& col) {
    f_.column = Str(col, "colname");
    {
      ObjectDetail& d = f_.detail.emplace();
      d.columns.push_back(ReadColumnSpec(col, ctx_.sql, &d.constraints));
    }
    f_.if_exists = f_.if_exists || Bool(col, "if_not_exists");
    TypeInfo type;
    if (JsonPtr tn = Get(col, "typeName")) type = ReadType(*tn);
    f_.new_type = type.Display();
    bool not_null = false;
    bool has_default = false;
    bool references_validated = false;
    Volatility worst = Volatility::kConstant;
    std::string culprit;
    if (type.serial) {
      has_default = true;
      not_null = true;
      worst = Volatility::kVolatile;
      culprit = "nextval() of the new serial sequence";
    }
    if (JsonPtr cons = Get(col, "constraints"); cons != nullptr && cons->is_array()) {
      for (const Json& c : *cons) {
        JsonPtr con = As(c, "Constraint");
        if (con == nullptr) continue;
        const std::string contype = Str(*con, "contype");
        if (contype == "CONSTR_NOTNULL") {
          not_null = true;
        } else if (contype == "CONSTR_DEFAULT") {
          JsonPtr expr = Get(*con, "raw_expr");
          if (expr != nullptr && !(As(*expr, "A_Const") && Bool(*As(*expr, "A_Const"), "isnull"))) {
            has_default = true;
            std::string who;
            Volatility v = ClassifyExpression(*expr, &who);
            if (v > worst) {
              worst = v;
              culprit = who;
            }
          }
        } else if (contype == "CONSTR_IDENTITY") {
          has_default = true;
          not_null = true;
          worst = Volatility::kVolatile;
          culprit = "the identity sequence";
        } else if (contype == "CONSTR_GENERATED") {
          has_default = true;
          rewrite_ = true;
          f_.notes.push_back("a STORED generated column is computed for every existing row");
        } else if (contype == "CONSTR_CHECK") {
          scan_ = true;
          f_.can_fail_on_rows = true;
        } else if (contype == "CONSTR_UNIQUE" || contype == "CONSTR_PRIMARY") {
          scan_ = true;
          f_.can_fail_on_rows = true;
          if (contype == "CONSTR_PRIMARY") not_null = true;
        } else if (contype == "CONSTR_FOREIGN") {
          if (JsonPtr pk = Get(*con, "pktable")) {
            Touch(f_, RangeVarName(*pk), LockMode::kShareRowExclusive);
          }
          // An all-NULL new column needs no validation; one with a default does.
          references_validated = !Bool(*con, "skip_validation");
        }
      }
    }
    AddColumnCost(has_default, worst, culprit, not_null, ctx_.options.pg_version, f_, rewrite_,
                  scan_);
    if (references_validated && has_default) scan_ = true;
  }

  void AlterType(const Json& col) {
    TypeInfo to;
    if (JsonPtr tn = Get(col, "typeName")) to = ReadType(*tn);
    f_.new_type = to.Display();
    std::optional<TypeInfo> from;
    if (const std::string* known = KnownColumnType(t_.name, f_.column, [&](const std::string& key) {
          return FindColumnType(ctx_.options.column_types, key);
        })) {
      from = ParseTypeText(*known);
    }
    TypeChange change = ClassifyTypeChange(from, to, ctx_.options.pg_version);
    // A USING expression other than the column itself (possibly cast) is computed per row.
    if (JsonPtr using_expr = Get(col, "raw_default")) {
      JsonPtr inner = using_expr;
      if (JsonPtr cast = As(*inner, "TypeCast")) inner = Get(*cast, "arg");
      JsonPtr ref = inner != nullptr ? As(*inner, "ColumnRef") : nullptr;
      std::vector<std::string> fields =
          ref != nullptr ? Strings(Get(*ref, "fields")) : std::vector<std::string>();
      if (fields.empty() || fields.back() != f_.column) {
        change.rewrite = true;
        change.can_fail = true;
        change.uncertain = false;
        change.note = "the USING expression is computed for every row";
      }
    }
    rewrite_ = change.rewrite;
    f_.can_fail_on_rows = change.can_fail;
    f_.data_loss = change.data_loss;
    f_.rewrite_uncertain = change.uncertain;
    if (!change.note.empty()) f_.notes.push_back(change.note);
  }

  LockMode AddConstraint(const Json& con, std::string& what) {
    const std::string contype = Str(con, "contype");
    f_.constraint_kind = ReadConstraintKind(contype);
    if (t_.keyword == "TABLE") {
      f_.kind = StatementKind::kAddConstraint;
    } else {
      f_.kind = StatementKind::kOther;
      f_.other_kind =
          t_.kind_prefix + "add_constraint." + std::string(ConstraintKindName(f_.constraint_kind));
    }
    f_.constraint = Str(con, "conname");
    f_.not_valid = Bool(con, "skip_validation");
    if (std::optional<ConstraintSpec> spec = ReadConstraintSpec(con, "")) {
      f_.detail.emplace().constraints.push_back(std::move(*spec));
    }
    const std::string index = Str(con, "indexname");
    what = "ADD " + (f_.constraint.empty() ? "" : "CONSTRAINT " + f_.constraint + " ") +
           ConstraintWord(contype) + (index.empty() ? "" : " USING INDEX " + index) +
           (f_.not_valid ? " NOT VALID" : "");
    TextState::Constraint remembered;
    remembered.valid = !f_.not_valid;
    LockMode lock = LockMode::kAccessExclusive;
    if (contype == "CONSTR_FOREIGN") {
      lock = LockMode::kShareRowExclusive;
      if (JsonPtr pk = Get(con, "pktable")) {
        remembered.referenced = RangeVarName(*pk);
        Touch(f_, remembered.referenced, LockMode::kShareRowExclusive);
      }
      if (!f_.not_valid) {
        scan_ = true;
        f_.can_fail_on_rows = true;
      }
    } else if (contype == "CONSTR_CHECK") {
      remembered.not_null_column = NotNullCheckColumn(con);
      // Named so a later SET NOT NULL in another SQL text can use it (lint/analysis).
      f_.column = remembered.not_null_column;
      if (!f_.not_valid) {
        scan_ = true;
        f_.can_fail_on_rows = true;
        if (!remembered.not_null_column.empty()) {
          ctx_.state.not_null_proven.insert(Key(t_.name, remembered.not_null_column));
        }
      }
    } else if (contype == "CONSTR_UNIQUE" || contype == "CONSTR_PRIMARY") {
      if (index.empty()) {
        scan_ = true;
        f_.can_fail_on_rows = true;
        f_.notes.push_back(
            "builds a unique index while holding the lock; build it first with "
            "CREATE UNIQUE INDEX CONCURRENTLY and add the constraint USING INDEX");
      } else if (contype == "CONSTR_PRIMARY") {
        f_.can_fail_on_rows = true;
        f_.notes.push_back(
            "PRIMARY KEY USING INDEX sets NOT NULL on its columns (a scan unless "
            "they already are)");
      }
    } else if (contype == "CONSTR_EXCLUSION") {
      scan_ = true;
      f_.can_fail_on_rows = true;
    }
    if (!f_.constraint.empty()) {
      ctx_.state.constraints[Key(t_.name, f_.constraint)] = remembered;
    }
    return lock;
  }

  const Target& t_;
  Context& ctx_;
  StatementFacts& f_;
  bool rewrite_ = false;
  bool scan_ = false;
  bool copy_only_ = false;  // a rewrite that copies files (SET TABLESPACE): no scan
};

}  // namespace

void AddColumnCost(bool has_default, Volatility worst, const std::string& culprit, bool not_null,
                   int pg_version, StatementFacts& f, bool& rewrite, bool& scan) {
  if (has_default) {
    if (worst >= Volatility::kVolatile) {
      rewrite = true;
      if (worst == Volatility::kUnknown) {
        f.rewrite_uncertain = true;
        f.notes.push_back("default calls " + culprit +
                          ", whose volatility is unknown: assumed volatile (table rewrite)");
      } else {
        f.notes.push_back("volatile default " + culprit + " is evaluated for every row");
      }
    } else if (pg_version < 11) {
      rewrite = true;
      f.notes.push_back("before PostgreSQL 11 any non-null default rewrites the table");
    }
  }
  if (not_null && !has_default) {
    scan = true;  // PostgreSQL verifies the new column has no NULLs (fails on any row)
    f.can_fail_on_rows = true;
    f.not_null_without_default = true;
    f.notes.push_back("NOT NULL without a default fails when the table has rows");
  }
}

void AnalyzeAlterTable(const Json& stmt, const StatementFacts& base, Context& ctx,
                       std::vector<StatementFacts>& out) {
  const Target target = ReadTarget(stmt);
  JsonPtr cmds = Get(stmt, "cmds");
  if (cmds == nullptr || !cmds->is_array() || cmds->empty()) return;
  std::vector<uint32_t> parts = sql_text::SplitTopLevelCommas(ctx.sql, base.begin, base.end);
  const bool aligned = parts.size() == cmds->size() + 1;
  uint32_t first = base.begin;
  if (JsonPtr rel = Get(stmt, "relation")) {
    const int loc = Int(*rel, "location", -1);
    if (loc >= 0 && static_cast<uint32_t>(loc) < base.end) {
      first = sql_text::SkipSpaceAndComments(
          ctx.sql, sql_text::SkipQualifiedName(ctx.sql, static_cast<uint32_t>(loc), base.end),
          base.end);
    }
  }
  const size_t n_cmds = cmds->size();
  size_t i = 0;
  for (const Json cmd_node : *cmds) {
    StatementFacts f = base;
    f.if_exists = Bool(stmt, "missing_ok");
    if (aligned) {
      f.anchor = i == 0 ? first : sql_text::SkipSpaceAndComments(ctx.sql, parts[i], parts[i + 1]);
      const uint32_t part_end = i + 1 < n_cmds ? parts[i + 1] - 1 : parts[i + 1];
      f.anchor_end = std::max(f.anchor, sql_text::TrimEnd(ctx.sql, f.anchor, part_end));
    }
    JsonPtr cmd = As(cmd_node, "AlterTableCmd");
    ++i;
    if (cmd == nullptr) continue;
    CmdAnalyzer(target, ctx, f).Run(*cmd);
    out.push_back(std::move(f));
  }
}

}  // namespace alint::sql_internal
