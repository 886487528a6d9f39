#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ (git-ignored): the scenario files of distributions/ for the
# scenario target, a few --set lines for the set target, numbers as people write them for the
# number target, and every kept regression input. Existing corpus files are left alone.
set -euo pipefail
cd "$(dirname "$0")"

mkdir -p corpus/scenario corpus/set corpus/number
cp ../distributions/*.toml corpus/scenario/

# One small scenario per distribution form, so that mutations start next to every kind's
# parameters (the presets use only a few kinds).
base='gpu = "h100-sxm"
[inputs]
queries_per_day = "100M to 300M"
output_tokens_per_query = 500
active_params_b = 100
electricity_usd_per_kwh = "$0.08"
gpu_hour_usd = 2
utilization = "50%"'
forms='mfu = { dist = "uniform", min = 0.1, max = 0.5 }
---
mfu = { dist = "normal", mean = 0.3, sd = 0.05, truncate = [0.01, 1] }
---
mfu = { dist = "normal", p5 = "20%", p95 = "40%", truncate = [0.01, 1] }
---
mfu = { dist = "triangular", min = 0.1, mode = 0.2, max = 0.5 }
---
mfu = { dist = "pert", min = 0.1, mode = 0.2, max = 0.5, shape = 6 }
---
mfu = { dist = "beta", alpha = 2, beta = 5 }
---
mfu = { dist = "discrete", values = [0.2, 0.4], weights = ["30%", "70%"] }
---
mfu = 0.3
pue = { dist = "lognormal", p5 = 1.1, p95 = 1.5, truncate = [1, inf] }
---
mfu = 0.3
pue = { dist = "lognormal", median = 1.2, p95 = 1.5, truncate = [1, 2] }
---
mfu = 0.3
pue = { dist = "lognormal", mu = 0.2, sigma = 0.1, truncate = [1, inf] }
---
mfu = 0.3
pue = { dist = "lognormal", mean = 1.3, sd = 0.1, truncate = [1, inf] }
---
mfu = 0.3
pue = { dist = "gamma", shape = 4, scale = 0.1, truncate = [1, inf] }
---
mfu = 0.3
pue = { dist = "gamma", mean = 1.3, sd = 0.1, truncate = [1, inf] }
---
mfu = 0.3
pue = { dist = "loguniform", min = 1.05, max = 1.6 }
---
mfu = { dist = "beta", mean = 0.3, sd = 0.05 }
[[correlations]]
inputs = ["mfu", "queries_per_day"]
rank = -0.4
---
mfu = { dist = "beta", mean = 0.3, sd = 0.05 }
[correlation]
inputs = ["mfu", "queries_per_day"]
matrix = [[1, 0.3], [0.3, 1]]
---
mfu = 0.3
batch_size = 64
context_tokens = "1k to 4k"
total_params_b = 200
kv_bytes_per_token = 327680
mbu = { dist = "beta", mean = 0.7, sd = 0.05 }'
awk -v base="$base" 'BEGIN { RS = "\n---\n" } {
  file = sprintf("corpus/scenario/form-%d.toml", NR - 1)
  printf "%s\n%s\n[sampling]\nsamples = \"10k\"\nconfidence = \"95%%\"\n", base, $0 > file
  close(file)
}' <<<"$forms"

# A set input: one byte choosing the preset, then --set items separated by NUL bytes.
i=0
while IFS= read -r line; do
  printf "\\x$(printf %02x $((i % 12)))%s" "$line" | tr '|' '\0' >"corpus/set/seed-$i"
  i=$((i + 1))
done <<'SETS'
utilization=0.4
utilization=40%|mfu=35%
queries_per_day=2.5B|gpu=h100-sxm
queries_per_day=1M to 3M|gpu_hour_usd=$2.5
mfu={ dist = "beta", mean = 0.3, sd = 0.05 }
pue={ dist = "normal", mean = 1.2, sd = 0.05, truncate = [1, inf] }
gpus_per_server={ dist = "discrete", values = [4, 8], weights = ["50%", "50%"] }
batch_size=64|context_tokens=2000 to 8000|mbu=0.7
gpu_capex_usd=$30k|amortization_years=5|cost_of_capital=8%
on_infeasible=clamp|batch_size=512
fleet_gpus=10k|utilization={ dist = "uniform", min = "30%", max = "70%" }
peak_to_average=1.5|target_utilization=80%
SETS

i=0
for number in 0 2500000 2.5e6 2_500_000 2.5M 300k 1.2T '$2.5' '$1.5M' 40% 12.5% -7.5 .5 5. \
  1e-3 20m 2G 1,000 '1 000' 1e400 1e-400 inf 18446744073709551615 9.007199254740993e15 \
  1.0005k -0 '' '--' 1e 1e+k 5k%; do
  printf '%s' "$number" >"corpus/number/seed-$i"
  i=$((i + 1))
done

for target in scenario set number; do
  if compgen -G "regressions/$target/*" >/dev/null; then
    cp regressions/"$target"/* corpus/"$target"/
  fi
done
for target in scenario set number; do
  echo "corpus/$target: $(find corpus/$target -type f | wc -l) files"
done
