#!/usr/bin/env python3
"""The Python package (pyproject.toml + setup.py) installed by pip into a clean virtualenv.

The work tree is snapshotted (what `pip install git+<url>` or pre-commit would fetch), a
virtualenv is created with Debian's python3, and pip installs the snapshot with no package
index at all: the build backend (setuptools, wheel) comes from Debian's wheels in
/usr/share/python-wheels, and every network access is pointed at a closed port. Then the
installed `alembic-lint` console script must report the project's version, lint the demo
repository (findings, exit status 1) and run as `python -m alembic_lint`.

--cmake-build-dir reuses a configured CMake tree (the build step only brings its
`alembic-lint` target up to date), which is what `make test` does; without it the package
builds the linter from scratch, as a user's `pip install` does (`make test-package`);
--bundled makes that build the release one: every library from its pinned copy
(-DALINT_BUNDLED_DEPS=ON, the flags of .github/workflows/release.yml) with pkg-config pointed
at an empty directory, and the installed executable must load no shared library of them.

The install goes through a wheel, as the release workflow's does: `pip wheel` builds it, the
wheel must be a platform wheel for any Python 3 (`py3-none-<platform>`) carrying the executable
and, when libraries were bundled, their licenses; then pip installs that wheel.
"""

import argparse
import glob
import os
import re
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itest_util as it  # noqa: E402

WHEELS = "/usr/share/python-wheels"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--cmake-build-dir", help="reuse this configured CMake tree")
    ap.add_argument("--bundled", action="store_true",
                    help="from scratch: build with -DALINT_BUNDLED_DEPS=ON, pkg-config hidden")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    source = os.path.abspath(args.source_dir)
    if not os.path.isdir(WHEELS) or not any(n.startswith("setuptools-") for n in os.listdir(WHEELS)):
        print("Debian's setuptools wheel is missing (apt-get install python3-setuptools-whl "
              "python3-wheel-whl python3-venv)")
        return 1
    with open(os.path.join(source, "CMakeLists.txt"), encoding="utf-8") as f:
        version = re.search(r"project\(alembic_lint VERSION ([0-9.]+)", f.read()).group(1)

    tmp = it.tempdir("alint-package-")
    failures = []
    try:
        snapshot = os.path.join(tmp, "src")
        it.snapshot_source(source, snapshot)
        venv = os.path.join(tmp, "venv")
        subprocess.run(["/usr/bin/python3", "-m", "venv", venv], check=True)
        env = it.env_with(PIP_NO_INDEX="1", PIP_FIND_LINKS=WHEELS,
                          PIP_DISABLE_PIP_VERSION_CHECK="1",
                          http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9",
                          HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9")
        env.pop("ALINT_CMAKE_BUILD_DIR", None)
        if args.cmake_build_dir:
            env["ALINT_CMAKE_BUILD_DIR"] = os.path.abspath(args.cmake_build_dir)
        else:
            # The configure step downloads the grammar (and any pinned library): let it reach
            # the registries.
            for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
                env.pop(k, None)
        bundled = args.bundled
        if args.cmake_build_dir:
            with open(os.path.join(args.cmake_build_dir, "CMakeCache.txt"), encoding="utf-8") as f:
                bundled = "ALINT_BUNDLED_DEPS:STRING=ON" in f.read()
        elif args.bundled:
            empty = os.path.join(tmp, "pkgconfig-empty")
            os.makedirs(empty)
            env["PKG_CONFIG_LIBDIR"] = empty
            env["PKG_CONFIG_PATH"] = ""
            env["CMAKE_ARGS"] = (env.get("CMAKE_ARGS", "") +
                                 " -DALINT_BUNDLED_DEPS=ON -DALINT_WITH_LIBPQ=ON").strip()

        def check(name, ok, detail=""):
            print("[%s] %s" % ("ok" if ok else "FAIL", name))
            if not ok:
                failures.append(name)
                if detail:
                    print(detail)

        pip = os.path.join(venv, "bin", "pip")
        wheelhouse = os.path.join(tmp, "wheelhouse")
        r = subprocess.run([pip, "wheel", "--no-deps", "-w", wheelhouse, snapshot], env=env,
                           capture_output=True, text=True)
        print(r.stdout[-3000:], r.stderr[-3000:], sep="\n")
        wheels = glob.glob(os.path.join(wheelhouse, "*.whl"))
        if r.returncode != 0 or len(wheels) != 1:
            failures.append("pip wheel exited %d (%d wheels)" % (r.returncode, len(wheels)))
            return 1
        wheel = wheels[0]
        check("the wheel is alembic_lint-%s-py3-none-<platform> (%s)" %
              (version, os.path.basename(wheel)),
              re.fullmatch(r"alembic_lint-%s-py3-none-linux_[a-z0-9_]+\.whl" % re.escape(version),
                           os.path.basename(wheel)) is not None)
        with zipfile.ZipFile(wheel) as z:
            names = z.namelist()
            licenses = (z.read("alembic_lint/THIRD_PARTY_LICENSES.txt").decode()
                        if "alembic_lint/THIRD_PARTY_LICENSES.txt" in names else "")
        check("the wheel carries the executable", "alembic_lint/bin/alembic-lint" in names,
              "\n".join(names))
        check("the wheel carries the grammar's license", "==== tree-sitter-python" in licenses,
              licenses[:2000])
        if bundled:
            want = ["tree-sitter", "re2", "fmt", "nlohmann-json", "simdjson", "cli11",
                    "tomlplusplus", "libpg_query"]
            check("the wheel carries every bundled library's license",
                  all(("==== %s\n" % w) in licenses for w in want),
                  [w for w in want if ("==== %s\n" % w) not in licenses])
        r = subprocess.run([pip, "install", wheel], env=env, capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout[-3000:], r.stderr[-3000:], sep="\n")
            failures.append("pip install of the wheel exited %d" % r.returncode)
            return 1
        exe = os.path.join(venv, "bin", "alembic-lint")

        v = subprocess.run([exe, "--version"], capture_output=True, text=True)
        check("--version is the project's version",
              v.returncode == 0 and v.stdout.strip() == "alembic-lint " + version, v.stdout + v.stderr)
        demo = os.path.join(source, "fixtures", "demo")
        c = subprocess.run([exe, "check", "--color", "never", demo], capture_output=True, text=True)
        check("check of the demo repository finds the forked history (exit 1)",
              c.returncode == 1 and "error[multiple-heads]" in c.stdout, c.stdout[-2000:] + c.stderr)
        m = subprocess.run([os.path.join(venv, "bin", "python"), "-m", "alembic_lint", "rules"],
                           capture_output=True, text=True)
        check("python -m alembic_lint runs the same program",
              m.returncode == 0 and "multiple-heads" in m.stdout, m.stdout[-2000:] + m.stderr)
        # The console script replaces the Python process: the program's exit status, unchanged.
        u = subprocess.run([exe, "check", "--no-such-flag"], capture_output=True, text=True)
        check("usage errors keep exit status 2", u.returncode == 2, u.stdout + u.stderr)
        # The release workflow's wheel test, then its standalone archives.
        smoke = subprocess.run(["/usr/bin/python3", os.path.join(source, "packaging", "smoke_test.py"),
                                source], capture_output=True, text=True,
                               env=dict(env, PATH=os.path.join(venv, "bin") + os.pathsep + env["PATH"]))
        check("the release workflow's smoke test passes", smoke.returncode == 0,
              smoke.stdout + smoke.stderr)
        archives = os.path.join(tmp, "archives")
        a = subprocess.run(["sh", os.path.join(source, "packaging", "release_archives.sh"),
                            wheelhouse, archives], capture_output=True, text=True)
        tarball = os.path.join(archives, "alembic-lint-%s-%s.tar.gz" % (
            version, os.path.basename(wheel).split("-none-")[1][:-len(".whl")]))
        unpacked = os.path.join(tmp, "unpacked")
        os.makedirs(unpacked)
        ok = a.returncode == 0 and os.path.exists(tarball) and subprocess.run(
            ["tar", "-xzf", tarball, "-C", unpacked]).returncode == 0
        top = os.path.join(unpacked, os.path.basename(tarball)[:-len(".tar.gz")], "alembic-lint")
        av = subprocess.run([top, "--version"], capture_output=True, text=True) if ok else None
        with open(os.path.join(archives, "SHA256SUMS")) if ok else open(os.devnull) as f:
            sums = f.read()
        check("release_archives.sh: a standalone archive whose alembic-lint runs, with SHA256SUMS",
              ok and av.returncode == 0 and av.stdout.strip() == "alembic-lint " + version and
              os.path.basename(tarball) in sums, a.stdout + a.stderr + (av.stderr if av else ""))
        shown = subprocess.run([pip, "show", "-f", "alembic-lint"], env=env, capture_output=True,
                               text=True).stdout
        check("the package version follows CMakeLists.txt", "Version: " + version in shown, shown)
        check("the executable is installed inside the package",
              "alembic_lint/bin/alembic-lint" in shown, shown)
        if bundled:
            installed = os.path.join(os.path.dirname(exe), "..", "lib")
            binary = glob.glob(os.path.join(installed, "python3*", "site-packages", "alembic_lint",
                                            "bin", "alembic-lint"))
            ldd = subprocess.run(["ldd"] + binary[:1], capture_output=True, text=True).stdout
            check("the installed executable loads no shared copy of a bundled library",
                  bool(binary) and "libc.so" in ldd and not re.search(
                      r"lib(fmt|re2|simdjson|tree-sitter|tomlplusplus|pg_query|mimalloc)\b", ldd),
                  ldd)
    finally:
        status = it.finish(tmp, args.keep, failures, "python package")
    return status


if __name__ == "__main__":
    sys.exit(main())
