"""Reproducible numbers: the analysis's worker processes (kyokan.textanalysis.parallel) give
exactly what one process gives, fall back to one process when they cannot run, and are not
started where a fork would be unsafe; rounding noise does not become a direction."""

from __future__ import annotations

import threading
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pytest

from kyokan.textanalysis import cluster, parallel, tokenize
from kyokan.textanalysis.normalize import analysis_text

from .helpers import labelled_rows


def _square(x: int) -> int:
    return x * x


_offset = {"value": 0}


def _set_offset(value: int) -> None:
    _offset["value"] = value


def _shifted(x: int) -> int:
    return x + _offset["value"]


@pytest.fixture
def forking(monkeypatch):
    """Processes on, as on a 2-core machine running the command line or the worker (the
    test runner's own helper threads would otherwise keep the analysis in one process)."""
    monkeypatch.setenv("KYOKAN_ANALYSIS_PROCESSES", "2")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def test_results_come_in_the_items_order_with_the_initializer_applied(forking):
    assert list(parallel.process_map(_shifted, list(range(30)), _set_offset, (100,))) == [
        x + 100 for x in range(30)
    ]


def test_a_broken_pool_finishes_the_remaining_items_here(forking, monkeypatch):
    def broken(function, items, initializer, initargs, workers):
        yield function(items[0])
        yield function(items[1])
        raise BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(parallel, "_forked", broken)
    assert list(parallel.process_map(_square, list(range(6)))) == [0, 1, 4, 9, 16, 25]


def test_no_processes_while_another_thread_runs(monkeypatch):
    monkeypatch.setenv("KYOKAN_ANALYSIS_PROCESSES", "2")
    started = []
    monkeypatch.setattr(parallel, "_forked", lambda *a: started.append(a) or iter(()))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert list(parallel.process_map(_square, [1, 2, 3])) == [1, 4, 9]
    finally:
        stop.set()
        other.join()
    assert started == []


def test_the_setting_turns_processes_off_and_bad_values_are_ignored(monkeypatch):
    monkeypatch.setenv("KYOKAN_ANALYSIS_PROCESSES", "1")
    assert parallel.processes() == 1
    monkeypatch.setenv("KYOKAN_ANALYSIS_PROCESSES", "many")
    assert 1 <= parallel.processes() <= parallel.MAX_PROCESSES


def _texts() -> list[str]:
    texts = [analysis_text(r["comment-body"]) for r in labelled_rows()]
    return texts + texts[:40] + [""]  # repeats and an empty text, as callers may pass


def test_morphological_analysis_in_batches_equals_one_loop(forking, monkeypatch):
    texts = _texts()
    monkeypatch.setenv("KYOKAN_ANALYSIS_PROCESSES", "1")
    single = tokenize.tokenize_texts(texts)
    monkeypatch.setenv("KYOKAN_ANALYSIS_PROCESSES", "2")
    monkeypatch.setattr(tokenize, "PARALLEL_MIN", 10)
    monkeypatch.setattr(tokenize, "BATCH", 97)  # batches that cut across repeats
    seen = []
    batched = tokenize.tokenize_texts(texts, progress=seen.append)
    assert batched.lemmas == single.lemmas
    assert batched.features == single.features
    assert batched.alternatives == single.alternatives
    assert batched.parts == single.parts
    # Surface counts and their order (the keyword shown is the most common, ties by order).
    assert {k: list(v.items()) for k, v in batched.surfaces.items()} == {
        k: list(v.items()) for k, v in single.surfaces.items()
    }
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_louvain_ensemble_over_processes_equals_one_process(forking, monkeypatch):
    rng = np.random.RandomState(3)
    centres = rng.normal(size=(6, 40))
    points = np.repeat(centres, 60, axis=0) + rng.normal(scale=0.9, size=(360, 40))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    similarity = points @ points.T
    np.fill_diagonal(similarity, -np.inf)
    nearest, sims = cluster._neighbours(similarity, max(cluster.NEIGHBOUR_COUNTS))
    monkeypatch.setenv("KYOKAN_ANALYSIS_PROCESSES", "1")
    single = cluster.co_association(nearest, sims)
    monkeypatch.setenv("KYOKAN_ANALYSIS_PROCESSES", "2")
    monkeypatch.setattr(cluster, "PARALLEL_MIN", 0)
    calls = []
    real = parallel._forked
    monkeypatch.setattr(parallel, "_forked", lambda *a: calls.append(1) or real(*a))
    spread = cluster.co_association(nearest, sims)
    assert calls, "the ensemble did not run in worker processes"
    np.testing.assert_array_equal(spread, single)
    assert 0.0 < float(single[0, 1:60].mean()) <= 1.0  # members of one blob mostly together
    assert cluster._ensemble == {}  # nothing left behind in this process


def test_rounding_noise_is_not_scaled_into_a_direction():
    # An answer whose words all lie outside the LSA components projects to ~1e-16: scaled to
    # unit length it took a random, CPU-dependent direction (found on AVX-512 machines).
    from kyokan.textanalysis.embed import _l2

    rows = np.array([[3e-17, -4e-17, 1e-17], [3.0, 4.0, 0.0], [0.0, 0.0, 0.0]])
    out = _l2(rows.copy())
    np.testing.assert_array_equal(out[0], [0.0, 0.0, 0.0])
    np.testing.assert_allclose(out[1], [0.6, 0.8, 0.0])
    np.testing.assert_array_equal(out[2], [0.0, 0.0, 0.0])
