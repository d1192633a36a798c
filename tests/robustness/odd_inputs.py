"""Odd versions of a valid input array: other dtypes, shapes, values and memory layouts.

Each kind turns a valid 1-D array into an input a careless or hostile caller might pass instead.
"""

from __future__ import annotations

import numpy as np


def _as(dtype):
    def make(a):
        with np.errstate(all="ignore"):
            return np.asarray(a).astype(dtype)
    return make


def _with(value, at=0):
    def make(a):
        out = np.asarray(a, dtype=np.float64).copy()
        if out.size:
            out.flat[at] = value
        return out
    return make


def _read_only(a):
    out = np.array(a)
    out.setflags(write=False)
    return out


def _strided(a):
    a = np.asarray(a)
    big = np.empty((a.shape[0] * 2,) + a.shape[1:], a.dtype)
    big[::2] = a
    return big[::2]


def _fortran(a):
    a = np.asarray(a)
    return np.asfortranarray(np.stack([a, a], axis=1))


def _object_mixed(a):
    out = np.asarray(a).astype(object)
    if out.size:
        out[0] = None
    return out


def _ragged(a):
    items = np.asarray(a).tolist()
    return [items[:1], items[1:]] if len(items) > 1 else [items, []]


def _strings(a):
    return np.asarray(a).astype(str)


def _number_strings(a):
    return [str(x) for x in np.asarray(a).tolist()]


KINDS = {
    # dtypes
    "bool": _as(np.bool_),
    "int8": _as(np.int8),
    "int16": _as(np.int16),
    "int32": _as(np.int32),
    "int64": _as(np.int64),
    "uint8": _as(np.uint8),
    "uint16": _as(np.uint16),
    "uint32": _as(np.uint32),
    "uint64": _as(np.uint64),
    "float16": _as(np.float16),
    "float32": _as(np.float32),
    "float64": _as(np.float64),
    "big-endian int32": _as(">i4"),
    "big-endian float64": _as(">f8"),
    "little-endian float32": _as("<f4"),
    "complex128": _as(np.complex128),
    "object numbers": _as(object),
    "object with None": _object_mixed,
    "unicode strings": _strings,
    "byte strings": _as("S8"),
    "list of number strings": _number_strings,
    "datetime64": _as("datetime64[s]"),
    "python list": lambda a: np.asarray(a).tolist(),
    "python tuple": lambda a: tuple(np.asarray(a).tolist()),
    # shapes
    "0-d": lambda a: np.asarray(a).reshape(-1)[:1].reshape(()),
    "empty": lambda a: np.asarray(a)[:0],
    "ragged": _ragged,
    "3-D": lambda a: np.asarray(a).reshape(-1, 1, 1),
    "column (n, 1)": lambda a: np.asarray(a).reshape(-1, 1),
    "row (1, n)": lambda a: np.asarray(a).reshape(1, -1),
    "one too many": lambda a: np.concatenate([np.asarray(a), np.asarray(a)[:1]]),
    "one too few": lambda a: np.asarray(a)[:-1],
    "None": lambda a: None,
    "python scalar": lambda a: np.asarray(a).reshape(-1)[0].item(),
    # values
    "NaN": _with(np.nan),
    "inf": _with(np.inf, 1),
    "-inf": _with(-np.inf),
    "huge": _with(1e300, 1),
    "negative": _with(-1.0, 1),
    "negative fraction": _with(-0.25),
    "fraction": _with(0.5, 1),
    "-0.0": _with(-0.0),
    "2**62": lambda a: np.where(np.arange(np.asarray(a).size) == 1, 2**62, np.asarray(a).astype(np.int64)),
    "above 2**63": lambda a: np.where(np.arange(np.asarray(a).size) == 0, np.uint64(2**63 + 5),
                                     np.asarray(a).astype(np.uint64)),
    "all zero": lambda a: np.zeros_like(np.asarray(a, dtype=np.float64)),
    # memory layouts
    "non-contiguous view": _strided,
    "reversed view": lambda a: np.ascontiguousarray(np.asarray(a)[::-1])[::-1],
    "read-only": _read_only,
    "Fortran-order 2-D": _fortran,
}

# Odd values for a size or count argument of a constructor.
SCALARS = {
    "0": 0,
    "-1": -1,
    "2.5": 2.5,
    "2.0": 2.0,
    "'3'": "3",
    "None": None,
    "True": True,
    "nan": float("nan"),
    "inf": float("inf"),
    "10**30": 10**30,
    "2**63": 2**63,
    "np.int64(3)": np.int64(3),
    "np.uint8(3)": np.uint8(3),
    "[3]": [3],
    "np.array(3)": np.array(3),
    "1j": 1j,
}
