#!/usr/bin/env python3
"""How alembic-lint's time grows with input size on the shapes that once were quadratic.

    bench/scale.py BINARY [--base N]

For each case the input is generated at N, 2N and 4N and the process's CPU time (user +
system, stable on a shared machine) measured, best of --runs (default 3). Each doubling should roughly double the time (ratio ~2); a quadratic step shows as ~4.

Cases:
  drop-column   one migration: N add_column, then N drop_column of the same columns
                (drop-column asks "added earlier in this phase?" per statement)
  sql-drops     a .sql file of N `ALTER TABLE ... DROP COLUMN` statements
  sql-mixed     a .sql file of N statements: ADD COLUMN, CREATE INDEX, DROP COLUMN
  heads-parens  `heads` on a revision wrapped in 10N parentheses (past 200: parse-error)
"""
import argparse
import os
import shutil
import subprocess
import resource
import tempfile

HEADER = "from alembic import op\nimport sqlalchemy as sa\nrevision = 'a1'\ndown_revision = None\n"


def drop_column(n):
    body = "".join(f"    op.add_column('t', sa.Column('c{i}', sa.Text()))\n" for i in range(n))
    body += "".join(f"    op.drop_column('t', 'c{i}')\n" for i in range(n))
    return {"versions/a1_m.py": HEADER + "\ndef upgrade():\n" + body}, ["check", "versions"]


def sql_drops(n):
    text = "".join(f"ALTER TABLE t{i % 50} DROP COLUMN c{i};\n" for i in range(n))
    return {"big.sql": text}, ["check", "big.sql"]


def sql_mixed(n):
    kinds = ["ALTER TABLE t{t} ADD COLUMN c{i} integer;\n",
             "CREATE INDEX i{i} ON t{t} (c{i});\n",
             "ALTER TABLE t{t} DROP COLUMN c{i};\n"]
    text = "".join(kinds[i % 3].format(t=i % 50, i=i) for i in range(n))
    return {"big.sql": text}, ["check", "big.sql"]


def heads_parens(n):
    k = n * 10
    text = "revision = " + "(" * k + "'a1'" + ")" * k + "\ndown_revision = None\n"
    return {"versions/a1_m.py": text}, ["heads", "versions"]


CASES = {"drop-column": drop_column, "sql-drops": sql_drops, "sql-mixed": sql_mixed,
         "heads-parens": heads_parens}


def timed(binary, files, args, runs):
    tmp = tempfile.mkdtemp(prefix="alint-scale-")
    try:
        for path, text in files.items():
            full = os.path.join(tmp, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        best = None
        for _ in range(runs):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([binary, *args[:1], "--no-config", *args[1:]] if args[0] == "check"
                           else [binary, *args], cwd=tmp, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=1800)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            # CPU time (user + system): stable on a shared machine, where wall time is not.
            dt = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            best = dt if best is None else min(best, dt)
        return best
    finally:
        shutil.rmtree(tmp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--base", type=int, default=10000)
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--runs", type=int, default=3, help="best of this many runs")
    a = ap.parse_args()
    a.binary = os.path.abspath(a.binary)
    for name in a.cases.split(","):
        times = []
        for n in (a.base, 2 * a.base, 4 * a.base):
            files, args = CASES[name](n)
            times.append((n, timed(a.binary, files, args, a.runs)))
        cells = [f"{n}: {t:.2f} s cpu" for n, t in times]
        ratios = [f"{times[i + 1][1] / max(times[i][1], 1e-3):.1f}x" for i in range(2)]
        print(f"{name:13} {' | '.join(cells)}  (each doubling: {', '.join(ratios)})")


if __name__ == "__main__":
    main()
