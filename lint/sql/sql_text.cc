#include "lint/sql/sql_text.h"

#include <cctype>

namespace alint::sql_text {
namespace {

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$';
}

// Length of a dollar-quote tag ("$tag$" or "$$") starting at i, or 0 when there is none.
size_t DollarTag(std::string_view s, size_t i) {
  if (s[i] != '$') return 0;
  size_t j = i + 1;
  if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) return 0;  // $1
  while (j < s.size() && IsIdentChar(s[j]) && s[j] != '$') ++j;
  if (j < s.size() && s[j] == '$') return j - i + 1;
  return 0;
}

// If a literal, quoted identifier or comment starts at i, returns the offset just past it;
// otherwise i. Unterminated ones run to the end.
size_t SkipOpaqueAt(std::string_view s, size_t i) {
  const char c = s[i];
  if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
    size_t j = s.find('\n', i);
    return j == std::string_view::npos ? s.size() : j + 1;
  }
  if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
    int depth = 1;  // PostgreSQL block comments nest
    size_t j = i + 2;
    while (j < s.size() && depth > 0) {
      if (s[j] == '/' && j + 1 < s.size() && s[j + 1] == '*') {
        ++depth;
        j += 2;
      } else if (s[j] == '*' && j + 1 < s.size() && s[j + 1] == '/') {
        --depth;
        j += 2;
      } else {
        ++j;
      }
    }
    return j;
  }
  if (c == '\'' || c == '"') {
    // E'..' strings allow backslash escapes; the prefix letter was already passed as an
    // identifier character, so look back one byte.
    const bool escapes = c == '\'' && i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E') &&
                         (i < 2 || !IsIdentChar(s[i - 2]));
    size_t j = i + 1;
    while (j < s.size()) {
      if (escapes && s[j] == '\\') {
        j += 2;
        continue;
      }
      if (s[j] == c) {
        if (j + 1 < s.size() && s[j + 1] == c) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      ++j;
    }
    return s.size();
  }
  if (c == '$' && (i == 0 || !IsIdentChar(s[i - 1]))) {
    size_t tag = DollarTag(s, i);
    if (tag > 0) {
      size_t close = s.find(s.substr(i, tag), i + tag);
      return close == std::string_view::npos ? s.size() : close + tag;
    }
  }
  return i;
}

// SkipOpaqueAt, called only where one can start: the scans below test every byte.
inline size_t SkipOpaque(std::string_view s, size_t i) {
  const char c = s[i];
  if (c != '-' && c != '/' && c != '\'' && c != '"' && c != '$') return i;
  return SkipOpaqueAt(s, i);
}

}  // namespace

std::string NeutralizePlaceholders(std::string_view sql) {
  // Only a `%` or a `:` is ever replaced.
  if (sql.find_first_of("%:") == std::string_view::npos) return std::string(sql);
  std::string out(sql);
  size_t i = 0;
  int bracket_depth = 0;
  while (i < sql.size()) {
    size_t skipped = SkipOpaque(sql, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    const char c = sql[i];
    if (c == '[') ++bracket_depth;
    if (c == ']' && bracket_depth > 0) --bracket_depth;
    if (c == '%' && i + 1 < sql.size()) {
      if (sql[i + 1] == '%') {
        out[i + 1] = ' ';
        i += 2;
        continue;
      }
      if (sql[i + 1] == 's') {
        out.replace(i, 2, "$1");
        i += 2;
        continue;
      }
      if (sql[i + 1] == '(') {
        size_t close = sql.find(')', i + 2);
        if (close != std::string_view::npos && close + 1 < sql.size() && sql[close + 1] == 's') {
          size_t len = close + 2 - i;
          out.replace(i, len, "$1" + std::string(len - 2, ' '));
          i += len;
          continue;
        }
      }
    }
    // `:name` bind parameters; not `::type` casts, `:=` or array slices `a[1:n]`.
    if (c == ':' && i + 1 < sql.size() && IsIdentStart(sql[i + 1]) && bracket_depth == 0 &&
        (i == 0 || sql[i - 1] != ':')) {
      size_t j = i + 1;
      while (j < sql.size() && IsIdentChar(sql[j])) ++j;
      size_t len = j - i;
      out.replace(i, len, len >= 2 ? "$1" + std::string(len - 2, ' ') : "$1");
      i = j;
      continue;
    }
    if (IsIdentChar(c)) {
      while (i < sql.size() && IsIdentChar(sql[i])) ++i;
      continue;
    }
    ++i;
  }
  return out;
}

uint32_t SkipSpaceAndComments(std::string_view sql, uint32_t begin, uint32_t end) {
  size_t i = begin;
  while (i < end) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
      continue;
    }
    if ((sql[i] == '-' || sql[i] == '/') && SkipOpaque(sql, i) != i) {
      i = SkipOpaque(sql, i);
      continue;
    }
    break;
  }
  return static_cast<uint32_t>(i < end ? i : end);
}

uint32_t TrimEnd(std::string_view sql, uint32_t begin, uint32_t end) {
  // Walk forward so that comments are recognized; remember the end of the last real token.
  uint32_t last = begin;
  size_t i = begin;
  while (i < end) {
    if (std::isspace(static_cast<unsigned char>(sql[i])) || sql[i] == ';') {
      ++i;
      continue;
    }
    size_t skipped = SkipOpaque(sql, i);
    if (skipped != i) {
      const bool comment = sql[i] == '-' || sql[i] == '/';
      i = skipped;
      if (!comment) last = static_cast<uint32_t>(i < end ? i : end);
      continue;
    }
    ++i;
    last = static_cast<uint32_t>(i);
  }
  return last;
}

std::vector<uint32_t> SplitTopLevelCommas(std::string_view sql, uint32_t begin, uint32_t end) {
  std::vector<uint32_t> parts{begin};
  int depth = 0;
  size_t i = begin;
  while (i < end) {
    size_t skipped = SkipOpaque(sql, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    const char c = sql[i];
    if (c == '(' || c == '[') ++depth;
    if ((c == ')' || c == ']') && depth > 0) --depth;
    if (c == ',' && depth == 0) parts.push_back(static_cast<uint32_t>(i + 1));
    ++i;
  }
  parts.push_back(end);
  return parts;
}

uint32_t SkipQualifiedName(std::string_view sql, uint32_t at, uint32_t end) {
  size_t i = at;
  while (i < end) {
    if (sql[i] == '"') {
      i = SkipOpaque(sql, i);
    } else if (IsIdentChar(sql[i])) {
      while (i < end && IsIdentChar(sql[i])) ++i;
    } else {
      break;
    }
    size_t j = SkipSpaceAndComments(sql, static_cast<uint32_t>(i), end);
    if (j < end && sql[j] == '.') {
      i = SkipSpaceAndComments(sql, static_cast<uint32_t>(j + 1), end);
      continue;
    }
    break;
  }
  size_t j = SkipSpaceAndComments(sql, static_cast<uint32_t>(i), end);
  if (j < end && sql[j] == '*') i = j + 1;
  return static_cast<uint32_t>(i < end ? i : end);
}

uint32_t FindKeyword(std::string_view sql, uint32_t begin, uint32_t end, std::string_view word) {
  size_t i = begin;
  while (i < end) {
    size_t skipped = SkipOpaque(sql, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (IsIdentChar(sql[i])) {
      size_t j = i;
      while (j < end && IsIdentChar(sql[j])) ++j;
      if (j - i == word.size()) {
        bool same = true;
        for (size_t k = 0; k < word.size(); ++k) {
          if (std::tolower(static_cast<unsigned char>(sql[i + k])) !=
              std::tolower(static_cast<unsigned char>(word[k]))) {
            same = false;
            break;
          }
        }
        if (same) return static_cast<uint32_t>(i);
      }
      i = j;
      continue;
    }
    ++i;
  }
  return end;
}

}  // namespace alint::sql_text
