#!/usr/bin/env python3
"""The same Monte Carlo as `costbands run`, written the way a NumPy user would: fully vectorised.

Reads a costbands scenario file (default: distributions/chatgpt-class.toml) with tomllib,
draws every input as one NumPy array of --samples values, evaluates the cost model on whole
arrays and prints percentiles 1, 5, 10, 25, 50, 75, 90, 95, 99 of every metric costbands
reports (the 8 cost and energy metrics, then tokens, GPU-hours, capex, other opex, CO2 and
water) with np.percentile (its default "linear" method is Hyndman-Fan type 7, as in costbands).
`--metrics 8` restricts the percentile step to the first 8.

Model: the FLOPs, measured-throughput and known-fleet paths, fleet sized on average load and
priced at a rental rate, as in the chatgpt-class scenario. Scenarios using other costbands
features (roofline path, peak provisioning, owned GPUs, correlations, LHS/Sobol sampling) are
refused with a message.

Distributions follow costbands' definitions: "a to b" and {p5, p95} are lognormals with that 90%
interval; {median, p95}, {mu, sigma} and {mean, sd} lognormals; beta from alpha/beta or from
mean/sd; PERT as min + range * Beta(1 + s(mode-min)/range, 1 + s(max-mode)/range), s = 4 unless
given; triangular; uniform; loguniform; gamma; discrete; normal from mean/sd or p5/p95.
`truncate = [lo, hi]` is applied by resampling the out-of-range draws until none are left.
Random numbers come from NumPy's PCG64, so individual samples differ from costbands'; the
percentiles agree within Monte Carlo error.

Not computed here, unlike costbands: confidence intervals of the percentiles and of the mean
(costbands gives each a distribution-free order-statistic or Student-t interval), the mean,
sd, min/max, the top drivers of the daily cost, and the summary.csv / bands.csv / run.json
files. Adding a bootstrap CI would multiply the percentile cost by the number of resamples.

Usage: python3 benches/compare_numpy.py [--samples N] [--seed S] [--scenario FILE]
The last line of output is `daily_cost_usd_p50=<value>`.
"""

import argparse
import math
import os
import sys
import time
import tomllib

try:
    import numpy as np
except ImportError:
    sys.exit("compare_numpy.py needs NumPy, which is not installed: run `pip install numpy`")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
Z_95 = 1.6448536269514722  # inverse normal CDF at 0.95
SECONDS_PER_DAY = 86_400.0
PERCENTILES = [1, 5, 10, 25, 50, 75, 90, 95, 99]
METRICS = [
    "daily_cost_usd",
    "compute_cost_usd_per_day",
    "energy_cost_usd_per_day",
    "gpus",
    "energy_kwh_per_day",
    "cost_per_query_usd",
    "cost_per_million_tokens_usd",
    "wh_per_query",
    "capex_usd_per_day",
    "other_opex_usd_per_day",
    "tokens_per_day",
    "gpu_hours_per_day",
    "busy_gpu_hours_per_day",
    "kg_co2_per_day",
    "g_co2_per_query",
    "water_l_per_day",
]
# Inputs with a default when the scenario leaves them out ("same as" another input = the same
# distribution, drawn independently).
DEFAULTS = {
    "input_tokens_per_query": 0.0,
    "gpus_per_server": 1.0,
    "power_draw_fraction": 0.7,
    "pue": 1.2,
    "prefill_mfu": "same as mfu",
    "other_opex_usd_per_day": 0.0,
    "grid_kg_co2_per_kwh": 0.366,  # US 2023 average, costbands' default
    "wue_l_per_kwh": 0.0,
}
# Inputs this program implements; anything else in a scenario is refused.
KNOWN_INPUTS = set(DEFAULTS) | {
    "queries_per_day",
    "output_tokens_per_query",
    "active_params_b",
    "peak_tflops",
    "mfu",
    "output_tokens_per_gpu_s",
    "input_tokens_per_gpu_s",
    "fleet_gpus",
    "utilization",
    "gpu_hour_usd",
    "gpu_power_w",
    "electricity_usd_per_kwh",
}


def number(x):
    if isinstance(x, str):
        return float(x.replace("_", ""))
    return float(x)


def sampler(spec):
    """Returns draw(rng, n) -> array of n draws for a scenario-file spec."""
    if isinstance(spec, (int, float)):
        value = float(spec)
        return lambda rng, n: np.full(n, value)
    if isinstance(spec, str):
        if " to " not in spec:
            value = number(spec)
            return lambda rng, n: np.full(n, value)
        a, b = (number(part) for part in spec.split(" to "))
        return lognormal(0.5 * (math.log(a) + math.log(b)), (math.log(b) - math.log(a)) / (2 * Z_95))
    kind = spec["dist"]
    keys = set(spec) - {"dist", "truncate"}
    p = {k: number(v) for k, v in spec.items() if k not in ("dist", "truncate", "values", "weights")}
    if kind == "uniform":
        lo, hi = p["min"], p["max"]
        draw = lambda rng, n: rng.uniform(lo, hi, n)
    elif kind == "normal":
        if keys == {"mean", "sd"}:
            mean, sd = p["mean"], p["sd"]
        else:
            mean, sd = 0.5 * (p["p5"] + p["p95"]), (p["p95"] - p["p5"]) / (2 * Z_95)
        draw = lambda rng, n: rng.normal(mean, sd, n)
    elif kind == "lognormal":
        if keys == {"p5", "p95"}:
            mu = 0.5 * (math.log(p["p5"]) + math.log(p["p95"]))
            sigma = (math.log(p["p95"]) - math.log(p["p5"])) / (2 * Z_95)
        elif keys == {"median", "p95"}:
            mu = math.log(p["median"])
            sigma = (math.log(p["p95"]) - mu) / Z_95
        elif keys == {"mu", "sigma"}:
            mu, sigma = p["mu"], p["sigma"]
        else:
            sigma2 = math.log(1 + (p["sd"] / p["mean"]) ** 2)
            mu, sigma = math.log(p["mean"]) - 0.5 * sigma2, math.sqrt(sigma2)
        draw = lognormal(mu, sigma)
    elif kind == "triangular":
        lo, mode, hi = p["min"], p["mode"], p["max"]
        draw = lambda rng, n: rng.triangular(lo, mode, hi, n)
    elif kind == "pert":
        lo, mode, hi, shape = p["min"], p["mode"], p["max"], p.get("shape", 4.0)
        span = hi - lo
        a, b = 1 + shape * (mode - lo) / span, 1 + shape * (hi - mode) / span
        draw = lambda rng, n: lo + span * rng.beta(a, b, n)
    elif kind == "beta":
        if keys == {"alpha", "beta"}:
            a, b = p["alpha"], p["beta"]
        else:
            m, sd = p["mean"], p["sd"]
            nu = m * (1 - m) / sd**2 - 1
            a, b = m * nu, (1 - m) * nu
        draw = lambda rng, n: rng.beta(a, b, n)
    elif kind == "gamma":
        if keys == {"shape", "scale"}:
            k, theta = p["shape"], p["scale"]
        else:
            k, theta = (p["mean"] / p["sd"]) ** 2, p["sd"] ** 2 / p["mean"]
        draw = lambda rng, n: rng.gamma(k, theta, n)
    elif kind == "loguniform":
        lo, hi = math.log(p["min"]), math.log(p["max"])
        draw = lambda rng, n: np.exp(rng.uniform(lo, hi, n))
    elif kind == "discrete":
        values = np.array(spec["values"], dtype=float)
        weights = np.array(spec["weights"], dtype=float)
        draw = lambda rng, n: rng.choice(values, n, p=weights / weights.sum())
    else:
        sys.exit(f"unknown dist {kind!r}")
    if "truncate" in spec:
        lo, hi = (number(x) for x in spec["truncate"])
        return truncated(draw, lo, hi)
    return draw


def lognormal(mu, sigma):
    return lambda rng, n: rng.lognormal(mu, sigma, n)


def truncated(draw, lo, hi):
    """Rejection: redraw the out-of-range entries until every one is inside [lo, hi]."""

    def sample(rng, n):
        x = draw(rng, n)
        bad = np.flatnonzero((x < lo) | (x > hi))
        while bad.size:
            x[bad] = draw(rng, bad.size)
            bad = bad[(x[bad] < lo) | (x[bad] > hi)]
        return x

    return sample


def load(path):
    with open(path, "rb") as f:
        scenario = tomllib.load(f)
    specs = dict(scenario["inputs"])
    unsupported = sorted(set(specs) - KNOWN_INPUTS)
    unsupported += [key for key in ("correlations", "correlation", "on_infeasible") if key in scenario]
    method = scenario.get("sampling", {}).get("method", "mc")
    if method != "mc":
        unsupported.append(f"sampling method {method!r}")
    if unsupported:
        sys.exit(f"{path}: not implemented in this comparison program: {', '.join(unsupported)}")
    gpu = scenario.get("gpu")
    if gpu:
        with open(os.path.join(os.path.dirname(path), "hardware.toml"), "rb") as f:
            catalog = tomllib.load(f)["gpus"][gpu]
        specs.setdefault("peak_tflops", catalog["peak_tflops"])
        specs.setdefault("gpu_power_w", catalog["gpu_power_w"])
    for name, default in DEFAULTS.items():
        if name not in specs:
            specs[name] = specs["mfu"] if default == "same as mfu" and "mfu" in specs else default
    return scenario, specs


def model(x):
    """Every metric from arrays of inputs (dict name -> array or float)."""
    q = x["queries_per_day"]
    tin, tout = x["input_tokens_per_query"], x["output_tokens_per_query"]
    if "fleet_gpus" in x:
        busy = x["fleet_gpus"] * SECONDS_PER_DAY * x["utilization"]
        gpus_exact = x["fleet_gpus"]
    else:
        if "output_tokens_per_gpu_s" in x:
            per_query = tout / x["output_tokens_per_gpu_s"]
            if "input_tokens_per_gpu_s" in x:
                per_query = per_query + tin / x["input_tokens_per_gpu_s"]
            busy = q * per_query
        else:
            peak = x["peak_tflops"] * 1e12
            busy = q * (2e9 * x["active_params_b"]) * (
                tin / (peak * x["prefill_mfu"]) + tout / (peak * x["mfu"])
            )
        gpus_exact = busy / (SECONDS_PER_DAY * x["utilization"])
    per_server = x["gpus_per_server"]
    gpus = np.ceil(gpus_exact / per_server) * per_server
    compute = gpus * 24.0 * x["gpu_hour_usd"]
    energy_kwh = gpus * x["gpu_power_w"] * x["power_draw_fraction"] * x["pue"] * 24.0 / 1000.0
    energy_cost = energy_kwh * x["electricity_usd_per_kwh"]
    other = x["other_opex_usd_per_day"]
    daily = compute + energy_cost + other
    kg_co2 = x["grid_kg_co2_per_kwh"] * energy_kwh
    zeros = np.zeros_like(daily)
    return {
        "daily_cost_usd": daily,
        "compute_cost_usd_per_day": compute,
        "energy_cost_usd_per_day": energy_cost,
        "gpus": gpus,
        "energy_kwh_per_day": energy_kwh,
        "cost_per_query_usd": daily / q,
        "cost_per_million_tokens_usd": daily / (q * (tin + tout)) * 1e6,
        "wh_per_query": energy_kwh * 1000.0 / q,
        "capex_usd_per_day": zeros,  # rental pricing: no capex
        "other_opex_usd_per_day": other + zeros,
        "tokens_per_day": q * (tin + tout),
        "gpu_hours_per_day": gpus * 24.0,
        "busy_gpu_hours_per_day": busy / 3600.0,
        "kg_co2_per_day": kg_co2,
        "g_co2_per_query": kg_co2 * 1000.0 / q,
        "water_l_per_day": (x["wue_l_per_kwh"] / x["pue"]) * energy_kwh,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--metrics",
        type=int,
        choices=(8, len(METRICS)),
        default=len(METRICS),
        help="percentiles of the first 8 metrics or of all (default: all)",
    )
    parser.add_argument(
        "--scenario", default=os.path.join(REPO, "distributions", "chatgpt-class.toml")
    )
    args = parser.parse_args()
    scenario, specs = load(args.scenario)
    sampling = scenario.get("sampling", {})
    n = args.samples or sampling.get("samples", 100_000)
    seed = args.seed if args.seed is not None else sampling.get("seed", 42)

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    x = {}
    for name, spec in specs.items():
        draws = sampler(spec)
        x[name] = draws(rng, n) if not isinstance(spec, (int, float)) else float(spec)
    t1 = time.perf_counter()
    metrics = model(x)
    del x
    t2 = time.perf_counter()
    names = METRICS[: args.metrics]
    table = {name: np.percentile(metrics[name], PERCENTILES) for name in names}
    t3 = time.perf_counter()

    print(f"{scenario.get('name', 'scenario')}: {n} samples, seed {seed}, NumPy {np.__version__}")
    print("metric".ljust(30) + "".join(f"P{p}".rjust(14) for p in PERCENTILES))
    for name in names:
        print(name.ljust(30) + "".join(f"{v:14.6g}" for v in table[name]))
    print(
        f"time: sampling {t1 - t0:.2f} s, model {t2 - t1:.2f} s, percentiles {t3 - t2:.2f} s "
        "(no confidence intervals computed)",
        file=sys.stderr,
    )
    print(f"daily_cost_usd_p50={float(table['daily_cost_usd'][PERCENTILES.index(50)])!r}")


if __name__ == "__main__":
    main()
