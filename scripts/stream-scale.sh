#!/usr/bin/env bash
# Peak memory and wall time of streaming runs (--stream) of a preset at several sample counts:
#   scripts/stream-scale.sh [PRESET] [SAMPLES...]      (default: chatgpt-class 1e7 1e8 1e9)
# Each run's peak resident memory is GNU time's maximum RSS; run.json records it too
# (stream.peak_rss_bytes). Runs under nice, one after another, on every core.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-chatgpt-class}
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1e7 1e8 1e9)
cargo build --release --locked --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-8s %14s %12s\n' samples "peak RSS MiB" "wall s"
for n in "${counts[@]}"; do
  /usr/bin/time -f '%M %e' -o "$out/time" nice target/release/costbands run "$preset" \
    --stream --samples "$n" --out "$out/run" --force --quiet
  read -r kib wall <"$out/time"
  awk -v n="$n" -v kib="$kib" -v wall="$wall" 'BEGIN { printf "%-8s %14.1f %12s\n", n, kib / 1024, wall }'
done
