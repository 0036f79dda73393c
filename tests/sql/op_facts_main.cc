// alint_op_facts: the op model's facts for an op call given as JSON on stdin (what
// tests/pg/alembic_cross_check.py builds from Python source with the ast module):
//   {"name": "add_column", "batch_table": null,
//    "args": [<expr>...], "keywords": ["", "schema", ...]}
//   <expr> = {"kind": "string|number|true|false|none|name|attribute|call|list|tuple|dict|other",
//             "text": "...", "args": [<expr>...], "keywords": [...]}
// Prints {"sql": [...], "facts": <FactsToJson>}.

#include <nlohmann/json.hpp>

#include <iostream>
#include <string>

#include "lint/sql/op_model.h"

namespace {

alint::Expr ReadExpr(const nlohmann::json& j) {
  static const std::pair<const char*, alint::Expr::Kind> kKinds[] = {
      {"string", alint::Expr::Kind::kString},
      {"number", alint::Expr::Kind::kNumber},
      {"true", alint::Expr::Kind::kTrue},
      {"false", alint::Expr::Kind::kFalse},
      {"none", alint::Expr::Kind::kNone},
      {"name", alint::Expr::Kind::kName},
      {"attribute", alint::Expr::Kind::kAttribute},
      {"call", alint::Expr::Kind::kCall},
      {"list", alint::Expr::Kind::kList},
      {"tuple", alint::Expr::Kind::kTuple},
      {"dict", alint::Expr::Kind::kDict}};
  alint::Expr e;
  const std::string kind = j.value("kind", "other");
  for (const auto& [name, k] : kKinds) {
    if (kind == name) e.kind = k;
  }
  e.text = j.value("text", "");
  if (j.contains("args")) {
    for (const nlohmann::json& a : j["args"]) e.children.push_back(ReadExpr(a));
  }
  if (j.contains("keywords")) e.keywords = j["keywords"].get<std::vector<std::string>>();
  return e;
}

}  // namespace

int main() {
  nlohmann::json in = nlohmann::json::parse(std::cin, nullptr, false);
  if (!in.is_object()) {
    std::cerr << "alint_op_facts: expected a JSON object on stdin\n";
    return 2;
  }
  alint::OpCall op;
  op.name = in.value("name", "");
  op.receiver = "op";
  nlohmann::json call = {{"kind", "call"},
                         {"text", "op." + op.name},
                         {"args", in["args"]},
                         {"keywords", in["keywords"]}};
  op.call = ReadExpr(call);
  if (in.contains("batch_table") && in["batch_table"].is_string()) {
    op.batch_table = in["batch_table"].get<std::string>();
  }
  nlohmann::json out;
  std::optional<std::vector<std::string>> sql = alint::RenderOpSql(op);
  out["sql"] = sql ? nlohmann::json(*sql) : nlohmann::json();
  alint::SqlAnalysis analysis;
  analysis.facts = alint::AnalyzeOpCall(op);
  out["facts"] = nlohmann::json::parse(alint::FactsToJson(analysis));
  std::cout << out.dump() << "\n";
  return 0;
}
