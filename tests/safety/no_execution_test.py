#!/usr/bin/env python3
"""alembic-lint never runs project code.

fixtures/repos/import_side_effect holds a migration that writes a marker file when imported.
Every alembic-lint command that reads migrations runs on a copy of it; the marker must not
appear. Then Alembic itself loads the copy, which must create the marker: that proves the
fixture really executes on import, so the first half of the test can fail.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

MARKER = "IMPORTED_BY_PYTHON"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    src = os.path.join(args.source, "fixtures", "repos", "import_side_effect")
    tmp = tempfile.mkdtemp(prefix="alint-noexec-")
    passed = failed = 0
    try:
        repo = os.path.join(tmp, "repo")
        shutil.copytree(src, repo)
        versions = os.path.join(repo, "versions")
        migration = [f for f in os.listdir(versions) if f.endswith(".py")][0]
        commands = [
            ["check", "--no-config", versions],
            ["check", "--no-config", "--select", "ALL", "--format", "json", versions],
            ["check", "--no-config", os.path.join(versions, migration)],
            ["heads", versions],
            ["heads", "--format", "json", versions],
        ]
        for cmd in commands:
            proc = subprocess.run([args.binary] + cmd, capture_output=True, text=True)
            created = os.path.exists(os.path.join(versions, MARKER))
            ok = proc.returncode in (0, 1) and not created
            print("%s: alembic-lint %s (exit %d)%s" % ("PASS" if ok else "FAIL", " ".join(cmd),
                  proc.returncode, "; the migration was EXECUTED" if created else ""))
            if proc.returncode not in (0, 1):
                print(proc.stderr)
            passed += ok
            failed += not ok
        # Control: Alembic imports the file, so the marker must appear now.
        from alembic.script import ScriptDirectory
        ScriptDirectory(repo, version_locations=[versions]).get_heads()
        live = os.path.exists(os.path.join(versions, MARKER))
        print("%s: the fixture executes when Alembic imports it" % ("PASS" if live else "FAIL"))
        passed += live
        failed += not live
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
