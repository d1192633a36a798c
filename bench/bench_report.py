"""`accumetrics report` on a 10M-row Parquet file: time, peak memory, and the share of time spent in
metrics against reading.

    python bench/bench_report.py [--rows 10000000] [--keep FILE]

Each measurement runs in a fresh process, so its peak RSS is its own: the full report, and a pass
that only reads the same columns in the same record batches, twice (the report reads the file
twice: a scan for classes, slices and score range, then the metrics pass).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

READ_ONLY = """
import sys, time
from accumetrics.cli.read import open_source
path, batch_rows = sys.argv[1], int(sys.argv[2])
source = open_source(path)
start = time.perf_counter()
for _ in range(2):
    for batch in source.batches(["label", "score", "region"], batch_rows):
        pass
print(time.perf_counter() - start)
"""

REPORT = """
import sys, time
from accumetrics.cli import main
start = time.perf_counter()
assert main(["report", sys.argv[1], "--slice", "region", "--quiet", "--output", sys.argv[2]]) == 0
print(time.perf_counter() - start)
"""


def write_file(path: str, rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    chunk = 1_000_000
    with pq.ParquetWriter(path, pa.schema([("label", pa.int8()), ("score", pa.float32()),
                                           ("region", pa.string())])) as writer:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            label = rng.integers(0, 2, n, dtype=np.int8)
            score = np.clip(0.3 * label + 0.7 * rng.random(n), 0, 1).astype(np.float32)
            region = np.array(["asia", "eu", "us", "latam", "africa"])[rng.integers(0, 5, n)]
            writer.write_table(pa.table({"label": label, "score": score, "region": region}), row_group_size=250_000)


def measure(code: str, *args: str) -> tuple[float, float]:
    """(seconds reported by the child, its peak RSS in MiB)."""
    wrapper = code + "\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    out = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True, check=True).stdout
    seconds, rss_kib = out.split()[-2:]
    return float(seconds), int(rss_kib) / 1024


def written(path: str, rows: int, write) -> str:
    """`path`, where `write(path, rows)` has written `rows` rows unless the file was there (a --keep file)."""
    if os.path.exists(path):
        return path
    start = time.perf_counter()
    write(path, rows)
    print(f"wrote {rows:,} rows ({os.path.getsize(path) / 2**20:.0f} MiB) in {time.perf_counter() - start:.1f} s")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keep", help="write the Parquet file here (and keep it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = written(args.keep or os.path.join(tmp, "predictions.parquet"), args.rows, write_file)
        from accumetrics.cli.report import BATCH_ROWS

        reading, read_rss = measure(READ_ONLY, path, str(BATCH_ROWS))
        total, report_rss = measure(REPORT, path, os.path.join(tmp, "report.txt"))
        metrics = max(total - reading, 0.0)
        print(f"\n| {args.rows:,} rows, binary, 5 slices | seconds | peak RSS |")
        print("|---|---:|---:|")
        print(f"| `accumetrics report --slice region` | {total:.2f} | {report_rss:.0f} MiB |")
        print(f"| reading the same columns twice, nothing else | {reading:.2f} | {read_rss:.0f} MiB |")
        print(f"\nmetrics (everything but reading): {metrics:.2f} s, {100 * metrics / total:.0f}% of the report; "
              f"{args.rows / total / 1e6:.1f} M rows/s end to end")


if __name__ == "__main__":
    main()
