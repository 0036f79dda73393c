#!/usr/bin/env python3
"""The bad-input suite: hostile repositories built here in a temp dir, each run through
`check`, `heads`, `locks` and the language server with a wall-clock limit and an RSS limit.

Every run must end with exit status 0, 1 or 2 (never a signal, never a sanitizer report),
within the time bound and under the memory bound; exit status 2 must come with a one-line error
naming a file; `check` must name the hostile file (a finding or the error). Cases add their own
assertions where the right answer is known (a NUL in SQL is an error finding and the text after
it is still analysed, a symlink loop gives no duplicate revisions, ...).

  bad_input_suite.py --binary build-asan/alembic-lint [--sanitized] [-k NAME] [--list]

Under ASan the memory bound is watched from /proc (RLIMIT_AS does not combine with ASan's
shadow memory); the plain binary also runs under RLIMIT_AS.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

TIME_LIMIT = 20.0  # seconds per command (the sanitized binary; plain: half of it)
RSS_LIMIT = 1536 << 20  # bytes
COMMANDS = ("check", "heads", "locks", "lsp")
# Size factor of the scale cases: the sanitized build (-O0, ASan) runs 15-20 times slower, so
# it gets a fifth of the size, where quadratic code still takes minutes and linear seconds.
SCALE = 1.0


def n(count):
    return max(1, int(count * SCALE))

CASES = []


def case(name, commands=COMMANDS):
    def register(fn):
        CASES.append((name, fn, commands))
        return fn
    return register


# ---------------------------------------------------------------------------------------------
# Repository builders


class Repo:
    """root/alembic.ini -> root/migrations (env.py, versions/)."""

    def __init__(self, root, ini=None):
        self.root = root
        self.versions = os.path.join(root, "migrations", "versions")
        os.makedirs(self.versions)
        self.write("migrations/env.py", "from alembic import context\n")
        self.write("alembic.ini", ini if ini is not None else
                   "[alembic]\nscript_location = migrations\n")
        self.hostile = []  # file names `check` must mention
        self.checks = []  # extra assertions: fn(command, Result) -> error text or None

    def write(self, rel, data):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        return path

    def migration(self, name, rev, down="None", body="    pass\n", pre="", hostile=True):
        text = (f'"""{name}\n\nRevision ID: {rev}\nRevises:\nCreate Date: 2024-01-01\n\n"""\n'
                f"from alembic import op\nimport sqlalchemy as sa\n{pre}"
                f"revision = {rev!r}\ndown_revision = {down}\nbranch_labels = None\n"
                f"depends_on = None\n\n\ndef upgrade():\n{body}\n\ndef downgrade():\n    pass\n")
        self.write(f"migrations/versions/{name}", text)
        if hostile:
            self.hostile.append(name)

    def raw(self, name, data, hostile=True):
        self.write(f"migrations/versions/{name}", data)
        if hostile:
            self.hostile.append(name)

    def ok_base(self):
        """A valid first migration, so the graph has something to stand on."""
        self.migration("a0_base.py", "a0", hostile=False)


def expect(pred, message):
    def check(command, r):
        return None if pred(command, r) else message
    return check


def names_parse_error(command, r):
    return command != "check" or "parse-error" in r.out


def no_parse_error(command, r):
    return command != "check" or "parse-error" not in r.out


# ---------------------------------------------------------------------------------------------
# Crashes: deep nesting, unclosed brackets


@case("deep_parens_10k")
def _(repo):
    repo.ok_base()
    repo.migration("b1_deep.py", "b1", "'a0'", "    x = " + "(" * 10000 + "1" + ")" * 10000 + "\n")
    repo.checks.append(expect(names_parse_error, "10,000 parentheses: CPython refuses them"))


@case("deep_brackets_50k")
def _(repo):
    repo.ok_base()
    repo.migration("b1_deep.py", "b1", "'a0'", "    x = " + "[" * 50000 + "]" * 50000 + "\n")
    repo.checks.append(expect(names_parse_error, "50,000 brackets: CPython refuses them"))


@case("deep_braces_in_op_call")
def _(repo):
    repo.ok_base()
    repo.migration("b1_deep.py", "b1", "'a0'",
                   "    op.execute(" + "{1: " * 20000 + "1" + "}" * 20000 + ")\n")
    repo.checks.append(expect(names_parse_error, "20,000 nested dicts: CPython refuses them"))


@case("unclosed_parens_70k")
def _(repo):
    repo.ok_base()
    repo.migration("b1_open.py", "b1", "'a0'", "    x = " + "(" * 70000 + "\n")
    repo.checks.append(expect(names_parse_error, "unclosed brackets are a syntax error"))


@case("unclosed_brackets_in_header")
def _(repo):
    repo.raw("b1_open.py", "revision = " + "[" * 66000 + "'b1'\ndown_revision = None\n")
    repo.checks.append(expect(names_parse_error, "unclosed brackets are a syntax error"))


@case("parens_100k_around_revision")
def _(repo):
    repo.raw("b1_paren.py", "revision = " + "(" * 100000 + "'b1'" + ")" * 100000 +
             "\ndown_revision = None\n")
    repo.checks.append(expect(names_parse_error, "100,000 parentheses: CPython refuses them"))


@case("nested_lambdas_5k")
def _(repo):
    repo.ok_base()
    repo.migration("b1_lambda.py", "b1", "'a0'", "    f = " + "lambda: " * 5000 + "1\n")


@case("not_chain_50k")
def _(repo):
    repo.ok_base()
    repo.migration("b1_not.py", "b1", "'a0'", "    x = " + "not " * 50000 + "1\n")


@case("nested_blocks_120")
def _(repo):
    body = "".join("    " + " " * i + "if x:\n" for i in range(120)) + "    " + " " * 120 + "pass\n"
    repo.ok_base()
    repo.migration("b1_blocks.py", "b1", "'a0'", body)
    repo.checks.append(expect(names_parse_error, "120 nested blocks: CPython's IndentationError"))


@case("nested_blocks_90_accepted")
def _(repo):
    body = "".join("    " + " " * i + "if x:\n" for i in range(90)) + "    " + " " * 90 + "pass\n"
    repo.ok_base()
    repo.migration("b1_blocks.py", "b1", "'a0'", body)
    repo.checks.append(expect(no_parse_error, "90 nested blocks: CPython accepts them"))


# ---------------------------------------------------------------------------------------------
# Python syntax CPython rejects (or accepts) that tree-sitter recovers from


@case("star_at_line_end")
def _(repo):
    repo.raw("c1_star.py", "x = 1 *\nrevision = 'c1'\ndown_revision = None\n")
    repo.checks.append(expect(names_parse_error, "`1 *` at a line end is a SyntaxError"))


@case("dot_at_line_end")
def _(repo):
    repo.raw("c1_dot.py", "x = c.\nrevision = 'c1'\ndown_revision = None\n")
    repo.checks.append(expect(names_parse_error, "`c.` at a line end is a SyntaxError"))


@case("name_after_string")
def _(repo):
    repo.raw("c1_glued.py", 'revision = "27c6a30d"c742\ndown_revision = None\n')
    repo.checks.append(expect(names_parse_error, "a name glued to a string is a SyntaxError"))
    repo.checks.append(expect(lambda c, r: c != "heads" or "27c6a30d" not in r.stdout,
                              "heads prints a head for a file Alembic cannot import"))


@case("lone_cr_line_endings")
def _(repo):
    repo.raw("c1_cr.py", "revision = 'c1'\rdown_revision = None\r\rdef upgrade():\r    pass\r",
             hostile=False)
    repo.checks.append(expect(no_parse_error, "lone-CR line endings: CPython accepts them"))
    repo.checks.append(expect(lambda c, r: c != "heads" or "c1" in r.stdout,
                              "heads does not read the lone-CR file's revision"))


@case("unterminated_triple_quote")
def _(repo):
    repo.raw("c1_quote.py", 'revision = "c1"\ndown_revision = None\n"""never closed\n' * 3)
    repo.checks.append(expect(names_parse_error, "an unterminated string is a SyntaxError"))


@case("tabs_and_spaces_mixed")
def _(repo):
    repo.raw("c1_tabs.py", "revision = 'c1'\ndown_revision = None\n\ndef upgrade():\n"
             "        x = 1\n\ty = 2\n")
    repo.checks.append(expect(names_parse_error, "inconsistent tabs and spaces: TabError"))


# ---------------------------------------------------------------------------------------------
# Files that are not what they seem: binary, non-UTF-8, huge, FIFOs, devices, links


@case("binary_file")
def _(repo):
    repo.ok_base()
    repo.raw("d1_binary.py", bytes(range(256)) * 64)


@case("non_utf8_source")
def _(repo):
    repo.raw("d1_latin1.py", b"revision = 'd1'\ndown_revision = None\nx = '\xe9\xe8'\n")
    repo.checks.append(expect(names_parse_error, "invalid UTF-8 without a coding line"))


@case("huge_file_9mb")
def _(repo):
    repo.ok_base()
    repo.raw("d1_huge.py", "revision = 'd1'\ndown_revision = 'a0'\n" + "# padding\n" * 900000)


@case("huge_single_line")
def _(repo):
    repo.raw("d1_line.py", "revision = '" + "d" * 6_000_000 + "'\ndown_revision = None\n")


@case("empty_file")
def _(repo):
    repo.ok_base()
    repo.raw("d1_empty.py", b"")


@case("fifo_migration")
def _(repo):
    repo.ok_base()
    os.mkfifo(os.path.join(repo.versions, "d1_fifo.py"))
    repo.hostile.append("d1_fifo.py")


@case("dev_zero_migration")
def _(repo):
    repo.ok_base()
    os.symlink("/dev/zero", os.path.join(repo.versions, "d1_zero.py"))
    repo.hostile.append("d1_zero.py")


@case("dev_urandom_migration")
def _(repo):
    repo.ok_base()
    os.symlink("/dev/urandom", os.path.join(repo.versions, "d1_random.py"))
    repo.hostile.append("d1_random.py")


@case("dangling_symlink")
def _(repo):
    repo.ok_base()
    os.symlink("/nonexistent/x.py", os.path.join(repo.versions, "d1_dangling.py"))
    repo.hostile.append("d1_dangling.py")


@case("symlink_loop_recursive")
def _(repo):
    with open(os.path.join(repo.root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = migrations\nrecursive_version_locations = true\n")
    repo.migration("e1_first.py", "e1", hostile=False)
    os.symlink(".", os.path.join(repo.versions, "loop"))
    repo.checks.append(expect(lambda c, r: "duplicate" not in r.out.lower(),
                              "a directory symlink loop is followed: false duplicate revisions"))


@case("symlink_to_root_recursive")
def _(repo):
    with open(os.path.join(repo.root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = migrations\nrecursive_version_locations = true\n")
    repo.migration("e1_first.py", "e1", hostile=False)
    os.symlink("/", os.path.join(repo.versions, "root"))
    repo.checks.append(expect(lambda c, r: "/proc" not in r.out and "proc/" not in r.out,
                              "a directory link to / is walked (reads /proc)"))


# ---------------------------------------------------------------------------------------------
# SQL: NUL, surrogates, size


def mentions_users(command, r):
    return command != "locks" or "users" in r.stdout


@case("nul_in_sql")
def _(repo):
    repo.ok_base()
    repo.migration("f1_nul.py", "f1", "'a0'", "    op.execute('SELECT 1;\\x00DROP TABLE users')\n")
    repo.checks.append(expect(lambda c, r: c != "check" or r.code == 1,
                              "a NUL in SQL must be an error finding"))
    repo.checks.append(expect(mentions_users, "the DROP TABLE after the NUL is not analysed"))


@case("surrogate_in_sql")
def _(repo):
    repo.ok_base()
    repo.migration("f1_surrogate.py", "f1", "'a0'",
                   "    op.execute('DROP TABLE users; SELECT \\udc80')\n")
    repo.checks.append(expect(lambda c, r: c != "check" or r.code == 1,
                              "SQL with a lone surrogate vanishes without a finding"))
    repo.checks.append(expect(mentions_users, "the statement with a surrogate vanishes"))


# Sizes where the quadratic code of issue 7 takes minutes under ASan, a linear one seconds.
@case("sql_15k_statements")
def _(repo):
    repo.ok_base()
    sql = "".join(f"ALTER TABLE t{i % 50} ADD COLUMN c{i} int;\n" for i in range(n(15000)))
    repo.migration("f1_sql.py", "f1", "'a0'", f"    op.execute('''{sql}''')\n")


@case("ops_20k_add_drop_column")
def _(repo):
    repo.ok_base()
    body = "".join(f"    op.add_column('t', sa.Column('c{i}', sa.Integer()))\n"
                   f"    op.drop_column('t', 'c{i}')\n" for i in range(n(10000)))
    repo.migration("f1_ops.py", "f1", "'a0'", body)


@case("sql_deep_parens")
def _(repo):
    repo.ok_base()
    repo.migration("f1_sqlparen.py", "f1", "'a0'",
                   "    op.execute('SELECT " + "(" * 20000 + "1" + ")" * 20000 + "')\n")


# ---------------------------------------------------------------------------------------------
# Revision strings and file names the reports must carry


def json_reports_parse(command, r):
    if command == "check" and r.extra.get("json") is not None:
        return r.extra["json"] == "ok"
    return True


@case("surrogate_in_revision")
def _(repo):
    repo.raw("g1_surrogate.py", "revision = '\\udc80g1'\ndown_revision = None\n")
    repo.checks.append(expect(json_reports_parse, "--format json/sarif lose the whole report"))


@case("invalid_utf8_file_name")
def _(repo):
    repo.write("migrations/versions/g1_\udcff.py", "revision = 'g1'\ndown_revision = None\n"
               "x = (\n")
    repo.hostile.append("g1_")
    repo.checks.append(expect(json_reports_parse, "--format json/sarif lose the whole report"))


@case("duplicate_id_1000")
def _(repo):
    for i in range(1000):
        repo.raw(f"h{i:04d}_dup.py", "revision = 'dup1'\ndown_revision = None\n",
                 hostile=(i == 0))
    repo.checks.append(expect(lambda c, r: len(r.stdout) < 2_000_000,
                              "one duplicated id prints megabytes"))
    # `alembic heads` (1.8.1) prints a duplicated head once per file that declares it: heads
    # matches that, with one short warning (not one per copy, not every path a thousand times).
    repo.checks.append(expect(lambda c, r: c != "heads" or (r.stdout.count("dup1") == 1000
                                                            and len(r.stderr) < 2_000),
                              "heads prints what alembic heads prints, with one short warning"))


@case("many_suppressions")
def _(repo):
    repo.ok_base()
    repo.migration("h1_supp.py", "h1", "'a0'",
                   "    pass  # alembic-lint: ignore[\n" * n(20000))


# ---------------------------------------------------------------------------------------------
# Configuration: regexes, ini, TOML


def error_names(fragment):
    def check(command, r):
        if command == "lsp" or r.code != 2 or fragment in r.stderr:
            return None
        return f"the error does not name {fragment}"
    return check


@case("regex_huge_repeat")
def _(repo):
    repo.migration("i1_x.py", "i1", hostile=False)
    repo.write(".alembic-lint.toml", 'revision-id-pattern = "a{99999999999999999999}"\n')
    repo.hostile.append(".alembic-lint.toml")


@case("regex_backtracking")
def _(repo):
    repo.write(".alembic-lint.toml", 'revision-id-pattern = "(a*)*b"\n')
    for i in range(20):
        repo.raw(f"i{i}_x.py", f"revision = '{'a' * 40}{i:02d}'\ndown_revision = None\n",
                 hostile=(i == 0))


@case("regex_deep_groups")
def _(repo):
    repo.migration("i1_x.py", "i1", hostile=False)
    repo.write(".alembic-lint.toml", 'revision-id-pattern = "' + "(" * 30000 + ")" * 30000 + '"\n')
    repo.hostile.append(".alembic-lint.toml")


@case("malformed_ini")
def _(repo):
    repo.write("alembic.ini", "[alembic]\nscript_location = migrations\nthis is not a key\n")
    repo.migration("j1_x.py", "j1", hostile=False)
    repo.hostile.append("alembic.ini")
    repo.checks.append(error_names("alembic.ini:3"))


@case("ini_interpolation_loop")
def _(repo):
    repo.write("alembic.ini", "[alembic]\na = %(b)s\nb = %(a)s\nscript_location = %(a)s\n")
    repo.migration("j1_x.py", "j1", hostile=False)
    repo.hostile.append("alembic.ini")


@case("ini_duplicate_section")
def _(repo):
    repo.write("alembic.ini", "[alembic]\nscript_location = migrations\n[alembic]\nx = 1\n")
    repo.migration("j1_x.py", "j1", hostile=False)
    repo.hostile.append("alembic.ini")


@case("ini_binary")
def _(repo):
    repo.write("alembic.ini", bytes(range(256)) * 16)
    repo.migration("j1_x.py", "j1", hostile=False)
    repo.hostile.append("alembic.ini")


@case("ini_fifo")
def _(repo):
    os.remove(os.path.join(repo.root, "alembic.ini"))
    os.mkfifo(os.path.join(repo.root, "alembic.ini"))
    repo.migration("j1_x.py", "j1", hostile=False)
    repo.hostile.append("alembic.ini")


@case("malformed_toml")
def _(repo):
    repo.migration("k1_x.py", "k1", hostile=False)
    repo.write(".alembic-lint.toml", "select = [\n")
    repo.hostile.append(".alembic-lint.toml")
    repo.checks.append(error_names(".alembic-lint.toml"))


@case("toml_wrong_types")
def _(repo):
    repo.migration("k1_x.py", "k1", hostile=False)
    repo.write(".alembic-lint.toml", "select = 5\nexpected-heads = 'x'\n[severity]\nx = []\n")
    repo.hostile.append(".alembic-lint.toml")


@case("toml_deep_arrays")
def _(repo):
    repo.migration("k1_x.py", "k1", hostile=False)
    repo.write(".alembic-lint.toml", "select = " + "[" * 20000 + "]" * 20000 + "\n")
    repo.hostile.append(".alembic-lint.toml")


@case("config_is_fifo")
def _(repo):
    repo.migration("k1_x.py", "k1", hostile=False)
    os.mkfifo(os.path.join(repo.root, "lint.toml"))
    repo.check_args = ["--config", "lint.toml"]
    repo.hostile.append("lint.toml")


@case("config_is_dev_urandom")
def _(repo):
    repo.migration("k1_x.py", "k1", hostile=False)
    os.symlink("/dev/urandom", os.path.join(repo.root, "lint.toml"))
    repo.check_args = ["--config", "lint.toml"]
    repo.hostile.append("lint.toml")


@case("pyproject_is_dev_zero")
def _(repo):
    repo.migration("k1_x.py", "k1", hostile=False)
    os.symlink("/dev/zero", os.path.join(repo.root, "pyproject.toml"))
    repo.hostile.append("pyproject.toml")


# ---------------------------------------------------------------------------------------------
# The language server fed garbage (the repository is a plain valid one)


LSP_GARBAGE = {
    "lsp_bad_headers": b"Content-Length: abc\r\n\r\nxyz\r\nContent-Length: -5\r\n\r\n"
                       b"Content-Length: 99999999999999999999999\r\n\r\n",
    "lsp_huge_content_length": b"Content-Length: 500000000\r\n\r\n{}",
    "lsp_garbage_json": b"".join(b"Content-Length: %d\r\n\r\n%s" % (len(x), x) for x in [
        b"{", b"[]", b"null", b'{"jsonrpc":"2.0","id":{},"method":5}',
        b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":7}}',
        b"[" * 100000 + b"]" * 100000, b"\xff\xfe\x00garbage"]),
    "lsp_binary_noise": bytes((i * 7919) % 256 for i in range(200000)),
}


def lsp_case(name):
    def build(repo):
        repo.migration("l1_x.py", "l1", hostile=False)
        repo.lsp_prefix = LSP_GARBAGE[name]
    return build


for _name in LSP_GARBAGE:
    CASES.append((_name, lsp_case(_name), ("lsp",)))


# ---------------------------------------------------------------------------------------------
# Running


class Result:
    def __init__(self):
        self.code = None
        self.stdout = ""
        self.stderr = ""
        self.seconds = 0.0
        self.peak_rss = 0
        self.killed = None  # "time" or "memory"
        self.extra = {}

    @property
    def out(self):
        return self.stdout + self.stderr


def rss_of(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run(argv, cwd, stdin_data, limits, env):
    """Runs argv, watching time and RSS; kills it past either bound."""
    r = Result()

    def preexec():
        if not limits["sanitized"]:
            resource.setrlimit(resource.RLIMIT_AS, (limits["rss"] * 2, limits["rss"] * 2))
        os.setsid()

    start = time.monotonic()
    p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, preexec_fn=preexec, env=env)
    out, err = [], []
    readers = [threading.Thread(target=lambda s, b: b.append(s.read()), args=(p.stdout, out)),
               threading.Thread(target=lambda s, b: b.append(s.read()), args=(p.stderr, err))]
    for t in readers:
        t.start()

    def feed():
        try:
            if stdin_data:
                p.stdin.write(stdin_data)
            p.stdin.close()
        except OSError:
            pass
    writer = threading.Thread(target=feed)
    writer.start()
    while p.poll() is None:
        elapsed = time.monotonic() - start
        r.peak_rss = max(r.peak_rss, rss_of(p.pid))
        if elapsed > limits["time"]:
            r.killed = "time"
        elif r.peak_rss > limits["rss"]:
            r.killed = "memory"
        if r.killed:
            os.killpg(p.pid, 9)
            break
        time.sleep(0.02)
    p.wait()
    r.seconds = time.monotonic() - start
    writer.join(5)
    for t in readers:
        t.join(5)
    r.code = p.returncode
    r.stdout = (out[0] if out else b"").decode("utf-8", "replace")
    r.stderr = (err[0] if err else b"").decode("utf-8", "replace")
    r.raw_stdout = out[0] if out else b""
    return r


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def lsp_input(repo):
    """initialize, (garbage), didOpen of every readable migration, shutdown, exit."""
    root_uri = "file://" + repo.root
    data = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"rootUri": root_uri, "capabilities": {}}})
    data += frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    data += getattr(repo, "lsp_prefix", b"")
    for name in sorted(os.listdir(repo.versions))[:5]:
        path = os.path.join(repo.versions, name)
        if not os.path.isfile(path) or os.path.islink(path) or os.path.getsize(path) > 10 << 20:
            continue
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        uri = "file://" + path.replace("%", "%25")
        data += frame({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                       "params": {"textDocument": {"uri": uri, "languageId": "python",
                                                   "version": 1, "text": text}}})
        data += frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
                       "params": {"textDocument": {"uri": uri},
                                  "position": {"line": 0, "character": 0}}})
    data += frame({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
    data += frame({"jsonrpc": "2.0", "method": "exit"})
    return data


def lsp_responses(raw):
    msgs, i = [], 0
    while True:
        j = raw.find(b"\r\n\r\n", i)
        if j < 0:
            return msgs
        n = 0
        for line in raw[i:j].split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                n = int(line.split(b":")[1])
        try:
            msgs.append(json.loads(raw[j + 4:j + 4 + n]))
        except ValueError:
            msgs.append(None)
        i = j + 4 + n


SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                   "runtime error:", "internal error")


def judge(name, command, repo, r):
    """The list of problems with one run (empty: it passed)."""
    problems = []
    if r.killed == "time":
        problems.append(f"still running after {r.seconds:.1f}s (killed)")
    elif r.killed == "memory":
        problems.append(f"RSS {r.peak_rss >> 20} MB over the bound (killed)")
    elif r.code is None or r.code < 0:
        problems.append(f"ended by signal {-r.code if r.code else '?'}")
    elif r.code not in (0, 1, 2):
        problems.append(f"exit status {r.code}")
    for mark in SANITIZER_MARKS:
        if mark in r.stderr:
            line = next(ln for ln in r.stderr.splitlines() if mark in ln)
            problems.append(f"stderr: {line.strip()[:200]}")
            break
    if problems:
        return problems
    if command == "lsp":
        msgs = lsp_responses(r.raw_stdout)
        if not any(isinstance(m, dict) and m.get("id") == 99 and "result" in m for m in msgs):
            problems.append("no answer to shutdown")
        if r.code != 0:
            problems.append(f"exit status {r.code} after shutdown+exit")
    else:
        if r.code == 2:
            lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
            if len(lines) != 1:
                problems.append(f"exit 2 with {len(lines)} lines on stderr (want one)")
            elif not any(h.split("/")[-1] in lines[0] for h in repo.hostile) and \
                    repo.root not in lines[0] and "migrations" not in lines[0]:
                problems.append(f"error names no file: {lines[0][:200]}")
        if command == "check" and repo.hostile:
            if not any(h in r.out for h in repo.hostile):
                problems.append(f"check names none of {repo.hostile[:3]}")
    for c in repo.checks:
        msg = c(command, r)
        if msg:
            problems.append(msg)
    return problems


def run_case(name, build, commands, binary, limits, env, keep):
    base = tempfile.mkdtemp(prefix=f"alint-bad-{name}-")
    root = os.path.join(base, "repo")
    os.makedirs(root)
    repo = Repo(root)
    build(repo)
    failures = []
    for command in commands:
        if command == "lsp":
            r = run([binary, "lsp"], root, lsp_input(repo), limits, env)
        else:
            argv = [binary, command, "."]
            if command == "check":
                argv += getattr(repo, "check_args", [])
            r = run(argv, root, b"", limits, env)
            if command == "check" and any(c is json_reports_parse for c in repo.checks) \
                    and not r.killed:
                ok = "ok"
                for fmt in ("json", "sarif"):
                    rj = run([binary, "check", ".", "--format", fmt], root, b"", limits, env)
                    try:
                        json.loads(rj.raw_stdout.decode("utf-8"))
                    except ValueError:
                        ok = f"{fmt}: {rj.stderr.strip()[:120]}"
                rl = run([binary, "locks", ".", "--format", "json"], root, b"", limits, env)
                try:
                    json.loads(rl.raw_stdout.decode("utf-8"))
                except ValueError:
                    ok = f"locks json: {rl.stderr.strip()[:120]}"
                r.extra["json"] = ok
        problems = judge(name, command, repo, r)
        status = "ok" if not problems else "FAIL"
        print(f"  {command:<6} {status:<4} exit={r.code} {r.seconds:5.1f}s "
              f"rss={r.peak_rss >> 20}MB" + ("" if not problems else "  " + "; ".join(problems)),
              flush=True)
        if problems:
            failures.append((command, problems))
    if keep:
        print(f"  kept {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--sanitized", action="store_true",
                    help="the binary runs under ASan/UBSan: no RLIMIT_AS, longer time bound")
    ap.add_argument("-k", dest="only", action="append", help="run cases whose name contains this")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temp repositories")
    args = ap.parse_args()
    if args.list:
        for name, _, commands in CASES:
            print(name, " ".join(commands))
        print(f"{len(CASES)} cases")
        return 0
    binary = os.path.abspath(args.binary)
    global SCALE
    SCALE = 1 / 5 if args.sanitized else 1.0
    limits = {"time": TIME_LIMIT if args.sanitized else TIME_LIMIT / 2, "rss": RSS_LIMIT,
              "sanitized": args.sanitized}
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=1"
    env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:abort_on_error=1"
    env["NO_COLOR"] = "1"
    failed = []
    selected = [c for c in CASES if not args.only or any(k in c[0] for k in args.only)]
    for name, build, commands in selected:
        print(f"{name}", flush=True)
        if run_case(name, build, commands, binary, limits, env, args.keep):
            failed.append(name)
    print(f"\n{len(selected) - len(failed)}/{len(selected)} cases passed")
    if failed:
        print("failed: " + " ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
