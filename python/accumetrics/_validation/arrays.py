"""Reading user input as arrays, in the message style of the face that asks.

``ACCUMULATOR`` (the numpy accumulators and the Keras face) names the argument, the first bad value and
the fix, raising TypeError for what is not an array of numbers; ``SKLEARN`` (the sklearn-style functions)
raises scikit-learn's own messages and error classes, which its tests assert.
"""

from __future__ import annotations

import numpy as np

ACCUMULATOR = "accumulator"
SKLEARN = "sklearn"

_NATIVE_LABELS = (np.bool_, np.uint8, np.int32, np.int64)
_NATIVE_FLOATS = (np.float32, np.float64)


def read(x, name: str, style: str = SKLEARN, *, numbers: bool = True) -> np.ndarray:
    """Any array-like as an ndarray, without copying arrays: lists, numpy, pandas and polars, and the arrays
    of other libraries (torch, TF eager tensors, JAX, array-api-strict...) that numpy can read where they are.

    Arrays on a device numpy cannot read (a GPU) are refused: accumetrics computes on the CPU, and moving
    data off a device is the caller's choice. In the accumulator style None is refused, and so are
    arrays of other than numbers (of other than labels, which may be strings, when not ``numbers``),
    and a foreign byte order is made native, as the core reads it.
    """
    if style == ACCUMULATOR:
        if x is None:
            raise TypeError(f"{name} is required, got None")
        if hasattr(x, "numpy") and not isinstance(x, np.ndarray) and not hasattr(x, "__array__"):
            x = x.numpy()
    try:
        a = np.asarray(x)
    except (TypeError, RuntimeError, ValueError) as e:  # ragged lists, device arrays and the like
        raise _unreadable(x, name, e, style) from None
    except Exception as e:
        if style == SKLEARN:
            raise
        raise TypeError(f"{name} could not be read as an array: {e}") from None
    if style == SKLEARN:
        return a
    if not numbers:
        if a.dtype.kind in "cMmV":
            raise TypeError(f"{name} has dtype {a.dtype}; labels are numbers, strings or objects")
        if a.dtype.kind in "OUS":
            return a
    elif a.dtype.kind in "OUSVMm":
        raise TypeError(f"{name} has dtype {a.dtype}; numbers are needed")
    if not a.dtype.isnative:  # the core reads native byte order only
        a = a.astype(a.dtype.newbyteorder("="))
    return a


def _unreadable(x, name: str, error: Exception, style: str) -> Exception:
    kind = ValueError if style == SKLEARN else TypeError
    device = getattr(x, "device", None)
    if device is None or isinstance(x, (list, tuple)):
        return kind(f"{name} could not be read as an array: {error}")
    return kind(
        f"{name} is on device {device!r}, which numpy cannot read: accumetrics computes on the CPU. "
        f"Move {name} to the CPU first (torch: {name}.cpu(); array API: {name}.to_device('cpu'))."
    )


def as_array(x, name: str) -> np.ndarray:
    """An array of numbers, in the accumulator style."""
    return read(x, name, ACCUMULATOR)


def labels(x, name: str) -> np.ndarray:
    """Integer class indices: bool/uint8/int32/int64 pass through; other integers and whole floats are converted."""
    a = as_array(x, name)
    if a.dtype.type in _NATIVE_LABELS:
        pass
    elif a.dtype.kind in "iu":
        if a.dtype.kind == "u" and a.size and a.max() > np.iinfo(np.int64).max:
            raise ValueError(f"{name} holds labels above 2**63 - 1")
        a = a.astype(np.int32 if a.dtype.itemsize < 4 or a.dtype == np.uint16 else np.int64)
    elif a.dtype.kind == "f":
        a = whole_numbers(a, name)
    elif a.dtype.kind == "c":
        raise TypeError(f"{name} has complex dtype {a.dtype}; class labels must be integers")
    return np.ascontiguousarray(a)


def whole_numbers(a: np.ndarray, name: str, what: str = "class labels", style: str = ACCUMULATOR):
    """The values of a float array as int64, when all are whole numbers within int64. Otherwise, in the
    accumulator style a ValueError naming the first other value; in sklearn's, None (after its check that
    the values are finite)."""
    with np.errstate(invalid="ignore"):
        whole = a.astype(np.int64)
        if np.array_equal(whole, a):
            return whole
        if style == SKLEARN:
            check_finite(a, name)
            return None
        bad = ~np.isfinite(a) | (a != np.floor(a)) | (np.abs(a) >= 2.0**63)
    i = int(np.flatnonzero(bad.ravel())[0])
    raise ValueError(f"{name}[{i}] = {a.ravel()[i].item()!r}: {what} must be whole numbers")


def not_finite(name: str, what: str = "values") -> str:
    """How the core says that an input holds NaN or infinity, for checks made where it cannot run."""
    return f"{name}: {what} must be finite (no NaN or infinity)"


def check_finite(a: np.ndarray, name: str, what: str = "values", *, style: str = SKLEARN) -> None:
    """Refuse NaN or infinity: with sklearn's message, naming which, or with the core's, naming the first."""
    if style == SKLEARN:
        if a.dtype.kind in "fc" and not np.isfinite(a).all():
            found = "NaN" if np.isnan(a).any() else f"infinity or a value too large for {a.dtype!r}"
            raise ValueError(f"Input {name} contains {found}.")
        return
    bad = ~np.isfinite(a.reshape(-1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name}[{i}] = {a.reshape(-1)[i].item()!r}: {what} must be finite (no NaN or infinity)")


def num_samples(a: np.ndarray) -> int:
    return a.shape[0] if a.ndim else 1


def _lengths_agree(arrays: list, style: str) -> int:
    """The number of samples of `arrays` ((name, array or length) pairs; None skipped), which must agree."""
    lengths = [(name, a if isinstance(a, (int, np.integer)) else num_samples(a)) for name, a in arrays if a is not None]
    if any(n != lengths[0][1] for _, n in lengths):
        if style == SKLEARN:
            raise ValueError(
                f"Found input variables with inconsistent numbers of samples: {[int(n) for _, n in lengths]}"
            )
        (a, n), (b, m) = lengths[0], next(pair for pair in lengths if pair[1] != lengths[0][1])
        raise ValueError(f"{a} and {b} have different lengths: {n} and {m}")
    return int(lengths[0][1])


def check_consistent_length(*arrays: np.ndarray | int | None, **named: np.ndarray | None) -> int:
    """sklearn's check that arrays (or lengths; None skipped) have one entry per sample, with its message.
    Returns the number of samples."""
    return _lengths_agree([(None, a) for a in arrays] + list(named.items()), SKLEARN)


def same_length(**arrays: np.ndarray) -> int:
    """The accumulators' check that the named arrays have one entry per sample; their number."""
    return _lengths_agree(list(arrays.items()), ACCUMULATOR)


def binary_labels(x, name: str) -> np.ndarray:
    """0/1 labels: bool, integers or floats; the core checks the values."""
    a = as_array(x, name)
    if a.dtype.type in _NATIVE_LABELS or a.dtype.type in _NATIVE_FLOATS:
        return np.ascontiguousarray(a)
    if a.dtype.kind in "iu":
        return np.ascontiguousarray(a.astype(np.int64))
    if a.dtype.kind == "f":
        return np.ascontiguousarray(a.astype(np.float64))
    raise TypeError(f"{name} has dtype {a.dtype}; binary labels must be bool, integer or float")


def floats(x, name: str) -> np.ndarray:
    """Real values: float32/float64 pass through; float16, integers and bools become float32/float64."""
    a = as_array(x, name)
    # np.asarray(order="C") rather than np.ascontiguousarray, which turns a scalar into shape (1,).
    if a.dtype.type in _NATIVE_FLOATS:
        return np.asarray(a, order="C")
    if a.dtype.kind == "f" and a.dtype.itemsize < 4:
        return np.asarray(a, dtype=np.float32, order="C")
    if a.dtype.kind in "iub" or a.dtype.kind == "f":
        return np.asarray(a, dtype=np.float64, order="C")
    raise TypeError(f"{name} has dtype {a.dtype}; real numbers are needed")


def weights(sample_weight, rows: int, shape=None) -> np.ndarray | None:
    """Sample weights: None, a scalar, one per row, or (when `shape` is given) one per value."""
    if sample_weight is None:
        return None
    w = floats(sample_weight, "sample_weight")
    if w.ndim == 0:
        w = np.full(rows, w, dtype=w.dtype)
    if shape is not None and w.shape == tuple(shape):
        return np.ascontiguousarray(w.reshape(-1))
    if w.ndim == 2 and w.shape[1] == 1:
        w = w[:, 0]
    if w.ndim != 1 or w.shape[0] != rows:
        want = f"({rows},)" if shape is None else f"({rows},) or {tuple(shape)}"
        raise ValueError(f"sample_weight has shape {w.shape}; expected a scalar or shape {want}")
    return np.ascontiguousarray(w)


def slice_ids(ids, rows: int) -> np.ndarray | None:
    if ids is None:
        return None
    s = as_array(ids, "slice_ids")
    if s.dtype.kind == "f":
        s = whole_numbers(s, "slice_ids", "slice ids")
    elif s.dtype.kind not in "iub":
        raise TypeError(f"slice_ids has dtype {s.dtype}; slice ids must be integers in [0, num_slices)")
    s = s.reshape(-1) if s.ndim == 2 and s.shape[1] == 1 else s
    if s.shape != (rows,):
        raise ValueError(f"slice_ids has shape {s.shape}; expected one id per sample, shape ({rows},)")
    return np.ascontiguousarray(s, dtype=np.int64)


def row_ids(ids: np.ndarray | None, rows: int) -> np.ndarray | None:
    """A batch's slice ids (one per sample) repeated over each sample's ``rows // len(ids)`` values, as the
    core reads them: for inputs flattened from (samples, ...) arrays."""
    if ids is None:
        return None
    ids = ids.reshape(-1).astype(np.int64, copy=False)
    if ids.size == 0 or rows % ids.size:
        raise ValueError(f"slice_ids has {ids.size} entries for a batch of {rows} values; "
                         "expected one slice id per sample (the first axis of the batch)")
    return np.ascontiguousarray(np.repeat(ids, rows // ids.size))


def flat_reals(a: np.ndarray) -> np.ndarray:
    """A flat float32/float64 array of an ndarray (integers and bools become float64)."""
    a = a.reshape(-1)
    return np.ascontiguousarray(a if a.dtype in _NATIVE_FLOATS else a.astype(np.float64))


def column(a: np.ndarray, name: str, style: str = ACCUMULATOR) -> np.ndarray:
    """A 1-D view of a (N,) or (N, 1) array (sklearn's ``column_or_1d``)."""
    if a.ndim == 2 and a.shape[1] == 1:
        return a[:, 0]
    if a.ndim != 1:
        if style == SKLEARN:
            raise ValueError(f"{name} should be a 1d array, got an array of shape {a.shape} instead.")
        raise ValueError(f"{name} has shape {a.shape}; expected a 1-D array of length n_samples")
    return a


def positive_int(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return int(value)
