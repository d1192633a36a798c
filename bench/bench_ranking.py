"""accumetrics' exact ranking metrics against sklearn.metrics (and torchmetrics' exact BinaryAUROC), one core.

    python bench/bench_ranking.py [--samples 10000000] [--repeats 3]

Prints the median time of each function (wall and process CPU) and the ratio peer / accumetrics
against the targets of the issue: roc_auc_score and average_precision_score >= 30x sklearn.
Scores are float64 (uniform random: all distinct), labels int64; also float32 scores and weights.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from machine import describe
from sklearn import metrics as sk
from timing import round_robin

import accumetrics

TARGET = 30


def torchmetrics_auroc():
    try:
        import torch
        from torchmetrics.functional.classification import binary_auroc
    except ImportError:
        return None
    torch.set_num_threads(1)
    return lambda y, s: float(binary_auroc(torch.from_numpy(s), torch.from_numpy(y), thresholds=None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    accumetrics.set_num_threads(1)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, args.samples)
    s = rng.random(args.samples) * 0.7 + y * 0.3
    s32 = s.astype(np.float32)
    w = rng.random(args.samples)
    cases = {
        "roc_auc_score": lambda m: m.roc_auc_score(y, s),
        "average_precision_score": lambda m: m.average_precision_score(y, s),
        "roc_auc_score float32": lambda m: m.roc_auc_score(y, s32),
        "roc_auc_score weighted": lambda m: m.roc_auc_score(y, s, sample_weight=w),
        "average_precision weighted": lambda m: m.average_precision_score(y, s, sample_weight=w),
    }

    for line in describe():
        print(line)
    print(f"{args.samples:,} samples, int64 labels, float64 scores unless noted, accumetrics on 1 thread\n")
    print(f"{'function':28s} {'sklearn s':>10s} {'accumetrics s':>14s} {'ratio':>7s} {'target':>7s}  (CPU-time ratio)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, call in cases.items():
            ours, theirs = call(accumetrics), call(sk)
            assert np.isclose(ours, theirs, rtol=1e-12, atol=1e-12), (name, ours, theirs)
            t = round_robin({"sklearn": lambda: call(sk), "accumetrics": lambda: call(accumetrics)}, args.repeats)
            sk_s, our_s = t["sklearn"].median(), t["accumetrics"].median()
            cpu_ratio = t["sklearn"].median("cpu") / t["accumetrics"].median("cpu")
            ok = "ok" if sk_s / our_s >= TARGET else "MISS"
            print(f"{name:28s} {sk_s:10.3f} {our_s:14.4f} {sk_s / our_s:6.1f}x {TARGET:5d}x {ok:4s} ({cpu_ratio:.1f}x)")

        auroc = torchmetrics_auroc()
        if auroc is None:
            print("\ntorchmetrics: not installed")
            return
        assert np.isclose(auroc(y, s), accumetrics.roc_auc_score(y, s), rtol=1e-6)  # torchmetrics may round scores to float32
        t = round_robin({"torchmetrics": lambda: auroc(y, s), "accumetrics": lambda: accumetrics.roc_auc_score(y, s)},
                        args.repeats)
        tm_s, our_s = t["torchmetrics"].median(), t["accumetrics"].median()
        cpu_ratio = t["torchmetrics"].median("cpu") / t["accumetrics"].median("cpu")
        print(f"\n{'BinaryAUROC (torchmetrics)':28s} {tm_s:10.3f} {our_s:14.4f} {tm_s / our_s:6.1f}x"
              f"         ({cpu_ratio:.1f}x)  exact, thresholds=None, torch on 1 thread")


if __name__ == "__main__":
    main()
