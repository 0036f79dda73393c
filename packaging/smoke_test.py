#!/usr/bin/env python3
"""The check every built package must pass (the release workflow's wheel test, and
tests/integration/package_test.py locally): the `alembic-lint` found on PATH reports the
project's version and finds the forked history of the demo repository (exit status 1).

Usage: smoke_test.py SOURCE_DIR
"""

import os
import re
import shutil
import subprocess
import sys


def main():
    source = os.path.abspath(sys.argv[1])
    with open(os.path.join(source, "CMakeLists.txt"), encoding="utf-8") as f:
        version = re.search(r"project\(alembic_lint VERSION ([0-9.]+)", f.read()).group(1)
    exe = shutil.which("alembic-lint")
    if exe is None:
        print("smoke test: no alembic-lint on PATH")
        return 1
    v = subprocess.run([exe, "--version"], capture_output=True, text=True)
    if v.returncode != 0 or v.stdout.strip() != "alembic-lint " + version:
        print("smoke test: `alembic-lint --version` said %r (exit %d), expected %r" %
              (v.stdout + v.stderr, v.returncode, "alembic-lint " + version))
        return 1
    c = subprocess.run([exe, "check", "--color", "never", os.path.join(source, "fixtures", "demo")],
                       capture_output=True, text=True)
    if c.returncode != 1 or "error[multiple-heads]" not in c.stdout:
        print("smoke test: the demo check exited %d without the multiple-heads finding:\n%s%s" %
              (c.returncode, c.stdout[-2000:], c.stderr))
        return 1
    print("smoke test: %s %s lints the demo repository" % (exe, version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
