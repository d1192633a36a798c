"""Sums that overflow are infinite, as in numpy and sklearn, never NaN."""

from __future__ import annotations

import numpy as np
import sklearn.metrics as sk

import accumetrics as am


def test_huge_weights_give_infinite_counts_not_nan():
    y, s = np.array([1, 1, 0, 1]), np.array([0.9, 0.2, 0.7, 0.95])
    tc = am.ThresholdCounts([0.5]).update(y, s, sample_weight=[1e308, 1e308, 1.0, 1e308])
    assert tc.tp[0] == np.inf and tc.fn[0] == 1e308 and tc.fp[0] == 1.0 and tc.tn[0] == 0.0
    cm = am.ConfusionMatrix(2).update(y, (s > 0.5).astype(int), sample_weight=[1e308] * 4)
    np.testing.assert_array_equal(cm.result(), [[0, 1e308], [1e308, np.inf]])


def test_huge_values_give_an_infinite_squared_error():
    t, p = np.array([1e200, -1e200, 0.0]), np.array([-1e200, 1e200, 0.0])
    with np.errstate(over="ignore"):
        want = sk.mean_squared_error(t, p)
    assert want == np.inf
    m = am.Moments().update(t, p)
    assert m.mean_squared_error == np.inf and m.mean_absolute_error == 4e200 / 3
    assert am.mean_squared_error(t, p) == np.inf
