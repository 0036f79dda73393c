#include <doctest/doctest.h>

#include <string>

#include "tests/python/test_util.h"

namespace alint {
using testing::Full;

namespace {
// Where `needle` (the n-th occurrence) starts in the file.
uint32_t Find(const testing::Extracted& x, std::string_view needle, int nth = 0) {
  size_t p = x.file.text.find(needle);
  while (nth-- > 0) p = x.file.text.find(needle, p + 1);
  REQUIRE(p != std::string::npos);
  return static_cast<uint32_t>(p);
}
// Asserts the SQL keyword at `sql_needle` in s.text maps to `file_needle` in the .py text.
void CheckMapsTo(const testing::Extracted& x, const SqlString& s, std::string_view sql_needle,
                 std::string_view file_needle, int nth = 0) {
  CAPTURE(sql_needle);
  size_t at = s.text.find(sql_needle);
  REQUIRE(at != std::string::npos);
  CHECK(s.FileOffset(static_cast<uint32_t>(at)) == Find(x, file_needle, nth));
}
}  // namespace

TEST_CASE("upgrade/downgrade and op calls with their arguments") {
  auto x = Full(R"PY(from alembic import op
import sqlalchemy as sa

def upgrade(engine_name: str = "") -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("n", sa.Numeric(10, -2), server_default=sa.text("now()"), nullable=False),
        {"k": None}, [1.5, True],
    )
    if x:
        for i in y:
            op.create_index(op.f("ix_users_n"), "users", ["n"], unique=False)

def downgrade():
    op.drop_table("users")

def upgrade_engine2():
    op.drop_column("t", "c")

def helper():
    op.rename_table("a", "b")
)PY");
  const Migration& m = x.m;
  CHECK(m.has_upgrade);
  CHECK(m.has_downgrade);
  REQUIRE(m.ops.size() == 6);
  const OpCall& ct = m.ops[0];
  CHECK(ct.name == "create_table");
  CHECK(ct.receiver == "op");
  CHECK(ct.phase == Phase::kUpgrade);
  CHECK(ct.order == 0);
  CHECK(x.At(ct.name_span) == "create_table");
  CHECK(x.Line(ct.name_span) == 5);
  CHECK(ct.call.kind == Expr::Kind::kCall);
  CHECK(ct.call.text == "op.create_table");
  REQUIRE(ct.call.Positional(0));
  CHECK(ct.call.Positional(0)->kind == Expr::Kind::kString);
  CHECK(ct.call.Positional(0)->text == "users");
  const Expr* col = ct.call.Positional(2);
  REQUIRE(col);
  CHECK(col->text == "sa.Column");
  CHECK(col->Positional(0)->text == "n");
  const Expr* numeric = col->Positional(1);
  CHECK(numeric->text == "sa.Numeric");
  CHECK(numeric->Positional(1)->kind == Expr::Kind::kNumber);
  CHECK(numeric->Positional(1)->text == "-2");
  CHECK(col->Keyword("nullable")->kind == Expr::Kind::kFalse);
  CHECK(col->Keyword("server_default")->text == "sa.text");
  CHECK(col->Keyword("server_default")->Positional(0)->text == "now()");
  CHECK(col->Keyword("missing") == nullptr);
  CHECK(ct.call.Positional(1)->Keyword("primary_key")->kind == Expr::Kind::kTrue);
  const Expr* dict = ct.call.Positional(3);
  CHECK(dict->kind == Expr::Kind::kDict);
  CHECK(dict->children[1].kind == Expr::Kind::kNone);
  CHECK(ct.call.Positional(4)->kind == Expr::Kind::kList);
  CHECK(ct.call.Positional(4)->children[0].text == "1.5");
  CHECK(ct.call.Positional(5) == nullptr);
  CHECK(m.ops[1].name == "create_index");
  CHECK(m.ops[1].order == 1);
  CHECK(m.ops[1].call.Keyword("unique")->kind == Expr::Kind::kFalse);
  CHECK(m.ops[1].call.Positional(2)->children[0].text == "n");
  CHECK(m.ops[2].name == "f");
  CHECK(m.ops[2].order == 2);
  CHECK(m.ops[3].name == "drop_table");
  CHECK(m.ops[3].phase == Phase::kDowngrade);
  CHECK(m.ops[3].order == 0);
  CHECK(m.ops[4].phase == Phase::kUpgrade);
  CHECK(m.ops[5].phase == Phase::kOther);
}

TEST_CASE("op arguments naming a string constant are read as the string") {
  auto x = Full(R"PY(from alembic import op
import sqlalchemy as sa

TABLE_NAME = "messages"
COLUMN = "sequence_id"
TWICE = "a"
TWICE = "b"
PREFIX = f"uq_{TABLE_NAME}"

def upgrade():
    index = "ix_messages_seq"
    op.add_column(TABLE_NAME, sa.Column(COLUMN, sa.BigInteger(), nullable=True))
    op.create_index(index, TABLE_NAME, [COLUMN])
    op.drop_column(TWICE, COLUMN)
    op.drop_constraint(PREFIX, TABLE_NAME)
    if x:
        target = "a"
    else:
        target = "b"
    op.drop_table(target)
    op.drop_table(later)
    later = "c"
)PY");
  const Migration& m = x.m;
  REQUIRE(m.ops.size() == 6);
  // Module-level constants, also inside a nested call; their spans stay the names'.
  REQUIRE(m.ops[0].call.children.size() == 2);
  CHECK(m.ops[0].call.children[0].kind == Expr::Kind::kString);
  CHECK(m.ops[0].call.children[0].text == "messages");
  CHECK(x.file.Slice(m.ops[0].call.children[0].span) == "TABLE_NAME");
  CHECK(m.ops[0].call.children[1].children[0].text == "sequence_id");
  // A function variable assigned once before the call.
  CHECK(m.ops[1].call.children[0].kind == Expr::Kind::kString);
  CHECK(m.ops[1].call.children[0].text == "ix_messages_seq");
  // Assigned twice (module), an f-string, assigned in two branches, assigned after the call:
  // still names.
  CHECK(m.ops[2].call.children[0].kind == Expr::Kind::kName);
  CHECK(m.ops[2].call.children[1].kind == Expr::Kind::kString);
  CHECK(m.ops[3].call.children[0].kind == Expr::Kind::kName);
  CHECK(m.ops[4].call.children[0].kind == Expr::Kind::kName);
  CHECK(m.ops[5].call.children[0].kind == Expr::Kind::kName);
}

TEST_CASE("batch_alter_table and autocommit_block") {
  auto x = Full(R"PY(from alembic import op, context

def upgrade():
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("x", sa.Integer()))
        batch_op.drop_index("ix_old")
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY ix ON t (c)")
    with context.autocommit_block():
        op.create_index("ix2", "t", ["d"], postgresql_concurrently=True)
    op.drop_column("t", "y")
)PY");
  const auto& ops = x.m.ops;
  REQUIRE(ops.size() == 7);
  CHECK(ops[0].name == "batch_alter_table");
  CHECK(ops[1].receiver == "batch_op");
  CHECK(ops[1].name == "add_column");
  REQUIRE(ops[1].batch_table);
  CHECK(*ops[1].batch_table == "accounts");
  CHECK(*ops[2].batch_table == "accounts");
  CHECK_FALSE(ops[0].in_autocommit_block);
  CHECK(ops[3].name == "get_context");
  CHECK(ops[4].name == "execute");
  CHECK(ops[4].in_autocommit_block);
  CHECK(ops[5].name == "create_index");
  CHECK(ops[5].in_autocommit_block);
  CHECK_FALSE(ops[6].in_autocommit_block);
  CHECK_FALSE(ops[6].batch_table);
  REQUIRE(x.m.sql.size() == 1);
  CHECK(x.m.sql[0].in_autocommit_block);
  CHECK(x.m.sql[0].order == ops[4].order);
  CHECK(x.m.sql[0].via == "op.execute");
}

TEST_CASE("SQL strings map every byte back to the .py text") {
  auto x = Full(R"PY(import sqlalchemy as sa
from sqlalchemy import text

CREATE = """
    CREATE VIEW v AS SELECT 1
"""

def upgrade():
    op.execute("ALTER TABLE \"users\"\tADD COLUMN a int" " DEFAULT 0")
    op.execute(sa.text('''
        UPDATE t SET x = :val
        WHERE y = %(name)s
    '''))
    conn = op.get_bind()
    conn.execute(text(r"DELETE FROM t WHERE z ~ '\d'"))
    sql = "DROP INDEX \x69x_a"
    op.execute(sql)
    op.get_bind().exec_driver_sql("VACUUM t")
    connection.execute(sqlalchemy.text("SELECT " + "2"))
    op.execute(CREATE)
    op.execute(textwrap.dedent("""
        DROP TABLE old
    """))
)PY");
  const auto& sql = x.m.sql;
  REQUIRE(sql.size() == 8);
  CHECK(sql[0].text == "ALTER TABLE \"users\"\tADD COLUMN a int DEFAULT 0");
  CHECK(sql[0].via == "op.execute");
  CHECK(sql[0].phase == Phase::kUpgrade);
  CHECK(x.At(sql[0].span) == "\"ALTER TABLE \\\"users\\\"\\tADD COLUMN a int\" \" DEFAULT 0\"");
  CheckMapsTo(x, sql[0], "ALTER", "ALTER");
  CheckMapsTo(x, sql[0], "\"users", "\\\"users");  // an escape maps to its backslash
  CheckMapsTo(x, sql[0], "users", "users", 0);     // after the escape: exact again
  CheckMapsTo(x, sql[0], "ADD", "ADD");            // after \t
  CheckMapsTo(x, sql[0], "DEFAULT", "DEFAULT");    // in the second literal
  CHECK(sql[0].FileOffset(static_cast<uint32_t>(sql[0].text.size())) == Find(x, "DEFAULT 0") + 9);
  CHECK(sql[1].text.find("UPDATE t SET x = :val\n        WHERE y = %(name)s") != std::string::npos);
  CheckMapsTo(x, sql[1], "WHERE", "WHERE");  // a later line of a triple-quoted string
  CheckMapsTo(x, sql[1], "%(name)s", "%(name)s");
  CHECK(sql[1].via == "op.execute");
  CHECK(sql[2].text == "DELETE FROM t WHERE z ~ '\\d'");
  CHECK(sql[2].via == "conn.execute");
  CheckMapsTo(x, sql[2], "~", "~");
  CHECK(sql[3].text == "DROP INDEX ix_a");
  CheckMapsTo(x, sql[3], "ix_a", "\\x69x_a");
  CheckMapsTo(x, sql[3], "x_a", "x_a");
  CHECK(x.At(sql[3].span) == "\"DROP INDEX \\x69x_a\"");
  CHECK(sql[4].text == "VACUUM t");
  CHECK(sql[4].via == "op.get_bind().exec_driver_sql");
  CHECK(sql[5].text == "SELECT 2");
  CheckMapsTo(x, sql[5], "SELECT", "SELECT \" + ");
  CHECK(sql[5].FileOffset(7) == Find(x, "\"2\"") + 1);
  CHECK(sql[6].text.find("CREATE VIEW v AS SELECT 1") != std::string::npos);
  CheckMapsTo(x, sql[6], "VIEW", "VIEW");
  CHECK(sql[7].text.find("DROP TABLE old") != std::string::npos);
  // orders follow the source: op calls and standalone SQL share one counter
  CHECK(sql[0].order < sql[1].order);
  CHECK(sql[1].order < sql[2].order);
  CHECK(sql[2].order < sql[3].order);
  CHECK(x.m.dynamic_sql.empty());
}

TEST_CASE("SQL built at run time is reported as dynamic, SQLAlchemy constructs are not SQL") {
  auto x = Full(R"PY(def upgrade(stmt):
    op.execute(f"DROP TABLE {name}")
    op.execute("DROP TABLE {}".format(name))
    op.execute("DROP TABLE %s" % name)
    op.execute("DROP TABLE " + name)
    op.execute(stmt)
    for q in QUERIES:
        op.execute(q)
    sql = "SELECT 1"
    sql += " WHERE x"
    op.execute(sql)
    op.execute(users.insert().values(id=1))
    op.execute(queries.CREATE_VIEW)
    op.execute(sa.text(f"SELECT {x}"))
)PY");
  const auto& d = x.m.dynamic_sql;
  REQUIRE(d.size() == 9);
  CHECK(d[0].why == "f-string");
  CHECK(x.At(d[0].span) == "f\"DROP TABLE {name}\"");
  CHECK(d[0].via == "op.execute");
  CHECK(d[0].phase == Phase::kUpgrade);
  CHECK(d[1].why == "str.format");
  CHECK(d[2].why == "%-formatting");
  CHECK(d[3].why == "string concatenation with a non-literal");
  CHECK(d[4].why == "variable `stmt`");
  CHECK(d[5].why == "variable `q`");
  CHECK(d[6].why == "variable `sql`");
  CHECK(d[7].why == "`queries.CREATE_VIEW`");
  CHECK(d[8].why == "f-string");
  CHECK(x.m.sql.empty());
  auto y = Full("def upgrade():\n    op.execute(sa.text(f'SELECT {x}'))\n");
  REQUIRE(y.m.dynamic_sql.size() == 1);
  CHECK(y.m.dynamic_sql[0].why == "f-string");
}

TEST_CASE("op aliases and receivers that are not a migration connection") {
  auto x = Full(
      "from alembic import op as alembic_op\n"
      "def upgrade():\n    alembic_op.drop_table('t')\n    session.execute('SELECT 1')\n"
      "    c = alembic_op.get_bind()\n    c.execute('SELECT 2')\n");
  REQUIRE(x.m.ops.size() == 2);
  CHECK(x.m.ops[0].receiver == "alembic_op");
  REQUIRE(x.m.sql.size() == 1);
  CHECK(x.m.sql[0].text == "SELECT 2");
  CHECK(x.m.sql[0].via == "c.execute");
}

TEST_CASE("line continuations are not arguments, and broken with items do not crash") {
  auto x = Full(
      "from alembic import op\n"
      "def upgrade():\n"
      "    with op.batch_alter_table('t') as b, \\\n"
      "            op.get_context().autocommit_block():\n"
      "        b.drop_column( \\\n"
      "            'c')\n"
      "    op.add_column('u', \\\n"
      "        sa.Column('x', sa.Integer()))\n"
      "    with (op.batch_alter_table('v') as c, :\n"
      "        c.drop_column('d')\n");
  REQUIRE(x.m.ops.size() >= 3);
  CHECK(x.m.ops[0].name == "batch_alter_table");
  CHECK(x.m.ops[2].name == "drop_column");
  CHECK(x.m.ops[2].batch_table == "t");
  CHECK(x.m.ops[2].in_autocommit_block);
  REQUIRE(x.m.ops[2].call.children.size() == 1);
  CHECK(x.m.ops[2].call.Positional(0)->text == "c");
  const OpCall& add = x.m.ops[3];
  CHECK(add.name == "add_column");
  REQUIRE(add.call.children.size() == 2);
  CHECK(add.call.Positional(1)->text == "sa.Column");
  CHECK_FALSE(x.m.syntax_problems.empty());
}

TEST_CASE("op calls read from their text match op calls read from the tree") {
  // The comment sends the second file's outer call down the tree path; the facts must agree.
  const std::string head =
      "from alembic import op\ndef upgrade():\n    with op.batch_alter_table('t') as b:\n"
      "        b.f(op.f('ix'), b.g(1), [op.h(x=op.i())], {'k': b.j()}, text('x'), a.b.c()";
  auto fast = Full(head + ")\n");
  auto slow = Full(head + "  # c\n        )\n");
  REQUIRE(fast.m.ops.size() == 7);
  REQUIRE(slow.m.ops.size() == fast.m.ops.size());
  const char* names[] = {"batch_alter_table", "f", "f", "g", "h", "i", "j"};
  for (size_t i = 0; i < fast.m.ops.size(); ++i) {
    const OpCall& a = fast.m.ops[i];
    const OpCall& b = slow.m.ops[i];
    CAPTURE(i);
    CHECK(a.name == names[i]);
    CHECK(a.name == b.name);
    CHECK(a.receiver == b.receiver);
    CHECK(a.order == b.order);
    CHECK(a.batch_table == b.batch_table);
    CHECK(a.name_span == b.name_span);
    CHECK(fast.At(a.name_span) == a.name);
    CHECK(a.call.text == b.call.text);
    CHECK(a.call.children.size() == b.call.children.size());
    if (i != 1) CHECK(a.call.span == b.call.span);
  }
  CHECK(fast.m.ops[1].batch_table == "t");
  CHECK(fast.m.ops[2].receiver == "op");
  CHECK_FALSE(fast.m.ops[2].batch_table.has_value());
  CHECK(fast.m.ops[6].receiver == "b");
}

TEST_CASE("header mode reads no body facts") {
  auto x = testing::Header("revision = 'a'\ndef upgrade():\n    op.execute('SELECT 1')\n");
  CHECK_FALSE(x.m.full);
  CHECK_FALSE(x.m.has_upgrade);
  CHECK(x.m.ops.empty());
  CHECK(x.m.sql.empty());
  CHECK(x.m.revision.Values() == std::vector<std::string>{"a"});
}

TEST_CASE("names built from literals and op.f() read as plain strings") {
  auto x = testing::Full(
      "from alembic import op\n"
      "def upgrade():\n"
      "    op.create_index(op.f('ix_a'), 't', ['c'])\n"
      "    op.create_index('ix_' + 'b', 't', ['c'])\n"
      "    op.create_index('ix_%s_%d' % ('c', 2), 't', ['c'])\n"
      "    op.create_index(f'ix_d', 't', ['c'])\n"
      "    op.create_index(f'ix_{name}', 't', ['c'])\n"
      "    op.create_index('ix_%s_%s' % ('c',), 't', ['c'])\n"
      "    op.create_index(op.f(name), 't', ['c'])\n"
      "    with op.batch_alter_table('t') as b:\n"
      "        b.drop_index(b.f('ix_e'))\n"
      "    op.execute(f'DROP INDEX ix_f')\n"
      "    op.execute('DROP INDEX %s_%d' % ('ix_g', 1))\n"
      "    op.execute('DROP INDEX %s' % name)\n");
  std::vector<const OpCall*> ops;  // the op.f() calls themselves are ops too: skip them
  for (const OpCall& op : x.m.ops) {
    if (op.name != "f") ops.push_back(&op);
  }
  REQUIRE(ops.size() == 12);
  auto first = [&](size_t i) { return ops[i]->call.Positional(0); };
  CHECK(first(0)->kind == Expr::Kind::kString);
  CHECK(first(0)->text == "ix_a");
  CHECK(first(1)->text == "ix_b");
  CHECK(first(2)->text == "ix_c_2");
  CHECK(first(3)->text == "ix_d");
  CHECK(first(3)->kind == Expr::Kind::kString);
  CHECK(first(4)->kind == Expr::Kind::kFString);  // a replacement field needs running
  CHECK(first(5)->kind == Expr::Kind::kOther);    // too few values for the format
  CHECK(first(6)->kind == Expr::Kind::kCall);     // op.f of a variable stays a call
  CHECK(ops[8]->name == "drop_index");
  CHECK(first(8)->text == "ix_e");
  REQUIRE(x.m.sql.size() == 2);
  CHECK(x.m.sql[0].text == "DROP INDEX ix_f");
  CHECK(x.At(Span{0, x.m.sql[0].FileOffset(0), x.m.sql[0].FileOffset(4)}) == "DROP");
  CHECK(x.m.sql[1].text == "DROP INDEX ix_g_1");
  CHECK(x.m.sql[1].FileOffset(5) == x.m.sql[1].span.begin);  // mapped onto the expression
  REQUIRE(x.m.dynamic_sql.size() == 1);
  CHECK(x.m.dynamic_sql[0].why == "%-formatting");
}

TEST_CASE("body: statements whose failure an except or suppress() swallows") {
  auto x = Full(R"PY(revision = "a"
down_revision = None
import contextlib

def upgrade():
    try:
        op.create_index("ix1", "t", ["a"])
    except Exception:  # a comment: with a colon
        pass
    try:
        op.add_column("t", sa.Column("b", sa.Text()))
    except (KeyError, sa.exc.ProgrammingError) as e:
        log.warning("skipped: %s", e)
    try:
        op.drop_table("u")
    except KeyError:
        pass
    try:
        op.drop_table("v")
    except Exception:
        log.error("failed")
        raise
    try:
        op.drop_table("w")
    except Exception:
        def later():
            raise ValueError()
        later_cb = later
    try:
        with op.get_bind().begin_nested():
            op.execute("INSERT INTO s VALUES (1)")
    except IntegrityError:
        pass
    try:
        op.execute("INSERT INTO s VALUES (2)")
    except ValueError:
        raise
    except:
        sys.exit(1)
    for k in ks:
        try:
            op.execute("INSERT INTO s VALUES (3)")
        except psycopg2.errors.UniqueViolation:
            continue
    with contextlib.suppress(DuplicateTable):
        op.create_table("x")
    with suppress(KeyError):
        op.create_table("y")
    op.drop_column("t", "c")

def downgrade():
    try:
        op.drop_index("ix1")
    except db_exc.DBNonExistentConstraint:
        pass
)PY");
  const Migration& m = x.m;
  REQUIRE(m.guards.size() == 6);
  CHECK(x.At(m.guards[0].handler) == "except Exception:");
  CHECK(m.guards[0].how == "`pass`");
  CHECK(m.guards[0].phase == Phase::kUpgrade);
  CHECK(x.At(m.guards[1].handler) == "except (KeyError, sa.exc.ProgrammingError) as e:");
  CHECK(m.guards[1].how == "logs it");
  CHECK(m.guards[1].catches == "(KeyError,sa.exc.ProgrammingError)");
  CHECK(m.guards[2].how == "does not re-raise");  // the raise is in a nested function
  CHECK(m.guards[3].how == "`continue`");
  CHECK(x.At(m.guards[4].handler) == "contextlib.suppress(DuplicateTable)");
  CHECK(m.guards[5].phase == Phase::kDowngrade);

  auto guard_of = [&](std::string_view name, std::string_view first_arg) {
    for (const OpCall& op : m.ops) {
      const Expr* a = op.call.Positional(0);
      if (op.name == name && a != nullptr && a->text == first_arg) return op.guard;
    }
    return -2;
  };
  CHECK(guard_of("create_index", "ix1") == 0);
  CHECK(guard_of("add_column", "t") == 1);
  CHECK(guard_of("drop_table", "u") == -1);  // KeyError: not a database error
  CHECK(guard_of("drop_table", "v") == -1);  // re-raised
  CHECK(guard_of("drop_table", "w") == 2);
  CHECK(guard_of("create_table", "x") == 4);
  CHECK(guard_of("create_table", "y") == -1);
  CHECK(guard_of("drop_column", "t") == -1);
  CHECK(guard_of("drop_index", "ix1") == 5);
  REQUIRE(m.sql.size() == 3);  // each statement once (the try body is walked once)
  CHECK(m.ops.size() == 13);
  for (const SqlString& s : m.sql) {
    if (s.text == "INSERT INTO s VALUES (1)") CHECK(s.guard == -1);  // a savepoint
    if (s.text == "INSERT INTO s VALUES (2)") CHECK(s.guard == -1);  // first handler re-raises
    if (s.text == "INSERT INTO s VALUES (3)") CHECK(s.guard == 3);
  }
}

}  // namespace alint
