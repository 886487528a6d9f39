#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after the other, and
# reports for each the CPU seconds used, the runs made, the coverage reached and whether it
# crashed. Logs are in artifacts/<target>.log, crashing inputs in artifacts/<target>/.
#
#   fuzz/run-all.sh 240                 # each target for 4 minutes
#   fuzz/run-all.sh 1800 scenario set   # two targets for 30 minutes each
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

summary=()
failed=0
for target in "${targets[@]}"; do
  log="artifacts/$target.log"
  echo "== $target: $seconds s (log: fuzz/$log)"
  TIMEFORMAT='%U %S'
  status=0
  cpu=$({ time nice cargo fuzz run --sanitizer "$sanitizer" "$target" -- \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -dict="$(dict "$target")" \
    -print_final_stats=1 >"$log" 2>&1; } 2>&1) || status=$?
  cpu_s=$(awk '{printf "%.0f", $1 + $2}' <<<"$cpu")
  runs=$(grep -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  if [ -z "$runs" ]; then # cut short by a crash: the last status line
    runs=$(grep -o '^#[0-9][0-9]*' "$log" | tail -1 | tr -d '#' || true)
  fi
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$log" | tail -1 || true)
  outcome=ok
  if [ "$status" -ne 0 ]; then
    outcome="FAILED (exit $status): see fuzz/$log and fuzz/artifacts/$target/"
    failed=1
  fi
  summary+=("$(printf '%-9s %6s CPU s  %12s runs  %-34s %s' "$target" "$cpu_s" "${runs:-0}" "${cov:-}" "$outcome")")
done

echo
echo "target    CPU seconds  runs               coverage at the end                outcome"
printf '%s\n' "${summary[@]}"
exit "$failed"
