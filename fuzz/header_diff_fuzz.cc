// Differential: the fast header scanner (header_scan.cc, used by `heads` and for the files a
// pre-commit `check` does not target) against the tree-sitter reader (used by `check`). When
// the scanner returns facts they must equal the tree-sitter ones (revision, down_revision,
// branch_labels, depends_on) and tree-sitter must see no syntax error: otherwise `heads` and
// `check` reach different verdicts on the same file. A header-only read runs the scanner
// without ScanLayout (the scanner checks the layout bounds as it tokenizes): it must never read
// a file ScanLayout refuses.

#include <fmt/format.h>

#include <algorithm>

#include "fuzz/fuzz_util.h"
#include "lint/python/file_checks.h"
#include "lint/python/header_scan.h"
#include "lint/python/ts_tree.h"

namespace alint {
namespace {

std::string Describe(const RevisionValue& v) {
  std::string s = fmt::format("kind={} target=[{},{}) value=[{},{}) source='{}' n={} cond={}",
                              static_cast<int>(v.kind), v.target.begin, v.target.end, v.value.begin,
                              v.value.end, v.source, v.assignments, v.conditional);
  for (const StringItem& i : v.items) {
    s += fmt::format(" '{}'@[{},{})", i.value, i.span.begin, i.span.end);
  }
  return s;
}

bool Same(const RevisionValue& a, const RevisionValue& b) {
  if (a.kind != b.kind || !(a.target == b.target) || !(a.value == b.value) ||
      a.source != b.source || a.assignments != b.assignments || a.conditional != b.conditional ||
      a.items.size() != b.items.size()) {
    return false;
  }
  for (size_t i = 0; i < a.items.size(); ++i) {
    if (a.items[i].value != b.items[i].value || !(a.items[i].span == b.items[i].span)) {
      return false;
    }
  }
  return true;
}

void Compare(const char* name, const RevisionValue& scan, const RevisionValue& tree) {
  if (!Same(scan, tree)) {
    fuzz::Fail(
        fmt::format("{}: scanner {} / tree-sitter {}", name, Describe(scan), Describe(tree)));
  }
}

}  // namespace
}  // namespace alint

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alint;
  SourceFile file(0, "versions/x.py", std::string(fuzz::AsText(data, size)));
  FileCheck check = CheckFileBytes(file, /*layout=*/false);
  if (!check.parse) return 0;
  std::optional<HeaderFacts> scan = ScanHeader(file, check.start);
  if (!scan) return 0;  // the scanner gave up: the caller parses, nothing to compare
  CheckLayout(file, check);
  if (!check.parse) {
    fuzz::Fail(fmt::format("scanner read a header from a file ScanLayout refuses: {}",
                           check.problems.back().message));
  }
  // Bytes CPython refuses (invalid UTF-8, NUL) are a parse error in every command already:
  // CheckFileBytes reports them before either reader runs, and the graph never reads the
  // values of a file Python cannot import, so neither verdicts nor values are compared.
  bool refused = std::any_of(check.problems.begin(), check.problems.end(),
                             [](const SyntaxProblem& p) { return !p.python_accepts; });
  if (refused) return 0;
  Migration tree;
  tree.file = file.id;
  TsFile ts(file, check.start, check.subscript_stars);
  ReadTreeHeader(ts, tree);
  Compare("revision", scan->revision, tree.revision);
  Compare("down_revision", scan->down_revision, tree.down_revision);
  Compare("branch_labels", scan->branch_labels, tree.branch_labels);
  Compare("depends_on", scan->depends_on, tree.depends_on);
  // ALINT_FUZZ_VALUES_ONLY=1 explores value disagreements while verdict ones are still open.
  static const bool values_only = std::getenv("ALINT_FUZZ_VALUES_ONLY") != nullptr;
  if (!tree.syntax_problems.empty() && !values_only) {
    const SyntaxProblem& p = tree.syntax_problems.front();
    fuzz::Fail(fmt::format("scanner read a header, tree-sitter reports a syntax error at {}: {}",
                           p.span.begin, p.message));
  }
  return 0;
}
