#!/usr/bin/env python3
"""Where a full check's CPU time goes, by phase (called by bench/phases.sh).

    phases.py CHECK_SCRIPT FLOOR_SAMPLES

CHECK_SCRIPT is `perf script -F ip,sym,dso` of a sampled `alembic-lint check` (cpu-clock,
DWARF call graphs); FLOOR_SAMPLES the number of samples of the bare parse (ts_parse_bench) at
the same frequency. Each sample goes to the first phase, in the order below, that has a
function on its stack; the table gives each phase's share of the check and its size against
the parse floor. Standard library only.
"""

import collections
import sys

# (phase, functions any of which puts a sample in it), in priority order: a sample in the
# analysis called from the second pass still counts as analysis.
PHASES = [
    ("parse (tree-sitter)", ["TsFile::TsFile"]),
    ("free the trees", ["TsFile::~TsFile"]),
    ("read files", ["ReadUpTo", "ReadReleased", "DiskFileSource::Read"]),
    ("python: body reader", ["ReadTreeBody"]),
    ("python: header, comments", ["ReadTreeHeader"]),
    ("python: logical lines", ["CheckLogicalLines"]),
    ("python: bytes, layout", ["CheckFileBytes", "CheckLayout"]),
    ("analysis: SQL (libpg_query)", ["AnalyzeSql"]),
    ("analysis: op calls", ["AnalyzeOpCall"]),
    ("analysis: other", ["AnalyzeMigration"]),
    ("rules", ["::CheckMigration", "::CheckGraph", "::CheckFile", "::CheckEnvironment"]),
    ("schema replay", ["ReplayPriors", "ReplaySchema"]),
    ("encoded facts and findings", ["EncodeFindings", "DecodeFindings", "EncodeBody",
                                    "DecodeBody", "EncodeSchemaInput", "DecodeSchemaInput",
                                    "FindingSpill::"]),
    ("report", ["TextWriter", "JsonWriter", "SarifWriter", "Writer::Add", "LintStream"]),
    ("graph, discovery, other", [""]),
]


def function(line):
    """The function name of one `perf script` frame line: `ip symbol (dso)`."""
    parts = line.strip().split(" ", 1)
    sym = parts[1] if len(parts) > 1 else parts[0]
    cut = sym.rfind(" (")
    if cut > 0:
        sym = sym[:cut]
    return sym.replace("(anonymous namespace)", "anon").split("(")[0]


def main():
    script, floor = sys.argv[1], int(sys.argv[2])
    counts = collections.Counter()
    total = 0
    with open(script, encoding="utf-8", errors="replace") as f:
        for block in f.read().split("\n\n"):
            frames = [function(l) for l in block.strip().split("\n") if l.strip()]
            if not frames:
                continue
            total += 1
            for phase, marks in PHASES:
                if any(m in fn for fn in frames for m in marks):
                    counts[phase] += 1
                    break
    if total == 0 or floor == 0:
        sys.exit("phases: no samples")
    print(f"{'phase':32} {'samples':>8} {'of check':>9} {'x floor':>8}")
    for phase, _ in PHASES:
        n = counts[phase]
        print(f"{phase:32} {n:8} {100 * n / total:8.1f}% {n / floor:8.2f}")
    print(f"{'check':32} {total:8} {100.0:8.1f}% {total / floor:8.2f}")
    print(f"{'parse floor (ts_parse_bench)':32} {floor:8} {'':9} {1.0:8.2f}")


if __name__ == "__main__":
    main()
