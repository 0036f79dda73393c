#include "lint/discover/ini.h"

#include <doctest/doctest.h>

namespace alint {

namespace {

std::string Get(const IniFile& ini, const std::string& section, const std::string& key) {
  auto v = ini.Get(section, key);
  REQUIRE_MESSAGE(v.ok(), v.error().message);
  REQUIRE(v->has_value());
  return **v;
}

}  // namespace

TEST_CASE("ini: sections, both delimiters, case-insensitive keys, inline comments kept") {
  auto ini = IniFile::Parse(
      "# leading comment\n"
      "[alembic]\n"
      "Script_Location = migrations  # not a comment\n"
      "sqlalchemy.url: postgresql://u@h/db\n"
      "; semicolon comment\n"
      "key=a=b\n"
      "empty =\n"
      "[loggers]  ; trailing text after the header is ignored\n"
      "keys = root\n",
      "alembic.ini");
  REQUIRE_MESSAGE(ini.ok(), ini.error().message);
  REQUIRE(ini->sections().size() == 2);
  CHECK(ini->sections()[0].name == "alembic");
  CHECK(ini->sections()[1].name == "loggers");
  CHECK(Get(*ini, "alembic", "script_location") == "migrations  # not a comment");
  CHECK(Get(*ini, "alembic", "SCRIPT_LOCATION") == "migrations  # not a comment");
  CHECK(Get(*ini, "alembic", "sqlalchemy.url") == "postgresql://u@h/db");
  CHECK(Get(*ini, "alembic", "key") == "a=b");
  CHECK(Get(*ini, "alembic", "empty").empty());
  CHECK(ini->Lookup("alembic", "sqlalchemy.url")->line == 4);
  CHECK_FALSE(ini->Has("alembic", "keys"));
  CHECK_FALSE(ini->Has("nosuch", "keys"));
}

TEST_CASE("ini: continuation lines, comment lines and empty lines inside values") {
  auto ini = IniFile::Parse(
      "[alembic]\n"
      "version_locations =\n"
      "    a/versions\n"
      "\n"
      "    # a comment line does not end the value and is not part of it\n"
      "    b/versions\n"
      "\n"
      "\n"
      "next = 1\n"
      "  indented_key = 2\n"
      "    continued\n",
      "alembic.ini");
  REQUIRE_MESSAGE(ini.ok(), ini.error().message);
  // configparser keeps the empty line between continuation lines, drops trailing ones.
  CHECK(Get(*ini, "alembic", "version_locations") == "\na/versions\n\nb/versions");
  CHECK(Get(*ini, "alembic", "next") == "1\nindented_key = 2\ncontinued");
}

TEST_CASE("ini: CRLF line endings and a BOM") {
  auto ini =
      IniFile::Parse("\xEF\xBB\xBF[alembic]\r\nscript_location = m\r\n  more\r\n", "alembic.ini");
  REQUIRE_MESSAGE(ini.ok(), ini.error().message);
  CHECK(Get(*ini, "alembic", "script_location") == "m\nmore");
}

TEST_CASE("ini: BasicInterpolation with DEFAULT, seeded defaults, %% and nesting") {
  auto ini = IniFile::Parse(
      "[DEFAULT]\n"
      "base = %(here)s/db\n"
      "[alembic]\n"
      "script_location = %(base)s/migrations\n"
      "file_template = %%(rev)s_%%(slug)s\n"
      "upper = %(BASE)s\n"
      "[other]\n"
      "base = shadow\n"
      "script_location = %(base)s/x\n",
      "cfg/alembic.ini", {{"here", "/repo/cfg"}});
  REQUIRE_MESSAGE(ini.ok(), ini.error().message);
  CHECK(Get(*ini, "alembic", "script_location") == "/repo/cfg/db/migrations");
  CHECK(Get(*ini, "alembic", "file_template") == "%(rev)s_%(slug)s");
  CHECK(Get(*ini, "alembic", "upper") == "/repo/cfg/db");
  CHECK(Get(*ini, "other", "script_location") == "shadow/x");
  CHECK(ini->Has("other", "here"));
}

TEST_CASE("ini: the file's DEFAULT overrides a seeded default") {
  auto ini = IniFile::Parse("[DEFAULT]\nhere = /elsewhere\n[alembic]\nx = %(here)s\n", "a.ini",
                            {{"here", "/repo"}});
  REQUIRE(ini.ok());
  CHECK(Get(*ini, "alembic", "x") == "/elsewhere");
}

TEST_CASE("ini: interpolation errors name the option's line") {
  auto ini = IniFile::Parse(
      "[alembic]\n"
      "a = 50%\n"
      "b = %(missing)s\n"
      "c = %(c)s\n"
      "d = %(x\n"
      "e = %()s\n",
      "alembic.ini");
  REQUIRE(ini.ok());
  auto a = ini->Get("alembic", "a");
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().message.find("alembic.ini:2: a: '%' must be followed by '%' or '('") == 0);
  auto b = ini->Get("alembic", "b");
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().message.find("alembic.ini:3: b: '%(missing)s' refers to an option") == 0);
  auto c = ini->Get("alembic", "c");
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message.find("nested more than 10 deep") != std::string::npos);
  CHECK_FALSE(ini->Get("alembic", "d").ok());
  CHECK_FALSE(ini->Get("alembic", "e").ok());
  auto absent = ini->Get("alembic", "nope");
  REQUIRE(absent.ok());
  CHECK_FALSE(absent->has_value());
}

TEST_CASE("ini: parse errors carry the line number") {
  auto missing = IniFile::Parse("\n# c\nscript_location = x\n[alembic]\n", "alembic.ini");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("alembic.ini:3: ") == 0);

  auto garbage = IniFile::Parse("[alembic]\nscript_location = x\njust words\n= v\n", "a.ini");
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().message.find("a.ini:3: cannot parse 'just words'") == 0);

  auto dup_section = IniFile::Parse("[alembic]\na = 1\n[x]\n[alembic]\n", "a.ini");
  REQUIRE_FALSE(dup_section.ok());
  CHECK(dup_section.error().message.find("a.ini:4: section [alembic] is defined twice (first at "
                                         "line 1)") == 0);

  auto dup_key = IniFile::Parse("[alembic]\nA = 1\na: 2\n", "a.ini");
  REQUIRE_FALSE(dup_key.ok());
  CHECK(dup_key.error().message.find("a.ini:3: option 'a' is set twice in [alembic] (first at "
                                     "line 2)") == 0);

  // [DEFAULT] may appear twice; its keys may not.
  CHECK(IniFile::Parse("[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n", "a.ini").ok());
  CHECK_FALSE(IniFile::Parse("[DEFAULT]\na = 1\n[DEFAULT]\na = 2\n", "a.ini").ok());
}

}  // namespace alint
