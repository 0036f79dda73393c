#include "lint/discover/discover.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lint/core/file_source.h"

namespace alint {

namespace {

using Strings = std::vector<std::string>;

std::string Mig(const std::string& rev, const std::string& down = "None") {
  return "revision = '" + rev + "'\ndown_revision = " + down + "\n";
}

Discovery Run(const FileSource& fs, const Strings& paths) {
  auto d = Discover(fs, paths);
  REQUIRE_MESSAGE(d.ok(), d.error().message);
  return *d;
}

std::string ErrorOf(const FileSource& fs, const Strings& paths) {
  auto d = Discover(fs, paths);
  REQUIRE_FALSE(d.ok());
  return d.error().message;
}

// A config whose one environment cannot be resolved: the run goes on, and that environment
// is reported with its file and line.
std::string BrokenOf(const FileSource& fs, const Strings& paths) {
  auto d = Discover(fs, paths);
  REQUIRE_MESSAGE(d.ok(), d.error().message);
  REQUIRE(d->broken.size() == 1);
  return d->broken[0].message;
}

bool HasWarning(const Discovery& d, const std::string& needle) {
  for (const auto& w : d.warnings)
    if (w.find(needle) != std::string::npos) return true;
  return false;
}

// The standard `alembic init migrations` layout.
void AddStandard(MemoryFileSource& fs, const std::string& root, const std::string& extra = "") {
  std::string p = root.empty() ? "" : root + "/";
  fs.Add(p + "alembic.ini",
         "[alembic]\nscript_location = migrations\n" + extra + "\n[loggers]\nkeys = root\n");
  fs.Add(p + "migrations/env.py", "from alembic import context\n");
  fs.Add(p + "migrations/script.py.mako", "${up_revision}\n");
  fs.Add(p + "migrations/README", "Generic single-database configuration.\n");
  fs.Add(p + "migrations/versions/b2_second.py", Mig("b2", "'a1'"));
  fs.Add(p + "migrations/versions/a1_first.py", Mig("a1"));
}

}  // namespace

TEST_CASE("file filter matches Alembic's regex") {
  CHECK(IsMigrationFileName("abc_init.py"));
  CHECK(IsMigrationFileName("x__init__.py"));
  CHECK(IsMigrationFileName(".hidden.py"));
  CHECK_FALSE(IsMigrationFileName("__init__.py"));
  CHECK_FALSE(IsMigrationFileName("__init__x.py"));
  CHECK_FALSE(IsMigrationFileName(".#a1_first.py"));
  CHECK_FALSE(IsMigrationFileName("a1_first.pyc"));
  CHECK_FALSE(IsMigrationFileName("a1_first.py~"));
  CHECK_FALSE(IsMigrationFileName("README"));
  CHECK_FALSE(IsMigrationFileName("script.py.mako"));
}

TEST_CASE("project root with alembic.ini: files Alembic loads, sorted, junk ignored") {
  MemoryFileSource fs;
  AddStandard(fs, "");
  fs.Add("migrations/versions/__init__.py", "");
  fs.Add("migrations/versions/.#a1_first.py", "lock");
  fs.Add("migrations/versions/.keep", "");
  fs.Add("migrations/versions/notes.txt", "");
  fs.Add("migrations/versions/a1_first.pyc", "\x00bytecode");
  fs.Add("migrations/versions/old/c3_nested.py", Mig("c3"));
  fs.Add("migrations/versions/__pycache__/a1_first.cpython-311.pyc", "\x00");
  auto d = Run(fs, {"."});
  REQUIRE(d.envs.size() == 1);
  const auto& env = d.envs[0];
  CHECK(env.name == "alembic.ini");
  CHECK(env.config_path == "alembic.ini");
  CHECK(env.script_location == "migrations");
  CHECK(env.version_dirs == Strings{"migrations/versions"});
  CHECK_FALSE(env.recursive);
  CHECK(env.file_template == "%%(rev)s_%%(slug)s");
  CHECK(env.files ==
        Strings{"migrations/versions/a1_first.py", "migrations/versions/b2_second.py"});
  CHECK(d.targets.empty());
  CHECK(d.warnings.empty());
}

TEST_CASE("recursive_version_locations: subfolders in sorted order, __pycache__ skipped") {
  MemoryFileSource fs;
  AddStandard(fs, "", "recursive_version_locations = true\n");
  fs.Add("migrations/versions/2024/z_late.py", Mig("z"));
  fs.Add("migrations/versions/2023/q_early.py", Mig("q"));
  fs.Add("migrations/versions/2023/deep/d_deep.py", Mig("d"));
  fs.Add("migrations/versions/__pycache__/x.py", Mig("x"));
  auto d = Run(fs, {});
  REQUIRE(d.envs.size() == 1);
  CHECK(d.envs[0].recursive);
  CHECK(d.envs[0].files ==
        Strings{"migrations/versions/a1_first.py", "migrations/versions/b2_second.py",
                "migrations/versions/2023/q_early.py", "migrations/versions/2023/deep/d_deep.py",
                "migrations/versions/2024/z_late.py"});
}

TEST_CASE("migrations in subdirectories that continue the history are named, not skipped") {
  MemoryFileSource fs;
  AddStandard(fs, "");
  fs.Add("migrations/versions/27e647c0fad4_initial_version.py", Mig("27e647c0fad4", "'b2'"));
  fs.Add("migrations/versions/yoga/expand/29e87d24a316_initial.py",
         Mig("29e87d24a316", "'27e647c0fad4'"));
  fs.Add("migrations/versions/yoga/contract/e25ffa003242_initial.py",
         Mig("e25ffa003242", "'27e647c0fad4'"));
  fs.Add("migrations/versions/archive/0a0a0a0a0a0a_unused.py", Mig("0a0a0a0a0a0a", "'ffff0000'"));
  fs.Add("migrations/versions/__pycache__/x.py", Mig("x"));
  auto d = Run(fs, {});
  REQUIRE(d.envs.size() == 1);
  CHECK(d.envs[0].files.size() == 3);  // what Alembic loads with this alembic.ini
  // The two that revise a loaded revision are counted; the archived file that continues
  // nothing here is not.
  CHECK(HasWarning(d,
                   "migrations/versions: 2 migration files in its subdirectories continue this "
                   "history (e.g. migrations/versions/yoga/"));
  CHECK(HasWarning(d, "revises 27e647c0fad4) but are not loaded"));
  CHECK(HasWarning(d, "declare them in [[tool.alembic-lint.environments]]"));
  CHECK(d.warnings.size() == 1);
  // Recursive: loaded, so no warning. Only an unrelated archive: no warning.
  MemoryFileSource rec;
  AddStandard(rec, "", "recursive_version_locations = true\n");
  rec.Add("migrations/versions/27e647c0fad4_initial_version.py", Mig("27e647c0fad4", "'b2'"));
  rec.Add("migrations/versions/yoga/expand/29e87d24a316_initial.py",
          Mig("29e87d24a316", "'27e647c0fad4'"));
  CHECK(Run(rec, {}).warnings.empty());
  MemoryFileSource archive;
  AddStandard(archive, "");
  archive.Add("migrations/versions/archive/0a0a0a0a0a0a_unused.py",
              Mig("0a0a0a0a0a0a", "'ffff0000'"));
  CHECK(Run(archive, {}).warnings.empty());
}

TEST_CASE("recursive_version_locations must be true or false") {
  MemoryFileSource fs;
  AddStandard(fs, "", "recursive_version_locations = True\n");
  std::string err = BrokenOf(fs, {"."});
  CHECK(err.find("alembic.ini:3: recursive_version_locations = 'True' is not 'true' or 'false'") ==
        0);
  MemoryFileSource off;
  AddStandard(off, "", "recursive_version_locations = false\n");
  off.Add("migrations/versions/sub/c3.py", Mig("c3"));
  CHECK(Run(off, {"."}).envs[0].files.size() == 2);
}

TEST_CASE("version_locations with each separator, %(here)s and file_template") {
  struct Case {
    std::string config;
    Strings dirs;
  };
  const std::vector<Case> cases = {
      // Legacy (no separator): spaces and commas.
      {"version_locations = %(here)s/a, b  c\n", {"a", "b", "c"}},
      {"version_locations = a:b\npath_separator = os\n", {"a", "b"}},
      {"version_locations = a;b c\npath_separator = ;\n", {"a", "b c"}},
      {"version_locations = a b\npath_separator = space\n", {"a", "b"}},
      {"version_locations =\n    a\n    b c\npath_separator = newline\n", {"a", "b c"}},
      // The deprecated name still works; path_separator wins when both are set.
      {"version_locations = a:b\nversion_path_separator = :\n", {"a", "b"}},
      {"version_locations = a;b\npath_separator = ;\nversion_path_separator = :\n", {"a", "b"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.config);
    MemoryFileSource fs;
    fs.Add("svc/alembic.ini", "[alembic]\nscript_location = migrations\n" + c.config);
    fs.Add("svc/migrations/env.py", "");
    Strings want;
    for (const auto& dir : c.dirs) {
      fs.Add("svc/" + dir + "/" + dir + "_1.py", Mig(dir));
      want.push_back("svc/" + dir);
    }
    auto d = Run(fs, {"svc"});
    REQUIRE(d.envs.size() == 1);
    CHECK(d.envs[0].version_dirs == want);
    CHECK(d.envs[0].files.size() == c.dirs.size());
  }
}

TEST_CASE("version_locations: bad separator is an error; missing dirs and newline pitfall warn") {
  MemoryFileSource bad;
  bad.Add("alembic.ini",
          "[alembic]\nscript_location = m\nversion_locations = a\npath_separator = comma\n");
  bad.Add("m/env.py", "");
  CHECK(
      BrokenOf(bad, {"."}).find("alembic.ini:4: 'comma' is not a valid value for path_separator") ==
      0);

  MemoryFileSource nl;
  nl.Add("alembic.ini", "[alembic]\nscript_location = m\nversion_locations =\n  a\n  b\n");
  nl.Add("m/env.py", "");
  nl.Add("a/x.py", Mig("x"));
  auto d = Run(nl, {"."});
  CHECK(d.envs[0].files.empty());
  CHECK(HasWarning(d, "alembic.ini:3: version_locations spans several lines"));
  CHECK(HasWarning(d, "does not exist; Alembic silently skips it"));
}

TEST_CASE("file_template is kept %-escaped; interpolation reaches it") {
  MemoryFileSource fs;
  AddStandard(fs, "", "file_template = %%(year)d_%%(rev)s_%%(slug)s\n");
  CHECK(Run(fs, {"."}).envs[0].file_template == "%%(year)d_%%(rev)s_%%(slug)s");
}

TEST_CASE("script_location errors carry file and line") {
  MemoryFileSource fs;
  fs.Add("alembic.ini", "# c\n\n[alembic]\nscript_location = migrations\n");
  CHECK(BrokenOf(fs, {"."}) ==
        "alembic.ini:4: script_location 'migrations' does not exist (resolved to migrations)");

  MemoryFileSource here;
  here.Add("api/alembic.ini", "[alembic]\nscript_location = %(here)s/db\n");
  CHECK(BrokenOf(here, {"api"}) ==
        "api/alembic.ini:2: script_location '%(here)s/db' does not exist (resolved to api/db)");

  MemoryFileSource none;
  none.Add("alembic.ini", "[alembic]\nsqlalchemy.url = x\n");
  CHECK(BrokenOf(none, {"."}).find("alembic.ini:1: [alembic] has no script_location") == 0);

  MemoryFileSource broken;
  broken.Add("alembic.ini", "[alembic]\nscript_location = m\nnot an option line\n");
  CHECK(BrokenOf(broken, {"."}).find("alembic.ini:3: cannot parse") == 0);

  MemoryFileSource interp;
  interp.Add("alembic.ini", "[alembic]\nscript_location = %(root)s/m\n");
  CHECK(BrokenOf(interp, {"."}).find("alembic.ini:2: script_location: '%(root)s' refers") == 0);
}

TEST_CASE("python package form script_location is found next to the config") {
  MemoryFileSource fs;
  fs.Add("alembic.ini", "[alembic]\nscript_location = myapp.db:migrations\n");
  fs.Add("src/myapp/db/__init__.py", "");
  fs.Add("src/myapp/db/migrations/env.py", "");
  fs.Add("src/myapp/db/migrations/versions/a1.py", Mig("a1"));
  auto d = Run(fs, {"."});
  REQUIRE(d.envs.size() == 1);
  CHECK(d.envs[0].script_location == "src/myapp/db/migrations");
  CHECK(d.envs[0].files == Strings{"src/myapp/db/migrations/versions/a1.py"});

  MemoryFileSource sys_path;
  sys_path.Add("alembic.ini",
               "[alembic]\nprepend_sys_path = . lib\nscript_location = pkg:migrations\n");
  sys_path.Add("lib/pkg/migrations/env.py", "");
  CHECK(Run(sys_path, {"."}).envs[0].script_location == "lib/pkg/migrations");

  MemoryFileSource missing;
  missing.Add("alembic.ini", "[alembic]\nscript_location = nowhere:migrations\n");
  std::string err = BrokenOf(missing, {"."});
  CHECK(err.find("alembic.ini:2: script_location 'nowhere:migrations' names the Python package "
                 "'nowhere'") == 0);
  CHECK(err.find("[[tool.alembic-lint.environments]]") != std::string::npos);
}

TEST_CASE("monorepo: three envs, skipped dirs, two sections naming the same env kept once") {
  MemoryFileSource fs;
  AddStandard(fs, "packages/api");
  fs.Add("services/billing/alembic.ini",
         "[alembic]\nscript_location = %(here)s/db\nsqlalchemy.url = a\n\n"
         "[prod]\nscript_location = %(here)s/db\nsqlalchemy.url = b\n");
  fs.Add("services/billing/db/env.py", "");
  fs.Add("services/billing/db/versions/c1.py", Mig("c1"));
  fs.Add("services/reports/reports.ini", "[alembic]\nscript_location = schema\n");
  fs.Add("services/reports/schema/env.py", "");
  fs.Add("services/reports/schema/versions/r1.py", Mig("r1"));
  fs.Add("services/reports/tox.ini", "this is not ini at all\n");
  // Never entered: virtualenvs, node_modules, hidden and build dirs.
  fs.Add(".venv/lib/alembic.ini", "[alembic]\nscript_location = nope\n");
  fs.Add("myenv/pyvenv.cfg", "home = /usr/bin\n");
  fs.Add("myenv/alembic.ini", "[alembic]\nscript_location = nope\n");
  fs.Add("node_modules/x/alembic.ini", "[alembic]\nscript_location = nope\n");
  fs.Add("build/alembic.ini", "[alembic]\nscript_location = nope\n");
  auto d = Run(fs, {"."});
  REQUIRE(d.envs.size() == 3);
  CHECK(d.envs[0].name == "packages/api/alembic.ini");
  CHECK(d.envs[0].files.size() == 2);
  CHECK(d.envs[1].name == "services/billing/alembic.ini");
  CHECK(d.envs[1].files == Strings{"services/billing/db/versions/c1.py"});
  CHECK(d.envs[2].name == "services/reports/reports.ini");
  CHECK(d.envs[2].files == Strings{"services/reports/schema/versions/r1.py"});

  // Passing the same root twice, or a root and a sub-project, does not duplicate envs.
  CHECK(Run(fs, {".", "services/billing", "./packages/api/"}).envs.size() == 3);
}

TEST_CASE("a second section with its own migrations is its own env, named with [section]") {
  MemoryFileSource fs;
  fs.Add("alembic.ini",
         "[alembic]\nscript_location = one\n[two]\nscript_location = two\n[post_write_hooks]\n"
         "hooks = black\n");
  fs.Add("one/env.py", "");
  fs.Add("two/env.py", "");
  fs.Add("two/versions/t.py", Mig("t"));
  auto d = Run(fs, {"."});
  REQUIRE(d.envs.size() == 2);
  CHECK(d.envs[0].name == "alembic.ini");
  CHECK(d.envs[0].files.empty());
  CHECK(d.envs[1].name == "alembic.ini[two]");
  CHECK(d.envs[1].files == Strings{"two/versions/t.py"});
}

TEST_CASE("pyproject.toml [tool.alembic] alone, and merged under alembic.ini") {
  MemoryFileSource fs;
  fs.Add("pyproject.toml",
         "[project]\nname = 'x'\n\n[tool.alembic]\nscript_location = \"%(here)s/alembic\"\n"
         "version_locations = [\"%(here)s/alembic/versions\", \"extra\"]\n"
         "recursive_version_locations = true\n"
         "file_template = \"%%(rev)s\"\n");
  fs.Add("alembic/env.py", "");
  fs.Add("alembic/versions/a.py", Mig("a"));
  fs.Add("alembic/versions/sub/b.py", Mig("b"));
  fs.Add("extra/e.py", Mig("e"));
  auto d = Run(fs, {"."});
  REQUIRE(d.envs.size() == 1);
  CHECK(d.envs[0].name == "pyproject.toml");
  CHECK(d.envs[0].config_path == "pyproject.toml");
  CHECK(d.envs[0].version_dirs == Strings{"alembic/versions", "extra"});
  CHECK(d.envs[0].recursive);
  CHECK(d.envs[0].file_template == "%%(rev)s");
  CHECK(d.envs[0].files ==
        Strings{"alembic/versions/a.py", "alembic/versions/sub/b.py", "extra/e.py"});

  // Alembic 1.16's pyproject template: alembic.ini keeps only deployment settings; keys it
  // sets win over [tool.alembic], the rest comes from pyproject.toml.
  fs.Add("alembic.ini", "[alembic]\nsqlalchemy.url = x\nrecursive_version_locations = false\n");
  d = Run(fs, {"."});
  REQUIRE(d.envs.size() == 1);
  CHECK(d.envs[0].config_path == "pyproject.toml");
  CHECK_FALSE(d.envs[0].recursive);
  CHECK(d.envs[0].files == Strings{"alembic/versions/a.py", "extra/e.py"});
}

TEST_CASE("pyproject.toml errors and non-Alembic pyproject files") {
  MemoryFileSource bad_bool;
  bad_bool.Add("pyproject.toml",
               "[tool.alembic]\nscript_location = \"m\"\nrecursive_version_locations = \"true\"\n");
  bad_bool.Add("m/env.py", "");
  CHECK(BrokenOf(bad_bool, {"."})
            .find("pyproject.toml:3: recursive_version_locations must be a TOML boolean") == 0);

  MemoryFileSource bad_toml;
  bad_toml.Add("pyproject.toml", "[tool.alembic]\nscript_location = m\n");
  CHECK(BrokenOf(bad_toml, {"."}).find("pyproject.toml:2: invalid TOML") == 0);

  MemoryFileSource bad_list;
  bad_list.Add("pyproject.toml",
               "[tool.alembic]\nscript_location = \"m\"\nversion_locations = \"v\"\n");
  bad_list.Add("m/env.py", "");
  CHECK(BrokenOf(bad_list, {"."})
            .find("pyproject.toml:3: version_locations must be an array of strings") == 0);

  // Someone else's broken pyproject.toml (and our own [tool.alembic-lint]) is not our business.
  MemoryFileSource other;
  other.Add("pyproject.toml", "[tool.alembic-lint]\nx = = 1\n");
  AddStandard(other, "svc");
  CHECK(Run(other, {"."}).envs.size() == 1);
}

TEST_CASE("Flask-Migrate layout: alembic.ini inside migrations/ without script_location") {
  MemoryFileSource fs;
  fs.Add("app.py", "app = Flask(__name__)\n");
  fs.Add("migrations/alembic.ini",
         "[alembic]\n# template used to generate migration files\n"
         "\n[loggers]\nkeys = root\n");
  fs.Add("migrations/env.py", "");
  fs.Add("migrations/versions/f1_init.py", Mig("f1"));
  auto d = Run(fs, {"."});
  REQUIRE(d.envs.size() == 1);
  CHECK(d.envs[0].script_location == "migrations");
  CHECK(d.envs[0].config_path == "migrations/alembic.ini");
  CHECK(d.envs[0].files == Strings{"migrations/versions/f1_init.py"});
}

TEST_CASE("a versions directory or script directory without config") {
  MemoryFileSource fs;
  fs.Add("db/env.py", "");
  fs.Add("db/versions/a1.py", Mig("a1"));
  fs.Add("loose/m1.py", Mig("m1"));
  fs.Add("loose/helper.txt", "");

  auto script_dir = Run(fs, {"db"});
  REQUIRE(script_dir.envs.size() == 1);
  CHECK(script_dir.envs[0].name == "db");
  CHECK(script_dir.envs[0].script_location == "db");
  CHECK(script_dir.envs[0].files == Strings{"db/versions/a1.py"});

  auto versions = Run(fs, {"loose"});
  REQUIRE(versions.envs.size() == 1);
  CHECK(versions.envs[0].name == "loose");
  CHECK(versions.envs[0].script_location.empty());
  CHECK(versions.envs[0].version_dirs == Strings{"loose"});
  CHECK(versions.envs[0].files == Strings{"loose/m1.py"});
}

TEST_CASE("a versions directory of a configured env resolves to that env") {
  MemoryFileSource fs;
  AddStandard(fs, "", "version_locations = migrations/versions other\n");
  fs.Add("other/o1.py", Mig("o1"));
  auto d = Run(fs, {"migrations/versions"});
  REQUIRE(d.envs.size() == 1);
  CHECK(d.envs[0].name == "alembic.ini");
  CHECK(d.envs[0].files.size() == 3);
}

TEST_CASE("a directory without any environment is a clear error") {
  MemoryFileSource fs;
  fs.Add("proj/setup.py", "from setuptools import setup\n");
  fs.Add("proj/README.md", "hi\n");
  std::string err = ErrorOf(fs, {"proj"});
  CHECK(err.find("proj: no Alembic environment found") == 0);
  CHECK(err.find("pass the project root that holds alembic.ini") != std::string::npos);
  CHECK(ErrorOf(fs, {"nope/x.py"}) == "nope/x.py: no such file or directory");
}

TEST_CASE("single files: the env is found from a nested file and files become targets") {
  MemoryFileSource fs;
  AddStandard(fs, "packages/api");
  AddStandard(fs, "services/billing", "recursive_version_locations = true\n");
  fs.Add("services/billing/migrations/versions/2024/c3.py", Mig("c3"));
  fs.Add("services/billing/app/models.py", "class A: pass\n");
  fs.Add("services/billing/data/seed.sql", "select 1;\n");

  auto d = Run(fs, {"services/billing/migrations/versions/2024/c3.py",
                    "services/billing/migrations/versions/a1_first.py",
                    "services/billing/migrations/env.py", "services/billing/migrations/README",
                    "services/billing/app/models.py", "services/billing/data/seed.sql"});
  REQUIRE(d.envs.size() == 2);
  CHECK(d.envs[0].name == "services/billing/alembic.ini");
  CHECK(d.envs[0].files.size() == 3);
  CHECK(d.envs[1].name.empty());
  CHECK(d.envs[1].sql_files == Strings{"services/billing/data/seed.sql"});
  CHECK(d.targets == Strings{"services/billing/migrations/versions/2024/c3.py",
                             "services/billing/migrations/versions/a1_first.py",
                             "services/billing/data/seed.sql"});
  CHECK(HasWarning(d,
                   "services/billing/app/models.py: not in a version directory of "
                   "services/billing/alembic.ini"));
  CHECK(d.warnings.size() == 1);
}

TEST_CASE("single files: not recursive, subfolder file is reported as not loaded") {
  MemoryFileSource fs;
  AddStandard(fs, "");
  fs.Add("migrations/versions/sub/c3.py", Mig("c3"));
  auto d = Run(fs, {"migrations/versions/sub/c3.py"});
  CHECK(d.envs.empty());
  CHECK(d.targets.empty());
  CHECK(HasWarning(d, "recursive_version_locations is not true, so Alembic does not load it"));
}

TEST_CASE("single files: a config higher up wins over a bare env.py directory") {
  MemoryFileSource fs;
  AddStandard(fs, "", "version_locations = migrations/versions extra\n");
  fs.Add("extra/e1.py", Mig("e1"));
  auto d = Run(fs, {"migrations/versions/a1_first.py"});
  REQUIRE(d.envs.size() == 1);
  CHECK(d.envs[0].name == "alembic.ini");
  CHECK(d.envs[0].files.size() == 3);
  CHECK(d.targets == Strings{"migrations/versions/a1_first.py"});
}

TEST_CASE("single files without any config: the directory is a bare env") {
  MemoryFileSource fs;
  fs.Add("somewhere/m1.py", Mig("m1"));
  fs.Add("somewhere/m2.py", Mig("m2", "'m1'"));
  fs.Add("somewhere/util.py", "def f(): pass\n");
  auto d = Run(fs, {"somewhere/m2.py", "somewhere/util.py"});
  REQUIRE(d.envs.size() == 1);
  CHECK(d.envs[0].files.size() == 3);
  CHECK(d.targets == Strings{"somewhere/m2.py"});
  CHECK(HasWarning(d, "somewhere/m2.py: not inside any Alembic environment"));
  CHECK(HasWarning(d,
                   "somewhere/util.py: not inside any Alembic environment and defines no "
                   "down_revision"));
}

TEST_CASE("a directory plus a file: the directory's files are all targets") {
  MemoryFileSource fs;
  AddStandard(fs, "a");
  AddStandard(fs, "b");
  auto d = Run(fs, {"a", "b/migrations/versions/a1_first.py"});
  REQUIRE(d.envs.size() == 2);
  CHECK(d.targets == Strings{"b/migrations/versions/a1_first.py",
                             "a/migrations/versions/a1_first.py",
                             "a/migrations/versions/b2_second.py"});
}

TEST_CASE("sourceless: bytecode-only migrations are reported as not lintable") {
  MemoryFileSource fs;
  AddStandard(fs, "", "sourceless = true\n");
  fs.Add("migrations/versions/c3_gone.pyc", "\x00");
  fs.Add("migrations/versions/a1_first.pyc", "\x00");  // shadowed by a1_first.py
  fs.Add("migrations/versions/__pycache__/d4_gone.cpython-311.pyc", "\x00");
  fs.Add("migrations/versions/__pycache__/b2_second.cpython-311.pyc", "\x00");
  auto d = Run(fs, {"."});
  CHECK(d.envs[0].sourceless);
  CHECK(d.envs[0].files.size() == 2);
  CHECK(d.warnings.size() == 2);
  CHECK(HasWarning(d, "migrations/versions/c3_gone.pyc: Alembic loads this bytecode-only"));
  CHECK(HasWarning(d, "migrations/versions/__pycache__/d4_gone.cpython-311.pyc"));
}

}  // namespace alint

namespace alint {

TEST_CASE("named sections: each [name] with a script_location is an env; [alembic] may lack one") {
  // `alembic -n core` / `-n tenant`; the ini sits inside the package of a src/ layout, and
  // its [alembic] section only sets file_template.
  MemoryFileSource fs;
  fs.Add("src/myapp/alembic.ini",
         "[alembic]\nfile_template = %%(rev)s\n\n[core]\nscript_location = "
         "myapp:db/revisions/core\n\n[tenant]\nscript_location = myapp:db/revisions/tenant\n"
         "sqlalchemy.url = sqlite:///tenant.db\n\n"
         "[loggers]\nkeys = root\n");
  fs.Add("src/myapp/__init__.py", "");
  fs.Add("src/myapp/db/revisions/core/env.py", "");
  fs.Add("src/myapp/db/revisions/core/versions/c1.py", Mig("c1"));
  fs.Add("src/myapp/db/revisions/tenant/env.py", "");
  fs.Add("src/myapp/db/revisions/tenant/versions/t1.py", Mig("t1"));
  auto d = Run(fs, {"."});
  CHECK(d.broken.empty());
  REQUIRE(d.envs.size() == 2);
  CHECK(d.envs[0].name == "src/myapp/alembic.ini[core]");
  CHECK(d.envs[0].files == Strings{"src/myapp/db/revisions/core/versions/c1.py"});
  CHECK(d.envs[1].name == "src/myapp/alembic.ini[tenant]");
  CHECK(d.envs[1].script_location == "src/myapp/db/revisions/tenant");
  // The named section's own settings apply, not [alembic]'s.
  CHECK(d.envs[1].file_template == "%%(rev)s_%%(slug)s");
  CHECK(std::find(d.envs[0].package_roots.begin(), d.envs[0].package_roots.end(), "src") !=
        d.envs[0].package_roots.end());

  // Pointing at one versions directory finds its section.
  auto one = Run(fs, {"src/myapp/db/revisions/tenant/versions"});
  REQUIRE(one.envs.size() == 1);
  CHECK(one.envs[0].name == "src/myapp/alembic.ini[tenant]");
  CHECK(one.envs[0].stated_dialect == "sqlite");  // the section's settings, not a bare directory's
  // And a single file of it (pre-commit).
  auto file = Run(fs, {"src/myapp/db/revisions/core/versions/c1.py"});
  REQUIRE(file.envs.size() == 1);
  CHECK(file.envs[0].name == "src/myapp/alembic.ini[core]");
}

TEST_CASE("package:path locations: parents, pyproject/setup.cfg package dirs, version_locations") {
  // The ini in a subdirectory, the package at the repository root.
  MemoryFileSource up;
  up.Add(".git/HEAD", "ref: refs/heads/main\n");
  up.Add("deploy/alembic.ini",
         "[alembic]\nscript_location = app.db:migrations\n"
         "version_locations = app.db:migrations/versions app.db:migrations/data\n");
  up.Add("app/db/migrations/env.py", "");
  up.Add("app/db/migrations/versions/a1.py", Mig("a1"));
  up.Add("app/db/migrations/data/d1.py", Mig("d1", "'a1'"));
  auto d = Run(up, {"."});
  REQUIRE(d.envs.size() == 1);
  CHECK(d.envs[0].script_location == "app/db/migrations");
  CHECK(d.envs[0].version_dirs == Strings{"app/db/migrations/versions", "app/db/migrations/data"});
  CHECK(d.envs[0].files.size() == 2);

  // pyproject.toml [tool.setuptools.package-dir] names the package directory.
  MemoryFileSource pp;
  pp.Add("pyproject.toml",
         "[project]\nname = \"x\"\n[tool.setuptools.package-dir]\n\"\" = \"lib\"\n");
  pp.Add("alembic.ini", "[alembic]\nscript_location = shop:migrations\n");
  pp.Add("lib/shop/migrations/env.py", "");
  CHECK(Run(pp, {"."}).envs[0].script_location == "lib/shop/migrations");

  // setup.cfg [options] package_dir = =code
  MemoryFileSource cfg;
  cfg.Add("setup.cfg", "[metadata]\nname = x\n[options]\npackage_dir =\n    =code\n");
  cfg.Add("alembic.ini", "[alembic]\nscript_location = shop:migrations\n");
  cfg.Add("code/shop/migrations/env.py", "");
  CHECK(Run(cfg, {"."}).envs[0].script_location == "code/shop/migrations");

  // A same-named directory without the resource loses to the one that has it.
  MemoryFileSource two;
  two.Add("alembic.ini", "[alembic]\nscript_location = shop:migrations\n");
  two.Add("shop/README", "tests for shop\n");
  two.Add("src/shop/migrations/env.py", "");
  CHECK(Run(two, {"."}).envs[0].script_location == "src/shop/migrations");
}

TEST_CASE("one environment that cannot be resolved does not stop the others") {
  MemoryFileSource fs;
  fs.Add("alembic.ini",
         "[core]\nscript_location = app:revisions/core\n\n[tenant]\nscript_location = "
         "nowhere:revisions/tenant\n");
  fs.Add("app/revisions/core/env.py", "");
  fs.Add("app/revisions/core/versions/c1.py", Mig("c1"));
  AddStandard(fs, "billing");
  fs.Add("broken/alembic.ini", "[alembic]\nscript_location = migrations\nnot an option\n");
  auto d = Run(fs, {"."});
  REQUIRE(d.envs.size() == 2);
  CHECK(d.envs[0].name == "alembic.ini[core]");
  CHECK(d.envs[1].name == "billing/alembic.ini");
  REQUIRE(d.broken.size() == 2);
  CHECK(d.broken[0].name == "alembic.ini[tenant]");
  CHECK(d.broken[0].config_path == "alembic.ini");
  CHECK(d.broken[0].line == 5);
  CHECK(d.broken[0].message.find("alembic.ini:5: script_location 'nowhere:revisions/tenant' "
                                 "names the Python package 'nowhere'") == 0);
  CHECK(d.broken[1].name == "broken/alembic.ini");
  CHECK(d.broken[1].line == 3);

  // Only broken environments: still no usage error, the broken one is the result.
  MemoryFileSource only;
  only.Add("alembic.ini", "[alembic]\nscript_location = gone\n");
  auto o = Run(only, {"."});
  CHECK(o.envs.empty());
  REQUIRE(o.broken.size() == 1);
  CHECK(o.broken[0].line == 2);
}

}  // namespace alint
