"""Shared fixtures: the repository, and the command line built from it (the reference every
number of the Python package is checked against)."""

import csv
import io
import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo() -> pathlib.Path:
    return REPO


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    """The `costbands` binary: $COSTBANDS_CLI, else target/release/costbands (which .ci/run
    builds), built with cargo when missing."""
    given = os.environ.get("COSTBANDS_CLI")
    if given:
        return pathlib.Path(given)
    binary = REPO / "target" / "release" / "costbands"
    if not binary.exists():
        cargo = shutil.which("cargo")
        if cargo is None:
            pytest.fail("no costbands binary and no cargo to build it: set COSTBANDS_CLI")
        subprocess.run(
            [cargo, "build", "--release", "--locked", "--bin", "costbands"],
            cwd=REPO,
            check=True,
        )
    return binary


def run_cli(cli, *args, cwd=None, check=True):
    """Runs the command line; returns the finished process (text output)."""
    return subprocess.run(
        [str(cli), *map(str, args)], cwd=cwd, capture_output=True, text=True, check=check
    )


def read_csv(path):
    """A CSV file as a header and rows of strings."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def csv_text_columns(text):
    """CSV text as a dict of columns of strings."""
    rows = list(csv.reader(io.StringIO(text)))
    return {name: [row[i] for row in rows[1:]] for i, name in enumerate(rows[0])}
