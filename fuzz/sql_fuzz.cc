// The SQL analysis (libpg_query + the lock model) on arbitrary text, for the oldest and the
// newest PostgreSQL version the model knows.

#include "fuzz/fuzz_util.h"
#include "lint/sql/sql_facts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alint;
  std::string_view sql = fuzz::AsText(data, size);
  for (int version : {11, 18}) {
    SqlOptions options;
    options.pg_version = version;
    SqlAnalysis a = AnalyzeSql(sql, options);
    if (a.error && a.error->offset > sql.size()) fuzz::Fail("SQL error offset past the text");
    for (const StatementFacts& f : a.facts) {
      if (f.begin > f.end || f.end > sql.size()) fuzz::Fail("statement span outside the text");
    }
  }
  return 0;
}
