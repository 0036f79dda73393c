#include "lint/schema/schema_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

namespace alint {

namespace {

using Kind = SchemaObject::Kind;

std::string_view KindWord(Kind k) {
  switch (k) {
    case Kind::kSequence:
      return "sequence";
    case Kind::kView:
      return "view";
    case Kind::kMaterializedView:
      return "materialized_view";
    case Kind::kEnum:
      return "enum";
  }
  return "object";
}

// The ALTER TABLE subcommands (and renames within a table) Schema::Apply follows.
bool AltersTable(StatementKind k) {
  switch (k) {
    case StatementKind::kAddColumn:
    case StatementKind::kDropColumn:
    case StatementKind::kAlterColumnType:
    case StatementKind::kSetNotNull:
    case StatementKind::kDropNotNull:
    case StatementKind::kSetDefault:
    case StatementKind::kDropDefault:
    case StatementKind::kAddConstraint:
    case StatementKind::kValidateConstraint:
    case StatementKind::kDropConstraint:
    case StatementKind::kRenameColumn:
    case StatementKind::kRenameConstraint:
    case StatementKind::kAddIdentity:
    case StatementKind::kAttachPartition:
    case StatementKind::kDetachPartition:
      return true;
    default:
      return false;
  }
}

std::string ObjectKey(Kind k, std::string_view name) {
  return fmt::format("{}:{}", KindWord(k), NormalizeRelation(name));
}

// RENAME keeps the schema: `ALTER TABLE audit.t RENAME TO u` makes `audit.u`.
std::string Renamed(const std::string& old_name, const std::string& new_name) {
  const size_t dot = old_name.rfind('.');
  if (dot == std::string::npos || new_name.find('.') != std::string::npos) return new_name;
  return old_name.substr(0, dot + 1) + new_name;
}

std::string Unqualified(const std::string& name) {
  const size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

// The name PostgreSQL gives a constraint declared without one (ChooseConstraintName); "" when
// it depends on what the model does not know (a CHECK over an arbitrary expression) or
// would be truncated to 63 bytes.
std::string DefaultConstraintName(const std::string& table, const ConstraintSpec& c,
                                  const std::string& column) {
  std::string base = Unqualified(table);
  std::string cols;
  for (const std::string& col : c.columns) cols += "_" + col;
  std::string name;
  switch (c.kind) {
    case ConstraintKind::kPrimaryKey:
      name = base + "_pkey";
      break;
    case ConstraintKind::kUnique:
      name = cols.empty() ? "" : base + cols + "_key";
      break;
    case ConstraintKind::kForeignKey:
      name = cols.empty() ? "" : base + cols + "_fkey";
      break;
    case ConstraintKind::kExclusion:
      name = cols.empty() ? "" : base + cols + "_excl";
      break;
    case ConstraintKind::kCheck: {
      const std::string& col = !c.not_null_column.empty() ? c.not_null_column : column;
      name = col.empty() ? "" : base + "_" + col + "_check";
      break;
    }
    default:
      break;
  }
  return name.size() > 63 ? std::string() : name;
}

}  // namespace

const SchemaColumn* SchemaTable::Column(std::string_view n) const {
  for (const SchemaColumn& c : columns) {
    if (!c.dropped && c.name == n) return &c;
  }
  return nullptr;
}

const SchemaConstraint* SchemaTable::Constraint(std::string_view n) const {
  for (const SchemaConstraint& c : constraints) {
    if (!c.dropped && c.name == n) return &c;
  }
  return nullptr;
}

namespace {

// The object `p` points at, unshared first (copy-on-write).
template <typename T>
T* Own(std::shared_ptr<T>& p) {
  if (p.use_count() > 1) p = std::make_shared<T>(*p);
  return p.get();
}

}  // namespace

const SchemaTable* Schema::Table(std::string_view name) const {
  auto it = tables_.find(NormalizeRelation(name));
  return it != tables_.end() && !it->second->dropped ? it->second.get() : nullptr;
}

const SchemaIndex* Schema::Index(std::string_view name) const {
  auto it = indexes_.find(NormalizeRelation(name));
  return it != indexes_.end() && !it->second->dropped ? it->second.get() : nullptr;
}

std::vector<const SchemaTable*> Schema::Tables() const {
  std::vector<const SchemaTable*> out;
  for (const auto& [name, t] : tables_) {
    if (!t->dropped) out.push_back(t.get());
  }
  return out;
}

std::vector<const SchemaIndex*> Schema::Indexes() const {
  std::vector<const SchemaIndex*> out;
  for (const auto& [name, i] : indexes_) {
    if (!i->dropped) out.push_back(i.get());
  }
  return out;
}

SchemaIndex* Schema::LiveIndex(std::string_view name) {
  auto it = indexes_.find(NormalizeRelation(name));
  return it != indexes_.end() && !it->second->dropped ? Own(it->second) : nullptr;
}

void Schema::AddIndex(SchemaIndex index) {
  if (SchemaTable* t = LiveTable(index.table)) {
    if (std::find(t->indexes.begin(), t->indexes.end(), index.name) == t->indexes.end())
      t->indexes.push_back(index.name);
  }
  const std::string name = index.name;
  indexes_[name] = std::make_shared<SchemaIndex>(std::move(index));
}

void Schema::DropIndex(const std::string& name, SchemaStamp node) {
  auto it = indexes_.find(name);
  if (it == indexes_.end()) {
    auto tomb = std::make_shared<SchemaIndex>();
    tomb->name = name;
    tomb->dropped = true;
    tomb->stamp = node;
    indexes_.emplace(name, std::move(tomb));
    return;
  }
  SchemaIndex* i = Own(it->second);
  if (!i->dropped) {
    if (SchemaTable* t = LiveTable(i->table)) std::erase(t->indexes, name);
  }
  i->dropped = true;
  i->stamp = node;
}

const SchemaObject* Schema::Object(std::string_view name, SchemaObject::Kind kind) const {
  auto it = objects_.find(ObjectKey(kind, name));
  return it != objects_.end() && !it->second.dropped ? &it->second : nullptr;
}

SchemaTable* Schema::LiveTable(std::string_view name) {
  auto it = tables_.find(NormalizeRelation(name));
  return it != tables_.end() && !it->second->dropped ? Own(it->second) : nullptr;
}

SchemaTable& Schema::NewTable(const std::string& name, SchemaStamp node) {
  auto t = std::make_shared<SchemaTable>();
  t->name = name;
  t->created_by = node;
  t->stamp = node;
  SchemaTable& out = *t;
  tables_[name] = std::move(t);
  return out;
}

void Schema::Unknown(std::string object, std::string reason, SchemaStamp node, const Span& at) {
  unknowns_.push_back({std::move(object), std::move(reason), node, at});
}

void Schema::MarkUnknown(std::string_view table, const std::string& reason, SchemaStamp node,
                         const Span& at) {
  const std::string name = NormalizeRelation(table);
  SchemaTable* t = LiveTable(name);
  if (t == nullptr) {
    t = &NewTable(name, kNoNode);
    t->stamp = node;
  }
  if (!t->unknown) {
    t->unknown = true;
    t->unknown_reason = reason;
  }
  Unknown(name, reason, node, at);
}

// A statement changes `table`, which the model has never seen: it was created before the
// history starts, or by something the model could not read. Kept as an unknown placeholder so
// what later statements add to it is still known.
void Schema::Referenced(std::string_view table, SchemaStamp node, const Span& at) {
  if (table.empty() || Table(table) != nullptr) return;  // read only: no copy
  MarkUnknown(table, "changed but never created in the history replayed", node, at);
}

void Schema::DropTable(const std::string& name, SchemaStamp node) {
  auto it = tables_.find(name);
  if (it == tables_.end()) {
    it = tables_.emplace(name, std::make_shared<SchemaTable>()).first;
    it->second->name = name;
  }
  // Its indexes go with it.
  std::vector<std::string> indexes = std::move(Own(it->second)->indexes);
  for (const std::string& i : indexes) DropIndex(i, node);
  SchemaTable& t = *Own(it->second);
  t.dropped = true;
  t.stamp = node;
  t.columns.clear();
  t.constraints.clear();
  t.indexes.clear();
}

void Schema::DropObject(const std::string& key, SchemaStamp node) {
  SchemaObject& o = objects_[key];
  o.dropped = true;
  o.stamp = node;
  o.items.clear();
}

void Schema::AddConstraint(SchemaTable& t, const ConstraintSpec& c, SchemaStamp node) {
  SchemaConstraint out;
  out.kind = c.kind;
  out.columns = c.columns;
  out.references = NormalizeRelation(c.references);
  out.not_null_column = c.not_null_column;
  out.validated = !c.not_valid;
  out.stamp = node;
  out.name = !c.name.empty() ? c.name
             : !c.using_index.empty()
                 ? c.using_index  // ADD CONSTRAINT ... USING INDEX renames the index
                 : DefaultConstraintName(t.name, c, c.columns.empty() ? "" : c.columns.front());
  if (c.kind == ConstraintKind::kPrimaryKey) {
    for (SchemaColumn& col : t.columns) {
      if (!col.dropped &&
          std::find(c.columns.begin(), c.columns.end(), col.name) != c.columns.end())
        col.not_null = true;
    }
  }
  for (SchemaConstraint& old : t.constraints) {
    if (!out.name.empty() && old.name == out.name) {
      old = std::move(out);
      return;
    }
  }
  t.constraints.push_back(std::move(out));
}

SchemaChange SchemaChange::Of(StatementFacts&& f) {
  SchemaChange c;
  c.kind = f.kind;
  c.if_exists = f.if_exists;
  c.cascade = f.cascade;
  c.table = std::move(f.table);
  c.column = std::move(f.column);
  c.constraint = std::move(f.constraint);
  c.new_type = std::move(f.new_type);
  c.new_name = std::move(f.new_name);
  c.type_name = std::move(f.type_name);
  c.effects.reserve(f.effects.size());
  for (RelationEffect& e : f.effects)
    c.effects.push_back({std::move(e.relation), e.kind, e.created});
  c.detail = std::move(f.detail);
  return c;
}

void Schema::Apply(const SchemaChange& f, const Span& at, SchemaStamp node) {
  const std::string table = NormalizeRelation(f.table);
  const ObjectDetail* d = f.detail ? &*f.detail : nullptr;
  switch (f.kind) {
    case StatementKind::kCreateTable: {
      if (f.if_exists && Table(table) != nullptr) return;
      SchemaTable& t = NewTable(table, node);
      if (d != nullptr) {
        t.partitioned = d->partitioned;
        t.partition_of = NormalizeRelation(d->partition_of);
        for (const ColumnSpec& c : d->columns) {
          t.columns.push_back(
              {c.name, c.type, c.not_null, c.has_default, c.default_expr, false, false, node});
        }
        for (const ConstraintSpec& c : d->constraints) AddConstraint(t, c, node);
      }
      if (!t.partition_of.empty() && t.columns.empty()) {
        // PARTITION OF takes the parent's columns.
        if (const SchemaTable* parent = Table(t.partition_of)) {
          for (const SchemaColumn& c : parent->columns) {
            if (!c.dropped) t.columns.push_back(c);
          }
        }
      }
      return;
    }
    case StatementKind::kCreateTableAs: {
      if (f.if_exists && Table(table) != nullptr) return;
      SchemaTable& t = NewTable(table, node);
      t.unknown = true;
      t.unknown_reason = "CREATE TABLE AS: its columns come from a query";
      Unknown(table, t.unknown_reason, node, at);
      return;
    }
    case StatementKind::kCreateIndex: {
      std::string name = NormalizeRelation(f.constraint);
      if (name.empty()) {
        // PostgreSQL's choice (ChooseIndexName): table, columns ("expr" for an expression),
        // "_idx" (or "_key" for a unique index made by a constraint), then a number when taken.
        std::string base = Unqualified(table);
        for (const std::string& c : d != nullptr ? d->items : std::vector<std::string>{}) {
          base += "_" + (c.empty() || c.front() == '(' ? std::string("expr") : c);
        }
        base += "_idx";
        const size_t dot = table.rfind('.');
        const std::string schema = dot == std::string::npos ? "" : table.substr(0, dot + 1);
        name = schema + base;
        for (int n = 1; Index(name) != nullptr; ++n) name = schema + base + std::to_string(n);
        if (base.size() > 63) {
          Unknown(table, "CREATE INDEX without a name, and PostgreSQL would shorten its choice",
                  node, at);
          return;
        }
      }
      if (f.if_exists && Index(name) != nullptr) return;
      Referenced(table, node, at);
      if (Index(name) != nullptr) DropIndex(name, node);
      AddIndex(SchemaIndex{name, table, d != nullptr && d->unique,
                           d != nullptr ? d->items : std::vector<std::string>{}, false, node});
      return;
    }
    case StatementKind::kCreateView:
    case StatementKind::kCreateMaterializedView:
    case StatementKind::kCreateSequence: {
      const Kind k = f.kind == StatementKind::kCreateView               ? Kind::kView
                     : f.kind == StatementKind::kCreateMaterializedView ? Kind::kMaterializedView
                                                                        : Kind::kSequence;
      for (const SchemaChange::Effect& e : f.effects) {
        if (!e.created && !(k == Kind::kView && e.kind == RelationKind::kView)) continue;
        SchemaObject& o = objects_[ObjectKey(k, e.relation)];
        o = SchemaObject{k, NormalizeRelation(e.relation), {}, false, false, node};
      }
      return;
    }
    case StatementKind::kCreateEnum: {
      if (f.type_name.empty()) return;
      SchemaObject& o = objects_[ObjectKey(Kind::kEnum, f.type_name)];
      o = SchemaObject{Kind::kEnum,
                       NormalizeRelation(f.type_name),
                       d != nullptr ? d->items : std::vector<std::string>{},
                       false,
                       false,
                       node};
      return;
    }
    case StatementKind::kAlterTypeAddValue:
    case StatementKind::kAlterTypeRenameValue: {
      auto it = objects_.find(ObjectKey(Kind::kEnum, f.type_name));
      if (it == objects_.end() || it->second.dropped) {
        Unknown(NormalizeRelation(f.type_name), "enum changed but never created in the history",
                node, at);
        return;
      }
      SchemaObject& o = it->second;
      o.stamp = node;
      if (f.kind == StatementKind::kAlterTypeAddValue &&
          std::find(o.items.begin(), o.items.end(), f.new_name) == o.items.end()) {
        // BEFORE / AFTER place it elsewhere: the order is then unknown, the labels are not.
        o.items.push_back(f.new_name);
      } else if (f.kind == StatementKind::kAlterTypeRenameValue) {
        o.unknown = true;
        Unknown(o.name, "enum label renamed (the model keeps labels only as added)", node, at);
      }
      return;
    }
    case StatementKind::kDropTable:
    case StatementKind::kDropForeignTable:
      for (const SchemaChange::Effect& e : f.effects)
        DropTable(NormalizeRelation(e.relation), node);
      if (f.cascade) {
        // Foreign keys pointing at the dropped tables go too.
        std::set<std::string> gone;
        for (const SchemaChange::Effect& e : f.effects) gone.insert(NormalizeRelation(e.relation));
        for (auto& [name, ptr] : tables_) {
          const bool refers = std::any_of(
              ptr->constraints.begin(), ptr->constraints.end(),
              [&](const SchemaConstraint& c) { return !c.dropped && gone.count(c.references); });
          if (!refers) continue;
          for (SchemaConstraint& c : Own(ptr)->constraints) {
            if (!c.dropped && gone.count(c.references)) {
              c.dropped = true;
              c.stamp = node;
            }
          }
        }
      }
      return;
    case StatementKind::kDropIndex:
      for (const SchemaChange::Effect& e : f.effects)
        DropIndex(NormalizeRelation(e.relation), node);
      return;
    case StatementKind::kDropView:
    case StatementKind::kDropMaterializedView:
    case StatementKind::kDropSequence: {
      const Kind k = f.kind == StatementKind::kDropView               ? Kind::kView
                     : f.kind == StatementKind::kDropMaterializedView ? Kind::kMaterializedView
                                                                      : Kind::kSequence;
      for (const SchemaChange::Effect& e : f.effects) DropObject(ObjectKey(k, e.relation), node);
      return;
    }
    case StatementKind::kDropType:
      if (d == nullptr) return;
      for (const std::string& type : d->items) {
        DropObject(ObjectKey(Kind::kEnum, type), node);
        if (!f.cascade) continue;
        // CASCADE drops every column of that type.
        const std::string bare = Unqualified(type);
        auto of_type = [&](const SchemaColumn& c) {
          return !c.dropped && (c.type == bare || c.type == type || c.type == bare + "[]");
        };
        for (auto& [name, ptr] : tables_) {
          if (std::none_of(ptr->columns.begin(), ptr->columns.end(), of_type)) continue;
          for (SchemaColumn& c : Own(ptr)->columns) {
            if (of_type(c)) {
              c.dropped = true;
              c.stamp = node;
            }
          }
        }
      }
      return;
    case StatementKind::kRenameTable: {
      SchemaTable* t = LiveTable(table);
      if (t == nullptr) {
        Referenced(table, node, at);
        t = LiveTable(table);
      }
      const std::string to = NormalizeRelation(Renamed(f.table, f.new_name));
      SchemaTable moved = *t;
      // Indexes and foreign keys follow the table (PostgreSQL keeps them by OID).
      for (const std::string& i : moved.indexes) {
        if (SchemaIndex* index = LiveIndex(i)) index->table = to;
      }
      for (auto& [name, ptr] : tables_) {
        const bool refers =
            std::any_of(ptr->constraints.begin(), ptr->constraints.end(),
                        [&](const SchemaConstraint& c) { return c.references == table; });
        if (!refers) continue;
        for (SchemaConstraint& c : Own(ptr)->constraints) {
          if (c.references == table) c.references = to;
        }
      }
      for (SchemaConstraint& c : moved.constraints) {
        if (c.references == table) c.references = to;
      }
      Own(tables_[table])->indexes.clear();  // they are the renamed table's now
      DropTable(table, node);
      moved.name = to;
      moved.stamp = node;
      tables_[to] = std::make_shared<SchemaTable>(std::move(moved));
      return;
    }
    case StatementKind::kRenameIndex:
      for (const SchemaChange::Effect& e : f.effects) {
        const std::string from = NormalizeRelation(e.relation);
        const SchemaIndex* old = Index(from);
        // ALTER INDEX ... RENAME also renames a constraint's index; not tracked as an index.
        if (old == nullptr) continue;
        SchemaIndex moved = *old;
        DropIndex(from, node);
        moved.name = NormalizeRelation(Renamed(e.relation, f.new_name));
        moved.stamp = node;
        AddIndex(std::move(moved));
      }
      return;
    case StatementKind::kRenameView:
    case StatementKind::kRenameMaterializedView:
    case StatementKind::kRenameSequence: {
      const Kind k = f.kind == StatementKind::kRenameView               ? Kind::kView
                     : f.kind == StatementKind::kRenameMaterializedView ? Kind::kMaterializedView
                                                                        : Kind::kSequence;
      for (const SchemaChange::Effect& e : f.effects) {
        auto it = objects_.find(ObjectKey(k, e.relation));
        if (it == objects_.end() || it->second.dropped) continue;
        SchemaObject moved = it->second;
        DropObject(it->first, node);
        moved.name = NormalizeRelation(Renamed(e.relation, f.new_name));
        moved.stamp = node;
        objects_[ObjectKey(k, moved.name)] = std::move(moved);
      }
      return;
    }
    default:
      break;
  }

  // ALTER TABLE subcommands and the renames within a table.
  if (!AltersTable(f.kind)) return;  // nothing the model keeps (locks, data, settings, ...)
  if (table.empty()) return;
  Referenced(table, node, at);
  SchemaTable& t = *LiveTable(table);
  auto column = [&](const std::string& name) -> SchemaColumn* {
    for (SchemaColumn& c : t.columns) {
      if (!c.dropped && c.name == name) return &c;
    }
    if (!t.unknown) {
      Unknown(table + "." + name, "changed but never added in the history replayed", node, at);
    }
    // A column of a table the model only partly knows: keep what this statement says.
    t.columns.push_back({name, "", false, false, "", true, false, node});
    return &t.columns.back();
  };
  auto constraint = [&](const std::string& name) -> SchemaConstraint* {
    for (SchemaConstraint& c : t.constraints) {
      if (!c.dropped && c.name == name) return &c;
    }
    return nullptr;
  };
  switch (f.kind) {
    case StatementKind::kAddColumn: {
      if (d == nullptr || d->columns.empty()) return;
      const ColumnSpec& c = d->columns.front();
      if (f.if_exists && t.Column(c.name) != nullptr) return;
      for (SchemaColumn& old : t.columns) {
        if (old.name == c.name) old.name.clear();  // a tombstone of the same name
      }
      t.columns.erase(std::remove_if(t.columns.begin(), t.columns.end(),
                                     [](const SchemaColumn& x) { return x.name.empty(); }),
                      t.columns.end());
      t.columns.push_back(
          {c.name, c.type, c.not_null, c.has_default, c.default_expr, false, false, node});
      for (const ConstraintSpec& con : d->constraints) AddConstraint(t, con, node);
      return;
    }
    case StatementKind::kDropColumn: {
      for (SchemaColumn& c : t.columns) {
        if (!c.dropped && c.name == f.column) {
          c = SchemaColumn{c.name, "", false, false, "", false, true, node};
        }
      }
      // Constraints and indexes over the column go with it.
      for (SchemaConstraint& c : t.constraints) {
        if (!c.dropped &&
            (std::find(c.columns.begin(), c.columns.end(), f.column) != c.columns.end() ||
             c.not_null_column == f.column)) {
          c.dropped = true;
          c.stamp = node;
        }
      }
      const std::vector<std::string> on_table = t.indexes;
      for (const std::string& name : on_table) {
        const SchemaIndex* index = Index(name);
        if (index != nullptr && std::find(index->columns.begin(), index->columns.end(), f.column) !=
                                    index->columns.end()) {
          DropIndex(name, node);
        }
      }
      return;
    }
    case StatementKind::kAlterColumnType: {
      SchemaColumn* c = column(f.column);
      c->type = f.new_type;
      c->stamp = node;
      return;
    }
    case StatementKind::kSetNotNull:
    case StatementKind::kDropNotNull:
    case StatementKind::kAddIdentity: {
      SchemaColumn* c = column(f.column);
      c->not_null = f.kind != StatementKind::kDropNotNull;
      c->stamp = node;
      return;
    }
    case StatementKind::kSetDefault:
    case StatementKind::kDropDefault: {
      SchemaColumn* c = column(f.column);
      c->has_default = f.kind == StatementKind::kSetDefault;
      c->default_expr = c->has_default && d != nullptr && !d->columns.empty()
                            ? d->columns.front().default_expr
                            : std::string();
      c->stamp = node;
      return;
    }
    case StatementKind::kAddConstraint:
      if (d != nullptr) {
        for (const ConstraintSpec& c : d->constraints) AddConstraint(t, c, node);
      }
      return;
    case StatementKind::kValidateConstraint:
      if (SchemaConstraint* c = constraint(f.constraint)) {
        c->validated = true;
        c->stamp = node;
      } else if (!t.unknown) {
        Unknown(table + "." + f.constraint, "validated but never added in the history replayed",
                node, at);
      }
      return;
    case StatementKind::kDropConstraint:
      if (SchemaConstraint* c = constraint(f.constraint)) {
        c->dropped = true;
        c->stamp = node;
      } else if (!t.unknown && !f.if_exists) {
        Unknown(table + "." + f.constraint, "dropped but never added in the history replayed", node,
                at);
      }
      return;
    case StatementKind::kRenameColumn: {
      // Renamed in place (PostgreSQL keeps the column's position); the old name stays as a
      // tombstone for merges.
      SchemaColumn* c = column(f.column);
      SchemaColumn tombstone{c->name, "", false, false, "", false, true, node};
      c->name = f.new_name;
      c->stamp = node;
      t.columns.push_back(std::move(tombstone));
      for (SchemaConstraint& con : t.constraints) {
        std::replace(con.columns.begin(), con.columns.end(), f.column, f.new_name);
        if (con.not_null_column == f.column) con.not_null_column = f.new_name;
      }
      for (const std::string& name : t.indexes) {
        if (SchemaIndex* index = LiveIndex(name)) {
          std::replace(index->columns.begin(), index->columns.end(), f.column, f.new_name);
        }
      }
      return;
    }
    case StatementKind::kRenameConstraint:
      if (SchemaConstraint* c = constraint(f.constraint)) {
        SchemaConstraint moved = *c;
        c->dropped = true;
        c->stamp = node;
        moved.name = f.new_name;
        moved.stamp = node;
        t.constraints.push_back(std::move(moved));
      }
      return;
    case StatementKind::kAttachPartition:
    case StatementKind::kDetachPartition:
      for (const SchemaChange::Effect& e : f.effects) {
        const std::string part = NormalizeRelation(e.relation);
        if (part == table) continue;
        Referenced(part, node, at);
        SchemaTable* p = LiveTable(part);
        p->partition_of = f.kind == StatementKind::kAttachPartition ? table : std::string();
        p->stamp = node;
      }
      return;
    default:
      return;
  }
}

void Schema::Forget(SchemaUnknown u) {
  tables_.clear();
  indexes_.clear();
  objects_.clear();
  if (!u.reason.empty()) unknowns_.push_back(std::move(u));
}

PriorSchema PriorFor(const Schema& before, const HistoryQuestions& questions,
                     const std::function<std::string(SchemaStamp)>& revision_of,
                     const std::function<bool(SchemaStamp)>& in_range) {
  PriorSchema out;
  const std::vector<std::string>& tables = questions.relations;
  for (const std::string& name : tables) {
    if (const SchemaIndex* i = before.Index(name); i != nullptr && !i->table.empty()) {
      out.index_tables[i->name] = i->table;
    }
  }
  for (const std::string& name : tables) {
    const SchemaTable* t = before.Table(name);
    if (t == nullptr) continue;
    if (t->created_by != kNoNode && in_range(t->created_by)) out.new_tables.insert(name);
    if (t->unknown) continue;  // its columns and constraints may be incomplete
    for (const SchemaColumn& c : t->columns) {
      if (c.dropped || c.unknown) continue;
      const std::string key = name + "." + c.name;
      if (!c.type.empty()) out.column_types[key] = c.type;
      if (c.not_null) out.not_null.insert(name + "|" + c.name);
      if (c.stamp != kNoNode) out.source[key] = revision_of(c.stamp);
    }
    for (const SchemaConstraint& c : t->constraints) {
      if (c.dropped || c.name.empty()) continue;
      const std::string key = name + "|" + c.name;
      if (c.kind == ConstraintKind::kForeignKey && !c.references.empty()) {
        out.foreign_keys[key] = c.references;
      }
      if (c.kind == ConstraintKind::kCheck && !c.not_null_column.empty()) {
        out.not_null_checks[key] = c.not_null_column;
        if (c.validated) out.proven_not_null.insert(name + "|" + c.not_null_column);
      }
      if (c.stamp != kNoNode) out.source[key] = revision_of(c.stamp);
    }
  }
  return out;
}

HistoryQuestions QuestionsOf(const MigrationAnalysis& a, bool range) {
  HistoryQuestions q;
  std::set<std::string> created;
  for (const PlannedStatement& s : a.statements) {
    if (s.phase != Phase::kUpgrade) continue;
    const StatementFacts& f = s.facts;
    const std::string table = NormalizeRelation(f.table);
    if (!table.empty() && !created.count(table)) q.relations.push_back(table);
    for (const RelationEffect& e : f.effects) {
      const std::string rel = NormalizeRelation(e.relation);
      if (e.created) {
        created.insert(rel);
      } else if (!created.count(rel)) {
        q.any_ddl = q.any_ddl || range;
        q.relations.push_back(rel);
      }
      if (e.kind == RelationKind::kIndex && e.table_lock != LockMode::kNone && f.table.empty() &&
          s.index_table.empty()) {
        q.indexes.push_back(NormalizeRelation(e.relation));
      }
    }
    if (!s.index_table.empty()) q.relations.push_back(NormalizeRelation(s.index_table));
    switch (f.kind) {
      case StatementKind::kAlterColumnType:
        if (f.rewrite_uncertain) q.column_types.push_back(table + "." + f.column);
        break;
      case StatementKind::kSetNotNull:
        if (f.can_fail_on_rows) q.not_null.push_back(table + "|" + f.column);
        break;
      case StatementKind::kValidateConstraint:
      case StatementKind::kDropConstraint:
        q.constraints.push_back(table + "|" + f.constraint);
        break;
      default:
        break;
    }
  }
  std::sort(q.relations.begin(), q.relations.end());
  q.relations.erase(std::unique(q.relations.begin(), q.relations.end()), q.relations.end());
  return q;
}

namespace {

// `key` is `a`, then `sep`, then `b` (PriorSchema's key), without building it.
bool AnyJoined(const std::vector<std::string>& keys, std::string_view a, char sep,
               std::string_view b) {
  for (const std::string& k : keys) {
    if (k.size() == a.size() + 1 + b.size() && k[a.size()] == sep && k.starts_with(a) &&
        k.ends_with(b))
      return true;
  }
  return false;
}

}  // namespace

// Mirrors PriorFor and Answers, entry by entry (tests/schema and, in debug builds, every
// replay check that the two agree).
bool AnsweredBy(const Schema& before, const HistoryQuestions& q,
                const std::function<bool(SchemaStamp)>& in_range) {
  for (const std::string& name : q.relations) {
    if (!q.indexes.empty()) {
      if (const SchemaIndex* i = before.Index(name); i != nullptr && !i->table.empty()) {
        if (std::find(q.indexes.begin(), q.indexes.end(), i->name) != q.indexes.end()) return true;
      }
    }
    const SchemaTable* t = before.Table(name);
    if (t == nullptr) continue;
    if (t->created_by != kNoNode && in_range(t->created_by)) return true;  // new_tables
    if (t->unknown) continue;
    for (const SchemaColumn& c : t->columns) {
      if (c.dropped || c.unknown) continue;
      if (!c.type.empty() && AnyJoined(q.column_types, name, '.', c.name)) return true;
      if (c.not_null && AnyJoined(q.not_null, name, '|', c.name)) return true;
    }
    for (const SchemaConstraint& c : t->constraints) {
      if (c.dropped || c.name.empty()) continue;
      const bool fk = c.kind == ConstraintKind::kForeignKey && !c.references.empty();
      const bool check = c.kind == ConstraintKind::kCheck && !c.not_null_column.empty();
      if ((fk || check) && AnyJoined(q.constraints, name, '|', c.name)) return true;
      if (check && c.validated && AnyJoined(q.not_null, name, '|', c.not_null_column)) return true;
    }
  }
  return false;
}

bool Answers(const PriorSchema& p, const HistoryQuestions& q) {
  if (!p.new_tables.empty()) return true;
  for (const std::string& k : q.column_types) {
    if (p.column_types.count(k)) return true;
  }
  for (const std::string& k : q.not_null) {
    if (p.not_null.count(k) || p.proven_not_null.count(k)) return true;
  }
  for (const std::string& k : q.indexes) {
    if (p.index_tables.count(k)) return true;
  }
  for (const std::string& k : q.constraints) {
    if (p.foreign_keys.count(k) || p.not_null_checks.count(k)) return true;
  }
  return false;
}

namespace {

// The statements the model applies (Schema::Apply changes nothing for the others).
bool ChangesSchema(StatementKind k) {
  switch (k) {
    case StatementKind::kCreateTable:
    case StatementKind::kCreateTableAs:
    case StatementKind::kCreateIndex:
    case StatementKind::kCreateView:
    case StatementKind::kCreateMaterializedView:
    case StatementKind::kCreateSequence:
    case StatementKind::kCreateEnum:
    case StatementKind::kAlterTypeAddValue:
    case StatementKind::kAlterTypeRenameValue:
    case StatementKind::kDropTable:
    case StatementKind::kDropForeignTable:
    case StatementKind::kDropIndex:
    case StatementKind::kDropView:
    case StatementKind::kDropMaterializedView:
    case StatementKind::kDropSequence:
    case StatementKind::kDropType:
    case StatementKind::kRenameTable:
    case StatementKind::kRenameIndex:
    case StatementKind::kRenameView:
    case StatementKind::kRenameMaterializedView:
    case StatementKind::kRenameSequence:
      return true;
    default:
      return AltersTable(k);
  }
}

}  // namespace

SchemaInput SchemaInputOf(MigrationAnalysis&& a, const Migration& m) {
  SchemaInput in;
  const auto kept = [](const PlannedStatement& s) {
    return s.phase == Phase::kUpgrade && ChangesSchema(s.facts.kind);
  };
  // Sized exactly: the steps of every migration are held until the replay.
  in.steps.reserve(
      static_cast<size_t>(std::count_if(a.statements.begin(), a.statements.end(), kept)));
  for (PlannedStatement& s : a.statements) {
    if (!kept(s)) continue;
    // Only what Apply reads is kept: a long history holds every migration's steps at once.
    in.steps.push_back({SchemaChange::Of(std::move(s.facts)), s.anchor});
  }
  for (const SqlProblem& p : a.sql_errors) {
    if (p.phase != Phase::kUpgrade || p.driver) continue;
    in.unread.push_back({"", "SQL PostgreSQL cannot parse: " + p.message, kNoNode, p.at});
  }
  for (const DynamicSql& d : m.dynamic_sql) {
    if (d.phase != Phase::kUpgrade) continue;
    in.unread.push_back({"", "SQL built at run time (" + d.why + ")", kNoNode, d.span});
  }
  for (const OpCall* op : a.unmodelled_ops) {
    // Rows only: bulk_insert and op.execute() of a DML expression change no definition.
    if (op->phase != Phase::kUpgrade || op->name == "bulk_insert" || op->name == "execute")
      continue;
    // The table, when the call names it literally (batch ops carry theirs).
    std::string table = op->batch_table.value_or("");
    if (table.empty()) {
      if (const Expr* t = op->call.Keyword("table_name");
          t != nullptr && t->kind == Expr::Kind::kString) {
        table = t->text;
      }
    }
    in.unread.push_back({table, "op." + op->name + "() with arguments that are not literals",
                         kNoNode, op->name_span});
  }
  return in;
}

namespace {

// Walks `b` and `a` (two maps keyed by name, both sorted) side by side: `f(key, theirs, it)`
// for each entry of `b`, with `it` at the entry of `a` holding the same key or, when `a` has
// none, at the first entry past it (for emplace_hint; `a` may gain entries there, which
// leaves `it` valid). One string comparison per step instead of a search per key: branches
// share most of a long history's thousands of tables.
template <typename T, typename F>
void Matched(std::map<std::string, T, std::less<>>& a,
             const std::map<std::string, T, std::less<>>& b, F&& f) {
  auto it = a.begin();
  for (const auto& [key, theirs] : b) {
    int c = 1;
    while (it != a.end() && (c = it->first.compare(key)) < 0) ++it;
    f(key, theirs, it, it != a.end() && c == 0);
  }
}

// Joins two versions of one map of stamped objects (see Schema::Join).
template <typename T, typename Conflict>
void JoinMap(std::map<std::string, T, std::less<>>& a,
             const std::map<std::string, T, std::less<>>& b, const Schema::Sides& sides,
             Conflict&& conflict) {
  Matched(a, b, [&](const std::string& key, const T& theirs, auto it, bool found) {
    if (!found) {
      a.emplace_hint(it, key, theirs);  // only that branch knows it
      return;
    }
    T& ours = it->second;
    if (ours.stamp == theirs.stamp || sides.in_ours(theirs.stamp)) return;
    if (sides.in_theirs(ours.stamp)) {
      ours = theirs;
      return;
    }
    conflict(ours, theirs);
  });
}

void JoinColumns(SchemaTable& ours, const SchemaTable& theirs, const Schema::Sides& sides,
                 std::vector<std::string>* conflicts) {
  for (const SchemaColumn& c : theirs.columns) {
    SchemaColumn* mine = nullptr;
    for (SchemaColumn& m : ours.columns) {
      if (m.name == c.name && m.dropped == c.dropped) mine = &m;
    }
    if (mine == nullptr) {
      // Same name in another state (live here, dropped there): the newer one wins.
      for (SchemaColumn& m : ours.columns) {
        if (m.name == c.name) mine = &m;
      }
    }
    if (mine == nullptr) {
      ours.columns.push_back(c);
    } else if (mine->stamp == c.stamp || sides.in_ours(c.stamp)) {
    } else if (sides.in_theirs(mine->stamp)) {
      *mine = c;
    } else {
      mine->unknown = true;
      conflicts->push_back(ours.name + "." + c.name);
    }
  }
  for (const SchemaConstraint& c : theirs.constraints) {
    SchemaConstraint* mine = nullptr;
    for (SchemaConstraint& m : ours.constraints) {
      if (m.name == c.name) mine = &m;
    }
    if (mine == nullptr) {
      ours.constraints.push_back(c);
    } else if (mine->stamp == c.stamp || sides.in_ours(c.stamp)) {
    } else if (sides.in_theirs(mine->stamp)) {
      *mine = c;
    } else {
      ours.unknown = true;
      ours.unknown_reason = "constraint " + c.name + " changed differently on merged branches";
      conflicts->push_back(ours.name + "." + c.name);
    }
  }
}

}  // namespace

Schema Schema::Join(Schema a, const Schema& b, const Sides& sides, SchemaStamp node) {
  std::vector<std::string> conflicts;
  std::set<std::string> reindex;  // tables whose index lists must be rebuilt
  Matched(a.tables_, b.tables_,
          [&](const std::string& key, const auto& theirs, auto it, bool found) {
            if (!found) {
              a.tables_.emplace_hint(it, key, theirs);  // only that branch knows it
              return;
            }
            if (it->second == theirs) return;  // shared: neither branch changed it
            reindex.insert(key);
            const SchemaTable& mine = *it->second;
            if (mine.stamp == theirs->stamp && !mine.dropped && !theirs->dropped) {
              // The same table on both sides: its parts may have changed on either.
              SchemaTable& ours = *Own(it->second);
              JoinColumns(ours, *theirs, sides, &conflicts);
              ours.unknown = ours.unknown || theirs->unknown;
              if (ours.unknown_reason.empty()) ours.unknown_reason = theirs->unknown_reason;
              if (ours.partition_of != theirs->partition_of) {
                ours.unknown = true;
                conflicts.push_back(key);
              }
            } else if (mine.stamp == theirs->stamp || sides.in_ours(theirs->stamp)) {
            } else if (sides.in_theirs(mine.stamp)) {
              it->second = theirs;
            } else {
              SchemaTable& ours = *Own(it->second);
              ours.unknown = true;
              ours.unknown_reason = "created, renamed or dropped differently on merged branches";
              conflicts.push_back(key);
            }
          });
  Matched(a.indexes_, b.indexes_,
          [&](const std::string& key, const auto& theirs, auto it, bool found) {
            if (!found) {
              a.indexes_.emplace_hint(it, key, theirs);
              reindex.insert(theirs->table);
              return;
            }
            if (it->second == theirs) return;
            reindex.insert(theirs->table);
            reindex.insert(it->second->table);
            const SchemaStamp mine = it->second->stamp;
            if (mine == theirs->stamp || sides.in_ours(theirs->stamp)) return;
            if (sides.in_theirs(mine)) {
              it->second = theirs;
            } else {
              conflicts.push_back(key);
            }
          });
  // Each table's index list, from the joined indexes.
  if (!reindex.empty()) {
    // By table (hashed: every index of a long history is looked up), in index name order.
    std::unordered_map<std::string_view, std::vector<std::string>> lists;
    lists.reserve(reindex.size());
    for (const std::string& table : reindex) lists[table];
    for (const auto& [name, index] : a.indexes_) {
      if (index->dropped) continue;
      if (auto l = lists.find(index->table); l != lists.end()) l->second.push_back(name);
    }
    for (const std::string& table : reindex) {
      auto it = a.tables_.find(table);
      if (it == a.tables_.end() || it->second->dropped) continue;
      std::vector<std::string>& want = lists[table];
      if (it->second->indexes != want) Own(it->second)->indexes = std::move(want);
    }
  }
  JoinMap(a.objects_, b.objects_, sides, [&](SchemaObject& ours, const SchemaObject&) {
    ours.unknown = true;
    conflicts.push_back(ours.name);
  });
  // Unknowns found on the other branch that this one has not listed.
  std::set<std::tuple<std::string, std::string, FileId, uint32_t>> seen;
  for (const SchemaUnknown& u : a.unknowns_)
    seen.emplace(u.object, u.reason, u.at.file, u.at.begin);
  for (const SchemaUnknown& u : b.unknowns_) {
    if (seen.emplace(u.object, u.reason, u.at.file, u.at.begin).second) a.unknowns_.push_back(u);
  }
  for (const std::string& c : conflicts) {
    a.Unknown(c, "changed differently on the branches this merge joins", node, Span{});
  }
  return a;
}

std::vector<Schema> ReplaySchema(
    const RevisionGraph& graph, const std::vector<uint32_t>& targets,
    const std::function<SchemaInput(uint32_t node)>& input,
    const std::function<void(uint32_t, const Schema&, const SchemaInput&)>& before) {
  const std::vector<uint32_t> order = graph.ParentsFirst();
  const auto& nodes = graph.nodes();
  // How many later nodes still start from each node's schema (children and dependents).
  std::vector<uint32_t> waiting(nodes.size(), 0);
  std::vector<std::vector<uint32_t>> starts_from(nodes.size());
  for (uint32_t n : order) {
    std::set<uint32_t> from;
    for (uint32_t p : nodes[n].parents) from.insert(p);
    for (uint32_t p : nodes[n].deps) from.insert(p);
    for (uint32_t p : from) {
      if (p >= nodes.size() || nodes[p].shadowed) continue;
      starts_from[n].push_back(p);
      ++waiting[p];
    }
  }
  std::set<uint32_t> wanted(targets.begin(), targets.end());
  std::unordered_map<uint32_t, Schema> after;
  // The history (ancestors and itself) of a node, as a set over node indices.
  auto history_of = [&](uint32_t n) {
    std::vector<bool> set(nodes.size(), false);
    set[n] = true;
    for (uint32_t x : graph.Ancestors(n, /*include_dependencies=*/true)) set[x] = true;
    return set;
  };
  for (uint32_t n : order) {
    Schema s;
    bool first = true;
    // For a merge: the parents joined so far; their histories are computed only when a join
    // has an object to decide (two empty or shared schemas need none).
    std::vector<uint32_t> joined;
    std::vector<bool> ours, theirs;
    auto member = [](const std::vector<bool>& set, SchemaStamp x) {
      return x == kNoNode || (x < set.size() && set[x]);
    };
    for (uint32_t p : starts_from[n]) {
      auto it = after.find(p);
      if (it == after.end()) continue;  // a parent left out (on a cycle)
      const bool last_use = --waiting[p] == 0 && !wanted.count(p);
      if (first) {
        s = last_use ? std::move(it->second) : it->second;
        first = false;
      } else {
        theirs.clear();
        Schema::Sides sides{[&](SchemaStamp x) {
                              if (ours.empty()) {
                                ours.assign(nodes.size(), false);
                                for (uint32_t j : joined) {
                                  const std::vector<bool> h = history_of(j);
                                  for (size_t i = 0; i < h.size(); ++i) ours[i] = ours[i] || h[i];
                                }
                              }
                              return member(ours, x);
                            },
                            [&](SchemaStamp x) {
                              if (theirs.empty()) theirs = history_of(p);
                              return member(theirs, x);
                            }};
        s = Schema::Join(std::move(s), it->second, sides, n);
        if (!ours.empty()) {
          if (theirs.empty()) theirs = history_of(p);
          for (size_t i = 0; i < ours.size(); ++i) ours[i] = ours[i] || theirs[i];
        }
      }
      joined.push_back(p);
      if (last_use) after.erase(it);
    }
    SchemaInput in = input(n);
    if (in.opaque) {
      // Listed when it says something: a reason given, or a schema actually forgotten.
      const std::string why = !in.opaque_reason.empty() ? in.opaque_reason
                              : !s.empty()              ? std::string("it was not read")
                                                        : std::string();
      s.Forget({"",
                why.empty() ? why
                            : "the migration's statements are not known (" + why +
                                  "): what came before it is forgotten",
                n, Span{}});
    }
    if (before) before(n, s, in);
    for (SchemaUnknown& u : in.unread) {
      u.node = n;
      if (!u.object.empty()) {
        s.MarkUnknown(u.object, u.reason, n, u.at);
      } else {
        s.AddUnread(std::move(u));
      }
    }
    for (const SchemaStep& step : in.steps) s.Apply(step.change, step.at, n);
    if (waiting[n] > 0 || wanted.count(n)) after.emplace(n, std::move(s));
  }
  std::vector<Schema> out;
  for (uint32_t t : targets) {
    auto it = after.find(t);
    out.push_back(it != after.end() ? it->second : Schema{});
  }
  return out;
}

}  // namespace alint
