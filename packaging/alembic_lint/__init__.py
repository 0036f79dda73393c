"""alembic-lint, installed as a Python package.

The linter is a C++ program; the package carries it as `alembic_lint/bin/alembic-lint`, and
the `alembic-lint` console script (`main`) replaces the Python process with it, so arguments,
standard streams, signals and the exit status are the program's own.
"""

import os
import sys

__all__ = ["binary", "main"]


def binary():
    """The path of the alembic-lint executable inside this package."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "alembic-lint")


def main():
    path = binary()
    if not os.access(path, os.X_OK):
        sys.stderr.write("alembic-lint: the package is incomplete: %s is missing; "
                         "reinstall it (pip install --force-reinstall alembic-lint)\n" % path)
        return 2
    os.execv(path, [path] + sys.argv[1:])
