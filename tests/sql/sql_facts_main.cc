// alint_sql_facts: prints the SQL model's facts as JSON for SQL read from stdin. The bridge
// tests/pg/ uses to compare the model with a real PostgreSQL.
//
//   alint_sql_facts [--pg N] [--column-types FILE]   (FILE: {"table.column": "type", ...})

#include <nlohmann/json.hpp>

#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "lint/sql/sql_facts.h"

int main(int argc, char** argv) {
  alint::SqlOptions options;
  alint::ColumnTypes types;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--pg") == 0 && i + 1 < argc) {
      options.pg_version = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--column-types") == 0 && i + 1 < argc) {
      std::ifstream in(argv[++i]);
      nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
      if (!j.is_object()) {
        std::cerr << "alint_sql_facts: --column-types needs a JSON object\n";
        return 2;
      }
      for (auto it = j.begin(); it != j.end(); ++it)
        types[it.key()] = it.value().get<std::string>();
      options.column_types = &types;
    } else {
      std::cerr << "usage: alint_sql_facts [--pg N] [--column-types FILE] < sql\n";
      return 2;
    }
  }
  std::string sql((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  std::cout << alint::FactsToJson(alint::AnalyzeSql(sql, options)) << "\n";
  return 0;
}
