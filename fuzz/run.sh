#!/bin/sh
# `make fuzz`: runs every fuzz target (or those named) one after the other for FUZZ_SECONDS
# each, keeping the corpora under BUILD/fuzz/corpus/<target> between runs, and prints per
# target the executions, exec/s, coverage and whether it found something. After a crash,
# timeout or OOM (saved beside the corpus) the target starts again for the rest of its time;
# FUZZ_RESTART=0 stops at the first one instead.
# Usage: fuzz/run.sh BUILD SECONDS [TARGET...]
set -u
build=$1 seconds=$2
shift 2
targets=${*:-"header_diff extract nesting sql op_call ini toml lsp_reader lsp_server e2e"}
here=$(dirname "$0")
status=0
summary=""
for t in $targets; do
  log="$build/fuzz/logs/$t.log"
  mkdir -p "$build/fuzz/logs"
  echo "==> $t: ${seconds}s (log: $log)"
  before=$(ls "$build/fuzz/corpus/$t.artifacts" 2>/dev/null | wc -l)
  # libFuzzer stops at the first crash, timeout or OOM (saved beside the corpus); run it again
  # for the rest of the time so one open defect does not end the campaign.
  : >"$log"
  left=$seconds execs=0 runs=0 rc=0
  while [ "$left" -gt 0 ] && [ $runs -lt 50 ]; do
    t0=$(date +%s)
    ASAN_OPTIONS=detect_leaks=1 "$here/run_target.sh" "$build/fuzz/${t}_fuzz" \
      "$build/fuzz/corpus/$t" "$build/fuzz/seeds/$t" "$left" >"$log.run" 2>&1 || rc=1
    # The final stats, or after a crash the last progress line ("#1234 NEW cov: ...").
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log.run" | tail -1)
    [ -n "$n" ] || n=$(sed -n 's/^#\([0-9][0-9]*\)[^0-9].*/\1/p' "$log.run" | tail -1)
    execs=$((execs + ${n:-0}))
    cat "$log.run" >>"$log"
    left=$((left - ($(date +%s) - t0)))
    runs=$((runs + 1))
    [ "${FUZZ_RESTART:-1}" = 1 ] || break
  done
  rm -f "$log.run"
  speed=$((execs / (seconds > 0 ? seconds : 1)))
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  after=$(ls "$build/fuzz/corpus/$t.artifacts" 2>/dev/null | wc -l)
  found="nothing"
  if [ $rc -ne 0 ] || [ "$after" -gt "$before" ]; then
    status=1
    found="FOUND $((after - before)): $(ls -t "$build/fuzz/corpus/$t.artifacts" 2>/dev/null |
      head -n $((after - before)) | tr '\n' ' ')"
    grep -E 'ERROR: |fuzz property violated|runtime error' "$log" | sort | uniq -c |
      sort -rn | head -5 | sed 's/^/    /'
  fi
  summary="$summary$(printf '%-12s execs=%-10s exec/s=%-7s %-22s %s' "$t" "${execs:-?}" \
    "${speed:-?}" "${cov:-cov: ?}" "$found")
"
done
printf '\n%s' "$summary"
exit $status
