#include "lint/config/config_edit.h"

#include <fmt/format.h>

#include <toml++/toml.h>

namespace alint {

namespace {

// Byte offset of the start of 1-based `line` in `text` (text.size() past the last line).
size_t LineStart(std::string_view text, size_t line) {
  size_t pos = 0;
  for (size_t l = 1; l < line && pos < text.size(); ++l) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return text.size();
    pos = nl + 1;
  }
  return pos;
}

// Byte offset of the end of the line holding `pos` (at its '\r\n' or '\n', or text.size()).
size_t LineEnd(std::string_view text, size_t pos) {
  size_t nl = text.find('\n', pos);
  if (nl == std::string_view::npos) return text.size();
  if (nl > pos && text[nl - 1] == '\r') return nl - 1;
  return nl;
}

// A TOML basic string: revision ids are plain, but escape what must be.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

Result<toml::table> Parse(std::string_view text) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    return Error{fmt::format("{}:{}: invalid TOML: {}", e.source().begin.line,
                             e.source().begin.column, e.description())};
  }
}

// The alembic-lint table of a parsed config (nullptr when a pyproject has none).
const toml::table* Ours(const toml::table& root, bool pyproject) {
  if (!pyproject) return &root;
  const toml::table* tool = root["tool"].as_table();
  return tool ? (*tool)["alembic-lint"].as_table() : nullptr;
}

// `[tool.alembic-lint]` (spaces, quotes and a comment allowed): the header line, or npos.
size_t HeaderLineEnd(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = LineEnd(text, pos);
    std::string squeezed;
    for (char c : text.substr(pos, end - pos)) {
      if (c == '#') break;
      if (c != ' ' && c != '\t' && c != '"' && c != '\'') squeezed += c;
    }
    if (squeezed == "[tool.alembic-lint]") return end;
    size_t nl = text.find('\n', end);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return std::string_view::npos;
}

}  // namespace

Result<std::string> SetAppliedInConfigText(std::string_view text, bool pyproject,
                                           const std::vector<std::string>& revisions) {
  Result<toml::table> before = Parse(text);
  if (!before.ok()) return before.error();
  const std::string eol = text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
  std::string value = "applied = [";
  for (size_t i = 0; i < revisions.size(); ++i) value += (i ? ", " : "") + Quote(revisions[i]);
  value += "]";
  const std::string comment =
      "# Revisions production already ran: the lock, SQL and data rules skip them and their "
      "ancestors (`alembic-lint baseline` writes this)." +
      eol;

  std::string out;
  const toml::table* table = Ours(*before, pyproject);
  const toml::node* existing = table ? table->get("applied") : nullptr;
  if (existing != nullptr) {
    // The lines from the key to the end of the value.
    size_t key_line = 0;
    for (const auto& [k, v] : *table) {
      if (k.str() == "applied") key_line = k.source().begin.line;
    }
    size_t end_line = existing->source().end.line;
    if (key_line == 0 || end_line < key_line) {
      return Error{"cannot locate the `applied` key in the file"};
    }
    size_t from = LineStart(text, key_line);
    // Keep the indentation before the key.
    while (from < text.size() && (text[from] == ' ' || text[from] == '\t')) ++from;
    size_t to = LineEnd(text, LineStart(text, end_line));
    out = std::string(text.substr(0, from)) + value + std::string(text.substr(to));
  } else if (!pyproject) {
    // After the leading comments and blank lines: top-level keys must precede any table.
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = LineEnd(text, pos);
      std::string_view line = text.substr(pos, end - pos);
      size_t first = line.find_first_not_of(" \t");
      if (first != std::string_view::npos && line[first] != '#') break;
      size_t nl = text.find('\n', end);
      if (nl == std::string_view::npos) {
        pos = text.size();
        break;
      }
      pos = nl + 1;
    }
    std::string head(text.substr(0, pos));
    if (!head.empty() && head.back() != '\n') head += eol;
    out = head + comment + value + eol + std::string(text.substr(pos));
  } else if (size_t header = HeaderLineEnd(text); header != std::string_view::npos) {
    size_t after = text.find('\n', header);
    after = after == std::string_view::npos ? text.size() : after + 1;
    std::string head(text.substr(0, after));
    if (!head.empty() && head.back() != '\n') head += eol;
    out = head + comment + value + eol + std::string(text.substr(after));
  } else {
    out = std::string(text);
    if (!out.empty() && out.back() != '\n') out += eol;
    out += (out.empty() ? "" : eol) + "[tool.alembic-lint]" + eol + comment + value + eol;
  }

  // The edit must read back as intended, with every other value unchanged.
  Result<toml::table> after = Parse(out);
  auto refuse = [] {
    return Error{"the edited file would not read back as intended; add `applied = [...]` by hand"};
  };
  if (!after.ok()) return refuse();
  const toml::table* new_table = Ours(*after, pyproject);
  if (new_table == nullptr) return refuse();
  const toml::array* list = (*new_table)["applied"].as_array();
  if (list == nullptr || list->size() != revisions.size()) return refuse();
  for (size_t i = 0; i < revisions.size(); ++i) {
    auto s = list->get(i)->value<std::string>();
    if (!s || *s != revisions[i]) return refuse();
  }
  toml::table a = *before, b = *after;
  auto drop = [pyproject](toml::table& root) {
    if (!pyproject) {
      root.erase("applied");
      return;
    }
    if (toml::table* tool = root["tool"].as_table()) {
      if (toml::table* ours = (*tool)["alembic-lint"].as_table()) {
        ours->erase("applied");
        if (ours->empty()) tool->erase("alembic-lint");
      }
      if (tool->empty()) root.erase("tool");
    }
  };
  drop(a);
  drop(b);
  if (!(a == b)) return refuse();
  return out;
}

}  // namespace alint
