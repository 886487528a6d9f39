"""Every function of the package, through the library's own requests and results."""

import sys

import numpy as np
import pytest

import costbands
from conftest import csv_text_columns, read_csv, run_cli

GOLDSTEIN = "goldstein-2022-uncertain"


def values(table, column):
    return np.asarray(table[column])


def test_a_scenario_as_preset_path_string_or_dict_gives_the_same_bands(repo):
    path = repo / "distributions" / f"{GOLDSTEIN}.toml"
    text = path.read_text()
    forms = [GOLDSTEIN, str(path), path, text]
    if sys.version_info >= (3, 11):
        import tomllib

        forms.append(tomllib.loads(text))
    runs = [costbands.run(form, samples=3000, seed=5) for form in forms]
    for run in runs[1:]:
        assert np.array_equal(values(run.bands, "value"), values(runs[0].bands, "value"))
        assert list(run.bands["scenario"]) == list(runs[0].bands["scenario"])
    origins = [run.manifest["scenarios"][0]["origin"] for run in runs]
    assert origins[:4] == [f"preset {GOLDSTEIN}", str(path), str(path), "<string>"]
    if len(origins) == 5:
        assert origins[4] == "<dict>"


def test_a_dict_without_a_name_is_named_scenario():
    scenario = {
        "inputs": {
            "queries_per_day": 1e7,
            "output_tokens_per_query": "300 to 900",
            "active_params_b": 70,
            "mfu": {"dist": "beta", "mean": 0.3, "sd": 0.05},
            "utilization": 0.5,
            "gpu_hour_usd": 2,
            "electricity_usd_per_kwh": 0.08,
        },
        "gpu": "h100-sxm",
    }
    run = costbands.run(scenario, samples=2000)
    assert run.scenarios == ["scenario"]
    assert run.manifest["scenarios"][0]["gpu"] == "h100-sxm"


def test_a_batch_runs_every_scenario_at_the_seed_of_a_single_run():
    batch = costbands.run([GOLDSTEIN, "semianalysis-2023-uncertain"], samples=2000, seed=3)
    assert batch.scenarios == [GOLDSTEIN, "semianalysis-2023-uncertain"]
    single = costbands.run("semianalysis-2023-uncertain", samples=2000, seed=3)
    mine = values(batch.bands, "scenario") == "semianalysis-2023-uncertain"
    assert np.array_equal(values(batch.bands, "value")[mine], values(single.bands, "value"))


def test_a_batch_reports_every_invalid_scenario_before_running():
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.run([GOLDSTEIN, "no-such-preset", {"inputs": {"mfu": 2}}], samples=100)
    message = str(error.value)
    assert message.startswith("2 of the scenarios are invalid:")
    assert "no-such-preset" in message and "\n  <dict #3>: inputs." in message


def test_set_takes_a_dict_or_the_command_lines_strings():
    by_dict = costbands.run(
        GOLDSTEIN,
        samples=2000,
        set={"utilization": 0.4, "output_tokens_per_query": "500 to 2000",
             "gpu_hour_usd": {"dist": "triangular", "min": 1, "mode": 1.5, "max": 3}},
    )
    by_text = costbands.run(
        GOLDSTEIN,
        samples=2000,
        set=["utilization=0.4", "output_tokens_per_query=500 to 2000",
             'gpu_hour_usd={ dist = "triangular", min = 1, mode = 1.5, max = 3 }'],
    )
    assert np.array_equal(values(by_dict.bands, "value"), values(by_text.bands, "value"))
    inputs = {i["name"]: i for i in by_dict.manifest["scenarios"][0]["inputs"]}
    assert inputs["utilization"]["origin"] == "set"
    assert inputs["gpu_hour_usd"]["distribution"]["dist"] == "triangular"


def test_run_options_reach_the_request():
    run = costbands.run(GOLDSTEIN, samples=4096, seed=9, percentiles=[10, 90], confidence=0.9,
                        sampler="lhs", replicates=4, exceed={"gpus": [10, 100]})
    manifest = run.manifest
    assert (manifest["samples_requested"], manifest["seed"], manifest["confidence"]) == (4096, 9, 0.9)
    assert (manifest["method"], manifest["replicates"]) == ("lhs", 4)
    assert sorted(set(values(run.bands, "percentile"))) == [10.0, 90.0]
    assert list(values(run.exceedance, "threshold")) == [10.0, 100.0]


def test_numpy_values_are_taken_as_numbers():
    run = costbands.run(GOLDSTEIN, samples=np.int64(1000), percentiles=np.array([10.0, 90.0]),
                        set={"utilization": np.float64(0.4), "gpus_per_server": np.int64(8)},
                        exceed={"gpus": np.array([10, 100])})
    assert sorted(set(values(run.bands, "percentile"))) == [10.0, 90.0]
    assert list(values(run.exceedance, "threshold")) == [10.0, 100.0]
    inputs = {i["name"]: i for i in run.manifest["scenarios"][0]["inputs"]}
    assert inputs["utilization"]["describe"] == "0.4"


def test_precision_runs_until_the_target_is_met():
    run = costbands.run(GOLDSTEIN, precision="daily_cost_usd:p50:2%", max_samples=2_000_000)
    target = run.manifest["scenarios"][0]["precision"][0]
    assert target["met"] is True


def test_an_unmet_precision_target_is_a_warning_and_the_results_are_returned():
    with pytest.warns(costbands.CostbandsWarning, match="precision targets not met"):
        run = costbands.run(GOLDSTEIN, precision="daily_cost_usd:p99:0.01%", max_samples=20_000)
    assert run.manifest["scenarios"][0]["samples_used"] <= 20_000


def test_drivers_are_the_runs_top_drivers():
    run = costbands.run("chatgpt-class", samples=5000)
    top = run.manifest["scenarios"][0]["top_drivers"]
    assert list(run.drivers) == ["scenario", "metric", "input", "rho", "ci_low", "ci_high"]
    assert list(run.drivers["input"]) == [d["input"] for d in top["drivers"]]
    assert list(values(run.drivers, "rho")) == [d["rho"] for d in top["drivers"]]


def test_the_display_is_the_command_lines_table(cli, tmp_path):
    printed = run_cli(cli, "run", "epoch-2025-uncertain", "-n", 3000, "-o", tmp_path)
    run = costbands.run("epoch-2025-uncertain", samples=3000)
    assert str(run).startswith(printed.stdout)
    assert "note: preset epoch-2025-uncertain: the flops path" in str(run)
    html = run._repr_html_()
    assert html.startswith("<pre>") and "daily_cost_usd (USD/day)" in html


def test_sensitivity_gives_the_cli_estimates(cli, tmp_path):
    run_cli(cli, "sensitivity", GOLDSTEIN, "--method", "spearman,tornado,width", "-n", 4000,
            "--resamples", 20, "-o", tmp_path, "-q")
    result = costbands.sensitivity(GOLDSTEIN, methods=["spearman", "tornado", "width"],
                                   samples=4000, resamples=20)
    header, rows = read_csv(tmp_path / "sensitivity.csv")
    assert list(result.table) == header
    assert list(values(result.table, "value")) == [float(r[header.index("value")]) for r in rows]
    assert result.manifest["samples"] == 4000
    assert "Spearman" in str(result)


def test_compare_gives_the_cli_comparison(cli, tmp_path):
    run_cli(cli, "compare", "chatgpt-class", "chatgpt-2025", "-n", 3000, "-o", tmp_path, "-q")
    result = costbands.compare("chatgpt-class", "chatgpt-2025", samples=3000)
    expected = csv_text_columns((tmp_path / "compare.csv").read_text())
    assert list(result.table) == list(expected)
    assert np.array_equal(values(result.table, "value"), [float(x) for x in expected["value"]],
                          equal_nan=True)
    pairing = result.manifest["pairs"][0]
    assert pairing["scenario"] == "chatgpt-2025"
    assert "vs chatgpt-class (baseline)" in str(result)


def test_sweep_gives_the_cli_sweep(cli, tmp_path):
    run_cli(cli, "sweep", "chatgpt-class", "--vary", "utilization=0.3,0.6", "--vary",
            "gpu=h100-sxm,a100-sxm4-80gb", "-n", 2000, "-o", tmp_path, "-q")
    result = costbands.sweep("chatgpt-class", {"utilization": [0.3, 0.6],
                                               "gpu": ["h100-sxm", "a100-sxm4-80gb"]},
                             samples=2000)
    expected = csv_text_columns((tmp_path / "sweep.csv").read_text())
    assert list(result.bands) == list(expected)
    assert list(result.bands["gpu"]) == expected["gpu"]
    assert list(values(result.bands, "value")) == [float(x) for x in expected["value"]]
    summary = csv_text_columns((tmp_path / "sweep_summary.csv").read_text())
    assert list(result.summary) == list(summary)
    assert result.manifest["varied"] == ["utilization", "gpu"]


def test_a_sweep_point_is_the_run_with_that_value():
    sweep = costbands.sweep(GOLDSTEIN, {"utilization": "0.3..0.7:3"}, samples=3000)
    point = values(sweep.bands, "utilization") == 0.5
    run = costbands.run(GOLDSTEIN, samples=3000, set={"utilization": 0.5})
    assert np.array_equal(values(sweep.bands, "value")[point], values(run.bands, "value"))


def test_lists_of_presets_inputs_and_metrics(repo):
    presets = costbands.presets()
    files = {p.stem for p in (repo / "distributions").glob("*.toml")} - {"hardware"}
    assert set(presets["name"]) == files
    assert all(len(d) > 0 for d in presets["description"])
    assert {"utilization", "gpu_hour_usd", "pue"} <= set(costbands.inputs()["name"])
    assert list(costbands.inputs()) == ["name", "unit", "meaning", "domain", "default"]
    assert "daily_cost_usd" in set(costbands.metrics()["name"])


def test_explain_gives_the_models_own_steps():
    steps = costbands.explain("semianalysis-2023")
    assert {"section", "label", "value", "formula", "metrics"} == set(steps[0])
    assert steps[0]["section"] == "inputs"
    daily = [s for s in steps if "daily_cost_usd" in s["metrics"]]
    assert len(daily) == 1
    run = costbands.run("semianalysis-2023", samples=10)
    median = values(run.bands, "value")[
        (values(run.bands, "metric") == "daily_cost_usd") & (values(run.bands, "percentile") == 50)
    ]
    assert daily[0]["value"] == median[0]
    assert [s["value"] for s in costbands.explain("semianalysis-2023", set={"utilization": 0.25})
            if "daily_cost_usd" in s["metrics"]][0] == pytest.approx(2 * daily[0]["value"], rel=1e-3)


def test_check_validates_as_a_run_would(repo):
    ok = costbands.check("chatgpt-class")
    assert (ok["name"], ok["path"], ok["uncertain"]) == ("chatgpt-class", "flops", 17)
    both = costbands.check(["chatgpt-class", GOLDSTEIN])
    assert [c["name"] for c in both] == ["chatgpt-class", GOLDSTEIN]
    text = (repo / "distributions" / "goldstein-2022.toml").read_text()
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.check(text + "\n[sampling]\nsamples = 0\n")
    assert str(error.value) == "<string>: sampling.samples: must be at least 1"
