#!/bin/sh
# Runs one libFuzzer target for a while: run_target.sh BINARY CORPUS_DIR SEEDS_DIR SECONDS
# [libFuzzer flags...]. New inputs go to CORPUS_DIR (created), crashers to CORPUS_DIR.artifacts/;
# the seeds are read, never written. Runs at the lowest CPU priority (the machine is shared).
# The exit status is libFuzzer's: 0 when nothing was found. FUZZ_FRESH=1 starts from an empty
# corpus (the CTest smoke run, so that it is repeatable); FUZZ_NICE sets the niceness (19).
set -eu
bin=$1 corpus=$2 seeds=$3 seconds=$4
shift 4
if [ "${FUZZ_FRESH:-0}" = 1 ]; then rm -rf "$corpus" "$corpus.artifacts"; fi
mkdir -p "$corpus" "$corpus.artifacts"
[ -d "$seeds" ] || seeds=
exec nice -n "${FUZZ_NICE:-19}" "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$corpus.artifacts/" "$@" \
  "$corpus" $seeds
