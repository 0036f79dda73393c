#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets from fixtures/ (run at build time; nothing here
is committed). One directory per target under --out, one file per seed."""

import argparse
import ast
import hashlib
import json
import os
import pathlib
import shutil

SMOKE_SEEDS = 8


def write(out: pathlib.Path, target: str, data: bytes) -> None:
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def frame(body: str) -> bytes:
    b = body.encode()
    return b"Content-Length: %d\r\n\r\n" % len(b) + b


def calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    fixtures = pathlib.Path(args.fixtures)
    out = pathlib.Path(args.out)

    py_files = sorted(p for p in fixtures.rglob("*.py") if p.is_file())
    for p in py_files:
        data = p.read_bytes()
        for target in ("header_diff", "extract"):
            write(out, target, data)
        text = data.decode("utf-8", "replace")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for call in calls(tree):
            seg = ast.get_source_segment(text, call) or ""
            if isinstance(call.func.value, ast.Name) and call.func.value.id == "op":
                write(out, "op_call", seg[len("op."):].encode())
            if call.func.attr in ("execute", "text"):
                for a in call.args:
                    if isinstance(a, ast.Constant) and isinstance(a.value, str):
                        write(out, "sql", a.value.encode())
        uri = "file:///r/migrations/versions/a1_first.py"
        bodies = [
            {"jsonrpc": "2.0", "method": "textDocument/didOpen",
             "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                         "text": text}}},
            {"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover",
             "params": {"textDocument": {"uri": uri}, "position": {"line": 12, "character": 8}}},
            {"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction",
             "params": {"textDocument": {"uri": uri},
                        "range": {"start": {"line": 0, "character": 0},
                                  "end": {"line": 40, "character": 0}},
                        "context": {"diagnostics": []}}},
            {"jsonrpc": "2.0", "method": "textDocument/didChange",
             "params": {"textDocument": {"uri": uri, "version": 2},
                        "contentChanges": [{"range": {"start": {"line": 3, "character": 0},
                                                      "end": {"line": 4, "character": 2}},
                                            "text": "x = (\n"}]}},
            {"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
            {"jsonrpc": "2.0", "method": "exit"},
        ]
        if len(text) < 6000:
            write(out, "lsp_server", "\n---\n".join(json.dumps(b) for b in bodies).encode())
            write(out, "lsp_reader", b"".join(frame(json.dumps(b)) for b in bodies[:2]))

    # Repositories for the end-to-end target: each fixture case (a directory holding
    # versions/) packed as "=== PATH" sections; fixture repos with their alembic.ini.
    for versions in sorted(fixtures.rglob("versions")):
        if not versions.is_dir():
            continue
        root = versions.parent
        ini = root / "alembic.ini"
        parts = []
        for f in sorted(root.rglob("*")):
            if not f.is_file() or f.stat().st_size > 20000:
                continue
            rel = f.relative_to(root)
            if ini.exists():
                path = str(rel)
            elif rel.parts[0] == "versions":
                path = str(pathlib.Path("migrations") / rel)
            else:
                continue
            parts.append(b"=== " + path.encode() + b"\n" + f.read_bytes())
        data = b"\n".join(parts)
        if 0 < len(data) <= 60000:
            write(out, "e2e", data)
            write(out, "nesting", bytes([0, 1, 0, 2, 0, 0]) + b"'x'")

    for p in sorted(fixtures.rglob("*.ini")):
        write(out, "ini", p.read_bytes())
    for p in sorted(fixtures.rglob("*.toml")):
        write(out, "toml", p.read_bytes())
    write(out, "toml", b'select = ["multiple-heads"]\nignore = []\nfail-on = "error"\n'
          b'revision-id-pattern = "[0-9a-f]{12}"\n[severity]\nmultiple-heads = "error"\n')
    write(out, "ini", b"[DEFAULT]\nhere = /r\n[alembic]\nscript_location = %(here)s/migrations\n"
          b"version_locations = %(here)s/a %(here)s/b\nrecursive_version_locations = true\n"
          b"file_template = %%(rev)s_%%(slug)s\n")
    write(out, "lsp_reader", b"Content-Length: 2\r\nContent-Type: x\r\n\r\n{}Content-Length: 0\n\n")
    for i, (construct, placement) in enumerate([(0, 1), (1, 3), (2, 0), (6, 3), (9, 4), (0, 5)]):
        write(out, "nesting", bytes([construct, placement, 0, 40 + i, 0, i % 4]) + b"'a'")
    # Every target has a directory (libFuzzer needs it to exist), and smoke/<target> holds the
    # few smallest seeds for the short CTest run.
    for t in ("header_diff", "extract", "nesting", "sql", "op_call", "ini", "toml",
              "lsp_reader", "lsp_server", "e2e"):
        (out / t).mkdir(parents=True, exist_ok=True)
        smoke = out / "smoke" / t
        shutil.rmtree(smoke, ignore_errors=True)
        smoke.mkdir(parents=True)
        seeds = sorted((out / t).iterdir(), key=lambda p: (p.stat().st_size, p.name))
        for p in seeds[:SMOKE_SEEDS]:
            shutil.copyfile(p, smoke / p.name)


if __name__ == "__main__":
    main()
