// A long check's findings set aside between linting a file and reporting it: the codec keeps
// every field, the spill gives back what was put (on disk or, without a temporary file, in
// memory), and a streamed run reports what a collected one does, in the same order.
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <mutex>

#include "lint/core/finding_codec.h"
#include "lint/engine/finding_spill.h"
#include "lint/engine/linter.h"
#include "rules/registry.h"

namespace alint {
namespace {

Finding Full() {
  Finding f;
  f.rule = "missing-lock-timeout";
  f.severity = Severity::kError;
  f.span = Span{7, 120, 180};
  f.message = "a statement takes `ACCESS EXCLUSIVE` on \"users\" \xC3\xA9\n(two lines)";
  f.help = std::string("set lock_timeout first\nand retry");
  f.related.push_back({Span{3, 0, 4}, "declared here"});
  f.related.push_back({Span{}, "no location"});
  Fix fix;
  fix.title = "give it a new id";
  fix.applicability = Applicability::kDisplayOnly;
  fix.edits.push_back({Span{7, 10, 22}, "'0123456789ab'"});
  fix.edits.push_back({Span{9, 0, 0}, ""});
  fix.renames.push_back({7, "0123456789ab_add.py"});
  fix.new_id = {7, "a1", "0123456789ab", false};
  fix.rule = "duplicate-revision";
  f.fix = std::move(fix);
  f.notes.push_back({"exclusive-lock-held", Severity::kInfo, "held until commit"});
  return f;
}

void CheckSame(const Finding& a, const Finding& b) {
  CHECK(a.rule == b.rule);
  CHECK(a.severity == b.severity);
  CHECK(a.span == b.span);
  CHECK(a.message == b.message);
  CHECK(a.help == b.help);
  REQUIRE(a.related.size() == b.related.size());
  for (size_t i = 0; i < a.related.size(); ++i) {
    CHECK(a.related[i].span == b.related[i].span);
    CHECK(a.related[i].message == b.related[i].message);
  }
  REQUIRE(static_cast<bool>(a.fix) == static_cast<bool>(b.fix));
  if (a.fix) {
    CHECK(a.fix->title == b.fix->title);
    CHECK(a.fix->applicability == b.fix->applicability);
    REQUIRE(a.fix->edits.size() == b.fix->edits.size());
    for (size_t i = 0; i < a.fix->edits.size(); ++i) {
      CHECK(a.fix->edits[i].span == b.fix->edits[i].span);
      CHECK(a.fix->edits[i].replacement == b.fix->edits[i].replacement);
    }
    REQUIRE(a.fix->renames.size() == b.fix->renames.size());
    for (size_t i = 0; i < a.fix->renames.size(); ++i) {
      CHECK(a.fix->renames[i].file == b.fix->renames[i].file);
      CHECK(a.fix->renames[i].new_name == b.fix->renames[i].new_name);
    }
    CHECK(a.fix->new_id.file == b.fix->new_id.file);
    CHECK(a.fix->new_id.from == b.fix->new_id.from);
    CHECK(a.fix->new_id.to == b.fix->new_id.to);
    CHECK(a.fix->new_id.references == b.fix->new_id.references);
    CHECK(a.fix->rule == b.fix->rule);
  }
  REQUIRE(a.notes.size() == b.notes.size());
  for (size_t i = 0; i < a.notes.size(); ++i) {
    CHECK(a.notes[i].rule == b.notes[i].rule);
    CHECK(a.notes[i].severity == b.notes[i].severity);
    CHECK(a.notes[i].message == b.notes[i].message);
  }
}

TEST_CASE("finding codec: every field comes back") {
  std::vector<Finding> in{Full(), Finding{}};
  in[1].rule = "parse-error";
  in[1].span = Span{kNoFile - 1, UINT32_MAX, UINT32_MAX};
  std::string bytes;
  EncodeFindings(in, &bytes);
  Result<std::vector<Finding>> out = DecodeFindings(bytes);
  REQUIRE(out.ok());
  REQUIRE(out->size() == 2);
  CheckSame((*out)[0], in[0]);
  CheckSame((*out)[1], in[1]);
  CHECK_FALSE((*out)[1].help);
  CHECK_FALSE((*out)[1].fix);
}

TEST_CASE("finding codec: cut or damaged bytes are an error, never a crash") {
  std::vector<Finding> in{Full(), Full()};
  std::string bytes;
  EncodeFindings(in, &bytes);
  for (size_t n = 0; n < bytes.size(); ++n) {
    CAPTURE(n);
    CHECK_FALSE(DecodeFindings(std::string_view(bytes).substr(0, n)).ok());
  }
  CHECK_FALSE(DecodeFindings(bytes + "x").ok());
  // A count far larger than the bytes: refused before anything is allocated for it.
  CHECK_FALSE(DecodeFindings(std::string("\xFF\xFF\xFF\xFF\x0F", 5)).ok());
  // Every single byte changed: an error or some findings, never a crash.
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    (void)DecodeFindings(bad);
  }
}

void SpillRoundTrip(FindingSpill& spill) {
  CHECK_FALSE(spill.Has(0));
  spill.Put(0, {Full()});
  spill.Put(2, {});
  spill.Put(1, {Full(), Full()});
  spill.Put(0, {Full(), Full(), Full()});  // replaces the first
  CHECK(spill.Has(0));
  CHECK(spill.Has(2));
  Result<std::vector<Finding>> zero = spill.Take(0);
  REQUIRE(zero.ok());
  CHECK(zero->size() == 3);
  CheckSame(zero->back(), Full());
  CHECK_FALSE(spill.Has(0));
  CHECK(spill.Take(0)->empty());  // taken once
  CHECK(spill.Take(1)->size() == 2);
  CHECK(spill.Take(2)->empty());
  CHECK(spill.Take(99)->empty());  // out of range: none
  spill.Put(99, {Full()});         // ignored
  CHECK_FALSE(spill.Has(99));
}

TEST_CASE("finding spill: what is put comes back, on disk or in memory") {
  {
    FindingSpill spill(3);
    CHECK(spill.on_disk());
    SpillRoundTrip(spill);
  }
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  setenv("TMPDIR", "/nonexistent/alembic-lint-test", 1);
  {
    FindingSpill spill(3);
    CHECK_FALSE(spill.on_disk());
    SpillRoundTrip(spill);
  }
  if (old != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
}

std::string Migration(const std::string& rev, const std::string& down, const std::string& body) {
  return "from alembic import op\nimport sqlalchemy as sa\nrevision = '" + rev +
         "'\ndown_revision = " + (down.empty() ? "None" : "'" + down + "'") +
         "\n\ndef upgrade():\n" + body + "\n\ndef downgrade():\n    pass\n";
}

// Two heads (a graph finding), lock findings merged on one statement, a used and an unused
// suppression, a per-file ignore, and the history's second pass (m3's alter_column).
void AddRepo(MemoryFileSource& fs) {
  fs.Add("repo/alembic.ini", "[alembic]\nscript_location = migrations\n");
  fs.Add("repo/migrations/versions/m1_users.py",
         Migration("a1", "",
                   "    op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True),\n"
                   "                    sa.Column('name', sa.String(20)))"));
  fs.Add("repo/migrations/versions/m2_events.py",
         Migration("a2", "a1",
                   "    op.create_table('events', sa.Column('id', sa.Integer()))\n"
                   "    op.drop_column('users', 'name')  # alembic-lint: ignore[drop-column] ok\n"
                   "    op.execute('SELECT 1')  # alembic-lint: ignore[drop-table] stale"));
  fs.Add("repo/migrations/versions/m3_change.py",
         Migration("a3", "a2",
                   "    op.alter_column('users', 'id', type_=sa.BigInteger())\n"
                   "    op.create_index('ix_users_id', 'users', ['id'])\n"
                   "    op.execute('ALTER TABLE events ADD CONSTRAINT fk FOREIGN KEY (id) "
                   "REFERENCES users (id)')"));
  fs.Add("repo/migrations/versions/m4_fork.py",
         Migration("a4", "a2", "    op.create_index('ix_events_id', 'events', ['id'])"));
}

std::vector<std::string> Lines(const std::vector<Finding>& v, const Workspace& ws) {
  std::vector<std::string> out;
  for (const Finding& f : v) {
    std::string s = (f.span.valid() ? ws.files[f.span.file].display_path : std::string("-")) + ":" +
                    std::to_string(f.span.begin) + ":" + f.rule + ":" + f.message;
    for (const Note& n : f.notes) s += " +" + n.rule;
    out.push_back(s);
  }
  return out;
}

TEST_CASE("LintStream: the collected report's findings, in its order, one file at a time") {
  MemoryFileSource fs;
  AddRepo(fs);
  Result<Discovery> d = Discover(fs, {"repo"});
  REQUIRE(d.ok());
  LintSettings settings;
  settings.select = {"ALL"};
  settings.per_file_ignores.push_back({"*m4_fork.py", {"create-index-non-concurrent"}});
  Result<std::vector<const Rule*>> rules = BuiltinRules().Select(settings);
  REQUIRE(rules.ok());
  auto load = [&](bool spill) {
    LoadOptions o;
    o.jobs = 2;
    o.stream_rules = *rules;
    o.stream_settings = &settings;
    o.spill_findings = spill;
    return LoadWorkspace(fs, *d, o);
  };
  Workspace collected_ws = load(false);
  const std::vector<std::string> want =
      Lines(LintOnce(collected_ws, BuiltinRules(), *rules, settings, 2), collected_ws);
  REQUIRE(want.size() > 5);
  auto has = [&](std::string_view what) {
    return std::any_of(want.begin(), want.end(),
                       [&](const std::string& s) { return s.find(what) != std::string::npos; });
  };
  CHECK(has(":multiple-heads:"));
  CHECK(has(":unused-suppression:"));
  CHECK_FALSE(has(":drop-column:"));                // suppressed
  CHECK_FALSE(has("m4_fork.py:120:create-index"));  // ignored by path
  CHECK(has(" +"));                                 // a merged statement

  for (bool spill : {false, true}) {
    CAPTURE(spill);
    Workspace ws = load(spill);
    CHECK(static_cast<bool>(ws.spill) == spill);
    // The texts were read again at the end of the load.
    for (const SourceFile& f : ws.files) CHECK_FALSE(f.text.empty());
    std::vector<Finding> got, head;
    int heads = 0, groups = 0;
    LintStreamOut out;
    out.head = [&](std::vector<Finding>& h) {
      ++heads;
      CHECK(groups == 0);
      head = h;
    };
    out.group = [&](std::vector<Finding>& g) {
      ++groups;
      CHECK_FALSE(g.empty());
      // One file per group here (no two files share a display path).
      for (const Finding& f : g) CHECK(f.span.file == g.front().span.file);
      std::move(g.begin(), g.end(), std::back_inserter(got));
    };
    REQUIRE(LintStream(ws, BuiltinRules(), *rules, settings, 2, out).ok());
    CHECK(heads == 1);
    CHECK(groups >= 3);
    CHECK(Lines(got, ws) == want);
    // The head: the findings of the rules about the whole history (the fork, the file names
    // that do not match their revisions), as they are in the groups; no file rule's.
    const std::vector<std::string> head_lines = Lines(head, ws);
    CHECK(head_lines.size() == 5);
    CHECK(std::any_of(head.begin(), head.end(),
                      [](const Finding& f) { return f.rule == "multiple-heads"; }));
    for (const std::string& h : head_lines) {
      CAPTURE(h);
      CHECK(std::find(want.begin(), want.end(), h) != want.end());
      CHECK(h.find("create-index") == std::string::npos);
    }
  }
}

// Gives `changed` another text from its second read on.
class ChangingSource final : public FileSource {
 public:
  ChangingSource(const MemoryFileSource& fs, std::string changed)
      : fs_(fs), changed_(std::move(changed)) {}
  Result<std::string> Read(const std::string& path) const override {
    Result<std::string> r = fs_.Read(path);
    std::lock_guard<std::mutex> lock(mu_);
    if (path == changed_ && reads_[path]++ > 0 && r.ok()) return *r + "# edited\n";
    return r;
  }
  Result<std::vector<DirEntry>> List(const std::string& path) const override {
    return fs_.List(path);
  }
  bool IsFile(const std::string& path) const override { return fs_.IsFile(path); }
  bool IsDir(const std::string& path) const override { return fs_.IsDir(path); }
  long long Size(const std::string& path) const override { return fs_.Size(path); }

 private:
  const MemoryFileSource& fs_;
  std::string changed_;
  mutable std::mutex mu_;
  mutable std::map<std::string, int> reads_;
};

// The load error of a check of AddRepo's repository in which `path` reads differently from
// its second read on.
std::string EditedLoadError(const std::string& path, bool spill) {
  MemoryFileSource fs;
  AddRepo(fs);
  ChangingSource changing(fs, path);
  Result<Discovery> d = Discover(changing, {"repo"});
  REQUIRE(d.ok());
  LintSettings settings;
  Result<std::vector<const Rule*>> rules = BuiltinRules().Select(settings);
  REQUIRE(rules.ok());
  LoadOptions o;
  o.stream_rules = *rules;
  o.stream_settings = &settings;
  o.spill_findings = spill;
  return LoadWorkspace(changing, *d, o).load_error;
}

TEST_CASE("spilled load: a file edited while it is checked stops the run, naming it") {
  const std::string path = "repo/migrations/versions/m4_fork.py";
  CHECK(EditedLoadError(path, true) ==
        path + ": changed while alembic-lint was checking it; run the check again");
  // Without the spill the text is read once: nothing to compare.
  CHECK(EditedLoadError(path, false).empty());
}

}  // namespace
}  // namespace alint

namespace alint {
namespace {

TEST_CASE("the history's second pass: the kept bodies give what parsing again gives") {
  MemoryFileSource fs;
  AddRepo(fs);
  Result<Discovery> d = Discover(fs, {"repo"});
  REQUIRE(d.ok());
  LintSettings settings;
  settings.select = {"ALL"};
  Result<std::vector<const Rule*>> rules = BuiltinRules().Select(settings);
  REQUIRE(rules.ok());
  for (bool spill : {false, true}) {
    CAPTURE(spill);
    auto lines = [&](bool reparse) {
      LoadOptions o;
      o.jobs = 2;
      o.stream_rules = *rules;
      o.stream_settings = &settings;
      o.spill_findings = spill;
      o.reparse_for_history = reparse;
      Workspace ws = LoadWorkspace(fs, *d, o);
      CHECK(ws.load_error.empty());
      for (const LoadedFile& f : ws.loaded) CHECK(f.kept_body.empty());  // all used or freed
      return Lines(LintOnce(ws, BuiltinRules(), *rules, settings, 2), ws);
    };
    const std::vector<std::string> kept = lines(false);
    CHECK(kept == lines(true));
    // m3 asks the history what type users.id had: m1 says (integer), and the finding says
    // why the change rewrites, which it cannot without the history.
    CHECK(std::any_of(kept.begin(), kept.end(), [](const std::string& s) {
      return s.find("m3_change.py") != std::string::npos &&
             s.find("integer types have different sizes") != std::string::npos;
    }));
  }
}

TEST_CASE("spilled load: a file the history's second pass reads again, edited, stops the run") {
  // m3 asks the history (the type users.id had), so its kept body is decoded against the
  // text read again, which differs.
  const std::string path = "repo/migrations/versions/m3_change.py";
  CHECK(EditedLoadError(path, true) ==
        path + ": changed while alembic-lint was checking it; run the check again");
}

}  // namespace
}  // namespace alint
