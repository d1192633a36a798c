"""scikit-learn's checks of targets, scores and sample weights, with its messages and error classes.

sklearn's ``type_of_target`` rules decide between binary, multiclass and multilabel-indicator targets.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ..exceptions import InvalidParameterError
from .arrays import SKLEARN, check_consistent_length, check_finite, num_samples, read, whole_numbers

BINARY = "binary"
MULTICLASS = "multiclass"
MULTILABEL = "multilabel-indicator"
_ONE_D = "1d"  # binary or multiclass: which one depends on the labels of both arrays


def _refuse_non_array(y, name: str, func: str) -> None:
    if y is None or isinstance(y, (str, bytes)) or np.isscalar(y):
        raise InvalidParameterError(f"The {name!r} parameter of {func} must be an array-like. Got {y!r} instead.")


def array_like(y, name: str, func: str) -> np.ndarray:
    """sklearn's refusal of None, strings and scalars where an array-like is needed; the array."""
    _refuse_non_array(y, name, func)
    return read(y, name)


def as_target(y, name: str, func: str) -> np.ndarray:
    """An array-like of labels (lists, numpy, sparse, tensors) as an ndarray."""
    _refuse_non_array(y, name, func)
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
        if a.dtype.kind == "f" and whole_numbers(a, name, style=SKLEARN) is None:
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
    if a.dtype.kind == "f" and whole_numbers(a, name, style=SKLEARN) is None:
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


def numeric(x, name: str, func: str = "", *, finite: bool = True, what: str = "numbers") -> np.ndarray:
    """Scores or probabilities: bool, integer or float, as float32 (when they are) or float64, C-ordered,
    finite (unless `finite` is False, where the core checks what it reads)."""
    a = as_target(x, name, func)
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{name} has dtype {a.dtype}; {what} are needed")
    a = np.asarray(a, dtype=np.float32 if a.dtype == np.float32 else np.float64, order="C")
    if finite:
        check_finite(a, name)
    return a


def regression_values(a: np.ndarray, name: str, strings: bool = True) -> np.ndarray:
    """sklearn's check_array of regression targets: number strings and objects as float64 (unless not
    `strings`: sklearn's dtype="numeric" refuses them), finite, 1-D or 2-D, at least one sample."""
    if a.dtype.kind in "OUS" and strings:
        try:
            a = a.astype(np.float64)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{name} holds values that are not numbers: {e}") from None
    if a.dtype.kind == "c":
        raise ValueError(f"Complex data not supported\n{a}\n")
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{name} has dtype {a.dtype}; numbers are needed")
    if a.ndim > 2:
        raise ValueError(f"Found array with dim {a.ndim}. None expected <= 2.")
    if a.ndim == 0 or a.shape[0] == 0:
        raise ValueError(f"Found array with 0 sample(s) (shape={a.shape}) while a minimum of 1 is required.")
    check_finite(a, name)
    return a


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


def check_weight_sum(w: np.ndarray | None) -> None:
    """numpy's refusal to average with weights that sum to zero, which sklearn's weighted means raise."""
    if w is not None and np.sum(w) == 0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")


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
