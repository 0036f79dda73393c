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
builds the linter from scratch, as a user's `pip install` does (`make test-package`).
"""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itest_util as it  # noqa: E402

WHEELS = "/usr/share/python-wheels"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--cmake-build-dir", help="reuse this configured CMake tree")
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
            # npm fetches the grammar at configure time: let it reach its registry.
            for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
                env.pop(k, None)
        pip = os.path.join(venv, "bin", "pip")
        r = subprocess.run([pip, "install", snapshot], env=env, capture_output=True, text=True)
        print(r.stdout[-3000:], r.stderr[-3000:], sep="\n")
        if r.returncode != 0:
            failures.append("pip install exited %d" % r.returncode)
            return 1
        exe = os.path.join(venv, "bin", "alembic-lint")

        def check(name, ok, detail=""):
            print("[%s] %s" % ("ok" if ok else "FAIL", name))
            if not ok:
                failures.append(name)
                if detail:
                    print(detail)

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
        shown = subprocess.run([pip, "show", "-f", "alembic-lint"], env=env, capture_output=True,
                               text=True).stdout
        check("the package version follows CMakeLists.txt", "Version: " + version in shown, shown)
        check("the executable is installed inside the package",
              "alembic_lint/bin/alembic-lint" in shown, shown)
    finally:
        status = it.finish(tmp, args.keep, failures, "python package")
    return status


if __name__ == "__main__":
    sys.exit(main())
