"""Every label and score dtype, memory layout and array-like gives the same result."""

import numpy as np
import pytest

from accumetrics import ConfusionMatrix, Moments, ThresholdCounts

from references import assert_close, confusion_reference, moments_reference, threshold_reference

INTEGERS = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]
FLOATS = [np.float16, np.float32, np.float64]
LABEL_DTYPES = [np.bool_, *INTEGERS, *FLOATS, ">i4", ">i8", ">u2"]


def classes_for(dtype):
    return 2 if np.dtype(dtype) == np.bool_ else 100


@pytest.mark.parametrize("true_dtype", LABEL_DTYPES, ids=str)
@pytest.mark.parametrize("pred_dtype", [np.bool_, np.uint8, np.int32, np.int64, np.uint64, np.float32], ids=str)
def test_confusion_label_dtypes(rng, true_dtype, pred_dtype):
    classes = min(classes_for(true_dtype), classes_for(pred_dtype))
    t, p = rng.integers(0, classes, 1000), rng.integers(0, classes, 1000)
    cm = ConfusionMatrix(classes).update(t.astype(true_dtype), p.astype(pred_dtype))
    np.testing.assert_array_equal(cm.counts, confusion_reference(t, p, None, classes)[0])


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.float16, np.float64], ids=str)
def test_confusion_negative_labels_of_every_width_are_out_of_range(rng, dtype):
    t = np.array([0, -1, 2, 1], dtype)
    with pytest.raises(ValueError, match=r"y_true\[1\] = -1"):
        ConfusionMatrix(3).update(t, [0, 1, 2, 1])
    cm = ConfusionMatrix(3, ignore_out_of_range=True).update(t, [0, 1, 2, 1])
    np.testing.assert_array_equal(cm.counts, confusion_reference([0, 2, 1], [0, 2, 1], None, 3)[0])


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
def test_confusion_large_unsigned_labels(dtype):
    top = np.iinfo(dtype).max
    message = rf"y_pred\[1\] = {top} is not a class"
    if dtype == np.uint64:
        message = r"y_pred holds labels above 2\*\*63 - 1"
    with pytest.raises(ValueError, match=message):
        ConfusionMatrix(3).update(np.array([0, 1], dtype), np.array([0, top], dtype))


@pytest.mark.xfail(strict=True, reason="uint64 labels above 2**63 - 1 are refused before ignore_out_of_range applies")
def test_ignore_out_of_range_skips_huge_uint64_labels():
    cm = ConfusionMatrix(3, ignore_out_of_range=True).update(np.array([0, 2**64 - 1], np.uint64), [0, 1])
    np.testing.assert_array_equal(cm.counts, [[1, 0, 0], [0, 0, 0], [0, 0, 0]])


@pytest.mark.parametrize("label_dtype", [np.bool_, *INTEGERS, *FLOATS, ">f8"], ids=str)
@pytest.mark.parametrize("score_dtype", [*FLOATS, ">f4", np.int64, np.bool_], ids=str)
def test_threshold_dtypes(rng, label_dtype, score_dtype):
    y = rng.integers(0, 2, 500)
    s = rng.random(500) if np.dtype(score_dtype).kind == "f" else rng.integers(0, 2, 500)
    s = s.astype(score_dtype)
    thresholds = [0.0, 0.1, 0.5, 0.7, 1.0]
    tc = ThresholdCounts(thresholds).update(y.astype(label_dtype), s)
    expected = threshold_reference(y, s, thresholds)
    for name in expected:
        np.testing.assert_array_equal(tc.result()[name], expected[name])


@pytest.mark.parametrize("dtype", [*FLOATS, np.int32, np.int64, np.uint8, np.bool_, ">f8"], ids=str)
def test_moment_dtypes(rng, dtype):
    y, x = rng.normal(size=300) * 10, rng.normal(size=300) * 10
    if np.dtype(dtype).kind in "iub":
        y, x = np.abs(np.round(y)) % 2 if dtype == np.bool_ else np.abs(np.round(y)), np.abs(np.round(x))
    y, x = y.astype(dtype), x.astype(dtype)
    m = Moments().update(y, x)
    for name, value in moments_reference(y, x).items():
        assert_close(m.sums[name], value, rtol=1e-13)


@pytest.mark.parametrize("dtype", [*FLOATS, np.int64, np.uint8, np.bool_], ids=str)
def test_weight_dtypes(rng, dtype):
    t, p = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    w = (rng.random(200) * 8).astype(dtype)
    cm = ConfusionMatrix(4).update(t, p, sample_weight=w)
    assert_close(cm.result(), confusion_reference(t, p, w.astype(np.float64), 4)[0])
    s = rng.random(200)
    tc = ThresholdCounts(5).update(t % 2, s, sample_weight=w)
    assert_close(tc.tp, threshold_reference(t % 2, s, np.linspace(0, 1, 5), w.astype(np.float64))["tp"])
    m = Moments().update(s, s + 1, sample_weight=w)
    assert_close(m.sums["sum_weight"], moments_reference(s, s + 1, w.astype(np.float64))["sum_weight"])


def test_float16_scores_are_exact_in_float64():
    s = np.array([0.0999, 0.1, 0.1001, 0.5], np.float16)
    thresholds = [float(np.float16(0.1)), 0.1, 0.5]
    tc = ThresholdCounts(thresholds).update([1, 1, 1, 1], s)
    np.testing.assert_array_equal(tc.tp, threshold_reference([1, 1, 1, 1], s, thresholds)["tp"])


def layouts(a):
    """The same values as a strided view, a reversed view, and (2-D) in Fortran order."""
    wide = np.empty((a.shape[0] * 3,) + a.shape[1:], a.dtype)
    wide[::3] = a
    out = {"strided": wide[::3], "reversed": a[::-1].copy()[::-1]}
    if a.ndim == 2:
        out["fortran"] = np.asfortranarray(a)
        padded = np.zeros((a.shape[0], a.shape[1] + 2), a.dtype)
        padded[:, 1:-1] = a
        out["column slice"] = padded[:, 1:-1]
    for name, view in out.items():
        np.testing.assert_array_equal(view, a)
        assert not view.flags.c_contiguous, name
    return out


def test_confusion_non_contiguous(rng):
    t, p, w = rng.integers(0, 5, 400), rng.integers(0, 5, 400).astype(np.uint8), rng.random(400)
    expected = ConfusionMatrix(5).update(t, p, sample_weight=w).result()
    lt, lp, lw = layouts(t), layouts(p), layouts(w)
    for name in lt:
        assert_close(ConfusionMatrix(5).update(lt[name], lp[name], sample_weight=lw[name]).result(), expected)
    two = np.stack([t, p], axis=1)  # columns of one array
    assert_close(ConfusionMatrix(5).update(two[:, 0], two[:, 1], sample_weight=w).result(), expected)


def test_thresholds_non_contiguous(rng):
    y, s, w = rng.integers(0, 2, (300, 3)), rng.random((300, 3)).astype(np.float32), rng.random((300, 3))
    expected = ThresholdCounts(9, num_labels=3).update(y, s, sample_weight=w).result()
    ly, ls, lw = layouts(y), layouts(s), layouts(w)
    for name in ly:
        got = ThresholdCounts(9, num_labels=3).update(ly[name], ls[name], sample_weight=lw[name]).result()
        for key in expected:
            assert_close(got[key], expected[key], rtol=0)
    binary = ThresholdCounts(9).update(y[:, 1], s[:, 1]).tp  # a column of a C-ordered array
    np.testing.assert_array_equal(binary, ThresholdCounts(9).update(y[:, 1].copy(), s[:, 1].copy()).tp)


def test_moments_non_contiguous(rng):
    y, x, w = rng.normal(size=(300, 2)), rng.normal(size=(300, 2)), rng.random((300, 2))
    expected = Moments(2).update(y, x, sample_weight=w).sums
    ly, lx, lw = layouts(y), layouts(x), layouts(w)
    for name in ly:
        got = Moments(2).update(ly[name], lx[name], sample_weight=lw[name]).sums
        for key in expected:
            np.testing.assert_array_equal(got[key], expected[key])


def test_lists_and_tuples():
    cm = ConfusionMatrix(3).update([0, 1, 2, 2], (0, 2, 2, 1), sample_weight=[1, 2, 3, 4])
    np.testing.assert_array_equal(cm.result(), [[1, 0, 0], [0, 0, 2], [0, 4, 3]])
    cm = ConfusionMatrix(2).update([True, False], [True, True])
    np.testing.assert_array_equal(cm.result(), [[0, 1], [0, 1]])
    tc = ThresholdCounts([0.5], num_labels=2).update([[0, 1], [1, 1]], [[0.6, 0.4], [0.9, 0.7]])
    np.testing.assert_array_equal(tc.tp, [[1], [1]])
    m = Moments().update([1, 2, 3], [1.5, 2, 2])
    assert m.mean_absolute_error == 0.5


def test_torch_cpu_tensors(rng):
    torch = pytest.importorskip("torch")
    t, p, w = rng.integers(0, 4, 500), rng.integers(0, 4, 500), rng.random(500)
    s = rng.random((500, 2)).astype(np.float32)
    y = rng.integers(0, 2, (500, 2))

    cm = ConfusionMatrix(4).update(torch.from_numpy(t), torch.from_numpy(p).to(torch.int32),
                                   sample_weight=torch.from_numpy(w))
    assert_close(cm.result(), confusion_reference(t, p, w, 4)[0])

    st, yt = torch.from_numpy(s.T.copy()).T, torch.from_numpy(y).to(torch.bool)  # st is not contiguous
    assert not st.is_contiguous()
    tc = ThresholdCounts(7, num_labels=2).update(yt, st, sample_weight=torch.ones(500, dtype=torch.float16))
    for label in range(2):
        np.testing.assert_array_equal(tc.tp[label], threshold_reference(y[:, label], s[:, label],
                                                                        np.linspace(0, 1, 7))["tp"])

    m = Moments().update(torch.tensor(s[:, 0], dtype=torch.float64), torch.from_numpy(s[:, 1].copy()).half())
    expected = moments_reference(s[:, 0].astype(np.float64), s[:, 1].astype(np.float16))
    assert_close(m.sums["sum_absolute_error"], expected["sum_absolute_error"])
