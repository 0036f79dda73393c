#include "lint/rulekit/revision_id.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <set>

#include "lint/core/regex.h"
#include "lint/rulekit/handmade_id.h"

namespace alint::rulekit {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

// A structure is reported only when a uniformly random id shows it this rarely; with about 20
// structures tested the false-alarm rate per generated id stays below 1e-6.
constexpr double kMaxTail = 1e-7;

// Hex words people type as placeholders. Only words of 7+ characters: a random id contains a
// given 7-character word with probability about 2e-8.
constexpr std::array<std::string_view, 9> kHexWords = {"deadbeef", "deadc0de", "cafebabe",
                                                       "cafed00d", "feedface", "decafbad",
                                                       "badc0de",  "defaced",  "0ddba11"};

}  // namespace

std::optional<std::string> InvalidRevisionIdReason(std::string_view id) {
  if (id.empty()) {
    return std::string(
        "is empty: it cannot be named on the command line, and in a `down_revision` Alembic "
        "reads \"\" as \"no parent\", so no migration can follow it");
  }
  std::set<char> illegal;
  for (char c : id) {
    if (c == '@' || c == '-' || c == '+') illegal.insert(c);
  }
  if (!illegal.empty()) {
    // Alembic's own wording (Revision.verify_rev_id), characters sorted, comma-joined.
    std::string chars;
    for (char c : illegal) {
      if (!chars.empty()) chars += ", ";
      chars += c;
    }
    return fmt::format(
        "contains `{}`, which Alembic rejects when it loads the versions directory: "
        "RevisionError \"Character(s) '{}' not allowed in revision identifier '{}'\"",
        chars, chars, id);
  }
  if (id.find('\'') != std::string_view::npos) {
    return std::string(
        "contains a single quote: Alembic writes ids into `alembic_version` as hand-quoted SQL "
        "literals (`'<id>'`), so stamping this revision fails with a SQL syntax error");
  }
  for (char c : id) {
    if (IsSpace(c)) {
      return std::string(
          "contains whitespace: Alembic keeps it verbatim, so every `down_revision` and every "
          "command-line argument must repeat it byte for byte, and a stray space is invisible");
    }
  }
  if (id.size() > 32) {
    return fmt::format(
        "is {} characters long: `alembic_version.version_num` is VARCHAR(32), so stamping it "
        "fails on PostgreSQL with \"value too long for type character varying(32)\"",
        id.size());
  }
  if (id == "head" || id == "heads" || id == "base") {
    return fmt::format(
        "is `{}`: Alembic resolves head, heads and base as symbols before it looks up ids, so "
        "this revision can never be targeted by name",
        id);
  }
  return std::nullopt;
}

std::optional<std::string> InvalidBranchLabelReason(std::string_view label) {
  if (label.empty()) {
    return std::string("is empty: it can never be addressed (`<label>@head`)");
  }
  if (label.find('@') != std::string_view::npos) {
    return std::string(
        "contains `@`: Alembic splits `label@revision` at the first `@`, so this label can "
        "never be addressed");
  }
  return std::nullopt;
}

std::optional<std::string> HandTypedPattern(std::string_view id) {
  if (id.size() != 12) return std::nullopt;
  for (char c : id) {
    if (!IsLowerHex(c)) return std::nullopt;
  }
  for (std::string_view w : kHexWords) {
    if (id.find(w) != std::string_view::npos) return fmt::format("spells `{}`", w);
  }
  // Each relation "c[i] == c[i - lag] + delta (mod 16)" holds with probability 1/16 per
  // position for a random id; a pattern is a relation holding far more often than that.
  struct Relation {
    int lag;
    int delta;
  };
  // Counting sequences interleaved more than four ways are not something people type; they
  // would only add false alarms.
  static constexpr Relation kRelations[] = {
      {1, 0}, {1, 1}, {1, 15}, {1, 2}, {1, 14}, {2, 0},  {2, 1}, {2, 15},
      {3, 0}, {3, 1}, {3, 15}, {4, 0}, {4, 1},  {4, 15}, {5, 0}, {6, 0},
  };
  // The most surprising relation names the pattern ("abcabcabcabc" also counts up in places,
  // but repeating a 3-character block explains it far better).
  const int n = static_cast<int>(id.size());
  const Relation* best = nullptr;
  double best_tail = kMaxTail;
  for (const Relation& r : kRelations) {
    int hits = 0;
    for (int i = r.lag; i < n; ++i) {
      if (HexValue(id[i]) == (HexValue(id[i - r.lag]) + r.delta) % 16) ++hits;
    }
    if (hits < 5) continue;
    double tail = BinomialTail(n - r.lag, hits, 1.0 / 16);
    if (tail < best_tail) {
      best_tail = tail;
      best = &r;
    }
  }
  if (best != nullptr) {
    if (best->lag == 1) {
      switch (best->delta) {
        case 0:
          return std::string("repeats the same character");
        case 1:
          return std::string("counts up (`0123...`, `abcd...`)");
        case 15:
          return std::string("counts down (`fedc...`, `9876...`)");
        default:
          return std::string("steps through the hex digits two at a time");
      }
    }
    if (best->delta == 0) return fmt::format("repeats a {}-character block", best->lag);
    return fmt::format("interleaves {} {} sequences (like `a1b2c3`)", best->lag,
                       best->delta == 1 ? "counting-up" : "counting-down");
  }
  std::set<char> distinct(id.begin(), id.end());
  if (distinct.size() <= 2) {
    return fmt::format("uses only {} distinct character{}", distinct.size(),
                       distinct.size() == 1 ? "" : "s");
  }
  return std::nullopt;
}

namespace {}  // namespace

std::optional<std::string> HandmadeRevisionIdReason(std::string_view id, const Regex* pattern,
                                                    std::string_view pattern_text) {
  if (pattern != nullptr) {
    if (pattern->FullMatch(id)) return std::nullopt;
    return fmt::format("does not match the configured revision_id_pattern `{}`", pattern_text);
  }
  return HandTypedIdReason(id);
}

std::string FreshRevisionId(std::string_view seed,
                            const std::function<bool(const std::string&)>& taken) {
  for (uint64_t salt = 0;; ++salt) {
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](std::string_view s) {
      for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
      }
      h ^= 0xff;
      h *= 1099511628211ull;
    };
    mix(seed);
    mix(std::to_string(salt));
    std::string id = fmt::format("{:012x}", h & 0xffffffffffffull);
    if (!HandTypedPattern(id) && !taken(id)) return id;
  }
}

}  // namespace alint::rulekit
