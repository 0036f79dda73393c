#pragma once
/// The tokens of the fast header scanner (header_scan.cc) and the line grammar that checks them
/// (line_grammar.cc): kinds, the words the scanner knows, operators packed into integers.
#include <array>
#include <cstdint>
#include <string_view>

#include "lint/python/py_literal.h"

namespace alint::scan {

enum class Tok : uint8_t { kName, kString, kNumber, kOp };

// The names the scanner asks about, numbered once when a name is read: Python's keywords
// (soft ones and Python 2's `print`/`exec` too) and the four revision variables. In ASCII
// order, so that the ones sharing a first letter sit together (kFirstWord).
enum Word : uint8_t {
  kNoWord,
  kFalse,
  kNone,
  kTrue,
  kAnd,
  kAs,
  kAssert,
  kAsync,
  kAwait,
  kBranchLabels,
  kBreak,
  kCase,
  kClass,
  kContinue,
  kDef,
  kDel,
  kDependsOn,
  kDownRevision,
  kElif,
  kElse,
  kExcept,
  kExec,
  kFinally,
  kFor,
  kFrom,
  kGlobal,
  kIf,
  kImport,
  kIn,
  kIs,
  kLambda,
  kMatch,
  kNonlocal,
  kNot,
  kOr,
  kPass,
  kPrint,
  kRaise,
  kReturn,
  kRevision,
  kTry,
  kType,
  kWhile,
  kWith,
  kYield,
  kWordCount
};

constexpr std::string_view kWordText[kWordCount] = {
    "",           "False",         "None",  "True",   "and",    "as",       "assert",  "async",
    "await",      "branch_labels", "break", "case",   "class",  "continue", "def",     "del",
    "depends_on", "down_revision", "elif",  "else",   "except", "exec",     "finally", "for",
    "from",       "global",        "if",    "import", "in",     "is",       "lambda",  "match",
    "nonlocal",   "not",           "or",    "pass",   "print",  "raise",    "return",  "revision",
    "try",        "type",          "while", "with",   "yield"};

constexpr bool IsSlotWord(uint8_t w) {
  return w == kRevision || w == kDownRevision || w == kBranchLabels || w == kDependsOn;
}

// Per first byte: the first Word starting with it (the next byte's entry ends the run).
constexpr std::array<uint8_t, 257> kFirstWord = [] {
  std::array<uint8_t, 257> t{};
  size_t w = 1;
  for (size_t c = 0; c < 257; ++c) {
    while (w < kWordCount && static_cast<unsigned char>(kWordText[w][0]) < c) ++w;
    t[c] = static_cast<uint8_t>(w);
  }
  return t;
}();

inline uint8_t LookupWord(std::string_view n) {
  if (n.size() < 2 || n.size() > 13) return kNoWord;
  const auto c = static_cast<unsigned char>(n[0]);
  for (uint8_t w = kFirstWord[c]; w < kFirstWord[c + 1u]; ++w) {
    if (SameShortText(kWordText[w], n)) return w;
  }
  return kNoWord;
}

// An operator token's text (one to three bytes) packed into an integer: `")"_op`.
constexpr uint32_t PackOp(std::string_view s) {
  uint32_t v = 0;
  for (size_t i = 0; i < s.size(); ++i) v |= uint32_t{static_cast<unsigned char>(s[i])} << (8 * i);
  return v;
}
consteval uint32_t operator""_op(const char* s, size_t n) { return PackOp({s, n}); }

struct Token {
  Tok kind;
  uint8_t word;  // kName: its Word (kNoWord for any other name)
  uint32_t op;   // kOp: PackOp of its text
  uint32_t begin;
  uint32_t end;
};

constexpr bool IsNameStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
constexpr std::array<bool, 256> kNameChar = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                                c >= 0x80 || (c >= '0' && c <= '9');
  }
  return t;
}();
inline bool IsNameChar(unsigned char c) { return kNameChar[c]; }

}  // namespace alint::scan
