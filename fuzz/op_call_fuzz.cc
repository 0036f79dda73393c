// The op-call model: the input is the text after `op.` inside upgrade() (continuation lines
// indented), so mutations stay inside op calls and their arguments. Every extracted op is
// rendered to SQL and analysed, as `check` and `locks` do; the ops with direct facts must get
// the same facts through the SQL.

#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_util.h"
#include "lint/analysis/migration_analysis.h"
#include "lint/python/extract.h"
#include "lint/sql/op_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alint;
  std::string text =
      "from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n"
      "    with op.batch_alter_table(\"t\") as batch_op:\n        batch_op.alter_column(\"c\")\n"
      "    op.";
  for (char c : fuzz::AsText(data, size)) {
    text += c;
    if (c == '\n') text += "    ";
  }
  text += "\n";
  SourceFile file(0, "migrations/versions/x.py", std::move(text));
  Migration m = ExtractMigration(file, ParseMode::kFull);
  for (const OpCall& op : m.ops) {
    std::optional<std::vector<std::string>> sql = RenderOpSql(op);
    (void)sql;
    for (int version : {11, 18}) {
      SqlOptions options;
      options.pg_version = version;
      std::vector<StatementFacts> facts = AnalyzeOpCall(op, options);
      // The direct facts of the common ops must be the rendered SQL's, field by field.
      if (std::optional<StatementFacts> direct = DirectOpCallFacts(op, options)) {
        std::vector<StatementFacts> via_sql = AnalyzeOpCallViaSql(op, options);
        if (via_sql.size() != 1 || FactsDebugString(*direct) != FactsDebugString(via_sql[0]) ||
            FactsDebugString(facts.at(0)) != FactsDebugString(*direct)) {
          std::fprintf(stderr, "direct facts differ for op.%s:\n%s\nvia SQL:\n%s\n",
                       op.name.c_str(), FactsDebugString(*direct).c_str(),
                       via_sql.empty() ? "(none)" : FactsDebugString(via_sql[0]).c_str());
          std::abort();
        }
      }
    }
  }
  MigrationAnalysis a = AnalyzeMigration(m, file, AnalysisOptions{});
  (void)a;
  return 0;
}
