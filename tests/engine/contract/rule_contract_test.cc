// The engine's rule contract, exercised with fake rules defined here. This binary links the
// engine library alone (no built-in rule), so it also proves the layering: the engine knows
// only the RuleSet it is given and its own rules (parse-error, environment-error,
// unused-suppression).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lint/config/config.h"
#include "lint/core/file_source.h"
#include "lint/engine/engine_rules.h"
#include "lint/engine/linter.h"
#include "lint/engine/rule_set.h"
#include "lint/graph/revision_graph.h"

namespace alint {
namespace {

// A file rule: one finding at every "FLAG" in the file (at most `fake-max-flags`, an option it
// declares), message "flag <n>" (n counts from 1).
constexpr RuleOption kFlagOptions[] = {
    {"fake-max-flags", RuleOption::Type::kInt, "Most flags reported per file", 5, 1, 10}};

class FlagRule final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"fake-flag", "A FLAG marker", Severity::kWarning, "fake", kFlagOptions};
    return i;
  }
  void CheckMigration(const Migration& m, RuleContext& ctx) const override {
    const std::string& text = ctx.file(m.file).text;
    int n = 0;
    for (size_t at = text.find("FLAG");
         at != std::string::npos && n < ctx.IntOption("fake-max-flags");
         at = text.find("FLAG", at + 1)) {
      auto b = static_cast<uint32_t>(at);
      ctx.Report(Span{m.file, b, b + 4}, fmt::format("flag {}", ++n));
    }
  }
};

// A graph rule: one finding per head of each environment, on its revision id.
class HeadRule final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"fake-head", "Every head", Severity::kInfo, "fake"};
    return i;
  }
  void CheckGraph(const GraphView& view, RuleContext& ctx) const override {
    for (uint32_t h : view.graph.heads()) {
      const GraphNode& n = view.graph.node(h);
      ctx.Report(n.id_span, fmt::format("head {} in {}", n.id, view.env.name));
    }
  }
};

// A rule that never reports: a suppression naming it is unused; one naming an unknown rule is
// reported as unknown only when the name is not in the RuleSet.
class QuietRule final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"fake-quiet", "Never reports", Severity::kError, "fake"};
    return i;
  }
};

const FlagRule kFlag;
const HeadRule kHead;
const QuietRule kQuiet;

RuleSet FakeRules() {
  const Rule* rules[] = {&kQuiet, &kHead, &kFlag};
  return RuleSet(rules);
}

std::string Migration(const std::string& rev, const std::string& down, const std::string& body) {
  return fmt::format("revision = '{}'\ndown_revision = {}\n\n{}", rev,
                     down.empty() ? "None" : "'" + down + "'", body);
}

// Two environments: env "one" a1 <- b1 and a1 <- c1 (two heads), env "two" a single x1.
struct Repo {
  MemoryFileSource fs;
  Discovery discovery;

  Repo() {
    fs.Add("/r/one/a1_base.py", Migration("a1", "", "def upgrade():\n    pass  # FLAG\n"));
    fs.Add("/r/one/b1_left.py", Migration("b1", "a1", "def upgrade():\n    pass  # FLAG FLAG\n"));
    fs.Add("/r/one/c1_right.py",
           Migration("c1", "a1",
                     "def upgrade():\n    pass  # FLAG  # alembic-lint: ignore[fake-flag]\n"));
    fs.Add("/r/two/x1_only.py", Migration("x1", "",
                                          "# alembic-lint: ignore-file[fake-quiet]\n"
                                          "# alembic-lint: ignore-file[no-such-rule]\n"
                                          "def upgrade():\n    pass\n"));
    DiscoveredEnv one;
    one.name = "one";
    one.version_dirs = {"/r/one"};
    one.files = {"/r/one/a1_base.py", "/r/one/b1_left.py", "/r/one/c1_right.py"};
    DiscoveredEnv two;
    two.name = "two";
    two.version_dirs = {"/r/two"};
    two.files = {"/r/two/x1_only.py"};
    discovery.envs = {one, two};
  }

  Workspace ws;  // of the last Run

  std::vector<Finding> Run(const LintSettings& settings) {
    RuleSet set = FakeRules();
    Result<std::vector<const Rule*>> rules = set.Select(settings);
    REQUIRE(rules.ok());
    LoadOptions load;
    load.jobs = 1;
    load.target_mode = TargetParseMode(*rules);
    ws = LoadWorkspace(fs, discovery, load);
    return Lint(ws, set, *rules, settings, 1);
  }

  // "rule severity file:text-at-span: message", the file by its base name.
  std::vector<std::string> Lines(const std::vector<Finding>& findings) const {
    std::vector<std::string> out;
    for (const Finding& f : findings) {
      const SourceFile& file = ws.files[f.span.file];
      out.push_back(fmt::format("{} {} {}:{}: {}", f.rule, SeverityName(f.severity),
                                BaseName(file.path), file.Slice(f.span), f.message));
    }
    return out;
  }
};

std::vector<std::string> RulesOf(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.rule);
  return out;
}

size_t Count(const std::vector<Finding>& findings, std::string_view rule) {
  return static_cast<size_t>(std::count_if(findings.begin(), findings.end(),
                                           [&](const Finding& f) { return f.rule == rule; }));
}

TEST_CASE("RuleSet: the engine's rules are always in; lookup, order and docs") {
  RuleSet set = FakeRules();
  REQUIRE(set.size() == 6);
  // Sorted by category, then name; the engine's rules are in category "structure".
  std::vector<std::string> names;
  for (const Rule* r : set) names.emplace_back(r->info().name);
  CHECK(names == std::vector<std::string>{"fake-flag", "fake-head", "fake-quiet",
                                          "environment-error", "parse-error",
                                          "unused-suppression"});
  CHECK(set.Find("fake-head") == &kHead);
  CHECK(set.Find("parse-error") == &ParseErrorRule());
  CHECK(set.Find("multiple-heads") == nullptr);  // no built-in rule is linked in here
  CHECK(set.Doc("fake-head") == nullptr);
  // A rule listed twice (or an engine rule listed again) counts once.
  const Rule* twice[] = {&kFlag, &kFlag, &UnusedSuppressionRule()};
  CHECK(RuleSet(twice).size() == 4);
  const RuleDoc docs[] = {{"fake-flag", "rules/fake/fake_flag.md", "# fake-flag\n"}};
  const Rule* one[] = {&kFlag};
  RuleSet with_docs(one, docs);
  REQUIRE(with_docs.Doc("fake-flag") != nullptr);
  CHECK(with_docs.Doc("fake-flag")->path == "rules/fake/fake_flag.md");
}

TEST_CASE("RuleSet::Select: select, ALL, ignore, unknown names") {
  RuleSet set = FakeRules();
  auto names = [](const Result<std::vector<const Rule*>>& r) {
    std::vector<std::string> out;
    for (const Rule* x : *r) out.emplace_back(x->info().name);
    return out;
  };
  LintSettings s;
  CHECK(names(set.Select(s)).size() == 6);
  s.select = {"fake-head", "parse-error"};
  CHECK(names(set.Select(s)) == std::vector<std::string>{"fake-head", "parse-error"});
  s.select = {"ALL"};
  s.ignore = {"fake-flag", "unused-suppression"};
  CHECK(names(set.Select(s)) ==
        std::vector<std::string>{"fake-head", "fake-quiet", "environment-error", "parse-error"});
  s.ignore = {"multiple-heads"};  // a real rule, but not in this set
  Result<std::vector<const Rule*>> bad = set.Select(s);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message ==
        "unknown rule or category `multiple-heads`; the categories are fake, structure, and "
        "`alembic-lint rules` lists the rules");
  s.ignore.clear();
  s.severity["fake-nope"] = Severity::kError;
  bad = set.Select(s);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "unknown rule `fake-nope` in severity settings");
}

// A rule whose name is also a category's: cannot happen with the built-in rules.
class NamedLikeCategory : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"fake", "Named like its category", Severity::kInfo, "other"};
    return i;
  }
};
const NamedLikeCategory kNamedLikeCategory;

TEST_CASE("RuleSet::Select: a category selects or ignores every rule of it") {
  RuleSet set = FakeRules();
  auto names = [](const Result<std::vector<const Rule*>>& r) {
    REQUIRE(r.ok());
    std::vector<std::string> out;
    for (const Rule* x : *r) out.emplace_back(x->info().name);
    return out;
  };
  CHECK(set.Categories() == std::vector<std::string_view>{"fake", "structure"});
  LintSettings s;
  s.select = {"fake"};
  CHECK(names(set.Select(s)) == std::vector<std::string>{"fake-flag", "fake-head", "fake-quiet"});
  s.select = {"fake", "parse-error"};  // a category and a rule together
  CHECK(names(set.Select(s)) ==
        std::vector<std::string>{"fake-flag", "fake-head", "fake-quiet", "parse-error"});
  s.ignore = {"fake-head"};
  CHECK(names(set.Select(s)) == std::vector<std::string>{"fake-flag", "fake-quiet", "parse-error"});
  s.select.clear();
  s.ignore = {"structure"};
  CHECK(names(set.Select(s)) == std::vector<std::string>{"fake-flag", "fake-head", "fake-quiet"});
  // A typo of a rule name is an error that names the categories and the likely rule.
  s.ignore = {"fake-hed"};
  Result<std::vector<const Rule*>> bad = set.Select(s);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("unknown rule or category `fake-hed` (did you mean `fake-head`") !=
        std::string::npos);
  CHECK(bad.error().message.find("the categories are fake, structure") != std::string::npos);
  // A name that is both a rule and a category is ambiguous: an error, never a guess.
  const Rule* clash[] = {&kFlag, &kNamedLikeCategory};
  RuleSet both(clash);
  s.ignore = {"fake"};
  bad = both.Select(s);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "`fake` is both a rule and a category; rename one of them");
  s.ignore = {"other"};
  CHECK(names(both.Select(s)) == std::vector<std::string>{"fake-flag", "environment-error",
                                                          "parse-error", "unused-suppression"});
}

TEST_CASE("Lint with fake rules: file and graph findings, suppressions, sorting") {
  Repo repo;
  std::vector<Finding> f = repo.Run(LintSettings{});
  // Sorted by (path, offset, rule, message); c1's FLAG is suppressed on its line; x1's
  // suppression of fake-quiet is unused and the one naming an unknown rule is reported.
  CHECK(repo.Lines(f) ==
        std::vector<std::string>{
            "fake-flag warning a1_base.py:FLAG: flag 1",
            "fake-head info b1_left.py:'b1': head b1 in one",
            "fake-flag warning b1_left.py:FLAG: flag 1",
            "fake-flag warning b1_left.py:FLAG: flag 2",
            "fake-head info c1_right.py:'c1': head c1 in one",
            "fake-head info x1_only.py:'x1': head x1 in two",
            "unused-suppression info x1_only.py:fake-quiet: unused suppression: no "
            "`fake-quiet` finding here",
            "unused-suppression info x1_only.py:no-such-rule: suppression names an unknown "
            "rule `no-such-rule`"});
  // Within a file, by offset.
  REQUIRE(f.size() == 8);
  CHECK(f[2].span.begin < f[3].span.begin);
}

TEST_CASE("Lint with fake rules: severity overrides and selection") {
  Repo repo;
  LintSettings s;
  s.severity["fake-head"] = Severity::kError;
  s.severity["fake-flag"] = Severity::kInfo;
  std::vector<Finding> f = repo.Run(s);
  for (const Finding& x : f) {
    if (x.rule == "fake-head") CHECK(x.severity == Severity::kError);
    if (x.rule == "fake-flag") CHECK(x.severity == Severity::kInfo);
  }
  CHECK(Count(f, "fake-head") == 3);

  // Only the graph rule: no file findings, and unused-suppression is off with the others.
  LintSettings only;
  only.select = {"fake-head"};
  f = repo.Run(only);
  CHECK(RulesOf(f) == std::vector<std::string>{"fake-head", "fake-head", "fake-head"});

  // unused-suppression on, fake-quiet off: a suppression of a disabled rule is not "unused",
  // an unknown name still is reported.
  LintSettings no_quiet;
  no_quiet.ignore = {"fake-quiet"};
  f = repo.Run(no_quiet);
  CHECK(Count(f, "unused-suppression") == 1);
  CHECK(f.back().message == "suppression names an unknown rule `no-such-rule`");
}

TEST_CASE("Lint with fake rules: a suppression naming a rule of the set is not unknown") {
  Repo repo;
  repo.fs.Add("/r/two/x1_only.py",
              Migration("x1", "",
                        "# alembic-lint: ignore-file[fake-head]\ndef upgrade():\n"
                        "    pass\n"));
  std::vector<Finding> f = repo.Run(LintSettings{});
  CHECK(Count(f, "unused-suppression") == 0);  // x1's head finding is suppressed: used
  CHECK(Count(f, "fake-head") == 2);
}

TEST_CASE("Rule options: declared in RuleInfo, read from the config by type, default otherwise") {
  RuleSet set = FakeRules();
  REQUIRE(set.options().size() == 1);
  CHECK(set.FindOption("fake-max-flags") == &kFlagOptions[0]);
  Result<Config> c = ParseConfig("fake-max-flags = 1\n", "/r/.alembic-lint.toml", false, "/r", set);
  REQUIRE_MESSAGE(c.ok(), c.error().message);
  CHECK(c->settings.options.at("fake-max-flags").number == 1);
  Repo repo;
  // b1 has two flags: the configured limit keeps one; the default (5) keeps both.
  CHECK(Count(repo.Run(c->settings), "fake-flag") == 2);
  CHECK(Count(repo.Run(LintSettings{}), "fake-flag") == 3);

  Result<Config> out_of_range =
      ParseConfig("fake-max-flags = 11\n", "/r/.alembic-lint.toml", false, "/r", set);
  REQUIRE_FALSE(out_of_range.ok());
  CHECK(out_of_range.error().message ==
        "/r/.alembic-lint.toml:1:18: `fake-max-flags` must be between 1 and 10 (got 11)");
  // The key exists only with the rule that declares it.
  const Rule* none[] = {&kHead};
  Result<Config> unknown =
      ParseConfig("fake-max-flags = 1\n", "/r/.alembic-lint.toml", false, "/r", RuleSet(none));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find(
            "`fake-max-flags` is not a known key (known: select, "
            "ignore, severity, per-file-ignores, fail-on, min-severity, applied, "
            "pg-version, sql-files-in-transaction, "
            "dialect, environments)") != std::string::npos);
  Result<Config> listed = ParseConfig("nope = 1\n", "/r/.alembic-lint.toml", false, "/r", set);
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().message.find("sql-files-in-transaction, fake-max-flags, dialect") !=
        std::string::npos);
}

TEST_CASE("Lint with fake rules: per-file-ignores") {
  Repo repo;
  LintSettings s;
  s.base_dir = "/r";
  s.per_file_ignores = {{"one/b1_*.py", {"fake-flag"}}, {"x1_only.py", {"ALL"}}};
  std::vector<Finding> f = repo.Run(s);
  // b1 keeps its head finding but loses its flags; x1 loses its head finding. Suppressions
  // are judged after the per-path ignores, and the engine's findings about them are not
  // filtered by path: x1's two stay.
  CHECK(RulesOf(f) == std::vector<std::string>{"fake-flag", "fake-head", "fake-head",
                                               "unused-suppression", "unused-suppression"});
}

TEST_CASE("Lint with fake rules: parse-error is the engine's and follows selection") {
  Repo repo;
  repo.fs.Add("/r/one/b1_left.py", "revision = 'b1'\ndown_revision = 'a1'\ndef upgrade(:\n");
  std::vector<Finding> f = repo.Run(LintSettings{});
  REQUIRE(Count(f, "parse-error") == 1);
  LintSettings off;
  off.ignore = {"parse-error"};
  CHECK(Count(repo.Run(off), "parse-error") == 0);
  // Only graph rules and no parse-error: the reported files need the header only.
  const Rule* graph_only[] = {&kHead};
  CHECK(TargetParseMode(graph_only) == ParseMode::kHeader);
  const Rule* with_parse_error[] = {&kHead, &ParseErrorRule()};
  CHECK(TargetParseMode(with_parse_error) == ParseMode::kFull);
}

TEST_CASE("Lint with fake rules: environment-error is emitted by the engine when selected") {
  Repo repo;
  repo.fs.Add("/r/alembic.ini", "[alembic]\nscript_location = nowhere\n");
  repo.discovery.broken.push_back(
      {"alembic.ini", "/r/alembic.ini", 2, "/r/alembic.ini:2: script_location does not exist"});
  std::vector<Finding> f = repo.Run(LintSettings{});
  REQUIRE(Count(f, "environment-error") == 1);
  auto it = std::find_if(f.begin(), f.end(),
                         [](const Finding& x) { return x.rule == "environment-error"; });
  CHECK(it->message == "environment alembic.ini is not linted: script_location does not exist");
  CHECK(it->severity == Severity::kError);
  LintSettings off;
  off.ignore = {"environment-error"};
  CHECK(Count(repo.Run(off), "environment-error") == 0);
}

// A file rule that speaks of other files: checking c1, one finding on a1's first line and
// one with no location; a FLAG-like marker on its own file too.
class ElsewhereRule final : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"fake-elsewhere", "Reports on other files", Severity::kWarning, "fake"};
    return i;
  }
  // (`struct`: the Migration() helper above hides the type's name.)
  void CheckMigration(const struct Migration& m, RuleContext& ctx) const override {
    if (ctx.file(m.file).path != "/r/one/c1_right.py") return;
    ctx.Report(Span{0, 0, 8}, "about a1, from c1");
    ctx.Report(Span{}, "about nothing, from c1");
    ctx.Report(Span{m.file, 0, 8}, "about c1 itself");
  }
};

TEST_CASE("LintStream with the spill: every finding where Lint puts it, strays included") {
  Repo repo;
  repo.fs.Add("/r/alembic.ini", "[alembic]\nscript_location = nowhere\n");
  repo.discovery.broken.push_back(
      {"alembic.ini", "/r/alembic.ini", 2, "/r/alembic.ini:2: script_location does not exist"});
  const ElsewhereRule elsewhere;
  const Rule* list[] = {&kQuiet, &kHead, &kFlag, &elsewhere};
  RuleSet set(list);
  LintSettings settings;
  Result<std::vector<const Rule*>> rules = set.Select(settings);
  REQUIRE(rules.ok());
  auto lines = [](const Workspace& ws, const std::vector<Finding>& v) {
    std::vector<std::string> out;
    for (const Finding& f : v) {
      out.push_back(fmt::format("{} {}:{}: {}", f.rule,
                                f.span.valid() ? ws.files[f.span.file].path : "-", f.span.begin,
                                f.message));
    }
    return out;
  };
  auto load = [&](bool spill) {
    LoadOptions o;
    o.jobs = 2;
    o.target_mode = TargetParseMode(*rules);
    o.stream_rules = *rules;
    o.stream_settings = &settings;
    o.spill_findings = spill;
    return LoadWorkspace(repo.fs, repo.discovery, o);
  };
  Workspace plain = load(false);
  const std::vector<std::string> want = lines(plain, LintOnce(plain, set, *rules, settings, 2));
  // The location-less finding first, a1's finding from c1 among a1's, the config's last.
  REQUIRE(want.size() >= 8);
  CHECK(want.front() == "fake-elsewhere -:0: about nothing, from c1");
  CHECK(std::find(want.begin(), want.end(),
                  "fake-elsewhere /r/one/a1_base.py:0: about a1, from c1") != want.end());
  Workspace spilled = load(true);
  REQUIRE(spilled.spill);
  CHECK(spilled.stray.size() == 2);
  std::vector<Finding> got;
  LintStreamOut out;
  out.group = [&](std::vector<Finding>& g) {
    std::move(g.begin(), g.end(), std::back_inserter(got));
  };
  REQUIRE(LintStream(spilled, set, *rules, settings, 2, out).ok());
  CHECK(lines(spilled, got) == want);
}

}  // namespace
}  // namespace alint
