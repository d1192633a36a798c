"""Turning user input into the arrays the core reads, with errors that say what to fix."""

from __future__ import annotations

import os

import numpy as np

_NATIVE_LABELS = (np.bool_, np.uint8, np.int32, np.int64)
_NATIVE_FLOATS = (np.float32, np.float64)


def as_array(x, name: str) -> np.ndarray:
    """Any array-like (lists, numpy, torch CPU and TF eager tensors) as an ndarray, without copying arrays."""
    if x is None:
        raise TypeError(f"{name} is required, got None")
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray) and not hasattr(x, "__array__"):
        x = x.numpy()
    try:
        a = np.asarray(x)
    except Exception as e:  # ragged lists and the like
        raise TypeError(f"{name} could not be read as an array: {e}") from None
    if a.dtype.kind in "OUSVMm":
        raise TypeError(f"{name} has dtype {a.dtype}; numbers are needed")
    if not a.dtype.isnative:  # the core reads native byte order only
        a = a.astype(a.dtype.newbyteorder("="))
    return a


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


def whole_numbers(a: np.ndarray, name: str, what: str = "class labels") -> np.ndarray:
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(a) | (a != np.floor(a))
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(f"{name}[{i}] = {a.ravel()[i].item()!r}: {what} must be whole numbers")
    return a.astype(np.int64)


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


def not_finite(name: str, what: str = "values") -> str:
    """How the core says that an input holds NaN or infinity, for checks made where it cannot run."""
    return f"{name}: {what} must be finite (no NaN or infinity)"


def check_finite(a: np.ndarray, name: str, what: str = "values") -> None:
    """Raise the core's ValueError for the first NaN or infinity of ``a``, naming it ``name``."""
    bad = ~np.isfinite(a.reshape(-1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name}[{i}] = {a.reshape(-1)[i].item()!r}: {what} must be finite (no NaN or infinity)")


def column(a: np.ndarray, name: str) -> np.ndarray:
    """A 1-D view of a (N,) or (N, 1) array."""
    if a.ndim == 2 and a.shape[1] == 1:
        return a[:, 0]
    if a.ndim != 1:
        raise ValueError(f"{name} has shape {a.shape}; expected a 1-D array of length n_samples")
    return a


def same_length(**arrays: np.ndarray) -> int:
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        (a, n), (b, m) = list(lengths.items())[:2]
        raise ValueError(f"{a} and {b} have different lengths: {n} and {m}")
    return next(iter(lengths.values()))


def positive_int(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return int(value)


_DEFAULT_MEMORY_LIMIT = 8 * 2**30
_memory_limit: int | None = None


def _parse_bytes(text: str) -> int:
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    number, unit = (t[:-1], t[-1]) if t and t[-1] in units else (t, "")
    try:
        return int(float(number) * units[unit])
    except ValueError:
        raise ValueError(f"ACCUMETRICS_MEMORY_LIMIT={text!r}: expected a number of bytes such as 16GiB") from None


def get_memory_limit() -> int:
    """The most memory, in bytes, that one accumulator may take: its state plus what an update or a result needs.

    8 GiB by default (less on machines with less memory); raise it with ``set_memory_limit`` or the
    ``ACCUMETRICS_MEMORY_LIMIT`` environment variable (bytes, or a size such as ``32GiB``).
    """
    if _memory_limit is not None:
        return _memory_limit
    env = os.environ.get("ACCUMETRICS_MEMORY_LIMIT")
    if env:
        return _parse_bytes(env)
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        physical = _DEFAULT_MEMORY_LIMIT
    return min(_DEFAULT_MEMORY_LIMIT, physical)


def set_memory_limit(nbytes: int | None) -> None:
    """Set the memory limit of one accumulator, in bytes; None restores the default."""
    global _memory_limit
    if nbytes is not None:
        nbytes = positive_int(nbytes, "nbytes")
    _memory_limit = nbytes


def check_memory(nbytes: int, argument: str, what: str) -> None:
    """Refuse, before anything is allocated, what would take more than the memory limit.

    ``what`` names the object ("ThresholdCounts(thresholds=10**9)"), ``argument`` the setting to lower.
    """
    limit = get_memory_limit()
    if nbytes > limit:
        raise ValueError(
            f"{what} would take {_bytes(nbytes)} ({nbytes:,} bytes), more than the memory limit of {_bytes(limit)}: "
            f"lower {argument}, or raise the limit with accumetrics.set_memory_limit() or the "
            "ACCUMETRICS_MEMORY_LIMIT environment variable"
        )


def _bytes(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    raise AssertionError
