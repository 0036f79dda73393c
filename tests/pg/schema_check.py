"""The schema model against the schema real Alembic builds on a throwaway PostgreSQL 15.

fixtures/repos/schema_history (24 migrations, a branch and its merge) is copied to a temp dir,
`alembic upgrade heads` runs it against a fresh database (Debian's python3-alembic and
psycopg2), and the catalog is read back: tables with their columns (type as format_type()
prints it, nullability, whether there is a default), constraints (kind, columns, referenced
table, validated), indexes that back no constraint, enums with their labels, views,
materialized views, sequences no column owns, partitions. `alembic-lint schema --format json`
on the same history must say exactly that. Then a second, hostile pass: every prefix of the
history (upgrade to each revision in turn) is compared the same way.

Usage: schema_check.py --binary build/alembic-lint [--source-dir .]
Exit 77 when no server or no Alembic is available (skipped).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pg_server import Server, unavailable  # noqa: E402

SYSTEM_PYTHON = "/usr/bin/python3"

CATALOG = r"""
WITH rels AS (
  SELECT c.oid, c.relname, c.relkind, c.relispartition
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public'
)
SELECT json_build_object(
  'tables', (SELECT coalesce(json_agg(json_build_object(
      'name', r.relname,
      'partitioned', r.relkind = 'p',
      'partition_of', (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                       WHERE i.inhrelid = r.oid AND r.relispartition),
      'columns', (SELECT coalesce(json_agg(json_build_object(
            'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
            'nullable', NOT a.attnotnull, 'has_default', a.atthasdef) ORDER BY a.attnum), '[]')
          FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped),
      'constraints', (SELECT coalesce(json_agg(json_build_object(
            'name', c.conname,
            'kind', CASE c.contype WHEN 'f' THEN 'foreign_key' WHEN 'c' THEN 'check'
                      WHEN 'u' THEN 'unique' WHEN 'p' THEN 'primary_key' WHEN 'x' THEN 'exclude'
                      ELSE 'other' END,
            'columns', CASE WHEN c.contype = 'c' THEN '[]'::json ELSE (
                SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(c.conkey)
                  WITH ORDINALITY k(num, ord)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num) END,
            'references', (SELECT f.relname FROM pg_class f WHERE f.oid = c.confrelid),
            'validated', c.convalidated) ORDER BY c.conname), '[]')
          FROM pg_constraint c WHERE c.conrelid = r.oid AND c.conparentid = 0)
    ) ORDER BY r.relname), '[]') FROM rels r WHERE r.relkind IN ('r', 'p')
      AND r.relname <> 'alembic_version'),
  'indexes', (SELECT coalesce(json_agg(json_build_object(
      'name', ic.relname, 'table', t.relname, 'unique', ix.indisunique,
      'columns', (SELECT json_agg(coalesce(a.attname, '(expression)') ORDER BY k.ord)
                  FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(num, ord)
                  LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.num))
      ORDER BY ic.relname), '[]')
    FROM pg_index ix JOIN rels ic ON ic.oid = ix.indexrelid JOIN rels t ON t.oid = ix.indrelid
    WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)
      AND t.relname <> 'alembic_version' AND NOT t.relispartition),
  'enums', (SELECT coalesce(json_agg(json_build_object('name', t.typname,
      'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e
                 WHERE e.enumtypid = t.oid)) ORDER BY t.typname), '[]')
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typtype = 'e'),
  'views', (SELECT coalesce(json_agg(relname ORDER BY relname), '[]') FROM rels
            WHERE relkind = 'v'),
  'materialized_views', (SELECT coalesce(json_agg(relname ORDER BY relname), '[]') FROM rels
                         WHERE relkind = 'm'),
  'sequences', (SELECT coalesce(json_agg(r.relname ORDER BY r.relname), '[]') FROM rels r
                WHERE r.relkind = 'S' AND NOT EXISTS (
                  SELECT 1 FROM pg_depend d WHERE d.objid = r.oid AND d.deptype IN ('a', 'i')))
);
"""


def from_model(env):
    """The model's answer in the catalog's shape."""
    s = env["schemas"][0]
    tables = []
    for t in s["tables"]:
        tables.append({
            "name": t["name"],
            "partitioned": t["partitioned"],
            "partition_of": t["partition_of"],
            "columns": [{"name": c["name"], "type": c["type"], "nullable": c["nullable"],
                         "has_default": c["default"] is not None} for c in t["columns"]],
            "constraints": sorted(
                [{"name": c["name"], "kind": c["kind"],
                  "columns": [] if c["kind"] == "check" else c["columns"],
                  "references": c.get("references"), "validated": c["validated"]}
                 for c in t["constraints"]], key=lambda c: c["name"] or ""),
        })
    return {
        "tables": sorted(tables, key=lambda t: t["name"]),
        "indexes": sorted([{"name": i["name"], "table": i["table"], "unique": i["unique"],
                            "columns": i["columns"]} for i in s["indexes"]],
                          key=lambda i: i["name"]),
        "enums": sorted([{"name": e["name"], "labels": e["labels"]} for e in s["enums"]],
                        key=lambda e: e["name"]),
        "views": sorted(s["views"]),
        "materialized_views": sorted(s["materialized_views"]),
        "sequences": sorted(s["sequences"]),
    }


def diff(a, b, path="schema"):
    """Human-readable differences between two JSON values."""
    out = []
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            out += diff(a.get(k), b.get(k), f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            name = x.get("name") if isinstance(x, dict) else i
            out += diff(x, y, f"{path}[{name}]")
    elif a != b:
        out.append(f"{path}: PostgreSQL has {json.dumps(a)}, the model says {json.dumps(b)}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source-dir", default=os.path.join(HERE, "..", ".."))
    args = ap.parse_args()
    why = unavailable()
    if why is None and subprocess.run([SYSTEM_PYTHON, "-c", "import alembic, psycopg2"],
                                      capture_output=True).returncode != 0:
        why = "python3-alembic or python3-psycopg2 is not installed"
    if why:
        print(f"SKIP: {why}")
        return 77
    fixture = os.path.join(args.source_dir, "fixtures", "repos", "schema_history")
    work = tempfile.mkdtemp(prefix="alint-schema-")
    repo = os.path.join(work, "repo")
    shutil.copytree(fixture, repo)
    server = Server()
    failures = []
    try:
        server.start()
        # Every revision of the history (each upgraded to in a fresh database), then heads.
        versions = os.path.join(repo, "migrations", "versions")
        revisions = sorted(
            re.search(r"^revision = '([0-9a-f]+)'", open(os.path.join(versions, f)).read(),
                      re.M).group(1)
            for f in os.listdir(versions) if f.endswith(".py"))
        for i, rev in enumerate(revisions + ["heads"]):
            db = f"s{i}"
            r = server.psql("postgres", f"CREATE DATABASE {db};")
            if r.returncode != 0:
                raise RuntimeError(r.stderr)
            ini = os.path.join(repo, "alembic.ini")
            text = open(os.path.join(fixture, "alembic.ini")).read()
            text = text.replace("postgresql://localhost/schema_history",
                                server.url(db, driver="psycopg2").replace("%", "%%"))
            open(ini, "w").write(text)
            r = subprocess.run([SYSTEM_PYTHON, "-m", "alembic", "upgrade", rev], cwd=repo,
                               capture_output=True, text=True)
            if r.returncode != 0:
                failures.append(f"alembic upgrade {rev} failed:\n{r.stderr[-2000:]}")
                continue
            r = server.psql(db, CATALOG)
            if r.returncode != 0:
                raise RuntimeError("catalog query failed: " + r.stderr)
            actual = json.loads(r.stdout)
            for t in actual["tables"]:
                t["constraints"].sort(key=lambda c: c["name"])
            cmd = [args.binary, "schema", "--format", "json", repo]
            if rev != "heads":
                cmd[2:2] = ["--revision", rev]
            m = subprocess.run(cmd, capture_output=True, text=True)
            if m.returncode != 0:
                failures.append(f"schema at {rev} failed: {m.stderr}")
                continue
            model = from_model(json.loads(m.stdout)["environments"][0])
            problems = diff(actual, model)
            print(f"{rev}: {len(actual['tables'])} tables, "
                  f"{'agrees' if not problems else str(len(problems)) + ' differences'}")
            failures += [f"at {rev}: {p}" for p in problems]
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    print(f"{'FAILED' if failures else 'OK'}: {len(revisions) + 1} schemas compared")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
