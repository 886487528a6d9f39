"""Samples: NumPy arrays over the engine's own columns (no copy), the command line's values."""

import numpy as np
import pytest

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


def test_samples_saved_as_parquet_are_the_cli_samples_parquet(cli, tmp_path):
    run_cli(cli, "run", "chatgpt-2025", "-n", 2000, "--seed", 3, "--save-samples", "parquet",
            "-o", tmp_path / "cli", "-q")
    run = costbands.run("chatgpt-2025", samples=2000, seed=3, keep_samples=True)
    written = run.save(tmp_path / "py", samples_format="parquet")
    assert "samples.parquet" in [p.name for p in written]
    saved = (tmp_path / "py" / "samples.parquet").read_bytes()
    assert saved == (tmp_path / "cli" / "samples.parquet").read_bytes()
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    frame = pd.read_parquet(tmp_path / "py" / "samples.parquet")
    header, rows = read_csv_of(cli, tmp_path)
    assert list(frame.columns[:2]) == ["scenario", "sample"] and len(frame) == len(rows) == 2000
    for name in ["daily_cost_usd", "gpus", "mfu", "other_opex_usd_per_day_input"]:
        index = header.index(name.removesuffix("_input"))
        expected = np.array([float(row[index]) for row in rows])
        assert np.array_equal(frame[name].to_numpy().view(np.uint64), expected.view(np.uint64))


def read_csv_of(cli, tmp_path):
    """samples.csv of the same run as the command line writes it."""
    run_cli(cli, "run", "chatgpt-2025", "-n", 2000, "--seed", 3, "--save-samples",
            "-o", tmp_path / "csv", "-q")
    return read_csv(tmp_path / "csv" / "samples.csv")


def test_an_unknown_samples_format_is_refused(tmp_path):
    run = costbands.run("chatgpt-2025", samples=500, keep_samples=True)
    with pytest.raises(costbands.ScenarioError, match="csv.*parquet"):
        run.save(tmp_path, samples_format="xml")
    assert not (tmp_path / "samples.csv").exists()
