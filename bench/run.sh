#!/usr/bin/env bash
# Reproduces the README "Performance" table end to end:
#   bench/run.sh BUILD_DIR [measure.py options, e.g. --runs 5 --only r1000]
# 1. builds alembic-lint and the bench programs into BUILD_DIR when they are missing
#    (a Release or RelWithDebInfo tree; `make bench` configures it with ALINT_BUILD_BENCH=ON);
# 2. generates the synthetic projects (1,000 and 10,000 revisions, fixed seed) into
#    BUILD_DIR/bench-repos unless they are already there;
# 3. times `alembic heads` (Debian's python3-alembic) and alembic-lint on them and prints the
#    table (bench/measure.py); every run is kept in BUILD_DIR/bench-results.json.
# Needs /usr/bin/python3 with alembic (apt-get install python3-alembic). Run it on a quiet
# machine: the numbers are wall-clock medians.
set -euo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: bench/run.sh BUILD_DIR [measure.py options]" >&2
  exit 2
fi
build="$1"
shift
here="$(cd "$(dirname "$0")" && pwd)"
src="$(dirname "$here")"
py=/usr/bin/python3

if ! "$py" -c 'import alembic' 2>/dev/null; then
  echo "bench: $py cannot import alembic (apt-get install python3-alembic)" >&2
  exit 2
fi

if [[ ! -x "$build/alembic-lint" || ! -x "$build/bench/ts_parse_bench" || ! -x "$build/bench/sql_bench" ]]; then
  if [[ -f "$build/CMakeCache.txt" ]] && grep -q '^CMAKE_BUILD_TYPE:STRING=Debug' "$build/CMakeCache.txt"; then
    echo "bench: $build is a Debug build; use a Release or RelWithDebInfo one" >&2
    exit 2
  fi
  cmake -S "$src" -B "$build" -G Ninja -DALINT_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" -j "$(nproc)" --target alembic-lint ts_parse_bench sql_bench
fi

repos="$build/bench-repos"
mkdir -p "$repos"
for n in 1000 10000; do
  # The generator is deterministic; regenerate only when missing or when it changed.
  stamp="$repos/r$n.stamp"
  want="$(sha1sum "$here/gen_repo.py" | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -d "$repos/r$n" ]]; then
    "$py" "$here/gen_repo.py" "$repos/r$n" --revisions "$n" >&2
    echo "$want" >"$stamp"
  fi
done

echo "bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec "$py" "$here/measure.py" --build "$build" --repos "$repos" --json "$build/bench-results.json" "$@"
