"""Prints, per environment of the fixture repos, the migration files Alembic itself loads.

Run by hand with Debian's python3-alembic (1.8.1):  /usr/bin/python3 tests/discover/alembic_agrees.py
and compare with tests/discover/fixture_repos_test.cc. Alembic 1.8.1 predates pyproject.toml
support, so for pyproject_only the [tool.alembic] values are handed to Config programmatically
(with %(here)s substituted, as Alembic 1.16 does).
"""
import os
import sys
import tomllib

from alembic.config import Config
from alembic.script import ScriptDirectory

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "repos")
ROOT = os.path.realpath(ROOT)


def loaded(cfg):
    script = ScriptDirectory.from_config(cfg)
    return sorted(os.path.relpath(s.path, ROOT) for s in script._load_revisions())


def from_ini(rel, section="alembic"):
    ini = os.path.join(ROOT, rel)
    os.chdir(os.path.dirname(ini))
    return loaded(Config(ini, ini_section=section))


def from_pyproject(rel):
    path = os.path.join(ROOT, rel)
    here = os.path.dirname(path)
    os.chdir(here)
    with open(path, "rb") as f:
        table = tomllib.load(f)["tool"]["alembic"]
    cfg = Config()
    for key, value in table.items():
        if isinstance(value, list):
            value = " ".join(v % {"here": here} for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        else:
            value = value % {"here": here}
        # set_main_option interpolates again: escape what the TOML layer already resolved.
        cfg.set_main_option(key, value.replace("%", "%%"))
    return loaded(cfg)


for name, files in [
    ("monorepo/packages/api/alembic.ini", from_ini("monorepo/packages/api/alembic.ini")),
    ("monorepo/services/billing/billing.ini", from_ini("monorepo/services/billing/billing.ini")),
    ("monorepo/services/billing/billing.ini[billing_replica]",
     from_ini("monorepo/services/billing/billing.ini", "billing_replica")),
    ("pyproject_only/pyproject.toml", from_pyproject("pyproject_only/pyproject.toml")),
]:
    print(name)
    for f in files:
        print("   ", f)
sys.exit(0)
