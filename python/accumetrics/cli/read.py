"""Predictions files read in batches of rows: Parquet, CSV, .npy and .npz, never the whole file at once.

Every reader yields :class:`Batch` objects holding numpy columns: numbers, booleans
and strings as 1-D arrays, list columns (Parquet) and 2-D arrays (.npy, .npz) as
(rows, k) arrays. Missing values (nulls, NaN) are not dropped here: each batch says
which of its rows hold one.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from .errors import UserError

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".npy": "npy", ".npz": "npz"}
_COMPRESSED = (".gz", ".bz2", ".zst", ".lz4")


@dataclass
class Batch:
    start: int                      # position of the batch's first row in the file
    columns: dict[str, np.ndarray]
    missing: np.ndarray             # bool per row: some column holds a null or NaN there
    advance: int                    # progress made: rows, or bytes for CSV


def format_of(path: str, given: str | None = None) -> str:
    if given:
        return given
    name = path.lower()
    for suffix in _COMPRESSED:
        if name.endswith(".csv" + suffix):
            return "csv"
    kind = FORMATS.get(os.path.splitext(name)[1])
    if kind is None:
        raise UserError(f"{path}: unknown file format; expected one of {', '.join(sorted(FORMATS))} "
                        "(or give it with --input-format)")
    return kind


def open_source(path: str, kind: str | None = None) -> "Source":
    if not os.path.exists(path):
        raise UserError(f"{path}: no such file")
    if os.path.isdir(path):
        raise UserError(f"{path}: is a directory, not a file")
    kind = format_of(path, kind)
    return {"parquet": ParquetSource, "csv": CsvSource, "npy": NpySource, "npz": NpzSource}[kind](path)


class Source:
    """A file of named columns: ``names``, ``num_rows`` (None when unknown before reading) and ``batches``."""

    kind = ""
    unit = "rows"  # what Batch.advance counts
    total: int | None = None

    def __init__(self, path: str):
        self.path = path
        self.names: list[str] = []
        self.num_rows: int | None = None

    def check_columns(self, names) -> None:
        for name in names:
            if name not in self.names:
                shown = ", ".join(repr(n) for n in self.names[:20]) + (" ..." if len(self.names) > 20 else "")
                raise UserError(f"{self.path}: no column {name!r}; the file has {shown}")

    def batches(self, names: list[str], batch_rows: int) -> Iterator[Batch]:
        raise NotImplementedError

    def _fail(self, e: Exception) -> UserError:
        return UserError(f"{self.path}: cannot read as {self.kind}: {str(e).strip().splitlines()[0]}")


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.compute
    except ImportError:
        raise UserError("reading Parquet and CSV needs pyarrow: pip install 'accumetrics[cli]'") from None
    return pyarrow


class ParquetSource(Source):
    kind = "Parquet"

    def __init__(self, path: str):
        super().__init__(path)
        pa = _pyarrow()
        import pyarrow.parquet as pq

        try:
            self._file = pq.ParquetFile(path, pre_buffer=False)  # pre-buffering reads every row group at once
        except (pa.ArrowException, OSError) as e:
            raise self._fail(e) from None
        self.names = list(self._file.schema_arrow.names)
        self.num_rows = self.total = self._file.metadata.num_rows

    def batches(self, names, batch_rows):
        pa = _pyarrow()
        start = 0
        try:
            for rb in self._file.iter_batches(batch_size=batch_rows, columns=list(names)):
                yield _arrow_batch(rb, names, start, rb.num_rows)
                start += rb.num_rows
        except pa.ArrowException as e:
            raise self._fail(e) from None


class CsvSource(Source):
    kind = "CSV"
    unit = "B"

    def __init__(self, path: str):
        super().__init__(path)
        pa = _pyarrow()
        self._compressed = path.lower().endswith(_COMPRESSED)
        self.total = None if self._compressed else os.path.getsize(path)
        try:
            with self._reader(None, {}) as reader:
                self.names = list(reader.schema.names)
        except (pa.ArrowException, OSError, StopIteration) as e:
            raise self._fail(e) from None
        self._floats: set[str] = set()

    def prefer_floats(self, names) -> None:
        """Read these columns as float64 whatever the first block looks like (scores, weights)."""
        self._floats = set(names)

    def _reader(self, names, types, stream=None):
        import pyarrow.csv as csv

        pa = _pyarrow()
        stream = stream or pa.input_stream(self.path)
        return csv.open_csv(stream, read_options=csv.ReadOptions(block_size=1 << 24),
                            convert_options=csv.ConvertOptions(include_columns=names, column_types=types))

    def batches(self, names, batch_rows):
        pa = _pyarrow()
        types = {n: pa.float64() for n in names if n in self._floats}
        start, done = 0, 0
        try:
            with pa.input_stream(self.path) as stream, self._reader(list(names), types, stream) as reader:
                for rb in reader:
                    for at in range(0, rb.num_rows, batch_rows):
                        part = rb.slice(at, batch_rows)
                        position = stream.tell() if self.total else 0
                        yield _arrow_batch(part, names, start, max(position - done, 0))
                        done = max(done, position)
                        start += part.num_rows
        except pa.ArrowException as e:
            raise self._fail(e) from None


def _arrow_batch(rb, names, start: int, advance: int) -> Batch:
    missing = np.zeros(rb.num_rows, dtype=bool)
    columns = {}
    for name in names:
        a, m = _arrow_column(rb.column(name), name)
        columns[name] = a
        if m is not None:
            missing |= m
    return Batch(start, columns, missing, advance)


def _arrow_column(col, name: str):
    """A pyarrow array as numpy, and the rows that are null or NaN (None when there are none)."""
    pa = _pyarrow()
    pc = pa.compute
    t = col.type
    if pa.types.is_dictionary(t):
        col, t = col.dictionary_decode(), t.value_type
    nulls = col.is_null().to_numpy(zero_copy_only=False) if col.null_count else None
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        inner = t.value_type
        if not (pa.types.is_integer(inner) or pa.types.is_floating(inner) or pa.types.is_boolean(inner)):
            raise UserError(f"column {name!r} holds lists of {inner}; lists of numbers are expected")
        lengths = pc.list_value_length(col).to_numpy(zero_copy_only=False)
        valid = lengths[~nulls] if nulls is not None else lengths
        width = int(valid[0]) if len(valid) else 0
        if len(valid) and (valid != width).any():
            other = int(valid[valid != width][0])
            raise UserError(f"column {name!r} holds lists of different lengths ({width} and {other})")
        values = pc.list_flatten(col)
        flat = _numbers(values.cast(pa.float64()) if values.null_count else values)
        if nulls is None:
            out = flat.reshape(len(col), width)
        else:
            out = np.full((len(col), width), np.nan)
            out[~nulls] = flat.reshape(-1, width)
        return out, _missing(out, nulls)
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t):
        if nulls is not None:
            col = col.cast(pa.float64())
        a = _numbers(col)
        return a, _missing(a, nulls)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        a = col.to_numpy(zero_copy_only=False)
        if nulls is not None:
            a = a.copy()
            a[nulls] = ""
        return a.astype(str), nulls
    raise UserError(f"column {name!r} has type {t}; numbers, booleans, strings or lists of numbers are expected")


def _numbers(arr) -> np.ndarray:
    a = arr.to_numpy(zero_copy_only=False)
    if a.dtype == object:  # nulls in an integer or boolean array: already cast to float64 above
        a = a.astype(np.float64)
    return a


def _missing(a: np.ndarray, nulls) -> np.ndarray | None:
    m = nulls
    if a.dtype.kind == "f":
        nan = np.isnan(a)
        nan = nan.any(axis=1) if nan.ndim == 2 else nan
        m = nan if m is None else (m | nan)
    return m


# .npy and .npz: the header says the shape and dtype, then rows follow one after the other, so batches
# are plain reads (streamed out of the zip for .npz, compressed or not).

def _npy_header(f, where: str):
    fmt = np.lib.format
    try:
        version = fmt.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = fmt.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = fmt.read_array_header_2_0(f)
        else:
            shape, fortran, dtype = fmt._read_array_header(f, version)
    except (ValueError, OSError) as e:
        raise UserError(f"{where}: not a .npy array ({e})") from None
    if dtype.hasobject:
        raise UserError(f"{where}: holds Python objects; save numbers, booleans or strings")
    if len(shape) == 0 or len(shape) > 2:
        raise UserError(f"{where}: has shape {shape}; columns of shape (rows,) or (rows, k) are expected")
    return shape, fortran, dtype


class _NpyStream:
    """Rows of one .npy array, read from an open file batch by batch."""

    def __init__(self, f, where: str, load=None):
        self.f, self.where = f, where
        self.shape, fortran, self.dtype = _npy_header(f, where)
        self.rows = self.shape[0]
        self.row_bytes = self.dtype.itemsize * int(np.prod(self.shape[1:], dtype=np.int64))
        self._whole = load() if fortran and len(self.shape) == 2 else None  # column-major: rows are not contiguous

    def read(self, start: int, n: int) -> np.ndarray:
        if self._whole is not None:
            return np.ascontiguousarray(self._whole[start:start + n])
        data = self.f.read(n * self.row_bytes)
        if len(data) != n * self.row_bytes:
            raise UserError(f"{self.where}: file ends before its {self.rows} rows")
        a = np.frombuffer(data, dtype=self.dtype).reshape((n,) + tuple(self.shape[1:]))
        return a if a.dtype.isnative else a.astype(a.dtype.newbyteorder("="))


def _numpy_batch(arrays: dict[str, np.ndarray], start: int) -> Batch:
    n = len(next(iter(arrays.values())))
    missing = np.zeros(n, dtype=bool)
    for a in arrays.values():
        if a.dtype.kind == "f":
            nan = np.isnan(a)
            missing |= nan.any(axis=1) if nan.ndim == 2 else nan
    return Batch(start, arrays, missing, n)


class NpySource(Source):
    """One array: a structured array (its fields are the columns) or a 2-D array (columns "0", "1", ...)."""

    kind = ".npy"

    def __init__(self, path: str):
        super().__init__(path)
        with open(path, "rb") as f:
            shape, _, dtype = _npy_header(f, path)
        self.num_rows = self.total = shape[0]
        if dtype.names:
            if len(shape) != 1:
                raise UserError(f"{path}: a structured array of shape {shape}; one record per row is expected")
            self.names = list(dtype.names)
        else:
            self.names = [str(i) for i in range(shape[1] if len(shape) == 2 else 1)]

    def batches(self, names, batch_rows):
        with open(self.path, "rb") as f:
            s = _NpyStream(f, self.path, lambda: np.load(self.path, mmap_mode="r"))
            for start in range(0, s.rows, batch_rows):
                block = s.read(start, min(batch_rows, s.rows - start))
                if s.dtype.names:
                    arrays = {n: np.ascontiguousarray(block[n]) for n in names}
                elif block.ndim == 1:
                    arrays = {n: block for n in names}
                else:
                    arrays = {n: np.ascontiguousarray(block[:, int(n)]) for n in names}
                yield _numpy_batch(arrays, start)


class NpzSource(Source):
    """Arrays saved by ``np.savez``: each array is a column of shape (rows,) or (rows, k)."""

    kind = ".npz"

    def __init__(self, path: str):
        super().__init__(path)
        try:
            with zipfile.ZipFile(path) as z:
                members = [m for m in z.namelist() if m.endswith(".npy")]
        except (zipfile.BadZipFile, OSError) as e:
            raise UserError(f"{path}: not an .npz file ({e})") from None
        self.names = [m[:-4] for m in members]
        if self.names:
            with zipfile.ZipFile(path) as z:
                self.num_rows = self.total = self._open(z, self.names[0]).rows

    def _open(self, z, name):
        where = f"{self.path}[{name}]"
        return _NpyStream(z.open(name + ".npy"), where, lambda: np.load(self.path)[name])

    def batches(self, names, batch_rows):
        with zipfile.ZipFile(self.path) as z:
            streams = {n: self._open(z, n) for n in names}
            rows = {n: s.rows for n, s in streams.items()}
            if len(set(rows.values())) > 1:
                raise UserError(f"{self.path}: arrays of different lengths: "
                                + ", ".join(f"{n} {r}" for n, r in rows.items()))
            total = next(iter(rows.values()), 0)
            for start in range(0, total, batch_rows):
                n = min(batch_rows, total - start)
                yield _numpy_batch({name: s.read(start, n) for name, s in streams.items()}, start)
