"""accumetrics.keras against keras.metrics, one core.

    python bench/bench_keras.py                    # TensorFlow; 2M samples in batches of 65,536, 7 repeats
    python bench/bench_keras.py --quick            # fewer repeats, smaller fit and evaluate
    python bench/bench_keras.py --backend jax      # fit and evaluate on JAX (or torch)

Three parts, each printed as a markdown table with ratios (Keras time / ours):
- update loops: ``update_state`` in a ``tf.function``, one call per batch of tensors
  made beforehand (AUC(200), AUC with 200 uneven thresholds, MeanIoU(150), Precision, and
  the nine metrics of TensorFlow's imbalanced-data tutorial updated together, as in a step);
- ``fit`` with small batches (32, an MLP on scikit-learn's digits): seconds per epoch
  with Keras's metrics and with ours, and with none;
- ``evaluate`` of a segmentation-style model (per-pixel softmax over 21 classes) with
  MeanIoU, and of a binary classifier with nine threshold metrics (TP, FP, TN, FN,
  accuracy, Precision, Recall, ROC and PR AUC), on large batches, end to end.
Times are medians of round-robin repeats of the process CPU time (one thread: the CPU
time leaves out waiting for a core another process held); wall time is shown beside it.
"""

from __future__ import annotations

import argparse
import os
import sys



def _backend_argument() -> str:
    """``--backend NAME``, read before Keras is imported: Keras picks its backend once."""
    return sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv[:-1] else "tensorflow"


BACKEND = _backend_argument()
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_BACKEND"] = BACKEND
os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["ACCUMETRICS_NUM_THREADS"] = "1"

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import timing  # noqa: E402

BATCH = 65_536
SAMPLES = 2_000_000


def one_core():
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    if BACKEND == "torch":
        import torch

        torch.set_num_threads(1)
    import accumetrics

    accumetrics.set_num_threads(1)
    return tf


def update_loop(tf, metrics, y_true, y_pred, limit=None, in_graph=False):
    """A function running update_state of each of ``metrics`` over the batches, and the samples it covers.

    One ``tf.function`` call per batch, or (``in_graph``) one call running every batch's
    update, as a training step does: then TensorFlow's cost of calling a function
    (~0.3 ms here) is paid once, not per batch.
    """
    parts = [(tf.constant(y_true[i:i + BATCH]), tf.constant(y_pred[i:i + BATCH]))
             for i in range(0, len(y_true), BATCH)][:limit]
    spec = tuple(tf.TensorSpec([None], x.dtype) for x in parts[0])

    if in_graph:
        @tf.function
        def every_batch():
            for y, p in parts:
                for metric in metrics:
                    metric.update_state(y, p)

        def run():
            for metric in metrics:
                metric.reset_state()
            every_batch()
    else:
        @tf.function(input_signature=spec)
        def step(y, p):
            for metric in metrics:
                metric.update_state(y, p)

        def run():
            for metric in metrics:
                metric.reset_state()
            for y, p in parts:
                step(y, p)

    return run, sum(int(y.shape[0]) for y, _ in parts)


def table(title, rows, header):
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def tutorial_metrics(module):
    """The metric list of TensorFlow's imbalanced-data tutorial: what a binary classifier reports each step."""
    m = module
    return [m.TruePositives(name="tp"), m.FalsePositives(name="fp"), m.TrueNegatives(name="tn"),
            m.FalseNegatives(name="fn"), m.BinaryAccuracy(name="accuracy"), m.Precision(name="precision"),
            m.Recall(name="recall"), m.AUC(name="auc"), m.AUC(name="prc", curve="PR")]


def bench_updates(tf, repeats):
    import keras
    from accumetrics import keras as ak

    rng = np.random.default_rng(0)
    y = (rng.random(SAMPLES) < 0.3).astype(np.float32)
    p = np.clip(0.5 * y + rng.random(SAMPLES, dtype=np.float32) * 0.6, 0, 1).astype(np.float32)
    uneven = sorted(float(t) for t in np.unique(rng.random(198).astype(np.float32)))
    classes = 150
    t = rng.integers(0, classes, SAMPLES).astype(np.int32)
    q = np.where(rng.random(SAMPLES) < 0.7, t, rng.integers(0, classes, SAMPLES)).astype(np.int32)
    cases = [  # name, make a metric from a module, labels, predictions, target, Keras batches timed (None: all)
        ("AUC(200)", lambda m: m.AUC(num_thresholds=200), y, p, 2, None),
        ("AUC(200 uneven thresholds)", lambda m: m.AUC(thresholds=uneven), y, p, 100, 4),
        ("MeanIoU(150)", lambda m: m.MeanIoU(num_classes=classes), t, q, 5, None),
        ("Precision()", lambda m: m.Precision(), y, p, 1.5, None),
        ("nine metrics of a binary classifier", tutorial_metrics, y, p, None, None),
    ]
    rows, met = [], []
    for name, make, yt, yp, target, limit in cases:
        ours_metric, theirs_metric = make(ak), make(keras.metrics)
        ours_metric = ours_metric if isinstance(ours_metric, list) else [ours_metric]
        theirs_metric = theirs_metric if isinstance(theirs_metric, list) else [theirs_metric]
        runs, samples = {}, {}
        for mode, in_graph in (("per call", False), ("in graph", True)):
            for who, metric, lim in (("ours", ours_metric, None), ("keras", theirs_metric, limit)):
                runs[who, mode], samples[who, mode] = update_loop(tf, metric, yt, yp, lim, in_graph)
        if limit is None:  # same value before timing
            runs["ours", "per call"](), runs["keras", "per call"]()
            np.testing.assert_allclose([float(m.result()) for m in ours_metric],
                                       [float(m.result()) for m in theirs_metric], rtol=1e-5)
        times = timing.round_robin(runs, repeats)
        for mode in ("per call", "in graph"):
            rate = {who: samples[who, mode] / times[who, mode].median("cpu") / 1e6 for who in ("ours", "keras")}
            wall = {who: samples[who, mode] / times[who, mode].median("wall") / 1e6 for who in ("ours", "keras")}
            ratio = rate["ours"] / rate["keras"]
            if target is not None:
                met.append((f"{name}, {mode}", ratio, target))
            note = "" if limit is None else f" (first {limit} batches)"
            rows.append([name, mode, f"{rate['ours']:.1f} ({wall['ours']:.1f})",
                         f"{rate['keras']:.2f} ({wall['keras']:.2f}){note}", f"{ratio:.1f}x",
                         "" if target is None else f">= {target}x",
                         "" if target is None else "met" if ratio >= target else "NOT met"])
    table(f"update_state, {SAMPLES:,} samples in batches of {BATCH:,}: one tf.function call per batch, or all "
          "batches in one call; M samples/s CPU (wall)",
          rows, ["metric", "tf.function", "accumetrics", "keras", "ratio", "target", ""])
    return met


def digits():
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    return (x / 16.0).astype(np.float32), y.astype(np.int32)


def bench_fit(tf, repeats, quick):
    import keras
    from accumetrics import keras as ak

    x, y = digits()

    def model(metrics):
        keras.utils.set_random_seed(0)
        m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=metrics)
        return m

    def metrics(mod):
        return [mod.SparseCategoricalAccuracy(), mod.SparseTopKCategoricalAccuracy(k=3),
                mod.SparseCategoricalCrossentropy(), mod.MeanIoU(num_classes=10, sparse_y_pred=False)]

    models = {"no metrics": model([]), "keras.metrics": model(metrics(keras.metrics)),
              "accumetrics.keras": model(metrics(ak))}
    n = 600 if quick else len(x)

    def fit(m):
        return lambda: m.fit(x[:n], y[:n], batch_size=32, epochs=1, verbose=0, shuffle=False)

    runs = {k: fit(m) for k, m in models.items()}
    times = timing.round_robin(runs, repeats)
    base = times["keras.metrics"].median("cpu")
    rows = [[k, f"{t.median('cpu') * 1e3:.0f} ({t.median('wall') * 1e3:.0f})",
             f"{t.median('cpu') / base:.3f}"] for k, t in times.items()]
    table(f"fit, batch 32, MLP on digits ({n} samples, {-(-n // 32)} steps), ms per epoch CPU (wall)",
          rows, ["metrics", "ms per epoch", "vs keras.metrics"])
    slower = times["accumetrics.keras"].median("cpu") / base - 1
    return [("fit per epoch, accumetrics vs keras (slower by)", slower, 0.05)]


def bench_evaluate(tf, repeats, quick):
    import keras
    from accumetrics import keras as ak

    classes, side = 21, 64
    images = 512 if quick else 2048
    rng = np.random.default_rng(0)
    x = rng.random((images, side, side, 3), dtype=np.float32)
    y = rng.integers(0, classes, (images, side, side)).astype(np.int32)

    def model(metrics):
        keras.utils.set_random_seed(0)
        m = keras.Sequential([keras.Input((side, side, 3)), keras.layers.Conv2D(classes, 1, activation="softmax")])
        m.compile(loss="sparse_categorical_crossentropy", metrics=metrics)
        return m

    models = {"no metrics": model([]),
              "keras.metrics": model([keras.metrics.MeanIoU(num_classes=classes, sparse_y_pred=False)]),
              "accumetrics.keras": model([ak.MeanIoU(num_classes=classes, sparse_y_pred=False)])}
    runs = {k: (lambda m: lambda: m.evaluate(x, y, batch_size=256, verbose=0))(m) for k, m in models.items()}
    times = timing.round_robin(runs, repeats)
    a = models["keras.metrics"].evaluate(x, y, batch_size=256, verbose=0, return_dict=True)
    b = models["accumetrics.keras"].evaluate(x, y, batch_size=256, verbose=0, return_dict=True)
    iou = [next(v for k, v in logs.items() if k != "loss") for logs in (a, b)]
    base = times["keras.metrics"].median("cpu")
    pixels = images * side * side
    rows = [[k, f"{t.median('cpu'):.2f} ({t.median('wall'):.2f})", f"{pixels / t.median('cpu') / 1e6:.1f}",
             f"{base / t.median('cpu'):.2f}x"] for k, t in times.items()]
    table(f"evaluate, {images} images {side}x{side}, {classes} classes, batch 256 ({256 * side * side:,} pixels), "
          f"MeanIoU {iou[1]:.6f} (Keras {iou[0]:.6f})", rows, ["metrics", "s CPU (wall)", "M pixels/s", "speed-up"])
    return [("evaluate with MeanIoU, keras time / ours", base / times["accumetrics.keras"].median("cpu"), 1.0)]


def bench_evaluate_binary(tf, repeats, quick):
    """The metric list of TensorFlow's imbalanced-data tutorial, on a binary classifier, large batches."""
    import keras
    from accumetrics import keras as ak

    samples = 262_144 if quick else 2_097_152
    rng = np.random.default_rng(0)
    x = rng.normal(size=(samples, 16)).astype(np.float32)
    y = (x[:, :1] + rng.normal(size=(samples, 1)) > 1.5).astype(np.float32)

    def model(metric_list):
        keras.utils.set_random_seed(0)
        m = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="sigmoid")])
        m.compile(loss="binary_crossentropy", metrics=metric_list)
        return m

    models = {"no metrics": model([]), "keras.metrics": model(tutorial_metrics(keras.metrics)),
              "accumetrics.keras": model(tutorial_metrics(ak))}
    batch = 16_384
    runs = {k: (lambda m: lambda: m.evaluate(x, y, batch_size=batch, verbose=0))(m) for k, m in models.items()}
    times = timing.round_robin(runs, repeats)
    a = models["keras.metrics"].evaluate(x, y, batch_size=batch, verbose=0, return_dict=True)
    b = models["accumetrics.keras"].evaluate(x, y, batch_size=batch, verbose=0, return_dict=True)
    np.testing.assert_allclose([b[k] for k in a], [a[k] for k in a], rtol=1e-5)
    base = times["keras.metrics"].median("cpu")
    rows = [[k, f"{t.median('cpu'):.2f} ({t.median('wall'):.2f})", f"{samples / t.median('cpu') / 1e6:.1f}",
             f"{base / t.median('cpu'):.2f}x"] for k, t in times.items()]
    table(f"evaluate, {samples:,} samples, batch {batch:,}, a binary classifier with TP, FP, TN, FN, accuracy, "
          "Precision, Recall, AUC and PR AUC", rows, ["metrics", "s CPU (wall)", "M samples/s", "speed-up"])
    return [("evaluate with nine binary metrics, keras time / ours", base / times["accumetrics.keras"].median("cpu"),
             1.0)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--only", choices=("updates", "fit", "evaluate"))
    parser.add_argument("--backend", choices=("tensorflow", "jax", "torch"), default="tensorflow",
                        help="Keras backend; update loops (tf.function) run on TensorFlow only")
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 7)
    tf = one_core()
    import keras

    print(f"# accumetrics.keras vs keras.metrics: one core, keras {keras.__version__} on {BACKEND}, "
          f"tensorflow {tf.__version__}, {repeats} repeats, medians")
    results = []
    if args.only in (None, "updates") and BACKEND == "tensorflow":
        results += bench_updates(tf, repeats)
    if args.only in (None, "fit"):
        results += bench_fit(tf, repeats, args.quick)
    if args.only in (None, "evaluate"):
        results += bench_evaluate(tf, repeats, args.quick)
        results += bench_evaluate_binary(tf, repeats, args.quick)
    print("\n### Targets\n")
    for name, value, target in results:
        if name.startswith("fit"):
            ok = value <= target
            print(f"- {name}: {value * 100:+.1f}% (target <= +{target * 100:.0f}%): {'met' if ok else 'NOT met'}")
        else:
            ok = value >= target
            print(f"- {name}: {value:.1f}x (target >= {target}x): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
