#!/usr/bin/env python3
"""Real-editor test: headless Neovim attaches `alembic-lint lsp` to a fixture migration.

Runs tests/lsp/nvim_test.lua in `nvim --headless -u NONE`, then checks that the diagnostics
Neovim received are exactly the CLI's findings for that file (same rules, same lines and
columns), and that an edit made in the buffer (sent by Neovim as an incremental change)
clears the duplicate-revision diagnostic.

Usage: nvim_test.py --nvim nvim --binary build/alembic-lint --fixtures fixtures
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

OLD_ID = "a1b2c3d4e5f6"
NEW_ID = "9d3e7f1a2c48"


def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nvim", required=True)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--fixtures", required=True)
    args = ap.parse_args()
    root = os.path.abspath(os.path.join(args.fixtures, "demo"))
    target = os.path.join(root, "migrations", "versions", OLD_ID + "_add_invoices.py")
    binary = os.path.abspath(args.binary)

    cli = subprocess.run([binary, "check", "--format", "json", "--no-config", root],
                         capture_output=True, text=True, check=False)
    if cli.returncode not in (0, 1):
        fail("CLI failed: " + cli.stderr)
    expected = sorted(
        (f["location"]["line"] - 1, f["location"]["column"] - 1, f["rule"])
        for f in json.loads(cli.stdout)["findings"]
        if os.path.abspath(os.path.join(os.getcwd(), f["location"]["path"])) == target
        or f["location"]["path"] == target)
    if not any(rule == "duplicate-revision" for _, _, rule in expected):
        fail("the fixture no longer has a duplicate revision: " + str(expected))

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "diagnostics.json")
        env = dict(os.environ, ALINT_BIN=binary, ALINT_FILE=target, ALINT_ROOT=root,
                   ALINT_OUT=out, ALINT_OLD_ID=OLD_ID, ALINT_NEW_ID=NEW_ID,
                   XDG_STATE_HOME=tmp, XDG_DATA_HOME=tmp, XDG_CONFIG_HOME=tmp)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nvim_test.lua")
        try:
            subprocess.run([args.nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n",
                            "-c", "luafile " + script], env=env, cwd=tmp, timeout=60,
                           stdin=subprocess.DEVNULL, capture_output=True, check=False)
        except subprocess.TimeoutExpired:
            fail("nvim did not finish in 60 s")
        if not os.path.exists(out):
            fail("nvim wrote no result")
        with open(out) as f:
            result = json.load(f)

    if result["errors"]:
        fail("Lua errors: " + "; ".join(result["errors"]))
    if not result.get("attached"):
        fail("no diagnostics arrived in Neovim")
    got = sorted((d["lnum"], d["col"], d["code"]) for d in result["initial"])
    print("diagnostics in Neovim:", got)
    if got != expected:
        fail(f"Neovim's diagnostics differ from the CLI's findings:\n  nvim: {got}\n  cli:  {expected}")
    print(f"ok - Neovim shows the CLI's {len(got)} findings at the same positions")
    for d in result["initial"]:
        if d["source"] != "alembic-lint" or not d["message"]:
            fail("diagnostic without source or message: " + json.dumps(d))
    dup = [d for d in result["initial"] if d["code"] == "duplicate-revision"]
    if dup[0]["severity"] != 1:  # vim.diagnostic.severity.ERROR
        fail("duplicate-revision is not an error in Neovim")
    print("ok - source, message and severity are set")
    if not result.get("cleared"):
        fail("editing the revision id in Neovim did not clear duplicate-revision: "
             + json.dumps(result.get("after_edit")))
    if any(d["code"] == "duplicate-revision" for d in result["after_edit"]):
        fail("duplicate-revision still present after the edit")
    # Neovim drops the diagnostics of a server that died, which would also "clear" them.
    if not result.get("alive_after_edit"):
        fail("the language server is not running after the edit")
    if not result.get("answered_after_edit"):
        fail("the language server did not answer a request after the edit")
    print("ok - an incremental edit from Neovim clears the duplicate")
    print("all Neovim checks passed")


if __name__ == "__main__":
    main()
