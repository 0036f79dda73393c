#pragma once
/// The schema model: what the database looks like after a migration, replayed statically from
/// the history. Each migration's upgrade() statements (op.* calls through the op model, SQL
/// strings through libpg_query) are applied in the order `alembic upgrade` runs them, from the
/// bases to the migration. Nothing is imported or executed.
///
/// The model never guesses: a statement it cannot read (dynamic SQL, an op whose arguments are
/// not literals, SQL PostgreSQL rejects) marks what it touches as unknown, or, when even that
/// is not known, is listed among the unread statements. Branches are replayed separately and
/// joined at their merge point: an object changed on one side only takes that side's
/// definition; one changed differently on both sides becomes unknown.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lint/analysis/migration_analysis.h"
#include "lint/core/source.h"
#include "lint/graph/revision_graph.h"
#include "lint/sql/sql_facts.h"

namespace alint {

/// Which migration last changed an object: a graph node index (kNoNode: none).
using SchemaStamp = uint32_t;

struct SchemaColumn {
  std::string name;
  std::string type;  ///< as PostgreSQL prints it; "" when unknown
  bool not_null = false;
  bool has_default = false;
  std::string default_expr;  ///< "now()", "'draft'::text", "(expression)"; "" without default
  bool unknown = false;      ///< changed by a statement the model could not read
  bool dropped = false;      ///< a tombstone, kept so a merge can tell "dropped" from "never seen"
  SchemaStamp stamp = kNoNode;
};

struct SchemaConstraint {
  std::string name;  ///< PostgreSQL's default name when the statement gave none
  ConstraintKind kind = ConstraintKind::kOther;
  std::vector<std::string> columns;
  std::string references;       ///< FOREIGN KEY: the referenced table (normalised)
  std::string not_null_column;  ///< CHECK (col IS NOT NULL): col
  bool validated = true;        ///< false while NOT VALID
  bool dropped = false;
  SchemaStamp stamp = kNoNode;
};

struct SchemaTable {
  std::string name;                           ///< NormalizeRelation form ("users", "audit.events")
  std::vector<SchemaColumn> columns;          ///< in creation order (tombstones included)
  std::vector<SchemaConstraint> constraints;  ///< (tombstones included)
  std::string partition_of;                   ///< the parent when it is a partition
  bool partitioned = false;                   ///< PARTITION BY
  /// Columns or constraints may be missing or wrong (CREATE TABLE AS, an unread change).
  bool unknown = false;
  std::string unknown_reason;
  SchemaStamp created_by = kNoNode;  ///< the migration that created it (a rename keeps it)
  bool dropped = false;
  SchemaStamp stamp = kNoNode;       ///< created, renamed or dropped
  std::vector<std::string> indexes;  ///< names of its live indexes (Schema keeps them)

  const SchemaColumn* Column(std::string_view name) const;
  const SchemaConstraint* Constraint(std::string_view name) const;
};

struct SchemaIndex {
  std::string name;   ///< normalised
  std::string table;  ///< normalised; "" when unknown
  bool unique = false;
  std::vector<std::string> columns;  ///< columns or "(expression)"
  bool dropped = false;
  SchemaStamp stamp = kNoNode;
};

/// A sequence, view, materialized view or enum type.
struct SchemaObject {
  enum class Kind : uint8_t { kSequence, kView, kMaterializedView, kEnum };
  Kind kind = Kind::kSequence;
  std::string name;                ///< normalised
  std::vector<std::string> items;  ///< kEnum: the labels in order
  bool unknown = false;            ///< kEnum: a label was renamed or added out of order
  bool dropped = false;
  SchemaStamp stamp = kNoNode;
};

/// Something the model could not follow, and where.
struct SchemaUnknown {
  std::string object;  ///< the object it concerns ("users", "users.email"); "" when unknown
  std::string reason;
  SchemaStamp node = kNoNode;
  Span at;

  friend bool operator==(const SchemaUnknown&, const SchemaUnknown&) = default;
};

/// One migration's input to the replay: its upgrade() statements in execution order, and what
/// it runs that the model cannot read. Built by SchemaInputOf.
/// One statement as the model applies it: the parts of its StatementFacts Schema::Apply
/// reads (a long history keeps every migration's steps until the replay).
struct SchemaChange {
  struct Effect {
    std::string relation;
    RelationKind kind = RelationKind::kTable;
    bool created = false;

    friend bool operator==(const Effect&, const Effect&) = default;
  };
  StatementKind kind = StatementKind::kOther;
  bool if_exists = false;
  bool cascade = false;
  std::string table, column, constraint, new_type, new_name, type_name;
  std::vector<Effect> effects;
  Boxed<ObjectDetail> detail;

  static SchemaChange Of(StatementFacts&& f);

  friend bool operator==(const SchemaChange&, const SchemaChange&) = default;
};
struct SchemaStep {
  SchemaChange change;
  Span at;

  friend bool operator==(const SchemaStep&, const SchemaStep&) = default;
};
struct SchemaInput {
  /// The migration's statements are not known (its body was not read, or does not parse):
  /// everything the model knew before it may have changed, so the replay starts over there.
  bool opaque = false;
  /// Why, when it is worth saying ("it does not parse"); "" for a migration only read for its
  /// header on purpose (PR mode's unchanged files), which is not listed.
  std::string opaque_reason;
  std::vector<SchemaStep> steps;
  std::vector<SchemaUnknown> unread;  ///< `node` is filled in by the replay

  friend bool operator==(const SchemaInput&, const SchemaInput&) = default;
};

/// What a migration's findings would learn from the history: the keys (PriorSchema's) its
/// upgrade asks about. A migration whose questions the replayed schema cannot answer is
/// judged exactly as without history, so only the others are linted again.
struct HistoryQuestions {
  std::vector<std::string> column_types;  ///< "table.column": a type change of unknown origin
  std::vector<std::string> not_null;      ///< "table|column": SET NOT NULL that would scan
  std::vector<std::string> indexes;       ///< an index whose table the statement does not name
  std::vector<std::string> constraints;   ///< "table|constraint": validated or dropped
  bool any_ddl = false;                   ///< touches a relation it did not create (range mode)
  /// Every table its upgrade touches that it did not create, and every index it names.
  std::vector<std::string> relations;
  bool empty() const {
    return column_types.empty() && not_null.empty() && indexes.empty() && constraints.empty() &&
           !any_ddl;
  }
};

/// The questions of an analysed migration's upgrade (`range`: tables earlier checked
/// migrations create count as new, so any DDL asks).
HistoryQuestions QuestionsOf(const MigrationAnalysis& a, bool range);
/// Whether `prior` answers any of `q`.
bool Answers(const PriorSchema& prior, const HistoryQuestions& q);

/// Takes the upgrade() statements out of `a` (its facts are moved from) and lists what the
/// model cannot read: unparsable SQL, dynamic SQL, op calls with non-literal arguments.
SchemaInput SchemaInputOf(MigrationAnalysis&& a, const Migration& m);

class Schema {
 public:
  /// Applies one statement that `node` runs.
  void Apply(const SchemaChange& f, const Span& at, SchemaStamp node);
  void Apply(const StatementFacts& f, const Span& at, SchemaStamp node) {
    Apply(SchemaChange::Of(StatementFacts(f)), at, node);
  }
  /// Marks `table` (normalised or not) unknown for `reason`.
  void MarkUnknown(std::string_view table, const std::string& reason, SchemaStamp node,
                   const Span& at);
  void AddUnread(SchemaUnknown u) { unknowns_.push_back(std::move(u)); }
  /// Forgets every object (a migration whose statements are unknown ran), keeping the
  /// unknowns list; `u` says why (not listed when its reason is empty).
  void Forget(SchemaUnknown u);
  bool empty() const { return tables_.empty() && indexes_.empty() && objects_.empty(); }

  /// Whether a migration is in the history of each side of a join (an ancestor of, or, the
  /// revision that side ends at; kNoNode, "before the history", is in both).
  struct Sides {
    std::function<bool(SchemaStamp)> in_ours, in_theirs;
  };
  /// The schema where the branches `a` and `b` meet (a merge revision's starting point): an
  /// object whose last change on one side is in the other side's history takes that other
  /// side's version (it already includes the change); changed on both: unknown.
  static Schema Join(Schema a, const Schema& b, const Sides& sides, SchemaStamp node);

  const SchemaTable* Table(std::string_view name) const;
  const SchemaIndex* Index(std::string_view name) const;
  const SchemaObject* Object(std::string_view name, SchemaObject::Kind kind) const;
  /// The live tables and indexes, by name.
  std::vector<const SchemaTable*> Tables() const;
  std::vector<const SchemaIndex*> Indexes() const;
  const std::map<std::string, SchemaObject, std::less<>>& objects() const { return objects_; }
  /// Unknowns, in the order they arose (the unread statements of every migration replayed,
  /// tables changed by unread statements, references to tables the history never creates).
  const std::vector<SchemaUnknown>& unknowns() const { return unknowns_; }

 private:
  SchemaTable* LiveTable(std::string_view name);
  SchemaTable& NewTable(const std::string& name, SchemaStamp node);
  void Referenced(std::string_view table, SchemaStamp node, const Span& at);
  void DropTable(const std::string& name, SchemaStamp node);
  void DropObject(const std::string& key, SchemaStamp node);
  void AddConstraint(SchemaTable& t, const ConstraintSpec& c, SchemaStamp node);
  void Unknown(std::string object, std::string reason, SchemaStamp node, const Span& at);

  SchemaIndex* LiveIndex(std::string_view name);
  void DropIndex(const std::string& name, SchemaStamp node);
  void AddIndex(SchemaIndex index);

  // Copy-on-write: a copy of the schema (a branch point) shares every table and index until
  // one side changes it, so forks are cheap and a merge skips what neither side touched.
  std::map<std::string, std::shared_ptr<SchemaTable>, std::less<>> tables_;
  std::map<std::string, std::shared_ptr<SchemaIndex>, std::less<>> indexes_;
  /// Keyed "<kind>:<name>" ("sequence:order_seq", "enum:status").
  std::map<std::string, SchemaObject, std::less<>> objects_;
  std::vector<SchemaUnknown> unknowns_;
};

/// What `before` (the schema a migration starts from) knows about the tables and indexes the
/// migration touches (`questions.relations`), as the SQL analysis takes it
/// (AnalysisOptions::prior). `revision_of` names a stamp's migration (for notes); `in_range(stamp)`
/// says whether that migration is part of the change being checked (its tables are new).
PriorSchema PriorFor(const Schema& before, const HistoryQuestions& questions,
                     const std::function<std::string(SchemaStamp)>& revision_of,
                     const std::function<bool(SchemaStamp)>& in_range);
/// Answers(PriorFor(before, q, ..., in_range), q) without building the PriorSchema: most
/// migrations that ask are answered nothing, and the replay asks before each of them.
bool AnsweredBy(const Schema& before, const HistoryQuestions& q,
                const std::function<bool(SchemaStamp)>& in_range);

/// The schema after each of `targets` (graph nodes), replayed from the bases. `input(node)`
/// gives a node's statements; it is called once per node, in an order `alembic upgrade` can
/// run them. `before(node, schema, input)`, when set, sees the schema each node starts from
/// and its input.
std::vector<Schema> ReplaySchema(
    const RevisionGraph& graph, const std::vector<uint32_t>& targets,
    const std::function<SchemaInput(uint32_t node)>& input,
    const std::function<void(uint32_t node, const Schema& before, const SchemaInput& input)>&
        before = nullptr);

}  // namespace alint
