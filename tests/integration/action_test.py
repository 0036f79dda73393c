#!/usr/bin/env python3
"""Runs action.yml's composite steps locally, the way the Actions runner would.

The `run:` steps execute in order with bash (`--noprofile --norc -eo pipefail`, the runner's
`shell: bash`), in GITHUB_WORKSPACE, with GITHUB_ACTIONS, GITHUB_OUTPUT, GITHUB_PATH, ...
set and the `${{ }}` expressions of their `env:` evaluated (inputs, steps.*.outputs, runner,
github.action_path; any other expression fails the test). `uses:` steps are skipped;
actions/cache is replaced by what a cache hit restores: the alembic-lint under test in the
build directory with the step's source key (pass --full-build to build from scratch instead).
Then the annotations on stdout, the outputs and the SARIF file are checked.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itest_util as it  # noqa: E402

A, B, C, D = "3f9a1c7e5b20", "8d2e4b6a0c19", "c71f0e9d3a58", "5be6a2d8f047"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class Runner:
    def __init__(self, action_path, workspace, tmp, binary, full_build):
        with open(os.path.join(action_path, "action.yml"), encoding="utf-8") as f:
            self.action = yaml.safe_load(f)
        self.action_path = action_path
        self.workspace = workspace
        self.tmp = tmp
        self.binary = binary
        self.full_build = full_build

    def run(self, inputs):
        """Returns (failed step id or None, exit status, stdout of the run, outputs)."""
        decl = self.action["inputs"]
        unknown = set(inputs) - set(decl)
        if unknown:
            raise RuntimeError("not inputs of action.yml: %s" % unknown)
        values = {k: str(inputs.get(k, v.get("default", ""))) for k, v in decl.items()}
        files = {n: os.path.join(self.tmp, n) for n in
                 ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")}
        runner_temp = os.path.join(self.tmp, "runner-temp")
        os.makedirs(runner_temp, exist_ok=True)
        base_env = it.env_with(GITHUB_ACTIONS="true", CI="true", GITHUB_WORKSPACE=self.workspace,
                               GITHUB_ACTION_PATH=self.action_path, RUNNER_TEMP=runner_temp,
                               RUNNER_OS="Linux", GITHUB_EVENT_NAME="pull_request")
        ctx = {"inputs": values, "runner": {"temp": runner_temp, "os": "Linux"},
               "github": {"action_path": self.action_path, "workspace": self.workspace},
               "steps": {}}

        def evaluate(text):
            def one(m):
                parts = m.group(1).split(".")
                node = ctx
                for p in parts:
                    if not isinstance(node, dict) or p not in node:
                        raise RuntimeError("unsupported expression ${{ %s }}" % m.group(1))
                    node = node[p]
                return str(node)
            return EXPR.sub(one, str(text))

        stdout = ""
        for i, step in enumerate(self.action["runs"]["steps"]):
            sid = step.get("id", "step%d" % i)
            if "uses" in step:
                if step["uses"].startswith("actions/cache@") and not self.full_build:
                    self.restore_cache(evaluate(step["with"]["path"]),
                                       ctx["steps"]["key"]["outputs"]["key"])
                continue
            if "${{" in step["run"]:
                raise RuntimeError("step %r: expressions inside run: (use env:)" % sid)
            assert step.get("shell") == "bash", "every run step declares shell: bash"
            for n, p in files.items():
                open(p, "w").close()
            env = dict(base_env)
            env.update({n: p for n, p in files.items()})
            env.update({k: evaluate(v) for k, v in (step.get("env") or {}).items()})
            script = os.path.join(self.tmp, "step-%s.sh" % sid)
            with open(script, "w") as f:
                f.write(step["run"])
            r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                               cwd=self.workspace, env=env, capture_output=True, text=True)
            stdout += r.stdout
            ctx["steps"][sid] = {"outputs": parse_outputs(files["GITHUB_OUTPUT"])}
            with open(files["GITHUB_PATH"]) as f:
                added = [line.strip() for line in f if line.strip()]
            if added:
                base_env["PATH"] = os.pathsep.join(added + [base_env["PATH"]])
            if r.returncode != 0:
                sys.stderr.write(r.stderr)
                return sid, r.returncode, r.stdout, ctx["steps"][sid]["outputs"]
        return None, 0, stdout, ctx["steps"].get("lint", {}).get("outputs", {})

    def restore_cache(self, build_dir, key):
        # What a cache hit gives: the build directory with the binary built from these sources.
        os.makedirs(build_dir, exist_ok=True)
        shutil.copy2(self.binary, os.path.join(build_dir, "alembic-lint"))
        with open(os.path.join(build_dir, ".source-key"), "w") as f:
            f.write(key + "\n")


def parse_outputs(path):
    out = {}
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1:j])
            i = j + 1
            continue
        if "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
        i += 1
    return out


def make_pr_repo(root):
    repo = it.new_project(root)
    it.write_migration(repo, A, None, "create_users", 1)
    it.write_migration(repo, B, A, "add_orders", 2)
    it.commit_all(repo, "base")
    it.git(repo, "checkout", "-q", "-b", "feature")
    it.write_migration(repo, D, B, "add_coupons", 4)
    it.commit_all(repo, "feature")
    it.git(repo, "checkout", "-q", "main")
    it.write_migration(repo, C, B, "add_payments", 3)
    it.commit_all(repo, "main moved on")
    it.git(repo, "checkout", "-q", "feature")
    return repo


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--full-build", action="store_true")
    args = ap.parse_args()
    tmp = it.tempdir("alint-action-")
    failures = []

    def check(cond, what):
        print("[%s] %s" % ("ok" if cond else "FAIL", what))
        if not cond:
            failures.append(what)

    try:
        action = yaml.safe_load(open(os.path.join(args.source_dir, "action.yml")))
        check(action["runs"]["using"] == "composite", "a composite action")
        check(set(action["inputs"]) == {"path", "since", "fail-on", "sarif-file", "args"},
              "inputs: path, since, fail-on, sarif-file, args")
        check(any(s.get("uses", "").startswith("actions/cache@") for s in
                  action["runs"]["steps"]), "the build is cached with actions/cache")

        repo = make_pr_repo(os.path.join(tmp, "workspace"))
        runner = Runner(os.path.abspath(args.source_dir), repo, tmp,
                        os.path.abspath(args.binary), args.full_build)
        coupons = "migrations/versions/%s_add_coupons.py" % D

        # 1. PR mode, behind main: the step fails with the annotation and writes SARIF.
        os.makedirs(os.path.join(repo, "reports"))
        failed, status, out, outputs = runner.run(
            {"since": "main", "sarif-file": "reports/alembic-lint.sarif"})
        check(failed == "lint" and status == 1, "behind main: the lint step fails (exit 1)")
        annotations = [line for line in out.splitlines() if line.startswith("::")]
        want = ("::error file=%s,line=12,col=17,endLine=12,endColumn=31,"
                "title=alembic-lint (branch-behind-base)::`%s` revises `%s`, but `main` has "
                "moved on" % (coupons, D, B))
        check(len(annotations) == 1 and annotations[0].startswith(want),
              "one branch-behind-base annotation on the down_revision: %r" % annotations)
        check("%0A%0Ahelp: rebase on `main`" in out, "the help rides in the annotation")
        check(outputs.get("exit-code") == "1", "output exit-code=1")
        check(outputs.get("sarif-file") == "reports/alembic-lint.sarif", "output sarif-file")
        sarif_path = os.path.join(repo, "reports", "alembic-lint.sarif")
        sarif = json.load(open(sarif_path)) if os.path.exists(sarif_path) else None
        results = sarif["runs"][0]["results"] if sarif else []
        check(sarif is not None and sarif["version"] == "2.1.0", "SARIF 2.1.0 written")
        check([r["ruleId"] for r in results] == ["branch-behind-base"] and
              results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
              coupons and results[0]["locations"][0]["physicalLocation"]["region"]
              ["startLine"] == 12 and results[0].get("fixes"),
              "SARIF: the same finding, relative URI, line and fix")

        # 2. fail-on never: annotations, but the step passes.
        failed, status, out, outputs = runner.run({"since": "main", "fail-on": "never"})
        check(failed is None and outputs.get("exit-code") == "0" and "::error file=" in out,
              "fail-on never: annotated, step passes")

        # 3. args reach the CLI: ignoring the rule silences it.
        failed, status, out, _ = runner.run({"since": "main",
                                             "args": "--ignore branch-behind-base"})
        check(failed is None and "::" not in out, "args: --ignore branch-behind-base")

        # 4. An unknown base: exit 2 with the message, no annotation.
        failed, status, out, _ = runner.run({"since": "no-such-branch"})
        check(failed == "lint" and status == 2, "unknown since: exit 2")

        # 5. Rebased on main: clean, and the SARIF has no results.
        it.git(repo, "checkout", "-q", "main", "--",
               "migrations/versions/%s_add_payments.py" % C)
        it.write_migration(repo, D, C, "add_coupons", 4)
        failed, status, out, outputs = runner.run({"since": "main",
                                                   "sarif-file": "clean.sarif"})
        clean = json.load(open(os.path.join(repo, "clean.sarif")))
        check(failed is None and outputs.get("exit-code") == "0" and "::" not in out and
              clean["runs"][0]["results"] == [], "rebased: clean, empty SARIF")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print("action.yml: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
