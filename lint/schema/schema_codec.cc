#include "lint/schema/schema_codec.h"

#include <utility>

#include "lint/core/byte_codec.h"

namespace alint {
namespace {

using codec::Reader;
using codec::Writer;

constexpr uint8_t kEndMarker = 0x53;  // below 0x80: one varint byte

void PutStrings(Writer& w, const std::vector<std::string>& v) {
  w.U(v.size());
  for (const std::string& s : v) w.S(s);
}

void GetStrings(Reader& r, std::vector<std::string>& v) {
  v.resize(r.Count());
  for (std::string& s : v) s = r.S();
}

void PutNode(Writer& w, SchemaStamp n) { w.U(n == kNoNode ? 0 : uint64_t{n} + 1); }

SchemaStamp GetNode(Reader& r) {
  const uint64_t v = r.U();
  if (v == 0) return kNoNode;
  if (v - 1 >= kNoNode) {
    r.Invalid();
    return kNoNode;
  }
  return static_cast<SchemaStamp>(v - 1);
}

void PutDetail(Writer& w, const ObjectDetail& d) {
  w.U(d.columns.size());
  for (const ColumnSpec& c : d.columns) {
    w.S(c.name);
    w.S(c.type);
    w.U(c.not_null ? 1 : 0);
    w.U(c.has_default ? 1 : 0);
    w.S(c.default_expr);
  }
  w.U(d.constraints.size());
  for (const ConstraintSpec& c : d.constraints) {
    w.S(c.name);
    w.U(static_cast<uint64_t>(c.kind));
    PutStrings(w, c.columns);
    w.S(c.references);
    w.S(c.not_null_column);
    w.S(c.using_index);
    w.U(c.not_valid ? 1 : 0);
  }
  PutStrings(w, d.items);
  w.U(d.unique ? 1 : 0);
  w.U(d.partitioned ? 1 : 0);
  w.S(d.partition_of);
}

void GetDetail(Reader& r, ObjectDetail& d) {
  d.columns.resize(r.Count());
  for (ColumnSpec& c : d.columns) {
    c.name = r.S();
    c.type = r.S();
    c.not_null = r.B();
    c.has_default = r.B();
    c.default_expr = r.S();
  }
  d.constraints.resize(r.Count());
  for (ConstraintSpec& c : d.constraints) {
    c.name = r.S();
    c.kind = r.Enum<ConstraintKind>(static_cast<uint64_t>(ConstraintKind::kOther));
    GetStrings(r, c.columns);
    c.references = r.S();
    c.not_null_column = r.S();
    c.using_index = r.S();
    c.not_valid = r.B();
  }
  GetStrings(r, d.items);
  d.unique = r.B();
  d.partitioned = r.B();
  d.partition_of = r.S();
}

void PutChange(Writer& w, const SchemaChange& c) {
  w.U(static_cast<uint64_t>(c.kind));
  w.U(c.if_exists ? 1 : 0);
  w.U(c.cascade ? 1 : 0);
  for (const std::string* s :
       {&c.table, &c.column, &c.constraint, &c.new_type, &c.new_name, &c.type_name})
    w.S(*s);
  w.U(c.effects.size());
  for (const SchemaChange::Effect& e : c.effects) {
    w.S(e.relation);
    w.U(static_cast<uint64_t>(e.kind));
    w.U(e.created ? 1 : 0);
  }
  w.U(c.detail ? 1 : 0);
  if (c.detail) PutDetail(w, *c.detail);
}

void GetChange(Reader& r, SchemaChange& c) {
  c.kind = r.Enum<StatementKind>(static_cast<uint64_t>(StatementKind::kRollbackPrepared));
  c.if_exists = r.B();
  c.cascade = r.B();
  for (std::string* s :
       {&c.table, &c.column, &c.constraint, &c.new_type, &c.new_name, &c.type_name})
    *s = r.S();
  c.effects.resize(r.Count());
  for (SchemaChange::Effect& e : c.effects) {
    e.relation = r.S();
    e.kind = r.Enum<RelationKind>(static_cast<uint64_t>(RelationKind::kOther));
    e.created = r.B();
  }
  if (r.B()) GetDetail(r, c.detail.emplace());
}

}  // namespace

void EncodeSchemaInput(const SchemaInput& in, std::string* out) {
  Writer w(out);
  w.U(in.opaque ? 1 : 0);
  w.S(in.opaque_reason);
  w.U(in.steps.size());
  for (const SchemaStep& s : in.steps) {
    PutChange(w, s.change);
    w.Sp(s.at);
  }
  w.U(in.unread.size());
  for (const SchemaUnknown& u : in.unread) {
    w.S(u.object);
    w.S(u.reason);
    PutNode(w, u.node);
    w.Sp(u.at);
  }
  out->push_back(static_cast<char>(kEndMarker));
}

bool DecodeSchemaInput(std::string_view bytes, SchemaInput* in) {
  Reader r(bytes);
  SchemaInput got;
  got.opaque = r.B();
  got.opaque_reason = r.S();
  got.steps.resize(r.Count());
  for (SchemaStep& s : got.steps) {
    GetChange(r, s.change);
    s.at = r.Sp();
    if (!r.ok()) return false;
  }
  got.unread.resize(r.Count());
  for (SchemaUnknown& u : got.unread) {
    u.object = r.S();
    u.reason = r.S();
    u.node = GetNode(r);
    u.at = r.Sp();
  }
  if (!r.ok() || r.U() != kEndMarker || !r.ok() || !r.done()) return false;
  *in = std::move(got);
  return true;
}

}  // namespace alint
