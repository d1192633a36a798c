"""End-to-end epochs of ``fit`` and ``evaluate``: no metrics, keras.metrics, accumetrics.keras.

    python bench/bench_keras_e2e.py                     # TensorFlow, every workload, 5 repeats
    python bench/bench_keras_e2e.py --backend jax       # the same on JAX (or torch)
    python bench/bench_keras_e2e.py --quick --only tabular_evaluate

Each workload builds the same model three times (same seed), compiled with no metrics, with
Keras's and with ours, and times one epoch of each round-robin; it prints the median epoch,
ours / Keras, and the overhead ratio (ours - none) / (Keras - none): the share of Keras's metric
cost that ours costs. One core for every library. Values are checked equal before timing.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# bench_keras reads --backend and sets the one-core environment before Keras is imported
from bench_keras import BACKEND, one_core, table, tutorial_metrics  # noqa: E402

import numpy as np  # noqa: E402

import timing  # noqa: E402


def digits_fit(batch):
    def data():
        from sklearn.datasets import load_digits

        x, y = load_digits(return_X_y=True)
        return (x / 16.0).astype(np.float32), np.eye(10, dtype=np.float32)[y]

    def build(keras, metrics):
        m = keras.Sequential([keras.Input((64,)), keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
        m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=metrics)
        return m

    def metrics(mod):
        return [mod.AUC(), mod.Precision(), mod.Recall(), mod.F1Score(average="macro")]

    return dict(name=f"digits MLP fit, batch {batch}, AUC+Precision+Recall+F1(macro)", data=data, build=build,
                metrics=metrics, run="fit", batch=batch)


def tabular(run, rows, batch, steps_per_execution=1):
    def data():
        rng = np.random.default_rng(0)
        x = rng.normal(size=(rows, 16)).astype(np.float32)
        y = (x[:, :1] + rng.normal(size=(rows, 1)) > 1.5).astype(np.float32)
        return x, y

    def build(keras, metrics):
        m = keras.Sequential([keras.Input((16,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
        m.compile(optimizer="adam", loss="binary_crossentropy", metrics=metrics,
                  steps_per_execution=steps_per_execution)
        return m

    steps = f", steps_per_execution={steps_per_execution}" if steps_per_execution > 1 else ""
    return dict(name=f"{rows:,}x16 tabular binary {run}, batch {batch:,}{steps}, nine metrics (TP/FP/TN/FN/"
                     "accuracy/Precision/Recall/AUC/PR AUC)", data=data, build=build, metrics=tutorial_metrics,
                run=run, batch=batch)


def multilabel_fit(rows, labels=8, batch=1024):
    def data():
        rng = np.random.default_rng(0)
        x = rng.normal(size=(rows, 32)).astype(np.float32)
        y = (x[:, :labels] + rng.normal(size=(rows, labels)) > 0.8).astype(np.float32)
        return x, y

    def build(keras, metrics):
        m = keras.Sequential([keras.Input((32,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(labels, activation="sigmoid")])
        m.compile(optimizer="adam", loss="binary_crossentropy", metrics=metrics)
        return m

    def metrics(mod):
        return [mod.AUC(multi_label=True, num_labels=labels), mod.Precision(), mod.Recall(),
                mod.F1Score(average="macro", threshold=0.5)]

    return dict(name=f"{rows:,}-row {labels}-label fit, batch {batch:,}, AUC(multi_label=True), Precision, Recall, "
                     "F1Score(macro)", data=data, build=build, metrics=metrics, run="fit", batch=batch)


def multiclass_evaluate(rows=1_000_000, classes=20, batch=8192):
    def data():
        rng = np.random.default_rng(0)
        x = rng.normal(size=(rows, 32)).astype(np.float32)
        y = (np.abs(x[:, :classes]).argmax(axis=1) + rng.integers(0, 2, rows)) % classes
        return x, y.astype(np.int32)

    def build(keras, metrics):
        m = keras.Sequential([keras.Input((32,)), keras.layers.Dense(classes, activation="softmax")])
        m.compile(loss="sparse_categorical_crossentropy", metrics=metrics)
        return m

    def metrics(mod):
        return [mod.SparseCategoricalAccuracy(), mod.SparseTopKCategoricalAccuracy(k=5),
                mod.MeanIoU(num_classes=classes, sparse_y_pred=False)]

    return dict(name=f"{rows:,}-row {classes}-class evaluate, batch {batch:,}, SparseCategoricalAccuracy, "
                     f"SparseTopKCategoricalAccuracy(5), MeanIoU({classes})", data=data, build=build,
                metrics=metrics, run="evaluate", batch=batch)


def segmentation_evaluate(images=2048, side=64, classes=21):
    def data():
        rng = np.random.default_rng(0)
        x = rng.random((images, side, side, 3), dtype=np.float32)
        return x, rng.integers(0, classes, (images, side, side)).astype(np.int32)

    def build(keras, metrics):
        m = keras.Sequential([keras.Input((side, side, 3)), keras.layers.Conv2D(classes, 1, activation="softmax")])
        m.compile(loss="sparse_categorical_crossentropy", metrics=metrics)
        return m

    def metrics(mod):
        return [mod.MeanIoU(num_classes=classes, sparse_y_pred=False)]

    return dict(name=f"segmentation evaluate, {images} images {side}x{side}, {classes} classes, batch 256, MeanIoU",
                data=data, build=build, metrics=metrics, run="evaluate", batch=256)


WORKLOADS = {
    "digits_fit_32": lambda quick: digits_fit(32),
    "digits_fit_256": lambda quick: digits_fit(256),
    "tabular_fit": lambda quick: tabular("fit", 50_000 if quick else 200_000, 1024),
    "tabular_evaluate": lambda quick: tabular("evaluate", 262_144 if quick else 2_000_000, 16_384),
    "tabular_evaluate_spe16": lambda quick: tabular("evaluate", 262_144 if quick else 2_000_000, 4096,
                                                    steps_per_execution=16),
    "multilabel_fit": lambda quick: multilabel_fit(50_000 if quick else 200_000),
    "multiclass_evaluate": lambda quick: multiclass_evaluate(rows=131_072 if quick else 1_000_000),
    "segmentation_evaluate": lambda quick: segmentation_evaluate(images=512 if quick else 2048),
}


def bench(workload, repeats):
    import keras
    from accumetrics import keras as ak

    x, y = workload["data"]()
    batch = workload["batch"]

    def model(metrics):
        keras.utils.set_random_seed(0)
        return workload["build"](keras, metrics)

    models = {"no metrics": model([]), "keras.metrics": model(workload["metrics"](keras.metrics)),
              "accumetrics.keras": model(workload["metrics"](ak))}

    def epoch(m):
        if workload["run"] == "fit":
            return lambda: m.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)
        return lambda: m.evaluate(x, y, batch_size=batch, verbose=0)

    if workload["run"] == "evaluate":  # fit changes the weights; evaluate's logs must agree
        a = models["keras.metrics"].evaluate(x, y, batch_size=batch, verbose=0)  # names may differ: _1 suffixes
        b = models["accumetrics.keras"].evaluate(x, y, batch_size=batch, verbose=0)
        np.testing.assert_allclose(b, a, rtol=1e-4)
    times = timing.round_robin({k: epoch(m) for k, m in models.items()}, repeats)
    none, theirs, ours = (times[k].median("cpu") for k in models)
    rows = [[k, f"{t.median('cpu') * 1e3:.0f} ({t.median('wall') * 1e3:.0f})", f"{t.spread('cpu'):.2f}"]
            for k, t in times.items()]
    table(workload["name"], rows, ["metrics", "ms per epoch, CPU (wall)", "spread"])
    print(f"\nours / Keras {ours / theirs:.2f}; Keras's metrics add {(theirs - none) / none:+.0%}, ours "
          f"{(ours - none) / none:+.0%}; overhead ratio {(ours - none) / max(theirs - none, 1e-9):.2f}")
    return workload["name"], none, theirs, ours


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("tensorflow", "jax", "torch"), default="tensorflow")
    parser.add_argument("--only", choices=tuple(WORKLOADS), action="append")
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--quick", action="store_true", help="smaller data, 3 repeats")
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 5)
    tf = one_core()
    import keras

    from machine import describe

    print(f"# fit and evaluate end to end: keras {keras.__version__} on {BACKEND}, tensorflow {tf.__version__}, "
          f"one core, {repeats} repeats, medians of process CPU time\n")
    print("\n".join(describe()))
    summary = [bench(WORKLOADS[name](args.quick), repeats) for name in (args.only or WORKLOADS)]
    table("summary", [[name, f"{none * 1e3:.0f}", f"{(theirs - none) / none:+.0%}", f"{(ours - none) / none:+.0%}",
                       f"{ours / theirs:.2f}", f"{(ours - none) / max(theirs - none, 1e-9):.2f}"]
                      for name, none, theirs, ours in summary],
          ["workload", "no metrics, ms", "keras.metrics", "accumetrics.keras", "ours / Keras", "overhead ratio"])


if __name__ == "__main__":
    main()
