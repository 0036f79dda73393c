#!/usr/bin/env python3
"""Differential test: alembic-lint's revision graph against Alembic itself.

Generates random migration repositories (chains, forks, merges, branch labels, depends_on,
duplicates, dangling references, cycles, several bases, the odd None/""/()/one-element forms),
loads each with Alembic in-process and compares its verdict with
`alembic-lint heads --format json DIR`:

  * Alembic raised while loading -> our environment `error.kind` must name the same failure;
  * Alembic warned about a duplicate id -> `error.kind` is "duplicate" and heads/bases match;
  * otherwise `error` is null and the sorted heads and bases match;
  * in both of the last two cases the heads in `alembic heads` order (load order, a duplicated
    id possibly twice) equal our `alembic_heads`.

Alembic lists a version directory with os.listdir(), whose order is arbitrary; the oracle
lists it sorted (the order alembic-lint discovers files in), so order-dependent outcomes are
reproducible. Every fixture repository under fixtures/ is checked the same way.

Prints `N passed, M failed`; exits 1 on any disagreement, keeping the repos in a temp dir.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import traceback
import warnings

try:
    from alembic.script import ScriptDirectory
    from alembic.config import Config
    from alembic.script.base import Script
except ImportError:
    # A virtualenv/pyenv python first on PATH may lack the system's alembic.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath(
            "/usr/bin/python3") and not os.environ.get("ALINT_DIFF_REEXEC"):
        os.environ["ALINT_DIFF_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

# --- oracle ---------------------------------------------------------------------------------

_orig_list_py_dir = Script._list_py_dir.__func__


def _sorted_list_py_dir(cls, scriptdir, path):
    return sorted(_orig_list_py_dir(cls, scriptdir, path))


Script._list_py_dir = classmethod(_sorted_list_py_dir)

_KIND_BY_EXCEPTION = {
    "LoopDetected": "cycle",
    "CycleDetected": "cycle",
    "DependencyLoopDetected": "dependency-cycle",
    "DependencyCycleDetected": "dependency-cycle",
    "AttributeError": "missing-down-revision",
    "TypeError": "invalid-value",
}


def classify(exc):
    """Maps an exception Alembic raised while loading to an error kind."""
    name = type(exc).__name__
    if name in _KIND_BY_EXCEPTION:
        return _KIND_BY_EXCEPTION[name]
    msg = str(exc)
    if name == "CommandError" and "Could not determine revision id" in msg:
        return "no-revision"
    if name == "RevisionError":
        if msg.startswith("Character(s)"):
            return "invalid-id"
        if msg.startswith("Branch name"):
            return "duplicate-label"
        if "broken map" in msg:
            return "label-as-down-revision"
    if name == "KeyError":
        funcs = [f.name for f in traceback.extract_tb(exc.__traceback__)]
        if "_add_depends_on" in funcs:
            return "dangling-depends-on"
        if "_detect_cycles" in funcs:
            return "label-as-down-revision" if exc.args and _is_label(exc) else "dangling"
        return "dangling"
    if name in ("SyntaxError", "ValueError", "UnicodeDecodeError", "IndentationError",
                "TabError"):
        return "import-error"  # the file does not compile
    return "other:" + name


def _is_label(exc):
    return getattr(exc, "_alint_label", False)


def alembic_verdict(repo_dir, env_name=None, version_dirs=None, recursive=False):
    """Loads repo_dir/versions with Alembic; returns {"heads", "bases", "error", "warnings"}.

    When our run found the versions directory inside a configured environment (`env_name`
    names its ini file, e.g. "billing.ini" or "alembic.ini[prod]"), Alembic loads that
    environment from the same ini, so both sides see the same version locations.
    """
    versions = os.path.join(repo_dir, "versions")
    cwd = os.getcwd()
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if env_name and ".ini" in env_name:
                ini, _, section = env_name.partition("[")
                ini = os.path.abspath(ini)
                cfg = Config(ini, ini_section=section.rstrip("]") or "alembic")
                # `package:path` locations need the project importable, as when installed:
                # the ini's directory and those above it, each with its src/.
                d = os.path.dirname(ini)
                while True:
                    sys.path[:0] = [os.path.join(d, "src"), d]
                    if os.path.exists(os.path.join(d, ".git")) or os.path.dirname(d) == d:
                        break
                    d = os.path.dirname(d)
                # Alembic resolves a relative script_location against the working directory;
                # people run it from the ini's directory, which is what discovery assumes.
                os.chdir(os.path.dirname(ini))
                sd = ScriptDirectory.from_config(cfg)
            elif version_dirs:
                # An environment declared in alembic-lint's config: the same locations.
                # Alembic 1.8.1 predates recursive_version_locations (1.10): list every
                # subfolder as a location instead, which is what the recursive walk loads.
                locations = []
                for v in version_dirs:
                    for dirpath, dirnames, _ in os.walk(os.path.abspath(v)):
                        dirnames[:] = sorted(n for n in dirnames if n != "__pycache__")
                        locations.append(dirpath)
                        if not recursive:
                            break
                sd = ScriptDirectory(repo_dir, version_locations=locations)
            else:
                sd = ScriptDirectory(repo_dir, version_locations=[versions])
            order = list(sd.get_heads())
            heads = sorted(order)
            bases = sorted(sd.get_bases())
            error = None
        except Exception as exc:  # noqa: BLE001 - every load failure is a verdict
            if isinstance(exc, KeyError):
                labels = _labels_of(sd)
                exc._alint_label = bool(exc.args) and exc.args[0] in labels
            heads, bases, error = None, None, {"kind": classify(exc),
                                                 "message": "%s: %s" % (type(exc).__name__, exc)}
            order = None
        finally:
            os.chdir(cwd)
            sys.path[:] = saved_path
            for name in set(sys.modules) - saved_modules:
                del sys.modules[name]
    warns = [str(w.message) for w in caught]
    if error is None and any("present more than once" in w for w in warns):
        error = {"kind": "duplicate", "message": "; ".join(warns)}
    return {"heads": heads, "bases": bases, "error": error, "warnings": warns, "order": order}


def _labels_of(sd):
    try:
        return _read_labels(sd)
    except Exception:  # noqa: BLE001 - hand-written fixtures: fall back to "not a label"
        return set()


def _read_labels(sd):
    labels = set()
    for f in os.listdir(sd.version_locations[0]):
        text = open(os.path.join(sd.version_locations[0], f)).read()
        for line in text.splitlines():
            if line.startswith("branch_labels = ") and line != "branch_labels = None":
                labels.update(eval(line.split("=", 1)[1], {}) if "(" in line or "[" in line
                              else [eval(line.split("=", 1)[1], {})])
    return labels


# --- generator ------------------------------------------------------------------------------

def gen_repo(rng, path):
    n = rng.randint(1, 10)
    short = rng.random() < 0.3
    ids = []
    for _ in range(n):
        if short:
            ids.append("".join(rng.choice("abcdef0123456789") for _ in range(rng.randint(4, 6))))
        else:
            ids.append("%012x" % rng.getrandbits(48))
    if n > 2 and rng.random() < 0.12:  # duplicate id (two PRs, one copied file)
        ids[rng.randrange(n)] = ids[rng.randrange(n)]
    labels = {}
    for i in range(n):
        if rng.random() < 0.15:
            labels[i] = rng.choice(["expand", "contract", "core", "plugin", ids[rng.randrange(n)]])

    def fmt_seq(values, form):
        if form == "tuple":
            return "(" + "".join(repr(v) + ", " for v in values) + ")"
        return "[" + ", ".join(repr(v) for v in values) + "]"

    def ref(i):
        r = rng.random()
        if r < 0.03 and labels:
            return labels[rng.choice(list(labels))]  # label used as a revision
        if r < 0.06:
            return "%012x" % rng.getrandbits(48)  # dangling
        if r < 0.08:
            return ids[rng.randrange(n)][:4]  # partial id
        if r < 0.10:
            return ids[rng.randrange(n)]  # possibly a later one: cycles
        return ids[rng.randrange(i)] if i else None

    os.makedirs(os.path.join(path, "versions"))
    for i, rid in enumerate(ids):
        r = rng.random()
        if i == 0 or r < 0.08:
            down = rng.choice(["None", "''", "()", "[]", "None"])
        elif r < 0.2 and i > 1:
            a, b = rng.sample(range(i), 2)
            down = fmt_seq([ids[a], ids[b]], rng.choice(["tuple", "list"]))
        elif r < 0.25:
            down = fmt_seq([ref(i) or ""], rng.choice(["tuple", "list"]))
        elif r < 0.27:
            down = "('',)"
        else:
            target = ref(i)
            if target is None:
                down = "None"
            elif rng.random() < 0.6:
                down = repr(target)
            else:
                down = repr(ids[i - 1])
        depends = "None"
        if rng.random() < 0.15:
            deps = [x for x in (ref(i), ref(i)) if x is not None]
            if labels and rng.random() < 0.3:
                deps.append(labels[rng.choice(list(labels))])
            if deps:
                depends = repr(deps[0]) if len(deps) == 1 and rng.random() < 0.5 else fmt_seq(
                    deps, rng.choice(["tuple", "list"]))
            else:
                depends = rng.choice(["None", "()", "''"])
        label = "None"
        if i in labels:
            label = rng.choice(["%r" % labels[i], "(%r,)" % labels[i], "[%r]" % labels[i]])
        lines = ['"""generated', "", "Revision ID: %s" % rid, '"""']
        if not (rng.random() < 0.01):
            lines.append("revision = %r" % rid)
        if not (rng.random() < 0.01):
            lines.append("down_revision = %s" % down)
        lines.append("branch_labels = %s" % label)
        lines.append("depends_on = %s" % depends)
        lines += ["", "", "def upgrade():", "    pass", "", "", "def downgrade():", "    pass", ""]
        name = "%s_%02d_step.py" % (rid, i)
        with open(os.path.join(path, "versions", name), "w") as f:
            f.write("\n".join(lines))


# --- comparison -----------------------------------------------------------------------------

def ours(binary, repo_dir, check_syntax):
    """Our verdict: `heads --format json` on the versions directory. `heads` reads headers
    only; with `check_syntax` a `check --select parse-error` run adds the import failures a
    broken migration body causes (the same tool, a full parse)."""
    versions = os.path.join(repo_dir, "versions")
    proc = subprocess.run([binary, "heads", "--format", "json", versions], capture_output=True,
                          text=True)
    try:
        data = json.loads(proc.stdout)
        env = data["environments"][0]
        got = {"heads": sorted(env.get("heads") or []), "bases": sorted(env.get("bases") or []),
               "error": env.get("error"), "env": env.get("name"),
               "order": env.get("alembic_heads"),
               "version_dirs": env.get("version_dirs"), "recursive": env.get("recursive")}
        if check_syntax and (got["error"] is None or got["error"]["kind"] == "duplicate"):
            chk = subprocess.run([binary, "check", "--no-config", "--select", "parse-error",
                                  "--format", "json", versions], capture_output=True, text=True)
            findings = [f for f in json.loads(chk.stdout)["findings"] if f["severity"] == "error"]
            if findings:
                got["error"] = {"kind": "import-error", "message": findings[0]["message"]}
        return got
    except (ValueError, KeyError, IndexError) as exc:
        return {"crash": "exit %d, %s; stdout=%r stderr=%r" % (proc.returncode, exc,
                                                              proc.stdout[:500],
                                                              proc.stderr[:500])}


def agree(want, got):
    if "crash" in got:
        return False
    if want["error"] is not None:
        if got["error"] is None or got["error"].get("kind") != want["error"]["kind"]:
            return False
        if want["error"]["kind"] != "duplicate":
            return True
    elif got["error"] is not None:
        return False
    # `alembic heads` prints heads in load order (a duplicated id possibly twice): the text
    # output of `alembic-lint heads` follows `alembic_heads`, which must match it exactly.
    return (want["heads"] == got["heads"] and want["bases"] == got["bases"] and
            want["order"] == got["order"])


def fixture_repos(root):
    base = os.path.join(root, "fixtures")
    if not os.path.isdir(base):
        return []
    out = []
    for dirpath, dirnames, _ in os.walk(base):
        if "import_side_effect" in dirpath:
            continue  # writes a file when imported (tests/safety runs it on a copy)
        if os.path.basename(dirpath) == "versions":
            out.append(os.path.dirname(dirpath))
            dirnames[:] = []
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--no-fixtures", action="store_true")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    print("seed %d (rerun with --seed %d)" % (seed, seed))
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="alint-diff-")
    repos = []
    for i in range(args.count):
        d = os.path.join(tmp, "repo%04d" % i)
        gen_repo(rng, d)
        repos.append(d)
    if not args.no_fixtures:
        repos += fixture_repos(
            os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    passed = failed = skipped = 0
    for i, d in enumerate(repos):
        generated = i < args.count
        got = ours(args.binary, d, check_syntax=not generated)
        want = alembic_verdict(d, got.get("env"), got.get("version_dirs"), got.get("recursive"))
        if got.get("error") and got["error"].get("kind") == "not-static":
            # A fixture whose revision values only running it can tell (that is the point of
            # the non-literal rule); a generated repo is always literal, so it must not get here.
            if generated:
                failed += 1
                print("NOT-STATIC generated repo %s: %s" % (d, json.dumps(got)))
            else:
                skipped += 1
                print("skipped (not decidable statically, as intended): %s" % d)
            continue
        if agree(want, got):
            passed += 1
            continue
        failed += 1
        if failed <= 20:
            print("DISAGREE %s\n  alembic: %s\n  ours:    %s" % (d, json.dumps(want),
                                                               json.dumps(got)))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    if failed:
        print("repos kept in %s" % tmp)
        return 1
    shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
