#include "lint/discover/ini.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include <fmt/format.h>

namespace alint {

namespace {

// Python's str.strip() and re's \s on ASCII: the C whitespace set plus the four separator
// controls \x1c-\x1f, which Python also treats as whitespace.
bool IsPySpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
         (c >= '\x1c' && c <= '\x1f');
}

std::string_view Strip(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsPySpace(s[b])) ++b;
  while (e > b && IsPySpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string_view RStrip(std::string_view s) {
  size_t e = s.size();
  while (e > 0 && IsPySpace(s[e - 1])) --e;
  return s.substr(0, e);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Python reads text files with universal newlines: "\r\n", "\r" and "\n" all end a line.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

constexpr std::string_view kDefaultSection = "DEFAULT";
constexpr int kMaxInterpolationDepth = 10;

IniOption* FindMutable(IniSection& s, std::string_view key) {
  for (auto& o : s.options)
    if (o.key == key) return &o;
  return nullptr;
}

}  // namespace

const IniOption* IniSection::Find(std::string_view key) const {
  for (const auto& o : options)
    if (o.key == key) return &o;
  return nullptr;
}

Result<IniFile> IniFile::Parse(std::string_view text, const std::string& path,
                               const std::map<std::string, std::string>& defaults) {
  IniFile ini;
  ini.path_ = path;
  ini.defaults_.name = std::string(kDefaultSection);
  for (const auto& [k, v] : defaults) ini.defaults_.options.push_back({Lower(k), v, 0});

  // A UTF-8 byte-order mark is what Windows editors add; Python would choke on it, but it
  // carries no meaning, so it is not worth failing the whole run over.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  IniSection* cur = nullptr;
  IniOption* opt = nullptr;                // the option a continuation line would extend
  std::vector<std::string> pending_empty;  // empty lines inside a value, kept if more follows
  size_t indent_level = 0;
  std::set<std::string> seen_sections;
  std::set<std::pair<std::string, std::string>> seen_options;
  std::optional<Error> parse_error;  // configparser reports bad lines only at the end

  auto lines = SplitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const int lineno = static_cast<int>(i + 1);
    std::string_view line = lines[i];
    std::string_view stripped = Strip(line);
    bool is_comment = !stripped.empty() && (stripped[0] == '#' || stripped[0] == ';');
    if (stripped.empty() || is_comment) {
      // Empty lines belong to a multi-line value (configparser trims trailing ones when it
      // joins); comment lines are dropped without ending the value.
      if (!is_comment && cur && opt) pending_empty.emplace_back();
      continue;
    }
    size_t cur_indent = 0;
    while (cur_indent < line.size() && IsPySpace(line[cur_indent])) ++cur_indent;
    if (cur && opt && cur_indent > indent_level) {
      for (const auto& e : pending_empty) opt->value += "\n" + e;
      pending_empty.clear();
      opt->value += "\n";
      opt->value += stripped;
      continue;
    }
    pending_empty.clear();
    indent_level = cur_indent;
    // Section header: '[' then the longest run up to the last ']' (configparser's "very
    // permissive" pattern, matched at the start only, so a trailing comment is ignored).
    size_t close = stripped.rfind(']');
    if (stripped[0] == '[' && close != std::string_view::npos && close >= 2) {
      std::string name(stripped.substr(1, close - 1));
      opt = nullptr;
      if (name == kDefaultSection) {
        cur = &ini.defaults_;
        if (cur->line == 0) cur->line = lineno;
        continue;
      }
      if (seen_sections.count(name)) {
        const IniSection* first = ini.FindSection(name);
        return Error{fmt::format(
            "{}:{}: section [{}] is defined twice (first at line {}); Python's configparser, "
            "and so Alembic, rejects the file",
            path, lineno, name, first ? first->line : 0)};
      }
      seen_sections.insert(name);
      ini.sections_.push_back({name, lineno, {}});
      cur = &ini.sections_.back();
      continue;
    }
    if (!cur) {
      return Error{fmt::format(
          "{}:{}: '{}' comes before any [section] header; an Alembic config starts with "
          "[alembic]",
          path, lineno, stripped)};
    }
    size_t delim = stripped.find_first_of("=:");
    if (delim == std::string_view::npos || delim == 0 || Strip(stripped.substr(0, delim)).empty()) {
      if (!parse_error) {
        parse_error = Error{fmt::format(
            "{}:{}: cannot parse '{}': expected 'key = value', 'key: value' or '[section]' "
            "(indent a line to continue the previous value)",
            path, lineno, stripped)};
      }
      opt = nullptr;
      continue;
    }
    std::string key = Lower(RStrip(stripped.substr(0, delim)));
    std::string value(Strip(stripped.substr(delim + 1)));
    if (!seen_options.insert({cur->name, key}).second) {
      const IniOption* first = cur->Find(key);
      return Error{fmt::format(
          "{}:{}: option '{}' is set twice in [{}] (first at line {}); Python's configparser, "
          "and so Alembic, rejects the file",
          path, lineno, key, cur->name, first ? first->line : 0)};
    }
    if (IniOption* existing = FindMutable(*cur, key)) {
      // Only a seeded default can be here: the file overrides it.
      existing->value = value;
      existing->line = lineno;
      opt = existing;
    } else {
      cur->options.push_back({key, value, lineno});
      opt = &cur->options.back();
    }
  }
  if (parse_error) return *parse_error;
  // Values were joined as lines came; configparser's join also right-strips the result.
  auto trim = [](IniSection& s) {
    for (auto& o : s.options) o.value = std::string(RStrip(o.value));
  };
  trim(ini.defaults_);
  for (auto& s : ini.sections_) trim(s);
  return ini;
}

const IniSection* IniFile::FindSection(std::string_view name) const {
  if (name == kDefaultSection) return &defaults_;
  for (const auto& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

const IniOption* IniFile::Lookup(std::string_view section, std::string_view key) const {
  const IniSection* s = FindSection(section);
  if (!s) return nullptr;
  std::string k = Lower(key);
  if (const IniOption* o = s->Find(k)) return o;
  return defaults_.Find(k);
}

bool IniFile::Has(std::string_view section, std::string_view key) const {
  return Lookup(section, key) != nullptr;
}

Result<std::optional<std::string>> IniFile::Get(std::string_view section,
                                                std::string_view key) const {
  const IniOption* top = Lookup(section, key);
  if (!top) return std::optional<std::string>();
  auto where = [&] { return fmt::format("{}:{}: {}", path_, top->line, top->key); };

  std::string out;
  // Mirrors BasicInterpolation._interpolate_some: references resolve against the same
  // section (then DEFAULT), recursively, up to depth 10.
  auto expand = [&](auto& self, std::string_view rest, int depth) -> std::optional<Error> {
    if (depth > kMaxInterpolationDepth) {
      return Error{where() +
                   ": interpolation nested more than 10 deep (a value that refers "
                   "to itself?)"};
    }
    while (!rest.empty()) {
      size_t p = rest.find('%');
      if (p == std::string_view::npos) {
        out += rest;
        return std::nullopt;
      }
      out += rest.substr(0, p);
      rest.remove_prefix(p);
      char c = rest.size() > 1 ? rest[1] : '\0';
      if (c == '%') {
        out += '%';
        rest.remove_prefix(2);
      } else if (c == '(') {
        size_t close = rest.find(')');
        if (close == std::string_view::npos || close == 2 || close + 1 >= rest.size() ||
            rest[close + 1] != 's') {
          return Error{
              fmt::format("{}: bad interpolation '{}' (expected %(name)s, or %% for a "
                          "literal percent sign)",
                          where(), rest)};
        }
        std::string ref = Lower(rest.substr(2, close - 2));
        rest.remove_prefix(close + 2);
        const IniOption* target = Lookup(section, ref);
        if (!target) {
          return Error{
              fmt::format("{}: '%({})s' refers to an option that is not set in [{}] "
                          "or [DEFAULT]",
                          where(), ref, section)};
        }
        if (target->value.find('%') == std::string::npos) {
          out += target->value;
        } else if (auto err = self(self, target->value, depth + 1)) {
          return err;
        }
      } else {
        return Error{fmt::format(
            "{}: '%' must be followed by '%' or '(' in '{}' (write %% for a literal percent "
            "sign)",
            where(), rest)};
      }
    }
    return std::nullopt;
  };
  if (auto err = expand(expand, top->value, 1)) return *err;
  return std::optional<std::string>(std::move(out));
}

}  // namespace alint
