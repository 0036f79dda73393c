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
