#!/usr/bin/env python3
"""CPython and alembic-lint agree on which migrations Python can compile.

Each case is a small module built here (hostile shapes included: a statement tree-sitter's error
recovery joins with the next line, lone CR line endings, 120 nested blocks, 10,000 nested
brackets). For each, compile() on this machine's CPython gives the verdict; then `check`
(tree-sitter reader) must report parse-error exactly when CPython refuses the module, and
`heads` (the fast header scanner, falling back to tree-sitter) must show the same: an
import-error for the environment, or the head. tests/python/layout_test.cc hard-codes the
same verdicts for the two readers; this test proves them against the real interpreter.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HEADER = "from alembic import op\n"


def blocks(n):
    return "".join(" " * i + "if x:\n" for i in range(n)) + " " * n + "pass\n"


CASES = {
    "star_at_line_end": "x = *\nrevision = 'a1'\ndown_revision = None\n",
    "dot_at_line_end": "x = c.\nrevision = 'a1'\ndown_revision = None\n",
    "plus_at_line_end": "x = 1 +\nrevision = 'a1'\ndown_revision = None\n",
    "name_after_string": "revision = \"27c6a30d\"c742\ndown_revision = None\n",
    "name_after_string_in_body": "revision = 'a1'\ndown_revision = None\n"
                                 "def upgrade():\n    x = 'a' b\n",
    "lone_cr": "revision = 'a1'\rdown_revision = None\r\rdef upgrade():\r    pass\r",
    "crlf": "revision = 'a1'\r\ndown_revision = None\r\n",
    "blocks_99": "revision = 'a1'\ndown_revision = None\n" + blocks(99),
    "blocks_120": "revision = 'a1'\ndown_revision = None\n" + blocks(120),
    "brackets_200": "revision = 'a1'\ndown_revision = None\nx = " + "(" * 200 + "1"
                    + ")" * 200 + "\n",
    "brackets_10000": "revision = 'a1'\ndown_revision = None\ndef upgrade():\n    op.execute("
                      + "(" * 10000 + "'x'" + ")" * 10000 + ")\n",
    "unclosed_70000": "revision = 'a1'\ndown_revision = None\nx = " + "(" * 70000 + "\n",
    "bad_dedent": "revision = 'a1'\ndown_revision = None\nif x:\n    y = 1\n  z = 2\n",
    "unexpected_indent": "revision = 'a1'\ndown_revision = None\nx = 1\n    y = 2\n",
    "missing_block": "revision = 'a1'\ndown_revision = None\ndef upgrade():\nx = 1\n",
    "continuation_joins": "x = 1 \\\nrevision = 'a1'\ndown_revision = None\n",
    "block_at_eof": "revision = 'a1'\ndown_revision = None\nif x:\n",
    "semicolons": "revision = 'a1'; x = 1\ndown_revision = None\n",
    "one_line_compound": "revision = 'a1'\ndown_revision = None\nif x: y = 1; z = 2\n"
                         "else: pass\n",
    "except_as": "revision = 'a1'\ndown_revision = None\ntry:\n    pass\n"
                 "except (A, B) as e:\n    pass\n",
    "import_star": "from os import *\nrevision = 'a1'\ndown_revision = None\n",
    "continued": "revision = 'a1'\ndown_revision = None\nx = (1 +\n 2) + \\\n 3\n",
    "conditional_expr": "x = 'a' if True else 'b'\nrevision = 'a1'\ndown_revision = None\n",
    "concatenation": "revision = 'a' '1'\ndown_revision = None\n",
    "walrus_and_slices": "revision = 'a1'\ndown_revision = None\ny = [1][0:]\n"
                         "if (z := 1):\n    pass\n",
    # Tabs: CPython measures indentation with tabs to 8 and to 1 column; both must agree.
    "tabs_and_spaces_mixed": "revision = 'a1'\ndown_revision = None\ndef upgrade():\n"
                             "        x = 1\n\ty = 2\n",
    "tab_then_spaces_deeper": "revision = 'a1'\ndown_revision = None\nif x:\n    \ty = 1\n"
                              "\tz = 2\n",
    "tabs_consistent": "revision = 'a1'\ndown_revision = None\nif x:\n\tif y:\n\t\tpass\n"
                       "\tz = 1\nif w:\n  \tv = 1\n  \tu = 2\n",
    # Chains of prefix operators: tree-sitter 0.20.7 corrupted its heap on long ones.
    "not_chain_1500": "revision = 'a1'\ndown_revision = None\nx = " + "not " * 1500 + "y\n",
    "not_chain_3500": "revision = 'a1'\ndown_revision = None\nx = " + "not " * 3500 + "y\n",
    "lambda_chain_3500": "revision = " + "lambda: " * 3500 + "'a1'\ndown_revision = None\n",
    "minus_list_3000": "revision = 'a1'\ndown_revision = None\nx = [" + "-1, " * 3000 + "]\n",
    # Shapes the fast header scanner read while tree-sitter saw an error (fuzz header_diff).
    "assign_to_expression": "revision = 'a1'\ndown_revisio-n = None\n",
    "call_as_block_header": "revision = 'a1'\ndown_revision = None\nbranch_labelsade():\n"
                            "    pass\n",
    "def_without_parameters": "revision = 'a1'\ndown_revision = None\n"
                              "def ubranch_labels = ('x',)\n",
    # Misplaced stars tree-sitter-python reads without an error (ScanLayout refuses them).
    "star_slice_bound": "revision = 'a1'\ndown_revision = None\nx = a[*b:c]\n",
    "star_slice_upper": "revision = 'a1'\nx = a[b:*c]\ndown_revision = None\n",
    "star_walrus_item": "revision = 'a1'\ndown_revision = None\nx = a[*b:=c]\n",
    "star_dict_value": "revision = 'a1'\ndown_revision = None\nx = {k: *v}\n",
    "star_alone_in_parens": "revision = 'a1'\ndown_revision = None\nx = f((*b))\n",
    "star_tuple_in_parens": "revision = 'a1'\ndown_revision = None\nx = (*b,)\n",
    "lambda_star_in_subscript": "revision = 'a1'\ndown_revision = None\nx = a[lambda *y: y]\n",
    # Line continuations (fuzz header_diff): at the end of the file, before a line's first
    # token (CPython measures the indentation at the first `\`), in a blank line.
    "continuation_at_eof": "revision = 'a1'\ndown_revision = None\nx = 1\n\\\n",
    "continuation_at_eof_no_newline": "revision = 'a1'\ndown_revision = None\nx = 1 \\",
    "char_after_continuation": "revision = 'a1'\ndown_revision = None\nx = 1 \\ y\n",
    "blank_continued_line": "revision = 'a1'\ndown_revision = None\nx = 1\n \\\n\ny = 2\n",
    "continued_indentation": "revision = 'a1'\ndown_revision = None\nif x:\n  \\\n    y = 1\n"
                             "  z = 2\n",
    "continuation_then_indent": "revision = 'a1'\ndown_revision = None\n\\\n  x = 1\n",
    # An annotation, then another statement after `;` (the `=` is not the annotation's).
    "annotation_then_semicolon": "revision = 'a1'\ndown_revision = None\ndepends_on: X; y = None\n",
    "decorator_before_dedent": "revision = 'a1'\ndown_revision = None\ndef f():\n  @d\n\n"
                               "def g():\n  pass\n",
    "decorator_over_def": "revision = 'a1'\ndown_revision = None\nif x:\n  @d\n  def g():\n"
                          "    pass\n",
    "bytes_next_to_text": "revision = 'a1'\ndown_revision = None\nx = ('a'\n     b'c')\n",
    "bytes_next_to_bytes": "revision = 'a1'\ndown_revision = None\nx = b'a' rb'c'\n",
    "fstring_non_ascii_field": "revision = 'a1'\ndown_revision = None\nx = f'{t\ufeffable}'\n",
}
if sys.version_info >= (3, 11):
    # PEP 646: any starred expression as a subscript item. The pinned tree-sitter grammar
    # refuses `*` before anything but a name there (fuzz header_diff: `e\r[][*\r[]]`).
    CASES.update({
        "star_list_subscript": "revision = 'a1'\nx = [][*[]]\ndown_revision = None\n",
        "star_subscript_in_body": "revision = 'a1'\ndown_revision = None\n"
                                  "def upgrade():\n    op.drop_table(t[*(u), *-v, *'w'])\n",
    })


def compiles(text):
    try:
        compile(text, "x.py", "exec")
        return True
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False


def run(binary, args):
    """stdout parsed as JSON, or None when the process crashed or printed no JSON."""
    proc = subprocess.run([binary] + args, capture_output=True, text=True, timeout=120)
    if proc.returncode not in (0, 1):
        return None
    try:
        return json.loads(proc.stdout)
    except ValueError:
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="alint-cpython-")
    failures = []
    try:
        for name, body in CASES.items():
            text = HEADER + body
            versions = os.path.join(tmp, name, "versions")
            os.makedirs(versions)
            with open(os.path.join(versions, "a1_case.py"), "w", newline="") as f:
                f.write(text)
            ok = compiles(text)
            check = run(args.binary, ["check", "--no-config", "--select", "parse-error",
                                      "--format", "json", versions])
            heads = run(args.binary, ["heads", "--format", "json", versions])
            if check is None or heads is None:
                failures.append(f"{name}: crashed or no JSON (check: {check is not None}, "
                                f"heads: {heads is not None})")
                continue
            parse_errors = [f for f in check["findings"] if f["rule"] == "parse-error"]
            env = heads["environments"][0]
            heads_ok = env["error"] is None and env["heads"] == ["a1"]
            if ok == bool(parse_errors) or ok != heads_ok:
                failures.append(f"{name}: CPython {'accepts' if ok else 'rejects'}; check: "
                                f"{[f['message'][:80] for f in parse_errors]}; heads: {env}")
    finally:
        shutil.rmtree(tmp)
    for f in failures:
        print("FAIL", f)
    print(f"{len(CASES) - len(failures)}/{len(CASES)} cases agree with CPython "
          f"{sys.version.split()[0]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
