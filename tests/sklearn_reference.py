"""One call of an accumetrics function and of sklearn.metrics' function of the same name, compared:
the same value (arrays and tuples elementwise), the same warning classes, or errors of the same class;
and the sample weights the property tests draw."""

from __future__ import annotations

import warnings

import numpy as np
import sklearn.metrics as skm
from hypothesis import strategies as st

import accumetrics as am


def record(module, name, args, kwargs, ignored=(DeprecationWarning,)):
    """The function's result, or the exception it raised, and the names of the warning classes it issued."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = getattr(module, name)(*args, **kwargs)
        except Exception as e:  # noqa: BLE001
            result = e
    return result, sorted({w.category.__name__ for w in caught if w.category not in ignored})


def _same(ours, theirs, rtol, atol):
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs), (ours, theirs)
        for a, b in zip(ours, theirs):
            _same(a, b, rtol, atol)
        return
    if isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray), (ours, theirs)
        assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
        assert ours.dtype.kind == theirs.dtype.kind or {ours.dtype.kind, theirs.dtype.kind} <= {"i", "u"}, (
            ours.dtype, theirs.dtype)
    else:
        assert isinstance(ours, float) == isinstance(theirs, float), (type(ours), type(theirs))
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True)


def call_both(name, *args, rtol=1e-10, atol=1e-12, runtime_warnings=True, **kwargs):
    """The two results (None when both raised), after asserting that they agree (numpy's RuntimeWarnings too,
    unless not `runtime_warnings`)."""
    ignored = (DeprecationWarning,) if runtime_warnings else (DeprecationWarning, RuntimeWarning)
    (ours, ours_warned), (theirs, theirs_warned) = (record(m, name, args, kwargs, ignored) for m in (am, skm))
    assert ours_warned == theirs_warned, (name, ours_warned, theirs_warned, ours, theirs)
    if isinstance(theirs, Exception):
        expected = ValueError if isinstance(theirs, ValueError) else type(theirs)
        assert isinstance(ours, expected), (name, repr(ours), repr(theirs))
        return None
    if isinstance(ours, Exception):
        raise ours
    _same(ours, theirs, rtol, atol)
    return ours, theirs


def optional_weights(draw, rng, n):
    """None, or n random weights, about 30% of them zero, the first one 1."""
    if not draw(st.booleans()):
        return None
    w = rng.random(n) * (rng.random(n) > 0.3)
    w[0] = 1.0
    return w
