// Regex (RE2) for untrusted patterns and text: bad patterns are errors, matching is linear.
#include "lint/core/regex.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "lint/analysis/migration_analysis.h"
#include "lint/config/config.h"
#include "lint/core/source.h"
#include "rules/registry.h"
#include "tests/cli/cli_test_util.h"

namespace alint {

TEST_CASE("Regex: a hostile pattern is an error value, not undefined behaviour") {
  // libstdc++'s std::regex overflows a signed int parsing this count (UB). RE2, like Perl,
  // reads a count it cannot take (over 8 digits) as literal text.
  Result<Regex> huge = Regex::Compile("a{99999999999999999999}");
  REQUIRE(huge.ok());
  CHECK(huge->FullMatch("a{99999999999999999999}"));
  CHECK_FALSE(huge->FullMatch("aaaa"));
  // Counts over 1000 are errors.
  Result<Regex> big = Regex::Compile("a{2000}");
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().message.find("invalid repetition size") != std::string::npos);
  CHECK_FALSE(Regex::Compile("([").ok());
  CHECK_FALSE(Regex::Compile("(a)\\1").ok());  // no backreferences: they need backtracking
  // Nested counted repetition that would take gigabytes as an automaton: over the budget.
  CHECK_FALSE(Regex::Compile("((((a{1000}){1000}){1000}){1000})").ok());
}

TEST_CASE("Regex: matching is linear where std::regex backtracks or recurses") {
  Result<Regex> re = Regex::Compile("(a|aa)*(a*)*b");
  REQUIRE(re.ok());
  std::string as(100000, 'a');
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(re->FullMatch(as));
  CHECK_FALSE(re->PartialMatch(as));
  CHECK(re->FullMatch(as + "b"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("Regex: groups, searching from a position, case and bytes") {
  Result<Regex> re = Regex::Compile("(x)?(\\d+)");
  REQUIRE(re.ok());
  auto m = re->Find("ab 12 x345", 0);
  REQUIRE(m);
  CHECK((*m)[0] == "12");
  CHECK((*m)[1].data() == nullptr);
  CHECK((*m)[2] == "12");
  auto n = re->Find("ab 12 x345", 5);
  REQUIRE(n);
  CHECK((*n)[0] == "x345");
  CHECK_FALSE(re->Find("ab", 2));
  auto ci = Regex::Compile("create", Regex::Options{.case_insensitive = true});
  REQUIRE(ci.ok());
  CHECK(ci->FullMatch("CrEaTe"));
  // In byte mode a stray byte (not UTF-8) still matches a negated class.
  auto bytes = Regex::Compile("[^ ]+", Regex::Options{.bytes = true});
  REQUIRE(bytes.ok());
  CHECK(
      bytes->FullMatch("a\xff"
                       "b"));
}

TEST_CASE("revision-id-pattern: a hostile pattern is a config error with its position") {
  auto c = ParseConfig("\nrevision-id-pattern = \"[0-9a-f]{2000}\"\n", ".alembic-lint.toml", false,
                       "/r", BuiltinRules());
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message.find(".alembic-lint.toml:2:23: `revision-id-pattern` is not a valid "
                               "regular expression: a repetition count in `{2000}` is over 1000") !=
        std::string::npos);
  // What RE2 alone would accept but nobody means: a count it reads as literal text, groups
  // nested thousands deep, a pattern of kilobytes. Each is a config error at its position.
  auto huge = ParseConfig("revision-id-pattern = \"a{99999999999999999999}\"\n",
                          ".alembic-lint.toml", false, "/r", BuiltinRules());
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().message.find(":1:23: `revision-id-pattern` is not a valid regular "
                                  "expression: a repetition count in `{99999999999999999999}` is "
                                  "over 1000") != std::string::npos);
  std::string deep = std::string(30000, '(') + std::string(30000, ')');
  auto groups = ParseConfig("revision-id-pattern = \"" + deep + "\"\n", ".alembic-lint.toml", false,
                            "/r", BuiltinRules());
  REQUIRE_FALSE(groups.ok());
  CHECK(groups.error().message.find("bytes long, over the 1024-byte limit") != std::string::npos);
  auto nested = Regex::CompileUserPattern(std::string(40, '(') + "a" + std::string(40, ')'));
  REQUIRE_FALSE(nested.ok());
  CHECK(nested.error().message == "groups are nested more than 32 levels deep");
  // Ordinary patterns, and counts in classes or escaped braces, are fine.
  CHECK(Regex::CompileUserPattern("[0-9a-f]{12}").ok());
  CHECK(Regex::CompileUserPattern("[{]99999]x\\{99999}").ok());
  CHECK(Regex::CompileUserPattern("(ocata|pike)_(expand|contract)[0-9]{1,3}").ok());
  auto cli = testing::RunBinary("check --no-config --revision-id-pattern '(a{1000}){1000}' " +
                                    std::string(ALINT_SOURCE_DIR) + "/fixtures/demo",
                                true);
  CHECK(cli.status == 2);
  CHECK(cli.out.find("--revision-id-pattern is not a valid regular expression: invalid repetition "
                     "size") != std::string::npos);
}

TEST_CASE("env.py settings: a long run of blanks neither overflows the stack nor slows down") {
  std::string text =
      "context.configure(transaction_per_migration =" + std::string(1 << 20, ' ') +
      "True)\nconnect_args={'options': '-c lock_timeout=" + std::string(1 << 20, '9') + "'}\n";
  EnvFacts f = ReadEnvFacts(SourceFile(0, "env.py", text));
  CHECK(f.transaction_per_migration);
  REQUIRE(f.lock_timeout.has_value());
  CHECK(f.lock_timeout->size() == (1u << 20));
}

}  // namespace alint
