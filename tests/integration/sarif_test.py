#!/usr/bin/env python3
"""`check --format sarif` validated by Microsoft's SARIF validator (Sarif.Multitool validate).

The validator (npm @microsoft/sarif-multitool, pinned; its Linux build is a self-contained .NET
binary in @microsoft/sarif-multitool-linux) is installed into the build tree on first run with
`npm install --prefix`. Every case must give zero validator errors: the bundled demo, cases
with fixes and related locations, PR mode (a fix with two edits), paths that need
percent-encoding in URIs, and a file outside the working directory (absolute URI). A broken
log is checked first, to prove the validator actually rejects errors here.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itest_util as it  # noqa: E402

MULTITOOL_VERSION = "5.7.0"
SKIP = 77  # CTest SKIP_RETURN_CODE: the validator cannot be installed (no npm registry)


def install_validator(tool_dir):
    exe = os.path.join(tool_dir, "node_modules", "@microsoft", "sarif-multitool-linux",
                       "Sarif.Multitool")
    if not os.path.exists(exe):
        npm = shutil.which("npm")
        if npm is None:
            print("SKIP: npm is not installed; cannot fetch @microsoft/sarif-multitool")
            sys.exit(SKIP)
        os.makedirs(tool_dir, exist_ok=True)
        r = subprocess.run([npm, "install", "--prefix", tool_dir, "--no-audit", "--no-fund",
                            "--no-save", "@microsoft/sarif-multitool@" + MULTITOOL_VERSION],
                           capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(exe):
            print("SKIP: `npm install @microsoft/sarif-multitool` failed:\n" + r.stdout +
                  r.stderr)
            sys.exit(SKIP)
    # npm does not run the package's chmod postinstall when scripts are disabled.
    os.chmod(exe, os.stat(exe).st_mode | 0o111)
    return exe


def validate(exe, sarif_path, log_path):
    """Runs the validator; returns (errors, others) as lists of "RULE: message"."""
    if os.path.exists(log_path):
        os.remove(log_path)
    r = subprocess.run([exe, "validate", "--level", "Error", "Warning", "Note", "--kind", "Fail",
                        "-o", log_path, sarif_path], capture_output=True, text=True,
                       env=dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1"))
    if not os.path.exists(log_path):
        raise RuntimeError("validator produced no log (exit %d):\n%s%s" %
                           (r.returncode, r.stdout, r.stderr))
    with open(log_path, encoding="utf-8-sig") as f:
        log = json.load(f)
    errors, others = [], []
    for run in log.get("runs", []):
        for res in run.get("results", []):
            text = res.get("message", {}).get("text") or json.dumps(res.get("message"))
            line = "%s %s: %s" % (res.get("level", "warning"), res.get("ruleId"), text)
            (errors if res.get("level") == "error" else others).append(line)
        for inv in run.get("invocations", []):
            for n in inv.get("toolExecutionNotifications", []):
                if n.get("level") == "error":
                    errors.append("tool: " + n.get("message", {}).get("text", ""))
    return errors, others


def lint_sarif(binary, cwd, path, out, extra=()):
    r = subprocess.run([binary, "check", path, "--format", "sarif", "-o", out, *extra],
                       cwd=cwd, capture_output=True, text=True, env=it.env_with())
    if r.returncode not in (0, 1):
        raise RuntimeError("alembic-lint exit %d: %s" % (r.returncode, r.stderr))
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--tool-dir", required=True, help="where npm installs the validator")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    src = os.path.abspath(args.source_dir)
    exe = install_validator(os.path.abspath(args.tool_dir))

    tmp = it.tempdir("alint-sarif-")
    failures = []
    try:
        # The validator must reject a broken log, or zero errors below proves nothing.
        broken = os.path.join(tmp, "broken.sarif")
        with open(broken, "w") as f:
            json.dump({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                       "results": [{"message": {"text": "m"}, "locations": [
                           {"physicalLocation": {"artifactLocation": {"uri": "a.py"},
                                                 "region": {"startLine": 0}}}]}]}]}, f)
        errors, _ = validate(exe, broken, os.path.join(tmp, "broken.log"))
        print("[%s] a broken log is rejected (%d errors)" % ("ok" if errors else "FAIL",
                                                          len(errors)))
        if not errors:
            failures.append("the validator accepted a log with startLine 0")

        # A PR-mode case: branch-behind-base's fix edits down_revision and the docstring.
        repo = it.new_project(os.path.join(tmp, "pr"))
        a, b, c, d = "3f9a1c7e5b20", "8d2e4b6a0c19", "c71f0e9d3a58", "5be6a2d8f047"
        it.write_migration(repo, a, None, "create_users", 1)
        it.write_migration(repo, b, a, "add_orders", 2)
        it.commit_all(repo, "base")
        it.git(repo, "checkout", "-q", "-b", "feature")
        it.write_migration(repo, d, b, "add_coupons", 4)
        it.commit_all(repo, "feature")
        it.git(repo, "checkout", "-q", "main")
        it.write_migration(repo, c, b, "add_payments", 3)
        it.commit_all(repo, "main moved on")
        it.git(repo, "checkout", "-q", "feature")

        # Paths that need percent-encoding, linted from their parent (relative URIs).
        odd = os.path.join(tmp, "dir with space", "ünï#%")
        shutil.copytree(os.path.join(src, "fixtures", "demo"), odd)

        cases = [
            # name, cwd, path, extra args, expect related, expect fixes
            ("demo", src, "fixtures/demo", (), True, True),
            ("fork with related locations", src,
             "fixtures/multiple_heads/bad_pr_into_middle/versions", (), True, True),
            ("fixes with two edits", src,
             "fixtures/docstring_mismatch/bad_stale_header/versions", (), True, True),
            ("PR mode", repo, ".", ("--since", "main"), True, True),
            ("percent-encoded paths", os.path.join(tmp, "dir with space"), "ünï#%", (), True,
             True),
            ("absolute URIs (outside the working directory)", tmp,
             os.path.join(src, "fixtures", "multiple_heads", "bad_pr_into_middle", "versions"),
             (), True, True),
        ]
        for i, (name, cwd, path, extra, want_related, want_fixes) in enumerate(cases):
            out = os.path.join(tmp, "case%d.sarif" % i)
            log = lint_sarif(binary, cwd, path, out, extra)
            results = log["runs"][0]["results"]
            problems = []
            if not results:
                problems.append("no results")
            if want_related and not any(r.get("relatedLocations") for r in results):
                problems.append("no relatedLocations")
            if want_fixes and not any(r.get("fixes") for r in results):
                problems.append("no fixes")
            if name == "PR mode" and not any(r["ruleId"] == "branch-behind-base"
                                             for r in results):
                problems.append("no branch-behind-base result")
            errors, others = validate(exe, out, os.path.join(tmp, "case%d.log" % i))
            problems += errors
            print("[%s] %s: %d results, %d validator errors, %d warnings/notes" %
                  ("ok" if not problems else "FAIL", name, len(results), len(errors),
                   len(others)))
            for o in sorted(set(x.split(":")[0] for x in others)):
                print("      (not an error) " + o)
            for p in problems:
                print("      " + p)
                failures.append("%s: %s" % (name, p))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print("SARIF: every case valid (zero validator errors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
