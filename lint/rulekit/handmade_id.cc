#include "lint/rulekit/handmade_id.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <set>

#include "lint/rulekit/revision_id.h"

namespace alint::rulekit {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

// A random id shows a reported structure this rarely. Stricter than HandTypedPattern's 1e-7:
// ids of every length and alphabet pass through here, with a dozen structures tested each.
constexpr double kMaxTail = 1e-8;

// Position of a character in the id's alphabet: digits, then letters.
int Value(char c) { return IsDigit(c) ? c - '0' : c - 'a' + 10; }

// Sequences and repetitions in an id over an alphabet of `base` characters (10: digits only,
// 16: hex, 36: digits and letters), judged like HandTypedPattern judges 12-hex ids.
std::optional<std::string> SequencePattern(std::string_view id, int base) {
  struct Relation {
    int lag;
    int delta;  // +1: counts up, -1: counts down, 0: repeats
  };
  static constexpr Relation kRelations[] = {{1, 0}, {1, 1}, {1, -1}, {2, 0}, {2, 1}, {2, -1},
                                            {3, 0}, {3, 1}, {3, -1}, {4, 0}, {5, 0}, {6, 0}};
  const int n = static_cast<int>(id.size());
  const Relation* best = nullptr;
  double best_tail = kMaxTail;
  for (const Relation& r : kRelations) {
    int hits = 0;
    for (int i = r.lag; i < n; ++i) {
      // Digits and letters are two runs people type (`abc123`): a step from 9 to a, or from
      // the end of one run into the other, counts as neither.
      const int a = Value(id[i - r.lag]), b = Value(id[i]);
      if (b == a + r.delta || (base == 16 && b == (a + r.delta + 16) % 16)) ++hits;
    }
    if (hits < 5) continue;
    const double tail = BinomialTail(n - r.lag, hits, 1.0 / base);
    if (tail < best_tail) {
      best_tail = tail;
      best = &r;
    }
  }
  if (best == nullptr) {
    std::set<char> distinct(id.begin(), id.end());
    if (id.size() >= 8 && distinct.size() <= 2) {
      return fmt::format("uses only {} distinct character{}", distinct.size(),
                         distinct.size() == 1 ? "" : "s");
    }
    return std::nullopt;
  }
  if (best->lag == 1) {
    if (best->delta == 0) return std::string("repeats the same character");
    return std::string(best->delta > 0 ? "counts up (`0123...`, `abcd...`)"
                                       : "counts down (`fedc...`, `9876...`)");
  }
  if (best->delta == 0) return fmt::format("repeats a {}-character block", best->lag);
  return fmt::format("interleaves {} {} sequences (like `a1b2c3`)", best->lag,
                     best->delta > 0 ? "counting-up" : "counting-down");
}

// `20240601`, `202406011230`: a date, maybe with a time.
bool LooksLikeDate(std::string_view digits) {
  if (digits.size() < 8) return false;
  const int year = std::stoi(std::string(digits.substr(0, 4)));
  const int month = std::stoi(std::string(digits.substr(4, 2)));
  const int day = std::stoi(std::string(digits.substr(6, 2)));
  return year >= 1990 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

std::optional<std::string> HandTypedIdReason(std::string_view id) {
  bool digits = true, hex = true, alnum = true;
  for (char c : id) {
    digits = digits && IsDigit(c);
    hex = hex && IsLowerHex(c);
    alnum = alnum && (IsDigit(c) || IsLower(c));
  }
  // Words, separators or capitals: a naming scheme someone chose (`django_0001`,
  // `ocata_expand01`), not a random-looking id typed by hand.
  if (!alnum) return std::nullopt;
  if (hex && !digits && id.size() == 12) return HandTypedPattern(id);
  if (id.size() < 6) return std::nullopt;  // `0004`: a sequence number scheme
  if (digits && LooksLikeDate(id)) return std::nullopt;
  return SequencePattern(id, digits ? 10 : (hex ? 16 : 36));
}

double BinomialTail(int n, int k, double p) {
  double sum = 0;
  for (int i = k; i <= n; ++i) {
    double c = 1;
    for (int j = 0; j < i; ++j) c = c * (n - j) / (j + 1);
    sum += c * std::pow(p, i) * std::pow(1 - p, n - i);
  }
  return sum;
}

}  // namespace alint::rulekit
