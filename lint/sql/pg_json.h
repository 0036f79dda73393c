#pragma once
/// Read-only access to libpg_query's JSON parse tree, parsed with simdjson (Debian
/// libsimdjson-dev). The tree is what every statement costs to read: simdjson parses it into
/// one flat tape without an allocation per node, where a DOM of maps and strings cost more
/// than libpg_query's own parse. Only lint/sql includes this header.
///
/// `Json` is a view of one value; `JsonPtr` is a nullable one, spelled like a pointer so that
/// `if (JsonPtr x = Get(node, "relation"))` reads as it would with a pointer into a DOM. Both
/// are valid while the `JsonDocument` they came from lives.

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace alint::sql_internal {

class JsonPtr;
struct JsonMembers;

class Json {
 public:
  Json() = default;
  explicit Json(simdjson::dom::element e) : e_(e) {}

  bool is_object() const { return e_.type() == simdjson::dom::element_type::OBJECT; }
  bool is_array() const { return e_.type() == simdjson::dom::element_type::ARRAY; }
  bool is_string() const { return e_.type() == simdjson::dom::element_type::STRING; }
  bool is_boolean() const { return e_.type() == simdjson::dom::element_type::BOOL; }
  bool is_number_integer() const {
    return e_.type() == simdjson::dom::element_type::INT64 ||
           e_.type() == simdjson::dom::element_type::UINT64;
  }
  /// The value of a string, boolean or integer ("", false, 0 for another type).
  std::string_view string() const;
  bool boolean() const;
  int64_t integer() const;

  /// Elements of an array, members of an object; 0 otherwise.
  size_t size() const;
  bool empty() const { return size() == 0; }
  /// The member `key` of an object; null when absent or not an object.
  JsonPtr find(std::string_view key) const;
  /// Element `i` of an array; null when out of range or not an array.
  JsonPtr at(size_t i) const;

  /// Iterates the elements of an array (an empty range for any other value).
  class iterator {
   public:
    iterator() = default;
    explicit iterator(simdjson::dom::array::iterator it) : it_(it), valid_(true) {}
    Json operator*() const { return Json(*it_); }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return valid_ && o.valid_ && it_ != o.it_; }

   private:
    simdjson::dom::array::iterator it_;
    bool valid_ = false;
  };
  iterator begin() const;
  iterator end() const;

  /// Iterates the members of an object as (key, value) pairs (empty for any other value).
  JsonMembers members() const;

 private:
  simdjson::dom::element e_;
};

struct JsonMember {
  std::string_view key;
  Json value;
};

class JsonMemberIterator {
 public:
  JsonMemberIterator() = default;
  explicit JsonMemberIterator(simdjson::dom::object::iterator it) : it_(it), valid_(true) {}
  JsonMember operator*() const { return {it_.key(), Json(it_.value())}; }
  JsonMemberIterator& operator++() {
    ++it_;
    return *this;
  }
  bool operator!=(const JsonMemberIterator& o) const { return valid_ && o.valid_ && it_ != o.it_; }

 private:
  simdjson::dom::object::iterator it_;
  bool valid_ = false;
};

struct JsonMembers {
  JsonMemberIterator b, e;
  JsonMemberIterator begin() const { return b; }
  JsonMemberIterator end() const { return e; }
};

/// A `Json` that may be absent; compares with nullptr and dereferences like a pointer.
class JsonPtr {
 public:
  JsonPtr() = default;
  JsonPtr(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): reads like a pointer
  explicit JsonPtr(Json j) : j_(j), set_(true) {}
  explicit operator bool() const { return set_; }
  const Json& operator*() const { return j_; }
  const Json* operator->() const { return &j_; }
  friend bool operator==(const JsonPtr& p, std::nullptr_t) { return !p.set_; }

 private:
  Json j_;
  bool set_ = false;
};

/// One parsed tree. Parsers are reused per thread (a parse inside the walk of another tree,
/// as the type parser does, takes the next one).
class JsonDocument {
 public:
  JsonDocument();
  ~JsonDocument();
  JsonDocument(const JsonDocument&) = delete;
  JsonDocument& operator=(const JsonDocument&) = delete;
  /// Parses `text`; false when it is not JSON simdjson can read (then root() is null).
  bool Parse(std::string_view text);
  JsonPtr root() const { return root_; }

 private:
  simdjson::dom::parser* parser_;
  JsonPtr root_;
};

}  // namespace alint::sql_internal
