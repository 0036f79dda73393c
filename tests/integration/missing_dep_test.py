#!/usr/bin/env python3
"""What the configure step does when a library is missing (cmake/Dependencies.cmake,
cmake/Fetch.cmake), each case in a throwaway build directory.

- ALINT_BUNDLED_DEPS=OFF: one error that names the library and the package providing it on
  Debian/Ubuntu, Fedora, Alpine and Homebrew (the library is hidden with
  CMAKE_DISABLE_FIND_PACKAGE_<name>, or a path without it for libpg_query).
- AUTO (the default): the pinned copy is fetched instead and the configure step succeeds,
  saying so; libpq is never fetched: the build goes on without `status` (ON requires it).
- A download that does not have the pinned hash is refused, and an unreachable mirror names
  the file an offline build can put in place. The mirror is a file:// directory here.

Downloads go to --download-dir, kept between runs, so the pinned archives are fetched once.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

FOUR = ("brew install", "apk add", "dnf install")

OFF_CASES = [
    # (what the message names, the Debian package it must suggest, extra cmake arguments)
    ("{fmt}", "libfmt-dev", ["-DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON"]),
    ("simdjson", "libsimdjson-dev", ["-DCMAKE_DISABLE_FIND_PACKAGE_simdjson=ON"]),
    ("CLI11", "libcli11-dev", ["-DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON"]),
    ("libpg_query", "libpg-query-dev", ["-DPG_QUERY_INCLUDE_DIR=/nonexistent/include"]),
]


def configure(source, extra, download_dir):
    tmp = tempfile.mkdtemp(prefix="alint-missing-dep-")
    try:
        r = subprocess.run(["cmake", "-S", source, "-B", tmp, "-DALINT_BUILD_TESTS=OFF",
                            "-DALINT_DOWNLOAD_DIR=" + download_dir] + extra,
                           capture_output=True, text=True)
        return r.returncode, " ".join((r.stdout + r.stderr).split()), r.stdout + r.stderr
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--download-dir", required=True)
    args = ap.parse_args()
    source = os.path.abspath(args.source_dir)
    downloads = os.path.abspath(args.download_dir)
    failures = []

    def check(name, ok, rc, out):
        print("[%s] %s: exit %d" % ("ok" if ok else "FAIL", name, rc))
        if not ok:
            failures.append(name)
            print(out[-3000:])

    for what, debian, extra in OFF_CASES:
        rc, flat, out = configure(source, ["-DALINT_BUNDLED_DEPS=OFF"] + extra, downloads)
        ok = (rc != 0 and ("alembic-lint needs " + what) in flat and
              ("apt-get install " + debian) in flat and all(f in flat for f in FOUR))
        check("OFF, missing " + what, ok, rc, out)

    rc, flat, out = configure(source, ["-DALINT_WITH_LIBPQ=ON",
                                       "-DCMAKE_DISABLE_FIND_PACKAGE_PostgreSQL=ON"], downloads)
    check("ALINT_WITH_LIBPQ=ON, missing libpq",
          rc != 0 and "alembic-lint needs libpq" in flat and "apt-get install libpq-dev" in flat
          and all(f in flat for f in FOUR), rc, out)

    rc, flat, out = configure(source, ["-DCMAKE_DISABLE_FIND_PACKAGE_PostgreSQL=ON"], downloads)
    check("AUTO, missing libpq: built without status",
          rc == 0 and "libpq not found: building without `alembic-lint status`" in flat and
          "apt-get install libpq-dev" in flat, rc, out)

    rc, flat, out = configure(source, ["-DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON",
                                       "-DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON"], downloads)
    check("AUTO, missing fmt and CLI11: the pinned copies",
          rc == 0 and "{fmt}: not found on this system; building the pinned copy" in flat and
          "CLI11: not found on this system; building the pinned copy" in flat and
          "Built from pinned copies: fmt, cli11" in flat, rc, out)

    # A mirror that serves the wrong bytes, and one that serves nothing.
    mirror = tempfile.mkdtemp(prefix="alint-mirror-")
    empty_downloads = tempfile.mkdtemp(prefix="alint-downloads-")
    try:
        # The grammar is needed by every configure: share the one already downloaded.
        for n in os.listdir(downloads):
            if n.startswith("tree-sitter-python-"):
                shutil.copy(os.path.join(downloads, n), empty_downloads)
        pool = os.path.join(mirror, "pool", "main", "f", "fmtlib")
        os.makedirs(pool)
        for name in ("fmtlib_9.1.0+ds1.orig.tar.gz", "fmtlib_9.1.0%2bds1.orig.tar.gz"):
            with open(os.path.join(pool, name), "wb") as f:
                f.write(b"not the fmt sources\n")
        rc, flat, out = configure(source, ["-DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON",
                                           "-DALINT_DEBIAN_MIRROR=file://" + mirror],
                                  empty_downloads)
        check("a download without the pinned hash is refused",
              rc != 0 and "does not have the pinned SHA256; refusing to build with it" in flat
              and "84ce1c2d0be3a9863935137969dcec6970125caac032f82474640bfc81463583" in flat
              and not os.path.exists(os.path.join(empty_downloads,
                                                  "fmtlib_9.1.0+ds1.orig.tar.gz")),
              rc, out)
        rc, flat, out = configure(source, ["-DALINT_BUNDLED_DEPS=ON",
                                           "-DALINT_DEBIAN_MIRROR=file://" + mirror + "/none"],
                                  empty_downloads)
        check("an unreachable mirror names the file to put in place",
              rc != 0 and "alembic-lint could not download tree-sitter" in flat and
              os.path.join(empty_downloads, "tree-sitter_0.20.7.orig.tar.xz") in flat, rc, out)
    finally:
        shutil.rmtree(mirror, ignore_errors=True)
        shutil.rmtree(empty_downloads, ignore_errors=True)

    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print("missing dependencies: every case right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
