#!/usr/bin/env python3
"""Symbolic links in version locations: alembic-lint loads what Alembic itself loads.

Builds small repositories with links in a temporary directory and compares `alembic-lint
heads` with Alembic's `heads` command, and checks that `check` reports no duplicate where
Alembic loads a file once (Debian's python3-alembic 1.8.1, which has no
recursive version locations: the recursive cases are in tests/cli/hostile_fs_test.cc).

Usage: links_differential.py --binary build/alembic-lint
Exit status: 0 agree, 1 disagreements, 77 Alembic is not importable (skipped).
"""

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import warnings

A, B, C = "1a2b3c4d5e6f", "2b3c4d5e6f70", "3c4d5e6f7081"


def migration(rev, down):
    down_src = "None" if down is None else f'"{down}"'
    return (f'"""m {rev}\n\nRevision ID: {rev}\nRevises: {down or ""}\n'
            f'Create Date: 2024-01-01 00:00:00\n\n"""\n'
            f'revision = "{rev}"\ndown_revision = {down_src}\n'
            "branch_labels = None\ndepends_on = None\n\n\n"
            "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def project(root, ini_extra=""):
    write(os.path.join(root, "alembic.ini"), "[alembic]\nscript_location = mig\n" + ini_extra)
    write(os.path.join(root, "mig", "env.py"), "")


def case_file_link(root):
    """A second name for a migration file: loaded once (realpath)."""
    project(root)
    write(os.path.join(root, "mig/versions/a_first.py"), migration(A, None))
    write(os.path.join(root, "mig/versions/b_second.py"), migration(B, A))
    os.symlink("b_second.py", os.path.join(root, "mig/versions/z_alias.py"))


def case_dir_link_not_recursive(root):
    """A link to a directory with a migration inside the versions directory: not loaded."""
    project(root)
    write(os.path.join(root, "mig/versions/a_first.py"), migration(A, None))
    write(os.path.join(root, "elsewhere/c_third.py"), migration(C, A))
    os.symlink(os.path.join(root, "elsewhere"), os.path.join(root, "mig/versions/linked"))


def case_location_is_link(root):
    """The versions directory is a link: followed."""
    project(root)
    write(os.path.join(root, "real/a_first.py"), migration(A, None))
    write(os.path.join(root, "real/b_second.py"), migration(B, A))
    os.symlink(os.path.join(root, "real"), os.path.join(root, "mig/versions"))


def case_overlap_through_link(root):
    """Two version locations, one a link to the other: each file loads once."""
    project(root, "version_locations = %(here)s/mig/versions %(here)s/again\n")
    write(os.path.join(root, "mig/versions/a_first.py"), migration(A, None))
    write(os.path.join(root, "mig/versions/b_second.py"), migration(B, A))
    os.symlink(os.path.join(root, "mig/versions"), os.path.join(root, "again"))


CASES = [case_file_link, case_dir_link_not_recursive, case_location_is_link,
         case_overlap_through_link]


def alembic_heads(root):
    from alembic import command
    from alembic.config import Config
    buf = io.StringIO()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        cfg = Config(os.path.join(root, "alembic.ini"), stdout=buf)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            command.heads(cfg)
    finally:
        os.chdir(cwd)
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    args = ap.parse_args()
    try:
        import alembic  # noqa: F401
    except ImportError:
        print("SKIP: alembic is not importable")
        return 77
    failed = 0
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            root = os.path.realpath(tmp)
            case(root)
            want = alembic_heads(root)
            got = subprocess.run([os.path.abspath(args.binary), "heads", root], cwd=root,
                                 capture_output=True, text=True, timeout=60).stdout
            # Alembic loads every file once and warns: no duplicate (nor a fork) to report.
            lint = subprocess.run([os.path.abspath(args.binary), "check", "--no-config",
                                   "--format", "concise", "--select",
                                   "duplicate-revision,multiple-heads", root],
                                  cwd=root, capture_output=True, text=True, timeout=60)
            if lint.returncode != 0 or lint.stdout:
                got += "\n[check] " + lint.stdout
            if got == want:
                print(f"ok   {case.__name__}: {want.strip()!r}")
            else:
                failed += 1
                print(f"FAIL {case.__name__} ({case.__doc__})\n     Alembic: {want!r}\n"
                      f"     alembic-lint: {got!r}")
    print(f"{len(CASES) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
