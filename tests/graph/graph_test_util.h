#pragma once
// Test helper: builds SourceFiles and Migrations from tiny migration headers, filling
// RevisionValue with real spans (a minimal reader for `name = <literal>` lines; the real
// extractor lives in lint/python).

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "lint/core/source.h"
#include "lint/engine/rule.h"
#include "lint/engine/workspace.h"
#include "lint/graph/revision_graph.h"
#include "lint/python/migration.h"

namespace alint::testing {

inline RevisionValue ReadValue(const SourceFile& f, const std::string& name) {
  RevisionValue v;
  size_t pos = 0;
  const std::string& t = f.text;
  while ((pos = t.find(name + " = ", pos)) != std::string::npos) {
    if (pos != 0 && t[pos - 1] != '\n') {
      pos += name.size();
      continue;
    }
    v = RevisionValue();
    v.assignments++;
    v.target = Span{f.id, static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + name.size())};
    size_t b = pos + name.size() + 3;
    size_t e = t.find('\n', b);
    if (e == std::string::npos) e = t.size();
    size_t hash = t.find("  #", b);
    if (hash != std::string::npos && hash < e) e = hash;
    v.value = Span{f.id, static_cast<uint32_t>(b), static_cast<uint32_t>(e)};
    v.source = t.substr(b, e - b);
    std::string src = v.source;
    if (src == "None") {
      v.kind = ValueKind::kNone;
    } else if (src[0] == '"' || src[0] == '\'') {
      v.kind = ValueKind::kString;
      v.items.push_back({src.substr(1, src.size() - 2), v.value});
    } else if (src[0] == '(' || src[0] == '[') {
      v.kind = ValueKind::kSequence;
      for (size_t i = 1; i < src.size(); ++i) {
        if (src[i] != '"' && src[i] != '\'') continue;
        size_t close = src.find(src[i], i + 1);
        v.items.push_back(
            {src.substr(i + 1, close - i - 1),
             Span{f.id, static_cast<uint32_t>(b + i), static_cast<uint32_t>(b + close + 1)}});
        i = close;
      }
    } else {
      v.kind = ValueKind::kNotLiteral;
    }
    pos = e;
  }
  return v;
}

/// An in-memory environment. Add files in discovery order, then Build().
struct Repo {
  std::vector<SourceFile> files;
  std::deque<Migration> migrations;
  std::vector<const Migration*> ptrs;
  Environment env;
  std::unique_ptr<RevisionGraph> graph;

  /// `header` holds lines like `revision = "a"`; a docstring `Create Date:` may be given.
  const Migration& Add(const std::string& path, const std::string& header) {
    FileId id = static_cast<FileId>(files.size());
    files.emplace_back(id, path, header);
    files.back().display_path = path;
    Migration m;
    m.file = id;
    const SourceFile& f = files.back();
    m.revision = ReadValue(f, "revision");
    m.down_revision = ReadValue(f, "down_revision");
    m.branch_labels = ReadValue(f, "branch_labels");
    m.depends_on = ReadValue(f, "depends_on");
    size_t cd = f.text.find("Create Date: ");
    if (cd != std::string::npos) {
      size_t b = cd + 13, e = f.text.find('\n', b);
      m.docstring.present = true;
      m.docstring.create_date =
          DocField{f.text.substr(b, e - b), Span{id, (uint32_t)b, (uint32_t)e}};
    }
    migrations.push_back(std::move(m));
    ptrs.push_back(&migrations.back());
    env.files.push_back(id);
    return migrations.back();
  }
  /// Shorthand: a file `<rev>_m.py` with revision/down_revision (and optional extra lines).
  const Migration& Rev(const std::string& rev, const std::string& down,
                       const std::string& extra = "") {
    return Add("versions/" + rev + "_m.py",
               "revision = \"" + rev + "\"\ndown_revision = " + down + "\n" + extra);
  }
  const RevisionGraph& Build() {
    graph = std::make_unique<RevisionGraph>(ptrs, &files);
    return *graph;
  }
  /// Runs one rule's CheckGraph and returns its findings.
  std::vector<Finding> Check(const Rule& rule, const LintSettings& settings = LintSettings()) {
    if (!graph) Build();
    std::vector<Finding> out;
    RuleContext ctx(rule.info(), rule.info().default_severity, settings, files, &out);
    GraphView view{env, ptrs, *graph};
    rule.CheckGraph(view, ctx);
    return out;
  }
  /// The text a span covers.
  std::string Text(Span s) const { return std::string(files[s.file].Slice(s)); }
};

}  // namespace alint::testing
