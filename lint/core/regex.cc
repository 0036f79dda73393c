#include "lint/core/regex.h"

#include <re2/re2.h>

namespace alint {

namespace {

// RE2's default program budget (8 MiB) bounds the memory a hostile pattern can take; a
// pattern over it fails to compile, which Compile reports.
constexpr int64_t kMaxProgramBytes = 8 << 20;

std::optional<std::vector<std::string_view>> Match(const re2::RE2& re, std::string_view text,
                                                   size_t pos, re2::RE2::Anchor anchor) {
  if (pos > text.size()) return std::nullopt;
  std::vector<re2::StringPiece> groups(static_cast<size_t>(re.NumberOfCapturingGroups()) + 1);
  if (!re.Match(re2::StringPiece(text.data(), text.size()), pos, text.size(), anchor, groups.data(),
                static_cast<int>(groups.size())))
    return std::nullopt;
  std::vector<std::string_view> out;
  out.reserve(groups.size());
  for (const re2::StringPiece& g : groups) {
    out.push_back(g.data() == nullptr ? std::string_view() : std::string_view(g.data(), g.size()));
  }
  return out;
}

}  // namespace

Result<Regex> Regex::Compile(std::string_view pattern, Options options) {
  re2::RE2::Options o;
  o.set_log_errors(false);  // the caller reports the error, with its file and line
  o.set_case_sensitive(!options.case_insensitive);
  o.set_max_mem(kMaxProgramBytes);
  if (options.bytes) o.set_encoding(re2::RE2::Options::EncodingLatin1);
  auto re = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), o);
  if (!re->ok()) return Error{re->error()};
  Regex out;
  out.re_ = std::move(re);
  return out;
}

Result<Regex> Regex::CompileUserPattern(std::string_view pattern) {
  if (pattern.size() > kMaxUserPatternBytes) {
    return Error{"the pattern is " + std::to_string(pattern.size()) + " bytes long, over the " +
                 std::to_string(kMaxUserPatternBytes) + "-byte limit"};
  }
  int depth = 0;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;  // an escaped character is a literal, wherever it is
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      if (++depth > kMaxUserPatternNesting) {
        return Error{"groups are nested more than " + std::to_string(kMaxUserPatternNesting) +
                     " levels deep"};
      }
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (c == '{') {
      // {n}, {n,} or {n,m}: every count must be at most 1000, as RE2 requires of the counts it
      // reads as counts; a longer number would silently become literal text.
      size_t j = i + 1;
      bool counts = j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9';
      size_t digits = 0;
      unsigned long long value = 0;
      bool too_big = false;
      for (; counts && j < pattern.size() && pattern[j] != '}'; ++j) {
        const char d = pattern[j];
        if (d == ',') {
          digits = 0;
          value = 0;
        } else if (d >= '0' && d <= '9') {
          if (++digits > 4 || (value = value * 10 + static_cast<unsigned>(d - '0')) > 1000) {
            too_big = true;
          }
        } else {
          counts = false;
        }
      }
      if (counts && j < pattern.size() && too_big) {
        return Error{"a repetition count in `" + std::string(pattern.substr(i, j - i + 1)) +
                     "` is over 1000"};
      }
    }
  }
  return Compile(pattern);
}

bool Regex::FullMatch(std::string_view text) const {
  return re_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                    re2::RE2::ANCHOR_BOTH, nullptr, 0);
}

bool Regex::PartialMatch(std::string_view text) const {
  return re_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                    re2::RE2::UNANCHORED, nullptr, 0);
}

std::optional<std::vector<std::string_view>> Regex::FullMatchGroups(std::string_view text) const {
  return Match(*re_, text, 0, re2::RE2::ANCHOR_BOTH);
}

std::optional<std::vector<std::string_view>> Regex::Find(std::string_view text, size_t pos) const {
  return Match(*re_, text, pos, re2::RE2::UNANCHORED);
}

}  // namespace alint
