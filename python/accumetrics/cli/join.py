"""Two predictions files joined on an id column, streamed: batches of the rows whose id is in both.

Files whose rows come in the same order of ids are zipped batch by batch. Where the ids stop
lining up, both files must be sorted by id from there on (increasing, each id once): the
rows are then merged as in a merge join, and rows whose id is in one file only are counted
and left out. Memory stays bounded by the batch size either way.
"""

from __future__ import annotations

import numpy as np

from .errors import UserError
from .read import Batch, Source


class _Side:
    """One file's batches as a queue of rows."""

    def __init__(self, source: Source, names: list[str], id_column: str, batch_rows: int):
        self.path, self.id = source.path, id_column
        self._batches = source.batches(list(dict.fromkeys([id_column, *names])), batch_rows)
        self.columns: dict[str, np.ndarray] | None = None
        self.missing = np.zeros(0, dtype=bool)
        self.done = False
        self.last = None  # the last id consumed in sorted mode

    def __len__(self) -> int:
        return len(self.missing)

    def fill(self, rows: int) -> None:
        while not self.done and len(self) < rows:
            batch = next(self._batches, None)
            if batch is None:
                self.done = True
                return
            if batch.missing.any():
                ids = batch.columns[self.id]
                bad = (ids == "") if ids.dtype.kind in "US" else np.isnan(ids.astype(np.float64))
                if bad.any():
                    row = batch.start + int(np.flatnonzero(bad)[0])
                    raise UserError(f"{self.path}: --id {self.id!r} is missing at row {row} (counting data rows from 0)")
            if self.columns is None:
                self.columns, self.missing = dict(batch.columns), batch.missing
            else:
                self.columns = {k: np.concatenate([a, batch.columns[k]]) for k, a in self.columns.items()}
                self.missing = np.concatenate([self.missing, batch.missing])

    @property
    def ids(self) -> np.ndarray:
        return self.columns[self.id]

    def take(self, rows) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The columns and missing flags at the given row indices."""
        return {k: a[rows] for k, a in self.columns.items()}, self.missing[rows]

    def drop(self, n: int) -> None:
        self.columns = {k: a[n:] for k, a in self.columns.items()}
        self.missing = self.missing[n:]

    def check_sorted(self, upto: int) -> None:
        ids = self.ids[:upto]
        steps = ids[1:] > ids[:-1]
        first_ok = self.last is None or not len(ids) or ids[0] > self.last
        if not (steps.all() and first_ok):
            raise UserError(f"{self.path}: the ids of --id {self.id!r} are neither in the same order as in the other "
                            "file nor sorted increasing (each once); sort both files by it")


def joined(source_a: Source, source_b: Source, id_column: str, names_a: list[str], names_b: list[str],
           batch_rows: int, stats: dict):
    """Batches whose columns are names_a from file A and names_b from file B (prefixed "b:"), row-aligned by id.

    ``stats`` receives the counts: "matched", "only_a", "only_b".
    """
    a = _Side(source_a, names_a, id_column, batch_rows)
    b = _Side(source_b, names_b, id_column, batch_rows)
    stats.update(matched=0, only_a=0, only_b=0)
    sorted_mode = False
    start = 0
    while True:
        a.fill(batch_rows)
        b.fill(batch_rows)
        if not len(a) or not len(b):
            stats["only_a"] += len(a)
            stats["only_b"] += len(b)
            while not a.done or not b.done:  # count what is left on one side
                for side, key in ((a, "only_a"), (b, "only_b")):
                    side.drop(len(side))
                    side.fill(batch_rows)
                    stats[key] += len(side)
            return
        m = min(len(a), len(b))
        if not sorted_mode:
            same = a.ids[:m] == b.ids[:m]
            if same.all():
                rows = np.arange(m)
                yield _batch(a, b, rows, rows, names_a, names_b, start)
                start += m
                stats["matched"] += m
                a.drop(m)
                b.drop(m)
                continue
            sorted_mode = True
        if (a.ids.dtype.kind in "US") != (b.ids.dtype.kind in "US"):
            raise UserError(f"--id {id_column!r} holds strings in one file and numbers in the other")
        a.check_sorted(len(a))
        b.check_sorted(len(b))
        # Rows up to the smaller last id of the files still being read are complete on both sides.
        ends = [side.ids[-1] for side in (a, b) if not side.done]
        if ends:
            limit = min(ends)
            cut_a, cut_b = (int(np.searchsorted(side.ids, limit, side="right")) for side in (a, b))
        else:
            cut_a, cut_b = len(a), len(b)
        common, ia, ib = np.intersect1d(a.ids[:cut_a], b.ids[:cut_b], assume_unique=True, return_indices=True)
        if len(common):
            yield _batch(a, b, ia, ib, names_a, names_b, start)
            start += len(common)
        stats["matched"] += len(common)
        stats["only_a"] += cut_a - len(common)
        stats["only_b"] += cut_b - len(common)
        for side, cut in ((a, cut_a), (b, cut_b)):
            if cut:
                side.last = side.ids[cut - 1]
            side.drop(cut)
        if not cut_a and not cut_b:  # cannot happen with sorted ids; guards against an endless loop
            raise UserError(f"--id {id_column!r}: cannot join the files")


def _batch(a: _Side, b: _Side, rows_a, rows_b, names_a, names_b, start: int) -> Batch:
    cols_a, miss_a = a.take(rows_a)
    cols_b, miss_b = b.take(rows_b)
    columns = {n: cols_a[n] for n in names_a}
    columns.update({"b:" + n: cols_b[n] for n in names_b})
    return Batch(start, columns, miss_a | miss_b, len(rows_a))
