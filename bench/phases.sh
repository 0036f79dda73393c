#!/usr/bin/env bash
# Where a full check's CPU time goes, by phase, against the bare parse of the same files:
# sampled CPU time (perf, cpu-clock, DWARF call graphs), one thread each.
#   bench/phases.sh BUILD_DIR [r1000|r10000] [HZ]   (after bench/run.sh made the projects)
# bench/instructions.sh counts instructions, which do not move with the machine's load but
# undercount what costs time outside the parse (allocation, cache misses, system calls): at
# 1,000 revisions a check is 1.4x the parse in instructions and about 2x in CPU time. This
# script measures the CPU time itself (both sampled the same way, so the sampling costs the
# same share of each), so take it on a quiet machine, and twice.
set -euo pipefail
build="$(cd "$1" && pwd)"
repo="$build/bench-repos/${2:-r1000}"
hz="${3:-2000}"
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v perf >/dev/null; then
  echo "bench: needs perf (apt-get install linux-perf)" >&2
  exit 2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$repo"
perf record -q -e cpu-clock -F "$hz" --call-graph dwarf,16384 -o "$tmp/floor.data" \
  "$build/bench/ts_parse_bench" -j 1 migrations/versions >/dev/null 2>&1
perf script -i "$tmp/floor.data" -F tid 2>/dev/null | grep -c . >"$tmp/floor.n" || true
perf record -q -e cpu-clock -F "$hz" --call-graph dwarf,16384 -o "$tmp/check.data" \
  "$build/alembic-lint" check -j 1 --color never . >/dev/null 2>&1 || true
perf script -i "$tmp/check.data" -F ip,sym,dso >"$tmp/check.txt" 2>/dev/null
echo "$(basename "$repo"), ${hz} Hz, one thread:"
python3 "$here/phases.py" "$tmp/check.txt" "$(cat "$tmp/floor.n")"
