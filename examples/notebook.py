# %% [markdown]
# # costbands in a notebook
#
# The quick start of the README's Python section, as notebook cells (`# %%`: Jupyter with
# jupytext, VS Code, or plain `python examples/notebook.py`). Install first, from a checkout
# with a Rust toolchain: `pip install ./python` (add `pandas` for DataFrames, `matplotlib` for
# the chart).

# %%
import numpy as np

import costbands

run = costbands.run("chatgpt-class", samples=100_000, seed=42)
run  # in Jupyter: the command line's table

# %%
# bands.csv, value for value: a DataFrame with pandas, else a dict of NumPy arrays.
bands = run.bands
daily = np.asarray(bands["metric"]) == "daily_cost_usd"
for p, value, low, high in zip(
    np.asarray(bands["percentile"])[daily],
    np.asarray(bands["value"])[daily],
    np.asarray(bands["ci_low"])[daily],
    np.asarray(bands["ci_high"])[daily],
):
    print(f"P{p:g}: ${value / 1e6:.3f}M/day [{low / 1e6:.3f}, {high / 1e6:.3f}]")

# %%
# What if utilization were higher? Every point is `run --set utilization=...` at the same seed,
# with every other input's draws shared (common random numbers).
sweep = costbands.sweep(
    "chatgpt-class",
    {"utilization": "0.3..0.8:11"},
    samples=20_000,
    percentiles=[5, 25, 50, 75, 95],
)
cost = np.asarray(sweep.bands["metric"]) == "daily_cost_usd"
utilization = np.asarray(sweep.bands["utilization"])[cost]
percentile = np.asarray(sweep.bands["percentile"])[cost]
value = np.asarray(sweep.bands["value"])[cost] / 1e6


def band(p):
    return utilization[percentile == p], value[percentile == p]


print("median daily cost, $M:", np.round(band(50)[1], 2))

# %%
# A fan chart of the sweep (needs matplotlib; skipped without it).
try:
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("matplotlib is not installed: no chart (pip install matplotlib)")

if plt is not None:
    import os
    import tempfile

    fig, ax = plt.subplots(figsize=(7, 4))
    x, low = band(5)
    ax.fill_between(x, low, band(95)[1], alpha=0.2, color="C0", label="P5–P95")
    ax.fill_between(x, band(25)[1], band(75)[1], alpha=0.4, color="C0", label="P25–P75")
    ax.plot(*band(50), color="C0", label="median")
    ax.set_xlabel("utilization")
    ax.set_ylabel("daily cost, $M")
    ax.set_yscale("log")
    ax.set_title("chatgpt-class: daily cost by utilization")
    ax.legend()
    figure = os.environ.get("COSTBANDS_FIGURE") or os.path.join(
        tempfile.mkdtemp(), "fan.png"
    )
    fig.savefig(figure, dpi=100)
    print("chart:", figure)
