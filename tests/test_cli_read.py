"""The report's readers stream: record batches of bounded size, never the whole file in memory."""

import tracemalloc

import numpy as np
import pytest

from accumetrics.cli.read import open_source

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pcsv = pytest.importorskip("pyarrow.csv")

ROWS = 3_000_000


def test_parquet_streams_in_record_batches(tmp_path):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, ROWS).astype(np.int8)
    score = rng.random(ROWS, dtype=np.float32)
    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"label": y, "score": score}), path, row_group_size=200_000)
    del y
    source = open_source(str(path))
    assert source.num_rows == ROWS
    pool = pa.default_memory_pool()
    base, peak, sizes, total = pool.bytes_allocated(), 0, [], 0.0
    for batch in source.batches(["label", "score"], 50_000):
        peak = max(peak, pool.bytes_allocated() - base)
        sizes.append(len(batch.missing))
        total += float(batch.columns["score"].sum(dtype=np.float64))
    assert sum(sizes) == ROWS and max(sizes) <= 50_000 and len(sizes) >= ROWS // 50_000
    assert total == pytest.approx(score.sum(dtype=np.float64), rel=1e-12)
    assert peak < 4 * 2**20, f"{peak / 2**20:.1f} MiB held by pyarrow while reading a {ROWS * 5 / 2**20:.0f} MiB table"


@pytest.mark.parametrize("compressed", [False, True])
def test_npz_streams_out_of_the_zip(tmp_path, compressed):
    rng = np.random.default_rng(1)
    y, p = rng.integers(0, 3, 1_000_000), rng.random((1_000_000, 3))
    path = tmp_path / "big.npz"
    (np.savez_compressed if compressed else np.savez)(path, y_true=y, y_score=p)
    source = open_source(str(path))
    tracemalloc.start()
    try:
        got = []
        for batch in source.batches(["y_true", "y_score"], 10_000):
            got.append(batch.columns["y_score"][::997].copy())
            assert batch.columns["y_true"].shape == (len(batch.missing),)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    expected = [p[i:i + 10_000][::997] for i in range(0, len(p), 10_000)]
    np.testing.assert_array_equal(np.concatenate(got), np.concatenate(expected))
    assert peak < 8 * 2**20, f"{peak / 2**20:.1f} MiB peak for a {p.nbytes / 2**20:.0f} MiB array"


def test_npy_and_csv_batches(tmp_path):
    a = np.arange(30_000, dtype=np.float64).reshape(10_000, 3)
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "f.npy", np.asfortranarray(a))
    for name in ("a.npy", "f.npy"):
        batches = list(open_source(str(tmp_path / name)).batches(["0", "2"], 3000))
        assert [len(b.missing) for b in batches] == [3000, 3000, 3000, 1000]
        np.testing.assert_array_equal(np.concatenate([b.columns["2"] for b in batches]), a[:, 2])
    pcsv.write_csv(pa.table({"label": np.arange(10_000) % 2, "score": a[:, 0]}), tmp_path / "a.csv")
    source = open_source(str(tmp_path / "a.csv"))
    batches = list(source.batches(["score"], 3000))
    assert max(len(b.missing) for b in batches) <= 3000
    np.testing.assert_array_equal(np.concatenate([b.columns["score"] for b in batches]), a[:, 0])
    assert sum(b.advance for b in batches) == source.total  # progress in bytes reaches the file size
