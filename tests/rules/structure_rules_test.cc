#include <doctest/doctest.h>

#include "lint/analysis/migration_analysis.h"
#include "lint/python/extract.h"
#include "tests/rules/structure_test_util.h"

namespace alint {
namespace {

using testing::GetRule;
using testing::RuleHarness;

TEST_CASE("parse-error reports every syntax problem where it is") {
  RuleHarness h;
  FileId f = h.Add("versions/broken.py", "revision = 'x'\ndef upgrade(:\n    pass\n");
  Migration m;
  m.file = f;
  Span at = h.Find(f, "(:");
  m.syntax_problems.push_back({at, "syntax error: unexpected `:`"});
  m.syntax_problems.push_back({Span{f, 0, 0}, "not parsed: 9 MiB is over the 8 MiB limit", true});
  m.syntax_problems.push_back({Span{f, 1, 2}, "invalid UTF-8 in a comment", false, true});
  auto out = h.Run(GetRule("parse-error"), m);
  REQUIRE(out.size() == 3);
  // CPython imports a file whose only bad bytes are in comments: a warning, not an error.
  CHECK(out[2].severity == Severity::kWarning);
  CHECK(out[2].message.find("alembic command") == std::string::npos);
  CHECK(out[0].severity == Severity::kError);
  CHECK(out[0].span == at);
  CHECK(h.Where(out[0].span).line == 2);
  CHECK(out[0].message.starts_with("syntax error: unexpected `:`"));
  CHECK(out[0].message.find("every alembic command") != std::string::npos);
  REQUIRE(out[0].help);
  CHECK(out[0].help->find("py_compile versions/broken.py") != std::string::npos);
  // The linter's own size limit is not an import failure.
  CHECK(out[1].message.find("alembic command") == std::string::npos);
  CHECK(out[1].message.find("knows nothing") != std::string::npos);

  Migration clean;
  clean.file = f;
  CHECK(h.Run(GetRule("parse-error"), clean).empty());
}

TEST_CASE("missing-revision says what Alembic 1.8.1 does") {
  RuleHarness h;
  const Rule& rule = GetRule("missing-revision");

  SUBCASE("no down_revision: AttributeError with Alembic's module id") {
    FileId f = h.Add("proj/versions/1975ea83b712_add-users.py", "revision = '1975ea83b712'\n");
    Migration m;
    m.file = f;
    m.revision = h.Assign(f, "revision", ValueKind::kString, {"1975ea83b712"});
    auto out = h.Run(rule, m);
    REQUIRE(out.size() == 1);
    CHECK(out[0].span == m.revision.target);
    CHECK(out[0].message.find("AttributeError: module '1975ea83b712_add_users_py' has no "
                              "attribute 'down_revision'") != std::string::npos);
    CHECK(out[0].help->find("down_revision = None") != std::string::npos);
  }
  SUBCASE("no revision: CommandError naming the file") {
    FileId f = h.Add("versions/add_users.py", "down_revision = None\n");
    Migration m;
    m.file = f;
    m.down_revision = h.Assign(f, "down_revision", ValueKind::kNone);
    auto out = h.Run(rule, m);
    REQUIRE(out.size() == 1);
    CHECK(out[0].severity == Severity::kError);
    CHECK(out[0].span == m.down_revision.target);
    CHECK(out[0].message.find("Could not determine revision id from filename add_users.py") !=
          std::string::npos);
  }
  SUBCASE("an empty file") {
    FileId f = h.Add("versions/empty.py", "");
    Migration m;
    m.file = f;
    auto out = h.Run(rule, m);
    REQUIRE(out.size() == 1);
    CHECK(out[0].span == Span{f, 0, 0});
    CHECK(out[0].message.find("nor `down_revision`") != std::string::npos);
  }
  SUBCASE("legacy hex file name: Alembic takes the id from it; the fix declares it") {
    FileId f = h.Add("versions/4f2a9c.py", "\"\"\"doc\"\"\"\ndown_revision = None\n");
    Migration m;
    m.file = f;
    m.down_revision = h.Assign(f, "down_revision", ValueKind::kNone);
    auto out = h.Run(rule, m);
    REQUIRE(out.size() == 1);
    CHECK(out[0].severity == Severity::kWarning);
    CHECK(out[0].message.find("takes the id `4f2a9c` from the file name") != std::string::npos);
    REQUIRE(out[0].fix);
    CHECK(out[0].fix->applicability == Applicability::kSafe);
    CHECK(h.Apply(f, out[0].fix->edits) ==
          "\"\"\"doc\"\"\"\nrevision = \"4f2a9c\"\ndown_revision = None\n");
  }
  SUBCASE("complete, unreadable, or not a migration: nothing") {
    FileId f = h.Add("versions/ok.py", "revision = 'a'\ndown_revision = None\n");
    Migration m;
    m.file = f;
    m.revision = h.Assign(f, "revision", ValueKind::kString, {"a"});
    m.down_revision = h.Assign(f, "down_revision", ValueKind::kNone);
    CHECK(h.Run(rule, m).empty());
    Migration broken;
    broken.file = f;
    broken.syntax_problems.push_back({Span{f, 0, 1}, "binary file"});
    CHECK(h.Run(rule, broken).empty());
    Migration init;
    init.file = h.Add("versions/__init__.py", "");
    CHECK(h.Run(rule, init).empty());
  }
}

TEST_CASE("docstring-mismatch compares Revision ID and Revises, and fixes the docstring") {
  RuleHarness h;
  const std::string text =
      "\"\"\"add users\n\nRevision ID: 1975ea83b712\nRevises: 27c6a30d7c24, 3512b954651e\n"
      "Create Date: 2024-03-01 10:21:33.123456\n\n\"\"\"\n"
      "revision = '8d4e2b6f1c90'\ndown_revision = ('3512b954651e', '27c6a30d7c24')\n";
  FileId f = h.Add("versions/8d4e2b6f1c90_add_users.py", text);
  Migration m;
  m.file = f;
  m.revision = h.Assign(f, "revision", ValueKind::kString, {"8d4e2b6f1c90"});
  m.down_revision =
      h.Assign(f, "down_revision", ValueKind::kSequence, {"3512b954651e", "27c6a30d7c24"});
  m.docstring.present = true;
  m.docstring.span = Span{f, 0, static_cast<uint32_t>(text.find("\"\"\"\nrev") + 3)};
  m.docstring.revision_id = DocField{"1975ea83b712", h.Find(f, "1975ea83b712")};
  m.docstring.revises =
      DocField{"27c6a30d7c24, 3512b954651e", h.Find(f, "27c6a30d7c24, 3512b954651e")};
  const Rule& rule = GetRule("docstring-mismatch");

  // A merge listing its parents in another order agrees.
  auto out = h.Run(rule, m);
  REQUIRE(out.size() == 1);
  CHECK(out[0].span == h.Find(f, "1975ea83b712"));
  CHECK(h.Where(out[0].span).line == 3);
  CHECK(out[0].message.find("`Revision ID: 1975ea83b712`") != std::string::npos);
  CHECK(out[0].message.find("`8d4e2b6f1c90`") != std::string::npos);
  REQUIRE(out[0].related.size() == 1);
  CHECK(out[0].related[0].span == m.revision.target);
  REQUIRE(out[0].fix);
  CHECK(out[0].fix->applicability == Applicability::kSafe);
  CHECK(h.Apply(f, out[0].fix->edits).find("Revision ID: 8d4e2b6f1c90\n") != std::string::npos);

  // A parent missing from Revises.
  m.docstring.revises = DocField{"27c6a30d7c24", h.Find(f, "27c6a30d7c24")};
  out = h.Run(rule, m);
  REQUIRE(out.size() == 2);
  CHECK(out[1].message.find("`Revises: 27c6a30d7c24`") != std::string::npos);
  CHECK(out[1].help->find("Revises: 3512b954651e, 27c6a30d7c24") != std::string::npos);

  // None: Alembic writes an empty "Revises:"; a hand-written "None" agrees too.
  FileId g = h.Add("versions/b.py",
                   "\"\"\"x\n\nRevision ID: aa\nRevises:\n\"\"\"\nrevision = 'aa'\n"
                   "down_revision = None\n");
  Migration base;
  base.file = g;
  base.revision = h.Assign(g, "revision", ValueKind::kString, {"aa"});
  base.down_revision = h.Assign(g, "down_revision", ValueKind::kNone);
  base.docstring.present = true;
  base.docstring.revision_id = DocField{"aa", h.Find(g, "aa")};
  Span after_colon = h.Find(g, "Revises:");
  after_colon.begin = after_colon.end;
  base.docstring.revises = DocField{"", after_colon};
  CHECK(h.Run(rule, base).empty());
  base.docstring.revises = DocField{"None", after_colon};
  CHECK(h.Run(rule, base).empty());
  // A base whose docstring names a parent.
  base.down_revision = h.Assign(g, "down_revision", ValueKind::kString, {});
  base.down_revision.kind = ValueKind::kString;
  base.down_revision.items = {StringItem{"cc", Span{g, 0, 0}}};
  base.docstring.revises = DocField{"", after_colon};
  out = h.Run(rule, base);
  REQUIRE(out.size() == 1);
  CHECK(h.Apply(g, out[0].fix->edits).find("Revises: cc\n") != std::string::npos);
}

TEST_CASE("non-literal-revision-value names the variable and shows the expression") {
  RuleHarness h;
  FileId f = h.Add("versions/x.py",
                   "revision = '1975ea83b712'\ndown_revision = PREVIOUS\n"
                   "depends_on = compute('a', 'b', 'a very long argument list that keeps going "
                   "and going and going')\n");
  Migration m;
  m.file = f;
  m.revision = h.Assign(f, "revision", ValueKind::kString, {"1975ea83b712"});
  m.down_revision = h.Assign(f, "down_revision", ValueKind::kNotLiteral);
  m.depends_on = h.Assign(f, "depends_on", ValueKind::kNotLiteral);
  auto out = h.Run(GetRule("non-literal-revision-value"), m);
  REQUIRE(out.size() == 2);
  CHECK(out[0].span == h.Find(f, "PREVIOUS"));
  CHECK(out[0].message.find("`down_revision` is set by `PREVIOUS`") != std::string::npos);
  CHECK(out[0].message.find("parents are unknown") != std::string::npos);
  CHECK(out[1].message.find("`depends_on`") != std::string::npos);
  CHECK(out[1].message.find("...`") != std::string::npos);
  CHECK(out[1].message.find("going and going')") == std::string::npos);
  REQUIRE(out[0].help);
  CHECK(out[0].help->find("string literal") != std::string::npos);
}

TEST_CASE("empty-down-revision: \"\" becomes None; an empty id in a tuple is removed") {
  RuleHarness h;
  const Rule& rule = GetRule("empty-down-revision");
  FileId f = h.Add("versions/a.py", "revision = 'aa'\ndown_revision = ''\n");
  Migration m;
  m.file = f;
  m.down_revision = h.Assign(f, "down_revision", ValueKind::kString, {""});
  auto out = h.Run(rule, m);
  REQUIRE(out.size() == 1);
  CHECK(out[0].span == h.Find(f, "''"));
  CHECK(out[0].message.find("1.12.1") != std::string::npos);
  REQUIRE(out[0].fix);
  CHECK(out[0].fix->applicability == Applicability::kSafe);
  CHECK(h.Apply(f, out[0].fix->edits) == "revision = 'aa'\ndown_revision = None\n");

  FileId g = h.Add("versions/b.py", "down_revision = ('', '1975ea83b712', '')\n");
  Migration t;
  t.file = g;
  t.down_revision = h.Assign(g, "down_revision", ValueKind::kSequence, {"", "1975ea83b712", ""});
  out = h.Run(rule, t);
  REQUIRE(out.size() == 2);
  CHECK(out[0].message.find("KeyError") != std::string::npos);
  CHECK(h.Where(out[1].span).column == 38);
  REQUIRE(out[0].fix);
  CHECK_FALSE(out[1].fix);
  CHECK(h.Apply(g, out[0].fix->edits) == "down_revision = '1975ea83b712'\n");

  FileId ok = h.Add("versions/c.py", "down_revision = ('27c6a30d7c24', '1975ea83b712')\n");
  Migration merge;
  merge.file = ok;
  merge.down_revision =
      h.Assign(ok, "down_revision", ValueKind::kSequence, {"27c6a30d7c24", "1975ea83b712"});
  CHECK(h.Run(rule, merge).empty());
}

}  // namespace
}  // namespace alint

namespace alint {

TEST_CASE("vague-migration-message: configured words, the proposal, merges") {
  auto run = [](const std::string& text, const std::vector<std::string>& words = {}) {
    testing::RuleHarness h;
    if (!words.empty()) h.settings.options["vague-migration-words"].list = words;
    FileId f = h.Add("versions/3f2a9c1d7e4b_x.py", text);
    Migration m = ExtractMigration(h.files[f], ParseMode::kFull);
    return h.Run(GetRule("vague-migration-message"), m);
  };
  const std::string fix =
      "\"\"\"Fix\n\nRevision ID: 3f2a9c1d7e4b\n\"\"\"\nrevision = '3f2a9c1d7e4b'\n"
      "down_revision = None\n\n\ndef upgrade():\n"
      "    op.create_table('orders', sa.Column('id', sa.Integer()))\n";
  auto out = run(fix);
  REQUIRE(out.size() == 1);
  CHECK(out[0].severity == Severity::kInfo);
  CHECK(out[0].message == "migration message `Fix` says nothing about what it changes");
  REQUIRE(out[0].help);
  CHECK(out[0].help->find("`create_orders_table`") != std::string::npos);
  // A configured list replaces the built-in one.
  CHECK(run(fix, {"wip"}).empty());
  CHECK(run(fix, {"FIX", "wip"}).size() == 1);
  // A message with one real word is a message.
  CHECK(run("\"\"\"fix orders total\"\"\"\nrevision = '3f2a9c1d7e4b'\ndown_revision = None\n")
            .empty());
  // A merge's message is the merge.
  CHECK(run("\"\"\"empty message\"\"\"\nrevision = '3f2a9c1d7e4b'\n"
            "down_revision = ('a1', 'b2')\n")
            .empty());
}

}  // namespace alint

namespace alint {

TEST_CASE("irreversible-migration: irreversible-ok, the template, a downgrade that undoes") {
  auto run = [](const std::string& body, bool ok = false, const EnvFacts* env = nullptr) {
    testing::RuleHarness h;
    if (ok) h.settings.options["irreversible-ok"].number = 1;
    FileId f = h.Add("versions/3f2a9c1d7e4b_add_phone.py",
                     "revision = '3f2a9c1d7e4b'\ndown_revision = None\n\n" + body);
    Migration m = ExtractMigration(h.files[f], ParseMode::kFull);
    MigrationAnalysis a = AnalyzeMigration(m, h.files[f], AnalysisOptions{});
    const Rule& rule = GetRule("irreversible-migration");
    RuleContext ctx(rule.info(), rule.info().default_severity, h.settings, h.files, &h.findings);
    ctx.set_analysis(&a);
    ctx.set_env(env);
    rule.CheckMigration(m, ctx);
    return h.findings;
  };
  const std::string add =
      "def upgrade():\n    op.add_column('users', sa.Column('phone', sa.Text()))\n";
  const std::string empty = add + "\ndef downgrade():\n    pass\n";
  auto out = run(empty);
  REQUIRE(out.size() == 1);
  CHECK(out[0].severity == Severity::kInfo);  // one level below the rule's warning
  CHECK(out[0].message.find("downgrade() is empty") == 0);
  CHECK(run(empty, /*ok=*/true).empty());
  CHECK(run(add + "\ndef downgrade():\n    raise NotImplementedError()\n").size() == 1);
  CHECK(run(add).size() == 1);  // no downgrade at all

  // A forward-only template (no downgrade in script.py.mako) says it once for every file.
  EnvFacts forward;
  forward.found = true;
  forward.template_downgrade = BodyShape::kAbsent;
  CHECK(run(add, false, &forward).empty());
  CHECK(run(empty, false, &forward).size() == 1);  // this one was written differently

  // A downgrade with code that leaves the column: still reported with irreversible-ok.
  const std::string partial =
      "def upgrade():\n"
      "    op.add_column('users', sa.Column('phone', sa.Text()))\n"
      "    op.add_column('users', sa.Column('fax', sa.Text()))\n\n"
      "def downgrade():\n    op.drop_column('users', 'fax')\n";
  out = run(partial, /*ok=*/true);
  REQUIRE(out.size() == 1);
  CHECK(out[0].severity == Severity::kWarning);
  CHECK(out[0].message.find("column `users.phone` (line 5)") != std::string::npos);
  CHECK(out[0].message.find("fax") == std::string::npos);
  // Run-time SQL in the downgrade: what it drops is unknown, so nothing is claimed.
  CHECK(run("def upgrade():\n    op.add_column('users', sa.Column('phone', sa.Text()))\n\n"
            "def downgrade():\n    op.execute(f'ALTER TABLE users DROP COLUMN {name}')\n")
            .empty());
  // A data-only migration has nothing to undo.
  CHECK(run("def upgrade():\n    op.execute('UPDATE users SET phone = NULL')\n\n"
            "def downgrade():\n    pass\n")
            .empty());
}

TEST_CASE("script.py.mako: the shape of its downgrade()") {
  CHECK(TemplateDowngradeShape("def upgrade():\n    ${upgrades if upgrades else \"pass\"}\n") ==
        BodyShape::kAbsent);
  CHECK(TemplateDowngradeShape("def downgrade() -> None:\n    ${downgrades if downgrades else "
                               "\"pass\"}\n") == BodyShape::kCode);
  CHECK(TemplateDowngradeShape("def downgrade():\n    \"\"\"No way back.\"\"\"\n    raise "
                               "NotImplementedError()\n\n\ndef other():\n    x = 1\n") ==
        BodyShape::kRaises);
  CHECK(TemplateDowngradeShape("def downgrade():\n    # forward only\n    pass\n") ==
        BodyShape::kEmpty);
  CHECK(TemplateDowngradeShape("# def downgrade() is not written\n") == BodyShape::kAbsent);
}

}  // namespace alint
