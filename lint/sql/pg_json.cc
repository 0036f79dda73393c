#include "lint/sql/pg_json.h"

#include <algorithm>
#include <vector>

namespace alint::sql_internal {

std::string_view Json::string() const {
  std::string_view v;
  return e_.get_string().get(v) == simdjson::SUCCESS ? v : std::string_view();
}

bool Json::boolean() const {
  bool v = false;
  return e_.get_bool().get(v) == simdjson::SUCCESS && v;
}

int64_t Json::integer() const {
  int64_t v = 0;
  return e_.get_int64().get(v) == simdjson::SUCCESS ? v : 0;
}

size_t Json::size() const {
  simdjson::dom::array a;
  if (e_.get_array().get(a) == simdjson::SUCCESS) return a.size();
  simdjson::dom::object o;
  if (e_.get_object().get(o) == simdjson::SUCCESS) return o.size();
  return 0;
}

JsonPtr Json::find(std::string_view key) const {
  simdjson::dom::object o;
  if (e_.get_object().get(o) != simdjson::SUCCESS) return nullptr;
  simdjson::dom::element v;
  if (o.at_key(key).get(v) != simdjson::SUCCESS) return nullptr;
  return JsonPtr(Json(v));
}

JsonPtr Json::at(size_t i) const {
  simdjson::dom::array a;
  if (e_.get_array().get(a) != simdjson::SUCCESS) return nullptr;
  simdjson::dom::element v;
  if (a.at(i).get(v) != simdjson::SUCCESS) return nullptr;
  return JsonPtr(Json(v));
}

Json::iterator Json::begin() const {
  simdjson::dom::array a;
  return e_.get_array().get(a) == simdjson::SUCCESS ? iterator(a.begin()) : iterator();
}

Json::iterator Json::end() const {
  simdjson::dom::array a;
  return e_.get_array().get(a) == simdjson::SUCCESS ? iterator(a.end()) : iterator();
}

JsonMembers Json::members() const {
  simdjson::dom::object o;
  if (e_.get_object().get(o) != simdjson::SUCCESS) return {};
  return {JsonMemberIterator(o.begin()), JsonMemberIterator(o.end())};
}

namespace {

// libpg_query nests a few JSON levels per level of SQL nesting, and PostgreSQL's own parser
// accepts deep expressions; simdjson's default (1,024) would refuse trees PostgreSQL parses.
constexpr size_t kMaxDepth = 1 << 16;

// Parsers of this thread: [0, depth) are in use by live documents, the rest are free.
struct ParserPool {
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers;
  size_t depth = 0;
};
thread_local ParserPool pool;

}  // namespace

JsonDocument::JsonDocument() {
  if (pool.depth == pool.parsers.size()) {
    auto p = std::make_unique<simdjson::dom::parser>();
    pool.parsers.push_back(std::move(p));
  }
  parser_ = pool.parsers[pool.depth++].get();
}

JsonDocument::~JsonDocument() { --pool.depth; }

bool JsonDocument::Parse(std::string_view text) {
  root_ = nullptr;
  if (parser_->max_depth() < kMaxDepth || parser_->capacity() < text.size()) {
    size_t capacity = std::max(parser_->capacity(), text.size());
    if (parser_->allocate(capacity, kMaxDepth) != simdjson::SUCCESS) return false;
  }
  simdjson::dom::element root;
  if (parser_->parse(text.data(), text.size(), true).get(root) != simdjson::SUCCESS) return false;
  root_ = JsonPtr(Json(root));
  return true;
}

}  // namespace alint::sql_internal
