// The op-call model: the input is the text after `op.` inside upgrade() (continuation lines
// indented), so mutations stay inside op calls and their arguments. Every extracted op is
// rendered to SQL and analysed, as `check` and `locks` do.

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
      (void)facts;
    }
  }
  MigrationAnalysis a = AnalyzeMigration(m, file, AnalysisOptions{});
  (void)a;
  return 0;
}
