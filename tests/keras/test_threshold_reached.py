"""The *At* metrics with class_id equal keras.metrics', and the threshold they report equals a brute-force search."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak

CASES = [("SensitivityAtSpecificity", 0.7, "specificity", "sensitivity"),
         ("SpecificityAtSensitivity", 0.6, "sensitivity", "specificity"),
         ("PrecisionAtRecall", 0.5, "recall", "precision"),
         ("RecallAtPrecision", 0.6, "precision", "recall")]


def rates(y, s, w, t):
    above = s > t
    tp, fp = np.sum(w * (y & above)), np.sum(w * (~y & above))
    fn, tn = np.sum(w * (y & ~above)), np.sum(w * (~y & ~above))
    div = lambda a, b: a / b if b else 0.0  # noqa: E731
    return {"sensitivity": div(tp, tp + fn), "recall": div(tp, tp + fn), "specificity": div(tn, tn + fp),
            "precision": div(tp, tp + fp)}


@pytest.mark.parametrize("name, value, constrained, dependent", CASES)
def test_class_id_and_threshold_reached(feeder, rng, name, value, constrained, dependent):
    n, c, k = 900, 3, 1
    y = rng.integers(0, c, n)
    onehot = np.eye(c, dtype=np.float32)[y]
    p = np.clip(rng.normal(0.3 + 0.3 * onehot, 0.2), 0, 1).astype(np.float32)
    w = rng.random(n).astype(np.float32)
    ours = getattr(ak, name)(value, num_thresholds=50, class_id=k)
    theirs = getattr(keras.metrics, name)(value, num_thresholds=50, class_id=k)
    got, expected = feeder.both(ours, theirs, [((onehot[a:b], p[a:b], w[a:b]), {}) for a, b in ((0, 7), (7, 900))])
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    # brute force over the same thresholds: the lowest threshold with the best value under the bound
    yk, sk = onehot[:, k].astype(bool), p[:, k]
    table = [(t, rates(yk, sk, w, t)) for t in ours.thresholds]
    feasible = [(r[dependent], t) for t, r in table if r[constrained] >= value]
    best = max(v for v, _ in feasible)
    first = min(t for v, t in feasible if np.isclose(v, best, rtol=1e-6, atol=1e-9))
    np.testing.assert_allclose(float(ours.threshold_reached()), first, rtol=1e-6)
    np.testing.assert_allclose(float(ours.result()), best, rtol=1e-5)


def test_no_threshold_meets_the_bound():
    m = ak.PrecisionAtRecall(0.5, num_thresholds=10)
    m.update_state([0, 0], [0.2, 0.7])  # no positives: recall is 0 everywhere
    assert float(m.result()) == 0.0 and np.isnan(float(m.threshold_reached()))
