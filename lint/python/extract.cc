#include "lint/python/extract.h"

#include "lint/python/file_checks.h"
#include "lint/python/header_scan.h"
#include "lint/python/ts_tree.h"

namespace alint {

Migration ExtractMigration(const SourceFile& file, ParseMode mode) {
  Migration m;
  m.file = file.id;
  // A header-only read lets the header scanner check the layout bounds as it tokenizes (one
  // pass over the file instead of two); when it is unsure, ScanLayout runs as for a full read.
  FileCheck check = CheckFileBytes(file, /*layout=*/mode != ParseMode::kHeader);
  m.syntax_problems = std::move(check.problems);
  if (!check.parse) return m;
  if (mode == ParseMode::kHeader) {
    if (std::optional<HeaderFacts> h = ScanHeader(file, check.start)) {
      h->MoveInto(m);
      return m;
    }
    check.problems.clear();
    CheckLayout(file, check);
    for (SyntaxProblem& p : check.problems) m.syntax_problems.push_back(std::move(p));
    if (!check.parse) return m;
  }
  TsFile tree(file, check.start, check.subscript_stars);
  ReadTreeHeader(tree, m);
  CheckLogicalLines(tree, check.newlines, m);
  if (mode == ParseMode::kFull) {
    m.full = true;
    ReadTreeBody(tree, m);
  }
  return m;
}

}  // namespace alint
