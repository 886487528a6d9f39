"""Samples: NumPy arrays over the engine's own columns (no copy), the command line's values."""

import numpy as np

import costbands
from conftest import read_csv, run_cli


def test_samples_are_arrays_over_the_rust_columns():
    run = costbands.run("chatgpt-class", samples=5000, keep_samples=True)
    columns = run._result.samples()[0]
    first, second = columns.arrays(), columns.arrays()
    for name, array in first.items():
        assert type(array.base).__name__ == "SampleColumns", name
        assert array.base is columns, name
        assert not array.flags.owndata and not array.flags.writeable, name
        assert array.dtype == np.float64 and array.shape == (5000,), name
        assert np.shares_memory(array, second[name]), name
    assert run.samples["daily_cost_usd"].base is not None


def test_samples_are_the_cli_samples_csv(cli, tmp_path):
    run_cli(cli, "run", "chatgpt-2025", "-n", 2000, "--seed", 3, "--save-samples",
            "-o", tmp_path, "-q")
    header, rows = read_csv(tmp_path / "samples.csv")
    samples = costbands.run("chatgpt-2025", samples=2000, seed=3, keep_samples=True).samples
    # other_opex_usd_per_day is an input and a metric: the dict holds the metric, the last.
    assert list(samples) == list(dict.fromkeys(reversed(header[2:])))[::-1]
    for i, name in enumerate(header[2:], start=2):
        if name in header[i + 1:]:
            continue
        expected = np.array([float(row[i]) for row in rows])
        assert np.array_equal(samples[name].view(np.uint64), expected.view(np.uint64)), name


def test_a_batch_keeps_each_scenarios_samples():
    run = costbands.run(["goldstein-2022-uncertain", "epoch-2025-uncertain"], samples=1000,
                        keep_samples=True)
    assert sorted(run.samples) == ["epoch-2025-uncertain", "goldstein-2022-uncertain"]
    cost = run.samples["epoch-2025-uncertain"]["daily_cost_usd"]
    assert cost.shape == (1000,)
