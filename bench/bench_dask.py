"""accumetrics.dask on 2 local worker processes against one process, on the same data.

The data is made on the workers and kept there (persisted), as it would be in a
pipeline; the single process holds the same values in numpy arrays. Each engine
computes a confusion matrix (and, with --bootstrap, a 100-replicate Poisson
bootstrap of it) with one core per process. Prints medians and the ratio
single ÷ dask: above 1, dask was faster.

    python bench/bench_dask.py                  # 20M samples, 5 repeats
    python bench/bench_dask.py --rows 5000000 --bootstrap
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("ACCUMETRICS_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
from timing import round_robin  # noqa: E402

import accumetrics as am  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--chunk", type=int, default=1_000_000)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--bootstrap", action="store_true", help="also a 100-replicate bootstrap (at a tenth of --rows)")
    args = parser.parse_args()

    import dask.array as da
    import distributed

    from accumetrics.dask import accumulate, compute

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       env={"ACCUMETRICS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    client = distributed.Client(cluster)
    am.set_num_threads(1)
    c, n = args.classes, args.rows

    state = da.random.RandomState(0)
    y = state.randint(0, c, size=n, chunks=args.chunk)
    p = da.where(state.random_sample(n, chunks=args.chunk) < 0.7, y, state.randint(0, c, size=n, chunks=args.chunk))
    y, p = client.persist([y, p])
    distributed.wait([y, p])
    y_local, p_local = client.compute([y, p], sync=True)  # the same values, in this process

    cases = {
        "confusion matrix": (
            lambda: am.ConfusionMatrix(c).update(y_local, p_local).result(),
            lambda: accumulate(lambda: am.ConfusionMatrix(c), y, p).result(),
        ),
        "f1_score macro": (
            lambda: am.f1_score(y_local, p_local, average="macro"),
            lambda: compute("f1_score", y, p, average="macro"),
        ),
    }
    if args.bootstrap:
        m = n // 10
        yb, pb = y[:m].rechunk(args.chunk // 10), p[:m].rechunk(args.chunk // 10)
        yb, pb = client.persist([yb, pb])
        make = lambda: am.Bootstrap(am.ConfusionMatrix(c), n_replicates=100, seed=1)  # noqa: E731
        cases["bootstrap 100x (n/10)"] = (
            lambda: make().update(y_local[:m], p_local[:m]).replicate_values(),
            lambda: accumulate(make, yb, pb).replicate_values(),
        )

    print(f"{n:,} samples, {c} classes, chunks of {args.chunk:,}; dask: 2 worker processes x 1 thread; "
          f"single: 1 process, 1 thread; {os.cpu_count()} CPUs on this machine\n")
    print("| case | single (s) | dask (s) | single ÷ dask |")
    print("|---|---|---|---|")
    for name, (single, distributed_fn) in cases.items():
        a, b = single(), distributed_fn()
        np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-12)
        t = round_robin({"single": single, "dask": distributed_fn}, args.repeats)
        s, d = t["single"].median(), t["dask"].median()
        print(f"| {name} | {s:.3f} | {d:.3f} | {s / d:.2f} |")
    client.close()
    cluster.close()


if __name__ == "__main__":
    main()
