#!/usr/bin/env python3
"""`alembic-lint fix` on copies of fixture repositories.

- before/after goldens (tests/integration/fix_golden/) for a safe fix (docstring fields) and an
  unsafe one (a fork rechained onto the head, then its docstring synced in the next pass);
- --diff writes nothing, exits 1, and its output applied with `patch` gives the same files as
  the fix itself;
- idempotence: a second run changes nothing (same bytes, same mtime);
- atomic writes: a write that fails half way (ALINT_FIX_FAIL_WRITE=1) leaves the file as it
  was and no temporary file behind, with one error line and exit 2; permissions are kept;
- refusals: a revision listed in `applied` and, in PR mode, a file outside the change are
  not rewritten;
- the chain verdict after the fix agrees with Alembic itself (`alembic heads`).
"""

import argparse
import filecmp
import os
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from itest_util import env_with, git  # noqa: E402

failures = []


def check(cond, what, detail=""):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        if detail:
            print("     " + detail.replace("\n", "\n     "))
        failures.append(what)


def run(binary, cwd, *args, env=None):
    return subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True,
                          env=env or env_with())


def read(path):
    with open(path, "rb") as f:
        return f.read()


def copy_case(src, dst):
    shutil.copytree(src, dst)
    return dst


def snapshot(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            out[os.path.relpath(p, root)] = (read(p), os.stat(p).st_mtime_ns)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source-dir", required=True)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    fixtures = os.path.join(args.source_dir, "fixtures")
    golden = os.path.join(HERE, "fix_golden")
    work = tempfile.mkdtemp(prefix="alint-fix-")
    try:
        # --- a safe fix: the docstring's Revision ID / Revises ------------------------------
        case = copy_case(os.path.join(fixtures, "docstring_mismatch", "bad_stale_header"),
                         os.path.join(work, "doc"))
        target = os.path.join(case, "versions", "6e0d4b2a8c13_add_email.py")
        os.chmod(target, 0o640)
        before = read(target)
        d = run(binary, work, "fix", "--no-config", "--diff", "doc")
        check(d.returncode == 1 and read(target) == before and d.stdout.startswith("--- doc/"),
              "--diff prints a diff, exits 1 and writes nothing", d.stdout + d.stderr)
        patched = copy_case(case, os.path.join(work, "doc_patched"))
        p = subprocess.run(["patch", "-p0", "-s", "-d", work, "--dry-run"], input=d.stdout,
                           capture_output=True, text=True)
        check(p.returncode == 0, "the diff applies with patch", p.stdout + p.stderr)
        shutil.rmtree(patched)

        # A failed write leaves the file as it was, and no temporary file.
        env = env_with(ALINT_FIX_FAIL_WRITE="1")
        r = run(binary, work, "fix", "--no-config", "doc", env=env)
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        check(r.returncode == 2 and len(lines) == 1 and "unchanged" in r.stderr
              and read(target) == before, "a failed write: exit 2, one line, file unchanged",
              r.stdout + r.stderr)
        leftovers = [f for f in os.listdir(os.path.dirname(target)) if ".alint-" in f]
        check(not leftovers, "a failed write leaves no temporary file", str(leftovers))

        r = run(binary, work, "fix", "--no-config", "doc")
        check(r.returncode == 0 and "Fixed 2 findings in 1 file (docstring-mismatch 2)" in r.stdout,
              "fix applies the two docstring fixes", r.stdout + r.stderr)
        check(read(target) == read(os.path.join(golden, "docstring_mismatch__6e0d4b2a8c13_add_email.py")),
              "the fixed file matches its golden")
        check(stat.S_IMODE(os.stat(target).st_mode) == 0o640, "permissions are kept")
        # The diff, applied by patch to a pristine copy, gives the same file.
        pristine = copy_case(os.path.join(fixtures, "docstring_mismatch", "bad_stale_header"),
                             os.path.join(work, "doc2"))
        d2 = run(binary, work, "fix", "--no-config", "--diff", "doc2")
        subprocess.run(["patch", "-p0", "-s", "-d", work], input=d2.stdout, capture_output=True,
                       text=True)
        check(read(os.path.join(pristine, "versions", "6e0d4b2a8c13_add_email.py")) == read(target),
              "patch with the diff gives what fix writes")
        snap = snapshot(case)
        r = run(binary, work, "fix", "--no-config", "doc")
        check(r.returncode == 0 and "No fixes to apply." in r.stdout and snapshot(case) == snap,
              "idempotent: a second run changes nothing", r.stdout)
        r = run(binary, work, "check", "--no-config", "--select", "docstring-mismatch", "doc")
        check(r.returncode == 0, "check is clean after the fix", r.stdout)

        # --- an unsafe fix: a fork rechained onto the head ----------------------------------
        case = copy_case(os.path.join(fixtures, "multiple_heads", "bad_pr_into_middle"),
                         os.path.join(work, "fork"))
        with open(os.path.join(case, "alembic.ini"), "w") as f:
            f.write("[alembic]\nscript_location = %(here)s\n")
        target = os.path.join(case, "versions", "9f8e7d6c5b4a_add_coupons.py")
        before = read(target)
        r = run(binary, case, "fix", "--no-config")
        check(r.returncode == 0 and read(target) == before and "more fix" in r.stdout,
              "without --unsafe the fork is left, and the run says so", r.stdout)
        r = run(binary, case, "fix", "--no-config", "--unsafe", "--select",
                "multiple-heads,docstring-mismatch")
        check(r.returncode == 0 and read(target) == read(
            os.path.join(golden, "multiple_heads__9f8e7d6c5b4a_add_coupons.py")),
            "--unsafe rechains the fork and syncs its docstring (golden)", r.stdout + r.stderr)
        heads = run(binary, case, "heads")
        a = subprocess.run(["/usr/bin/python3", "-m", "alembic", "heads"], cwd=case,
                           capture_output=True, text=True)
        ours = sorted(ln.split()[0] for ln in heads.stdout.splitlines() if ln.strip())
        theirs = sorted(ln.split()[0] for ln in a.stdout.splitlines() if ln.strip())
        check(a.returncode == 0 and ours == theirs == ["9f8e7d6c5b4a"],
              "after the fix Alembic sees one head, as alembic-lint does",
              f"alembic-lint: {ours}; alembic: {theirs} {a.stderr[-300:]}")

        # --- --merge: a merge revision instead of the rechain --------------------------------
        case = copy_case(os.path.join(fixtures, "multiple_heads", "bad_pr_into_middle"),
                         os.path.join(work, "merge"))
        with open(os.path.join(case, "alembic.ini"), "w") as f:
            f.write("[alembic]\nscript_location = %(here)s\n")
        before = snapshot(case)
        r = run(binary, case, "fix", "--no-config", "--merge")
        merges = [n for n in os.listdir(os.path.join(case, "versions")) if n.endswith("_merge_heads.py")]
        unchanged = all(snapshot(case).get(k) == v for k, v in before.items())
        check(r.returncode == 0 and len(merges) == 1 and unchanged,
              "--merge writes one merge revision and leaves the branches as they are",
              r.stdout + r.stderr + str(merges))
        a = subprocess.run(["/usr/bin/python3", "-m", "alembic", "heads"], cwd=case,
                           capture_output=True, text=True)
        merge_id = merges[0].split("_")[0] if merges else "?"
        check(a.returncode == 0 and a.stdout.split() == [merge_id, "(head)"],
              "Alembic sees the merge revision as the one head", a.stdout + a.stderr)
        r = run(binary, case, "check", "--no-config", "--select", "graph,docstring-mismatch")
        r2 = run(binary, case, "fix", "--no-config", "--merge")
        check(r.returncode == 0 and "No fixes to apply." in r2.stdout,
              "nothing left: no fork, no stale docstring; a second --merge does nothing",
              r.stdout + r2.stdout)

        # --- two PRs, one id: a fresh id (and file name), then the rechain, then the docstring --
        case = copy_case(os.path.join(fixtures, "duplicate_revision", "bad_two_prs_same_id"),
                         os.path.join(work, "dup"))
        with open(os.path.join(case, "alembic.ini"), "w") as f:
            f.write("[alembic]\nscript_location = %(here)s\n")
        # Without knowing what production ran, an id is never renamed.
        r = run(binary, case, "fix", "--no-config", "--unsafe")
        check(r.returncode == 1 and "a database may have run" in r.stdout
              and len(os.listdir(os.path.join(case, "versions"))) == 3
              and os.path.exists(os.path.join(case, "versions", "7c8d9e0f1a2b_add_orders_table.py")),
              "no `applied` and no --since: the id is not renamed, and the run says why", r.stdout)
        with open(os.path.join(case, ".alembic-lint.toml"), "w") as f:
            f.write('applied = ["1a2b3c4d5e6f"]\nselect = ["duplicate-revision", "multiple-heads", "docstring-mismatch"]\n')
        versions = os.path.join(case, "versions")
        d = run(binary, case, "fix", "--unsafe", "--diff")
        check(d.returncode == 1 and "rename from versions/7c8d9e0f1a2b_add_orders_table.py" in d.stdout
              and len(os.listdir(versions)) == 3, "--diff shows the rename and writes nothing",
              d.stdout + d.stderr)
        r = run(binary, case, "fix", "--unsafe")
        names = sorted(os.listdir(versions))
        new = [n for n in names if n.endswith("_add_orders_table.py")]
        check(r.returncode == 0 and len(names) == 3 and len(new) == 1
              and not new[0].startswith("7c8d9e0f1a2b"),
              "the newer duplicate gets a fresh id and its file is renamed after it",
              r.stdout + r.stderr + str(names))
        fresh = new[0].split("_")[0] if new else "?"
        text = read(os.path.join(versions, new[0])).decode() if new else ""
        check(len(fresh) == 12 and all(c in "0123456789abcdef" for c in fresh)
              and f'revision = "{fresh}"' in text and f"Revision ID: {fresh}" in text
              and 'down_revision = "7c8d9e0f1a2b"' in text and "Revises: 7c8d9e0f1a2b" in text,
              "Alembic's id form, in revision and the docstring; rechained onto the other", text)
        a = subprocess.run(["/usr/bin/python3", "-m", "alembic", "heads"], cwd=case,
                           capture_output=True, text=True)
        check(a.returncode == 0 and a.stdout.split() == [fresh, "(head)"]
              and "present more than once" not in a.stderr,
              "Alembic loads it: one head, no duplicate warning", a.stdout + a.stderr)
        snap = snapshot(case)
        r = run(binary, case, "fix", "--unsafe")
        check("No fixes to apply." in r.stdout and snapshot(case) == snap,
              "idempotent after the rename", r.stdout)

        # --- hand-typed ids: generated ones, every reference and file name following ----------
        case = copy_case(os.path.join(fixtures, "handmade_revision_id", "bad_typed"),
                         os.path.join(work, "typed"))
        with open(os.path.join(case, "alembic.ini"), "w") as f:
            f.write("[alembic]\nscript_location = %(here)s\n")
        # Production ran the first one: its id stays, the others are regenerated.
        with open(os.path.join(case, ".alembic-lint.toml"), "w") as f:
            f.write('applied = ["000000000001"]\n')
        a0 = subprocess.run(["/usr/bin/python3", "-m", "alembic", "history"], cwd=case,
                            capture_output=True, text=True)
        r = run(binary, case, "fix", "--unsafe", "--select",
                "handmade-revision-id,docstring-mismatch")
        a1 = subprocess.run(["/usr/bin/python3", "-m", "alembic", "history"], cwd=case,
                            capture_output=True, text=True)
        names = sorted(os.listdir(os.path.join(case, "versions")))
        slugs = lambda out: [ln.split(",", 1)[-1].strip() for ln in out.splitlines() if ln.strip()]
        kept = "000000000001_initial.py" in names
        check(r.returncode == 1 and "Not fixed" in r.stdout and kept and a1.returncode == 0
              and slugs(a0.stdout) == slugs(a1.stdout)
              and all(len(n.split("_")[0]) == 12 for n in names),
              "every hand-typed id replaced, references and file names following: Alembic's "
              "history has the same steps in the same order", a0.stdout + "\n" + a1.stdout + str(names))
        r = run(binary, case, "check", "--format", "concise", "--select",
                "handmade-revision-id,docstring-mismatch,filename-revision-mismatch,graph")
        left = [ln for ln in r.stdout.splitlines() if ln.strip()]
        check(len(left) == 1 and "000000000001_initial.py" in left[0]
              and "[handmade-revision-id]" in left[0],
              "nothing left to report but the applied one's own id", r.stdout)

        # --- an unsafe fix inside the migration: SET LOCAL lock_timeout first ----------------
        case = copy_case(os.path.join(fixtures, "missing_lock_timeout", "bad_add_column"),
                         os.path.join(work, "timeout"))
        target = os.path.join(case, "versions", "d9f97b1e73d1_add_email_to_users.py")
        r = run(binary, case, "fix", "--no-config", "--unsafe", "--select", "missing-lock-timeout")
        check(r.returncode == 0 and read(target) == read(
            os.path.join(golden, "missing_lock_timeout__d9f97b1e73d1_add_email_to_users.py")),
            "--unsafe sets lock_timeout at the top of upgrade() and downgrade() (golden)",
            r.stdout + r.stderr)
        r = run(binary, case, "check", "--no-config", "--select", "missing-lock-timeout")
        check(r.returncode == 0, "no missing-lock-timeout left after the fix", r.stdout)

        # --- an unsafe fix: CREATE INDEX moved to a concurrent build in autocommit_block() ----
        case = copy_case(os.path.join(fixtures, "create_index_non_concurrent",
                                      "bad_ini_url_replaced_in_env_py"),
                         os.path.join(work, "index"))
        target = os.path.join(case, "migrations", "versions", "695ed27b2938_email_index.py")
        r = run(binary, case, "fix", "--unsafe", "--select", "create-index-non-concurrent")
        check(r.returncode == 0 and read(target) == read(
            os.path.join(golden, "create_index_non_concurrent__695ed27b2938_email_index.py")),
            "--unsafe builds the index concurrently in autocommit_block() (golden)",
            r.stdout + r.stderr)
        c = subprocess.run(["/usr/bin/python3", "-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())",
                            target], capture_output=True, text=True)
        r = run(binary, case, "check", "--select",
                "create-index-non-concurrent,concurrent-in-transaction,parse-error")
        check(c.returncode == 0 and r.returncode == 0,
              "the fixed migration parses, and nothing is left to report", r.stdout + c.stderr)

        # --- refusals: production history, and files outside the change ---------------------
        case = copy_case(os.path.join(fixtures, "docstring_mismatch", "bad_stale_header"),
                         os.path.join(work, "applied"))
        target = os.path.join(case, "versions", "6e0d4b2a8c13_add_email.py")
        before = read(target)
        with open(os.path.join(case, ".alembic-lint.toml"), "w") as f:
            f.write('applied = ["6e0d4b2a8c13"]\n')
        r = run(binary, case, "fix")
        check(r.returncode == 1 and read(target) == before
              and "production already ran (`applied`)" in r.stdout,
              "a revision in `applied` is not rewritten", r.stdout + r.stderr)

        repo = os.path.join(work, "pr")
        copy_case(os.path.join(fixtures, "docstring_mismatch", "bad_stale_header"), repo)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")
        with open(os.path.join(repo, "versions", "7f1e5c3b9d24_add_phone.py"), "w") as f:
            f.write('"""add phone\n\nRevision ID: 0000aaaa0000\nRevises: 6e0d4b2a8c13\n"""\n'
                    'revision = "7f1e5c3b9d24"\ndown_revision = "6e0d4b2a8c13"\n')
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "pr")
        old = read(os.path.join(repo, "versions", "6e0d4b2a8c13_add_email.py"))
        r = run(binary, repo, "fix", "--no-config", "--since", "HEAD~1", ".")
        new_text = read(os.path.join(repo, "versions", "7f1e5c3b9d24_add_phone.py")).decode()
        check("Revision ID: 7f1e5c3b9d24" in new_text
              and read(os.path.join(repo, "versions", "6e0d4b2a8c13_add_email.py")) == old,
              "PR mode: the changed file is fixed, the others are left alone",
              r.stdout + r.stderr + new_text)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
