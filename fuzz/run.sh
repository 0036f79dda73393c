#!/bin/sh
# `make fuzz`: runs every fuzz target (or those named) one after the other for FUZZ_SECONDS
# each, keeping the corpora under BUILD/fuzz/corpus/<target> between runs, and prints per
# target the executions, exec/s, coverage and whether it found something. Runs in libFuzzer's
# fork mode and goes on after a crash, timeout or OOM (each is saved beside the corpus), so one
# open defect does not end the campaign; FUZZ_FORK=0 stops at the first one instead.
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
  if [ "${FUZZ_FORK:-1}" = 1 ]; then
    set -- -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1
  else
    set --
  fi
  ASAN_OPTIONS=detect_leaks=1 "$here/run_target.sh" "$build/fuzz/${t}_fuzz" \
    "$build/fuzz/corpus/$t" "$build/fuzz/seeds/$t" "$seconds" "$@" >"$log" 2>&1
  rc=$?
  if [ "${FUZZ_FORK:-1}" = 1 ]; then
    # "#123: cov: 10 ft: 20 corp: 3 exec/s 40 oom/timeout/crash: 0/0/1 time: 9s job: 2 ..."
    last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1)
    execs=$(echo "$last" | sed -n 's/^#\([0-9]*\):.*/\1/p')
    speed=$(echo "$last" | sed -n 's/.*exec\/s \([0-9]*\).*/\1/p')
  else
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  fi
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
