#include "lint/python/body_codec.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "lint/core/byte_codec.h"

namespace alint {
namespace {

using codec::Reader;
using codec::Writer;

constexpr uint8_t kEndMarker = 0x42;  // below 0x80: one varint byte
// Deeper than any Expr the tree readers build (they stop at kMaxTreeDepth): a decode that
// goes further is reading damaged bytes, and stops before the stack does.
constexpr int kMaxDepth = 4000;

// Most texts (names, string values, SQL) are bytes of the file inside the span they come
// from: written as where they sit (`at` after the span's start, odd tag), else as themselves.
void PutText(Writer& w, std::string_view text, std::string_view src, const Span& in) {
  if (!text.empty() && in.begin <= in.end && in.end <= src.size()) {
    const std::string_view span = src.substr(in.begin, in.end - in.begin);
    // Where they mostly sit: at the start (a name, a callee) or after a quote (a string).
    size_t at = span.starts_with(text)                              ? 0
                : !span.empty() && span.substr(1).starts_with(text) ? 1
                                                                    : span.find(text);
    if (at != std::string_view::npos) {
      w.U((uint64_t{at} << 1) | 1);
      w.U(text.size());
      return;
    }
  }
  w.U(uint64_t{text.size()} << 1);
  w.Raw(text);
}

std::string GetText(Reader& r, std::string_view src, const Span& in) {
  const uint64_t tag = r.U();
  if ((tag & 1) == 0) return r.Bytes(tag >> 1);
  const uint64_t at = tag >> 1, size = r.U();
  if (!r.ok() || in.begin > src.size() || at > src.size() - in.begin ||
      size > src.size() - in.begin - at) {
    r.Invalid();
    return {};
  }
  return std::string(src.substr(in.begin + at, size));
}

void PutExpr(Writer& w, const Expr& e, std::string_view src) {
  w.U(static_cast<uint64_t>(e.kind));
  w.Sp(e.span);
  PutText(w, e.text, src, e.span);
  w.U(e.children.size());
  for (const Expr& c : e.children) PutExpr(w, c, src);
  w.U(e.keywords.size());
  for (const std::string& k : e.keywords) PutText(w, k, src, e.span);
}

void GetExpr(Reader& r, Expr& e, std::string_view src, int depth) {
  if (depth > kMaxDepth) return r.Invalid();
  e.kind = r.Enum<Expr::Kind>(static_cast<uint64_t>(Expr::Kind::kOther));
  e.span = r.Sp();
  e.text = GetText(r, src, e.span);
  e.children.resize(r.Count());
  for (Expr& c : e.children) {
    GetExpr(r, c, src, depth + 1);
    if (!r.ok()) return;
  }
  e.keywords.resize(r.Count());
  for (std::string& k : e.keywords) k = GetText(r, src, e.span);
}

Phase GetPhase(Reader& r) { return r.Enum<Phase>(static_cast<uint64_t>(Phase::kOther)); }

}  // namespace

void EncodeBody(const Migration& m, std::string_view src, std::string* out) {
  out->reserve(out->size() + src.size() / 2);  // about what a body takes
  Writer w(out);
  w.U(m.ops.size());
  for (const OpCall& op : m.ops) {
    PutExpr(w, op.call, src);
    w.Sp(op.name_span);
    PutText(w, op.name, src, op.name_span);
    PutText(w, op.receiver, src, op.call.span);
    w.U(static_cast<uint64_t>(op.phase));
    w.U(op.in_autocommit_block ? 1 : 0);
    w.U(op.batch_table ? 1 : 0);
    if (op.batch_table) w.S(*op.batch_table);
    w.U(op.order);
    w.I32(op.guard);
  }
  w.U(m.sql.size());
  for (const SqlString& s : m.sql) {
    w.Sp(s.span);
    PutText(w, s.text, src, s.span);
    w.U(s.segments.size());
    for (const SqlSegment& g : s.segments) {
      w.U(g.sql_begin);
      w.U(g.file_begin);
      w.U(g.length);
      w.U(g.exact ? 1 : 0);
      w.U(g.file_length);
    }
    w.U(static_cast<uint64_t>(s.phase));
    w.U(s.in_autocommit_block ? 1 : 0);
    w.S(s.via);
    w.U(s.order);
    w.I32(s.guard);
  }
  w.U(m.dynamic_sql.size());
  for (const DynamicSql& d : m.dynamic_sql) {
    w.Sp(d.span);
    w.S(d.via);
    w.S(d.why);
    w.U(static_cast<uint64_t>(d.phase));
    w.I32(d.guard);
  }
  out->push_back(static_cast<char>(kEndMarker));
}

bool DecodeBody(std::string_view bytes, std::string_view src, Migration* m) {
  Reader r(bytes);
  std::vector<OpCall> ops(r.Count());
  for (OpCall& op : ops) {
    GetExpr(r, op.call, src, 0);
    op.name_span = r.Sp();
    op.name = GetText(r, src, op.name_span);
    op.receiver = GetText(r, src, op.call.span);
    op.phase = GetPhase(r);
    op.in_autocommit_block = r.B();
    if (r.B()) op.batch_table = r.S();
    op.order = r.U32();
    op.guard = r.I32();
    if (!r.ok()) return false;
  }
  std::vector<SqlString> sql(r.Count());
  for (SqlString& s : sql) {
    s.span = r.Sp();
    s.text = GetText(r, src, s.span);
    s.segments.resize(r.Count());
    for (SqlSegment& g : s.segments) {
      g.sql_begin = r.U32();
      g.file_begin = r.U32();
      g.length = r.U32();
      g.exact = r.B();
      g.file_length = r.U32();
    }
    s.phase = GetPhase(r);
    s.in_autocommit_block = r.B();
    s.via = r.S();
    s.order = r.U32();
    s.guard = r.I32();
    if (!r.ok()) return false;
  }
  std::vector<DynamicSql> dynamic(r.Count());
  for (DynamicSql& d : dynamic) {
    d.span = r.Sp();
    d.via = r.S();
    d.why = r.S();
    d.phase = GetPhase(r);
    d.guard = r.I32();
  }
  if (!r.ok() || r.U() != kEndMarker || !r.ok() || !r.done()) return false;
  m->ops = std::move(ops);
  m->sql = std::move(sql);
  m->dynamic_sql = std::move(dynamic);
  return true;
}

}  // namespace alint
