"""`alembic-lint status` against a throwaway PostgreSQL 15 and Alembic itself.

Each scenario puts a database into a state with the real `alembic` (Debian's python3-alembic,
psycopg2) or by hand, runs `alembic-lint status`, and checks what it says; where it predicts
what Alembic will do (the pending revisions, the error an upgrade fails with) Alembic is run
too and must agree. Bad input (unreachable server, wrong password, no permission, an odd
version table, a lock held on it) must end with one line on stderr and exit 2, in bounded time.

Usage: status_check.py --binary build/alembic-lint
"""

import argparse
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pg_server import Server, unavailable  # noqa: E402

SYSTEM_PYTHON = "/usr/bin/python3"

ENV_PY = '''from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.",
        poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None{extra})
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''

MIGRATION = '''"""{title}

Revision ID: {rev}
Revises: {down_doc}
Create Date: 2026-12-05 08:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "{rev}"
down_revision = {down}
branch_labels = {labels}
depends_on = {depends}


def upgrade():
{upgrade}


def downgrade():
    pass
'''

R1, R2, R3 = "1a2b3c4d5e6f", "2b3c4d5e6f70", "3c4d5e6f7081"
A1, A2, B1, B2 = "aa11aa11aa11", "aa22aa22aa22", "bb11bb11bb11", "bb22bb22bb22"

failures = []


def check(cond, what, detail=""):
    if cond:
        print(f"ok   {what}")
    else:
        print(f"FAIL {what}\n{textwrap.indent(detail, '     ')}")
        failures.append(what)


def write_repo(root, url, env_extra, migrations):
    os.makedirs(os.path.join(root, "migrations", "versions"))
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = migrations\n")
        if url is not None:
            f.write(f"sqlalchemy.url = {url}\n")
    with open(os.path.join(root, "migrations", "env.py"), "w") as f:
        f.write(ENV_PY.format(extra=env_extra))
    for m in migrations:
        down = m.get("down")
        body = textwrap.indent(m.get("upgrade", "pass"), "    ")
        with open(os.path.join(root, "migrations", "versions", f"{m['rev']}_m.py"), "w") as f:
            f.write(MIGRATION.format(
                title=m["title"], rev=m["rev"], down_doc=down or "",
                down=repr(down), labels=repr(m.get("labels")), depends=repr(m.get("depends")),
                upgrade=body))


def lint(binary, repo, *args, env=None, timeout=60):
    e = dict(os.environ)
    e.pop("DATABASE_URL", None)
    e.update(env or {})
    t0 = time.monotonic()
    r = subprocess.run([binary, "status", *args], cwd=repo, capture_output=True, text=True,
                       env=e, timeout=timeout)
    r.seconds = time.monotonic() - t0
    return r


def lint_json(binary, repo, *args, env=None):
    r = lint(binary, repo, "--format", "json", *args, env=env)
    try:
        return r, json.loads(r.stdout)
    except ValueError:
        return r, None


def alembic(repo, *args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    r = subprocess.run([SYSTEM_PYTHON, "-m", "alembic", *args], cwd=repo,
                       capture_output=True, text=True, env=e, timeout=120)
    r.out = r.stdout + r.stderr  # Alembic prints "FAILED: ..." on stdout, tracebacks on stderr
    return r


def alembic_plan(repo, current):
    """The revisions `alembic upgrade heads` runs from `current`, from Alembic's own planner."""
    code = textwrap.dedent(f"""
        import json
        from alembic.config import Config
        from alembic.script import ScriptDirectory
        s = ScriptDirectory.from_config(Config("alembic.ini"))
        steps = s._upgrade_revs("heads", tuple({list(current)!r}))
        print(json.dumps([st.revision.revision for st in steps]))
    """)
    r = subprocess.run([SYSTEM_PYTHON, "-c", code], cwd=repo, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return json.loads(r.stdout)


def pending_of(doc, i=0):
    return [p["revision"] for p in doc["environments"][i]["pending"]]


def one_line_error(r, what, needle):
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    check(r.returncode == 2 and len(lines) == 1 and needle in r.stderr and not r.stdout,
          what, f"exit {r.returncode}, stderr:\n{r.stderr}\nstdout:\n{r.stdout}")


def psycopg2_connect(server, db, app):
    import psycopg2
    return psycopg2.connect(host=server.dir, port=server.port, user="postgres", dbname=db,
                            application_name=app)


def shop_scenarios(binary, server, work):
    """A linear history with a custom version table in its own schema (env.py names it)."""
    server.psql("postgres", "CREATE DATABASE shop;")
    server.psql("shop", "CREATE SCHEMA meta;")
    repo = os.path.join(work, "shop")
    write_repo(repo, server.url("shop", driver="psycopg2"),
               ', version_table="shop_versions", version_table_schema="meta"', [
                   dict(rev=R1, down=None, title="create users",
                        upgrade='op.create_table("users", sa.Column("id", sa.Integer, '
                                'primary_key=True), sa.Column("legacy", sa.Text))'),
                   dict(rev=R2, down=R1, title="add email to users",
                        upgrade='op.add_column("users", sa.Column("email", sa.Text))'),
                   dict(rev=R3, down=R2, title="drop legacy column",
                        upgrade='op.drop_column("users", "legacy")'),
               ])

    # Fresh database: no version table, everything pending; the URL comes from alembic.ini.
    r, doc = lint_json(binary, repo)
    env = doc["environments"][0] if doc else {}
    check(r.returncode == 0 and env.get("state") == "fresh" and pending_of(doc) == [R1, R2, R3]
          and env["version_table"] == {"schema": "meta", "name": "shop_versions",
                                       "exists": False}
          and env["database_from"].endswith("sqlalchemy.url")
          and doc["summary"]["destructive"] == 1,
          "fresh database: everything pending, env.py's version table, alembic.ini's URL",
          r.stdout + r.stderr)
    check(pending_of(doc) == alembic_plan(repo, []), "fresh: Alembic plans the same upgrade")
    r = lint(binary, repo, "--fail-on-pending")
    check(r.returncode == 1, "--fail-on-pending exits 1 when migrations are pending")
    r = lint(binary, repo, "--format", "summary")
    check(r.returncode == 0 and r.stdout.startswith("fresh pending=3 destructive=1 problems=0")
          and len(r.stdout.splitlines()) == 1, "summary: one line", r.stdout)

    # Drift: the table the first migration creates was made by hand.
    server.psql("shop", "CREATE TABLE users (id int);")
    r, doc = lint_json(binary, repo)
    drift = doc["environments"][0]["drift"] if doc else []
    check(any(d["revision"] == R1 and "users" in d["message"] and "already exists" in d["message"]
              for d in drift), "drift hint: a pending CREATE TABLE finds the table already there",
          json.dumps(drift, indent=1) + r.stderr)
    a = alembic(repo, "upgrade", "heads")
    check(a.returncode != 0 and 'relation "users" already exists' in a.out,
          "drift: Alembic fails as the hint says", a.out[-600:])
    server.psql("shop", "DROP TABLE users;")

    # Part of the history applied by Alembic.
    a = alembic(repo, "upgrade", R1)
    check(a.returncode == 0, "alembic upgrade r1", a.out[-600:])
    r, doc = lint_json(binary, repo)
    env = doc["environments"][0] if doc else {}
    check(r.returncode == 0 and env.get("state") == "pending" and pending_of(doc) == [R2, R3]
          and [c["revision"] for c in env["current"]] == [R1],
          "pending: the two later migrations, in order", r.stdout + r.stderr)
    check(pending_of(doc) == alembic_plan(repo, [R1]), "pending: Alembic plans the same upgrade")
    p3 = env["pending"][1] if env else {}
    check(p3.get("destructive") and "legacy" in p3["data_loss"][0]["statement"]
          and p3["tables"][0]["table"] == "users"
          and p3["tables"][0]["lock"] == "ACCESS EXCLUSIVE",
          "pending: the DROP COLUMN is destructive, with its lock", json.dumps(p3))
    r = lint(binary, repo, "--fail-on", "destructive")
    check(r.returncode == 1, "--fail-on destructive exits 1")
    r = lint(binary, repo)
    check(r.returncode == 0 and "2 pending migrations (1 destructive)" in r.stdout
          and "destroys data: ALTER TABLE users DROP COLUMN legacy" in r.stdout,
          "text report: the count and the destructive statement", r.stdout)

    # A blocker: a session left idle in transaction after reading users.
    conn = psycopg2_connect(server, "shop", "reporting")
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM users")
    cur.execute("SELECT pg_backend_pid()")
    pid = cur.fetchone()[0]
    r, doc = lint_json(binary, repo, "--blockers")
    blockers = doc["environments"][0]["blockers"] if doc else []
    mine = [b for b in blockers if b["pid"] == pid]
    check(len(mine) == 1 and mine[0]["table"] == "users" and mine[0]["mode"] == "AccessShareLock"
          and mine[0]["state"] == "idle in transaction"
          and mine[0]["application_name"] == "reporting"
          and any(s["revision"] == R2 and s["needs"] == "ACCESS EXCLUSIVE"
                  for s in mine[0]["blocks"])
          and mine[0]["terminate"] == f"SELECT pg_terminate_backend({pid});",
          "--blockers: the idle-in-transaction session, the statement it blocks, the lock",
          json.dumps(blockers, indent=1) + r.stderr)
    r = lint(binary, repo, "--blockers", "--fail-on", "blockers")
    check(r.returncode == 1 and f"pg_terminate_backend({pid})" in r.stdout
          and "reporting" in r.stdout, "--fail-on blockers exits 1; text names the session",
          r.stdout)
    check(server.psql("shop", f"SELECT count(*) FROM pg_stat_activity WHERE pid = {pid};")
          .stdout.strip() == "1", "status never terminates a session")
    conn.rollback()
    r, doc = lint_json(binary, repo, "--blockers")
    check(doc is not None and doc["environments"][0]["blockers"] == [],
          "--blockers: none once the session ends its transaction", r.stdout)
    conn.close()

    # A migration in flight holds the version table: status waits --timeout, then says so.
    conn = psycopg2_connect(server, "shop", "migrator")
    conn.cursor().execute("LOCK TABLE meta.shop_versions IN ACCESS EXCLUSIVE MODE")
    r = lint(binary, repo, "--timeout", "1")
    one_line_error(r, "version table locked: one line, exit 2", "lock timeout")
    check(r.seconds < 15, f"version table locked: bounded time ({r.seconds:.1f} s)")
    conn.rollback()
    conn.close()

    a = alembic(repo, "upgrade", "heads")
    check(a.returncode == 0, "alembic upgrade heads", a.out[-600:])
    r, doc = lint_json(binary, repo, "--fail-on-pending")
    check(r.returncode == 0 and doc["environments"][0]["state"] == "up-to-date"
          and doc["environments"][0]["current"][0]["head"], "up to date: exit 0", r.stdout)

    # Overlap: the parent's row added back by hand.
    server.psql("shop", f"INSERT INTO meta.shop_versions VALUES ('{R1}');")
    r, doc = lint_json(binary, repo)
    probs = doc["environments"][0]["problems"] if doc else []
    check(r.returncode == 1 and len(probs) == 1 and probs[0]["kind"] == "overlap"
          and f"DELETE FROM meta.shop_versions WHERE version_num = '{R1}';" in probs[0]["fix"],
          "overlap: exit 1, with the DELETE that keeps the descendant", json.dumps(probs))
    a = alembic(repo, "upgrade", "heads")
    expected = probs[0]["alembic_error"].split(": ", 1)[1] if probs else "?"
    check(a.returncode != 0 and expected in a.out, "overlap: Alembic fails with that error",
          expected + "\n" + a.out[-600:])
    fix_sql = probs[0]["fix"].split(": ", 1)[1] if probs else ""
    server.psql("shop", fix_sql)
    r = lint(binary, repo)
    check(r.returncode == 0 and "up to date" in r.stdout, "overlap: the fix's SQL repairs it",
          r.stdout)

    # A row naming a revision the checkout does not have (one character off).
    server.psql("shop", f"UPDATE meta.shop_versions SET version_num = '3c4d5e6f7082';")
    r, doc = lint_json(binary, repo)
    probs = doc["environments"][0]["problems"] if doc else []
    check(r.returncode == 1 and probs and probs[0]["kind"] == "unknown-revision"
          and R3 in probs[0]["fix"], "unknown revision: exit 1, did you mean the near id",
          json.dumps(probs))
    a = alembic(repo, "upgrade", "heads")
    expected = probs[0]["alembic_error"].split(": ", 1)[1] if probs else "?"
    check(a.returncode != 0 and expected in a.out, "unknown revision: Alembic fails so",
          expected + "\n" + a.out[-600:])
    r = lint(binary, repo, "--format", "summary")
    check(r.returncode == 1 and r.stdout.startswith("problem pending=0 destructive=0 problems=1"),
          "summary line says problem", r.stdout)
    server.psql("shop", f"UPDATE meta.shop_versions SET version_num = '{R3}';")
    return repo


def branch_scenarios(binary, server, work):
    """Two labelled branches with their own bases, one depending on the other; the default
    version table; the URL from DATABASE_URL."""
    server.psql("postgres", "CREATE DATABASE branches;")
    repo = os.path.join(work, "branches")
    url = server.url("branches", driver="psycopg2")
    write_repo(repo, None, "", [
        dict(rev=A1, down=None, title="app base", labels=("app",)),
        dict(rev=A2, down=A1, title="app two"),
        dict(rev=B1, down=None, title="analytics base", labels=("analytics",)),
        dict(rev=B2, down=B1, title="analytics two", depends=A2),
    ])
    env = {"DATABASE_URL": url}
    with open(os.path.join(repo, "alembic.ini"), "a") as f:
        f.write(f"sqlalchemy.url = {url}\n")  # for Alembic; alembic-lint gets DATABASE_URL
    r = lint(binary, repo, env=env)
    check(r.returncode == 0 and "(from DATABASE_URL)" in r.stdout, "DATABASE_URL wins",
          r.stdout + r.stderr)
    a = alembic(repo, "upgrade", "app@head")
    check(a.returncode == 0, "alembic upgrade app@head", a.out[-600:])
    r, doc = lint_json(binary, repo, env=env)
    check(doc is not None and pending_of(doc) == [B1, B2]
          and sorted(pending_of(doc)) == sorted(alembic_plan(repo, [A2])),
          "branches: the other branch pending, as Alembic plans it",
          r.stdout + r.stderr)
    cur = doc["environments"][0]["current"] if doc else []
    check(cur and cur[0]["branch_labels"] == ["app"] and cur[0]["head"],
          "branches: the row's branch label", json.dumps(cur))
    a = alembic(repo, "upgrade", B1)
    r, doc = lint_json(binary, repo, env=env)
    check(a.returncode == 0 and doc is not None and pending_of(doc) == [B2]
          and alembic_plan(repo, [A2, B1]) == [B2],
          "branches: two rows, one pending (depends_on satisfied)", r.stdout + a.out[-300:])
    # A row that is an ancestor of another through depends_on only.
    server.psql("branches", f"DELETE FROM alembic_version; INSERT INTO alembic_version "
                            f"VALUES ('{B2}'), ('{A1}');")
    r, doc = lint_json(binary, repo, env=env)
    probs = doc["environments"][0]["problems"] if doc else []
    check(r.returncode == 1 and probs and probs[0]["kind"] == "overlap",
          "overlap through depends_on", json.dumps(probs))
    a = alembic(repo, "upgrade", "heads")
    expected = probs[0]["alembic_error"].split(": ", 1)[1] if probs else "?"
    check(a.returncode != 0 and expected in a.out,
          "overlap through depends_on: Alembic fails with that error",
          expected + "\n" + a.out[-600:])
    # Both branches upgraded by Alembic itself: whatever rows it keeps, status calls it up to
    # date, and (B2 depending on A2) agrees that storing both heads would overlap.
    server.psql("branches", f"DELETE FROM alembic_version; INSERT INTO alembic_version "
                            f"VALUES ('{A2}'), ('{B1}');")
    a = alembic(repo, "upgrade", "heads")
    rows = sorted(server.psql("branches", "SELECT version_num FROM alembic_version;")
                  .stdout.split())
    r, doc = lint_json(binary, repo, "--fail-on-pending", env=env)
    cur = doc["environments"][0]["current"] if doc else []
    check(a.returncode == 0 and r.returncode == 0
          and doc["environments"][0]["state"] == "up-to-date"
          and sorted(c["revision"] for c in cur) == rows and all(c["head"] for c in cur),
          f"both branches upgraded by Alembic (rows {rows}): up to date", r.stdout + a.out[-300:])
    server.psql("branches", f"DELETE FROM alembic_version; INSERT INTO alembic_version "
                            f"VALUES ('{A2}'), ('{B2}');")
    r, doc = lint_json(binary, repo, env=env)
    probs = doc["environments"][0]["problems"] if doc else []
    a = alembic(repo, "upgrade", "heads")
    check(r.returncode == 1 and probs and probs[0]["kind"] == "overlap" and a.returncode != 0
          and "overlaps" in a.out,
          "both heads stored although one depends on the other: an overlap, for Alembic too",
          json.dumps(probs) + a.out[-300:])


def independent_heads_scenario(binary, server, work):
    """Two independent labelled branches, both at their heads: two rows, up to date."""
    server.psql("postgres", "CREATE DATABASE twoheads;")
    repo = os.path.join(work, "twoheads")
    url = server.url("twoheads", driver="psycopg2")
    write_repo(repo, url, "", [
        dict(rev="cc11cc11cc11", down=None, title="billing base", labels=("billing",)),
        dict(rev="dd11dd11dd11", down=None, title="search base", labels=("search",)),
    ])
    a = alembic(repo, "upgrade", "heads")
    r, doc = lint_json(binary, repo, "--fail-on-pending")
    cur = doc["environments"][0]["current"] if doc else []
    check(a.returncode == 0 and r.returncode == 0
          and doc["environments"][0]["state"] == "up-to-date"
          and sorted((c["revision"], c["head"], tuple(c["branch_labels"])) for c in cur)
          == [("cc11cc11cc11", True, ("billing",)), ("dd11dd11dd11", True, ("search",))],
          "two independent branch heads: two rows, each a head with its label, up to date",
          r.stdout + a.out[-300:])


def bad_input_scenarios(binary, server, work, shop):
    port = server.port
    server.psql("postgres", "CREATE ROLE app LOGIN PASSWORD 'secret-pw';"
                            "CREATE ROLE nobody LOGIN PASSWORD 'nobody-pw';"
                            "GRANT ALL ON SCHEMA meta TO app;")
    server.psql("shop", "GRANT USAGE ON SCHEMA meta TO app, nobody;"
                        "GRANT SELECT ON meta.shop_versions TO app;")
    good = f"postgresql://app:secret-pw@127.0.0.1:{port}/shop"
    r = lint(binary, shop, "--database-url", good)
    check(r.returncode == 0 and "secret-pw" not in r.stdout + r.stderr
          and f"app:***@127.0.0.1:{port}" in r.stdout,
          "a password in the URL is never echoed", r.stdout + r.stderr)
    r = lint(binary, shop, "--database-url", good, "--format", "json")
    check("secret-pw" not in r.stdout, "json: password hidden too")
    r = lint(binary, shop, "--database-url", good.replace("secret-pw", "wrong-pw"))
    one_line_error(r, "wrong password: one line, exit 2", "password authentication failed")
    check("wrong-pw" not in r.stderr, "wrong password: not echoed", r.stderr)
    r = lint(binary, shop, "--database-url", f"postgresql://nobody:nobody-pw@127.0.0.1:{port}/shop")
    one_line_error(r, "no permission on the version table: one line, exit 2", "permission denied")
    r = lint(binary, shop, "--database-url", "postgresql://x@127.0.0.1:1/none", "--timeout", "2")
    one_line_error(r, "unreachable server: one line, exit 2", "cannot connect")
    check(r.seconds < 15, f"unreachable server: bounded time ({r.seconds:.1f} s)")
    r = lint(binary, shop, "--database-url", "sqlite:///x.db")
    one_line_error(r, "another database: one line, exit 2", "PostgreSQL only")

    server.psql("postgres", "CREATE DATABASE odd;")
    server.psql("odd", "CREATE TABLE alembic_version (id int);")
    odd = os.path.join(work, "odd")
    write_repo(odd, None, "", [dict(rev=R1, down=None, title="create users")])
    r = lint(binary, odd, "--database-url", server.url("odd"))
    one_line_error(r, "a version table of another shape: one line, exit 2", "no version_num column")
    r = lint(binary, odd)
    one_line_error(r, "no URL anywhere: one line, exit 2", "no database URL")
    placeholder = os.path.join(work, "placeholder")
    write_repo(placeholder, "driver://user:pass@localhost/dbname", "", [
        dict(rev=R1, down=None, title="create users")])
    r = lint(binary, placeholder)
    one_line_error(r, "alembic.ini's placeholder URL: one line, exit 2", "placeholder")
    dynamic = os.path.join(work, "dynamic")
    write_repo(dynamic, None, ", version_table=VERSION_TABLE",
               [dict(rev=R1, down=None, title="create users")])
    r = lint(binary, dynamic, "--database-url", server.url("odd"))
    one_line_error(r, "a computed version_table: one line, exit 2", "--version-table")
    r = lint(binary, dynamic, "--database-url", server.url("shop"), "--version-table",
             "shop_versions", "--version-table-schema", "meta", "--format", "summary")
    check(r.returncode == 1 and "problems=1" in r.stdout,
          "--version-table names it (the row is unknown to this repo)", r.stdout + r.stderr)
    check(server.psql("shop", "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                              "'alembic-lint';").stdout.strip() == "0",
          "no alembic-lint session is left behind")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--pg-bin", default="/usr/lib/postgresql/15/bin")
    args = ap.parse_args()
    why = unavailable(args.pg_bin)
    if why:
        print(f"SKIP: {why}")
        return 77
    for module in ("alembic", "psycopg2"):
        r = subprocess.run([SYSTEM_PYTHON, "-c", f"import {module}"], capture_output=True)
        if r.returncode != 0:
            print(f"SKIP: {SYSTEM_PYTHON} cannot import {module} "
                  "(apt-get install python3-alembic python3-psycopg2)")
            return 77
    binary = os.path.abspath(args.binary)
    server = Server(args.pg_bin, tcp=True)
    work = tempfile.mkdtemp(prefix="alint-status-")
    atexit.register(server.stop)
    atexit.register(shutil.rmtree, work, True)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: sys.exit(1))
    server.start()
    shop = shop_scenarios(binary, server, work)
    branch_scenarios(binary, server, work)
    independent_heads_scenario(binary, server, work)
    bad_input_scenarios(binary, server, work, shop)
    print(f"\n{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
