#!/usr/bin/env python3
"""The real pre-commit (3.x) running this repository's .pre-commit-hooks.yaml, offline.

A throwaway Alembic project in its own git repository installs the `alembic-lint` hook from
a snapshot of this repository (a local path: pre-commit clones it without any network). Then
`git commit` must fail on a commit that forks the history and on one that duplicates a
revision id, printing the findings, and succeed once each is fixed. The hook finds the
alembic-lint under test on PATH (the hook's first-use build is the same cmake build `make`
runs, so it is not repeated here).
"""

import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itest_util as it  # noqa: E402

A, B, C, D = "3f9a1c7e5b20", "8d2e4b6a0c19", "c71f0e9d3a58", "5be6a2d8f047"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    if shutil.which("pre-commit") is None:
        print("pre-commit is not installed (Debian: apt-get install pre-commit)")
        return 1

    tmp = it.tempdir("alint-precommit-")
    failures = []
    try:
        hook_repo = os.path.join(tmp, "alembic-lint")
        rev = it.snapshot_source(os.path.abspath(args.source_dir), hook_repo)
        env = it.env_with(PRE_COMMIT_HOME=os.path.join(tmp, "pre-commit-home"),
                          PATH=os.path.dirname(os.path.abspath(args.binary)) + os.pathsep +
                          os.environ.get("PATH", ""),
                          # No network: any attempt to reach one fails fast.
                          http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9",
                          HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9")
        env.pop("ALEMBIC_LINT", None)

        project = it.new_project(os.path.join(tmp, "project"))
        it.write(os.path.join(project, ".pre-commit-config.yaml"),
                 "repos:\n- repo: %s\n  rev: %s\n  hooks:\n  - id: alembic-lint\n" %
                 (hook_repo, rev))
        it.write_migration(project, A, None, "create_users", 1)
        it.write_migration(project, B, A, "add_orders", 2)
        subprocess.run(["pre-commit", "install"], cwd=project, env=env, check=True,
                       capture_output=True)

        def commit(message, expect_ok, expect_in=()):
            it.git(project, "add", "-A", env=env)
            r = subprocess.run(["git", "commit", "-q", "-m", message], cwd=project, env=env,
                               capture_output=True, text=True)
            out = r.stdout + r.stderr
            ok = r.returncode == 0
            status = "ok" if ok == expect_ok else "FAIL"
            print("[%s] commit %r: exit %d (expected %s)" %
                  (status, message, r.returncode, "success" if expect_ok else "failure"))
            if ok != expect_ok:
                failures.append(message)
                print(out)
            for needle in expect_in:
                if needle not in out:
                    failures.append("%s: %r not in the hook output" % (message, needle))
                    print("  missing %r in:\n%s" % (needle, out))
            return out

        commit("initial chain", True)
        # A second migration on A: A now has two children, the history two heads.
        fork = it.write_migration(project, C, A, "add_payments", 3)
        out = commit("fork", False, ["alembic-lint", "multiple-heads", C,
                                     "alembic merge"])
        if "Passed" in out and "Failed" not in out:
            failures.append("fork: the hook output says Passed")
        os.remove(fork)
        it.write_migration(project, C, B, "add_payments", 3)
        commit("fork fixed", True)

        # A new file reusing B's revision id.
        dup = it.write_migration(project, B, C, "add_refunds", 4)
        commit("duplicate id", False, ["duplicate-revision", B])
        os.remove(dup)
        it.write_migration(project, D, C, "add_refunds", 4)
        commit("duplicate fixed", True)

        # Only migration files reach the hook: a commit without any skips it.
        it.write(os.path.join(project, "README.md"), "docs\n")
        out = commit("no migrations", True)
        if "alembic-lint" in out and "Skipped" not in out and "no files to check" not in out:
            failures.append("no migrations: the hook ran: " + out)
    finally:
        if args.keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print("pre-commit hook: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
