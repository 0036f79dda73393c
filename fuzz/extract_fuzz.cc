// The whole-migration extraction (tree-sitter reader, header and bodies) in both parse modes,
// the encoding of the bodies a streaming check keeps for the history's second pass, then the
// DDL analysis of the extracted ops and SQL, as `check` and `locks` run it, and the encoding
// of the replay input it gives.

#include <fmt/format.h>

#include "fuzz/fuzz_util.h"
#include "lint/analysis/migration_analysis.h"
#include "lint/python/body_codec.h"
#include "lint/python/extract.h"
#include "lint/schema/schema_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alint;
  SourceFile file(0, "migrations/versions/x.py", std::string(fuzz::AsText(data, size)));
  Migration header = ExtractMigration(file, ParseMode::kHeader);
  Migration full = ExtractMigration(file, ParseMode::kFull);
  // Spans must lie inside the file (reporters slice the text with them).
  auto in_file = [&](const Span& s, const char* what) {
    if (s.valid() && (s.begin > s.end || s.end > file.text.size())) {
      fuzz::Fail(fmt::format("{} span [{}, {}) outside the file ({} bytes)", what, s.begin, s.end,
                             file.text.size()));
    }
  };
  for (const Migration* m : {&header, &full}) {
    for (const RevisionValue* v :
         {&m->revision, &m->down_revision, &m->branch_labels, &m->depends_on}) {
      in_file(v->target, "assignment target");
      in_file(v->value, "assigned value");
      for (const StringItem& i : v->items) in_file(i.span, "value item");
    }
    for (const SyntaxProblem& p : m->syntax_problems) in_file(p.span, "syntax problem");
    for (const Suppression& s : m->suppressions) in_file(s.span, "suppression");
  }
  for (const OpCall& op : full.ops) in_file(op.name_span, "op name");
  for (const SqlString& s : full.sql) {
    in_file(s.span, "SQL string");
    for (uint32_t i = 0; i <= s.text.size(); i += 1 + static_cast<uint32_t>(s.text.size() / 8)) {
      if (s.FileOffset(i) > file.text.size()) fuzz::Fail("SQL offset maps outside the file");
    }
  }
  // The body a streaming check keeps for the history's second pass decodes to the same facts.
  std::string kept;
  EncodeBody(full, file.text, &kept);
  Migration back;
  if (!DecodeBody(kept, file.text, &back)) fuzz::Fail("a kept body does not decode");
  if (back.ops != full.ops || back.sql != full.sql || back.dynamic_sql != full.dynamic_sql)
    fuzz::Fail("a kept body decodes to other facts");
  AnalysisOptions options;
  MigrationAnalysis a = AnalyzeMigration(full, file, options);
  // The replay's input as a streaming check holds it, encoded, decodes to the same.
  const SchemaInput input = SchemaInputOf(std::move(a), full);
  std::string held;
  EncodeSchemaInput(input, &held);
  SchemaInput back_input;
  if (!DecodeSchemaInput(held, &back_input) || !(back_input == input))
    fuzz::Fail("a schema input decodes to another");
  return 0;
}
