"""ConfusionMatrix against sklearn.metrics.confusion_matrix, np.bincount and np.add.at."""

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix

from accumetrics import ConfusionMatrix

from references import assert_close, confusion_reference, random_splits


def sklearn_matrix(t, p, classes, w=None):
    return confusion_matrix(t, p, labels=np.arange(classes), sample_weight=w)


@pytest.mark.parametrize("classes", [1, 2, 3, 7, 150])
@pytest.mark.parametrize("n", [1, 17, 5000])
def test_counts_match_sklearn(rng, classes, n):
    t, p = rng.integers(0, classes, n), rng.integers(0, classes, n)
    cm = ConfusionMatrix(classes).update(t, p)
    expected = sklearn_matrix(t, p, classes)
    assert cm.counts.dtype == np.int64
    np.testing.assert_array_equal(cm.counts, expected)
    np.testing.assert_array_equal(cm.result(), expected)
    assert not cm.weighted


@pytest.mark.parametrize("classes", [2, 5, 40])
def test_counts_match_bincount(rng, classes):
    t, p = rng.integers(0, classes, 100_000), rng.integers(0, classes, 100_000)
    expected = np.bincount(t * classes + p, minlength=classes * classes).reshape(classes, classes)
    np.testing.assert_array_equal(ConfusionMatrix(classes).update(t, p).counts, expected)


@pytest.mark.parametrize("classes", [1, 4, 30])
def test_weights_match_sklearn(rng, classes):
    n = 3000
    t, p = rng.integers(0, classes, n), rng.integers(0, classes, n)
    w = rng.exponential(size=n)
    w[rng.random(n) < 0.1] = 0.0
    cm = ConfusionMatrix(classes).update(t, p, sample_weight=w)
    assert cm.weighted
    assert cm.result().dtype == np.float64
    assert_close(cm.result(), sklearn_matrix(t, p, classes, w))
    np.testing.assert_array_equal(cm.counts, sklearn_matrix(t, p, classes))


def test_integer_valued_weights_are_exact(rng):
    t, p = rng.integers(0, 6, 10_000), rng.integers(0, 6, 10_000)
    w = rng.integers(0, 50, 10_000).astype(np.float64)
    cm = ConfusionMatrix(6).update(t, p, sample_weight=w)
    np.testing.assert_array_equal(cm.result(), confusion_reference(t, p, w, 6)[0])


def test_scalar_and_column_weights(rng):
    t, p = rng.integers(0, 3, 50), rng.integers(0, 3, 50)
    expected = 2.5 * sklearn_matrix(t, p, 3)
    assert_close(ConfusionMatrix(3).update(t, p, sample_weight=2.5).result(), expected)
    assert_close(ConfusionMatrix(3).update(t, p, sample_weight=np.full((50, 1), 2.5)).result(), expected)


def test_unweighted_updates_after_weighted_count_as_weight_one(rng):
    t, p = rng.integers(0, 4, 300), rng.integers(0, 4, 300)
    w = rng.random(300)
    cm = ConfusionMatrix(4)
    cm.update(t[:100], p[:100])
    cm.update(t[100:200], p[100:200], sample_weight=w[100:200])
    cm.update(t[200:], p[200:])
    full_w = np.concatenate([np.ones(100), w[100:200], np.ones(100)])
    assert_close(cm.weights, sklearn_matrix(t, p, 4, full_w))
    np.testing.assert_array_equal(cm.counts, sklearn_matrix(t, p, 4))


def test_weights_view_without_weights_is_the_counts(rng):
    t, p = rng.integers(0, 3, 100), rng.integers(0, 3, 100)
    cm = ConfusionMatrix(3).update(t, p)
    assert cm.weights.dtype == np.float64
    np.testing.assert_array_equal(cm.weights, cm.counts)


def test_uneven_batches_equal_one_update(rng):
    n, classes = 20_000, 9
    t, p, w = rng.integers(0, classes, n), rng.integers(0, classes, n), rng.random(n)
    cuts = [0, *random_splits(rng, n, 12), n]
    cm = ConfusionMatrix(classes)
    for a, b in zip(cuts, cuts[1:]):
        cm.update(t[a:b], p[a:b], sample_weight=w[a:b])
    whole = ConfusionMatrix(classes).update(t, p, sample_weight=w)
    np.testing.assert_array_equal(cm.counts, whole.counts)
    assert_close(cm.weights, whole.weights)


@pytest.mark.parametrize("label", [0, 4])
def test_all_one_class(label):
    cm = ConfusionMatrix(5).update(np.full(1000, label), np.full(1000, label))
    expected = np.zeros((5, 5), np.int64)
    expected[label, label] = 1000
    np.testing.assert_array_equal(cm.counts, expected)


def test_one_sample():
    cm = ConfusionMatrix(3).update([2], [1], sample_weight=[0.75])
    expected = np.zeros((3, 3))
    expected[2, 1] = 0.75
    np.testing.assert_array_equal(cm.result(), expected)


def test_one_class():
    cm = ConfusionMatrix(1).update(np.zeros(10, np.int64), np.zeros(10, np.int64))
    np.testing.assert_array_equal(cm.result(), [[10]])


def test_ten_thousand_classes(rng):
    classes, n = 10_000, 2000
    t, p = rng.integers(0, classes, n), rng.integers(0, classes, n)
    t[:3] = p[:3] = classes - 1  # the last cell
    t[3], p[3] = 0, classes - 1  # the top right corner
    cm = ConfusionMatrix(classes).update(t, p)
    counts = cm.counts
    assert counts.shape == (classes, classes) and counts.dtype == np.int64
    assert counts.sum() == n
    expected = {}
    for a, b in zip(t.tolist(), p.tolist()):
        expected[a, b] = expected.get((a, b), 0) + 1
    rows, cols = np.nonzero(counts)
    assert dict(zip(zip(rows.tolist(), cols.tolist()), counts[rows, cols].tolist())) == expected


@pytest.mark.parametrize("weighted", [False, True])
def test_slices_match_per_slice_sklearn(rng, weighted):
    n, classes, slices = 4000, 5, 6
    t, p = rng.integers(0, classes, n), rng.integers(0, classes, n)
    s = rng.integers(0, slices, n)
    s[s == 3] = 2  # one slice never seen
    w = rng.random(n) if weighted else None
    cm = ConfusionMatrix(classes, num_slices=slices).update(t, p, sample_weight=w, slice_ids=s)
    assert cm.result().shape == (slices, classes, classes)
    for k in range(slices):
        m = s == k
        if not m.any():
            assert not cm.result()[k].any()
            continue
        expected = sklearn_matrix(t[m], p[m], classes, None if w is None else w[m])
        assert_close(cm.result()[k], expected)
    np.testing.assert_array_equal(cm.counts, confusion_reference(t, p, None, classes, s, slices))


def test_slice_ids_as_column_and_whole_floats(rng):
    t, p, s = rng.integers(0, 3, 100), rng.integers(0, 3, 100), rng.integers(0, 4, 100)
    a = ConfusionMatrix(3, num_slices=4).update(t, p, slice_ids=s)
    b = ConfusionMatrix(3, num_slices=4).update(t, p, slice_ids=s.astype(np.float64).reshape(-1, 1))
    np.testing.assert_array_equal(a.counts, b.counts)


def test_ignore_out_of_range_equals_filtered_reference(rng):
    n, classes = 5000, 4
    t, p = rng.integers(-3, classes + 3, n), rng.integers(-3, classes + 3, n)
    t[0], p[1] = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    w = rng.random(n)
    cm = ConfusionMatrix(classes, ignore_out_of_range=True).update(t, p, sample_weight=w)
    ok = (t >= 0) & (t < classes) & (p >= 0) & (p < classes)
    assert 0 < ok.sum() < n
    assert_close(cm.result(), sklearn_matrix(t[ok], p[ok], classes, w[ok]))
    np.testing.assert_array_equal(cm.counts, sklearn_matrix(t[ok], p[ok], classes))


def test_ignore_out_of_range_skips_bad_slices(rng):
    n = 3000
    t, p, s = rng.integers(0, 3, n), rng.integers(0, 3, n), rng.integers(-2, 6, n)
    cm = ConfusionMatrix(3, num_slices=4, ignore_out_of_range=True).update(t, p, slice_ids=s)
    ok = (s >= 0) & (s < 4)
    np.testing.assert_array_equal(cm.counts, confusion_reference(t[ok], p[ok], None, 3, s[ok], 4))


def test_column_vectors_and_lists():
    cm = ConfusionMatrix(3).update(np.array([[0], [1], [2]]), [[0], [2], [2]])
    cm.update([1, 1], [1, 0])
    np.testing.assert_array_equal(cm.counts, [[1, 0, 0], [1, 1, 1], [0, 0, 1]])


def test_reset_and_repr(rng):
    cm = ConfusionMatrix(3, num_slices=2).update([0, 1], [1, 1], sample_weight=[1.0, 2.0], slice_ids=[0, 1])
    assert repr(cm) == "ConfusionMatrix(num_classes=3, num_slices=2, samples=2)"
    cm.reset()
    assert not cm.weighted
    np.testing.assert_array_equal(cm.result(), np.zeros((2, 3, 3), np.int64))
    cm.update([2], [2], slice_ids=[1])
    assert cm.result()[1, 2, 2] == 1 and cm.result().sum() == 1


def test_merge_and_add(rng):
    t, p, w = rng.integers(0, 5, 1000), rng.integers(0, 5, 1000), rng.random(1000)
    a = ConfusionMatrix(5).update(t[:400], p[:400])
    b = ConfusionMatrix(5).update(t[400:], p[400:], sample_weight=w[400:])
    total = a + b
    np.testing.assert_array_equal(a.counts, sklearn_matrix(t[:400], p[:400], 5))  # `+` leaves a alone
    assert_close(total.result(), sklearn_matrix(t, p, 5, np.concatenate([np.ones(400), w[400:]])))
    a += b
    np.testing.assert_array_equal(a.weights, total.weights)
    a.merge(a)
    np.testing.assert_array_equal(a.counts, 2 * total.counts)
