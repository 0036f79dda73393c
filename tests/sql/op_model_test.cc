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

}  // namespace
}  // namespace alint
