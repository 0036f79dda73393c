#!/usr/bin/env python3
"""A tree configured with -DALINT_BUNDLED_DEPS=ON uses no system copy of what it bundles.

Proved three ways on the built tree (Ninja):
- every header our objects were compiled with (`ninja -t deps`, the compiler's own record)
  that belongs to a bundled library comes from the tree's _deps/, none from /usr (and each
  bundled library was seen at least once, so the check cannot pass empty);
- the executable's link command names no system library of them;
- `ldd` lists no shared library of them (libpq, which is never bundled, may appear).
Then a fresh configure with pkg-config pointed at an empty directory and every CMake package
of the bundled libraries disabled must pick the pinned copies for all of them: the build
does not need their -dev packages.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

# bundled library -> how its headers are included
HEADERS = {
    "fmt": re.compile(r"/fmt/[a-z_]+\.h$"),
    "json": re.compile(r"/nlohmann/json\.hpp$"),
    "toml": re.compile(r"/toml\+\+/toml\.h$"),
    "cli11": re.compile(r"/CLI/CLI\.hpp$"),
    "re2": re.compile(r"/re2/re2\.h$"),
    "simdjson": re.compile(r"/simdjson\.h$"),
    "tree_sitter": re.compile(r"/tree_sitter/api\.h$"),
    "pg_query": re.compile(r"/pg_query\.h$"),
}
SHARED = re.compile(r"lib(fmt|re2|simdjson|tree-sitter|tomlplusplus|pg_query|mimalloc)\b")
OUR_OBJECTS = re.compile(r"^CMakeFiles/(alint_engine|alint_rules|alint_db|alint|alembic-lint)\.dir/")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--source-dir", required=True)
    args = ap.parse_args()
    build = os.path.abspath(args.build_dir)
    failures = []

    def check(name, ok, detail=""):
        print("[%s] %s" % ("ok" if ok else "FAIL", name))
        if not ok:
            failures.append(name)
            if detail:
                print(detail[-4000:])

    with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8") as f:
        cache = f.read()
    if "ALINT_BUNDLED_DEPS:STRING=ON" not in cache:
        print("this tree is not configured with -DALINT_BUNDLED_DEPS=ON")
        return 1

    deps = subprocess.run(["ninja", "-C", build, "-t", "deps"], capture_output=True,
                          text=True, check=True).stdout
    seen = {k: 0 for k in HEADERS}
    system = []
    obj = None
    for line in deps.splitlines():
        if line and not line.startswith(" "):
            obj = line.split(":", 1)[0]
            continue
        path = line.strip()
        if not path or obj is None or not OUR_OBJECTS.match(obj):
            continue
        for lib, pat in HEADERS.items():
            if pat.search(path):
                full = os.path.normpath(os.path.join(build, path))
                if full.startswith(os.path.join(build, "_deps") + os.sep):
                    seen[lib] += 1
                else:
                    system.append("%s: %s" % (obj, path))
    check("no header of a bundled library comes from the system", not system,
          "\n".join(system[:40]))
    missing = [k for k, n in seen.items() if n == 0]
    check("every bundled library's headers were used from _deps/ (%s)" %
          ", ".join("%s %d" % kv for kv in sorted(seen.items())), not missing,
          "never seen: " + ", ".join(missing))

    cmds = subprocess.run(["ninja", "-C", build, "-t", "commands", "alembic-lint"],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    link = next((c for c in reversed(cmds) if " -o alembic-lint " in c), "")
    bad = [w for w in link.split() if SHARED.search(w) and not w.startswith("_deps/")
           and "alint_bundled" not in w]
    check("the link command names no system copy", bool(link) and not bad,
          link if not bad else " ".join(bad))

    ldd = subprocess.run(["ldd", os.path.join(build, "alembic-lint")], capture_output=True,
                         text=True).stdout
    check("ldd: no shared library of a bundled dependency",
          "libc.so" in ldd and not SHARED.search(ldd), ldd)

    # pkg-config sees nothing and every CMake package is disabled: AUTO picks the pinned copies.
    tmp = tempfile.mkdtemp(prefix="alint-bundled-")
    try:
        empty = os.path.join(tmp, "pkgconfig")
        os.makedirs(empty)
        env = dict(os.environ, PKG_CONFIG_LIBDIR=empty, PKG_CONFIG_PATH="")
        r = subprocess.run(
            ["cmake", "-S", args.source_dir, "-B", os.path.join(tmp, "b"),
             "-DALINT_BUILD_TESTS=OFF", "-DPG_QUERY_INCLUDE_DIR=/nonexistent",
             "-DALINT_DOWNLOAD_DIR=" + os.path.join(build, "_deps", "downloads")] +
            ["-DCMAKE_DISABLE_FIND_PACKAGE_%s=ON" % p for p in
             ("fmt", "nlohmann_json", "simdjson", "tomlplusplus", "CLI11", "mimalloc")],
            capture_output=True, text=True, env=env)
        out = " ".join((r.stdout + r.stderr).split())
        check("without pkg-config's or CMake's copies, AUTO builds the pinned ones",
              r.returncode == 0 and "Built from pinned copies: tree_sitter, re2, fmt, json, "
              "simdjson, toml, cli11, pg_query" in out, r.stdout + r.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print("bundled dependencies: no system copy used")
    return 0


if __name__ == "__main__":
    sys.exit(main())
