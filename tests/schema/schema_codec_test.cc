// The encoding a streaming check holds every migration's replay input in
// (lint/schema/schema_codec.h): what the replay decodes must be what was encoded.
#include "lint/schema/schema_codec.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "lint/python/extract.h"

namespace alint {
namespace {

bool RoundTrips(const SchemaInput& in) {
  std::string enc;
  EncodeSchemaInput(in, &enc);
  SchemaInput back;
  return DecodeSchemaInput(enc, &back) && back == in;
}

SchemaInput InputOf(const std::string& text) {
  SourceFile file(3, "versions/x.py", text);
  Migration m = ExtractMigration(file, ParseMode::kFull);
  return SchemaInputOf(AnalyzeMigration(m, file, AnalysisOptions{}), m);
}

constexpr const char* kBusy = R"PY(
from alembic import op
import sqlalchemy as sa

def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("note", sa.Text(), server_default="x", nullable=False),
                    sa.UniqueConstraint("note", name="uq_note"))
    op.create_index("ix_t_note", "t", ["note"], unique=True)
    op.execute("CREATE TYPE mood AS ENUM ('sad', 'ok')")
    op.execute("CREATE TABLE p (id int) PARTITION BY RANGE (id)")
    op.execute("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES p (id) NOT VALID")
    op.execute("ALTER TABLE t ADD CONSTRAINT c CHECK (note IS NOT NULL) NOT VALID")
    op.execute("DROP TABLE IF EXISTS old CASCADE")
    op.alter_column("t", "note", new_column_name="body")
    op.execute(f"DROP TABLE {name}")
    op.add_column("t", sa.Column("x", some_type()))
)PY";

TEST_CASE("a schema input round-trips: details, effects, unread statements") {
  SchemaInput in = InputOf(kBusy);
  REQUIRE(in.steps.size() >= 7);
  REQUIRE_FALSE(in.unread.empty());
  bool detail = false, effects = false, if_exists = false;
  for (const SchemaStep& s : in.steps) {
    detail = detail || (s.change.detail && !s.change.detail->columns.empty());
    effects = effects || !s.change.effects.empty();
    if_exists = if_exists || s.change.if_exists;
  }
  CHECK(detail);
  CHECK(effects);
  CHECK(if_exists);
  CHECK(RoundTrips(in));
  SchemaInput opaque{true, "it does not parse", {}, {}};
  CHECK(RoundTrips(opaque));
  in.unread.front().node = 41;  // the replay fills it in; the encoding keeps any value
  CHECK(RoundTrips(in));
}

TEST_CASE("every fixture's schema input round-trips") {
  namespace fs = std::filesystem;
  size_t files = 0, steps = 0;
  for (const auto& entry : fs::recursive_directory_iterator(ALINT_SOURCE_DIR "/fixtures")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
    std::ifstream f(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    CAPTURE(entry.path().string());
    SchemaInput in = InputOf(text);
    CHECK(RoundTrips(in));
    ++files;
    steps += in.steps.size();
  }
  CHECK(files > 100);
  CHECK(steps > 300);
}

TEST_CASE("damaged schema input bytes are refused and leave the input alone") {
  std::string enc;
  EncodeSchemaInput(InputOf(kBusy), &enc);
  const SchemaInput keep{false, "keep", {}, {}};
  for (size_t cut = 0; cut < enc.size(); ++cut) {
    SchemaInput in = keep;
    CHECK_FALSE(DecodeSchemaInput(std::string_view(enc).substr(0, cut), &in));
    CHECK(in == keep);
  }
  SchemaInput in = keep;
  CHECK_FALSE(DecodeSchemaInput(enc + "x", &in));
  CHECK(in == keep);
  for (size_t i = 0; i < enc.size(); ++i) {  // decodes or is refused; never a crash
    std::string bad = enc;
    bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    SchemaInput scratch;
    (void)DecodeSchemaInput(bad, &scratch);
  }
}

}  // namespace
}  // namespace alint
