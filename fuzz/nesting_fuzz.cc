// Structured generator for deep nesting, which plain mutation within libFuzzer's default
// 64 KB never reaches: the first bytes of the input choose a construct, where it goes in a
// migration, how deep (up to ~260,000 levels, megabytes of text) and how it is closed; the rest
// is the payload at the innermost level. The result goes through the header scanner, both
// extraction modes and the DDL analysis (and the SQL analysis for SQL placements).
//
// Byte 0: construct; 1: placement; 2-3: depth (big endian) times 1 + byte 4 % 4; 5: closing
// (closed, unclosed, half closed, closed with the wrong bracket).

#include <array>

#include "fuzz/fuzz_util.h"
#include "lint/analysis/migration_analysis.h"
#include "lint/python/extract.h"
#include "lint/python/file_checks.h"
#include "lint/python/header_scan.h"
#include "lint/sql/sql_facts.h"

namespace {

struct Construct {
  const char* open;
  const char* close;
  const char* wrong_close;
};

// Each opens one level; `close` ends it.
constexpr std::array<Construct, 12> kConstructs = {{
    {"(", ")", "]"},
    {"[", "]", ")"},
    {"{", "}", ")"},
    {"([", "])", ")]"},
    {"f(", ")", "]"},
    {"{1: ", "}", "]"},
    {"not ", "", ""},
    {"-", "", ""},
    {"lambda: ", "", ""},
    {"a if b else (", ")", "]"},
    {"x[", "]", ")"},
    {"(1, ", ")", "]"},
}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alint;
  if (size < 6) return 0;
  const Construct& c = kConstructs[data[0] % kConstructs.size()];
  unsigned placement = data[1] % 6;
  size_t depth = ((size_t{data[2]} << 8) | data[3]) * (1 + data[4] % 4);
  unsigned closing = data[5] % 4;
  std::string_view payload = fuzz::AsText(data + 6, size - 6);

  std::string nest;
  if (placement == 5) {
    // Indented blocks: `if x:` per level (CPython stops at 100 levels: IndentationError).
    for (size_t i = 0; i < depth % 2000; ++i) {
      nest += std::string(i, ' ') + "if x:\n";
    }
    nest += std::string(depth % 2000, ' ');
    nest += payload;
    nest += "\n";
  } else {
    nest.reserve(depth * 4 + payload.size());
    for (size_t i = 0; i < depth; ++i) nest += c.open;
    nest += payload;
    size_t closes = closing == 1 ? 0 : closing == 2 ? depth / 2 : depth;
    for (size_t i = 0; i < closes; ++i) nest += closing == 3 && i == 0 ? c.wrong_close : c.close;
  }

  std::string text = "\"\"\"nested\n\nRevision ID: a1\nRevises:\n\"\"\"\nfrom alembic import op\n";
  switch (placement) {
    case 0:  // the revision value itself
      text += "revision = " + nest + "\ndown_revision = None\n";
      break;
    case 1:  // an op call's argument
      text += "revision = 'a1'\ndown_revision = None\n\n\ndef upgrade():\n    op.add_column(" +
              nest + ")\n";
      break;
    case 2:  // a module-level expression before the header
      text += "x = " + nest + "\nrevision = 'a1'\ndown_revision = None\n";
      break;
    case 3:  // a statement in upgrade()
      text += "revision = 'a1'\ndown_revision = None\n\n\ndef upgrade():\n    " + nest + "\n";
      break;
    case 4:  // SQL text with nested parentheses
      text += "revision = 'a1'\ndown_revision = None\n\n\ndef upgrade():\n    op.execute(\"\"\"";
      break;
    case 5:  // nested blocks in upgrade()
    default:
      text += "revision = 'a1'\ndown_revision = None\n\n\ndef upgrade():\n";
      for (std::string_view line : fuzz::Split(nest, "\n")) {
        text += "    ";
        text += line;
        text += "\n";
      }
      break;
  }
  std::string sql;
  if (placement == 4) {
    sql = "SELECT " + nest;
    text += sql + "\"\"\")\n";
  }

  SourceFile file(0, "migrations/versions/a1_nested.py", std::move(text));
  // The header scanner runs before ScanLayout in a header-only read: hostile nesting reaches it.
  FileCheck check = CheckFileBytes(file, /*layout=*/false);
  if (check.parse) (void)ScanHeader(file, check.start);
  Migration header = ExtractMigration(file, ParseMode::kHeader);
  Migration full = ExtractMigration(file, ParseMode::kFull);
  MigrationAnalysis a = AnalyzeMigration(full, file, AnalysisOptions{});
  (void)a;
  if (!sql.empty()) (void)AnalyzeSql(sql);
  return 0;
}
