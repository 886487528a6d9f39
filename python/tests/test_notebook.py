"""examples/notebook.py, the README's Python quick start, runs as it is: with matplotlib it
draws the fan chart; without it, only the chart cell is skipped."""

import os
import subprocess
import sys

import pytest


def run_notebook(repo, tmp_path, **env):
    figure = tmp_path / "fan.png"
    finished = subprocess.run(
        [sys.executable, str(repo / "examples" / "notebook.py")],
        cwd=tmp_path,
        env={**os.environ, "MPLBACKEND": "Agg", "COSTBANDS_FIGURE": str(figure), **env},
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout, figure


def readme_python_section(repo):
    readme = (repo / "README.md").read_text()
    return readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]


def test_the_notebook_runs_and_draws_the_fan_chart(repo, tmp_path):
    pytest.importorskip("matplotlib")
    out, figure = run_notebook(repo, tmp_path)
    assert "P50: $5.199M/day" in out
    assert figure.stat().st_size > 10_000
    assert f"chart: {figure}" in out


def test_without_matplotlib_only_the_chart_is_skipped_and_the_readme_output_is_real(
    repo, tmp_path
):
    hidden = tmp_path / "hidden"
    (hidden / "matplotlib").mkdir(parents=True)
    (hidden / "matplotlib" / "__init__.py").write_text("raise ImportError('hidden for a test')\n")
    out, figure = run_notebook(repo, tmp_path, PYTHONPATH=str(hidden))
    assert "median daily cost" in out
    assert "matplotlib is not installed: no chart" in out
    assert not figure.exists()
    printed = readme_python_section(repo).split("```text\n", 1)[1].split("```", 1)[0]
    assert printed in out


def test_the_readme_quick_start_is_the_notebooks_code(repo):
    section = readme_python_section(repo)
    blocks = [b.split("```", 1)[0] for b in section.split("```python\n")[1:]]
    notebook = (repo / "examples" / "notebook.py").read_text()
    assert len(blocks) == 2
    for block in blocks:
        assert block in notebook
