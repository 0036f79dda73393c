// The schema model: statements applied one by one (through the real SQL analysis), branches
// joined at a merge by which side changed an object since they forked, renames, cascades.
#include "lint/schema/schema_model.h"

#include <doctest/doctest.h>

namespace alint {
namespace {

// Applies every statement of `sql` as migration `node` would run it.
void Run(Schema& s, std::string_view sql, SchemaStamp node) {
  SqlAnalysis a = AnalyzeSql(sql);
  REQUIRE_MESSAGE(!a.error, std::string(sql));
  for (const StatementFacts& f : a.facts) s.Apply(f, Span{}, node);
}

const SchemaColumn& Col(const Schema& s, std::string_view table, std::string_view column) {
  const SchemaTable* t = s.Table(table);
  REQUIRE_MESSAGE(t != nullptr, std::string(table));
  const SchemaColumn* c = t->Column(column);
  REQUIRE_MESSAGE(c != nullptr, std::string(column));
  return *c;
}

// The branches of the merge tests: 0 <- 1 (left), 0 <- 2 (right).
const Schema::Sides kLeftRight{[](SchemaStamp x) { return x == kNoNode || x == 0 || x == 1; },
                               [](SchemaStamp x) { return x == kNoNode || x == 0 || x == 2; }};
const Schema::Sides kRightLeft{kLeftRight.in_theirs, kLeftRight.in_ours};

TEST_CASE("CREATE TABLE and ALTER TABLE build the columns, constraints and indexes") {
  Schema s;
  Run(s,
      "CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(255) NOT NULL UNIQUE, "
      "org_id int REFERENCES orgs (id), status text DEFAULT 'new', "
      "CHECK (email IS NOT NULL))",
      0);
  const SchemaTable* t = s.Table("public.users");
  REQUIRE(t != nullptr);
  CHECK(t->created_by == 0);
  CHECK(Col(s, "users", "id").type == "bigint");
  CHECK(Col(s, "users", "id").not_null);
  CHECK(Col(s, "users", "id").has_default);
  CHECK(Col(s, "users", "email").type == "character varying(255)");
  CHECK(Col(s, "users", "status").default_expr == "'new'");
  // PostgreSQL's names for constraints declared without one.
  CHECK(t->Constraint("users_pkey") != nullptr);
  CHECK(t->Constraint("users_email_key") != nullptr);
  REQUIRE(t->Constraint("users_org_id_fkey") != nullptr);
  CHECK(t->Constraint("users_org_id_fkey")->references == "orgs");
  CHECK(t->Constraint("users_email_check") != nullptr);

  Run(s,
      "ALTER TABLE users ALTER COLUMN email TYPE text, ALTER COLUMN status SET NOT NULL, "
      "ALTER COLUMN status SET DEFAULT now()",
      1);
  CHECK(Col(s, "users", "email").type == "text");
  CHECK(Col(s, "users", "status").not_null);
  CHECK(Col(s, "users", "status").default_expr == "now()");
  CHECK(Col(s, "users", "email").stamp == 1);
  CHECK(Col(s, "users", "id").stamp == 0);

  Run(s, "ALTER TABLE users ADD CONSTRAINT fk_org FOREIGN KEY (org_id) REFERENCES orgs NOT VALID",
      2);
  CHECK_FALSE(s.Table("users")->Constraint("fk_org")->validated);
  Run(s, "ALTER TABLE users VALIDATE CONSTRAINT fk_org", 3);
  CHECK(s.Table("users")->Constraint("fk_org")->validated);

  // An index without a name gets PostgreSQL's: table_columns_idx, numbered when taken.
  Run(s,
      "CREATE INDEX ON users (org_id, lower(email)); CREATE INDEX ON users (org_id, lower(email))",
      4);
  REQUIRE(s.Index("users_org_id_expr_idx") != nullptr);
  CHECK(s.Index("users_org_id_expr_idx1") != nullptr);
  CHECK(s.Index("users_org_id_expr_idx")->table == "users");

  // Dropping a column drops the constraints and indexes over it.
  Run(s, "ALTER TABLE users DROP COLUMN org_id", 5);
  CHECK(s.Table("users")->Column("org_id") == nullptr);
  CHECK(s.Table("users")->Constraint("fk_org") == nullptr);
  CHECK(s.Table("users")->Constraint("users_org_id_fkey") == nullptr);
  CHECK(s.Index("users_org_id_expr_idx") == nullptr);
  CHECK(s.unknowns().empty());
}

TEST_CASE("renames keep positions, constraint names and the references to the table") {
  Schema s;
  Run(s, "CREATE TABLE invoices (id int PRIMARY KEY, note text, total int)", 0);
  Run(s, "CREATE TABLE lines (id int, invoice_id int REFERENCES invoices)", 0);
  Run(s, "CREATE INDEX ix_invoices_total ON invoices (total)", 0);
  Run(s, "ALTER TABLE invoices RENAME COLUMN note TO notes", 1);
  Run(s, "ALTER TABLE invoices RENAME TO bills", 1);
  Run(s, "ALTER INDEX ix_invoices_total RENAME TO ix_bills_total", 1);
  CHECK(s.Table("invoices") == nullptr);
  const SchemaTable* t = s.Table("bills");
  REQUIRE(t != nullptr);
  CHECK(t->created_by == 0);  // renamed, not created: its rows are still there
  std::vector<std::string> names;
  for (const SchemaColumn& c : t->columns) {
    if (!c.dropped) names.push_back(c.name);
  }
  CHECK(names == std::vector<std::string>{"id", "notes", "total"});
  CHECK(t->Constraint("invoices_pkey") != nullptr);
  CHECK(s.Table("lines")->Constraint("lines_invoice_id_fkey")->references == "bills");
  REQUIRE(s.Index("ix_bills_total") != nullptr);
  CHECK(s.Index("ix_bills_total")->table == "bills");
  CHECK(s.Index("ix_invoices_total") == nullptr);
}

TEST_CASE("DROP TYPE ... CASCADE drops the columns of that type; DROP TABLE its indexes") {
  Schema s;
  Run(s, "CREATE TYPE mood AS ENUM ('ok', 'sad'); ALTER TYPE mood ADD VALUE 'glad'", 0);
  REQUIRE(s.Object("mood", SchemaObject::Kind::kEnum) != nullptr);
  CHECK(s.Object("mood", SchemaObject::Kind::kEnum)->items ==
        std::vector<std::string>{"ok", "sad", "glad"});
  Run(s, "CREATE TABLE people (id int, mood mood); CREATE INDEX ix_people_id ON people (id)", 0);
  Run(s, "DROP TYPE mood CASCADE", 1);
  CHECK(s.Object("mood", SchemaObject::Kind::kEnum) == nullptr);
  CHECK(s.Table("people")->Column("mood") == nullptr);
  Run(s, "DROP TABLE people", 2);
  CHECK(s.Table("people") == nullptr);
  CHECK(s.Index("ix_people_id") == nullptr);
}

TEST_CASE("what the model cannot know is unknown, never guessed") {
  Schema s;
  // A table the history never creates: kept as an unknown placeholder.
  Run(s, "ALTER TABLE legacy ADD COLUMN flag boolean NOT NULL DEFAULT false", 0);
  REQUIRE(s.Table("legacy") != nullptr);
  CHECK(s.Table("legacy")->unknown);
  CHECK(Col(s, "legacy", "flag").type == "boolean");
  REQUIRE(s.unknowns().size() == 1);
  CHECK(s.unknowns()[0].object == "legacy");
  // CREATE TABLE AS: columns from a query.
  Run(s, "CREATE TABLE snapshot AS SELECT * FROM legacy", 1);
  CHECK(s.Table("snapshot")->unknown);
  // A migration the model could not read: everything before it is forgotten.
  s.Forget({"", "not read", 2, Span{}});
  CHECK(s.Table("legacy") == nullptr);
  CHECK(s.Tables().empty());
}

TEST_CASE("a merge takes each object from the branch that changed it") {
  Schema base;
  Run(base, "CREATE TABLE t (a int, b int, c int, d int); CREATE INDEX ix_t_a ON t (a)", 0);
  Schema left = base, right = base;
  Run(left, "ALTER TABLE t ALTER COLUMN a TYPE bigint; ALTER TABLE t DROP COLUMN c", 1);
  Run(left, "CREATE TABLE only_left (x int); ALTER TABLE t ALTER COLUMN d TYPE text", 1);
  Run(right, "ALTER TABLE t ALTER COLUMN b TYPE bigint; DROP INDEX ix_t_a", 2);
  Run(right, "ALTER TABLE t ADD COLUMN e int; ALTER TABLE t ALTER COLUMN d TYPE numeric", 2);

  Schema merged = Schema::Join(left, right, kLeftRight, 3);
  CHECK(Col(merged, "t", "a").type == "bigint");     // left changed it
  CHECK(Col(merged, "t", "b").type == "bigint");     // right changed it
  CHECK(merged.Table("t")->Column("c") == nullptr);  // dropped on the left
  CHECK(Col(merged, "t", "e").type == "integer");    // added on the right
  CHECK(merged.Table("only_left") != nullptr);
  CHECK(merged.Index("ix_t_a") == nullptr);  // dropped on the right
  // Changed on both sides: unknown, and said so.
  CHECK(Col(merged, "t", "d").unknown);
  bool listed = false;
  for (const SchemaUnknown& u : merged.unknowns()) listed = listed || u.object == "t.d";
  CHECK(listed);
  // The same whichever parent comes first.
  Schema other = Schema::Join(right, left, kRightLeft, 3);
  CHECK(Col(other, "t", "a").type == "bigint");
  CHECK(Col(other, "t", "b").type == "bigint");
  CHECK(other.Table("t")->Column("c") == nullptr);
  CHECK(other.Index("ix_t_a") == nullptr);
  CHECK(Col(other, "t", "d").unknown);
}

TEST_CASE("PriorFor gives the SQL analysis what earlier migrations established") {
  Schema s;
  Run(s,
      "CREATE TABLE users (id int PRIMARY KEY, email text, name varchar(20) NOT NULL, "
      "org_id int CONSTRAINT users_org_fk REFERENCES orgs)",
      0);
  Run(s, "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID", 1);
  Run(s,
      "ALTER TABLE users VALIDATE CONSTRAINT email_nn; CREATE INDEX ix_users_name ON users (name)",
      2);
  SqlAnalysis next = AnalyzeSql(
      "ALTER TABLE users ALTER COLUMN name TYPE varchar(40); DROP INDEX ix_users_name; "
      "ALTER TABLE users DROP CONSTRAINT users_org_fk");
  MigrationAnalysis a;
  for (StatementFacts& f : next.facts) {
    PlannedStatement st;
    st.facts = std::move(f);
    st.phase = Phase::kUpgrade;
    a.statements.push_back(std::move(st));
  }
  // What the migration's findings would ask the history.
  HistoryQuestions q = QuestionsOf(a, /*range=*/false);
  CHECK(q.column_types == std::vector<std::string>{"users.name"});
  CHECK(q.indexes == std::vector<std::string>{"ix_users_name"});
  CHECK(q.constraints == std::vector<std::string>{"users|users_org_fk"});
  CHECK_FALSE(q.any_ddl);
  PriorSchema p = PriorFor(
      s, q, [](SchemaStamp n) { return "r" + std::to_string(n); },
      [](SchemaStamp n) { return n == 2; });
  CHECK(Answers(p, q));
  CHECK(p.column_types.at("users.name") == "character varying(20)");
  CHECK(p.not_null.count("users|name"));
  CHECK(p.proven_not_null.count("users|email"));
  CHECK(p.foreign_keys.at("users|users_org_fk") == "orgs");
  CHECK(p.index_tables.at("ix_users_name") == "users");
  CHECK(p.source.at("users.email") == "r0");
  CHECK(p.new_tables.empty());  // created by node 0, which is not in the range
  PriorSchema in_range = PriorFor(
      s, q, [](SchemaStamp) { return std::string(); }, [](SchemaStamp n) { return n == 0; });
  CHECK(in_range.new_tables.count("users"));
  auto never = [](SchemaStamp) { return false; };
  CHECK(AnsweredBy(s, q, never));
  CHECK(AnsweredBy(s, q, [](SchemaStamp n) { return n == 0; }));
  // Each kind of question alone, answered or not, agrees with building the prior.
  auto agree = [&](const HistoryQuestions& one) {
    const bool built = Answers(PriorFor(
                                   s, one, [](SchemaStamp) { return std::string(); }, never),
                               one);
    CHECK(AnsweredBy(s, one, never) == built);
    return built;
  };
  HistoryQuestions only;
  only.relations = {"users"};
  CHECK_FALSE(agree(only));
  only.column_types = {"users.name"};
  CHECK(agree(only));
  only.column_types = {"users.nope"};
  CHECK_FALSE(agree(only));
  only.column_types = {};
  only.not_null = {"users|name"};  // NOT NULL column
  CHECK(agree(only));
  only.not_null = {"users|email"};  // a validated CHECK (email IS NOT NULL)
  CHECK(agree(only));
  only.not_null = {"users|id2"};
  CHECK_FALSE(agree(only));
  only.not_null = {};
  only.constraints = {"users|users_org_fk"};
  CHECK(agree(only));
  only.constraints = {"users|email_nn"};
  CHECK(agree(only));
  only.constraints = {"users|nope"};
  CHECK_FALSE(agree(only));
  only.constraints = {};
  only.relations = {"users", "ix_users_name"};
  only.indexes = {"ix_users_name"};
  CHECK(agree(only));
  only.relations = {"users"};  // the index is not among the relations read
  CHECK_FALSE(agree(only));
  // A schema that knows nothing of these tables answers nothing: no second look needed.
  Schema empty;
  CHECK_FALSE(Answers(
      PriorFor(
          empty, q, [](SchemaStamp) { return std::string(); }, [](SchemaStamp) { return false; }),
      q));
}

}  // namespace
}  // namespace alint
