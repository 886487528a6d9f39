#!/usr/bin/env bash
# What the report (report.html and plots/) costs: the wall time of `costbands run` at 100k and
# 10M samples with and without --no-report, median of RUNS runs (alternating), release build.
#   RUNS=5 scripts/report-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
cargo build --release --quiet
bin=target/release/costbands
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
seconds() {
  local start end
  start=$(date +%s.%N)
  "$bin" run "$@" --out "$out/r" --force --quiet
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
for samples in 100000 10000000; do
  with=(); without=()
  for _ in $(seq "$runs"); do
    with+=("$(seconds -n "$samples")")
    without+=("$(seconds -n "$samples" --no-report)")
  done
  a=$(printf '%s\n' "${with[@]}" | median)
  b=$(printf '%s\n' "${without[@]}" | median)
  printf '%9s samples: %.3f s with the report, %.3f s with --no-report, difference %.3f s\n' \
    "$samples" "$a" "$b" "$(echo "$a - $b" | bc -l)"
done
