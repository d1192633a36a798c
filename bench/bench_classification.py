"""accumetrics' sklearn-compatible classification functions against sklearn.metrics, one core.

    python bench/bench_classification.py [--samples 10000000] [--classes 150] [--repeats 3]

Prints the median time of each function (wall and process CPU) and the ratio sklearn / accumetrics
against the targets of the issue: confusion_matrix >= 30x, f1_score(average='macro') and
classification_report >= 20x.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from machine import describe
from sklearn import metrics as sk
from timing import round_robin

import accumetrics

TARGETS = {"confusion_matrix": 30, "f1_score(average='macro')": 20, "classification_report": 20}


def cases(y_true, y_pred):
    return {
        "confusion_matrix": lambda m: m.confusion_matrix(y_true, y_pred),
        "f1_score(average='macro')": lambda m: m.f1_score(y_true, y_pred, average="macro"),
        "classification_report": lambda m: m.classification_report(y_true, y_pred, zero_division=0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000_000)
    parser.add_argument("--classes", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    accumetrics.set_num_threads(1)
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, args.classes, args.samples)
    y_pred = np.where(rng.random(args.samples) < 0.7, y_true, rng.integers(0, args.classes, args.samples))

    for line in describe():
        print(line)
    print(f"{args.samples:,} samples, {args.classes} classes, int64 labels, accumetrics on 1 thread\n")
    print(f"{'function':28s} {'sklearn s':>10s} {'accumetrics s':>14s} {'ratio':>7s} {'target':>7s}  (CPU-time ratio)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, call in cases(y_true, y_pred).items():
            ours, theirs = call(accumetrics), call(sk)
            if isinstance(ours, np.ndarray):
                assert np.array_equal(ours, theirs), name
            else:
                assert ours == theirs or np.isclose(ours, theirs, rtol=1e-12), name
            t = round_robin({"sklearn": lambda: call(sk), "accumetrics": lambda: call(accumetrics)}, args.repeats)
            sk_s, our_s = t["sklearn"].median(), t["accumetrics"].median()
            cpu_ratio = t["sklearn"].median("cpu") / t["accumetrics"].median("cpu")
            ok = "ok" if sk_s / our_s >= TARGETS[name] else "MISS"
            print(f"{name:28s} {sk_s:10.3f} {our_s:14.4f} {sk_s / our_s:6.1f}x {TARGETS[name]:5d}x {ok:4s} ({cpu_ratio:.1f}x)")


if __name__ == "__main__":
    main()
