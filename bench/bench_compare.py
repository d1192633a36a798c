"""`accumetrics compare` on a 10M-row Parquet file of two models' scores: time and peak memory, beside
`accumetrics report` of one model on the same file.

    python bench/bench_compare.py [--rows 10000000] [--replicates 200] [--keep FILE]

Each measurement runs in a fresh process, so its peak RSS is its own. No peer compares two models
while streaming: TensorFlow Model Analysis does it offline on Beam; sklearn and torchmetrics do not.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

import numpy as np

from bench_report import measure, written

COMPARE = """
import sys, time
from accumetrics.cli import main
start = time.perf_counter()
code = main(["compare", sys.argv[1], "--score", "score_a", "score_b", "--slice", "region", "--quiet",
             "--replicates", sys.argv[3], "--fail-if", "roc_auc:-0.002", "--output", sys.argv[2]])
assert code in (0, 1)
print(time.perf_counter() - start)
"""

REPORT = """
import sys, time
from accumetrics.cli import main
start = time.perf_counter()
assert main(["report", sys.argv[1], "--score", "score_b", "--slice", "region", "--quiet", "--output",
             sys.argv[2]]) == 0
print(time.perf_counter() - start)
"""


def write_file(path: str, rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    chunk = 1_000_000
    schema = pa.schema([("label", pa.int8()), ("score_a", pa.float32()), ("score_b", pa.float32()),
                        ("region", pa.string())])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            label = rng.integers(0, 2, n, dtype=np.int8)
            shared = rng.random(n)
            a = np.clip(0.25 * label + 0.45 * shared + 0.3 * rng.random(n), 0, 1).astype(np.float32)
            b = np.clip(0.3 * label + 0.45 * shared + 0.25 * rng.random(n), 0, 1).astype(np.float32)
            region = np.array(["asia", "eu", "us", "latam", "africa"])[rng.integers(0, 5, n)]
            writer.write_table(pa.table({"label": label, "score_a": a, "score_b": b, "region": region}),
                               row_group_size=250_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--keep", help="write the Parquet file here (and keep it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = written(args.keep or os.path.join(tmp, "two_models.parquet"), args.rows, write_file)
        report, report_rss = measure(REPORT, path, os.path.join(tmp, "report.txt"))
        compare, compare_rss = measure(COMPARE, path, os.path.join(tmp, "compare.txt"), str(args.replicates))
        print(f"\n| {args.rows:,} rows, binary, 5 slices | seconds | peak RSS |")
        print("|---|---:|---:|")
        print(f"| `accumetrics compare --slice region` ({args.replicates} replicates) | {compare:.2f} | "
              f"{compare_rss:.0f} MiB |")
        print(f"| `accumetrics report --slice region` (model B alone) | {report:.2f} | {report_rss:.0f} MiB |")
        print(f"\ncompare / report: {compare / report:.2f}x the time; {args.rows / compare / 1e6:.2f} M rows/s")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
