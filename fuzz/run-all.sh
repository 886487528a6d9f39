#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each and reports for each the wall
# and CPU seconds used, the runs made, the coverage reached and whether it crashed. Logs are in
# artifacts/<target>.log, crashing inputs in artifacts/<target>/.
#
#   fuzz/run-all.sh 240                       # each target for 4 minutes, one after the other
#   fuzz/run-all.sh 1800 scenario set         # two targets for 30 minutes each
#   CPU=1 PARALLEL=1 fuzz/run-all.sh 1800     # every target until it has used 30 CPU minutes,
#                                             # all at once (on a machine shared with others)
#
# CPU=1 counts SECONDS of the fuzzer's own CPU time (user + system, read from /proc) instead
# of wall time and interrupts it (SIGINT: libFuzzer prints its final statistics and exits 72)
# once it has used them; the wall-clock cap is then 20 times SECONDS. PARALLEL=1 runs the
# targets side by side. Fuzzers run under `nice`.
#
# Needs cargo-fuzz (cargo install cargo-fuzz --locked). cargo fuzz passes -Z flags to rustc;
# RUSTC_BOOTSTRAP=1 lets a stable toolchain accept them. The targets are built with debug
# assertions and overflow checks (cargo fuzz's default) but no sanitizer: the crate is safe
# Rust, and a sanitizer slows every run. Set SANITIZER=address to use one anyway.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:?usage: run-all.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(number set scenario)
fi
sanitizer=${SANITIZER:-none}
cpu_budget=${CPU:-0}
export RUSTC_BOOTSTRAP=1

./seed-corpus.sh >/dev/null
cargo fuzz build --sanitizer "$sanitizer"
mkdir -p artifacts

dict() {
  case "$1" in
    number) echo dict/number.dict ;;
    *) echo dict/scenario.dict ;;
  esac
}

# The CPU seconds (user + system) process `pid` has used, its threads included.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) / hz)}' "/proc/$1/stat" 2>/dev/null ||
    echo 0
}

# Interrupts the fuzzer of `target` once it has used `budget` CPU seconds; returns when
# process `parent` (the cargo fuzz that runs it) ends.
stop_at_cpu_budget() {
  local parent=$1 target=$2 budget=$3 fuzzer=""
  while kill -0 "$parent" 2>/dev/null; do
    sleep 5
    fuzzer=${fuzzer:-$(pgrep -f "/release/$target -" | head -1 || true)}
    if [ -n "$fuzzer" ] && [ "$(cpu_seconds "$fuzzer")" -ge "$budget" ]; then
      kill -INT "$fuzzer" 2>/dev/null || true
      return
    fi
  done
}

# Runs `target` and writes its summary line to artifacts/<target>.summary.
run_target() {
  local target=$1 log="artifacts/$1.log" wall=$seconds status=0 start end
  if [ "$cpu_budget" = 1 ]; then wall=$((seconds * 20)); fi
  echo "== $target: $seconds s$([ "$cpu_budget" = 1 ] && echo ' of CPU') (log: fuzz/$log)"
  start=$(date +%s)
  {
    TIMEFORMAT='%U %S'
    time nice cargo fuzz run --sanitizer "$sanitizer" "$target" -- \
      -max_total_time="$wall" -timeout=5 -rss_limit_mb=2048 -dict="$(dict "$target")" \
      -print_final_stats=1 >"$log" 2>&1
  } 2>"artifacts/$target.time" &
  local fuzz_pid=$!
  if [ "$cpu_budget" = 1 ]; then stop_at_cpu_budget "$fuzz_pid" "$target" "$seconds" & fi
  wait "$fuzz_pid" || status=$?
  end=$(date +%s)
  local cpu_s # user + system seconds of cargo fuzz and the fuzzer it ran
  cpu_s=$(awk '{printf "%.0f", $1 + $2}' "artifacts/$target.time")
  # libFuzzer exits 72 when interrupted: the CPU budget running out, not a finding.
  if [ "$cpu_budget" = 1 ] && grep -q 'run interrupted; exiting' "$log"; then status=0; fi
  local runs cov outcome=ok
  runs=$(grep -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  if [ -z "$runs" ]; then # cut short by a crash: the last status line
    runs=$(grep -o '^#[0-9][0-9]*' "$log" | tail -1 | tr -d '#' || true)
  fi
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$log" | tail -1 || true)
  if [ "$status" -ne 0 ]; then
    outcome="FAILED (exit $status): see fuzz/$log and fuzz/artifacts/$target/"
  fi
  printf '%-9s %6s %7s %12s  %-34s %s\n' "$target" "$((end - start))" "$cpu_s" "${runs:-0}" \
    "${cov:-}" "$outcome" >"artifacts/$target.summary"
}

for target in "${targets[@]}"; do
  if [ "${PARALLEL:-0}" = 1 ]; then
    (run_target "$target") &
  else
    (run_target "$target")
  fi
done
wait

echo
echo "target    wall s   CPU s         runs  coverage at the end                 outcome"
failed=0
for target in "${targets[@]}"; do
  cat "artifacts/$target.summary"
  grep -q ' ok$' "artifacts/$target.summary" || failed=1
done
exit "$failed"
