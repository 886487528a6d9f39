#!/usr/bin/env python3
"""The same Monte Carlo as `costbands run`, written the way a NumPy user would: fully vectorised.

Reads a costbands scenario file (default: distributions/chatgpt-class.toml) with tomllib,
draws every input the model reads as one NumPy array of --samples values, evaluates the cost
model on whole arrays and prints percentiles 1, 5, 10, 25, 50, 75, 90, 95, 99 of every metric
costbands reports (the 8 cost and energy metrics, then capex, other opex, tokens, GPU-hours,
CO2, water, amortised training and one metric per line item) with np.percentile (its default
"linear" method is Hyndman-Fan type 7, as in costbands). `--metrics 8` restricts the percentile
step to the first 8.

Model (docs/MODEL.md), chosen from the inputs the scenario gives, as costbands chooses it:
- busy GPU time from the fleet path (`fleet_gpus`), the measured-throughput path
  (`output_tokens_per_gpu_s`), the roofline path (`batch_size`: decode bounded by memory
  bandwidth or compute on replicas of `gpus_per_replica` GPUs, given or the fewest, a power of
  two, that hold weights and KV cache; prefill compute-bound) or the FLOPs path;
- the fleet sized on average load (`utilization`) or for the busiest hour (`peak_to_average`,
  `target_utilization`), in whole replicas on the roofline path, then whole servers;
- GPUs rented (`gpu_hour_usd`) or owned (`gpu_capex_usd` paid off as an annuity over
  `amortization_years` at `cost_of_capital`), plus energy, `other_opex_usd_per_day`, carbon
  (`grid_kg_co2_per_kwh`) and water (`wue_l_per_kwh`);
- cost line items (`[[costs]]`): each item's rate `usd` is drawn like an input and multiplied
  by the quantity its unit `per` names, in the same sample (day, year, query, million_tokens,
  gpu_hour, gpu_year, server_year, kwh, fraction_of_compute, fraction_of_capex), giving the
  metric `cost_<name>_usd_per_day`; every item is part of the daily cost and so of the cost per
  query and per million tokens;
- the training cost (`training_cost_usd`, `training_gpu_hours` at `training_gpu_hour_usd`, or
  6 x active parameters x `training_tokens` FLOP at `training_peak_tflops` and `training_mfu`)
  divided by `serving_lifetime_days` is the metric `training_usd_per_day`, part of the daily
  cost only when the scenario sets `include_training = true`;
- `gpu = "..."` fills peak_tflops, gpu_power_w, hbm_tb_s and gpu_memory_gb from
  distributions/hardware.toml; inputs left out take costbands' defaults; inputs the chosen
  model does not read are reported and not drawn;
- impossible samples (weights + KV cache do not fit a given replica, more active than total
  parameters, a fraction outside (0, 1], peak_to_average below 1) are rejected (every metric
  NaN, left out of the percentiles) or clamped as `on_infeasible` says; non-finite values are
  left out of each metric's percentiles, as in costbands.

Refused with a message: rank correlations between inputs (costbands induces them with
Iman-Conover: van der Waerden scores, decorrelated and recorrelated through Cholesky factors,
and each column rearranged to follow their ranks; NumPy has no such routine, so a user would
have to write it) and LHS/Sobol sampling.

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
                                        [--metrics 8|16] [--p50 METRIC,...]
`--p50 gpus,wh_per_query` adds a line `<metric>_p50=<value>` for each metric named. The last
line of output is `daily_cost_usd_p50=<value>`.
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
CATALOG = os.path.join(REPO, "distributions", "hardware.toml")
Z_95 = 1.6448536269514722  # inverse normal CDF at 0.95
SECONDS_PER_DAY = 86_400.0
GIGA, TERA = 1e9, 1e12
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
    "training_usd_per_day",
]
# What one unit of a line item's `usd` pays for (costbands' `per` units), in costbands' order.
PER_UNITS = [
    "day",
    "year",
    "query",
    "million_tokens",
    "gpu_hour",
    "gpu_year",
    "server_year",
    "kwh",
    "fraction_of_compute",
    "fraction_of_capex",
]
DAYS_PER_YEAR = 365.0
# Every input costbands knows, with its default when a scenario leaves it out: a number, "mfu"
# (the same distribution as mfu, drawn independently) or None (required when read, or derived).
INPUTS = {
    "queries_per_day": None,
    "input_tokens_per_query": 0.0,
    "output_tokens_per_query": None,
    "active_params_b": None,
    "peak_tflops": None,
    "mfu": None,
    "prefill_mfu": "mfu",
    "output_tokens_per_gpu_s": None,
    "input_tokens_per_gpu_s": None,
    "fleet_gpus": None,
    "utilization": None,
    "gpus_per_server": 1.0,
    "gpu_hour_usd": None,
    "gpu_power_w": None,
    "power_draw_fraction": 0.7,
    "pue": 1.2,
    "electricity_usd_per_kwh": None,
    "total_params_b": None,
    "bytes_per_param": 2.0,
    "kv_bytes_per_token": None,
    "layers": None,
    "kv_heads": None,
    "head_dim": None,
    "context_tokens": None,
    "batch_size": None,
    "hbm_tb_s": None,
    "gpu_memory_gb": None,
    "mbu": None,
    "gpus_per_replica": None,
    "peak_to_average": 1.0,
    "target_utilization": None,
    "gpu_capex_usd": None,
    "amortization_years": None,
    "cost_of_capital": 0.0,
    "other_opex_usd_per_day": 0.0,
    "grid_kg_co2_per_kwh": 0.366,  # US 2023 average, costbands' default
    "wue_l_per_kwh": 0.0,
    "training_cost_usd": None,
    "training_gpu_hours": None,
    "training_tokens": None,
    "training_peak_tflops": None,  # the serving peak_tflops when left out
    "training_mfu": None,
    "training_gpu_hour_usd": None,  # the serving gpu_hour_usd when left out
    "serving_lifetime_days": None,
}
# The inputs that each select a way of costing training; a scenario gives at most one.
TRAINING_ROUTES = ["training_cost_usd", "training_gpu_hours", "training_tokens"]
# Inputs the hardware catalog fills from `gpu = "..."` (input name -> catalog field).
FROM_GPU = {
    "peak_tflops": "peak_tflops",
    "gpu_power_w": "gpu_power_w",
    "hbm_tb_s": "hbm_tb_s",
    "gpu_memory_gb": "memory_gb",
}
COMMON = [
    "queries_per_day",
    "input_tokens_per_query",
    "output_tokens_per_query",
    "gpus_per_server",
    "gpu_power_w",
    "power_draw_fraction",
    "pue",
    "electricity_usd_per_kwh",
    "other_opex_usd_per_day",
    "grid_kg_co2_per_kwh",
    "wue_l_per_kwh",
]
ROOFLINE = [
    "peak_tflops",
    "mfu",
    "prefill_mfu",
    "total_params_b",
    "bytes_per_param",
    "context_tokens",
    "batch_size",
    "hbm_tb_s",
    "gpu_memory_gb",
    "mbu",
]


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


class Plan:
    """The model costbands chooses for a scenario: path, provisioning, price, infeasibility rule."""

    def __init__(self, given, on_infeasible, include_training=False):
        has = given.__contains__
        if has("fleet_gpus"):
            self.path = "fleet"
        elif has("output_tokens_per_gpu_s"):
            self.path = "throughput"
        elif has("batch_size"):
            self.path = "roofline"
        else:
            self.path = "flops"
        self.moe = has("active_params_b")
        self.kv_given = has("kv_bytes_per_token")
        self.replica_given = has("gpus_per_replica")
        self.prompt_rate = has("input_tokens_per_gpu_s")
        if self.path == "fleet":
            self.provisioning = "given"
            self.fleet_utilization = has("utilization")
        elif has("peak_to_average") or has("target_utilization"):
            self.provisioning = "peak"
        else:
            self.provisioning = "average"
        if has("gpu_hour_usd") and has("gpu_capex_usd"):
            sys.exit("give gpu_hour_usd (renting) or gpu_capex_usd (owning), not both")
        self.price = "owned" if has("gpu_capex_usd") else "rental"
        routes = [name for name in TRAINING_ROUTES if has(name)]
        if len(routes) > 1:
            sys.exit(f"give one way of costing training, not {' and '.join(routes)}")
        self.training = routes[0] if routes else None
        self.include_training = include_training
        if include_training and self.training is None:
            sys.exit("include_training is true but no training cost is given")
        self.training_price_given = has("training_gpu_hour_usd")
        self.training_peak_given = has("training_peak_tflops")
        if (
            self.training in ("training_gpu_hours", "training_tokens")
            and not self.training_price_given
            and self.price == "owned"
        ):
            sys.exit("the serving GPUs are owned: give training_gpu_hour_usd to price training")
        if on_infeasible not in ("reject", "clamp"):
            sys.exit(f"on_infeasible must be reject or clamp, not {on_infeasible!r}")
        self.on_infeasible = on_infeasible

    def inputs(self):
        """Every input the model reads."""
        used = list(COMMON)
        if self.path == "fleet":
            used.append("fleet_gpus")
            if self.fleet_utilization:
                used.append("utilization")
        elif self.path == "throughput":
            used.append("output_tokens_per_gpu_s")
            if self.prompt_rate:
                used.append("input_tokens_per_gpu_s")
        elif self.path == "flops":
            used += ["active_params_b", "peak_tflops", "mfu", "prefill_mfu"]
        else:
            used += ROOFLINE
            if self.moe:
                used.append("active_params_b")
            used += ["kv_bytes_per_token"] if self.kv_given else ["layers", "kv_heads", "head_dim"]
            if self.replica_given:
                used.append("gpus_per_replica")
        if self.provisioning == "average":
            used.append("utilization")
        elif self.provisioning == "peak":
            used += ["peak_to_average", "target_utilization"]
        if self.price == "rental":
            used.append("gpu_hour_usd")
        else:
            used += ["gpu_capex_usd", "amortization_years", "cost_of_capital"]
        if self.training is not None:
            used.append(self.training)
            if self.training != "training_cost_usd":
                used.append("training_gpu_hour_usd" if self.training_price_given else "gpu_hour_usd")
            if self.training == "training_tokens":
                used += ["active_params_b", "training_mfu"]
                used.append("training_peak_tflops" if self.training_peak_given else "peak_tflops")
            used.append("serving_lifetime_days")
        return list(dict.fromkeys(used))

    def fractions(self):
        """The fractions the model reads, each of which must lie in (0, 1]."""
        share = {"average": ["utilization"], "peak": ["target_utilization"]}.get(self.provisioning)
        if self.path == "fleet":
            return ["utilization"] if self.fleet_utilization else []
        physics = {"flops": ["mfu", "prefill_mfu"], "roofline": ["mfu", "prefill_mfu", "mbu"]}
        return physics.get(self.path, []) + share

    def describe(self):
        path = self.path
        if path == "roofline":
            path += " (" + ", ".join(
                [
                    "MoE" if self.moe else "dense",
                    "KV bytes given" if self.kv_given else "KV bytes from layer shape",
                    "replica given" if self.replica_given else "replica sized to fit",
                ]
            ) + ")"
        training = "no training cost"
        if self.training is not None:
            training = f"training from {self.training}"
            training += " (included)" if self.include_training else " (not included)"
        return (
            f"{path} path, {self.provisioning} provisioning, {self.price}, {training}, "
            f"on_infeasible {self.on_infeasible}"
        )


class Item:
    """A cost line item: its name, unit and the sampler of its rate."""

    def __init__(self, raw, price, origin):
        self.name = raw.get("name", "")
        self.per = raw.get("per", "")
        if self.per not in PER_UNITS:
            sys.exit(f"{origin}: line item {self.name!r}: unknown unit {self.per!r}; per is one of {', '.join(PER_UNITS)}")
        if self.per == "fraction_of_capex" and price == "rental":
            sys.exit(
                f"{origin}: fraction_of_capex needs owned GPUs (inputs.gpu_capex_usd), but this "
                f"scenario rents them (gpu_hour_usd): use fraction_of_compute for {self.name!r}"
            )
        if "usd" not in raw:
            sys.exit(f"{origin}: line item {self.name!r} has no usd")
        self.spec = raw["usd"]
        self.metric = f"cost_{self.name}_usd_per_day"

    def usd_per_day(self, rate, q):
        """USD per day of `rate` per unit of `per`, from the sample's quantities `q`."""
        per = self.per
        if per == "day":
            return rate
        if per == "year":
            return rate / DAYS_PER_YEAR
        if per == "query":
            return rate * q["queries_per_day"]
        if per == "million_tokens":
            return rate * q["tokens_per_day"] / 1e6
        if per == "gpu_hour":
            return rate * q["gpu_hours_per_day"]
        if per == "gpu_year":
            return rate * q["gpus"] / DAYS_PER_YEAR
        if per == "server_year":
            return rate * (q["gpus"] / q["gpus_per_server"]) / DAYS_PER_YEAR
        if per == "kwh":
            return rate * q["energy_kwh_per_day"]
        if per == "fraction_of_compute":
            return rate * q["compute_cost_usd_per_day"]
        return rate * q["capex_usd_per_day"]  # fraction_of_capex


def load(path):
    """The scenario, its model plan and the spec of every input the model reads."""
    with open(path, "rb") as f:
        scenario = tomllib.load(f)
    given = dict(scenario.get("inputs", {}))
    unknown = sorted(set(given) - set(INPUTS))
    if unknown:
        sys.exit(f"{path}: unknown inputs: {', '.join(unknown)}")
    refused = []
    if scenario.get("correlations") or scenario.get("correlation"):
        refused.append(
            "rank correlations (costbands induces them with Iman-Conover; a NumPy user would "
            "have to implement it: van der Waerden scores, Cholesky decorrelation and "
            "recorrelation, and a rank rearrangement of every correlated column)"
        )
    method = scenario.get("sampling", {}).get("method", "mc")
    if method != "mc":
        refused.append(f"sampling method {method!r}")
    if refused:
        sys.exit(f"{path}: not implemented in this comparison program: {'; '.join(refused)}")
    plan = Plan(
        given,
        scenario.get("on_infeasible", "reject"),
        bool(scenario.get("include_training", False)),
    )
    items = [Item(raw, plan.price, path) for raw in scenario.get("costs", [])]
    names = [item.name for item in items]
    if len(set(names)) != len(names):
        sys.exit(f"{path}: line item names must be unique: {', '.join(names)}")
    catalog = {}
    gpu = scenario.get("gpu")
    if gpu:
        with open(CATALOG, "rb") as f:
            gpus = tomllib.load(f)["gpus"]
        if gpu not in gpus:
            sys.exit(f"{path}: unknown GPU {gpu!r}; known: {', '.join(sorted(gpus))}")
        catalog = {name: gpus[gpu][field] for name, field in FROM_GPU.items()}
    used = plan.inputs()
    specs = {}
    for name in sorted(used, key=list(INPUTS).index):
        default = INPUTS[name]
        if name in given:
            specs[name] = given[name]
        elif name in catalog:
            specs[name] = catalog[name]
        elif default == "mfu":
            specs[name] = specs["mfu"]
        elif default is not None:
            specs[name] = default
        else:
            sys.exit(f"{path}: missing input {name}, which the {plan.path} path needs")
    for name in sorted(set(given) - set(used)):
        print(f"warning: inputs.{name} is not used by this model", file=sys.stderr)
    return scenario, plan, specs, items


class Status:
    """Which samples are rejected or clamped (None until some are)."""

    def __init__(self, n):
        self.n = n
        self.rejected = None
        self.clamped = None

    def reject(self, mask):
        self.rejected = mask if self.rejected is None else self.rejected | mask

    def clamp(self, mask):
        self.clamped = mask if self.clamped is None else self.clamped | mask

    def counts(self):
        """(rejected, clamped), a rejected sample not counted as clamped, as in costbands."""
        rejected = 0 if self.rejected is None else int(np.count_nonzero(self.rejected))
        if self.clamped is None:
            return rejected, 0
        if self.rejected is None:
            return rejected, int(np.count_nonzero(self.clamped))
        return rejected, int(np.count_nonzero(self.clamped & ~self.rejected))


def as_mask(condition, n):
    """A boolean array of n from an array or scalar condition."""
    return np.broadcast_to(np.asarray(condition, dtype=bool), (n,))


def check_fractions(x, plan, status):
    """Every fraction the model reads kept in (0, 1], clamped from above 1 if the rule says so,
    else its sample rejected; peak_to_average below 1 rejects the sample."""
    for name in plan.fractions():
        v = x[name]
        if np.min(v) > 0.0 and np.max(v) <= 1.0:  # always, for a validated scenario
            continue
        outside = np.logical_not((v > 0.0) & (v <= 1.0))  # NaN too
        if plan.on_infeasible == "clamp":
            over = np.greater(v, 1.0)
            x[name] = np.where(over, 1.0, v)
            status.clamp(as_mask(over, status.n))
            status.reject(as_mask(outside & ~over, status.n))
        else:
            status.reject(as_mask(outside, status.n))
    if plan.provisioning == "peak":
        ratio = x["peak_to_average"]
        if not np.min(ratio) >= 1.0:
            status.reject(as_mask(np.logical_not(ratio >= 1.0), status.n))


def fewest_gpus(needed, per_gpu):
    """The fewest GPUs, a power of two (at most 2^20), whose memory of per_gpu bytes each holds
    needed bytes; NaN when needed is not finite or per_gpu is not positive."""
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.clip(np.ceil(np.log2(needed / per_gpu)), 0, 20)
        k = np.nan_to_num(k, nan=0.0)
        g = np.exp2(k)
        # log2 of a rounded ratio can miss by one at an exact power of two: fix both ways.
        g = np.where((g * per_gpu < needed) & (g < 1e6), 2 * g, g)
        g = np.where((g > 1) & (0.5 * g * per_gpu >= needed), 0.5 * g, g)
        return np.where(np.isfinite(needed) & (per_gpu > 0), g, np.nan)


def roofline(x, plan, status):
    """Busy GPU-seconds per day and GPUs per replica on the roofline path."""
    clamp = plan.on_infeasible == "clamp"
    n = status.n
    bytes_per_param = x["bytes_per_param"]
    total_params = x["total_params_b"] * GIGA
    weight_bytes = total_params * bytes_per_param
    if plan.moe:
        active = x["active_params_b"] * GIGA
        over = np.logical_not(active <= total_params)  # NaN too
        if np.any(over):
            if clamp:
                fix = over & np.isfinite(active)
                active = np.where(fix, total_params, active)
                status.clamp(as_mask(fix, n))
                status.reject(as_mask(over & ~fix, n))
            else:
                status.reject(as_mask(over, n))
    else:
        active = total_params
    if plan.kv_given:
        kv_per_token = x["kv_bytes_per_token"]
    else:
        kv_per_token = 2.0 * x["layers"] * x["kv_heads"] * x["head_dim"] * bytes_per_param
    kv_per_sequence = x["context_tokens"] * kv_per_token
    del kv_per_token
    batch = x["batch_size"]
    gpu_memory = x["gpu_memory_gb"] * GIGA
    needed = weight_bytes + batch * kv_per_sequence
    if plan.replica_given:
        replica = x["gpus_per_replica"]
    else:
        replica = fewest_gpus(needed, gpu_memory)
    replica_memory = replica * gpu_memory
    short = np.logical_not(needed <= replica_memory)  # NaN too
    del needed
    if np.any(short):
        if clamp:
            with np.errstate(divide="ignore", invalid="ignore"):
                fits = np.floor((replica_memory - weight_bytes) / kv_per_sequence)
            fix = short & (fits >= 1.0)
            batch = np.where(fix, fits, batch)
            status.clamp(as_mask(fix, n))
            status.reject(as_mask(short & ~fix, n))
        else:
            status.reject(as_mask(short, n))
    del replica_memory, short
    bytes_per_s = replica * x["hbm_tb_s"] * TERA * x["mbu"]
    peak_flop_per_s = x["peak_tflops"] * TERA
    flop_per_s = replica * peak_flop_per_s * x["mfu"]
    weight_bytes_read = np.fmin(weight_bytes, batch * active * bytes_per_param)
    del weight_bytes
    step_memory = (weight_bytes_read + batch * kv_per_sequence) / bytes_per_s
    del weight_bytes_read, kv_per_sequence, bytes_per_s
    step_compute = batch * 2.0 * active / flop_per_s
    del flop_per_s
    step = np.fmax(step_memory, step_compute)
    del step_memory, step_compute
    decode = replica * step / batch
    del step
    prefill = 2.0 * active / (peak_flop_per_s * x["prefill_mfu"])
    per_query = x["output_tokens_per_query"] * decode + x["input_tokens_per_query"] * prefill
    return x["queries_per_day"] * per_query, replica


def capex_per_gpu_day(x):
    """The annuity that pays off one GPU over amortization_years at cost_of_capital, per day."""
    capex, years, rate = x["gpu_capex_usd"], x["amortization_years"], x["cost_of_capital"]
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = capex * rate / (1.0 - (1.0 + rate) ** -years)
    per_year = np.where(rate == 0.0, capex / years, annuity)
    return per_year / 365.0


def training_usd_per_day(x, plan):
    """The training cost spread over serving_lifetime_days (0 without a training input)."""
    if plan.training is None:
        return 0.0
    price = x["training_gpu_hour_usd"] if plan.training_price_given else x.get("gpu_hour_usd")
    if plan.training == "training_cost_usd":
        usd = x["training_cost_usd"]
    elif plan.training == "training_gpu_hours":
        usd = x["training_gpu_hours"] * price
    else:
        flop = 6.0 * x["active_params_b"] * GIGA * x["training_tokens"]
        peak = x["training_peak_tflops"] if plan.training_peak_given else x["peak_tflops"]
        usd = flop / (peak * TERA * x["training_mfu"]) / 3600.0 * price
    return usd / x["serving_lifetime_days"]


def model(x, plan, n, items=(), rates=None):
    """Every metric from arrays of inputs (dict name -> array or float) and of the line items'
    rates (dict item name -> array or float), and the row status."""
    status = Status(n)
    check_fractions(x, plan, status)
    q = x["queries_per_day"]
    tin, tout = x["input_tokens_per_query"], x["output_tokens_per_query"]
    replica = 1.0
    if plan.path == "fleet":
        utilization = x["utilization"] if plan.fleet_utilization else math.nan
        busy = x["fleet_gpus"] * SECONDS_PER_DAY * utilization
    elif plan.path == "throughput":
        per_query = tout / x["output_tokens_per_gpu_s"]
        if plan.prompt_rate:
            per_query = per_query + tin / x["input_tokens_per_gpu_s"]
        busy = q * per_query
        del per_query
    elif plan.path == "flops":
        peak = x["peak_tflops"] * TERA
        busy = q * (2e9 * x["active_params_b"]) * (
            tin / (peak * x["prefill_mfu"]) + tout / (peak * x["mfu"])
        )
    else:
        busy, replica = roofline(x, plan, status)
    if plan.provisioning == "average":
        gpus_exact = busy / (SECONDS_PER_DAY * x["utilization"])
    elif plan.provisioning == "peak":
        gpus_exact = busy * x["peak_to_average"] / (SECONDS_PER_DAY * x["target_utilization"])
    else:
        gpus_exact = x["fleet_gpus"]
    per_server = x["gpus_per_server"]
    if plan.path == "roofline":  # whole replicas, packed into whole servers
        gpus = np.ceil(np.ceil(gpus_exact / replica) * replica / per_server) * per_server
    else:
        gpus = np.ceil(gpus_exact / per_server) * per_server
    del gpus_exact, replica
    if plan.price == "owned":
        capex = gpus * capex_per_gpu_day(x)
        compute = capex
    else:
        capex = 0.0
        compute = gpus * 24.0 * x["gpu_hour_usd"]
    energy_kwh = gpus * x["gpu_power_w"] * x["power_draw_fraction"] * x["pue"] * 24.0 / 1000.0
    energy_cost = energy_kwh * x["electricity_usd_per_kwh"]
    other = x["other_opex_usd_per_day"]
    tokens = q * (tin + tout)
    training = training_usd_per_day(x, plan)
    daily = compute + energy_cost + other
    quantities = {
        "queries_per_day": q,
        "tokens_per_day": tokens,
        "gpus": gpus,
        "gpus_per_server": per_server,
        "gpu_hours_per_day": gpus * 24.0,
        "energy_kwh_per_day": energy_kwh,
        "compute_cost_usd_per_day": compute,
        "capex_usd_per_day": capex,
    }
    item_costs = {item.metric: item.usd_per_day(rates[item.name], quantities) for item in items}
    del quantities
    for cost in item_costs.values():
        daily = daily + cost
    if plan.include_training:
        daily = daily + training
    wh_per_query = energy_kwh * 1000.0 / q
    grid = x["grid_kg_co2_per_kwh"]
    metrics = {
        "daily_cost_usd": daily,
        "compute_cost_usd_per_day": compute,
        "energy_cost_usd_per_day": energy_cost,
        "gpus": gpus,
        "energy_kwh_per_day": energy_kwh,
        "cost_per_query_usd": daily / q,
        "cost_per_million_tokens_usd": daily / tokens * 1e6,
        "wh_per_query": wh_per_query,
        "capex_usd_per_day": capex,
        "other_opex_usd_per_day": other,
        "tokens_per_day": tokens,
        "gpu_hours_per_day": gpus * 24.0,
        "busy_gpu_hours_per_day": busy / 3600.0,
        "kg_co2_per_day": grid * energy_kwh,
        "g_co2_per_query": grid * wh_per_query,
        "water_l_per_day": (x["wue_l_per_kwh"] / x["pue"]) * energy_kwh,
        "training_usd_per_day": training,
    }
    metrics.update(item_costs)
    for name, values in metrics.items():
        if np.shape(values) != (n,):  # a constant is still one value per sample
            metrics[name] = np.full(n, values, dtype=float)
    if status.rejected is not None and status.rejected.any():
        for values in metrics.values():
            np.putmask(values, status.rejected, np.nan)
    return metrics, status


def percentiles(values, ps):
    """Type-7 percentiles of the finite values (NaN marks a rejected sample)."""
    if not np.isfinite(values.sum()):
        values = values[np.isfinite(values)]
    if values.size == 0:
        return np.full(len(ps), np.nan)
    return np.percentile(values, ps)


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
    parser.add_argument(
        "--p50",
        default="",
        help="comma-separated metrics whose P50 to print as <metric>_p50=<value> lines",
    )
    args = parser.parse_args()
    extra = [name for name in args.p50.split(",") if name]
    scenario, plan, specs, items = load(args.scenario)
    known = METRICS + [item.metric for item in items]
    unknown = [name for name in extra if name not in known]
    if unknown:
        sys.exit(f"--p50: unknown metrics {', '.join(unknown)}; known: {', '.join(known)}")
    sampling = scenario.get("sampling", {})
    n = args.samples or sampling.get("samples", 100_000)
    seed = args.seed if args.seed is not None else sampling.get("seed", 42)

    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    x = {}
    for name, spec in specs.items():
        draws = sampler(spec)
        x[name] = draws(rng, n) if not isinstance(spec, (int, float)) else float(spec)
    rates = {}
    for item in items:
        draws = sampler(item.spec)
        rates[item.name] = draws(rng, n) if not isinstance(item.spec, (int, float)) else float(item.spec)
    t1 = time.perf_counter()
    metrics, status = model(x, plan, n, items, rates)
    del x, rates
    t2 = time.perf_counter()
    item_metrics = [item.metric for item in items]
    names = METRICS[: args.metrics] + (item_metrics if args.metrics == len(METRICS) else [])
    names += [name for name in extra if name not in names]
    table = {name: percentiles(metrics[name], PERCENTILES) for name in names}
    t3 = time.perf_counter()

    print(f"{scenario.get('name', 'scenario')}: {n} samples, seed {seed}, NumPy {np.__version__}")
    rejected, clamped = status.counts()
    print(f"{plan.describe()}; rejected {rejected}, clamped {clamped}")
    print("metric".ljust(36) + "".join(f"P{p}".rjust(14) for p in PERCENTILES))
    for name in METRICS[: args.metrics] + (item_metrics if args.metrics == len(METRICS) else []):
        print(name.ljust(36) + "".join(f"{v:14.6g}" for v in table[name]))
    print(
        f"time: sampling {t1 - t0:.2f} s, model {t2 - t1:.2f} s, percentiles {t3 - t2:.2f} s "
        "(no confidence intervals computed)",
        file=sys.stderr,
    )
    at = PERCENTILES.index(50)
    for name in extra:
        if name != "daily_cost_usd":
            print(f"{name}_p50={float(table[name][at])!r}")
    print(f"daily_cost_usd_p50={float(table['daily_cost_usd'][at])!r}")


if __name__ == "__main__":
    main()
