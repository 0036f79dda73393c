// The engine's use of the schema model: a streaming check (the CLI's) and a plain Lint (the
// language server's) both judge a migration with what earlier migrations established; in PR
// mode (and with files named) tables earlier checked migrations create are new; a migration
// only read for its header makes the model start over.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>

#include "lint/engine/linter.h"
#include "rules/registry.h"

namespace alint {
namespace {

std::string Migration(const std::string& rev, const std::string& down, const std::string& body) {
  return "from alembic import op\nimport sqlalchemy as sa\nrevision = '" + rev +
         "'\ndown_revision = " + (down.empty() ? "None" : "'" + down + "'") +
         "\n\ndef upgrade():\n" + body + "\n\ndef downgrade():\n    pass\n";
}

// m1 creates users (name varchar(20)); m2 creates events; m3 widens users.name without
// existing_type= and indexes both tables without CONCURRENTLY.
void AddHistory(MemoryFileSource& fs) {
  fs.Add("repo/alembic.ini", "[alembic]\nscript_location = migrations\n");
  fs.Add("repo/migrations/versions/m1_users.py",
         Migration("a1", "",
                   "    op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True),\n"
                   "                    sa.Column('name', sa.String(20)))"));
  fs.Add("repo/migrations/versions/m2_events.py",
         Migration("a2", "a1",
                   "    op.create_table('events', sa.Column('id', sa.Integer(), "
                   "primary_key=True))"));
  fs.Add("repo/migrations/versions/m3_change.py",
         Migration("a3", "a2",
                   "    op.alter_column('users', 'name', type_=sa.String(40))\n"
                   "    op.create_index('ix_users_name', 'users', ['name'])\n"
                   "    op.create_index('ix_events_id', 'events', ['id'])"));
}

struct Run {
  std::vector<Finding> findings;
  Workspace ws;
  // "file:rule" for each finding of these rules.
  std::vector<std::string> Of(std::initializer_list<std::string_view> rules) const {
    std::vector<std::string> out;
    for (const Finding& f : findings) {
      for (std::string_view r : rules) {
        if (f.HasRule(r)) {
          out.push_back(
              ws.files[f.span.file].path.substr(ws.files[f.span.file].path.rfind('/') + 1) + ":" +
              std::string(r));
        }
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

// `streaming`: as `check` loads; `changed`: PR mode's report filter (empty: a full check).
Run Check(const FileSource& fs, bool streaming, std::vector<std::string> changed = {},
          ParseMode other = ParseMode::kHeader, bool filter_after_read = false) {
  Result<Discovery> d = Discover(fs, {"repo"});
  REQUIRE(d.ok());
  LintSettings settings;
  settings.select = {"ALL"};
  Result<std::vector<const Rule*>> rules = BuiltinRules().Select(settings);
  REQUIRE(rules.ok());
  LoadOptions load;
  load.jobs = 1;
  load.other_mode = other;
  if (streaming) {
    load.stream_rules = *rules;
    load.stream_settings = &settings;
  }
  if (!changed.empty()) {
    load.report_filter = [changed](const std::string& path) {
      return std::any_of(changed.begin(), changed.end(),
                         [&](const std::string& c) { return path.find(c) != std::string::npos; });
    };
    load.filter_after_read = filter_after_read;
  }
  Run r;
  r.ws = LoadWorkspace(fs, *d, load);
  r.findings = LintOnce(r.ws, BuiltinRules(), *rules, settings, 1);
  return r;
}

TEST_CASE("history: the type a column was created with decides a later change") {
  MemoryFileSource fs;
  AddHistory(fs);
  for (bool streaming : {true, false}) {
    CAPTURE(streaming);
    Run r = Check(fs, streaming);
    // varchar(20) -> varchar(40) is binary-coercible: no rewrite, no finding.
    CHECK(r.Of({"alter-column-type"}).empty());
    // A full check: both tables have rows in production, both indexes lock them.
    CHECK(r.Of({"create-index-non-concurrent"}) ==
          std::vector<std::string>{"m3_change.py:create-index-non-concurrent",
                                   "m3_change.py:create-index-non-concurrent"});
  }
}

TEST_CASE("history: in PR mode a table an earlier migration of the change creates is new") {
  MemoryFileSource fs;
  AddHistory(fs);
  // m2 and m3 are the change; m1 is deployed (read for its header only).
  Run r = Check(fs, true, {"m2_events", "m3_change"});
  // events is created by m2 (not deployed yet): indexing it blocks nobody. users is deployed.
  std::vector<std::string> found = r.Of({"create-index-non-concurrent"});
  REQUIRE(found.size() == 1);
  bool on_users = false;
  for (const Finding& f : r.findings) {
    if (f.HasRule("create-index-non-concurrent"))
      on_users = f.message.find("`users`") != std::string::npos;
  }
  CHECK(on_users);
  // m1 was not read in full, so users.name's type is unknown: the change is judged as before
  // (an uncertain rewrite), never as safe.
  CHECK(r.Of({"alter-column-type"}) == std::vector<std::string>{"m3_change.py:alter-column-type"});
}

TEST_CASE("history: a migration read for its header only makes the model start over") {
  MemoryFileSource fs;
  AddHistory(fs);
  // Only m3 is checked; m1 and m2 are header-only: nothing is known before m3.
  Run r = Check(fs, true, {"m3_change"});
  CHECK(r.Of({"alter-column-type"}) == std::vector<std::string>{"m3_change.py:alter-column-type"});
  CHECK(r.Of({"create-index-non-concurrent"}).size() == 2);
  // Read in full, the same change is judged with m1's type (and events is not new: m2 is
  // not part of the change).
  Run full = Check(fs, true, {"m3_change"}, ParseMode::kFull);
  CHECK(full.Of({"alter-column-type"}).empty());
  CHECK(full.Of({"create-index-non-concurrent"}).size() == 2);
}

// Counts the migrations read, to see when PR mode's filter is asked.
class CountingSource final : public FileSource {
 public:
  explicit CountingSource(const MemoryFileSource& fs) : fs_(fs) {}
  Result<std::string> Read(const std::string& path) const override {
    if (path.size() > 3 && path.compare(path.size() - 3, 3, ".py") == 0 &&
        path.find("/versions/") != std::string::npos)
      ++reads;
    return fs_.Read(path);
  }
  Result<std::vector<DirEntry>> List(const std::string& path) const override {
    return fs_.List(path);
  }
  bool IsFile(const std::string& path) const override { return fs_.IsFile(path); }
  bool IsDir(const std::string& path) const override { return fs_.IsDir(path); }
  long long Size(const std::string& path) const override { return fs_.Size(path); }
  mutable std::atomic<int> reads{0};

 private:
  const MemoryFileSource& fs_;
};

TEST_CASE("history: PR mode asked after every header is read judges as when asked first") {
  MemoryFileSource fs;
  AddHistory(fs);
  for (const std::vector<std::string>& changed :
       {std::vector<std::string>{"m2_events", "m3_change"}, std::vector<std::string>{"m3_change"},
        std::vector<std::string>{"m1_"}}) {
    CAPTURE(changed.front());
    CountingSource counted_first(fs), counted_later(fs);
    Run first = Check(counted_first, true, changed);
    Run later = Check(counted_later, true, changed, ParseMode::kHeader, /*filter_after_read=*/true);
    // Each migration once, as when asked first (plus those the history makes it lint again),
    // except that the changed ones are read for their headers first.
    CHECK(counted_later.reads.load() ==
          counted_first.reads.load() + static_cast<int>(changed.size()));
    for (size_t i = 0; i < first.ws.loaded.size(); ++i) {
      CAPTURE(first.ws.files[i].path);
      CHECK(later.ws.loaded[i].report_on == first.ws.loaded[i].report_on);
      CHECK(later.ws.loaded[i].facts.full == first.ws.loaded[i].facts.full);
    }
    std::vector<std::string> a, b;
    for (const Finding& f : first.findings) a.push_back(f.rule + " " + f.message);
    for (const Finding& f : later.findings) b.push_back(f.rule + " " + f.message);
    CHECK(a == b);
    CHECK_FALSE(a.empty());
  }
}

}  // namespace
}  // namespace alint
