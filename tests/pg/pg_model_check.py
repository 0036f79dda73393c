#!/usr/bin/env python3
"""Proves the SQL model (lint/sql) against a real PostgreSQL.

Starts a throwaway server, loads fixture.sql, and for every case of catalog.py runs the
statement(s) in BEGIN ... ROLLBACK, reading after each statement the relation locks this
backend holds (pg_locks), which relations got a new relfilenode (rewrite) and which were
sequentially scanned (pg_stat_get_xact_numscans). It compares all that with what
`alint_sql_facts` (the model) claims, and checks that statements the model marks
no_transaction are refused inside a transaction block (and work outside one), and that
statements that fail on the populated fixture are marked can_fail_on_rows.

Usage: pg_model_check.py --facts path/to/alint_sql_facts [--pg-bin DIR] [-k SUBSTRING]
Exit status: 0 all passed, 1 some failed, 77 PostgreSQL is not available (skipped).
"""

import argparse
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from catalog import CASES, REQUIRED_KINDS  # noqa: E402
from pg_server import Server, unavailable  # noqa: E402

MODE_ORDER = ["", "AccessShareLock", "RowShareLock", "RowExclusiveLock",
              "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock",
              "AccessExclusiveLock"]
MODEL_TO_PG = {"": "", "ACCESS SHARE": "AccessShareLock", "ROW SHARE": "RowShareLock",
               "ROW EXCLUSIVE": "RowExclusiveLock",
               "SHARE UPDATE EXCLUSIVE": "ShareUpdateExclusiveLock", "SHARE": "ShareLock",
               "SHARE ROW EXCLUSIVE": "ShareRowExclusiveLock", "EXCLUSIVE": "ExclusiveLock",
               "ACCESS EXCLUSIVE": "AccessExclusiveLock"}
DML = {"select", "insert", "update", "delete", "merge", "copy"}
SCHEMAS = ("public", "other")
# Relation kinds compared even when the model does not name them: tables, partitioned tables,
# materialized views, views. Indexes, sequences and TOAST follow their table; they are compared
# only when the model names them.
ALWAYS_COMPARED = {"r", "p", "m", "v"}


def stronger(a, b):
    return a if MODE_ORDER.index(a) >= MODE_ORDER.index(b) else b


def bare(name):
    for schema in SCHEMAS:
        if name.startswith(schema + "."):
            return name[len(schema) + 1:]
    return name


SNAPSHOT = """SELECT '@@S{i} ' || coalesce(json_agg(json_build_object(
  'oid', c.oid, 'name', c.relname, 'kind', c.relkind, 'node', c.relfilenode,
  'scans', pg_stat_get_xact_numscans(c.oid), 'table', t.relname))::text, '[]')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index x ON x.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = x.indrelid
WHERE n.nspname IN ('public', 'other');
"""
LOCKS = """SELECT '@@L{i} ' || coalesce(json_agg(json_build_object(
  'oid', l.relation, 'mode', l.mode))::text, '[]')
FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database());
"""


def run_in_transaction(server, db, statements):
    script = ["BEGIN;", SNAPSHOT.format(i=0)]
    for i, stmt in enumerate(statements):
        script.append(f"\\echo @@RUN {i}")
        script.append(stmt + ";")
        script.append(SNAPSHOT.format(i=i + 1))
        script.append(LOCKS.format(i=i + 1))
    script.append("ROLLBACK;")
    r = server.psql(db, "\n".join(script) + "\n")
    out = {"snap": {}, "locks": {}, "ran": -1, "error": None}
    for line in r.stdout.splitlines():
        if line.startswith("@@S"):
            tag, payload = line.split(" ", 1)
            out["snap"][int(tag[3:])] = json.loads(payload)
        elif line.startswith("@@L"):
            tag, payload = line.split(" ", 1)
            out["locks"][int(tag[3:])] = json.loads(payload)
        elif line.startswith("@@RUN"):
            out["ran"] = int(line.split()[1])
    if r.returncode != 0:
        out["error"] = r.stderr.strip()
    return out


def model_facts(facts_bin, statements, column_types_path):
    text = ""
    starts = []
    for stmt in statements:
        starts.append(len(text.encode()))
        text += stmt + ";\n"
    r = subprocess.run([facts_bin, "--pg", "15", "--column-types", column_types_path],
                       input=text, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("alint_sql_facts failed: " + r.stderr)
    result = json.loads(r.stdout)
    if "error" in result:
        raise RuntimeError("model could not parse: " + json.dumps(result["error"]))
    per_stmt = [[] for _ in statements]
    for fact in result["statements"]:
        index = max(i for i, s in enumerate(starts) if s <= fact["begin"])
        per_stmt[index].append(fact)
    return per_stmt


def merged(facts):
    """One statement's facts (one per ALTER TABLE subcommand) merged per relation."""
    effects = {}
    flags = {k: any(f.get(k) for f in facts)
             for k in ("no_transaction", "can_fail_on_rows", "data_loss")}
    flags["kinds"] = sorted({f["kind"] for f in facts})
    for f in facts:
        for e in f["effects"]:
            name = bare(e["relation"])
            cur = effects.setdefault(name, {"lock": "", "table_lock": "", "rewrite": False,
                                            "scan": False, "created": False,
                                            "kind": e["kind"]})
            cur["lock"] = stronger(cur["lock"], MODEL_TO_PG[e["lock"]])
            cur["table_lock"] = stronger(cur["table_lock"], MODEL_TO_PG[e.get("table_lock", "")])
            for k in ("rewrite", "scan", "created"):
                cur[k] = cur[k] or e[k]
    return effects, flags


def compare_statement(i, model, expected_cum, obs, case, problems):
    effects, flags = model
    before = {r["oid"]: r for r in obs["snap"][i]}
    after = {r["oid"]: r for r in obs["snap"][i + 1]}
    first = {r["oid"]: r for r in obs["snap"][0]}
    index_table = {r["name"]: r["table"] for r in obs["snap"][0] if r["table"]}
    for name, e in list(effects.items()):
        if e["created"]:
            if not case.get("skip_exists_check") and not any(
                    r["name"] == name for r in after.values()):
                problems.append(f"stmt {i + 1}: model says it creates {name}, not found after")
            continue
        expected_cum[name] = stronger(expected_cum.get(name, ""), e["lock"])
        if e["table_lock"] and name in index_table:
            # An index effect speaks for its (unnamed) table too: lock, and reading it in full.
            t = index_table[name]
            expected_cum[t] = stronger(expected_cum.get(t, ""), e["table_lock"])
            te = effects.setdefault(t, {"lock": "", "table_lock": "", "rewrite": False,
                                        "scan": False, "created": False, "kind": "table"})
            te["scan"] = te["scan"] or e["scan"]
    for name, mode in case.get("unmodelled", {}).items():
        expected_cum[name] = stronger(expected_cum.get(name, ""), mode)
    named = set(expected_cum)
    observed = {}
    for lock in obs["locks"][i + 1]:
        rel = first.get(lock["oid"])
        if rel is None:
            continue  # created by this case, or a catalog
        if rel["kind"] not in ALWAYS_COMPARED and rel["name"] not in named:
            continue
        observed[rel["name"]] = stronger(observed.get(rel["name"], ""), lock["mode"])
    for name in sorted(set(observed) | set(expected_cum)):
        if name not in {r["name"] for r in first.values()}:
            continue  # a relation created earlier in the case
        want, got = expected_cum.get(name, ""), observed.get(name, "")
        if want != got:
            problems.append(f"stmt {i + 1}: lock on {name}: model {want or 'none'}, "
                            f"PostgreSQL {got or 'none'}")
    is_truncate = "truncate" in flags["kinds"]
    ddl = not (set(flags["kinds"]) & DML)
    for oid, rel in before.items():
        if rel["kind"] not in ("r", "m") or oid not in after:
            continue
        name = rel["name"]
        e = effects.get(name, {"rewrite": False, "scan": False})
        rewritten = after[oid]["node"] != rel["node"]
        if not is_truncate and rewritten != e["rewrite"]:
            problems.append(f"stmt {i + 1}: rewrite of {name}: model {e['rewrite']}, "
                            f"PostgreSQL {rewritten}")
        scanned = after[oid]["scans"] > rel["scans"]
        # A rewrite reads every row, except a copy of the files (SET TABLESPACE), which the model
        # marks as a rewrite without a scan.
        model_scan = e["scan"] or (e["rewrite"] and not case.get("copies_files"))
        if ddl and name not in case.get("unmodelled", {}) and \
                name not in case.get("planner_scans", []) and scanned != model_scan:
            problems.append(f"stmt {i + 1}: full scan of {name}: model "
                            f"{model_scan}, PostgreSQL {scanned}")


def check_case(server, facts_bin, types_path, case, copy_counter):
    statements = case["sql"] if isinstance(case["sql"], list) else [case["sql"]]
    per_stmt = model_facts(facts_bin, statements, types_path)
    models = [merged(f) for f in per_stmt]
    problems = []
    no_tx = [m[1]["no_transaction"] for m in models]
    obs = run_in_transaction(server, "fixture", statements)
    if any(no_tx):
        # Only single-statement cases for these: the refusal is the whole observation.
        err = obs["error"] or ""
        if "inside a transaction block" not in err:
            problems.append("model says no_transaction, but PostgreSQL ran it in a "
                            f"transaction block ({err or 'no error'})")
        copy_counter[0] += 1
        db = f"c{copy_counter[0]}"
        server.psql("postgres", f"CREATE DATABASE {db} TEMPLATE fixture;")
        r = server.psql(db, "\n".join(s + ";" for s in statements) + "\n")
        if r.returncode != 0:
            problems.append("fails outside a transaction block too: " + r.stderr.strip())
        server.psql("postgres", f"DROP DATABASE {db};")
        return problems
    if obs["error"] and "inside a transaction block" in obs["error"]:
        problems.append("PostgreSQL refuses it in a transaction block; model says it may run "
                        "in one")
        return problems
    expect = case.get("expect_error")
    last_ok = len(statements)
    if obs["error"]:
        failed = obs["ran"]
        if not expect:
            return [f"unexpected error in stmt {failed + 1}: {obs['error']}"]
        if failed != len(statements) - 1 or expect not in obs["error"]:
            return [f"expected error '{expect}' from the last statement, got: {obs['error']}"]
        if case.get("rows_error", True) and not models[failed][1]["can_fail_on_rows"]:
            problems.append("PostgreSQL failed on existing rows; model says can_fail_on_rows "
                            f"false ({obs['error'].splitlines()[0]})")
        last_ok = failed
    elif expect:
        problems.append(f"expected error '{expect}', but it succeeded")
    expected_cum = {}
    for i in range(last_ok):
        compare_statement(i, models[i], expected_cum, obs, case, problems)
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts", required=True)
    ap.add_argument("--pg-bin", default="/usr/lib/postgresql/15/bin")
    ap.add_argument("-k", default="")
    args = ap.parse_args()
    why = unavailable(args.pg_bin)
    if why:
        print(f"SKIP: {why}")
        return 77
    server = Server(args.pg_bin)
    atexit.register(server.stop)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: sys.exit(1))
    server.start()
    with open(os.path.join(HERE, "fixture.sql")) as f:
        fixture = f.read()
    server.psql("postgres", "CREATE DATABASE fixture;")
    r = server.psql("fixture", fixture)
    if r.returncode != 0:
        print("fixture failed:\n" + r.stderr)
        return 1
    types = server.psql("fixture", """SELECT json_object_agg(c.relname || '.' || a.attname,
        format_type(a.atttypid, a.atttypmod)) FROM pg_attribute a JOIN pg_class c
        ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relkind IN ('r', 'p');""")
    types_path = os.path.join(server.dir, "column_types.json")
    with open(types_path, "w") as f:
        f.write(types.stdout.strip())
    # A second tablespace for SET TABLESPACE (cluster-wide, so every copy of the fixture has it).
    space = os.path.join(server.dir, "alt_space")
    os.makedirs(space, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(space, "postgres", "postgres")
    r = server.psql("postgres", f"CREATE TABLESPACE alt LOCATION '{space}';")
    if r.returncode != 0:
        print("CREATE TABLESPACE failed:\n" + r.stderr)
        return 1
    # Every AlterTableType and ConstrType value PostgreSQL accepts on a table has a case.
    kinds = set()
    for case in CASES:
        stmts = case["sql"] if isinstance(case["sql"], list) else [case["sql"]]
        for facts in model_facts(args.facts, stmts, types_path):
            kinds.update(f["kind"] for f in facts)
    missing = sorted(REQUIRED_KINDS - kinds)
    passed = failed = 0
    if missing:
        failed += 1
        print("FAIL coverage: no case exercises " + ", ".join(missing))
    copies = [0]
    seen = set()
    for case in CASES:
        assert case["id"] not in seen, "duplicate case id " + case["id"]
        seen.add(case["id"])
        if args.k and args.k not in case["id"]:
            continue
        try:
            problems = check_case(server, args.facts, types_path, case, copies)
        except Exception as e:  # noqa: BLE001 - report and go on with the next case
            problems = [f"harness error: {e}"]
        if problems:
            failed += 1
            print(f"FAIL {case['id']}: {case['sql']}")
            for p in problems:
                print(f"     {p}")
        else:
            passed += 1
            print(f"ok   {case['id']}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
