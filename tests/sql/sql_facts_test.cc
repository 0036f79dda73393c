#include "lint/sql/sql_facts.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lint/sql/sql_text.h"

namespace alint {
namespace {

StatementFacts One(std::string_view sql, int pg = 15, const ColumnTypes* types = nullptr) {
  SqlOptions options;
  options.pg_version = pg;
  options.column_types = types;
  SqlAnalysis a = AnalyzeSql(sql, options);
  REQUIRE_FALSE(a.error.has_value());
  REQUIRE(a.facts.size() == 1);
  return a.facts[0];
}

LockMode LockOn(const StatementFacts& f, std::string_view relation) {
  const RelationEffect* e = f.Effect(relation);
  REQUIRE_MESSAGE(e != nullptr, "no effect on " << relation << " in " << f.summary);
  return e->lock;
}

TEST_CASE("lock mode names, parsing and the conflict table") {
  CHECK(LockModeName(LockMode::kAccessExclusive) == "ACCESS EXCLUSIVE");
  CHECK(LockModePgName(LockMode::kShareUpdateExclusive) == "ShareUpdateExclusiveLock");
  CHECK(ParseLockMode("share row exclusive") == LockMode::kShareRowExclusive);
  CHECK(ParseLockMode("RowShareLock") == LockMode::kRowShare);
  CHECK_FALSE(ParseLockMode("bogus").has_value());
  CHECK(BlockedOperations(LockMode::kAccessExclusive) == "reads and writes");
  CHECK(LocksConflict(LockMode::kAccessShare, LockMode::kAccessExclusive));
  CHECK_FALSE(LocksConflict(LockMode::kAccessShare, LockMode::kExclusive));
  CHECK(LocksConflict(LockMode::kShare, LockMode::kRowExclusive));
  CHECK_FALSE(LocksConflict(LockMode::kShare, LockMode::kShare));
  CHECK(LocksConflict(LockMode::kShareUpdateExclusive, LockMode::kShareUpdateExclusive));
  CHECK_FALSE(LocksConflict(LockMode::kRowExclusive, LockMode::kRowExclusive));
  // The table is symmetric.
  for (int a = 0; a <= 8; ++a) {
    for (int b = 0; b <= 8; ++b) {
      CHECK(LocksConflict(static_cast<LockMode>(a), static_cast<LockMode>(b)) ==
            LocksConflict(static_cast<LockMode>(b), static_cast<LockMode>(a)));
    }
  }
}

TEST_CASE("placeholders are neutralized without moving offsets") {
  const std::string sql =
      "UPDATE t SET a = %s, b = %(name)s WHERE c = :cid AND d::int = 1 "
      "AND e = '%s :x' AND f % 2 = 0 AND g %% 3 = 1";
  const std::string out = sql_text::NeutralizePlaceholders(sql);
  REQUIRE(out.size() == sql.size());
  CHECK(out.find("%s") == out.find("'%s") + 1);  // only the one inside the literal is left
  CHECK(out.find("$1      ") != std::string::npos);
  CHECK(out.find("d::int") != std::string::npos);
  CHECK(out.find("'%s :x'") != std::string::npos);
  SqlAnalysis a = AnalyzeSql(sql);
  REQUIRE_FALSE(a.error.has_value());
  REQUIRE(a.facts.size() == 1);
  CHECK(a.facts[0].kind == StatementKind::kUpdate);
  CHECK_FALSE(a.facts[0].data_loss);
  // Dollar-quoted bodies are left alone.
  const std::string body = "CREATE FUNCTION f() RETURNS int AS $$ SELECT :x $$ LANGUAGE sql";
  CHECK(sql_text::NeutralizePlaceholders(body) == body);
}

TEST_CASE("statement ranges and subcommand anchors point into the original text") {
  const std::string sql =
      "-- lead comment\nSET lock_timeout = '2s';\n  ALTER TABLE ONLY public.users\n"
      "    ADD COLUMN email text,\n    ALTER COLUMN name SET NOT NULL;";
  SqlAnalysis a = AnalyzeSql(sql);
  REQUIRE(a.facts.size() == 3);
  CHECK(sql.substr(a.facts[0].begin, a.facts[0].end - a.facts[0].begin) ==
        "SET lock_timeout = '2s'");
  CHECK(a.facts[0].sets_lock_timeout == "2s");
  const StatementFacts& add = a.facts[1];
  const StatementFacts& nn = a.facts[2];
  CHECK(add.begin == nn.begin);
  CHECK(sql.substr(add.begin, 11) == "ALTER TABLE");
  CHECK(sql.substr(add.anchor, add.anchor_end - add.anchor) == "ADD COLUMN email text");
  CHECK(sql.substr(nn.anchor, nn.anchor_end - nn.anchor) == "ALTER COLUMN name SET NOT NULL");
  CHECK(sql[nn.end - 1] == 'L');
  CHECK(add.kind == StatementKind::kAddColumn);
  CHECK(nn.kind == StatementKind::kSetNotNull);
  CHECK(nn.Effect("public.users")->scan);
  CHECK(nn.can_fail_on_rows);
}

TEST_CASE("parse errors carry PostgreSQL's message and a byte offset") {
  const std::string sql = "SELECT 'é'; ALTER TABLE users ADD COLUMN";
  SqlAnalysis a = AnalyzeSql(sql);
  REQUIRE(a.error.has_value());
  CHECK(a.facts.empty());
  CHECK(a.error->message.find("syntax error") != std::string::npos);
  CHECK(a.error->offset == sql.size());  // "at end of input"
  const std::string bad = "SELECT 'é' FROMM t";
  SqlAnalysis b = AnalyzeSql(bad);
  REQUIRE(b.error.has_value());
  CHECK(b.error->offset == bad.size() - 1);  // at "t": bytes, though é is one character
}

TEST_CASE("ADD COLUMN: constant, stable and volatile defaults") {
  auto add = [](std::string_view def, int pg = 15) {
    return One("ALTER TABLE t ADD COLUMN c timestamptz " + std::string(def), pg);
  };
  CHECK_FALSE(add("").Effect("t")->rewrite);
  CHECK_FALSE(add("").can_fail_on_rows);
  CHECK(add("NOT NULL").can_fail_on_rows);
  CHECK_FALSE(add("NOT NULL DEFAULT now()").can_fail_on_rows);
  CHECK_FALSE(add("NOT NULL DEFAULT now()").Effect("t")->rewrite);
  CHECK_FALSE(add("DEFAULT CURRENT_TIMESTAMP").Effect("t")->rewrite);
  CHECK_FALSE(add("DEFAULT '2020-01-01'::timestamptz").Effect("t")->rewrite);
  CHECK(add("DEFAULT clock_timestamp()").Effect("t")->rewrite);
  CHECK_FALSE(add("DEFAULT clock_timestamp()").rewrite_uncertain);
  CHECK(add("DEFAULT my_func()").Effect("t")->rewrite);
  CHECK(add("DEFAULT my_func()").rewrite_uncertain);
  CHECK(add("DEFAULT now()", 10).Effect("t")->rewrite);
  CHECK_FALSE(add("DEFAULT NULL", 10).Effect("t")->rewrite);
  CHECK(One("ALTER TABLE t ADD COLUMN id bigserial").Effect("t")->rewrite);
  CHECK(One("ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid()").Effect("t")->rewrite);
  CHECK(One("ALTER TABLE t ADD COLUMN i int GENERATED ALWAYS AS IDENTITY").Effect("t")->rewrite);
  CHECK(One("ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a * 2) STORED")
            .Effect("t")
            ->rewrite);
  StatementFacts fk = One("ALTER TABLE t ADD COLUMN o int REFERENCES orgs (id)");
  CHECK(LockOn(fk, "orgs") == LockMode::kShareRowExclusive);
  CHECK(LockOn(fk, "t") == LockMode::kAccessExclusive);
}

TEST_CASE("ALTER COLUMN TYPE: binary-coercible changes do not rewrite") {
  ColumnTypes types = {{"t.v", "character varying(20)"},
                       {"t.n", "numeric(10,2)"},
                       {"t.s", "text"},
                       {"t.i", "integer"},
                       {"t.ts", "timestamp(3) without time zone"}};
  auto change = [&](std::string col, std::string type) {
    return One("ALTER TABLE t ALTER COLUMN " + col + " TYPE " + type, 15, &types);
  };
  CHECK_FALSE(change("v", "varchar(40)").Effect("t")->rewrite);
  CHECK_FALSE(change("v", "varchar").Effect("t")->rewrite);
  CHECK_FALSE(change("v", "text").Effect("t")->rewrite);
  CHECK_FALSE(change("v", "text").can_fail_on_rows);
  StatementFacts narrow = change("v", "varchar(10)");
  CHECK(narrow.Effect("t")->rewrite);
  CHECK(narrow.can_fail_on_rows);
  CHECK_FALSE(change("n", "numeric(12,2)").Effect("t")->rewrite);
  CHECK_FALSE(change("n", "numeric").Effect("t")->rewrite);
  CHECK(change("n", "numeric(12,3)").Effect("t")->rewrite);
  CHECK(change("n", "numeric(12,1)").data_loss);
  CHECK(change("n", "integer").data_loss);
  StatementFacts to_int = change("s", "integer USING s::integer");
  CHECK(to_int.Effect("t")->rewrite);
  CHECK(to_int.can_fail_on_rows);
  CHECK(change("s", "varchar(5)").can_fail_on_rows);
  CHECK(change("i", "bigint").Effect("t")->rewrite);
  CHECK_FALSE(change("i", "bigint").can_fail_on_rows);
  CHECK(change("i", "smallint").can_fail_on_rows);
  CHECK_FALSE(change("ts", "timestamp(6)").Effect("t")->rewrite);
  CHECK(change("ts", "timestamp(0)").data_loss);
  // Unknown current type: assume the worst, say so.
  StatementFacts unknown = change("x", "bigint");
  CHECK(unknown.Effect("t")->rewrite);
  CHECK(unknown.rewrite_uncertain);
  // A USING expression that computes something always rewrites.
  CHECK(change("v", "text USING lower(v)").Effect("t")->rewrite);
}

TEST_CASE("SET NOT NULL skips its scan after a validated CHECK (col IS NOT NULL) on 12+") {
  const std::string sql =
      "ALTER TABLE t ADD CONSTRAINT c_nn CHECK (c IS NOT NULL) NOT VALID;"
      "ALTER TABLE t VALIDATE CONSTRAINT c_nn;"
      "ALTER TABLE t ALTER COLUMN c SET NOT NULL;"
      "ALTER TABLE t ALTER COLUMN d SET NOT NULL;";
  SqlAnalysis a = AnalyzeSql(sql);
  REQUIRE(a.facts.size() == 4);
  CHECK(a.facts[0].not_valid);
  CHECK_FALSE(a.facts[0].Effect("t")->scan);
  CHECK(a.facts[0].StrongestLock() == LockMode::kAccessExclusive);
  CHECK(a.facts[1].kind == StatementKind::kValidateConstraint);
  CHECK(LockOn(a.facts[1], "t") == LockMode::kShareUpdateExclusive);
  CHECK(a.facts[1].Effect("t")->scan);
  CHECK_FALSE(a.facts[2].Effect("t")->scan);
  CHECK_FALSE(a.facts[2].can_fail_on_rows);
  CHECK(a.facts[3].Effect("t")->scan);
  SqlOptions eleven;
  eleven.pg_version = 11;
  CHECK(AnalyzeSql(sql, eleven).facts[2].Effect("t")->scan);
  // Not validated: the scan stays.
  SqlAnalysis b = AnalyzeSql(
      "ALTER TABLE t ADD CONSTRAINT c_nn CHECK (c IS NOT NULL) NOT VALID;"
      "ALTER TABLE t ALTER COLUMN c SET NOT NULL;");
  CHECK(b.facts[1].Effect("t")->scan);
}

TEST_CASE("foreign keys lock both tables; NOT VALID skips the scan; VALIDATE is lighter") {
  StatementFacts fk = One("ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id)");
  CHECK(LockOn(fk, "a") == LockMode::kShareRowExclusive);
  CHECK(LockOn(fk, "b") == LockMode::kShareRowExclusive);
  CHECK(fk.Effect("a")->scan);
  CHECK(fk.can_fail_on_rows);
  CHECK(fk.KindName() == "alter_table.add_constraint.foreign_key");
  SqlAnalysis two = AnalyzeSql(
      "ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id) NOT VALID;"
      "ALTER TABLE a VALIDATE CONSTRAINT a_b;");
  REQUIRE(two.facts.size() == 2);
  CHECK(two.facts[0].not_valid);
  CHECK_FALSE(two.facts[0].can_fail_on_rows);
  CHECK(LockOn(two.facts[1], "a") == LockMode::kShareUpdateExclusive);
  CHECK(LockOn(two.facts[1], "b") == LockMode::kRowShare);
}

TEST_CASE("indexes") {
  StatementFacts plain = One("CREATE INDEX ix ON public.t (a)");
  CHECK(LockOn(plain, "public.t") == LockMode::kShare);
  CHECK(plain.Effect("public.ix")->created);
  CHECK_FALSE(plain.no_transaction);
  StatementFacts conc = One("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON t (a)");
  CHECK(LockOn(conc, "t") == LockMode::kShareUpdateExclusive);
  CHECK(conc.concurrently);
  CHECK(conc.no_transaction);
  CHECK(conc.can_fail_on_rows);
  CHECK(conc.if_exists);
  StatementFacts drop = One("DROP INDEX ix");
  CHECK(drop.Effect("ix")->kind == RelationKind::kIndex);
  CHECK(drop.Effect("ix")->table_lock == LockMode::kAccessExclusive);
  StatementFacts drop_c = One("DROP INDEX CONCURRENTLY IF EXISTS ix");
  CHECK(drop_c.Effect("ix")->table_lock == LockMode::kShareUpdateExclusive);
  CHECK(drop_c.no_transaction);
  StatementFacts reindex = One("REINDEX INDEX CONCURRENTLY ix");
  CHECK(reindex.no_transaction);
  CHECK(reindex.requires_pg == 12);
  CHECK(One("REINDEX TABLE t").Effect("t")->lock == LockMode::kShare);
  CHECK(One("REINDEX SCHEMA public").no_transaction);
  CHECK(One("ALTER INDEX ix RENAME TO ix2", 11).Effect("ix")->lock == LockMode::kAccessExclusive);
  CHECK(One("ALTER INDEX ix RENAME TO ix2", 12).Effect("ix")->lock ==
        LockMode::kShareUpdateExclusive);
}

TEST_CASE("data loss") {
  CHECK(One("DROP TABLE IF EXISTS a").data_loss);
  CHECK(One("ALTER TABLE a DROP COLUMN b").data_loss);
  CHECK(One("TRUNCATE a").data_loss);
  CHECK(One("DELETE FROM a").data_loss);
  CHECK_FALSE(One("DELETE FROM a WHERE id = 1").data_loss);
  CHECK(One("UPDATE a SET b = 1").data_loss);
  CHECK_FALSE(One("UPDATE a SET b = 1 WHERE b IS NULL").data_loss);
  CHECK(One("DROP SCHEMA s CASCADE").data_loss);
  CHECK_FALSE(One("DROP SCHEMA s").data_loss);
  CHECK(One("DROP DATABASE d").no_transaction);
  CHECK_FALSE(One("DROP INDEX ix").data_loss);
  CHECK(One("DROP TYPE mood CASCADE").data_loss);
}

TEST_CASE("DML, TRUNCATE, LOCK and maintenance commands") {
  StatementFacts ins = One("INSERT INTO a (x) SELECT y FROM b JOIN c ON true");
  CHECK(LockOn(ins, "a") == LockMode::kRowExclusive);
  CHECK(LockOn(ins, "b") == LockMode::kAccessShare);
  CHECK(LockOn(ins, "c") == LockMode::kAccessShare);
  StatementFacts tr = One("TRUNCATE a, b CASCADE");
  CHECK(LockOn(tr, "b") == LockMode::kAccessExclusive);
  CHECK(One("LOCK TABLE a IN SHARE MODE").Effect("a")->lock == LockMode::kShare);
  CHECK(One("LOCK a").Effect("a")->lock == LockMode::kAccessExclusive);
  StatementFacts vf = One("VACUUM FULL a");
  CHECK(vf.kind == StatementKind::kVacuumFull);
  CHECK(vf.Effect("a")->rewrite);
  CHECK(vf.no_transaction);
  CHECK(One("VACUUM (ANALYZE) a").Effect("a")->lock == LockMode::kShareUpdateExclusive);
  CHECK_FALSE(One("ANALYZE a").no_transaction);
  CHECK(One("CLUSTER a USING ix").Effect("a")->rewrite);
  CHECK(One("CLUSTER").no_transaction);
  StatementFacts refresh = One("REFRESH MATERIALIZED VIEW CONCURRENTLY mv");
  CHECK(refresh.concurrently);
  CHECK(LockOn(refresh, "mv") == LockMode::kExclusive);
  CHECK(LockOn(One("REFRESH MATERIALIZED VIEW mv"), "mv") == LockMode::kAccessExclusive);
  CHECK(LockOn(One("SELECT * FROM a FOR UPDATE"), "a") == LockMode::kRowShare);
  StatementFacts with = One("WITH x AS (SELECT 1) SELECT * FROM x, a");
  CHECK(with.Effect("x") == nullptr);
  CHECK(with.Effect("a") != nullptr);
}

TEST_CASE("partitions, enums, renames, SET") {
  StatementFacts attach = One("ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1, 2)");
  CHECK(LockOn(attach, "p") == LockMode::kShareUpdateExclusive);
  CHECK(LockOn(attach, "p1") == LockMode::kAccessExclusive);
  CHECK(LockOn(One("ALTER TABLE p ATTACH PARTITION p1 DEFAULT", 11), "p") ==
        LockMode::kAccessExclusive);
  StatementFacts detach = One("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY");
  CHECK(detach.concurrently);
  CHECK(detach.no_transaction);
  CHECK(detach.requires_pg == 14);
  CHECK(LockOn(detach, "p") == LockMode::kShareUpdateExclusive);
  CHECK(One("ALTER TYPE mood ADD VALUE 'meh'", 11).no_transaction);
  CHECK_FALSE(One("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh'", 12).no_transaction);
  CHECK(One("ALTER TABLE a RENAME TO b").kind == StatementKind::kRenameTable);
  StatementFacts col = One("ALTER TABLE a RENAME COLUMN x TO y");
  CHECK(col.kind == StatementKind::kRenameColumn);
  CHECK(col.column == "x");
  CHECK(col.new_name == "y");
  StatementFacts set = One("SET LOCAL statement_timeout = 0");
  CHECK(set.set_local);
  CHECK(set.sets_statement_timeout == "0");
  CHECK(One("SET lock_timeout TO 5000").sets_lock_timeout == "5000");
  CHECK(One("RESET lock_timeout").sets_lock_timeout == "DEFAULT");
  CHECK(One("CREATE TABLE x (id int PRIMARY KEY, o int REFERENCES orgs)").Effect("orgs")->lock ==
        LockMode::kShareRowExclusive);
  CHECK(One("CREATE TABLE x (id int PRIMARY KEY)").Effect("x")->created);
}

}  // namespace
}  // namespace alint

namespace alint {
namespace {

std::vector<std::string> KindNames(std::string_view sql) {
  SqlAnalysis a = AnalyzeSql(sql);
  REQUIRE_FALSE(a.error.has_value());
  std::vector<std::string> out;
  for (const StatementFacts& f : a.facts) out.push_back(f.KindName());
  return out;
}

TEST_CASE("kind names: the typed kinds print the stable names, the rest keep theirs") {
  CHECK(KindNames("CREATE INDEX ix ON t (a); DROP INDEX ix; DROP TABLE a, b; DROP FUNCTION f()") ==
        std::vector<std::string>{"create_index", "drop_index", "drop_table", "drop_function"});
  CHECK(KindNames("ALTER TABLE t ADD CONSTRAINT c EXCLUDE USING gist (a WITH &&), "
                  "ADD CONSTRAINT k CHECK (a > 0), ALTER a SET STATISTICS 100") ==
        std::vector<std::string>{"alter_table.add_constraint.exclude",
                                 "alter_table.add_constraint.check", "alter_table.set_statistics"});
  // The same subcommands of ALTER INDEX / FOREIGN TABLE are kOther under their own prefix.
  CHECK(
      KindNames("ALTER INDEX ix SET (fillfactor = 50); ALTER FOREIGN TABLE ft ADD COLUMN c int") ==
      std::vector<std::string>{"alter_index.set_options", "alter_foreign_table.add_column"});
  CHECK(KindNames("BEGIN; SAVEPOINT s; ROLLBACK TO s; COMMIT; GRANT SELECT ON t TO r") ==
        std::vector<std::string>{"transaction.begin", "transaction.savepoint",
                                 "transaction.rollback_to", "transaction.commit", "grant"});
  CHECK(KindNames("ALTER TABLE t SET SCHEMA s; CREATE SCHEMA s; CREATE TYPE e AS ENUM ('a')") ==
        std::vector<std::string>{"set_schema.table", "create_schema", "create_enum"});

  SqlAnalysis a =
      AnalyzeSql("ALTER INDEX ix SET (fillfactor = 50); SAVEPOINT s; GRANT SELECT ON t TO r");
  REQUIRE(a.facts.size() == 3);
  CHECK(a.facts[0].kind == StatementKind::kOther);
  CHECK(a.facts[1].kind == StatementKind::kSavepoint);
  CHECK(a.facts[2].kind == StatementKind::kOther);
  for (StatementKind k : {StatementKind::kCreateIndex, StatementKind::kAddColumn,
                          StatementKind::kRollbackPrepared, StatementKind::kDo}) {
    CHECK_FALSE(StatementKindName(k).empty());
  }
  CHECK(StatementKindName(StatementKind::kOther).empty());
  CHECK(ConstraintKindName(ConstraintKind::kPrimaryKey) == "primary_key");
}

TEST_CASE("typed names: table, type_name, command, schemas") {
  // The ALTER TABLE target, not the referenced table (touched first).
  StatementFacts add = One("ALTER TABLE orders ADD COLUMN user_id int REFERENCES users");
  CHECK(add.kind == StatementKind::kAddColumn);
  CHECK(add.table == "orders");
  CHECK(add.effects.front().relation == "users");
  CHECK(add.command == "ALTER TABLE");
  // An UPDATE's target, not the table its subquery reads.
  StatementFacts up = One("UPDATE public.a SET x = (SELECT max(y) FROM b)");
  CHECK(up.table == "public.a");
  CHECK(up.command == "UPDATE");
  CHECK(One("CREATE UNIQUE INDEX CONCURRENTLY ix ON s.t (a)").table == "s.t");
  CHECK(One("DROP TABLE a").table.empty());  // several may be named: read effects
  CHECK(One("ALTER INDEX ix RENAME TO iy").table.empty());
  StatementFacts rename = One("ALTER TABLE \"My Table\" RENAME COLUMN a TO b");
  CHECK(rename.kind == StatementKind::kRenameColumn);
  CHECK(rename.table == "My Table");

  StatementFacts value = One("ALTER TYPE public.status ADD VALUE 'x'");
  CHECK(value.kind == StatementKind::kAlterTypeAddValue);
  CHECK(value.type_name == "public.status");
  CHECK(value.new_name == "x");
  CHECK(One("CREATE TYPE status AS ENUM ('a', 'b')").type_name == "status");

  CHECK(One("REINDEX SCHEMA app").command == "REINDEX SCHEMA");
  CHECK(One("REINDEX TABLE CONCURRENTLY t").table == "t");
  CHECK(One("VACUUM FULL t").command == "VACUUM");
  CHECK(One("CREATE DATABASE x").command == "CREATE DATABASE");

  StatementFacts drop = One("DROP SCHEMA a, \"B, c\" CASCADE");
  CHECK(drop.kind == StatementKind::kDropSchema);
  CHECK(drop.schemas == std::vector<std::string>{"a", "B, c"});
  CHECK(One("CREATE SCHEMA IF NOT EXISTS Reporting").schemas ==
        std::vector<std::string>{"reporting"});
  CHECK(One("CREATE SCHEMA AUTHORIZATION joe").schemas == std::vector<std::string>{"joe"});

  CHECK(One("ALTER TABLE t ADD COLUMN c int NOT NULL").not_null_without_default);
  CHECK_FALSE(One("ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0").not_null_without_default);
}

}  // namespace
}  // namespace alint
