"""Helpers shared by the integration tests: throwaway Alembic projects in git repositories."""

import os
import shutil
import subprocess
import tempfile

MIGRATION = '''"""{message}

Revision ID: {rev}
Revises: {down_doc}
Create Date: {date}

"""
from alembic import op
import sqlalchemy as sa

revision = "{rev}"
down_revision = {down}
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''

ALEMBIC_INI = """[alembic]
script_location = migrations
"""

ENV_PY = "# env.py: never imported by alembic-lint\n"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "alint test",
    "GIT_AUTHOR_EMAIL": "alint@example.invalid",
    "GIT_COMMITTER_NAME": "alint test",
    "GIT_COMMITTER_EMAIL": "alint@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def env_with(**extra):
    env = dict(os.environ)
    env.update(GIT_ENV)
    env.pop("GITHUB_ACTIONS", None)  # the CLI would switch to --format github
    env.update(extra)
    return env


def git(repo, *args, check=True, env=None):
    r = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True,
                       env=env or env_with())
    if check and r.returncode != 0:
        raise RuntimeError("git %s failed: %s" % (" ".join(args), r.stderr))
    return r.stdout


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def migration_path(project, rev, slug):
    return os.path.join(project, "migrations", "versions", "%s_%s.py" % (rev, slug))


def write_migration(project, rev, down, slug, day=1):
    """Writes migrations/versions/<rev>_<slug>.py as `alembic revision` would; returns it."""
    path = migration_path(project, rev, slug)
    write(path, MIGRATION.format(message=slug.replace("_", " "), rev=rev,
                                 down_doc=down or "", date="2024-01-%02d 10:00:00" % day,
                                 down='"%s"' % down if down else "None"))
    return path


def new_project(root):
    """An Alembic project (alembic.ini, migrations/env.py) in a fresh git repository."""
    os.makedirs(root, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write(os.path.join(root, "alembic.ini"), ALEMBIC_INI)
    write(os.path.join(root, "migrations", "env.py"), ENV_PY)
    return root


def commit_all(repo, message):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def snapshot_source(source_dir, dest):
    """A git repository holding the work tree of `source_dir` (tracked and new files, as they
    are now, committed): what a hook or action user would fetch from this repository."""
    files = subprocess.run(["git", "-C", source_dir, "ls-files", "-z", "--cached", "--others",
                            "--exclude-standard"], capture_output=True, check=True).stdout
    os.makedirs(dest, exist_ok=True)
    for rel in files.decode().split("\0"):
        if not rel:
            continue
        src = os.path.join(source_dir, rel)
        if not os.path.isfile(src):
            continue  # deleted in the work tree
        dst = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
    git(dest, "init", "-q", "-b", "main")
    return commit_all(dest, "snapshot")


def tempdir(prefix):
    return tempfile.mkdtemp(prefix=prefix)


def finish(tmp, keep, failures, what):
    """Removes (or keeps) the temporary directory and reports: the test's exit status."""
    if keep:
        print("kept", tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print("%s: all checks passed" % what)
    return 0
