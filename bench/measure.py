#!/usr/bin/env python3
"""Times whole processes and prints the benchmark table (called by bench/run.sh).

    measure.py --build BUILD --repos DIR [--runs N] [--alembic-runs N] [--json OUT]

DIR holds the generated projects r1000/ and r10000/ (bench/gen_repo.py). For every command it
does one warm-up run (which also leaves Alembic's bytecode cache warm), then N timed runs, and
keeps per run: wall time, user and system CPU time, and peak RSS, read with os.wait4 (the
numbers `/usr/bin/time -v` prints). The table shows medians; the JSON file has every run.

Standard library only; no shell: every command is an argv list.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time


def run_once(argv, cwd):
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child: quiet, then exec
        try:
            os.chdir(cwd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime,
            "maxrss_kb": ru.ru_maxrss, "exit": code}


def measure(name, argv, cwd, runs, ok_exits=(0,)):
    first = run_once(argv, cwd)  # warm-up: page cache, Alembic's __pycache__
    if first["exit"] not in ok_exits:
        out = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
        sys.exit("measure: `%s` exited %d:\n%s%s" % (" ".join(argv), first["exit"],
                                                     out.stdout[-2000:], out.stderr[-2000:]))
    samples = [run_once(argv, cwd) for _ in range(runs)]
    med = lambda key: statistics.median(s[key] for s in samples)
    res = {"name": name, "argv": argv, "cwd": cwd, "runs": samples,
           "wall": med("wall"), "cpu": med("user") + med("sys"),
           "wall_min": min(s["wall"] for s in samples),
           "maxrss_mb": max(s["maxrss_kb"] for s in samples) / 1024.0}
    print("  %-28s wall %8.3f s (min %.3f)  cpu %8.3f s  rss %6.1f MB" % (
        name, res["wall"], res["wall_min"], res["cpu"], res["maxrss_mb"]), file=sys.stderr)
    return res


def repo_facts(repo):
    versions = os.path.join(repo, "migrations", "versions")
    files = sorted(f for f in os.listdir(versions) if f.endswith(".py"))
    size = sum(os.path.getsize(os.path.join(versions, f)) for f in files)
    return versions, files, size


def parse_kv(text):
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", text)}


def git_copy(repo):
    """A git repository beside `repo` with its history committed and then one change
    committed on top (the newest migration edited): what `check --since HEAD~1` sees in a PR.
    Made once; reused while it exists."""
    dst = repo + "-git"
    if os.path.isdir(os.path.join(dst, ".git")):
        return dst
    import shutil
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(repo, dst)
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost",
               GIT_CONFIG_NOSYSTEM="1")
    git = lambda *a: subprocess.run(["git", *a], cwd=dst, env=env, check=True,
                                    capture_output=True)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "history")
    with open(os.path.join(dst, "newest.txt")) as f:
        newest = f.readline().strip()
    with open(os.path.join(dst, newest), "a") as f:
        f.write("# edited in the pull request\n")
    git("commit", "-q", "-am", "change")
    return dst


def bench_repo(build, repo, runs, alembic_runs, jobs):
    lint = os.path.join(build, "alembic-lint")
    ts = os.path.join(build, "bench", "ts_parse_bench")
    sqlb = os.path.join(build, "bench", "sql_bench")
    versions, files, size = repo_facts(repo)
    # The pre-commit case: the newest three migrations (what a feature branch touches).
    with open(os.path.join(repo, "newest.txt")) as f:
        targets = [os.path.join(repo, line.strip()) for line in f if line.strip()]
    r = {"repo": repo, "files": len(files), "bytes": size}
    print("%s: %d files, %.1f MB" % (repo, len(files), size / 1e6), file=sys.stderr)
    r["alembic_heads"] = measure("alembic heads", ["/usr/bin/python3", "-m", "alembic", "heads"],
                                 repo, alembic_runs)
    r["lint_heads"] = measure("alembic-lint heads", [lint, "heads", repo], repo, runs)
    # Exit 1 (findings) is fine for check: the DDL rules rightly flag some of these migrations
    # (a plain CREATE INDEX on a live table); 2 is an error and stops the benchmark.
    r["lint_precommit"] = measure("alembic-lint check 3 files",
                                  [lint, "check", "-j", str(jobs), "--color", "never"] + targets,
                                  repo, runs, ok_exits=(0, 1))
    r["lint_file"] = measure("alembic-lint check 1 file",
                             [lint, "check", "-j", str(jobs), "--color", "never", targets[0]],
                             repo, runs, ok_exits=(0, 1))
    pr = git_copy(repo)
    r["lint_since"] = measure("alembic-lint check --since",
                              [lint, "check", "-j", str(jobs), "--color", "never", "--since",
                               "HEAD~1", "."], pr, runs, ok_exits=(0, 1))
    r["lint_check"] = measure("alembic-lint check (full)",
                              [lint, "check", "-j", str(jobs), "--color", "never", repo], repo,
                              runs, ok_exits=(0, 1))
    r["ts_parse"] = measure("ts_parse_bench", [ts, "-j", str(jobs), versions], repo, runs)
    # The SQL model: in-process phases (one run is enough for per-statement costs; take the
    # median of three for the share).
    out = subprocess.run([sqlb, "-j", str(jobs), "--repeat", "3", repo], capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()
    rows = [parse_kv(line) for line in out]
    r["sql"] = {k: statistics.median(row[k] for row in rows) for k in rows[0]}
    print("  %-28s %s" % ("sql_bench", out[-1]), file=sys.stderr)
    return r


def fmt_s(x):
    return "%.3f s" % x if x < 10 else "%.1f s" % x


def table(results, load):
    small, big = results.get("r1000"), results.get("r10000")
    cols = [c for c in (small, big) if c]
    lines = []
    head = "| measurement | " + " | ".join("%s revisions (%.1f MB)" % (format(c["files"], ","),
                                                                    c["bytes"] / 1e6)
                                            for c in cols) + " | target |"
    lines.append(head)
    lines.append("|---" * (len(cols) + 2) + "|")

    def row(label, fn, target=""):
        lines.append("| %s | %s | %s |" % (label, " | ".join(fn(c) for c in cols), target))

    t = lambda key: (lambda c: "%s (cpu %s)" % (fmt_s(c[key]["wall"]), fmt_s(c[key]["cpu"])))
    row("`alembic heads` (Alembic 1.8.1, warm bytecode)", t("alembic_heads"))
    row("`alembic-lint heads`", t("lint_heads"), "< 0.3 s at 10,000")
    row("speed-up of `heads` over Alembic",
        lambda c: "%.0fx" % (c["alembic_heads"]["wall"] / c["lint_heads"]["wall"]),
        ">= 10x at 1,000")
    row("`alembic-lint check` 3 changed files (pre-commit)", t("lint_precommit"),
        "< 0.3 s at 10,000")
    row("speed-up of pre-commit `check` over `alembic heads`",
        lambda c: "%.0fx" % (c["alembic_heads"]["wall"] / c["lint_precommit"]["wall"]),
        ">= 10x at 1,000")
    row("`alembic-lint check FILE`: one file, the whole environment loaded for the graph",
        t("lint_file"))
    row("speed-up of `check FILE` over `alembic heads`",
        lambda c: "%.0fx" % (c["alembic_heads"]["wall"] / c["lint_file"]["wall"]),
        ">= 15x at 1,000")
    row("PR mode: `check --since HEAD~1`, one file changed", t("lint_since"),
        "< 0.3 s at 10,000")
    row("`alembic-lint check` whole project (every rule)", t("lint_check"))
    row("tree-sitter parse floor (`ts_parse_bench`, same threads)", t("ts_parse"))
    row("full `check` / parse floor (wall)",
        lambda c: "%.2fx" % (c["lint_check"]["wall"] / c["ts_parse"]["wall"]))
    row("full `check` / parse floor (cpu)",
        lambda c: "%.2fx" % (c["lint_check"]["cpu"] / c["ts_parse"]["cpu"]), "<= 1.3x")
    row("peak RSS: full `check`", lambda c: "%.0f MB" % c["lint_check"]["maxrss_mb"],
        "< 150 MB at 10,000")
    row("peak RSS: `heads` / `alembic heads`",
        lambda c: "%.0f MB / %.0f MB" % (c["lint_heads"]["maxrss_mb"],
                                         c["alembic_heads"]["maxrss_mb"]))
    row("SQL strings / statements / op calls",
        lambda c: "%s / %s / %s" % (format(int(c["sql"]["sql_strings"]), ","),
                                    format(int(c["sql"]["sql_statements"]), ","),
                                    format(int(c["sql"]["ops"]), ",")))
    row("SQL model cost per statement (`AnalyzeSql`) / per op call (`AnalyzeOpCall`)",
        lambda c: "%.1f us / %.1f us" % (c["sql"]["sql_us_per_statement"],
                                         c["sql"]["op_us_per_call"]))
    row("SQL model share of a full run (load + model)",
        lambda c: "%.0f%% (%.0f ms of %.0f ms)" % (
            100 * c["sql"]["share"], c["sql"]["sql_ms"] + c["sql"]["op_ms"],
            c["sql"]["load_ms"] + c["sql"]["sql_ms"] + c["sql"]["op_ms"]))
    lines.append("")
    lines.append("Medians of the timed runs; cpu = user + system time of the process. "
                 "Load average at the start: %s." % load)
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--repos", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--alembic-runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--only", choices=["r1000", "r10000"])
    ap.add_argument("--json")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    load = "%.2f %.2f %.2f" % os.getloadavg()
    results = {}
    for key in ("r1000", "r10000"):
        if args.only and key != args.only:
            continue
        repo = os.path.abspath(os.path.join(args.repos, key))
        runs = args.runs if key == "r1000" else max(3, args.runs // 2)
        alembic_runs = args.alembic_runs if key == "r1000" else max(3, args.alembic_runs // 2)
        results[key] = bench_repo(build, repo, runs, alembic_runs, args.jobs)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"load": load, "jobs": args.jobs, "results": results}, f, indent=1)
    print(table(results, load))


if __name__ == "__main__":
    main()
