#!/usr/bin/env python3
"""A missing library stops CMake's configure step with one message that names it and the
package providing it on Debian/Ubuntu, Fedora, Alpine and Homebrew (cmake/Dependencies.cmake).

Each library is hidden in turn (CMAKE_DISABLE_FIND_PACKAGE_<name>, or a path without the
library for libpg_query) in a throwaway build directory.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

CASES = [
    # (what the message names, the Debian package it must suggest, extra cmake arguments)
    ("{fmt}", "libfmt-dev", ["-DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON"]),
    ("simdjson", "libsimdjson-dev", ["-DCMAKE_DISABLE_FIND_PACKAGE_simdjson=ON"]),
    ("CLI11", "libcli11-dev", ["-DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON"]),
    ("libpq", "libpq-dev", ["-DCMAKE_DISABLE_FIND_PACKAGE_PostgreSQL=ON"]),
    ("libpg_query", "libpg-query-dev",
     ["-DPG_QUERY_INCLUDE_DIR=/nonexistent/include"]),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    args = ap.parse_args()
    failures = []
    for what, debian, extra in CASES:
        tmp = tempfile.mkdtemp(prefix="alint-missing-dep-")
        try:
            r = subprocess.run(["cmake", "-S", args.source_dir, "-B", tmp,
                                "-DALINT_BUILD_TESTS=OFF"] + extra,
                               capture_output=True, text=True)
            out = r.stdout + r.stderr
            flat = " ".join(out.split())
            ok = (r.returncode != 0 and ("alembic-lint needs " + what) in flat and
                  ("apt-get install " + debian) in flat and "brew install" in flat and
                  "apk add" in flat and "dnf install" in flat)
            print("[%s] missing %s: exit %d" % ("ok" if ok else "FAIL", what, r.returncode))
            if not ok:
                failures.append(what)
                print(out[-3000:])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print("missing dependencies: all messages right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
