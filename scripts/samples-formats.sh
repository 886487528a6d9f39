#!/usr/bin/env bash
# samples.csv against samples.parquet: the file size and the wall time of
# `costbands run SCENARIO -n SAMPLES --save-samples [csv|parquet]` (each with --no-report, in
# memory), and of the streamed Parquet run (--stream), medians of RUNS runs measured
# interleaved (csv, parquet, streamed parquet, csv, ...) so that load on a shared machine
# falls on all of them alike; and, for reference, the same run writing no samples at all.
#   RUNS=3 scripts/samples-formats.sh chatgpt-class 1e7
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-chatgpt-class}
samples=${2:-1e7}
runs=${RUNS:-3}
cargo build --release --quiet
bin=$PWD/target/release/costbands
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
seconds() {
  local start end
  start=$(date +%s.%N)
  "$bin" run "$scenario" -n "$samples" --out "$out/r" --force --quiet --no-report "$@"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
declare -A times
kinds=(none csv parquet stream)
for _ in $(seq "$runs"); do
  times[none]+="$(seconds) "
  times[csv]+="$(seconds --save-samples csv) "
  csv_bytes=$(stat -c %s "$out/r/samples.csv")
  times[parquet]+="$(seconds --save-samples parquet) "
  parquet_bytes=$(stat -c %s "$out/r/samples.parquet")
  times[stream]+="$(seconds --save-samples parquet --stream) "
done
echo "$scenario, $samples samples, $(nproc) cores, median of $runs runs each"
for kind in "${kinds[@]}"; do
  # shellcheck disable=SC2086
  printf '%-8s %7.2f s\n' "$kind" "$(printf '%s\n' ${times[$kind]} | median)"
done
printf 'samples.csv     %6d MiB\nsamples.parquet %6d MiB\n' \
  $((csv_bytes / 1048576)) $((parquet_bytes / 1048576))
