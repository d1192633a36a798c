"""Per-class reporting and MetricSet add no pass over the data: time against the plain metrics, in one run.

Keras (eager updates of batches of 65,536 rows x C classes): ``Precision()`` against
``PerClass(Precision())``, ``AUC()`` against ``PerClass(AUC())``, ``F1Score`` against
``PerClass(F1Score)`` (the histogram gets one row per class in the same core call). The
updates (the pass over the data) and one ``result()`` (which reads every class from the
counts, once per class) are timed apart.
numpy: ``MetricSet`` of seven metrics against calling the seven sklearn-style
functions on every batch (each its own pass) and against the bare accumulators it
fills (one ConfusionMatrix, C BinnedAUC). Medians of round-robin repeats; ratios > 1
mean the first is slower.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from timing import round_robin  # noqa: E402


def keras_cases(y, p, batch, repeats):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from accumetrics import keras as ak

    onehot = np.eye(p.shape[1], dtype=np.float32)[y]
    names = [str(c) for c in range(p.shape[1])]
    pairs = {"Precision": (lambda: ak.Precision(), lambda: ak.PerClass(ak.Precision(), class_names=names)),
             "AUC": (lambda: ak.AUC(), lambda: ak.PerClass(ak.AUC(), class_names=names)),
             "F1Score": (lambda: ak.F1Score(), lambda: ak.PerClass(ak.F1Score(), class_names=names))}
    for name, (plain, per_class) in pairs.items():
        metrics = {"plain": plain(), "per_class": per_class()}

        def updates(m):
            def go():
                m.reset_state()
                for i in range(0, len(y), batch):
                    m.update_state(onehot[i:i + batch], p[i:i + batch])
            return go

        t = round_robin({k: updates(m) for k, m in metrics.items()}, repeats)
        r = round_robin({k: m.result for k, m in metrics.items()}, repeats)
        a, b = t["plain"].median(), t["per_class"].median()
        print(f"keras {name:10s} updates: plain {len(y) / a / 1e6:6.1f} M rows/s, PerClass {len(y) / b / 1e6:6.1f}"
              f" (PerClass / plain {b / a:4.2f});  one eager result(): plain {r['plain'].median() * 1e3:6.1f} ms,"
              f" PerClass {r['per_class'].median() * 1e3:6.1f} ms")


def numpy_cases(y, p, batch, repeats):
    import accumetrics as am

    c = p.shape[1]
    spec = {"accuracy": "accuracy_score", "precision": ("precision_score", {"average": "macro"}),
            "recall": ("recall_score", {"average": "macro"}), "f1": ("f1_score", {"average": "macro"}),
            "f1_each": ("f1_score", {"average": None}), "auc": ("roc_auc_score", {"average": "macro"}),
            "ap": ("average_precision_score", {"average": "macro"})}

    def metric_set():
        ms = am.MetricSet(spec, num_classes=c)
        for i in range(0, len(y), batch):
            ms.update(y[i:i + batch], p[i:i + batch])
        ms.result()

    def accumulators():
        cm, aucs = am.ConfusionMatrix(c), [am.BinnedAUC(1 << 16) for _ in range(c)]
        for i in range(0, len(y), batch):
            t, s = y[i:i + batch], p[i:i + batch]
            cm.update(t, np.argmax(s, axis=1))
            for k, auc in enumerate(aucs):
                auc.update(t == k, s[:, k])
        cm.result(), [a.result() for a in aucs]

    def functions():
        for i in range(0, len(y), batch):
            t, s = y[i:i + batch], p[i:i + batch]
            pred, labels = np.argmax(s, axis=1), list(range(c))
            am.accuracy_score(t, pred)
            am.precision_score(t, pred, average="macro", labels=labels, zero_division=0)
            am.recall_score(t, pred, average="macro", labels=labels, zero_division=0)
            am.f1_score(t, pred, average="macro", labels=labels, zero_division=0)
            am.f1_score(t, pred, average=None, labels=labels, zero_division=0)
            am.roc_auc_score(t, s, multi_class="ovr", average="macro", labels=labels)
            am.average_precision_score(np.eye(c)[t], s, average="macro")

    t = round_robin({"set": metric_set, "accumulators": accumulators, "functions": functions}, repeats)
    m = {k: v.median() for k, v in t.items()}
    print(f"numpy MetricSet (7 metrics) {len(y) / m['set'] / 1e6:7.1f} M rows/s   its accumulators alone "
          f"{len(y) / m['accumulators'] / 1e6:7.1f}   the 7 functions per batch {len(y) / m['functions'] / 1e6:7.1f}"
          f"   set / accumulators {m['set'] / m['accumulators']:5.2f}   functions / set {m['functions'] / m['set']:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1 << 20)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--batch", type=int, default=1 << 16)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-keras", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    y = rng.integers(0, args.classes, args.rows)
    p = rng.dirichlet(np.ones(args.classes), args.rows).astype(np.float32)
    print(f"{args.rows:,} rows, {args.classes} classes, batches of {args.batch:,}; medians of {args.repeats}")
    numpy_cases(y, p, args.batch, args.repeats)
    if not args.skip_keras:
        keras_cases(y, p, args.batch, args.repeats)


if __name__ == "__main__":
    main()
