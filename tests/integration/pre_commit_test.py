#!/usr/bin/env python3
"""The real pre-commit (3.x) running this repository's .pre-commit-hooks.yaml, offline.

A throwaway Alembic project in its own git repository installs the `alembic-lint` hook from
a snapshot of this repository (a local path: pre-commit clones it without any network). The
hook is `language: python`: pre-commit creates its virtualenv and pip installs the snapshot
as a Python package, offline (the build backend from Debian's wheels in
/usr/share/python-wheels), with no alembic-lint on PATH. The package's build step reuses this
tree's CMake build (ALINT_CMAKE_BUILD_DIR: only brought up to date; `make test-package`
covers the from-scratch build). Then `git commit` must fail on a commit that forks the history
and on one that duplicates a revision id, printing the findings, and succeed once each is
fixed. The `alembic-lint-system` hook runs the binary on PATH the same way.
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
        build_dir = os.path.dirname(os.path.abspath(args.binary))
        path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                               if p and not os.path.exists(os.path.join(p, "alembic-lint")))
        env = it.env_with(PRE_COMMIT_HOME=os.path.join(tmp, "pre-commit-home"), PATH=path,
                          PIP_NO_INDEX="1", PIP_FIND_LINKS="/usr/share/python-wheels",
                          PIP_DISABLE_PIP_VERSION_CHECK="1", ALINT_CMAKE_BUILD_DIR=build_dir,
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
        # The hook's environment is the package pip built: installed before the first commit.
        r = subprocess.run(["pre-commit", "install-hooks"], cwd=project, env=env,
                           capture_output=True, text=True)
        print("[%s] pre-commit install-hooks (pip installs the package): exit %d" %
              ("ok" if r.returncode == 0 else "FAIL", r.returncode))
        if r.returncode != 0:
            print(r.stdout[-4000:], r.stderr[-4000:])
            failures.append("install-hooks")
            return 1
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

        # `alembic-lint-system`: the binary on PATH, no package installed.
        it.write(os.path.join(project, ".pre-commit-config.yaml"),
                 "repos:\n- repo: %s\n  rev: %s\n  hooks:\n  - id: alembic-lint-system\n" %
                 (hook_repo, rev))
        env["PATH"] = build_dir + os.pathsep + path
        fork = it.write_migration(project, "0c9d8e7f6a5b", A, "add_coupons", 5)
        commit("fork (system hook)", False, ["alembic-lint (installed binary)", "multiple-heads"])
        os.remove(fork)
        commit("fork fixed (system hook)", True)
    finally:
        status = it.finish(tmp, args.keep, failures, "pre-commit hook")
    return status


if __name__ == "__main__":
    sys.exit(main())
