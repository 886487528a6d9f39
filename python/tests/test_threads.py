"""Jobs run without the GIL on the engine's worker threads, stop on Ctrl-C, and cost about
what the command line costs."""

import _thread
import signal
import statistics
import threading
import time

import numpy as np
import pytest

import costbands
from conftest import run_cli

# Long enough (about a second on one thread) for another thread to be seen running.
LONG = dict(samples=3_000_000, threads=1)


def test_the_gil_is_released_while_a_job_runs():
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.002)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        started = time.perf_counter()
        costbands.run("chatgpt-class", **LONG)
        ended = time.perf_counter()
    finally:
        stop.set()
        thread.join()
    during = [t for t in ticks if started < t < ended]
    # Held GIL: no tick at all while the job runs. Released: one every few milliseconds.
    assert len(during) >= 20, f"{len(during)} ticks in {ended - started:.2f} s"


def test_the_results_do_not_depend_on_the_thread_count():
    one = costbands.run("chatgpt-class", samples=100_000, threads=1)
    two = costbands.run("chatgpt-class", samples=100_000, threads=2)
    assert np.array_equal(np.asarray(one.bands["value"]), np.asarray(two.bands["value"]))
    assert (one.manifest["threads"], two.manifest["threads"]) == (1, 2)


@pytest.fixture
def ctrl_c_raises():
    """Python's own SIGINT handler for the test: a process started in the background by a
    non-interactive shell inherits SIGINT ignored, and `_thread.interrupt_main` then does
    nothing."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("job", ["run", "sweep"])
def test_ctrl_c_stops_a_job_within_a_chunk(job, ctrl_c_raises):
    def start():
        if job == "run":
            return costbands.run("chatgpt-class", **LONG)
        return costbands.sweep("chatgpt-class", {"utilization": [0.4, 0.6]}, samples=1_000_000,
                               threads=1)

    started = time.perf_counter()
    start()
    whole = time.perf_counter() - started

    timer = threading.Timer(0.05 * whole, _thread.interrupt_main)
    started = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        start()
    interrupted = time.perf_counter() - started
    timer.join()
    # The job stopped long before its end (it would take `whole`); a run started afterwards
    # is unaffected.
    assert interrupted < 0.5 * whole, f"stopped after {interrupted:.2f} s of {whole:.2f} s"
    assert costbands.run("goldstein-2022", samples=1000).scenarios == ["goldstein-2022"]


def test_a_million_samples_cost_about_what_the_command_line_costs(cli, tmp_path, capsys,
                                                                 record_property):
    """The binding's overhead, reported (no assertion on wall-clock time: the machine is
    shared): the in-memory run against the command line writing its files."""
    def python_run():
        started = time.perf_counter()
        costbands.run("chatgpt-class", samples=1_000_000)
        return time.perf_counter() - started

    def cli_run():
        started = time.perf_counter()
        run_cli(cli, "run", "chatgpt-class", "-n", 1_000_000, "-o", tmp_path, "--force", "-q")
        return time.perf_counter() - started

    python_run(), cli_run()  # warm caches
    ours = statistics.median(python_run() for _ in range(3))
    theirs = statistics.median(cli_run() for _ in range(3))
    ratio = ours / theirs
    record_property("python_over_cli", ratio)
    with capsys.disabled():
        print(f"\n1e6 samples of chatgpt-class: Python {ours:.3f} s, command line {theirs:.3f} s, "
              f"ratio {ratio:.2f}")
    assert ours > 0 and theirs > 0
