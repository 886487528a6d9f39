"""For the same scenario, seed and options, the Python package gives the command line's
numbers bit for bit, at any thread count, and saves exactly the command line's files."""

import json

import numpy as np
import pytest

import costbands
from conftest import read_csv, run_cli


def bits(values):
    """Float64 values as their bit patterns (so NaN and ±0 compare exactly)."""
    return np.asarray(values, dtype=np.float64).view(np.uint64)


@pytest.mark.parametrize("preset", ["chatgpt-class", "selfhost-70b"])
@pytest.mark.parametrize("threads", [1, 2])
def test_bands_equal_the_cli_bands_csv_bit_for_bit(cli, tmp_path, preset, threads):
    run_cli(cli, "run", preset, "-n", 50_000, "--seed", 7, "-o", tmp_path / "cli", "-q")
    header, rows = read_csv(tmp_path / "cli" / "bands.csv")

    bands = costbands.run(preset, samples=50_000, seed=7, threads=threads).bands

    assert list(bands) == header
    for i, name in enumerate(header):
        expected = [row[i] for row in rows]
        if name in ("scenario", "metric", "unit"):
            assert list(bands[name]) == expected, name
        else:
            assert np.array_equal(bits(bands[name]), bits([float(x) for x in expected])), name


def test_saved_files_are_the_cli_files(cli, tmp_path):
    options = ["-n", 3000, "--seed", 11, "--exceed", "daily_cost_usd=2e6", "--save-samples"]
    run_cli(cli, "run", "chatgpt-class", "semianalysis-2023-uncertain", *options,
            "-o", tmp_path / "cli", "-q")
    run = costbands.run(
        ["chatgpt-class", "semianalysis-2023-uncertain"],
        samples=3000,
        seed=11,
        exceed={"daily_cost_usd": 2e6},
        keep_samples=True,
    )
    written = run.save(tmp_path / "py")

    def result_files(folder):
        """Every result file of a set, the batch's sub-folders included, relative to it."""
        return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                      if p.suffix in (".csv", ".json"))

    cli_files = result_files(tmp_path / "cli")
    assert any("/" in name for name in cli_files), "a batch has one sub-folder per scenario"
    assert result_files(tmp_path / "py") == cli_files
    shown = sorted(p.name for p in (tmp_path / "py").iterdir() if not p.name.startswith("."))
    assert sorted(p.name for p in written) == shown, "save() returns what it wrote"
    cli_shown = sorted(p.name for p in (tmp_path / "cli").iterdir() if not p.name.startswith("."))
    assert shown == cli_shown, "the same files, report.html and plots/ included"
    cli_plots = sorted(p.name for p in (tmp_path / "cli" / "plots").iterdir())
    assert sorted(p.name for p in (tmp_path / "py" / "plots").iterdir()) == cli_plots
    for name in cli_files:
        ours, theirs = (tmp_path / "py" / name).read_bytes(), (tmp_path / "cli" / name).read_bytes()
        if name.endswith("run.json"):
            ours, theirs = json.loads(ours), json.loads(theirs)
            # The job's own facts: how long it took, on how many threads, and the command
            # line (a Python call has none). Everything else, the recipe included, is equal.
            for manifest in (ours, theirs):
                del manifest["elapsed_s"], manifest["threads"], manifest["command"]
        assert ours == theirs, name


def test_tables_have_exactly_the_cli_files_columns(cli, tmp_path):
    run_cli(cli, "run", "goldstein-2022-uncertain", "-n", 2000, "--exceed", "gpus=50",
            "--percentiles", "5,50,97.5", "-o", tmp_path, "-q")
    run = costbands.run("goldstein-2022-uncertain", samples=2000, exceed="gpus=50",
                        percentiles=[5, 50, 97.5])
    for table, name in [(run.summary, "summary.csv"), (run.bands, "bands.csv"),
                        (run.breakdown, "breakdown.csv"), (run.exceedance, "exceedance.csv")]:
        header, rows = read_csv(tmp_path / name)
        assert list(table) == header, name
        assert len(table[header[0]]) == len(rows), name
    header, rows = read_csv(tmp_path / "summary.csv")
    for name in ("samples", "mean", "p97.5", "p97.5_ci_high"):
        expected = [float(row[header.index(name)]) for row in rows]
        assert np.array_equal(bits(run.summary[name]), bits(expected)), name
    assert np.asarray(run.summary["samples"]).dtype == np.int64
    header, rows = read_csv(tmp_path / "breakdown.csv")
    expected = [float(row[header.index("share_of_mean")]) for row in rows]
    assert np.array_equal(bits(run.breakdown["share_of_mean"]), bits(expected))
    assert abs(sum(expected) - 1) < 1e-12
    assert costbands.run("goldstein-2022-uncertain", samples=2000).exceedance is None


@pytest.mark.parametrize("job", ["sensitivity", "compare", "sweep"])
def test_every_job_saves_the_cli_report_and_charts(cli, tmp_path, job):
    args = {
        "sensitivity": (["sensitivity", "goldstein-2022-uncertain", "-n", 2000, "--resamples", 5],
                        lambda: costbands.sensitivity("goldstein-2022-uncertain", samples=2000,
                                                      resamples=5)),
        "compare": (["compare", "chatgpt-class", "chatgpt-2025", "selfhost-70b", "-n", 2000],
                    lambda: costbands.compare("chatgpt-class", "chatgpt-2025", "selfhost-70b",
                                              samples=2000)),
        "sweep": (["sweep", "chatgpt-class", "--vary", "queries_per_day=1e6,1e8", "-n", 2000],
                  lambda: costbands.sweep("chatgpt-class", {"queries_per_day": [1e6, 1e8]},
                                          samples=2000)),
    }[job]
    run_cli(cli, *args[0], "-o", tmp_path / "cli", "-q")
    written = sorted(p.name for p in args[1]().save(tmp_path / "py"))
    assert "report.html" in written and "plots" in written
    for folder in ("cli", "py"):
        page = (tmp_path / folder / "report.html").read_text()
        assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    plots = [sorted(p.name for p in (tmp_path / f / "plots").iterdir()) for f in ("cli", "py")]
    assert plots[0] and plots[0] == plots[1], "the same charts as the command line's"
