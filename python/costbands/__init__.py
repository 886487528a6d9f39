"""costbands for Python: percentile bands, with Monte Carlo confidence intervals, of the daily
cost of serving a large language model.

A thin layer over the Rust library: every function builds the library's validated request from
its keyword arguments (the same options as the command line), runs it with the GIL released on
the engine's worker threads, and returns the library's own results. Tables have exactly the
columns of the files the command line writes; they are pandas DataFrames when pandas is
installed, else dicts of NumPy arrays. For the same scenario, seed and options the numbers are
the command line's, bit for bit, at any thread count.

    >>> import costbands
    >>> run = costbands.run("chatgpt-class", samples=20_000)
    >>> run.bands            # bands.csv: scenario, metric, unit, percentile, value, ci_low, ci_high
    >>> run.save("results/mine")   # the command line's files, written whole

Errors raise :class:`ScenarioError` (a ``ValueError``) with the message the command line
prints: the file (``<string>`` or ``<dict>`` for a scenario given as text or a dict), the
field, what is wrong and how to fix it. What the command line prints as a warning is a
:class:`CostbandsWarning`. Ctrl-C (a notebook's interrupt) stops a job within one chunk of
samples and raises ``KeyboardInterrupt``.
"""

from __future__ import annotations

import html
import json
import os
import pathlib
import warnings
from typing import Any, Dict, List, Optional

import numpy as np

from . import _costbands
from ._costbands import OutputError, ScenarioError, __version__

try:  # pandas is optional: DataFrames when it is installed, dicts of NumPy arrays otherwise.
    import pandas as _pandas
except ImportError:  # pragma: no cover - depends on the environment
    _pandas = None

__all__ = [
    "run",
    "sensitivity",
    "compare",
    "sweep",
    "presets",
    "inputs",
    "metrics",
    "explain",
    "check",
    "Run",
    "Sensitivity",
    "Comparison",
    "Sweep",
    "ScenarioError",
    "OutputError",
    "CostbandsWarning",
    "__version__",
]


class CostbandsWarning(UserWarning):
    """What the command line prints as a warning: a scenario's own warnings, a large share of
    rejected samples, an unmet precision target."""


def _table(columns: Optional[Dict[str, Any]]):
    """Columns from the extension as a DataFrame (with pandas) or a dict of NumPy arrays."""
    if columns is None:
        return None
    if _pandas is not None:
        return _pandas.DataFrame(columns)
    return {
        name: values if isinstance(values, np.ndarray) else np.array(values, dtype=str)
        for name, values in columns.items()
    }


def _warn(messages: List[str]) -> None:
    for message in messages:
        warnings.warn(message, CostbandsWarning, stacklevel=3)


class _Result:
    """What every job's result shares: its text table, saving its files, display."""

    def __init__(self, result) -> None:
        self._result = result

    def save(self, folder, force: bool = False, report: bool = True) -> List[pathlib.Path]:
        """Writes the result files into ``folder`` exactly as the command line's ``--out
        folder`` does: staged, then swapped in whole, with ``report.html`` and ``plots/``
        unless ``report`` is false (the command line's ``--no-report``). Refuses
        (``OutputError``) when the folder already holds results and ``force`` is not set.
        Returns the paths written."""
        return [pathlib.Path(p) for p in self._result.save(os.fspath(folder), force, report)]

    def to_csv(self, folder, force: bool = False) -> List[pathlib.Path]:
        """The command line's data files only: CSV, and JSON for provenance (``save`` with
        ``report=False``)."""
        return self.save(folder, force, report=False)

    def __str__(self) -> str:
        return self._result.text()

    def __repr__(self) -> str:
        return self._result.text()

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self._result.text()) + "</pre>"


class Run(_Result):
    """The result of :func:`run`: one or more scenarios' bands, summaries and provenance."""

    def __init__(self, result) -> None:
        super().__init__(result)
        self._cache: Dict[str, Any] = {}

    def save(self, folder, force: bool = False, report: bool = True,
             samples_format: str = "csv") -> List[pathlib.Path]:
        """Writes the result files into ``folder`` exactly as the command line's ``--out
        folder`` does (see :meth:`_Result.save`); the samples kept with ``keep_samples=True``
        go to ``samples.csv``, or with ``samples_format="parquet"`` to ``samples.parquet``
        (the command line's ``--save-samples parquet``)."""
        return [pathlib.Path(p) for p in
                self._result.save(os.fspath(folder), force, report, samples_format)]

    def _cached(self, key: str, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def scenarios(self) -> List[str]:
        """The scenarios' names, in run order."""
        return self._result.scenarios()

    @property
    def bands(self):
        """``bands.csv``: one row per scenario × metric × percentile (scenario, metric, unit,
        percentile, value, ci_low, ci_high)."""
        return self._cached("bands", lambda: _table(self._result.table("bands.csv")))

    @property
    def summary(self):
        """``summary.csv``: one row per scenario × metric (samples, mean and its interval,
        standard deviation, min, max, then ``pN``, ``pN_ci_low``, ``pN_ci_high`` per
        percentile)."""
        return self._cached("summary", lambda: _table(self._result.table("summary.csv")))

    @property
    def breakdown(self):
        """``breakdown.csv``: where the money goes, one row per scenario × part of the daily
        cost (scenario, component, usd_per_day_p50, mean, mean_ci_low, mean_ci_high,
        share_of_mean, share_ci_low, share_ci_high); the shares of each scenario add up to 1."""
        return self._cached("breakdown", lambda: _table(self._result.table("breakdown.csv")))

    @property
    def exceedance(self):
        """``exceedance.csv``: P(metric > threshold) with its interval for every ``exceed``
        threshold; ``None`` when the run was given none (the command line then writes no
        file)."""
        return self._cached("exceedance", lambda: _table(self._result.table("exceedance.csv")))

    @property
    def drivers(self):
        """The inputs most rank-correlated with the daily cost, per scenario (scenario, metric,
        input, rho, ci_low, ci_high), as the table under the bands shows them."""
        return self._cached("drivers", lambda: _table(self._result.drivers()))

    @property
    def manifest(self) -> dict:
        """``run.json`` as a dict: settings, provenance, resolved inputs, every summary."""
        return self._cached("manifest", lambda: json.loads(self._result.manifest()))

    @property
    def samples(self) -> Dict[str, Any]:
        """Every sample's inputs and metrics as read-only float64 NumPy arrays, by name, over
        the engine's own memory (no copy); only with ``keep_samples=True``. For a batch, a dict
        of such dicts by scenario name."""
        kept = self._result.samples()
        if not kept:
            raise ValueError("the samples were not kept: run with keep_samples=True")

        def arrays():
            by_scenario = {columns.scenario: columns.arrays() for columns in kept}
            return next(iter(by_scenario.values())) if len(by_scenario) == 1 else by_scenario

        return self._cached("samples", arrays)


class Sensitivity(_Result):
    """The result of :func:`sensitivity`."""

    @property
    def table(self):
        """``sensitivity.csv``: scenario, metric, input, method, statistic, value, ci_low,
        ci_high."""
        return _table(self._result.table("sensitivity.csv"))

    @property
    def manifest(self) -> dict:
        """``sensitivity.json`` as a dict."""
        return json.loads(self._result.manifest("sensitivity.json"))


class Comparison(_Result):
    """The result of :func:`compare`."""

    @property
    def table(self):
        """``compare.csv``: baseline, scenario, metric, unit, statistic, value, ci_low, ci_high
        (statistics ``p_lower``, ``mean_diff``, ``diff_pN``, ``ratio_pN``)."""
        return _table(self._result.table("compare.csv"))

    @property
    def manifest(self) -> dict:
        """``compare.json`` as a dict, with the pairing of every input."""
        return json.loads(self._result.manifest("compare.json"))


class Sweep(_Result):
    """The result of :func:`sweep`."""

    @property
    def bands(self):
        """``sweep.csv``: scenario, one column per varied input, metric, unit, percentile,
        value, ci_low, ci_high."""
        return _table(self._result.table("sweep.csv"))

    @property
    def summary(self):
        """``sweep_summary.csv``: one row per point and metric (samples, mean and its interval,
        standard deviation)."""
        return _table(self._result.table("sweep_summary.csv"))

    @property
    def manifest(self) -> dict:
        """``sweep.json`` as a dict."""
        return json.loads(self._result.manifest("sweep.json"))


def run(
    scenario=None,
    *,
    samples: Optional[int] = None,
    seed: Optional[int] = None,
    set=None,
    percentiles=None,
    confidence: Optional[float] = None,
    sampler: Optional[str] = None,
    replicates: Optional[int] = None,
    exceed=None,
    precision=None,
    max_samples: Optional[int] = None,
    threads: Optional[int] = None,
    max_memory=None,
    keep_samples: bool = False,
) -> Run:
    """Runs scenarios, as ``costbands run`` does, and returns their bands.

    ``scenario`` is a preset name (``costbands.presets()``), a path to a scenario file, a
    scenario as a TOML string, or a dict in the file's shape; or a list of them (a batch: every
    one is validated before any runs). ``None`` runs the default preset, ``chatgpt-class``.

    The other arguments are the command line's options: ``samples`` (``--samples``), ``seed``,
    ``set`` (a dict such as ``{"utilization": 0.5, "output_tokens_per_query": "500 to 2000"}``
    or ``"NAME=VALUE"`` strings), ``percentiles`` (a list, in percent), ``confidence``,
    ``sampler`` (``"mc"``, ``"lhs"`` or ``"sobol"``), ``replicates``, ``exceed`` (a dict of
    metric to threshold or list of thresholds, or ``"METRIC=VALUE"`` strings), ``precision``
    (``"METRIC:STAT:WIDTH"`` targets), ``max_samples``, ``threads`` (the results do not depend
    on it), ``max_memory`` (bytes or ``"4G"``). ``keep_samples`` keeps every sample for
    :attr:`Run.samples` (and ``samples.csv`` on :meth:`Run.save`).

    An unmet precision target is a :class:`CostbandsWarning`, not an error: the results are
    returned.
    """
    result = _costbands.run(
        scenario,
        samples=samples,
        seed=seed,
        set=set,
        percentiles=percentiles,
        confidence=confidence,
        sampler=sampler,
        replicates=replicates,
        exceed=exceed,
        precision=precision,
        max_samples=max_samples,
        threads=threads,
        max_memory=max_memory,
        keep_samples=keep_samples,
    )
    _warn(result.warnings())
    return Run(result)


def sensitivity(
    scenario=None,
    *,
    methods=None,
    metrics=None,
    resamples: Optional[int] = None,
    samples: Optional[int] = None,
    seed: Optional[int] = None,
    set=None,
    confidence: Optional[float] = None,
    threads: Optional[int] = None,
    max_memory=None,
) -> Sensitivity:
    """What drives a metric, as ``costbands sensitivity`` does: ``methods`` among
    ``"spearman"``, ``"tornado"``, ``"sobol"``, ``"width"`` (all four when ``None``),
    ``metrics`` (names, or ``"all"``; the daily cost when ``None``), ``resamples`` (bootstrap
    resamples). Other arguments as in :func:`run`. Ctrl-C takes effect when the analysis ends.
    """
    result = _costbands.sensitivity(
        scenario,
        methods=methods,
        metrics=metrics,
        resamples=resamples,
        samples=samples,
        seed=seed,
        set=set,
        confidence=confidence,
        threads=threads,
        max_memory=max_memory,
    )
    _warn(result.warnings())
    return Sensitivity(result)


def compare(
    baseline,
    *others,
    couple=None,
    independent: bool = False,
    percentiles=None,
    samples: Optional[int] = None,
    seed: Optional[int] = None,
    set=None,
    confidence: Optional[float] = None,
    threads: Optional[int] = None,
    max_memory=None,
) -> Comparison:
    """Compares scenarios with a baseline sample by sample, with common random numbers, as
    ``costbands compare BASELINE OTHER...`` does. ``others`` are scenarios (or one list of
    them) in any form :func:`run` takes; ``couple`` names inputs to draw at the same quantile
    level where their distributions differ; ``independent=True`` draws every input
    independently. Other arguments as in :func:`run`."""
    if len(others) == 1 and isinstance(others[0], (list, tuple)):
        others = tuple(others[0])
    result = _costbands.compare(
        baseline,
        list(others),
        couple=couple,
        independent=independent,
        percentiles=percentiles,
        samples=samples,
        seed=seed,
        set=set,
        confidence=confidence,
        threads=threads,
        max_memory=max_memory,
    )
    _warn(result.warnings())
    return Comparison(result)


def sweep(
    scenario=None,
    vary=None,
    *,
    percentiles=None,
    sampler: Optional[str] = None,
    replicates: Optional[int] = None,
    samples: Optional[int] = None,
    seed: Optional[int] = None,
    set=None,
    confidence: Optional[float] = None,
    threads: Optional[int] = None,
    max_memory=None,
) -> Sweep:
    """Runs a scenario at many values of its inputs with common random numbers, as ``costbands
    sweep --vary ...`` does. ``vary`` maps an input to its values: a list (``[0.3, 0.5,
    0.7]``, or GPU ids for ``gpu``), a range string (``"0.3..0.7:5"``, ``"1e6..1e9:4:log"``)
    or one distribution (a dict); several inputs make a grid. Strings ``"NAME=VALUES"`` work
    too. Every point equals ``run(scenario, set={name: value})`` at the same seed. Other
    arguments as in :func:`run`."""
    result = _costbands.sweep(
        scenario,
        vary if vary is not None else [],
        percentiles=percentiles,
        sampler=sampler,
        replicates=replicates,
        samples=samples,
        seed=seed,
        set=set,
        confidence=confidence,
        threads=threads,
        max_memory=max_memory,
    )
    _warn(result.warnings())
    return Sweep(result)


def presets():
    """The built-in scenarios: name and description (``costbands list presets``)."""
    return _table(_costbands.presets())


def inputs():
    """The model's inputs: name, unit, meaning, domain, default (``costbands list inputs``)."""
    return _table(_costbands.inputs())


def metrics():
    """The metrics a run reports: name, unit, meaning (``costbands list metrics``)."""
    return _table(_costbands.metrics())


def explain(scenario=None, *, set=None) -> List[dict]:
    """The model's arithmetic with every input at its median, as ``costbands explain`` shows
    it: one dict per input (section ``"inputs"``), then one per step of the model, each with
    ``section``, ``label``, ``value``, ``formula`` and the ``metrics`` whose value it is."""
    steps, notes = _costbands.explain(scenario, set=set)
    _warn(notes)
    return steps


def check(scenario, *, set=None):
    """Validates scenarios as a run would (their ``[sampling]`` settings too) without running
    them. Returns, for one scenario, a dict (``scenario``, ``name``, ``path``, ``inputs``,
    ``uncertain``, ``warnings``), for a list one such dict per scenario; raises
    :class:`ScenarioError` naming every invalid one."""
    checked = _costbands.check(scenario, set=set)
    single = isinstance(scenario, (str, dict, os.PathLike))
    return checked[0] if single else checked
