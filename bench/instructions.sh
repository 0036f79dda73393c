#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind) of a full check and of the bare parse on the
# same files, one thread each: a ratio that does not depend on what else the machine runs
# (bench/run.sh's wall and CPU times do).
#   bench/instructions.sh BUILD_DIR [r1000|r10000]   (after bench/run.sh made the projects)
set -euo pipefail
build="$(cd "$1" && pwd)"
repo="$build/bench-repos/${2:-r1000}"
if ! command -v valgrind >/dev/null; then
  echo "bench: needs valgrind (apt-get install valgrind)" >&2
  exit 2
fi
count() {  # prints the instruction count of the command
  local out
  out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  echo "$out"
}
cd "$repo"
floor=$(count "$build/bench/ts_parse_bench" -j 1 migrations/versions)
full=$(count "$build/alembic-lint" check -j 1 --color never .)
chain=$(count "$build/alembic-lint" check -j 1 --color never --select \
  multiple-heads,multiple-bases,duplicate-revision,duplicate-branch-label,dangling-down-revision,dangling-depends-on,revision-cycle .)
awk -v f="$floor" -v c="$full" -v g="$chain" -v r="$(basename "$repo")" 'BEGIN {
  printf "%s: parse floor %.2f G instructions; full check %.2f G (%.2fx); chain-only check %.2f G (%.2fx)\n",
    r, f / 1e9, c / 1e9, c / f, g / 1e9, g / f }'
