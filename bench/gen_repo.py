#!/usr/bin/env python3
"""Writes a synthetic, healthy Alembic project for the benchmarks.

    gen_repo.py OUT_DIR --revisions N [--seed S]

OUT_DIR gets alembic.ini, migrations/env.py, migrations/script.py.mako and
migrations/versions/<rev>_<slug>.py: N revisions shaped like the ones `alembic revision
--autogenerate` writes and people then edit (typed header, docstring with Revision ID / Revises
/ Create Date, op.create_table / add_column / create_index / alter_column / drop_column,
op.execute with multi-line SQL, batch_alter_table, autocommit_block with CREATE INDEX
CONCURRENTLY), about 2.7 KB per file. The history is a main line with a feature branch forked
and merged back every ~150 revisions (merge revisions have a tuple down_revision), a few
branch labels and depends_on, and ends in exactly one head, so Alembic loads it without a
warning and `alembic-lint check` has nothing to report.

Deterministic: the same N and seed always give the same bytes (also the Create Dates). Only
the standard library is used.
"""

import argparse
import datetime
import os
import random
import shutil
import sys

ENTITIES = [
    "user", "account", "organization", "team", "membership", "invoice", "invoice_line",
    "payment", "refund", "order", "order_item", "product", "product_variant", "price",
    "coupon", "subscription", "plan", "shipment", "warehouse", "inventory_item", "supplier",
    "purchase_order", "customer", "address", "contact", "ticket", "ticket_comment", "article",
    "tag", "category", "notification", "webhook", "api_key", "session", "audit_event",
    "feature_flag", "experiment", "report", "dashboard", "widget", "document", "attachment",
    "comment", "project", "task", "milestone", "time_entry", "calendar_event", "message",
    "channel",
]

COLUMN_TYPES = [
    ("sa.String(length={n})", "character varying({n})"),
    ("sa.Text()", "text"),
    ("sa.Integer()", "integer"),
    ("sa.BigInteger()", "bigint"),
    ("sa.Boolean()", "boolean"),
    ("sa.DateTime(timezone=True)", "timestamp with time zone"),
    ("sa.Numeric(precision=12, scale=2)", "numeric(12,2)"),
    ("postgresql.JSONB(astext_type=sa.Text())", "jsonb"),
    ("postgresql.UUID(as_uuid=True)", "uuid"),
    ("sa.Date()", "date"),
]

COLUMN_WORDS = [
    "name", "title", "status", "kind", "email", "phone", "amount_cents", "currency", "notes",
    "external_ref", "due_at", "archived_at", "priority", "score", "metadata", "locale",
    "timezone", "slug", "description", "quantity", "unit_price", "tax_rate", "source",
    "is_active", "is_deleted", "version", "checksum", "country_code", "postal_code", "label",
    "color", "position", "owner_email", "last_seen_at", "expires_at", "retry_count",
    "error_message", "payload", "settings", "display_name",
]

VERBS = ["add", "create", "drop", "backfill", "index", "rename", "alter", "widen", "tighten",
         "split", "track", "store", "support"]


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.tables = {}  # name -> list of (column, sql type)
        self.table_names = []  # creation order, for a deterministic choice
        self.used_ids = set()
        self.index_no = 0

    def rev_id(self):
        while True:
            rid = "%012x" % self.rng.getrandbits(48)
            if rid not in self.used_ids and not rid.isdigit():
                self.used_ids.add(rid)
                return rid

    def column_type(self):
        py, sql = self.rng.choice(COLUMN_TYPES)
        n = self.rng.choice([32, 64, 120, 255])
        return py.format(n=n), sql.format(n=n)

    def new_column_name(self, table):
        existing = {c for c, _ in self.tables[table]}
        for _ in range(20):
            c = self.rng.choice(COLUMN_WORDS)
            if c not in existing:
                return c
        c = "%s_%d" % (self.rng.choice(COLUMN_WORDS), self.rng.randrange(1000))
        return c if c not in existing else c + "_x"

    def some_table(self):
        return self.rng.choice(self.table_names)

    # Each op returns (upgrade lines, downgrade lines, slug words).
    def op_create_table(self):
        base = self.rng.choice(ENTITIES)
        name = base + "s"
        k = 2
        while name in self.tables:
            name = "%s_v%d" % (base, k) + "s"
            k += 1
        cols = [("id", "bigint")]
        up = ['op.create_table(', '    "%s",' % name,
              '    sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),']
        ref = self.some_table() if self.tables and self.rng.random() < 0.7 else None
        if ref:
            fk = ref[:-1] + "_id" if ref.endswith("s") else ref + "_id"
            up.append('    sa.Column("%s", sa.BigInteger(), nullable=False),' % fk)
            cols.append((fk, "bigint"))
        for _ in range(self.rng.randint(4, 9)):
            c = self.rng.choice(COLUMN_WORDS)
            if any(c == x for x, _ in cols):
                continue
            py, sql = self.column_type()
            nullable = "True" if self.rng.random() < 0.6 else "False"
            extra = ""
            if sql == "boolean":
                extra = ', server_default=sa.text("false")'
            up.append('    sa.Column("%s", %s, nullable=%s%s),' % (c, py, nullable, extra))
            cols.append((c, sql))
        up.append('    sa.Column("created_at", sa.DateTime(timezone=True), '
                  'server_default=sa.text("now()"), nullable=False),')
        cols.append(("created_at", "timestamp with time zone"))
        if ref:
            up.append('    sa.ForeignKeyConstraint(["%s"], ["%s.id"], ondelete="CASCADE"),'
                      % (cols[1][0], ref))
        up.append('    sa.PrimaryKeyConstraint("id"),')
        up.append(')')
        down = ['op.drop_table("%s")' % name]
        if ref:
            ix = "ix_%s_%s" % (name, cols[1][0])
            up.append('op.create_index(op.f("%s"), "%s", ["%s"], unique=False)'
                      % (ix, name, cols[1][0]))
            down.insert(0, 'op.drop_index(op.f("%s"), table_name="%s")' % (ix, name))
        self.tables[name] = cols
        self.table_names.append(name)
        return up, down, ["create", name]

    def op_add_column(self):
        t = self.some_table()
        c = self.new_column_name(t)
        py, sql = self.column_type()
        self.tables[t].append((c, sql))
        up = ['op.add_column("%s", sa.Column("%s", %s, nullable=True))' % (t, c, py)]
        down = ['op.drop_column("%s", "%s")' % (t, c)]
        return up, down, ["add", c, "to", t]

    def op_create_index(self):
        t = self.some_table()
        c = self.rng.choice(self.tables[t])[0]
        self.index_no += 1
        ix = "ix_%s_%s_%d" % (t, c, self.index_no)
        if self.rng.random() < 0.4:
            up = ["with op.get_context().autocommit_block():",
                  "    op.create_index(",
                  '        "%s",' % ix,
                  '        "%s",' % t,
                  '        ["%s"],' % c,
                  "        unique=False,",
                  "        postgresql_concurrently=True,",
                  "    )"]
            down = ["with op.get_context().autocommit_block():",
                    '    op.drop_index("%s", table_name="%s", postgresql_concurrently=True)'
                    % (ix, t)]
        else:
            up = ['op.create_index("%s", "%s", ["%s"], unique=False)' % (ix, t, c)]
            down = ['op.drop_index("%s", table_name="%s")' % (ix, t)]
        return up, down, ["index", t, c]

    def op_alter_column(self):
        t = self.some_table()
        c, sql = self.rng.choice(self.tables[t])
        if c == "id":
            return self.op_add_column()
        r = self.rng.random()
        if r < 0.4:
            up = ['op.alter_column(', '    "%s",' % t, '    "%s",' % c,
                  "    existing_type=sa.%s," % ("Text()" if sql == "text" else "String()"),
                  "    nullable=False,", ")"]
            down = ['op.alter_column("%s", "%s", existing_type=sa.%s, nullable=True)'
                    % (t, c, "Text()" if sql == "text" else "String()")]
        elif r < 0.7:
            up = ['op.alter_column(', '    "%s",' % t, '    "%s",' % c,
                  '    server_default=sa.text("%s"),' % self.rng.choice(["0", "''", "now()"]),
                  ")"]
            down = ['op.alter_column("%s", "%s", server_default=None)' % (t, c)]
        else:
            up = ['op.alter_column(', '    "%s",' % t, '    "%s",' % c,
                  "    existing_type=sa.String(length=64),",
                  "    type_=sa.String(length=255),",
                  "    existing_nullable=True,", ")"]
            down = ['op.alter_column(', '    "%s",' % t, '    "%s",' % c,
                    "    existing_type=sa.String(length=255),",
                    "    type_=sa.String(length=64),",
                    "    existing_nullable=True,", ")"]
        return up, down, ["alter", t, c]

    def op_execute(self):
        t = self.some_table()
        cols = self.tables[t]
        c = self.rng.choice(cols)[0]
        r = self.rng.random()
        if r < 0.45:
            up = ["op.execute(", '    """',
                  "    UPDATE %s" % t,
                  "       SET %s = %s" % (c, "DEFAULT" if c != "id" else "id"),
                  "     WHERE %s IS NULL" % c,
                  "       AND created_at < now() - interval '%d days'" % self.rng.randint(1, 90),
                  '    """', ")"]
            down = ["pass  # data backfill: nothing to undo"]
            words = ["backfill", t, c]
        elif r < 0.75:
            con = "fk_%s_%s_%d" % (t, c, self.rng.randrange(10000))
            other = self.some_table()
            up = ['op.execute("ALTER TABLE %s ADD CONSTRAINT %s '
                  'FOREIGN KEY (%s) REFERENCES %s (id) NOT VALID")' % (t, con, c, other),
                  'op.execute("ALTER TABLE %s VALIDATE CONSTRAINT %s")' % (t, con)]
            down = ['op.execute("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s")' % (t, con)]
            words = ["validate", con]
        else:
            up = ['op.execute("SET LOCAL lock_timeout = \'%ds\'")' % self.rng.randint(2, 10),
                  "op.execute(",
                  '    "CREATE TABLE IF NOT EXISTS %s_archive (LIKE %s INCLUDING ALL)"' % (t, t),
                  ")",
                  'op.execute("INSERT INTO %s_archive SELECT * FROM %s WHERE %s IS NOT NULL")'
                  % (t, t, c)]
            down = ['op.execute("DROP TABLE IF EXISTS %s_archive")' % t]
            words = ["archive", t]
        return up, down, words

    def op_batch(self):
        t = self.some_table()
        c = self.new_column_name(t)
        py, sql = self.column_type()
        self.tables[t].append((c, sql))
        up = ['with op.batch_alter_table("%s", schema=None) as batch_op:' % t,
              '    batch_op.add_column(sa.Column("%s", %s, nullable=True))' % (c, py),
              '    batch_op.create_index(batch_op.f("ix_%s_%s"), ["%s"], unique=False)'
              % (t, c, c)]
        down = ['with op.batch_alter_table("%s", schema=None) as batch_op:' % t,
                '    batch_op.drop_index(batch_op.f("ix_%s_%s"))' % (t, c),
                '    batch_op.drop_column("%s")' % c]
        return up, down, ["batch", t, c]

    def op_drop_column(self):
        t = self.some_table()
        cols = [x for x in self.tables[t] if x[0] not in ("id", "created_at")]
        if len(cols) < 3:
            return self.op_add_column()
        c, sql = self.rng.choice(cols)
        self.tables[t].remove((c, sql))
        up = ['op.drop_column("%s", "%s")' % (t, c)]
        down = ['op.add_column(', '    "%s",' % t,
                '    sa.Column("%s", sa.%s, autoincrement=False, nullable=True),'
                % (c, "TEXT()" if sql == "text" else "VARCHAR()"), ')']
        return up, down, ["drop", c, "from", t]

    def body(self):
        """Upgrade/downgrade lines and a message for one revision."""
        if len(self.tables) < 3:
            ops = [self.op_create_table()]
        else:
            kinds = [(self.op_create_table, 14), (self.op_add_column, 22),
                     (self.op_create_index, 16), (self.op_alter_column, 14),
                     (self.op_execute, 16), (self.op_batch, 10), (self.op_drop_column, 8)]
            fns = [f for f, _ in kinds]
            weights = [w for _, w in kinds]
            ops = [self.rng.choices(fns, weights)[0]() for _ in range(self.rng.randint(3, 7))]
        up, down, words = [], [], []
        for u, d, w in ops:
            up += u
            down = d + down  # undo in reverse order
            if not words:
                words = w
        return up, down, " ".join(words).replace("_", " ")


def slugify(msg):
    s = "".join(ch if ch.isalnum() else "_" for ch in msg.lower())
    while "__" in s:
        s = s.replace("__", "_")
    return s.strip("_")[:40].rstrip("_")


def py_str_tuple(ids):
    return "(" + ", ".join("'%s'" % i for i in ids) + ("," if len(ids) == 1 else "") + ")"


NOTES = [
    "Rolled out in two steps: the column is nullable first, the backfill runs in batches\n"
    "from a job, and a later revision adds the NOT NULL once every row has a value.",
    "Reviewed with the on-call DBA: the index is built CONCURRENTLY outside the migration\n"
    "transaction, so writes to the table are not blocked while it builds.",
    "Keeps the old column until every reader has moved to the new one; the drop comes in a\n"
    "later release.",
    "Requested by the reporting team; see the design note in the wiki.",
]


def render(rev, downs, labels, depends, message, date, up, down, note):
    revises = ", ".join(downs) if downs else ""
    if not downs:
        down_src = "None"
    elif len(downs) == 1:
        down_src = "'%s'" % downs[0]
    else:
        down_src = py_str_tuple(downs)
    labels_src = py_str_tuple(labels) if labels else "None"
    depends_src = "'%s'" % depends if depends else "None"
    indent = lambda lines: "\n".join("    " + l for l in lines)
    return f'''"""{message}
{note}
Revision ID: {rev}
Revises: {revises}
Create Date: {date.strftime("%Y-%m-%d %H:%M:%S.%f")}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '{rev}'
down_revision: Union[str, Sequence[str], None] = {down_src}
branch_labels: Union[str, Sequence[str], None] = {labels_src}
depends_on: Union[str, Sequence[str], None] = {depends_src}


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
{indent(up)}
    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
{indent(down)}
    # ### end Alembic commands ###
'''


ALEMBIC_INI = """[alembic]
script_location = %(here)s/migrations
prepend_sys_path = .
version_path_separator = os
sqlalchemy.url = postgresql://bench@localhost/bench

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
"""

ENV_PY = '''"""Alembic environment of the synthetic benchmark project (never run by the benchmarks:
`alembic heads` does not execute env.py)."""
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''

MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''


def generate(out, n, seed):
    g = Gen(seed)
    rng = g.rng
    versions = os.path.join(out, "migrations", "versions")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(versions)
    with open(os.path.join(out, "alembic.ini"), "w") as f:
        f.write(ALEMBIC_INI)
    with open(os.path.join(out, "migrations", "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(out, "migrations", "script.py.mako"), "w") as f:
        f.write(MAKO)

    date = datetime.datetime(2019, 3, 4, 9, 30, 0)
    labels_left = ["core", "billing", "reporting", "search", "auth", "audit"]
    head = None          # tip of the main line
    branch = None        # tip of the open feature branch, if any
    branch_left = 0
    branch_own = 0       # revisions on the feature branch so far
    written = 0
    total_bytes = 0
    earlier = []         # ids on the main line, for depends_on
    names = []
    while written < n:
        remaining = n - written
        rev = g.rev_id()
        labels = []
        depends = None
        if branch is not None and branch_own and (branch_left == 0 or remaining == 1):
            downs = [head, branch]  # merge the feature branch back
            branch = None
            up, down, msg = ["pass"], ["pass"], "merge feature branch"
        elif branch is not None and remaining > 1 and rng.random() < 0.5:
            downs = [branch]
            branch_left -= 1
            branch_own += 1
            up, down, msg = g.body()
        else:
            downs = [head] if head else []
            if branch is None and written % 150 == 75 and remaining > 12:
                # Fork: this revision and the next ones alternate between two lines.
                branch = head
                branch_left = rng.randint(3, 8)
                branch_own = 0
            up, down, msg = g.body()
            if labels_left and written % max(1, n // 6) == 0:
                labels = [labels_left.pop(0)]
            if earlier and rng.random() < 0.01:
                depends = rng.choice(earlier[-200:])
        date += datetime.timedelta(hours=rng.randint(1, 72), minutes=rng.randint(0, 59),
                                   seconds=rng.randint(0, 59), microseconds=rng.randrange(10**6))
        note = "\n" + rng.choice(NOTES) + "\n" if rng.random() < 0.5 else ""
        text = render(rev, [d for d in downs if d], labels, depends, msg.capitalize(), date, up,
                      down, note)
        name = "%s_%s.py" % (rev, slugify(msg))
        with open(os.path.join(versions, name), "w") as f:
            f.write(text)
        names.append(name)
        total_bytes += len(text.encode())
        written += 1
        if branch is not None and downs == [branch]:
            branch = rev
        else:
            head = rev
            earlier.append(rev)
    # What a pre-commit run gets: the newest revisions, the ones a feature branch adds.
    with open(os.path.join(out, "newest.txt"), "w") as f:
        f.write("".join("migrations/versions/%s\n" % n for n in names[-3:]))
    return total_bytes, head


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--revisions", type=int, required=True)
    ap.add_argument("--seed", type=int, default=20240611)
    args = ap.parse_args()
    size, head = generate(args.out, args.revisions, args.seed)
    print("%s: %d revisions, %.1f MB of migrations, head %s"
          % (args.out, args.revisions, size / 1e6, head))


if __name__ == "__main__":
    sys.exit(main())
