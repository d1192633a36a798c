"""What kind of classification target an array holds, and its labels as class codes.

sklearn's ``type_of_target`` rules decide between binary, multiclass and multilabel-indicator
targets. Integer (and bool, and whole float) labels in a small range are their own class codes,
with no relabelling pass; anything else (strings, wide integer ranges) is numbered by one
``np.unique``.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ..exceptions import InvalidParameterError

BINARY = "binary"
MULTICLASS = "multiclass"
MULTILABEL = "multilabel-indicator"
_ONE_D = "1d"  # binary or multiclass: which one depends on the labels of both arrays


def read(x, name: str) -> np.ndarray:
    """Any array-like as an ndarray: lists, numpy, pandas and polars, and the arrays of other libraries
    (torch, JAX, array-api-strict...) that numpy can read where they are, without a copy.

    Arrays on a device numpy cannot read (a GPU) are refused: accumetrics computes on the CPU,
    and moving data off a device is the caller's choice.
    """
    try:
        return np.asarray(x)
    except (TypeError, RuntimeError, ValueError) as e:
        device = getattr(x, "device", None)
        if device is None or isinstance(x, (list, tuple)):
            raise ValueError(f"{name} could not be read as an array: {e}") from None
        raise ValueError(
            f"{name} is on device {device!r}, which numpy cannot read: accumetrics computes on the CPU. "
            f"Move {name} to the CPU first (torch: {name}.cpu(); array API: {name}.to_device('cpu'))."
        ) from None


def as_target(y, name: str, func: str) -> np.ndarray:
    """An array-like of labels (lists, numpy, sparse, tensors) as an ndarray."""
    if y is None or isinstance(y, (str, bytes)) or np.isscalar(y):
        raise InvalidParameterError(f"The {name!r} parameter of {func} must be an array-like. Got {y!r} instead.")
    if hasattr(y, "toarray") and hasattr(y, "nnz"):  # scipy sparse: only multilabel indicators
        y = y.toarray()
        if y.ndim != 2 or y.shape[1] < 2:
            raise TypeError("Sparse input is only supported when targets are of multilabel type")
    a = read(y, name)
    if a.dtype.kind == "S":
        raise TypeError(
            "Support for labels represented as bytes is not supported. Convert the labels to a string or integer format."
        )
    if a.dtype.kind == "c":
        raise ValueError(f"Complex data not supported in {name}")
    return a


def num_samples(a: np.ndarray) -> int:
    return a.shape[0] if a.ndim else 1


def check_consistent_length(*arrays: np.ndarray | int | None, **named: np.ndarray | None) -> int:
    """sklearn's check that arrays (or lengths; None skipped) have one entry per sample, with its message.
    Returns the number of samples."""
    lengths = [a if isinstance(a, (int, np.integer)) else num_samples(a)
               for a in (*arrays, *named.values()) if a is not None]
    if len(set(lengths)) > 1:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {[int(n) for n in lengths]}")
    return int(lengths[0])


def _integral(a: np.ndarray, name: str) -> np.ndarray | None:
    """The whole numbers of a float array as int64, or None when some are not whole."""
    with np.errstate(invalid="ignore"):
        whole = a.astype(np.int64)
        if np.array_equal(whole, a):
            return whole
    check_finite(a, name)
    return None


def _is_multilabel(a: np.ndarray) -> bool:
    if a.dtype.kind == "b":
        return True
    if a.dtype.kind not in "iuf":
        return False
    uniques = np.unique(a)
    return len(uniques) < 3 and (a.dtype.kind in "iu" or np.array_equal(uniques, np.round(uniques)))


def kind_of(a: np.ndarray, name: str) -> str:
    """sklearn's target type, except that 1-D discrete labels are '1d' (binary or multiclass)."""
    if a.ndim == 2 and a.shape[1] > 1 and a.shape[0] > 0:
        if _is_multilabel(a):
            return MULTILABEL
        if a.dtype.kind == "f" and _integral(a, name) is None:
            return "continuous-multioutput"
        return "multiclass-multioutput" if a.dtype.kind != "O" or isinstance(a.flat[0], str) else "unknown"
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        return "unknown"
    if a.size == 0:
        return _ONE_D
    if a.dtype.kind == "O" and not isinstance(a[0], str):
        return "unknown"
    if a.dtype.kind == "f" and _integral(a, name) is None:
        return "continuous"
    return _ONE_D


def type_of_target(a: np.ndarray, name: str) -> str:
    """sklearn's ``type_of_target`` for the kinds this module knows."""
    kind = kind_of(a, name)
    if kind != _ONE_D:
        return kind
    return BINARY if len(np.unique(_strings_or_self(a.reshape(-1)))) <= 2 else MULTICLASS


def _strings_or_self(a: np.ndarray) -> np.ndarray:
    if a.dtype.kind != "O":
        return a
    if not all(isinstance(x, str) for x in a):
        raise ValueError(f"Mix of label input types (string and number); Got {a!r}.")
    return a.astype(str)


def check_finite(a: np.ndarray, name: str) -> None:
    """sklearn's message for NaN or infinity in a float array, naming which."""
    if a.dtype.kind in "fc" and not np.isfinite(a).all():
        what = "NaN" if np.isnan(a).any() else f"infinity or a value too large for {a.dtype!r}"
        raise ValueError(f"Input {name} contains {what}.")


def _weight_array(w, func: str) -> np.ndarray:
    if isinstance(w, (numbers.Number, str, np.generic)):
        raise InvalidParameterError(f"The 'sample_weight' parameter of {func} must be an array-like or None. Got {w!r} instead.")
    a = read(w, "sample_weight")
    if a.dtype.kind == "c":
        raise ValueError(f"Complex data not supported\n{a}\n")
    if a.dtype.kind == "O":
        try:
            a = a.astype(np.float64)
        except (TypeError, ValueError) as e:
            raise ValueError(f"sample_weight could not be read as numbers: {e}") from None
    if a.dtype.kind not in "biuf":
        raise ValueError(f"sample_weight has dtype {a.dtype}; numbers are needed")
    return a


def sample_weight(w, *arrays: np.ndarray | int, func: str = "", allow_all_zero: bool = False) -> np.ndarray | None:
    """sklearn's checks of ``sample_weight`` for the samples of `arrays` (or a number of samples), in sklearn's
    order: one weight per sample (``check_consistent_length``), 1-D, finite, not all zero (unless `allow_all_zero`).

    Returns float64 weights, or None (the lengths of `arrays` are checked then too).
    """
    if w is None:
        check_consistent_length(*arrays)
        return None
    a = _weight_array(w, func)
    n = check_consistent_length(*arrays, a)
    if a.ndim != 1:
        raise ValueError(
            f"Sample weights must be 1D array or scalar, got {a.ndim}D array. "
            f"Expected either a scalar value or a 1D array of length {n}."
        )
    if a.shape != (n,):
        raise ValueError(f"sample_weight.shape == {a.shape}, expected {(n,)}!")
    check_finite(a, "sample_weight")
    a = np.ascontiguousarray(a, dtype=np.float64)
    if not allow_all_zero and not a.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return a


def integer_weight(w) -> np.ndarray | None:
    """Integer (or bool) weights as int64, when they fit: their sums can be exact, as sklearn's
    integer confusion matrices are. None for other weights."""
    a = read(w, "sample_weight")
    if a.dtype.kind not in "biu":
        return None
    if a.dtype == np.uint64 and a.size and a.max() > np.iinfo(np.int64).max:
        return None
    return np.ascontiguousarray(a, dtype=np.int64)


@dataclass(frozen=True)
class Targets:
    """Checked y_true and y_pred: 1-D labels (kind '1d') or 2-D indicators (kind MULTILABEL)."""

    kind: str
    y_true: np.ndarray
    y_pred: np.ndarray
    sample_weight: np.ndarray | None
    exact_weight: np.ndarray | None = None  # the weights as int64, where they are integers

    @property
    def weight_is_integer(self) -> bool:
        return self.exact_weight is not None


def check_targets(y_true, y_pred, weight=None, func: str = "") -> Targets:
    """sklearn's ``_check_targets``: same lengths, compatible kinds, non-empty; labels of one type."""
    t = as_target(y_true, "y_true", func)
    p = as_target(y_pred, "y_pred", func)
    raw_weight = None if weight is None else _weight_array(weight, func)
    check_consistent_length(t, p, raw_weight)
    kt, kp = kind_of(t, "y_true"), kind_of(p, "y_pred")
    if num_samples(t) < 1 or num_samples(p) < 1:
        raise ValueError(
            "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 sample is required."
        )
    w = sample_weight(raw_weight, t, func=func)
    exact = None if w is None else integer_weight(raw_weight)
    if kt != kp:
        named = [type_of_target(a, name) if k == _ONE_D else k for a, k, name in ((t, kt, "y_true"), (p, kp, "y_pred"))]
        if set(named) != {BINARY, MULTICLASS}:
            raise ValueError(f"Classification metrics can't handle a mix of {named[0]} and {named[1]} targets")
    if kt not in (_ONE_D, MULTILABEL):
        raise ValueError(f"{kt} is not supported")
    if kt == MULTILABEL:
        if t.shape[1] != p.shape[1]:
            raise ValueError("Multi-label binary indicator input with different numbers of labels")
        return Targets(MULTILABEL, t, p, w, exact)
    t, p = _strings_or_self(t.reshape(-1)), _strings_or_self(p.reshape(-1))
    if (t.dtype.kind == "U") != (p.dtype.kind == "U"):
        raise ValueError(
            f"Mix of label input types (string and number); Got {np.unique(t)} and {np.unique(p)}."
        )
    return Targets(_ONE_D, t, p, w, exact)


@dataclass(frozen=True)
class Codes:
    """Labels as class codes: ``values[code]`` is the label; codes lie in [0, len(values))."""

    y_true: np.ndarray
    y_pred: np.ndarray
    values: np.ndarray


# A label range up to this wide is used as the class codes directly (the matrix has width**2 cells).
_DIRECT_WIDTH = 1 << 12


def _as_integers(a: np.ndarray) -> np.ndarray | None:
    if a.dtype.kind == "b":
        return a.view(np.uint8)
    if a.dtype.kind == "i" or (a.dtype.kind == "u" and a.dtype.itemsize < 8):
        return a
    if a.dtype.kind == "f":
        return _integral(a, "labels")
    return None


def encode(t: np.ndarray, p: np.ndarray) -> Codes:
    """Class codes for checked 1-D labels: the integers themselves when their range is small."""
    ti, pi = _as_integers(t), _as_integers(p)
    if ti is not None and pi is not None:
        lo = min(int(ti.min()), int(pi.min()))
        hi = max(int(ti.max()), int(pi.max()))
        base = min(lo, 0)
        width = hi - base + 1
        if width <= _DIRECT_WIDTH and width * width <= max(1 << 16, 4 * len(t)):
            if base < 0:
                ti, pi = ti.astype(np.int64) - base, pi.astype(np.int64) - base
            return Codes(ti, pi, np.arange(base, hi + 1))
    values, inverse = np.unique(np.concatenate([t, p]), return_inverse=True)
    inverse = inverse.reshape(-1)
    return Codes(inverse[: len(t)], inverse[len(t) :], values)


def label_dtype(t: np.ndarray, p: np.ndarray, pred_adds_labels: bool) -> np.dtype:
    """The dtype of sklearn's ``unique_labels``: y_true's, promoted only when y_pred adds labels."""
    return np.result_type(t.dtype, p.dtype) if pred_adds_labels else t.dtype
