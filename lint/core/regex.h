#pragma once
/// Regular expressions for every pattern the linter compiles, above all those from untrusted
/// config and CLI (`revision-id-pattern`) and those run over untrusted file text. Backed by RE2:
/// linear-time matching without backtracking or recursion, bounded memory, and a bad pattern
/// is an error value. libstdc++'s std::regex has none of these (signed overflow compiling
/// `a{99999999999999999999}`, exponential backtracking, stack overflow on long input).
///
/// The syntax is RE2's (https://github.com/google/re2/wiki/Syntax): Perl/ECMAScript-like,
/// without backreferences and lookaround; repetition counts are at most 1000.

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "lint/core/result.h"

namespace re2 {
class RE2;
}

namespace alint {

class Regex {
 public:
  struct Options {
    bool case_insensitive = false;
    /// Match bytes, not UTF-8 code points (as std::regex did): a stray byte in file text
    /// still matches a negated class. For the linter's own patterns over source text.
    bool bytes = false;
  };
  /// The compiled pattern, or an Error whose message is RE2's reason (e.g. "bad repetition
  /// operator: {99999999999999999999}"), without the caller's context.
  static Result<Regex> Compile(std::string_view pattern, Options options);
  static Result<Regex> Compile(std::string_view pattern) { return Compile(pattern, Options{}); }
  /// Compile for a pattern a user wrote (config, CLI): besides RE2's own checks, refuses what
  /// RE2 would accept but nobody means or can read: over kMaxUserPatternBytes bytes, groups
  /// nested over kMaxUserPatternNesting levels, and a repetition count over 1000 (RE2, like
  /// Perl, takes `a{99999999999999999999}` as literal text rather than an error).
  static Result<Regex> CompileUserPattern(std::string_view pattern);
  static constexpr size_t kMaxUserPatternBytes = 1024;
  static constexpr int kMaxUserPatternNesting = 32;

  /// The whole of `text` matches.
  bool FullMatch(std::string_view text) const;
  /// Some part of `text` matches.
  bool PartialMatch(std::string_view text) const;
  /// Group 0 (the match) and every capture group of the whole-text match; a group that took
  /// no part is a view with data() == nullptr. nullopt when `text` does not match.
  std::optional<std::vector<std::string_view>> FullMatchGroups(std::string_view text) const;
  /// The same for the leftmost match starting at or after `pos` in `text`.
  std::optional<std::vector<std::string_view>> Find(std::string_view text, size_t pos = 0) const;

 private:
  std::shared_ptr<const re2::RE2> re_;
};

}  // namespace alint
