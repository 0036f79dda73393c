#include "lint/python/migration.h"

#include "lint/python/py_literal.h"

namespace alint {

std::vector<std::string> RevisionValue::Values() const {
  std::vector<std::string> out;
  if (kind != ValueKind::kString && kind != ValueKind::kSequence) return out;
  out.reserve(items.size());
  for (const StringItem& item : items) out.push_back(item.value);
  return out;
}

const Expr* Expr::Keyword(const std::string& name) const {
  if (kind != Kind::kCall) return nullptr;
  for (size_t i = 0; i < children.size() && i < keywords.size(); ++i) {
    if (keywords[i] == name) return &children[i];
  }
  return nullptr;
}

const Expr* Expr::Positional(size_t index) const {
  if (kind != Kind::kCall) return nullptr;
  size_t seen = 0;
  for (size_t i = 0; i < children.size() && i < keywords.size(); ++i) {
    if (!keywords[i].empty()) continue;
    if (seen++ == index) return &children[i];
  }
  return nullptr;
}

uint32_t SqlString::FileOffset(uint32_t sql_offset) const {
  if (sql_offset >= text.size()) {
    return MapEnd(segments, static_cast<uint32_t>(text.size()), span.end);
  }
  return MapBegin(segments, sql_offset, span.begin);
}

}  // namespace alint
