"""Property tests: batching, merging, copying and pickling never change the result."""

import copy
import pickle

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accumetrics import ConfusionMatrix, Moments, ThresholdCounts

from property_depth import examples
from snapshots import assert_same_state, snapshot

SETTINGS = settings(max_examples=examples(60), deadline=None)


class Case:
    """An accumulator's configuration and a data set of `rows` rows to feed it."""

    def __init__(self, make, first, second, weight, slices):
        self.make, self.first, self.second, self.weight, self.slices = make, first, second, weight, slices
        self.rows = len(first)

    def feed(self, acc, begin=0, end=None):
        part = slice(begin, self.rows if end is None else end)
        acc.update(self.first[part], self.second[part],
                   sample_weight=None if self.weight is None else self.weight[part],
                   slice_ids=None if self.slices is None else self.slices[part])
        return acc


rows = st.integers(0, 80)
weights = st.floats(0.0, 1e3, allow_subnormal=False)
values = st.floats(-1e6, 1e6, allow_subnormal=False, width=64)


@st.composite
def weight_column(draw, n, per_value=None):
    shape = draw(st.sampled_from([(n,)] if per_value is None else [(n,), (n, per_value)]))
    return draw(st.none() | arrays(np.float64, shape, elements=weights))


@st.composite
def slice_column(draw, n, num_slices):
    return None if num_slices is None else draw(arrays(np.int64, n, elements=st.integers(0, num_slices - 1)))


@st.composite
def confusion_cases(draw):
    classes, num_slices, n = draw(st.integers(1, 6)), draw(st.sampled_from([None, 1, 3])), draw(rows)
    dtype = draw(st.sampled_from([np.int64, np.int32, np.uint8]))
    labels = arrays(dtype, n, elements=st.integers(0, classes - 1))
    return Case(lambda: ConfusionMatrix(classes, num_slices=num_slices), draw(labels), draw(labels),
                draw(weight_column(n)), draw(slice_column(n, num_slices)))


@st.composite
def threshold_cases(draw):
    thresholds = draw(st.sampled_from([5, 200, [0.5], [0.3, 0.1, 0.9], [-1e-7, 0.25, 0.5, 0.75, 1 + 1e-7]]))
    num_labels, num_slices, n = draw(st.sampled_from([None, 1, 3])), draw(st.sampled_from([None, 2])), draw(rows)
    shape = (n,) if num_labels is None else (n, num_labels)
    on_grid = st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.5, 0.75, 0.9, 1.0, -1e-7])
    scores = arrays(draw(st.sampled_from([np.float64, np.float32])), shape,
                    elements=on_grid | st.floats(-2.0, 2.0, width=32))
    labels = arrays(np.int64, shape, elements=st.integers(0, 1))
    return Case(lambda: ThresholdCounts(thresholds, num_labels=num_labels, num_slices=num_slices), draw(labels),
                draw(scores), draw(weight_column(n, num_labels if num_labels and num_labels > 1 else None)),
                draw(slice_column(n, num_slices)))


@st.composite
def moment_cases(draw):
    outputs, num_slices, n = draw(st.sampled_from([None, 2])), draw(st.sampled_from([None, 3])), draw(rows)
    shape = (n,) if outputs is None else (n, outputs)
    return Case(lambda: Moments(outputs, num_slices=num_slices), draw(arrays(np.float64, shape, elements=values)),
                draw(arrays(np.float64, shape, elements=values)), draw(weight_column(n, outputs)),
                draw(slice_column(n, num_slices)))


cases = st.one_of(confusion_cases(), threshold_cases(), moment_cases())


def assert_equivalent(a, b):
    """Counts bit for bit; float sums within 1e-12 of the scale of their terms."""
    if a._state is None or b._state is None:  # a Moments that has not seen data yet
        other = b if a._state is None else a
        assert other._state is None or not other._state.counts().any()
        return
    np.testing.assert_array_equal(a._state.counts(), b._state.counts())
    x, y = a._state.sums(), b._state.sums()
    assert (x is None) == (y is None)
    if x is None:
        return
    if isinstance(a, Moments):
        w, xx, yy = (np.abs(x[..., k]) for k in (0, 3, 4))
        # Cauchy-Schwarz bounds on sum |w x|, sum |w y| and sum |w x y| from the state itself.
        bound = np.stack([w, np.sqrt(w * xx), np.sqrt(w * yy), xx, yy, np.sqrt(xx * yy), x[..., 6], x[..., 7]], -1)
        scale = np.maximum(bound, np.maximum(np.abs(x), np.abs(y)))  # |total| also bounds the terms (underflow)
        assert np.all(np.abs(x - y) <= 1e-12 * scale), np.max(np.abs(x - y) / np.maximum(scale, 1e-300))
    else:
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-300)


@st.composite
def cuts(draw, n):
    return sorted(draw(st.lists(st.integers(0, n), max_size=6)))


@SETTINGS
@given(case=cases, data=st.data())
def test_any_split_into_batches_gives_the_same_state(case, data):
    whole = case.feed(case.make())
    points = [0, *data.draw(cuts(case.rows)), case.rows]
    batched = case.make()
    for begin, end in zip(points, points[1:]):
        case.feed(batched, begin, end)
    assert_equivalent(batched, whole)


@SETTINGS
@given(case=cases, data=st.data())
def test_merge_is_associative_and_commutative(case, data):
    i, j = sorted(data.draw(st.tuples(st.integers(0, case.rows), st.integers(0, case.rows))))
    a, b, c = case.feed(case.make(), 0, i), case.feed(case.make(), i, j), case.feed(case.make(), j)
    left = (a + b) + c
    right = a + (b + c)
    assert_equivalent(left, right)
    assert_equivalent(a + b, b + a)
    assert_equivalent(left, case.feed(case.make()))
    merged = case.make()
    for part in (c, a, b):
        merged.merge(part)
    assert_equivalent(merged, left)


@SETTINGS
@given(case=cases, data=st.data())
def test_pickle_and_copy_preserve_state_and_keep_working(case, data):
    i = data.draw(st.integers(0, case.rows))
    acc = case.feed(case.make(), 0, i)
    before = snapshot(acc)
    clones = [pickle.loads(pickle.dumps(acc, protocol)) for protocol in (2, pickle.HIGHEST_PROTOCOL)]
    clones += [copy.copy(acc), copy.deepcopy(acc), acc.copy()]
    for clone in clones:
        assert type(clone) is type(acc)
        assert_same_state(clone, acc)
        assert repr(clone) == repr(acc)
    for clone in clones:
        case.feed(clone, i)
    assert_same_state(before, snapshot(acc))  # clones are independent
    case.feed(acc, i)
    for clone in clones:
        assert_same_state(clone, acc)


@SETTINGS
@given(case=cases)
def test_reset_equals_new(case):
    acc = case.feed(case.make())
    acc.reset()
    fresh = case.make()
    assert_equivalent(acc, fresh)
    assert_equivalent(case.feed(acc), case.feed(fresh))


@SETTINGS
@given(case=cases)
def test_merge_with_itself_doubles(case):
    acc = case.feed(case.make())
    twice = case.feed(case.feed(case.make()))
    assert_equivalent(acc.merge(acc), twice)
