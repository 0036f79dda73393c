#include "lint/sql/op_model.h"

#include <doctest/doctest.h>

#include <string>

namespace alint {
namespace {

// Small builders for the Expr shape lint/python produces.
Expr Str(std::string s) { return Expr{Expr::Kind::kString, std::move(s), {}, {}, {}}; }
Expr Num(std::string s) { return Expr{Expr::Kind::kNumber, std::move(s), {}, {}, {}}; }
Expr Bool(bool b) { return Expr{b ? Expr::Kind::kTrue : Expr::Kind::kFalse, "", {}, {}, {}}; }
Expr None() { return Expr{Expr::Kind::kNone, "", {}, {}, {}}; }
Expr Call(std::string callee, std::vector<Expr> args = {},
          std::vector<std::pair<std::string, Expr>> kwargs = {}) {
  Expr e{Expr::Kind::kCall, std::move(callee), {}, {}, {}};
  for (Expr& a : args) {
    e.children.push_back(std::move(a));
    e.keywords.push_back("");
  }
  for (auto& [k, v] : kwargs) {
    e.children.push_back(std::move(v));
    e.keywords.push_back(k);
  }
  return e;
}
Expr List(std::vector<Expr> items) { return Expr{Expr::Kind::kList, "", {}, std::move(items), {}}; }

OpCall Op(std::string name, std::vector<Expr> args,
          std::vector<std::pair<std::string, Expr>> kwargs = {},
          std::optional<std::string> batch = std::nullopt) {
  OpCall op;
  op.name = name;
  op.receiver = batch ? "batch_op" : "op";
  op.call = Call("op." + name, std::move(args), std::move(kwargs));
  op.call.span = Span{0, 100, 180};
  op.name_span = Span{0, 103, 103 + static_cast<uint32_t>(name.size())};
  op.batch_table = std::move(batch);
  return op;
}

StatementFacts Single(const OpCall& op, int pg = 15) {
  SqlOptions options;
  options.pg_version = pg;
  std::vector<StatementFacts> facts = AnalyzeOpCall(op, options);
  REQUIRE(facts.size() == 1);
  return facts[0];
}

TEST_CASE("add_column: nullable, NOT NULL without default, server defaults") {
  auto add = [](std::vector<std::pair<std::string, Expr>> kw, int pg = 15) {
    return Single(Op("add_column", {Str("users"), Call("sa.Column", {Str("c"), Call("sa.DateTime")},
                                                       std::move(kw))}),
                  pg);
  };
  StatementFacts plain = add({});
  CHECK(plain.kind == StatementKind::kAddColumn);
  CHECK(plain.column == "c");
  CHECK_FALSE(plain.Effect("users")->rewrite);
  CHECK_FALSE(plain.can_fail_on_rows);
  CHECK(plain.begin == 100);
  CHECK(plain.end == 180);
  CHECK(plain.anchor == 103);
  CHECK(add({{"nullable", Bool(false)}}).can_fail_on_rows);
  CHECK_FALSE(
      add({{"nullable", Bool(false)}, {"server_default", Str("2020-01-01")}}).can_fail_on_rows);
  CHECK_FALSE(add({{"server_default", Call("sa.text", {Str("now()")})}}).Effect("users")->rewrite);
  CHECK_FALSE(add({{"server_default", Call("sa.func.now")}}).Effect("users")->rewrite);
  CHECK(add({{"server_default", Call("sa.text", {Str("clock_timestamp()")})}})
            .Effect("users")
            ->rewrite);
  StatementFacts var = add({{"server_default", Expr{Expr::Kind::kName, "DEFAULT_TS", {}, {}, {}}}});
  CHECK(var.Effect("users")->rewrite);
  CHECK(var.rewrite_uncertain);
  REQUIRE_FALSE(var.notes.empty());
  CHECK(var.notes.back().find("not a literal") != std::string::npos);
  CHECK(add({{"server_default", Str("x")}}, 10).Effect("users")->rewrite);
}

TEST_CASE("add_column with a ForeignKey runs a second statement locking the referenced table") {
  std::vector<StatementFacts> facts = AnalyzeOpCall(Op(
      "add_column", {Str("users"), Call("sa.Column", {Str("org_id"), Call("sa.Integer"),
                                                      Call("sa.ForeignKey", {Str("orgs.id")})})}));
  REQUIRE(facts.size() == 2);
  CHECK(facts[1].KindName() == "alter_table.add_constraint.foreign_key");
  CHECK(facts[1].Effect("orgs")->lock == LockMode::kShareRowExclusive);
}

TEST_CASE("alter_column: type with existing_type, nullable, default, rename") {
  std::vector<StatementFacts> widen =
      AnalyzeOpCall(Op("alter_column", {Str("users"), Str("email")},
                       {{"type_", Call("sa.String", {Num("100")})},
                        {"existing_type", Call("sa.String", {Num("20")})}}));
  REQUIRE(widen.size() == 1);
  CHECK_FALSE(widen[0].Effect("users")->rewrite);
  std::vector<StatementFacts> to_int =
      AnalyzeOpCall(Op("alter_column", {Str("users"), Str("code")},
                       {{"type_", Call("sa.Integer")},
                        {"existing_type", Call("sa.Text")},
                        {"postgresql_using", Str("code::integer")}}));
  REQUIRE(to_int.size() == 1);
  CHECK(to_int[0].Effect("users")->rewrite);
  CHECK(to_int[0].can_fail_on_rows);
  std::vector<StatementFacts> unknown = AnalyzeOpCall(
      Op("alter_column", {Str("users"), Str("age")}, {{"type_", Call("sa.BigInteger")}}));
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].rewrite_uncertain);
  std::vector<StatementFacts> several = AnalyzeOpCall(Op(
      "alter_column", {Str("users"), Str("email")},
      {{"nullable", Bool(false)}, {"server_default", None()}, {"new_column_name", Str("mail")}}));
  REQUIRE(several.size() == 3);
  CHECK(several[0].kind == StatementKind::kSetNotNull);
  CHECK(several[0].Effect("users")->scan);
  CHECK(several[1].kind == StatementKind::kDropDefault);
  CHECK(several[2].kind == StatementKind::kRenameColumn);
  CHECK(several[2].new_name == "mail");
}

TEST_CASE("indexes and constraints") {
  StatementFacts idx =
      Single(Op("create_index", {Str("ix"), Str("users"), List({Str("email")})},
                {{"postgresql_concurrently", Bool(true)}, {"unique", Bool(true)}}));
  CHECK(idx.kind == StatementKind::kCreateIndex);
  CHECK(idx.concurrently);
  CHECK(idx.no_transaction);
  CHECK(idx.can_fail_on_rows);
  CHECK(idx.Effect("users")->lock == LockMode::kShareUpdateExclusive);
  StatementFacts plain =
      Single(Op("create_index", {Str("ix"), Str("users"), List({Str("email")})}));
  CHECK(plain.Effect("users")->lock == LockMode::kShare);
  StatementFacts drop = Single(Op("drop_index", {Str("ix")}, {{"table_name", Str("users")}}));
  CHECK(drop.Effect("ix")->table_lock == LockMode::kAccessExclusive);
  StatementFacts fk = Single(Op("create_foreign_key", {Str("fk"), Str("users"), Str("orgs"),
                                                       List({Str("org_id")}), List({Str("id")})}));
  CHECK(fk.Effect("users")->lock == LockMode::kShareRowExclusive);
  CHECK(fk.Effect("orgs")->lock == LockMode::kShareRowExclusive);
  CHECK(fk.can_fail_on_rows);
  StatementFacts fk_nv =
      Single(Op("create_foreign_key",
                {Str("fk"), Str("users"), Str("orgs"), List({Str("org_id")}), List({Str("id")})},
                {{"postgresql_not_valid", Bool(true)}}));
  CHECK(fk_nv.not_valid);
  CHECK_FALSE(fk_nv.can_fail_on_rows);
  StatementFacts check =
      Single(Op("create_check_constraint", {Str("ck"), Str("users"), Str("age > 0")}));
  CHECK(check.kind == StatementKind::kAddConstraint);
  CHECK(check.constraint_kind == ConstraintKind::kCheck);
  CHECK(check.table == "users");
  CHECK(check.KindName() == "alter_table.add_constraint.check");
  CHECK(check.Effect("users")->scan);
  CHECK(Single(Op("create_unique_constraint", {Str("uq"), Str("users"), List({Str("email")})}))
            .KindName() == "alter_table.add_constraint.unique");
  CHECK(Single(Op("create_primary_key", {Str("pk"), Str("users"), List({Str("id")})}))
            .constraint_kind == ConstraintKind::kPrimaryKey);
  Expr pair{Expr::Kind::kTuple, "", {}, {Str("span"), Str("&&")}, {}};
  CHECK(Single(Op("create_exclude_constraint", {Str("ex"), Str("rooms"), pair})).KindName() ==
        "alter_table.add_constraint.exclude");
  CHECK(Single(Op("drop_constraint", {Str("uq"), Str("users")})).kind ==
        StatementKind::kDropConstraint);
}

TEST_CASE("tables, batch ops, bulk_insert, unmodelled calls") {
  StatementFacts create =
      Single(Op("create_table",
                {Str("members"),
                 Call("sa.Column", {Str("id"), Call("sa.Integer")}, {{"primary_key", Bool(true)}}),
                 Call("sa.Column", {Str("org_id"), Call("sa.Integer"),
                                    Call("sa.ForeignKey", {Str("orgs.id")})})}));
  CHECK(create.Effect("members")->created);
  CHECK(create.Effect("orgs")->lock == LockMode::kShareRowExclusive);
  StatementFacts drop = Single(Op("drop_table", {Str("users")}, {{"schema", Str("app")}}));
  CHECK(drop.data_loss);
  CHECK(drop.Effect("app.users") != nullptr);
  CHECK(Single(Op("rename_table", {Str("a"), Str("b")})).kind == StatementKind::kRenameTable);
  StatementFacts batch = Single(Op("drop_column", {Str("bio")}, {}, std::string("users")));
  CHECK(batch.kind == StatementKind::kDropColumn);
  CHECK(batch.Effect("users")->lock == LockMode::kAccessExclusive);
  StatementFacts batch_idx =
      Single(Op("create_index", {Str("ix"), List({Str("bio")})}, {}, std::string("users")));
  CHECK(batch_idx.Effect("users")->lock == LockMode::kShare);
  StatementFacts insert = Single(Op("bulk_insert", {Call("sa.table", {Str("orgs")}), List({})}));
  CHECK(insert.kind == StatementKind::kInsert);
  CHECK(insert.table == "orgs");
  CHECK(insert.Effect("orgs")->lock == LockMode::kRowExclusive);
  // Not literal or not modelled: nothing, rather than a guess.
  CHECK(AnalyzeOpCall(Op("drop_table", {Expr{Expr::Kind::kName, "TABLE", {}, {}, {}}})).empty());
  CHECK(AnalyzeOpCall(Op("execute", {Str("SELECT 1")})).empty());
  CHECK_FALSE(RenderOpSql(Op("get_bind", {})).has_value());
}

// Every facts list as FactsDebugString prints it, one statement after another.
std::string Dump(const std::vector<StatementFacts>& facts) {
  std::string out;
  for (const StatementFacts& f : facts) out += FactsDebugString(f) + "--\n";
  return out;
}

TEST_CASE("direct facts: the common ops get exactly the rendered SQL's facts") {
  // Argument variants of each shape the direct path serves, and of the ones it hands to the
  // SQL (names PostgreSQL would read differently, expressions, WHERE, USING, ...).
  const std::vector<std::string> names = {"users",   "ix_users_email",     "Mixed_Case$1",
                                          "x",       std::string(63, 'n'),  // direct
                                          "",        std::string(64, 'n'), "two words",
                                          "quo\"te", "per%cent",           "colon:name",
                                          "dot.ted", "\xC3\xA9t\xC3\xA9"};
  struct Case {
    OpCall op;
    bool plain;  // every name plain and the shape served: the direct path must take it
  };
  std::vector<Case> cases;
  auto plain = [](const std::string& n) {
    return !n.empty() && n.size() <= 63 &&
           n.find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$") ==
               std::string::npos;
  };
  for (const std::string& n : names) {
    for (bool schema : {false, true}) {
      std::vector<std::pair<std::string, Expr>> kw;
      if (schema) kw.emplace_back("schema", Str("app"));
      cases.push_back({Op("drop_table", {Str(n)}, kw), plain(n)});
      cases.push_back({Op("drop_column", {Str(n), Str("email")}, kw), plain(n)});
      cases.push_back({Op("drop_column", {Str("users"), Str(n)}, kw), plain(n)});
      cases.push_back({Op("drop_column", {Str(n)}, {}, std::string("users")), plain(n)});
      cases.push_back({Op("drop_column", {Str("c")}, {}, n), plain(n)});
      for (bool concurrently : {false, true}) {
        for (bool if_exists : {false, true}) {
          auto k = kw;
          if (concurrently) k.emplace_back("postgresql_concurrently", Bool(true));
          if (if_exists) k.emplace_back("if_exists", Bool(true));
          cases.push_back({Op("drop_index", {Str(n)}, k), plain(n)});
          for (bool unique : {false, true}) {
            auto ck = kw;
            if (concurrently) ck.emplace_back("postgresql_concurrently", Bool(true));
            if (if_exists) ck.emplace_back("if_not_exists", Bool(true));
            if (unique) ck.emplace_back("unique", Bool(true));
            cases.push_back(
                {Op("create_index", {Str(n), Str("users"), List({Str("a"), Str("b")})}, ck),
                 plain(n) || n.empty()});  // "" is no name, as None
            cases.push_back({Op("create_index", {None(), Str(n), List({Str(n)})}, ck), plain(n)});
            cases.push_back({Op("create_index", {Str("ix"), List({Str(n)})}, ck, n), plain(n)});
          }
        }
      }
    }
  }
  // add_column: every type the op model renders, NOT NULL or not; defaults, constraints and
  // foreign keys go through the SQL.
  const std::vector<Expr> types = {
      Call("sa.Integer"),
      Call("sa.BigInteger"),
      Call("sa.SmallInteger"),
      Call("sa.String"),
      Call("sa.String", {Num("20")}),
      Call("sa.String", {}, {{"length", Num("5")}}),
      Call("sa.Unicode", {Num("3")}),
      Call("sa.CHAR", {Num("2")}),
      Call("sa.Text"),
      Call("sa.UnicodeText"),
      Call("postgresql.CITEXT"),
      Call("sa.Boolean"),
      Call("sa.DateTime"),
      Call("sa.DateTime", {}, {{"timezone", Bool(true)}}),
      Call("sa.TIMESTAMP", {}, {{"precision", Num("6")}}),
      Call("sa.Date"),
      Call("sa.Time"),
      Call("sa.Interval"),
      Call("sa.Numeric"),
      Call("sa.Numeric", {Num("10"), Num("2")}),
      Call("sa.Float"),
      Call("sa.REAL"),
      Call("sa.LargeBinary"),
      Call("sa.JSON"),
      Call("postgresql.JSONB"),
      Call("postgresql.UUID"),
      Call("postgresql.INET"),
      Call("postgresql.CIDR"),
      Call("postgresql.MACADDR"),
      Call("postgresql.TSVECTOR"),
      Call("postgresql.MONEY"),
      Call("postgresql.ARRAY", {Call("sa.Integer")}),
      Call("postgresql.ARRAY", {Call("sa.String", {Num("5")})}),
      Call("sa.Enum", {Str("a"), Str("b")}, {{"name", Str("status")}}),
      Call("sa.Enum", {Str("a"), Str("bb")}, {{"native_enum", Bool(false)}}),
      Expr{Expr::Kind::kAttribute, "sa.Integer", {}, {}, {}},
      Call("geoalchemy2.Geometry")};
  auto column = [](std::string n, Expr type, std::vector<std::pair<std::string, Expr>> kw = {},
                   std::vector<Expr> extra = {}) {
    std::vector<Expr> args = {Str(std::move(n)), std::move(type)};
    for (Expr& e : extra) args.push_back(std::move(e));
    return Call("sa.Column", std::move(args), std::move(kw));
  };
  auto table = [&](std::vector<Expr> elts, std::vector<std::pair<std::string, Expr>> kw = {}) {
    std::vector<Expr> args = {Str("orders")};
    for (Expr& e : elts) args.push_back(std::move(e));
    return Op("create_table", std::move(args), std::move(kw));
  };
  auto text = [](std::string sql) { return Call("sa.text", {Str(std::move(sql))}); };
  // server_default values: direct when PostgreSQL reads them as one default expression.
  const std::vector<std::pair<Expr, bool>> defaults = {
      {Str("x"), true},
      {Str("it's"), true},
      {Num("0"), true},
      {Num("1.5"), true},
      {Num("-1"), true},
      {Call("sa.true"), true},
      {Call("sa.false"), true},
      {None(), true},
      {Call("sa.func.now"), true},
      {text("now()"), true},
      {text("CURRENT_TIMESTAMP"), true},
      {text("clock_timestamp()"), true},
      {text("gen_random_uuid()"), true},
      {text("my_function()"), true},
      {text("'a'::text"), true},
      {text("-5"), true},
      {text("NULL"), true},
      {text("(1 + 2)"), true},
      {text("'{}'::jsonb"), true},
      {Call("sa.literal_column", {Str("0")}), true},
      {text("1 NOT NULL"), false},
      {text("1, d int"), false},
      {text(":x"), false},
      {text("now("), false},
      {text("'\xC3\xA9'"), false},
      {Call("sa.func.lower", {Str("x")}), false},
      {Expr{Expr::Kind::kName, "DEFAULT", {}, {}, {}}, false}};
  for (const Expr& type : types) {
    const bool enum_type = type.text == "sa.Enum" && type.keywords.back() == "name";
    for (int nullable = 0; nullable < 3; ++nullable) {  // absent, False, True
      std::vector<std::pair<std::string, Expr>> kw;
      if (nullable > 0) kw.emplace_back("nullable", Bool(nullable == 2));
      Expr col = Call("sa.Column", {Str("c"), type}, kw);
      cases.push_back({Op("add_column", {Str("users"), col}), true});
      cases.push_back({Op("add_column", {col}, {}, std::string("users")), true});
      cases.push_back({Op("add_column", {Str("users"), col}, {{"schema", Str("app")}}), true});
      for (const auto& [value, direct] : defaults) {
        auto k = kw;
        k.emplace_back("server_default", value);
        cases.push_back(
            {Op("add_column", {Str("users"), Call("sa.Column", {Str("c"), type}, k)}), direct});
        cases.push_back({table({column("c", type, k)}), direct && !enum_type});
      }
      auto k = kw;
      k.emplace_back("unique", Bool(true));
      cases.push_back(
          {Op("add_column", {Str("users"), Call("sa.Column", {Str("c"), type}, k)}), false});
    }
    cases.push_back({Op("add_column", {Str("users"), Call("sa.Column", {Str("c"), type},
                                                          {{"primary_key", Bool(true)}})}),
                     true});
    cases.push_back(
        {Op("add_column", {Str("users"), Call("sa.Column", {Str("c")}, {{"type_", type}})}), true});
  }
  cases.push_back({Op("add_column",
                      {Str("users"), Call("sa.Column", {Str("c"), Call("sa.Integer"),
                                                        Call("sa.ForeignKey", {Str("orgs.id")})})}),
                   false});
  cases.push_back({Op("add_column", {Str("users"), Call("sa.Column", {Str("c"), Call("sa.Integer"),
                                                                      Call("sa.Identity")})}),
                   false});
  cases.push_back(
      {Op("add_column", {Str("users"), Call("sa.Column", {Str("two words"), Call("sa.Integer")})}),
       false});
  // alter_column: one NOT NULL or DROP DEFAULT change; the rest through the SQL.
  const Expr var{Expr::Kind::kName, "flag", {}, {}, {}};
  for (const std::string& n : {std::string("email"), std::string("two words")}) {
    for (bool batch : {false, true}) {
      auto alter = [&](std::vector<std::pair<std::string, Expr>> kw) {
        return batch ? Op("alter_column", {Str(n)}, std::move(kw), std::string("users"))
                     : Op("alter_column", {Str("users"), Str(n)}, std::move(kw));
      };
      const bool ok = n == "email";
      cases.push_back({alter({{"nullable", Bool(false)}}), ok});
      cases.push_back({alter({{"nullable", Bool(true)}}), ok});
      cases.push_back({alter({{"server_default", None()}}), ok});
      cases.push_back({alter({{"nullable", Bool(false)},
                              {"existing_type", Call("sa.String")},
                              {"existing_nullable", Bool(true)},
                              {"existing_server_default", Str("x")},
                              {"server_default", Bool(false)},
                              {"comment", Bool(false)},
                              {"new_column_name", var}}),
                       ok});
      cases.push_back({alter({{"nullable", Bool(true)}, {"schema", Str("app")}}), ok});
      cases.push_back({alter({{"nullable", var}}), false});  // renders nothing
      cases.push_back({alter({}), false});
      cases.push_back({alter({{"nullable", Bool(false)}, {"server_default", None()}}), false});
      cases.push_back({alter({{"nullable", Bool(false)}, {"type_", Call("sa.Text")}}), false});
      cases.push_back({alter({{"server_default", Str("x")}}), false});
      cases.push_back({alter({{"nullable", Bool(false)}, {"new_column_name", Str("e2")}}), false});
      cases.push_back({alter({{"nullable", Bool(false)}, {"comment", Str("c")}}), false});
    }
  }
  // create_table: columns of every type, keys, unique and foreign keys, named or not; the
  // forms that need an expression read or a second statement through the SQL.
  for (const Expr& type : types) {
    const bool enum_type = type.text == "sa.Enum" && type.keywords.back() == "name";
    cases.push_back({table({column("id", Call("sa.Integer"), {{"primary_key", Bool(true)}}),
                            column("v", type), column("w", type, {{"nullable", Bool(false)}})}),
                     !enum_type});
    cases.push_back({table({column("k", type, {{"primary_key", Bool(true)}})}), !enum_type});
  }
  for (const char* id_type : {"sa.Integer", "sa.BigInteger", "sa.SmallInteger", "sa.String"}) {
    for (int autoinc = 0; autoinc < 3; ++autoinc) {  // absent, False, True
      std::vector<std::pair<std::string, Expr>> kw = {{"primary_key", Bool(true)}};
      if (autoinc > 0) kw.emplace_back("autoincrement", Bool(autoinc == 2));
      cases.push_back({table({column("id", Call(id_type), kw)}), true});
      cases.push_back(
          {table({column("id", Call(id_type), kw, {Call("sa.ForeignKey", {Str("users.id")})})}),
           true});
      cases.push_back(
          {table({column("id", Call(id_type), kw), column("b", Call(id_type), kw)}), true});
    }
  }
  const Expr fk_col = column("user_id", Call("sa.Integer"), {{"nullable", Bool(false)}},
                             {Call("sa.ForeignKey", {Str("users.id")})});
  cases.push_back(
      {table(
           {column("id", Call("sa.Integer")), fk_col,
            column("org_id", Call("sa.Integer"), {}, {Call("sa.ForeignKey", {Str("app.orgs.id")})}),
            column("self_id", Call("sa.Integer"), {}, {Call("sa.ForeignKey", {Str("orders.id")})}),
            column("again", Call("sa.Integer"), {}, {Call("sa.ForeignKey", {Str("users.id")})}),
            Call("sa.PrimaryKeyConstraint", {Str("id")}, {{"name", Str("pk_o")}}),
            Call("sa.UniqueConstraint", {Str("user_id"), Str("org_id")}),
            Call("sa.UniqueConstraint", {Str("org_id")}, {{"name", Str("uq_o")}}),
            Call("sa.ForeignKeyConstraint", {List({Str("org_id")}), List({Str("orgs.id")})},
                 {{"name", Str("fk_o")}, {"ondelete", Str("CASCADE")}}),
            Call("sa.Index", {Str("ix"), Str("id")}), Call("sa.CheckConstraint", {var})},
           {{"schema", Str("app")}, {"postgresql_partition_by", Str("x")}}),
       true});
  cases.push_back(
      {table({column("id", Call("sa.Integer"), {{"unique", Bool(true)}}),
              column("n", Call("sa.Text"), {{"unique", Bool(true)}, {"nullable", Bool(false)}}),
              Call("sa.PrimaryKeyConstraint", {Str("id"), var}), Call("sa.UniqueConstraint", {var}),
              Call("sa.ForeignKeyConstraint", {List({Str("n")}), var}),
              Call("sa.ForeignKeyConstraint", {var, List({Str("t.id")})})}),
       true});
  cases.push_back({table({}), true});
  cases.push_back(
      {table({column("id", Call("sa.Integer")), Call("sa.CheckConstraint", {Str("id > 0")})}),
       false});
  cases.push_back({table({column("id", Call("sa.Integer"), {}, {Call("sa.Identity")})}), false});
  cases.push_back(
      {table({column("id", Call("sa.Integer"), {}, {Call("sa.Computed", {Str("1 + 1")})})}),
       false});
  cases.push_back({table({column("two words", Call("sa.Integer"))}), false});
  cases.push_back(
      {table({column("id", Call("sa.Integer"), {}, {Call("sa.ForeignKey", {Str("a.b.c.d")})})}),
       false});
  cases.push_back({table({Call("sa.ForeignKeyConstraint",
                               {List({Call("sa.text", {Str("x")})}), List({Str("t.id")})})}),
                   false});
  cases.push_back(
      {table({Call("sa.PrimaryKeyConstraint", {Str("id")}, {{"name", Str("a b")}})}), false});
  // Constraints: drop_constraint, create_foreign_key, create_unique_constraint,
  // create_primary_key, named or not, batch or not, NOT VALID or not.
  for (const std::string& n : {std::string("fk_a"), std::string(""), std::string("a b")}) {
    const bool ok = n != "a b";
    for (bool batch : {false, true}) {
      auto op = [&](const std::string& name, std::vector<Expr> args,
                    std::vector<std::pair<std::string, Expr>> kw = {}) {
        if (!batch) args.insert(args.begin() + 1, Str("orders"));
        return batch ? Op(name, std::move(args), std::move(kw), std::string("orders"))
                     : Op(name, std::move(args), std::move(kw));
      };
      cases.push_back({op("drop_constraint", {Str(n)}), ok && !n.empty()});
      cases.push_back(
          {op("drop_constraint", {Str(n)}, {{"type_", Str("foreignkey")}}), ok && !n.empty()});
      for (const Expr& name : {Str(n), None()}) {
        const bool named_ok = name.kind == Expr::Kind::kNone || (ok && !n.empty());
        for (bool not_valid : {false, true}) {
          std::vector<std::pair<std::string, Expr>> kw;
          if (not_valid) kw.emplace_back("postgresql_not_valid", Bool(true));
          cases.push_back({op("create_foreign_key",
                              {name, Str("users"), List({Str("user_id")}), List({Str("id")})}, kw),
                           named_ok});
          cases.push_back({op("create_foreign_key",
                              {name, Str("orders"), List({Str("parent_id"), Str("b")}),
                               List({Str("id"), Str("b")})},
                              {{"ondelete", Str("CASCADE")},
                               {"source_schema", Str("app")},
                               {"referent_schema", Str("app")}}),
                           named_ok});
          cases.push_back(
              {op("create_foreign_key", {name, Str("users"), List({}), List({})}), false});
          cases.push_back(
              {op("create_foreign_key",
                  {name, Str("users"), List({Call("sa.text", {Str("x")})}), List({Str("id")})}),
               false});
        }
        for (const char* kind : {"create_unique_constraint", "create_primary_key"}) {
          cases.push_back({op(kind, {name, List({Str("a"), Str("b")})}), named_ok});
          cases.push_back({op(kind, {name, List({Str("a")})}, {{"schema", Str("app")}}), named_ok});
          cases.push_back({op(kind, {name, List({Str("two words")})}), false});
        }
      }
    }
  }
  // Same table and index name: one relation, as PostgreSQL's facts merge them.
  cases.push_back({Op("create_index", {Str("t"), Str("t"), List({Str("a")})}), true});
  // Served by the SQL only.
  cases.push_back({Op("create_index", {Str("ix"), Str("t"), List({})}), false});
  cases.push_back(
      {Op("create_index", {Str("ix"), Str("t"), List({Call("sa.text", {Str("lower(a)")})})}),
       false});
  cases.push_back({Op("create_index", {Str("ix"), Str("t"), List({Str("a")})},
                      {{"postgresql_where", Call("sa.text", {Str("a > 0")})}}),
                   false});
  cases.push_back({Op("create_index", {Str("ix"), Str("t"), List({Str("a")})},
                      {{"postgresql_using", Str("gin")}}),
                   false});
  cases.push_back(
      {Op("drop_table", {Str("t")}, {{"schema", Expr{Expr::Kind::kName, "S", {}, {}, {}}}}), true});
  size_t direct = 0;
  for (const Case& c : cases) {
    CAPTURE(c.op.name);
    CAPTURE(RenderOpSql(c.op).value_or(std::vector<std::string>{"(none)"})[0]);
    for (int pg : {10, 11, 15, 18}) {
      SqlOptions options;
      options.pg_version = pg;
      std::optional<StatementFacts> d = DirectOpCallFacts(c.op, options);
      CHECK(d.has_value() == c.plain);
      std::vector<StatementFacts> via_sql = AnalyzeOpCallViaSql(c.op, options);
      CHECK(Dump(AnalyzeOpCall(c.op, options)) == Dump(via_sql));
      if (d) CHECK(Dump({*d}) == Dump(via_sql));
    }
    direct += DirectOpCallFacts(c.op) ? 1 : 0;
  }
  CHECK(direct > cases.size() / 3);

  // alter_column(type_=...): the current type from existing_type= or from the options (by the
  // qualified name, then the bare one), every pair of types, schema or not.
  const std::vector<Expr> alter_types = {Call("sa.Text"),
                                         Call("sa.String", {Num("20")}),
                                         Call("sa.String", {Num("50")}),
                                         Call("sa.String"),
                                         Call("sa.Integer"),
                                         Call("sa.BigInteger"),
                                         Call("sa.Numeric", {Num("10"), Num("2")}),
                                         Call("sa.Numeric", {Num("12"), Num("2")}),
                                         Call("sa.DateTime"),
                                         Call("sa.DateTime", {}, {{"timezone", Bool(true)}}),
                                         Call("postgresql.JSONB"),
                                         Call("sa.Enum", {Str("a")}, {{"name", Str("status")}}),
                                         Call("geoalchemy2.Geometry")};
  const std::vector<std::string> type_texts = {
      "text", "varchar(20)", "integer", "bigint", "numeric(10,2)", "timestamp", "not a type ("};
  size_t checked = 0;
  for (const Expr& to : alter_types) {
    for (int existing = -1; existing < static_cast<int>(alter_types.size()); existing += 3) {
      for (bool schema : {false, true}) {
        for (int known = 0; known < 4; ++known) {  // none, qualified, bare, both
          std::vector<std::pair<std::string, Expr>> kw = {{"type_", to}};
          if (existing >= 0) kw.emplace_back("existing_type", alter_types[existing]);
          if (schema) kw.emplace_back("schema", Str("app"));
          OpCall op = Op("alter_column", {Str("users"), Str("email")}, kw);
          ColumnTypes known_types;
          const std::string& known_text = type_texts[(checked + known) % type_texts.size()];
          if (known & 1) known_types["app.users.email"] = known_text;
          if (known & 2) known_types["users.email"] = type_texts[(checked + 3) % type_texts.size()];
          for (int pg : {11, 15}) {
            SqlOptions options;
            options.pg_version = pg;
            options.column_types = &known_types;
            CAPTURE(RenderOpSql(op).value_or(std::vector<std::string>{"(none)"})[0]);
            CAPTURE(known);
            std::optional<StatementFacts> d = DirectOpCallFacts(op, options);
            CHECK(d.has_value() == RenderOpSql(op).has_value());  // Geometry: not modelled
            std::vector<StatementFacts> via_sql = AnalyzeOpCallViaSql(op, options);
            CHECK(Dump(AnalyzeOpCall(op, options)) == Dump(via_sql));
            if (d) CHECK(Dump({*d}) == Dump(via_sql));
          }
          ++checked;
        }
      }
    }
  }
  CHECK(checked > 300);
  // More distinct types than the per-thread type cache keeps (4,096): the facts stay right
  // past it, one or two new types a call, so the cache fills between the two lookups of one.
  for (int n = 1; n <= 4200; ++n) {
    std::vector<std::pair<std::string, Expr>> kw = {
        {"type_", Call("sa.String", {Num(std::to_string(n))})}};
    if (n % 3 != 0) {
      kw.emplace_back("existing_type", Call("sa.String", {Num(std::to_string(n + 5000))}));
    }
    OpCall op = Op("alter_column", {Str("users"), Str("email")}, kw);
    std::optional<StatementFacts> d = DirectOpCallFacts(op);
    REQUIRE(d.has_value());
    if (n % 700 == 0) CHECK(Dump({*d}) == Dump(AnalyzeOpCallViaSql(op)));
    CHECK(d->new_type == "character varying(" + std::to_string(n) + ")");
  }
  // With USING, or another change in the same call: through the SQL.
  CHECK_FALSE(DirectOpCallFacts(
                  Op("alter_column", {Str("t"), Str("c")},
                     {{"type_", Call("sa.Integer")}, {"postgresql_using", Str("c::integer")}}))
                  .has_value());
  CHECK_FALSE(DirectOpCallFacts(Op("alter_column", {Str("t"), Str("c")},
                                   {{"type_", Call("sa.Integer")}, {"nullable", Bool(true)}}))
                  .has_value());
}

}  // namespace
}  // namespace alint
