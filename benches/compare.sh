#!/usr/bin/env bash
# Whole-process comparison of `costbands run` with the vectorised NumPy program in
# benches/compare_numpy.py on one scenario (default chatgpt-class): median wall time and peak
# RSS over RUNS runs of each, the speed ratio, and a check that both give the same P50 of
# daily_cost_usd (the P50s of gpus and wh_per_query are shown beside it).
#
# Usage: benches/compare.sh            (from anywhere; honours CARGO_TARGET_DIR)
#        SCENARIO=chatgpt-2025 benches/compare.sh
# Environment: SCENARIO (a preset name with a file distributions/<name>.toml, or a scenario
#              file; default chatgpt-class), SAMPLES (default 10000000), RUNS (default 3),
#              PYTHON (default python3), TOLERANCE (relative P50 difference allowed, default
#              0.01).
set -euo pipefail

cd "$(dirname "$0")/.."
SCENARIO="${SCENARIO:-chatgpt-class}"
SAMPLES="${SAMPLES:-10000000}"
RUNS="${RUNS:-3}"
PYTHON="${PYTHON:-python3}"
TOLERANCE="${TOLERANCE:-0.01}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET_DIR/release/costbands"

# costbands runs the preset by name (built from distributions/<name>.toml) or the file itself;
# the NumPy program reads the same file.
if [ -f "$SCENARIO" ]; then
    SCENARIO_FILE="$SCENARIO"
elif [ -f "distributions/$SCENARIO.toml" ]; then
    SCENARIO_FILE="distributions/$SCENARIO.toml"
else
    echo "SCENARIO=$SCENARIO: no file $SCENARIO or distributions/$SCENARIO.toml" >&2
    exit 1
fi

if [ ! -x /usr/bin/time ]; then
    echo "compare.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
    echo "NumPy is not installed for $PYTHON: run \`pip install numpy\` and try again" >&2
    exit 1
fi

echo "== cargo build --release (target dir: $TARGET_DIR)"
cargo build --release --quiet

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Seconds from GNU time's "Elapsed (wall clock) time (h:mm:ss or m:ss): ..." line.
wall_seconds() {
    grep 'Elapsed (wall clock)' "$1" | awk '{print $NF}' |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f\n", s }'
}
cpu_seconds() {
    awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f\n", s }' "$1"
}
max_rss_kb() {
    grep 'Maximum resident set size' "$1" | awk '{print $NF}'
}
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure NAME COMMAND...: runs COMMAND RUNS times, records wall time, RSS and stdout.
measure() {
    local name="$1"
    shift
    : >"$WORK/$name.wall"
    : >"$WORK/$name.rss"
    : >"$WORK/$name.cpu"
    for run in $(seq "$RUNS"); do
        if ! /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"; then
            echo "$name failed:" >&2
            cat "$WORK/$name.err" >&2
            exit 1
        fi
        local wall cpu rss
        wall="$(wall_seconds "$WORK/$name.time")"
        cpu="$(cpu_seconds "$WORK/$name.time")"
        rss="$(max_rss_kb "$WORK/$name.time")"
        echo "   run $run: ${wall} s wall, ${cpu} s CPU, peak RSS $((rss / 1024)) MiB"
        echo "$wall" >>"$WORK/$name.wall"
        echo "$cpu" >>"$WORK/$name.cpu"
        echo "$rss" >>"$WORK/$name.rss"
    done
}

echo "== costbands run $SCENARIO --samples $SAMPLES ($RUNS runs)"
measure costbands "$BIN" run "$SCENARIO" --samples "$SAMPLES" --out "$WORK/out" --force --quiet
echo "== $PYTHON benches/compare_numpy.py --scenario $SCENARIO_FILE --samples $SAMPLES ($RUNS runs)"
measure numpy "$PYTHON" benches/compare_numpy.py --scenario "$SCENARIO_FILE" --samples "$SAMPLES" \
    --p50 gpus,wh_per_query

cb_wall="$(median <"$WORK/costbands.wall")"
np_wall="$(median <"$WORK/numpy.wall")"
cb_cpu="$(median <"$WORK/costbands.cpu")"
np_cpu="$(median <"$WORK/numpy.cpu")"
cb_rss="$(sort -g "$WORK/costbands.rss" | tail -1)"
np_rss="$(sort -g "$WORK/numpy.rss" | tail -1)"

# P50 of a metric: costbands from summary.csv (column found by name), NumPy from its
# `<metric>_p50=` output lines.
cb_p50_of() {
    awk -F, -v metric="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "p50") col = i }
        $2 == metric { print $col }' "$WORK/out/summary.csv"
}
np_p50_of() {
    sed -n "s/^$1_p50=//p" "$WORK/numpy.out"
}
cb_p50="$(cb_p50_of daily_cost_usd)"
np_p50="$(np_p50_of daily_cost_usd)"

echo
echo "== $SCENARIO: results at $SAMPLES samples (median of $RUNS runs; peak RSS is the largest seen)"
printf '%-12s %10s %14s %16s\n' "program" "wall (s)" "CPU user+sys (s)" "peak RSS (MiB)"
printf '%-12s %10s %14s %16d\n' "costbands" "$cb_wall" "$cb_cpu" "$((cb_rss / 1024))"
printf '%-12s %10s %14s %16d\n' "numpy" "$np_wall" "$np_cpu" "$((np_rss / 1024))"
awk -v c="$cb_wall" -v n="$np_wall" -v cc="$cb_cpu" -v nc="$np_cpu" -v cr="$cb_rss" -v nr="$np_rss" 'BEGIN {
    printf "speed ratio: costbands is %.2fx faster (NumPy wall / costbands wall)\n", n / c
    printf "CPU ratio: NumPy uses %.2fx the CPU time of costbands\n", nc / cc
    printf "memory ratio: NumPy peak RSS is %.2fx costbands\x27\n", nr / cr
}'
echo "costbands' own timer (simulation + summaries, in run.json): $(sed -n 's/.*"elapsed_s": \([0-9.]*\).*/\1/p' "$WORK/out/run.json") s (last run)"
echo "NumPy's own split (last run): $(sed -n 's/^time: //p' "$WORK/numpy.err")"
echo "note: costbands also computes a 95% CI for every percentile and the mean, the top drivers,"
echo "      and writes its result files; the NumPy program computes the percentiles only."
echo
echo "== sanity: P50 of daily_cost_usd (gpus and wh_per_query shown, not checked: gpus is a whole"
echo "   number of servers, so its P50 moves in steps)"
printf '%-16s %22s %22s %10s\n' "metric" "costbands" "numpy" "rel diff"
for metric in daily_cost_usd gpus wh_per_query; do
    a="$(cb_p50_of "$metric")"
    b="$(np_p50_of "$metric")"
    awk -v m="$metric" -v a="$a" -v b="$b" 'BEGIN {
        d = (a == 0) ? (b == 0 ? 0 : 1) : (b - a) / a
        printf "%-16s %22.10g %22.10g %+9.4f%%\n", m, a, b, 100 * d
    }'
done
awk -v a="$cb_p50" -v b="$np_p50" -v tol="$TOLERANCE" 'BEGIN {
    d = (b - a) / a; if (d < 0) d = -d
    printf "relative difference: %.4f%% (tolerance %.2f%%)\n", 100 * d, 100 * tol
    if (d > tol) { print "MISMATCH: the two programs do not compute the same model"; exit 1 }
    print "OK: same model within Monte Carlo error"
}'
