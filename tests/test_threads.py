"""Threads: OpenMP thread counts do not change results, and concurrent updates lose nothing."""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import accumetrics
from accumetrics import ConfusionMatrix, Moments, ThresholdCounts

from references import assert_close, confusion_reference, moments_reference

# Large enough that every thread count below gets chunks of more than 2**17 rows, well above the
# core's single-thread cut-off, so the threaded path really runs.
ROWS = 2**19 + 12_345
THREAD_COUNTS = [2, 3, 4, 7]
CLASSES = 20  # few enough that private per-thread matrices (4 slices) stay small and threads pay off


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(2024)
    return {
        "classes": rng.integers(0, CLASSES, ROWS, dtype=np.int32),
        "predicted": rng.integers(0, CLASSES, ROWS, dtype=np.int32),
        "binary": rng.integers(0, 2, (ROWS, 2), dtype=np.uint8),
        "scores": rng.random((ROWS, 2), dtype=np.float32),
        "y": rng.normal(10.0, 3.0, ROWS),
        "x": rng.normal(10.0, 3.0, ROWS),
        "weight": rng.random(ROWS),
        "slices": rng.integers(0, 4, ROWS),
    }


def run(make, feed, threads, set_threads):
    set_threads(threads)
    assert accumetrics.get_num_threads() == threads
    return feed(make())


def confusion(d, weighted):
    return lambda cm: cm.update(d["classes"], d["predicted"], sample_weight=d["weight"] if weighted else None,
                                slice_ids=d["slices"])


def thresholds(d, weighted):
    return lambda tc: tc.update(d["binary"], d["scores"], sample_weight=d["weight"] if weighted else None,
                                slice_ids=d["slices"])


def moments(d, weighted, sliced):
    return lambda m: m.update(d["y"], d["x"], sample_weight=d["weight"] if weighted else None,
                              slice_ids=d["slices"] if sliced else None)


@pytest.mark.parametrize("weighted", [False, True])
def test_confusion_one_vs_many_threads(data, num_threads, weighted):
    make = lambda: ConfusionMatrix(CLASSES, num_slices=4)  # noqa: E731
    one = run(make, confusion(data, weighted), 1, num_threads)
    expected = confusion_reference(data["classes"], data["predicted"], None, CLASSES, data["slices"], 4)
    np.testing.assert_array_equal(one.counts, expected)
    for threads in THREAD_COUNTS:
        many = run(make, confusion(data, weighted), threads, num_threads)
        np.testing.assert_array_equal(many.counts, one.counts)
        assert_close(many.weights, one.weights)


@pytest.mark.parametrize("weighted", [False, True])
def test_thresholds_one_vs_many_threads(data, num_threads, weighted):
    make = lambda: ThresholdCounts(200, num_labels=2, num_slices=4)  # noqa: E731
    one = run(make, thresholds(data, weighted), 1, num_threads)
    for threads in THREAD_COUNTS:
        many = run(make, thresholds(data, weighted), threads, num_threads)
        np.testing.assert_array_equal(many._state.counts(), one._state.counts())
        if weighted:
            assert_close(many._state.sums(), one._state.sums())
    t = np.linspace(0, 1, 200)[100]
    positives = (data["scores"][:, 1] > t) & (data["binary"][:, 1] == 1) & (data["slices"] == 2)
    assert_close(one.tp[2, 1, 100], data["weight"][positives].sum() if weighted else positives.sum())


@pytest.mark.parametrize("weighted, sliced", [(False, False), (True, False), (True, True)])
def test_moments_one_vs_many_threads(data, num_threads, weighted, sliced):
    make = lambda: Moments(num_slices=4 if sliced else None)  # noqa: E731
    one = run(make, moments(data, weighted, sliced), 1, num_threads)
    for threads in THREAD_COUNTS:
        many = run(make, moments(data, weighted, sliced), threads, num_threads)
        np.testing.assert_array_equal(many.count, one.count)
        for name, value in one.sums.items():
            assert_close(many.sums[name], value)
    if not sliced:
        expected = moments_reference(data["y"], data["x"], data["weight"] if weighted else None)
        for name, value in expected.items():
            assert_close(one.sums[name], value)


def test_set_num_threads_and_default(num_threads):
    num_threads(5)
    assert accumetrics.get_num_threads() == 5
    num_threads(0)  # back to the default: all processors
    assert accumetrics.get_num_threads() >= 1


def test_environment_variable_sets_the_default():
    env = {**os.environ, "ACCUMETRICS_NUM_THREADS": "3"}
    out = subprocess.run([sys.executable, "-c", "import accumetrics; print(accumetrics.get_num_threads())"],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"


def concurrent(acc, batches, feed, workers=4):
    """Feeds `batches` to `acc` from `workers` Python threads at once, with a reader alongside."""
    barrier = threading.Barrier(workers + 1)
    errors = []
    done = threading.Event()

    def work(mine):
        try:
            barrier.wait()
            for batch in mine:
                feed(acc, batch)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    def read():
        barrier.wait()
        while not done.is_set():
            acc.result()
            repr(acc)

    threads = [threading.Thread(target=work, args=(batches[i::workers],)) for i in range(workers)]
    reader = threading.Thread(target=read)
    for t in [*threads, reader]:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join()
    assert not errors, errors
    return acc


def batches_of(n, rng):
    """Many small batches (GIL-bound) and a few large ones (long GIL-free core calls)."""
    cuts = np.unique(np.concatenate([rng.integers(0, n // 2, 300), rng.integers(n // 2, n, 6), [0, n]]))
    return list(zip(cuts[:-1], cuts[1:]))


def test_concurrent_confusion_updates_equal_serial(data, rng):
    feed = lambda cm, b: cm.update(data["classes"][b[0]:b[1]], data["predicted"][b[0]:b[1]],  # noqa: E731
                                   sample_weight=data["weight"][b[0]:b[1]], slice_ids=data["slices"][b[0]:b[1]])
    batches = batches_of(ROWS, rng)
    serial = ConfusionMatrix(CLASSES, num_slices=4)
    for b in batches:
        feed(serial, b)
    parallel = concurrent(ConfusionMatrix(CLASSES, num_slices=4), batches, feed)
    np.testing.assert_array_equal(parallel.counts, serial.counts)
    assert parallel.counts.sum() == ROWS
    assert_close(parallel.weights, serial.weights)


def test_concurrent_threshold_updates_equal_serial(data, rng):
    feed = lambda tc, b: tc.update(data["binary"][b[0]:b[1]], data["scores"][b[0]:b[1]])  # noqa: E731
    batches = batches_of(ROWS, rng)
    serial = ThresholdCounts(200, num_labels=2)
    for b in batches:
        feed(serial, b)
    parallel = concurrent(ThresholdCounts(200, num_labels=2), batches, feed)
    np.testing.assert_array_equal(parallel._state.counts(), serial._state.counts())


def test_concurrent_moment_updates_equal_serial(data, rng):
    feed = lambda m, b: m.update(data["y"][b[0]:b[1]], data["x"][b[0]:b[1]],  # noqa: E731
                                 sample_weight=data["weight"][b[0]:b[1]])
    batches = batches_of(ROWS, rng)
    serial = Moments(1)
    for b in batches:
        feed(serial, b)
    parallel = concurrent(Moments(1), batches, feed)
    assert parallel.count == serial.count == ROWS
    for name, value in serial.sums.items():
        assert_close(parallel.sums[name], value)


def test_concurrent_merges_into_one_accumulator(rng):
    parts = [ConfusionMatrix(5).update(rng.integers(0, 5, 1000), rng.integers(0, 5, 1000)) for _ in range(40)]
    total = ConfusionMatrix(5)
    concurrent(total, parts, lambda acc, part: acc.merge(part))
    expected = ConfusionMatrix(5)
    for part in parts:
        expected.merge(part)
    np.testing.assert_array_equal(total.counts, expected.counts)


def test_concurrent_first_updates_of_an_unshaped_moments(rng):
    """Moments() learns its shape from the first update; threads racing to it lose nothing."""
    x = rng.random((200_000, 2))
    for _ in range(5):
        m = concurrent(Moments(), [x] * 4, lambda acc, batch: acc.update(batch, batch))
        assert m.num_outputs == 2
        np.testing.assert_array_equal(m.count, 4 * len(x))
