"""Reference implementations and helpers shared by the accumulator tests.

The references are written the slow, obvious way (np.add.at, explicit loops over
thresholds, math.fsum), so that a match means the fast core is right.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

import accumetrics


@pytest.fixture
def rng(request):
    """A generator seeded from the test's name: reproducible, but different per test."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


@pytest.fixture
def num_threads():
    """Lets a test change accumetrics' thread count; restores it afterwards."""
    before = accumetrics.get_num_threads()
    yield accumetrics.set_num_threads
    accumetrics.set_num_threads(before)


def snapshot(acc) -> list:
    """Everything an accumulator holds (configuration and core state), for exact comparison."""
    config = {k: v for k, v in vars(acc).items() if k != "_state"}
    core = None if acc._state is None else acc._state.__getstate__()
    return [config, core]


def assert_same_state(a, b) -> None:
    """Exact equality of two snapshots: counts bit for bit, sums bit for bit."""

    def same(x, y):
        if isinstance(x, dict):
            return x.keys() == y.keys() and all(same(x[k], y[k]) for k in x)
        if isinstance(x, (list, tuple)):
            return type(x) is type(y) and len(x) == len(y) and all(same(u, v) for u, v in zip(x, y))
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            x, y = np.asarray(x), np.asarray(y)
            return x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y)
        return x == y

    assert same(snapshot(a) if not isinstance(a, list) else a, snapshot(b) if not isinstance(b, list) else b)


def confusion_reference(y_true, y_pred, weight=None, num_classes=None, slice_ids=None, num_slices=1):
    """(S, C, C) counts by np.add.at; float64 when weighted."""
    t, p = np.asarray(y_true, np.int64).ravel(), np.asarray(y_pred, np.int64).ravel()
    s = np.zeros_like(t) if slice_ids is None else np.asarray(slice_ids, np.int64)
    out = np.zeros((num_slices, num_classes, num_classes), np.int64 if weight is None else np.float64)
    np.add.at(out, (s, t, p), 1 if weight is None else np.broadcast_to(np.asarray(weight, np.float64), t.shape))
    return out


def threshold_reference(y_true, y_score, thresholds, weight=None):
    """TP/FP/TN/FN at each threshold for 1-D labels and scores, by an explicit loop over thresholds.

    Scores are compared in float64 (`score > t`), as the core does with float32 scores.
    """
    y = np.asarray(y_true).astype(np.float64).ravel()
    s = np.asarray(y_score).astype(np.float64).ravel()
    w = np.ones_like(s) if weight is None else np.broadcast_to(np.asarray(weight, np.float64), s.shape)
    dtype = np.int64 if weight is None else np.float64
    out = {k: np.zeros(len(thresholds), dtype) for k in ("tp", "fp", "tn", "fn")}
    for k, t in enumerate(thresholds):
        above = s > t
        for name, mask in (("tp", above & (y == 1)), ("fp", above & (y == 0)),
                           ("tn", ~above & (y == 0)), ("fn", ~above & (y == 1))):
            out[name][k] = w[mask].sum() if weight is not None else mask.sum()
    return out


MOMENT_NAMES = ["sum_weight", "sum_pred", "sum_true", "sum_pred_squared", "sum_true_squared", "sum_pred_true",
                "sum_absolute_error", "sum_squared_error"]


def moments_reference(y_true, y_pred, weight=None) -> dict[str, float]:
    """The weighted sums of one output column, each with math.fsum over float64 terms."""
    x = np.asarray(y_pred).astype(np.float64).ravel()
    y = np.zeros_like(x) if y_true is None else np.asarray(y_true).astype(np.float64).ravel()
    w = np.ones_like(x) if weight is None else np.broadcast_to(np.asarray(weight, np.float64), x.shape)
    d = x - y
    terms = [w, w * x, w * y, w * x * x, w * y * y, w * x * y, np.abs(w * d), w * d * d]
    return {name: math.fsum(t) for name, t in zip(MOMENT_NAMES, terms)}


def assert_close(actual, expected, rtol=1e-12, atol=0.0):
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def random_splits(rng, n: int, pieces: int) -> list[int]:
    """Uneven cut points in [0, n], including empty pieces."""
    return sorted(rng.integers(0, n + 1, size=pieces - 1).tolist())
