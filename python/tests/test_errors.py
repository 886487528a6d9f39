"""Errors: the command line's message, as a ScenarioError (a ValueError) or an OutputError
(an OSError); never a Rust panic."""

import pytest

import costbands
from conftest import run_cli

BAD_BETA = '[inputs]\nutilization = { dist = "beta", mean = 1.3, sd = 0.1 }\n'


def cli_error(cli, *args):
    finished = run_cli(cli, *args, check=False)
    assert finished.returncode == 1, finished.stderr
    assert finished.stderr.startswith("error: "), finished.stderr
    return finished.stderr[len("error: "):].rstrip("\n")


def test_a_bad_file_gets_the_cli_message(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD_BETA)
    expected = cli_error(cli, "run", path, "-n", 100, "-o", tmp_path / "out")
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.run(str(path), samples=100)
    assert str(error.value) == expected
    assert expected.startswith(f"{path}: inputs.utilization: beta mean 1.3")


def test_a_scenario_string_or_dict_is_named_in_place_of_the_file(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD_BETA)
    expected = cli_error(cli, "run", path, "-n", 100, "-o", tmp_path / "out")
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.run(BAD_BETA, samples=100)
    assert str(error.value) == expected.replace(str(path), "<string>")
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.run({"inputs": {"utilization": {"dist": "beta", "mean": 1.3, "sd": 0.1}}})
    assert str(error.value) == expected.replace(str(path), "<dict>")


@pytest.mark.parametrize(
    "args, kwargs",
    [
        (["--set", "utilization=1.5"], {"set": {"utilization": 1.5}}),
        (["--set", "gpu=H100"], {"set": ["gpu=H100"]}),
        (["--percentiles", "5,5"], {"percentiles": [5, 5]}),
        (["--exceed", "nope=1"], {"exceed": {"nope": 1}}),
        (["--confidence", "1.5"], {"confidence": 1.5}),
        (["--precision", "daily_cost_usd:p95:1%", "-n", "10"],
         {"precision": "daily_cost_usd:p95:1%", "samples": 10}),
        (["--max-samples", "10"], {"max_samples": 10}),
        (["--replicates", "1", "--sampler", "lhs"], {"replicates": 1, "sampler": "lhs"}),
        # A run that does not fit streams instead, unless it keeps its samples.
        (["-n", "100000000000", "--max-memory", "1G", "--save-samples"],
         {"samples": 100_000_000_000, "max_memory": "1G", "keep_samples": True}),
        (["-j", "100000"], {"threads": 100_000}),
    ],
)
def test_an_invalid_option_gets_the_cli_message(cli, tmp_path, args, kwargs):
    expected = cli_error(cli, "run", "chatgpt-class", *args, "-o", tmp_path)
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.run("chatgpt-class", **kwargs)
    assert str(error.value) == expected
    assert isinstance(error.value, ValueError)


def test_an_unknown_preset_suggests_the_closest(cli, tmp_path):
    expected = cli_error(cli, "run", "chatgpt_class", "-o", tmp_path)
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.run("chatgpt_class")
    assert str(error.value) == expected
    assert "did you mean `chatgpt-class`?" in expected


def test_job_options_get_the_cli_message(cli, tmp_path):
    expected = cli_error(cli, "sweep", "chatgpt-class", "--vary", "utilization=0.3..0.7:1",
                         "-o", tmp_path)
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.sweep("chatgpt-class", {"utilization": "0.3..0.7:1"})
    assert str(error.value) == expected
    expected = cli_error(cli, "compare", "chatgpt-class", "chatgpt-2025", "--couple", "nope",
                         "-o", tmp_path)
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.compare("chatgpt-class", "chatgpt-2025", couple="nope")
    assert str(error.value) == expected
    expected = cli_error(cli, "sensitivity", "chatgpt-class", "--metric", "nope", "-o", tmp_path)
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.sensitivity("chatgpt-class", metrics="nope")
    assert str(error.value) == expected


def test_python_values_that_have_no_scenario_form_are_refused():
    with pytest.raises(costbands.ScenarioError, match=r"set\[\"mfu\"\]: None has no value"):
        costbands.run("chatgpt-class", set={"mfu": None})
    with pytest.raises(costbands.ScenarioError, match=r"<dict>: inputs.mfu: a object cannot"):
        costbands.run({"inputs": {"mfu": object()}})
    with pytest.raises(costbands.ScenarioError, match="unknown sampler \"x\""):
        costbands.run("chatgpt-class", sampler="x")
    with pytest.raises(costbands.ScenarioError, match="unknown method \"x\""):
        costbands.sensitivity("chatgpt-class", methods=["x"])
    with pytest.raises(TypeError, match="a preset name, a path, a TOML string or a dict"):
        costbands.run(42)
    with pytest.raises(TypeError, match="one scenario"):
        costbands.sensitivity(["chatgpt-class", "chatgpt-2025"])


def test_saving_into_a_folder_with_results_needs_force(tmp_path):
    run = costbands.run("goldstein-2022-uncertain", samples=100)
    run.save(tmp_path)
    with pytest.raises(costbands.OutputError, match="pass force=True to replace them") as error:
        run.save(tmp_path)
    assert isinstance(error.value, OSError)
    assert sorted(p.name for p in run.save(tmp_path, force=True)) == [
        "bands.csv", "breakdown.csv", "plots", "report.html", "run.json", "summary.csv"]
    assert sorted(p.name for p in run.to_csv(tmp_path, force=True)) == [
        "bands.csv", "breakdown.csv", "run.json", "summary.csv"]
    assert not (tmp_path / "report.html").exists(), "a set replaced whole loses the old report"
    with pytest.raises(costbands.OutputError, match="not a folder"):
        run.save(tmp_path / "bands.csv")


def test_samples_that_were_not_kept_say_how_to_keep_them():
    with pytest.raises(ValueError, match="keep_samples=True"):
        costbands.run("goldstein-2022", samples=10).samples


def test_a_missing_file_whose_name_holds_an_equals_sign_is_a_missing_file(cli, tmp_path):
    expected = cli_error(cli, "run", "runs/a=b.toml", "-o", tmp_path)
    with pytest.raises(costbands.ScenarioError) as error:
        costbands.run("runs/a=b.toml")
    assert str(error.value) == expected
    assert expected.startswith("runs/a=b.toml: no such file")
