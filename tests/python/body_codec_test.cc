// The kept-body encoding (lint/python/body_codec.h): what the history's second pass decodes
// must equal what parsing the file again would give, field by field.
#include "lint/python/body_codec.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/python/test_util.h"

namespace alint {
namespace {

using testing::Full;

// Encodes `x`'s body and decodes it into a migration that has none: true when it round-trips.
bool RoundTrips(const testing::Extracted& x, size_t* bytes = nullptr) {
  std::string enc;
  EncodeBody(x.m, x.file.text, &enc);
  if (bytes != nullptr) *bytes = enc.size();
  Migration back;
  if (!DecodeBody(enc, x.file.text, &back)) return false;
  return back.ops == x.m.ops && back.sql == x.m.sql && back.dynamic_sql == x.m.dynamic_sql;
}

constexpr const char* kBusy = R"PY(
from alembic import op
import sqlalchemy as sa

revision = "a1"
down_revision = None

def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("note", sa.Text(), server_default=sa.text("'it''s'")))
    with op.batch_alter_table("t") as batch_op:
        batch_op.add_column(sa.Column("n", sa.Integer(), nullable=False))
    with op.get_context().autocommit_block():
        op.create_index("ix_t_n", "t", ["n"], postgresql_concurrently=True)
    op.execute("SET lock_timeout = '2s'")
    op.execute("ALTER TABLE t \
ADD COLUMN x int")
    op.execute("UPDATE t SET note = 'caf\u00e9'")
    op.execute(sa.text("DELETE FROM t WHERE id = :id"))
    op.execute(f"DROP TABLE {name}")
    op.execute("DROP TABLE %s" % name)
    try:
        op.execute("DROP INDEX ix_old")
    except Exception:
        pass

def downgrade():
    op.drop_table("t")
)PY";

TEST_CASE("a body round-trips through the encoding, escapes and guards included") {
  testing::Extracted x = Full(kBusy);
  REQUIRE(x.m.ops.size() >= 4);
  REQUIRE(x.m.sql.size() >= 4);
  REQUIRE_FALSE(x.m.dynamic_sql.empty());
  bool escaped = false, guarded = false, batched = false, autocommit = false;
  for (const SqlString& s : x.m.sql) {
    escaped = escaped || s.text.find("café") != std::string::npos;  // not a slice of the file
    guarded = guarded || s.guard >= 0;
  }
  for (const OpCall& op : x.m.ops) {
    batched = batched || op.batch_table.has_value();
    autocommit = autocommit || op.in_autocommit_block;
  }
  CHECK(escaped);
  CHECK(guarded);
  CHECK(batched);
  CHECK(autocommit);
  CHECK(RoundTrips(x));
}

TEST_CASE("a hand-made body round-trips: empty spans, texts not in the file, spans past it") {
  const std::string src = "op.f('abc')";
  Migration m;
  OpCall op;
  op.name = "f";
  op.receiver = "op";
  op.name_span = Span{0, 3, 4};
  op.call.kind = Expr::Kind::kCall;
  op.call.text = "op.f";
  op.call.span = Span{0, 0, 11};
  Expr empty_span;  // an empty span with a text: nowhere to point into
  empty_span.kind = Expr::Kind::kString;
  empty_span.text = "abc";
  empty_span.span = Span{0, 5, 5};
  Expr outside;  // a span past the end of the text
  outside.kind = Expr::Kind::kName;
  outside.text = "x";
  outside.span = Span{0, 40, 50};
  Expr no_file;
  no_file.kind = Expr::Kind::kNone;
  no_file.span = Span{};
  op.call.children = {empty_span, outside, no_file};
  op.call.keywords = {"", "", "k"};
  op.batch_table = "t";
  op.guard = 0;
  m.ops.push_back(op);
  SqlString sql;
  sql.text = "SELECT 1";  // not in the file
  sql.span = Span{0, 0, 0};
  sql.segments.push_back(SqlSegment{0, 0, 8, false, 1});
  sql.via = "op.execute";
  m.sql.push_back(sql);
  m.dynamic_sql.push_back(
      DynamicSql{Span{0, 1, 2}, "op.execute", "f-string", Phase::kDowngrade, 3});
  std::string enc;
  EncodeBody(m, src, &enc);
  Migration back;
  REQUIRE(DecodeBody(enc, src, &back));
  CHECK(back.ops == m.ops);
  CHECK(back.sql == m.sql);
  CHECK(back.dynamic_sql == m.dynamic_sql);
}

TEST_CASE("every fixture's body round-trips") {
  namespace fs = std::filesystem;
  size_t files = 0, ops = 0, bytes = 0, source = 0;
  for (const auto& entry : fs::recursive_directory_iterator(ALINT_SOURCE_DIR "/fixtures")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CAPTURE(entry.path().string());
    testing::Extracted x = Full(std::move(text));
    size_t n = 0;
    CHECK(RoundTrips(x, &n));
    ++files;
    ops += x.m.ops.size();
    bytes += n;
    source += x.file.text.size();
  }
  CHECK(files > 100);
  CHECK(ops > 500);
  MESSAGE(files << " fixtures, " << ops << " op calls: " << bytes << " bytes encoded for " << source
                << " bytes of source");
}

TEST_CASE("damaged or mismatched bytes are refused and leave the migration alone") {
  testing::Extracted x = Full(kBusy);
  std::string enc;
  EncodeBody(x.m, x.file.text, &enc);
  Migration keep;
  keep.ops.emplace_back();
  keep.ops.back().name = "sentinel";
  for (size_t cut = 0; cut < enc.size(); ++cut) {
    Migration m = keep;
    CHECK_FALSE(DecodeBody(std::string_view(enc).substr(0, cut), x.file.text, &m));
    CHECK(m.ops == keep.ops);
  }
  Migration m = keep;
  CHECK_FALSE(DecodeBody(enc + "x", x.file.text, &m));  // trailing bytes
  // Slices of a source that is not there: a shorter text cannot hold them.
  CHECK_FALSE(DecodeBody(enc, std::string_view(x.file.text).substr(0, 40), &m));
  CHECK(m.ops == keep.ops);
  // Every single-byte change either decodes (a value changed) or is refused; never a crash.
  for (size_t i = 0; i < enc.size(); ++i) {
    std::string bad = enc;
    bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    Migration scratch;
    (void)DecodeBody(bad, x.file.text, &scratch);
  }
}

}  // namespace
}  // namespace alint
