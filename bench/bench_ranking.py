"""accumetrics' exact ranking metrics against sklearn.metrics (and torchmetrics' exact BinaryAUROC), one core.

    python bench/bench_ranking.py [--samples 10000000 2000000] [--repeats 3]

Prints, for each size, the median time of each function (wall and process CPU) and the ratios
peer / accumetrics against the targets of the issue: roc_auc_score and average_precision_score
>= 30x sklearn. Scores are float64 (uniform random: all distinct), labels int64; also float32
scores and weights.
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


def run(samples: int, repeats: int, auroc) -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, samples)
    s = rng.random(samples) * 0.7 + y * 0.3
    s32 = s.astype(np.float32)
    w = rng.random(samples)
    cases = {
        "roc_auc_score": lambda m: m.roc_auc_score(y, s),
        "average_precision_score": lambda m: m.average_precision_score(y, s),
        "roc_auc_score float32": lambda m: m.roc_auc_score(y, s32),
        "roc_auc_score weighted": lambda m: m.roc_auc_score(y, s, sample_weight=w),
        "average_precision weighted": lambda m: m.average_precision_score(y, s, sample_weight=w),
    }
    print(f"\n{samples:,} samples, int64 labels, float64 scores unless noted, accumetrics on 1 thread")
    print(f"{'function':28s} {'peer s':>8s} {'ours s':>8s} {'wall':>7s} {'CPU':>7s}  target")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, call in cases.items():
            ours, theirs = call(accumetrics), call(sk)
            assert np.isclose(ours, theirs, rtol=1e-12, atol=1e-12), (name, ours, theirs)
            t = round_robin({"sklearn": lambda: call(sk), "accumetrics": lambda: call(accumetrics)}, repeats)
            report(name, t["sklearn"], t["accumetrics"], TARGET)
        if auroc is None:
            print("BinaryAUROC (torchmetrics): not installed")
            return
        assert np.isclose(auroc(y, s), accumetrics.roc_auc_score(y, s), rtol=1e-6)  # torchmetrics may round to float32
        t = round_robin({"torchmetrics": lambda: auroc(y, s), "accumetrics": lambda: accumetrics.roc_auc_score(y, s)},
                        repeats)
        report("BinaryAUROC (torchmetrics)", t["torchmetrics"], t["accumetrics"], None)


def report(name: str, peer, ours, target) -> None:
    wall = peer.median() / ours.median()
    cpu = peer.median("cpu") / ours.median("cpu")
    verdict = "" if target is None else f"{target}x {'ok' if min(wall, cpu) >= target else 'MISS'}"
    print(f"{name:28s} {peer.median():8.3f} {ours.median():8.4f} {wall:6.1f}x {cpu:6.1f}x  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, nargs="+", default=[10_000_000, 2_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    accumetrics.set_num_threads(1)
    for line in describe():
        print(line)
    print("peer: sklearn, or torchmetrics (exact, thresholds=None, torch on 1 thread); ratios peer / accumetrics")
    auroc = torchmetrics_auroc()
    for samples in args.samples:
        run(samples, args.repeats, auroc)


if __name__ == "__main__":
    main()
