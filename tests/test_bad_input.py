"""Every bad input gets a clear exception, and the accumulator is left exactly as it was."""

import numpy as np
import pytest

from accumetrics import ConfusionMatrix, Moments, ThresholdCounts

from snapshots import assert_same_state, snapshot


def rejects(acc, exception, match, update):
    """`update(acc)` raises `exception` matching `match`, and acc's state is unchanged."""
    before = snapshot(acc)
    with pytest.raises(exception, match=match):
        update(acc)
    assert_same_state(before, snapshot(acc))


@pytest.fixture(params=["unweighted", "weighted"])
def confusion(request):
    cm = ConfusionMatrix(3, num_slices=2)
    w = [0.5, 2.0, 1.0] if request.param == "weighted" else None
    return cm.update([0, 1, 2], [2, 1, 0], sample_weight=w, slice_ids=[0, 1, 1])


@pytest.fixture(params=["unweighted", "weighted"])
def thresholds(request):
    tc = ThresholdCounts([0.2, 0.5, 0.9], num_labels=2, num_slices=2)
    w = [0.5, 2.0] if request.param == "weighted" else None
    return tc.update([[0, 1], [1, 1]], [[0.3, 0.6], [0.1, 0.95]], sample_weight=w, slice_ids=[0, 1])


@pytest.fixture(params=["unweighted", "weighted"])
def moments(request):
    w = [0.5, 2.0] if request.param == "weighted" else None
    return Moments(num_slices=2).update([[1.0, 2.0], [3.0, 4.0]], [[1.5, 2.0], [2.0, 5.0]], sample_weight=w,
                                        slice_ids=[0, 1])


# ConfusionMatrix ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("y_true, y_pred, match", [
    ([0, 1, 2], [0, 1], "y_true and y_pred have different lengths: 3 and 2"),
    ([[0, 1], [1, 0]], [0, 1], r"y_true has shape \(2, 2\)"),
    ([0, 1], np.zeros((2, 1, 1), np.int64), "y_pred has shape"),
    ([0, 3, 1], [0, 1, 2], r"y_true\[1\] = 3 is not a class in \[0, 3\).*ignore_out_of_range=True"),
    ([0, 1, 2], [0, -1, 2], r"y_pred\[1\] = -1 is not a class in \[0, 3\)"),
    (np.array([0, 1, 200], np.uint8), [0, 1, 2], r"y_true\[2\] = 200"),
    (np.array([0, -128, 1], np.int8), [0, 1, 2], r"y_true\[1\] = -128"),
    (np.array([0, 1, 2**40], np.int64), [0, 1, 2], r"y_true\[2\] = 1099511627776"),
    (np.array([0, 2**63 + 5], np.uint64), [0, 1], "above 2\\*\\*63"),
    ([0.0, 1.5, 2.0], [0, 1, 2], r"y_true\[1\] = 1.5: class labels must be whole numbers"),
    ([0.0, np.nan, 2.0], [0, 1, 2], r"y_true\[1\] = nan"),
    ([0, 1, 2], [0.0, np.inf, 2.0], r"y_pred\[1\] = inf"),
])
def test_confusion_bad_labels(confusion, y_true, y_pred, match):
    rejects(confusion, ValueError, match, lambda cm: cm.update(y_true, y_pred))


@pytest.mark.parametrize("bad", [
    np.array(["a", "b", "c"]),
    np.array([0, None, 1], dtype=object),
    np.array([0, 1, 2], dtype=object),
    [[0, 1], [2]],
    np.array([0j, 1j, 2j]),
    np.array(["2020-01-01"] * 3, dtype="datetime64[D]"),
    None,
])
def test_confusion_non_numeric_labels(confusion, bad):
    rejects(confusion, TypeError, "y_true", lambda cm: cm.update(bad, [0, 1, 2]))
    rejects(confusion, TypeError, "y_pred", lambda cm: cm.update([0, 1, 2], bad))


@pytest.mark.parametrize("weight, exception, match", [
    ([1.0, 1.0, np.nan], ValueError, r"sample_weight\[2\] = nan: weights must be finite"),
    ([np.inf, 1.0, 1.0], ValueError, r"sample_weight\[0\] = inf"),
    (np.nan, ValueError, r"sample_weight\[0\] = nan"),
    ([1.0, 1.0], ValueError, r"sample_weight has shape \(2,\); expected a scalar or shape \(3,\)"),
    (np.ones((3, 3)), ValueError, "sample_weight has shape"),
    (np.array(["1", "1", "1"]), TypeError, "sample_weight"),
    (np.array([1, 1, 1], dtype=object), TypeError, "sample_weight"),
])
def test_confusion_bad_weights(confusion, weight, exception, match):
    rejects(confusion, exception, match, lambda cm: cm.update([0, 1, 2], [0, 1, 2], sample_weight=weight))


@pytest.mark.parametrize("ids, exception, match", [
    ([0, 2, 1], ValueError, r"slice_ids\[1\] = 2 is not a slice id in \[0, 2\)"),
    ([0, -1, 1], ValueError, r"slice_ids\[1\] = -1"),
    ([0, 1], ValueError, r"slice_ids has shape \(2,\); expected one id per sample, shape \(3,\)"),
    ([0.0, 0.5, 1.0], ValueError, r"slice_ids\[1\] = 0.5: slice ids must be whole numbers"),
    (["a", "b", "c"], TypeError, "slice_ids"),
])
def test_confusion_bad_slice_ids(confusion, ids, exception, match):
    rejects(confusion, exception, match, lambda cm: cm.update([0, 1, 2], [0, 1, 2], slice_ids=ids))


def test_slice_ids_without_num_slices():
    cm = ConfusionMatrix(3).update([0], [1])
    rejects(cm, ValueError, "made without num_slices", lambda c: c.update([0], [0], slice_ids=[0]))


def test_ignore_out_of_range_still_rejects_bad_weights_and_fractions():
    cm = ConfusionMatrix(3, ignore_out_of_range=True).update([0, 5], [0, 1])
    rejects(cm, ValueError, "sample_weight", lambda c: c.update([0, 7], [0, 1], sample_weight=[1.0, np.nan]))
    rejects(cm, ValueError, "whole numbers", lambda c: c.update([0.5], [0]))


@pytest.mark.parametrize("acc", [ConfusionMatrix(3), ConfusionMatrix(3, num_slices=2)])
def test_confusion_empty_input_is_a_no_op(acc):
    acc.update([1], [2])
    before = snapshot(acc)
    acc.update([], [])
    acc.update(np.zeros(0, np.int64), np.zeros(0, np.uint8), sample_weight=np.zeros(0))
    acc.update(np.zeros((0, 1)), np.zeros(0), sample_weight=[])
    if acc.num_slices:
        acc.update([], [], slice_ids=[])
    assert_same_state(before, snapshot(acc))
    assert not acc.weighted


@pytest.mark.parametrize("kwargs, exception, match", [
    (dict(num_classes=0), ValueError, "num_classes must be positive, got 0"),
    (dict(num_classes=-3), ValueError, "num_classes must be positive, got -3"),
    (dict(num_classes=2.0), TypeError, "num_classes must be an integer"),
    (dict(num_classes="3"), TypeError, "num_classes must be an integer"),
    (dict(num_classes=True), TypeError, "num_classes must be an integer"),
    (dict(num_classes=3, num_slices=0), ValueError, "num_slices must be positive"),
    (dict(num_classes=10**7), ValueError,
     r"num_classes=10000000, num_slices=None\) would take 2.8 PiB \(3,200,000,000,000,000 bytes\), more than the "
     r"memory limit of .*: lower num_classes, or raise the limit with accumetrics.set_memory_limit\(\)"),
    (dict(num_classes=10**5, num_slices=10**6), ValueError, r"PiB .* bytes\), more than the memory limit .* lower "
                                                            r"num_classes or num_slices,"),
    (dict(num_classes=2**62), ValueError, "more than the memory limit"),
])
def test_confusion_bad_construction(kwargs, exception, match):
    with pytest.raises(exception, match=match):
        ConfusionMatrix(**kwargs)


@pytest.mark.parametrize("other, exception, match", [
    (ConfusionMatrix(4, num_slices=2), ValueError, "num_classes=4, num_slices=2 into one with num_classes=3"),
    (ConfusionMatrix(3), ValueError, "num_slices=None into one with num_classes=3, num_slices=2"),
    (ConfusionMatrix(3, num_slices=3), ValueError, "cannot merge"),
    (Moments(), TypeError, "cannot merge Moments into ConfusionMatrix"),
])
def test_confusion_bad_merge(confusion, other, exception, match):
    rejects(confusion, exception, match, lambda cm: cm.merge(other))
    rejects(confusion, exception, match, lambda cm: cm.__iadd__(other))
    with pytest.raises(TypeError):
        confusion + 1
    with pytest.raises((TypeError, ValueError)):
        confusion + other


# ThresholdCounts ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("y_true, y_score, match", [
    ([[0, 1]], [[0.5, 0.5], [0.1, 0.2]], r"y_true and y_score have different shapes: \(1, 2\) and \(2, 2\)"),
    ([0, 1], [0.5, 0.5], r"y_score has shape \(2,\); expected \(n_samples, num_labels=2\)"),
    ([[0, 1, 1]], [[0.5, 0.5, 0.5]], r"y_score has shape \(1, 3\); expected \(n_samples, num_labels=2\)"),
    ([[0, 2]], [[0.5, 0.5]], r"y_true\[1\] = 2 is not a binary label \(0 or 1\).*ignore_out_of_range=True"),
    ([[0, -1]], [[0.5, 0.5]], r"y_true\[1\] = -1 is not a binary label"),
    ([[0.0, 0.5]], [[0.5, 0.5]], r"y_true\[1\] = 0.5 is not a binary label"),
    ([[0.0, np.nan]], [[0.5, 0.5]], r"y_true\[1\] = nan is not a binary label"),
    ([[0, 1]], [[0.5, np.nan]], r"y_score\[1\] = nan: values must be finite"),
    ([[0, 1]], [[np.inf, 0.5]], r"y_score\[0\] = inf"),
    ([[0, 1]], [[0.1, -np.inf]], r"y_score\[1\] = -inf"),
    ([[0, 1]], np.array([[0.1, np.inf]], np.float16), r"y_score\[1\] = inf"),
])
def test_thresholds_bad_values(thresholds, y_true, y_score, match):
    rejects(thresholds, ValueError, match, lambda tc: tc.update(y_true, y_score))


def test_thresholds_bad_values_binary():
    tc = ThresholdCounts(5).update([0, 1], [0.2, 0.7])
    rejects(tc, ValueError, "y_true and y_score have different lengths|different shapes",
            lambda t: t.update([0, 1, 1], [0.2, 0.7]))
    rejects(tc, ValueError, r"y_true has shape \(2, 2\)", lambda t: t.update(np.zeros((2, 2)), np.zeros((2, 2))))
    rejects(tc, ValueError, r"y_true\[2\] = 3", lambda t: t.update(np.array([0, 1, 3], np.uint8), [0.2, 0.7, 0.1]))
    rejects(tc, ValueError, r"y_score\[0\] = nan", lambda t: t.update([True], np.array([np.nan], np.float32)))


@pytest.mark.parametrize("bad", [np.array([["a", "b"]]), np.array([[0, None]], dtype=object), [[0, 1], [1]], None])
def test_thresholds_non_numeric(thresholds, bad):
    rejects(thresholds, TypeError, "y_true", lambda tc: tc.update(bad, [[0.5, 0.5]]))
    rejects(thresholds, TypeError, "y_score", lambda tc: tc.update([[0, 1]], bad))


@pytest.mark.parametrize("weight, match", [
    ([np.nan], r"sample_weight\[0\] = nan"),
    ([[1.0, np.inf]], r"sample_weight\[1\] = inf"),  # one weight per value
    ([1.0, 1.0], r"sample_weight has shape \(2,\); expected a scalar or shape \(1,\) or \(1, 2\)"),
    ([[1.0, 1.0, 1.0]], r"sample_weight has shape \(1, 3\)"),
])
def test_thresholds_bad_weights(thresholds, weight, match):
    rejects(thresholds, ValueError, match, lambda tc: tc.update([[0, 1]], [[0.5, 0.5]], sample_weight=weight))


@pytest.mark.parametrize("ids, match", [([2], r"slice_ids\[0\] = 2 is not a slice id in \[0, 2\)"),
                                        ([-1], r"slice_ids\[0\] = -1"),
                                        ([0, 1], r"slice_ids has shape \(2,\)")])
def test_thresholds_bad_slice_ids(thresholds, ids, match):
    rejects(thresholds, ValueError, match, lambda tc: tc.update([[0, 1]], [[0.5, 0.5]], slice_ids=ids))


def test_thresholds_empty_input_is_a_no_op(thresholds):
    before = snapshot(thresholds)
    thresholds.update(np.zeros((0, 2)), np.zeros((0, 2)))
    thresholds.update(np.zeros((0, 2), np.int64), np.zeros((0, 2), np.float32), sample_weight=[], slice_ids=[])
    assert_same_state(before, snapshot(thresholds))
    tc = ThresholdCounts(4)
    tc.update([], [])
    assert not tc.weighted and not tc._state.counts().any()


@pytest.mark.parametrize("arg, exception, match", [
    (1, ValueError, "at least 2 thresholds"),
    (0, ValueError, "at least 2 thresholds"),
    (-5, ValueError, "at least 2 thresholds"),
    ([], ValueError, "non-empty 1-D sequence"),
    ([[0.1, 0.2]], ValueError, "non-empty 1-D sequence"),
    ([0.1, np.nan], ValueError, "thresholds must be finite"),
    ([0.1, np.inf], ValueError, "thresholds must be finite"),
    ([0.5, 0.2, 0.5], ValueError, "thresholds must not repeat"),
    (["a", "b"], TypeError, "thresholds could not be read as a sequence of numbers"),
    ("abc", TypeError, "thresholds='abc': expected a number of evenly spaced thresholds"),
    (200.0, TypeError, r"thresholds=200.0: expected a number of evenly spaced thresholds \(an integer\) or a sequence"),
    (2.5, TypeError, "thresholds=2.5"),
    (True, TypeError, "thresholds=True"),
    (np.float64(0.5), TypeError, r"thresholds=np.float64\(0.5\)"),
    (np.array(0.5), TypeError, "thresholds=array"),
    (10**12, ValueError, r"ThresholdCounts\(thresholds=1000000000000\) would take 101.9 TiB \(112,000,000,000,080 bytes\)"),
])
def test_thresholds_bad_grid(arg, exception, match):
    with pytest.raises(exception, match=match):
        ThresholdCounts(arg)


@pytest.mark.parametrize("kwargs, exception, match", [
    (dict(num_labels=0), ValueError, "num_labels must be positive"),
    (dict(num_labels=1.5), TypeError, "num_labels must be an integer"),
    (dict(num_slices=-1), ValueError, "num_slices must be positive"),
    (dict(num_labels=10**12), ValueError, r"bytes\), more than the memory limit .* lower thresholds, num_labels or num_slices"),
])
def test_thresholds_bad_construction(kwargs, exception, match):
    with pytest.raises(exception, match=match):
        ThresholdCounts(10, **kwargs)


@pytest.mark.parametrize("other", [
    ThresholdCounts([0.2, 0.5, 0.91], num_labels=2, num_slices=2),
    ThresholdCounts([0.2, 0.5], num_labels=2, num_slices=2),
    ThresholdCounts([0.2, 0.9, 0.5], num_labels=2, num_slices=2),  # same set, other order
    ThresholdCounts([0.2, 0.5, 0.9], num_labels=3, num_slices=2),
    ThresholdCounts([0.2, 0.5, 0.9], num_labels=2),
    ThresholdCounts([0.2, 0.5, 0.9], num_slices=2),
])
def test_thresholds_bad_merge(thresholds, other):
    rejects(thresholds, ValueError, "cannot merge ThresholdCounts with different", lambda tc: tc.merge(other))


# Moments -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("y_true, y_pred, exception, match", [
    ([[1.0, 2.0]], [[1.0, 2.0], [3.0, 4.0]], ValueError, r"different shapes: \(1, 2\) and \(2, 2\)"),
    ([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]], ValueError, "y_pred has 3 outputs per sample; this Moments tracks 2"),
    ([1.0, 2.0], [1.0, 2.0], ValueError, "y_pred has 1 outputs per sample; this Moments tracks 2"),
    (np.zeros((1, 2, 1)), np.zeros((1, 2, 1)), ValueError, r"y_pred has shape \(1, 2, 1\)"),
    ([[1.0, np.nan]], [[1.0, 2.0]], ValueError, r"y_true\[1\] = nan: values must be finite"),
    ([[1.0, 2.0]], [[np.inf, 2.0]], ValueError, r"y_pred\[0\] = inf"),
    ([[1.0, 2.0]], np.array([[1.0, -np.inf]], np.float32), ValueError, r"y_pred\[1\] = -inf"),
    (np.array([["a", "b"]]), [[1.0, 2.0]], TypeError, "y_true has dtype <U1"),
    ([[1.0, 2.0]], np.array([[1, None]], dtype=object), TypeError, "y_pred has dtype object"),
    ([[1.0, 2.0]], None, TypeError, "y_pred is required"),
    ([[1.0, 2.0]], [[1j, 2j]], TypeError, "y_pred"),
])
def test_moments_bad_values(moments, y_true, y_pred, exception, match):
    rejects(moments, exception, match, lambda m: m.update(y_true, y_pred))


@pytest.mark.parametrize("weight, match", [
    ([np.nan], r"sample_weight\[0\] = nan"),
    ([[1.0, np.inf]], r"sample_weight\[1\] = inf"),
    ([1.0, 1.0], r"sample_weight has shape \(2,\)"),
])
def test_moments_bad_weights(moments, weight, match):
    rejects(moments, ValueError, match, lambda m: m.update([[1.0, 2.0]], [[1.0, 2.0]], sample_weight=weight))


@pytest.mark.parametrize("ids, match", [([2], r"slice_ids\[0\] = 2 is not a slice id in \[0, 2\)"),
                                        ([-5], r"slice_ids\[0\] = -5"),
                                        ([0, 0], r"slice_ids has shape \(2,\)")])
def test_moments_bad_slice_ids(moments, ids, match):
    rejects(moments, ValueError, match, lambda m: m.update([[1.0, 2.0]], [[1.0, 2.0]], slice_ids=ids))


def test_moments_failed_first_update_leaves_shape_open():
    m = Moments()
    rejects(m, ValueError, "y_pred", lambda a: a.update(np.zeros((3, 2)), [[1.0, 2.0], [np.nan, 1.0], [1.0, 1.0]]))
    rejects(m, ValueError, "sample_weight", lambda a: a.update(np.zeros((3, 2)), np.zeros((3, 2)), sample_weight=[-1]))
    assert m.num_outputs is None
    m.update([1.0, 2.0], [1.0, 3.0])
    assert m.num_outputs == 1 and m.mean_absolute_error == 0.5


def test_moments_empty_input_is_a_no_op(moments):
    before = snapshot(moments)
    moments.update(np.zeros((0, 2)), np.zeros((0, 2)), sample_weight=[], slice_ids=[])
    moments.update(None, np.zeros((0, 2), np.float32))
    assert_same_state(before, snapshot(moments))
    fresh = Moments()
    fresh.update([], [])
    assert fresh.num_outputs is None and fresh.count == 0
    fresh.update(np.ones((2, 3)), np.ones((2, 3)))
    assert fresh.num_outputs == 3


@pytest.mark.parametrize("kwargs, exception", [(dict(num_outputs=0), ValueError), (dict(num_outputs=-1), ValueError),
                                               (dict(num_outputs=1.0), TypeError), (dict(num_slices=0), ValueError)])
def test_moments_bad_construction(kwargs, exception):
    with pytest.raises(exception, match="num_outputs|num_slices"):
        Moments(**kwargs)


@pytest.mark.parametrize("other, exception", [
    (Moments(3, num_slices=2), ValueError),
    (Moments(2), ValueError),
    (Moments(2, num_slices=3), ValueError),
    (ThresholdCounts(3), TypeError),
])
def test_moments_bad_merge(moments, other, exception):
    rejects(moments, exception, "cannot merge", lambda m: m.merge(other))
