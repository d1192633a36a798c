"""Every accumulator, and every core object behind one, survives pickle (protocols 0 to 5), copy and deepcopy."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import accumetrics as am
from accumetrics import _core

PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)


def _data(seed=0, n=300):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    score = np.clip(rng.normal(0.3 + 0.4 * y, 0.2), 0, 1)
    return y, score, rng.uniform(-0.5, 2.0, n)


def _accuracy(cm):
    return np.trace(cm.counts) / cm.counts.sum()


def _true_positives(tc):
    return tc.tp


def _mse(m):
    return m.mean_squared_error


def _fed(make, feed):
    """(empty, fed) accumulators of one kind."""
    return make(), feed(make())


def _confusion(acc, y, s, w):
    return acc.update(y, (s > 0.5).astype(int), sample_weight=w)


def _scores(acc, y, s, w):
    return acc.update(y, s, sample_weight=w)


def _moments(acc, y, s, w):
    return acc.update(y.astype(float), s, sample_weight=w)


def _moments_pair(acc, y, s, w):
    return acc.update(y.astype(float), s, 2 * s, sample_weight=w)


# (name, make, feed): feed adds one batch
KINDS = [
    ("ConfusionMatrix", lambda: am.ConfusionMatrix(2), _confusion),
    ("ConfusionMatrix sliced", lambda: am.ConfusionMatrix(3, num_slices=2),
     lambda a, y, s, w: a.update(y, (s > 0.5).astype(int), sample_weight=w, slice_ids=y)),
    ("ThresholdCounts", lambda: am.ThresholdCounts(7), _scores),
    ("ThresholdCounts multilabel", lambda: am.ThresholdCounts([0.2, 0.7], num_labels=2),
     lambda a, y, s, w: a.update(np.stack([y, 1 - y], 1), np.stack([s, 1 - s], 1))),
    ("Moments", lambda: am.Moments(), _moments),
    ("Moments sliced", lambda: am.Moments(2, num_slices=2),
     lambda a, y, s, w: a.update(np.stack([y, y], 1).astype(float), np.stack([s, -s], 1), slice_ids=y)),
    ("Calibration", lambda: am.Calibration(5), lambda a, y, s, w: a.update(y, s, sample_weight=np.abs(w))),
    ("BinnedAUC", lambda: am.BinnedAUC(), lambda a, y, s, w: a.update(y, s, sample_weight=np.abs(w))),
    ("BinnedAUC coarse", lambda: am.BinnedAUC(max_bins=8), lambda a, y, s, w: a.update(y, s)),
    ("Bootstrap ConfusionMatrix", lambda: am.Bootstrap(am.ConfusionMatrix(2), _accuracy, n_replicates=4, seed=3),
     _confusion),
    ("Bootstrap ThresholdCounts", lambda: am.Bootstrap(am.ThresholdCounts(5), _true_positives, n_replicates=3, offset=7), _scores),
    ("Bootstrap Moments", lambda: am.Bootstrap(am.Moments, _mse, n_replicates=3),
     _moments),
    ("PairedAUC", lambda: am.PairedAUC(), lambda a, y, s, w: a.update(y, s, s * s, sample_weight=np.abs(w))),
    ("PairedAUC coarse", lambda: am.PairedAUC(max_cells=8), lambda a, y, s, w: a.update(y, s, 1 - s)),
    ("Paired binary", lambda: am.Paired("binary", num_slices=2, n_replicates=3, ranking_thresholds=11),
     lambda a, y, s, w: a.update(y, s, s * s, sample_weight=np.abs(w), slice_ids=(s > 0.4).astype(int))),
    ("Paired regression", lambda: am.Paired("regression", n_replicates=3), _moments_pair),
]


def _snapshot(acc) -> str:
    """Everything an accumulator reports, as text (where NaN equals NaN)."""
    return repr(_values(acc))


def _values(acc):
    if isinstance(acc, am.Bootstrap):
        return (_values(acc.accumulator), acc.replicate_values().tolist(), acc.position, acc.offset, acc.seed)
    if isinstance(acc, am.Moments):
        return ({k: np.asarray(v).tolist() for k, v in acc.sums.items()}, np.asarray(acc.count).tolist(),
                acc.num_outputs)
    if isinstance(acc, am.Calibration):
        return (acc.bin_weight.tolist(), np.asarray(acc.bin_count).tolist())
    result = acc.result()
    if isinstance(result, dict):
        return {k: np.asarray(v).tolist() for k, v in result.items()}
    return np.asarray(result).tolist()


def _clones(acc):
    for protocol in PROTOCOLS:
        yield f"pickle protocol {protocol}", pickle.loads(pickle.dumps(acc, protocol=protocol))
    yield "copy.copy", copy.copy(acc)
    yield "copy.deepcopy", copy.deepcopy(acc)
    yield ".copy()", acc.copy()


@pytest.mark.parametrize("name, make, feed", KINDS, ids=[k[0] for k in KINDS])
def test_round_trip_of_every_accumulator(name, make, feed):
    y, s, w = _data()
    for acc in (make(), feed(make(), y, s, w)):
        want = _snapshot(acc)
        for how, clone in _clones(acc):
            assert type(clone) is type(acc), how
            assert _snapshot(clone) == want, how
            # independent of the original, and still an accumulator of the same kind
            y2, s2, w2 = _data(1, 50)
            feed(clone, y2, s2, w2)
            assert _snapshot(acc) == want, how
            assert _snapshot(clone) == _snapshot(feed(acc.copy(), y2, s2, w2)), how


def _core_objects():
    y, s, w = _data()
    p = (s > 0.5).astype(np.int64)
    cm = _core.ConfusionMatrix(2, 1)
    cm.update(y, p, w, None, False)
    tc = _core.ThresholdCounts(np.array([0.25, 0.5]), 1, 1)
    tc.update(y, s, None, None, False)
    mo = _core.Moments(1, 1)
    mo.update(s, y.astype(float), w, None)
    hist = _core.ScoreHistogram(16)
    hist.update(y, s, None)
    boot = _core.ConfusionMatrixBootstrap(cm, 3, 5, 0)
    boot.update(y, p, None, None, False)
    tboot = _core.ThresholdCountsBootstrap(tc, 2, 5, 0)
    mboot = _core.MomentsBootstrap(mo, 2, 5, 0)
    mboot.update(s, y.astype(float), None, None)
    paired = _core.PairedHistogram(64)
    paired.update(y, s, 1 - s, w * w)
    return [cm, tc, mo, hist, boot, tboot, mboot, _core.Moments(2, 3), paired, _core.PairedHistogram()]


def _core_state(obj):
    return pickle.dumps(obj.__getstate__(), protocol=5)


@pytest.mark.parametrize("obj", _core_objects(), ids=lambda o: type(o).__name__)
def test_core_objects_round_trip(obj):
    want = _core_state(obj)
    for how, clone in _clones(obj):
        assert type(clone) is type(obj), how
        assert _core_state(clone) == want, how
        clone.reset()
        assert _core_state(obj) == want, how


def test_a_bad_state_is_refused():
    state = _core.ConfusionMatrix(2, 1).__getstate__()
    clone = _core.ConfusionMatrix.__new__(_core.ConfusionMatrix)
    with pytest.raises(ValueError, match="shape"):
        clone.__setstate__((3, 1) + tuple(state[2:]))
