#!/usr/bin/env python3
"""End-to-end test of `alembic-lint lsp` driven by a scripted JSON-RPC client (stdlib only).

Builds a small Alembic repository in a temporary directory, starts the server on pipes and
walks through what an editor does: initialize, open documents, edit them, hover, ask for
quick fixes, send garbage, shut down. Every step asserts on the server's messages.

Usage: lsp_e2e.py --binary build/alembic-lint
"""

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

A, B, C, D = "3f2a9c1d7b4e", "8e1b5d0c2a97", "c4d7e2f9a013", "5b0e7a3d9c21"
TIMEOUT = 20.0


def migration(rev, down, body="pass", note="", undo="pass"):
    down_src = "None" if down is None else '"%s"' % down
    return (
        f'"""step {rev}{note}\n\nRevision ID: {rev}\nRevises: {down or ""}\n'
        f'Create Date: 2024-03-01 10:00:00.000000\n\n"""\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        f'revision = "{rev}"\ndown_revision = {down_src}\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n    {body}\n\n\ndef downgrade():\n    {undo}\n"
    )


def uri(path):
    return "file://" + urllib.parse.quote(path)


class Client:
    def __init__(self, binary, cwd):
        self.proc = subprocess.Popen(
            [binary, "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
        self.inbox = queue.Queue()
        self.diagnostics = {}  # uri -> latest list
        self.publish_count = {}  # uri -> how many publishes
        self.responses = {}
        self.next_id = 1
        self.stderr = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode(errors="replace"))

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                key, _, value = line.decode().partition(":")
                headers[key.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.inbox.put(json.loads(body))

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.wait_response(rid)

    def _pump(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        try:
            msg = self.inbox.get(timeout=left)
        except queue.Empty:
            return False
        if msg is None:
            raise AssertionError("server exited unexpectedly:\n" + "".join(self.stderr))
        if msg.get("method") == "textDocument/publishDiagnostics":
            u = msg["params"]["uri"]
            self.diagnostics[u] = msg["params"]["diagnostics"]
            self.publish_count[u] = self.publish_count.get(u, 0) + 1
        elif "id" in msg and "method" not in msg:
            self.responses[msg["id"]] = msg
        return True

    def wait_response(self, rid):
        deadline = time.monotonic() + TIMEOUT
        while rid not in self.responses:
            if not self._pump(deadline):
                raise AssertionError(f"no response to request {rid}")
        return self.responses.pop(rid)

    def settle(self):
        """Round-trips a request so every notification sent before it has arrived."""
        self.request("textDocument/hover", {"textDocument": {"uri": "file:///nonexistent.py"},
                                            "position": {"line": 0, "character": 0}})

    def codes(self, u):
        return sorted(d["code"] for d in self.diagnostics.get(u, []))


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok -", what)


def full_change(client, u, version, text):
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": u, "version": version},
        "contentChanges": [{"text": text}],
    })


def incremental_change(client, u, version, text, old, new):
    """Replaces the first `old` in `text` with `new` through a ranged change (UTF-16)."""
    at = text.index(old)
    line = text.count("\n", 0, at)
    col = at - (text.rfind("\n", 0, at) + 1)
    col16 = len(text[at - col:at].encode("utf-16-le")) // 2
    end16 = col16 + len(old.encode("utf-16-le")) // 2
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": u, "version": version},
        "contentChanges": [{
            "range": {"start": {"line": line, "character": col16},
                      "end": {"line": line, "character": end16}},
            "text": new,
        }],
    })
    return text[:at] + new + text[at + len(old):]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)

    root = tempfile.mkdtemp(prefix="alint-lsp-e2e-")
    try:
        run(binary, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("all LSP end-to-end checks passed")


def run(binary, root):
    versions = os.path.join(root, "migrations", "versions")
    os.makedirs(versions)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = migrations\n")
    with open(os.path.join(root, "migrations", "env.py"), "w") as f:
        f.write("# env\n")
    # D is named for the id it gets once the duplicate is fixed.
    paths = {k: os.path.join(versions, f"{rev}_{k.lower()}.py")
             for k, rev in (("A", A), ("B", B), ("C", C), ("D", D))}
    # A -> B -> C, and D: a copy of C that kept C's id (the two-PRs incident). On D's revision
    # line a string with a non-BMP character (a UTF-16 surrogate pair) and an "é" come before
    # the literal, so its LSP column differs from both its byte and its code point column.
    texts = {
        "A": migration(A, None),
        "B": migration(B, A),
        # A healthy DDL migration: lock_timeout first, so no DDL rule has anything to say.
        # Its downgrade undoes it (irreversible-migration has nothing to say either).
        "C": migration(C, B, 'op.execute("SET lock_timeout = \'5s\'")\n    '
                             'op.add_column("users", sa.Column("email", sa.Text()))',
                       undo='op.execute("SET lock_timeout = \'5s\'")\n    '
                            'op.drop_column("users", "email")'),
        "D": migration(C, B).replace(f'revision = "{C}"',
                                     f'_tag = "\U0001F680é"; revision = "{C}"'),
    }
    for k, p in paths.items():
        with open(p, "w", encoding="utf-8") as f:
            f.write(texts[k])
    u = {k: uri(p) for k, p in paths.items()}

    client = Client(binary, root)
    init = client.request("initialize", {
        "processId": os.getpid(),
        "rootUri": uri(root),
        "capabilities": {"textDocument": {"publishDiagnostics": {"relatedInformation": True}}},
    })
    caps = init["result"]["capabilities"]
    check(caps["positionEncoding"] == "utf-16" and caps["hoverProvider"],
          "initialize advertises UTF-16, hover")
    check(caps["textDocumentSync"]["change"] in (1, 2), "initialize advertises text sync")
    client.notify("initialized", {})

    # --- garbage before anything useful -----------------------------------------------------
    client.send_raw(b"this is not a header\r\n\r\n")
    body = b"{not json"
    client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    deadline = time.monotonic() + TIMEOUT
    while None not in client.responses:
        if not client._pump(deadline):
            raise AssertionError("no ParseError response to malformed JSON")
    check(client.responses.pop(None)["error"]["code"] == -32700,
          "malformed JSON gets a ParseError response")
    r = client.request("workspace/noSuchMethod", {})
    check(r["error"]["code"] == -32601, "unknown request gets MethodNotFound")
    client.notify("$/noSuchNotification", {})
    r = client.request("textDocument/hover", {"textDocument": {"uri": u["C"]}})
    check(r["error"]["code"] == -32602, "hover without a position gets InvalidParams")
    client.notify("textDocument/didOpen", {})  # no params at all: ignored, no crash

    # A lying Content-Length over the limit: answered with a null-id error at once (nothing is
    # allocated for it), and the request glued to its few bytes is still read and answered.
    client.send_raw(b"Content-Length: 500000000\r\n\r\n" + b'{"jsonrpc":"2.0","id":99}')
    deadline = time.monotonic() + TIMEOUT
    while None not in client.responses:
        if not client._pump(deadline):
            raise AssertionError("no error response to an oversized Content-Length")
    err = client.responses.pop(None)["error"]
    check(err["code"] == -32600 and "over the 64 MiB limit" in err["message"],
          "an oversized message gets an InvalidRequest error with a null id")
    r = client.request("workspace/noSuchMethod", {})
    check(r["error"]["code"] == -32601, "the next message after an oversized one is read")
    # A body under an unusable header, glued to the next frame: the reader resynchronises.
    client.send_raw(b"Content-Length: x\r\n\r\n{}")
    r = client.request("workspace/noSuchMethod", {})
    check(r["error"]["code"] == -32601, "the next message after a bad header is read")

    # --- open two files with a duplicate id ------------------------------------------------
    for k in ("C", "D"):
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": u[k], "languageId": "python", "version": 1, "text": texts[k]}})
    client.settle()
    check("duplicate-revision" in client.codes(u["C"]), "duplicate id reported in C")
    check("duplicate-revision" in client.codes(u["D"]), "duplicate id reported in D")
    dup_d = next(d for d in client.diagnostics[u["D"]] if d["code"] == "duplicate-revision")
    line_d = texts["D"].splitlines()[dup_d["range"]["start"]["line"]]
    prefix = line_d[:line_d.index('"' + C)]
    col16 = len(prefix.encode("utf-16-le")) // 2
    check(col16 == len(prefix) + 1 and dup_d["range"]["start"]["character"] == col16
          and dup_d["range"]["end"]["character"] == col16 + 14,
          "range points at the revision literal in UTF-16 code units")
    check(dup_d["severity"] == 1 and dup_d["source"] == "alembic-lint", "severity and source")
    rel = dup_d.get("relatedInformation", [])
    check(rel and rel[0]["location"]["uri"] == u["C"], "related information points at C")

    # Hover on the duplicate literal shows the rule's doc.
    pos = dup_d["range"]["start"]
    r = client.request("textDocument/hover", {"textDocument": {"uri": u["D"]},
                                              "position": {"line": pos["line"],
                                                           "character": pos["character"] + 3}})
    value = r["result"]["contents"]["value"]
    check("duplicate-revision" in value and "also declared by another file" in value,
          "hover on a diagnostic shows the rule documentation")

    # Hover on an op.* call shows its lock.
    line_no = next(i for i, l in enumerate(texts["C"].splitlines()) if "op.add_column" in l)
    r = client.request("textDocument/hover", {"textDocument": {"uri": u["C"]},
                                              "position": {"line": line_no, "character": 9}})
    value = r["result"]["contents"]["value"] if r["result"] else ""
    check("ACCESS EXCLUSIVE" in value and "users" in value, "hover on op.add_column shows its lock")

    # --- change one file's revision: both cleared (a fork appears instead) ---------------------
    texts["D"] = incremental_change(client, u["D"], 2, texts["D"], f'revision = "{C}"',
                                    f'revision = "{D}"')
    texts["D"] = incremental_change(client, u["D"], 3, texts["D"], f"Revision ID: {C}",
                                    f"Revision ID: {D}")
    client.settle()
    check("duplicate-revision" not in client.codes(u["C"]), "duplicate cleared in C")
    check("duplicate-revision" not in client.codes(u["D"]), "duplicate cleared in D")
    forks = client.codes(u["C"]) + client.codes(u["D"])
    check("multiple-heads" in forks, "C and D now fork from B: multiple-heads reported")

    # Make D follow C: linear again, nothing left.
    texts["D"] = incremental_change(client, u["D"], 4, texts["D"], f'down_revision = "{B}"',
                                    f'down_revision = "{C}"')
    texts["D"] = incremental_change(client, u["D"], 5, texts["D"], f"Revises: {B}",
                                    f"Revises: {C}")
    client.settle()
    check(not client.codes(u["C"]) and not client.codes(u["D"]),
          "linear history: all clear")

    # --- a fork that lands in a file nobody opened -------------------------------------------
    # C now revises A: B (not open) becomes a second head next to the longer line A-C-D.
    texts["C"] = incremental_change(client, u["C"], 2, texts["C"], f'down_revision = "{B}"',
                                    f'down_revision = "{A}"')
    client.settle()
    check("multiple-heads" in client.codes(u["B"]), "fork reported in B, which is not open")
    check("multiple-heads" not in client.codes(u["C"]) + client.codes(u["D"]),
          "the longer line (A-C-D) is not the one reported")
    texts["C"] = incremental_change(client, u["C"], 3, texts["C"], f'down_revision = "{A}"',
                                    f'down_revision = "{B}"')
    client.settle()
    check(not client.codes(u["B"]), "fork cleared in B again")

    # --- quick fix -----------------------------------------------------------------------------
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": u["A"], "languageId": "python", "version": 1, "text": texts["A"]}})
    texts["A"] = incremental_change(client, u["A"], 2, texts["A"], "down_revision = None",
                                    'down_revision = ""')
    client.settle()
    empty = [d for d in client.diagnostics.get(u["A"], []) if d["code"] == "empty-down-revision"]
    check(len(empty) == 1, "empty down_revision reported in A")
    r = client.request("textDocument/codeAction", {
        "textDocument": {"uri": u["A"]},
        "range": empty[0]["range"],
        "context": {"diagnostics": empty},
    })
    actions = r["result"]
    check(len(actions) == 1 and actions[0]["kind"] == "quickfix", "one quick fix offered")
    edits = actions[0]["edit"]["changes"][u["A"]]
    line = texts["A"].splitlines()[edits[0]["range"]["start"]["line"]]
    s, e = edits[0]["range"]["start"]["character"], edits[0]["range"]["end"]["character"]
    check(line[s:e] == '""' and edits[0]["newText"] == "None",
          "the quick fix replaces the empty string with None")
    r = client.request("textDocument/codeAction", {
        "textDocument": {"uri": u["A"]},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
        "context": {"diagnostics": []},
    })
    check(r["result"] == [], "no quick fix away from the diagnostic")
    full_change(client, u["A"], 3, migration(A, None))
    client.settle()
    check(not client.codes(u["A"]), "full-text change clears A")

    # --- close clears file-level diagnostics -----------------------------------------------------
    texts["A"] = incremental_change(client, u["A"], 4, migration(A, None), "down_revision = None",
                                    'down_revision = ""')
    client.settle()
    check("empty-down-revision" in client.codes(u["A"]), "unsaved edit reported")
    client.notify("textDocument/didClose", {"textDocument": {"uri": u["A"]}})
    client.settle()
    check(not client.codes(u["A"]), "closing the unsaved buffer clears its diagnostics")

    # --- documents outside any environment, deleted files ------------------------------------------
    stray = os.path.join(root, "tools", "script.py")
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(stray), "languageId": "python", "version": 1, "text": "print('hi')\n"}})
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": "untitled:Untitled-1", "languageId": "python", "version": 1, "text": "x = 1\n"}})
    client.settle()
    check(not client.codes(uri(stray)), "a file outside any environment gets no diagnostics")

    # D deleted on disk while open: the buffer still counts; after closing it, it is gone.
    os.remove(paths["D"])
    client.notify("workspace/didChangeWatchedFiles",
                  {"changes": [{"uri": u["D"], "type": 3}]})
    client.settle()
    check(not client.codes(u["C"]), "deleted-on-disk but open D still counts: C has no fork")
    # C now revises A while B is still there, and D is closed (gone): a fork between B and C.
    client.notify("textDocument/didClose", {"textDocument": {"uri": u["D"]}})
    texts["C"] = incremental_change(client, u["C"], 4, texts["C"], f'down_revision = "{B}"',
                                    f'down_revision = "{A}"')
    client.settle()
    check("multiple-heads" in client.codes(u["B"]) + client.codes(u["C"]),
          "after D is gone, B and C fork")
    check(not client.codes(u["D"]), "the deleted file has no diagnostics")

    # --- shutdown / exit ---------------------------------------------------------------------------
    r = client.request("shutdown")
    check("result" in r and r["result"] is None, "shutdown answers null")
    r = client.request("textDocument/hover", {"textDocument": {"uri": u["C"]},
                                              "position": {"line": 0, "character": 0}})
    check(r["error"]["code"] == -32600, "requests after shutdown are refused")
    client.notify("exit", None)
    try:
        code = client.proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        client.proc.kill()
        raise AssertionError("server did not exit")
    check(code == 0, "exit after shutdown: status 0")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print("FAIL:", e, file=sys.stderr)
        sys.exit(1)
