"""``accumetrics demo``: a small Keras model trained on scikit-learn's digits, measured with accumetrics.

Needs no data from outside: the 1,797 8x8 digit images ship with scikit-learn. The demo trains an
MLP with ``accumetrics.keras`` metrics (printed per epoch), times the same metrics from
``keras.metrics`` and ``accumetrics.keras`` side by side on the model's predictions, and writes the
predictions with a slice column (how much ink each digit has) and the report of ``accumetrics
report`` on them: per-class and per-slice numbers from the numpy accumulators. Last, it trains
a second, linear model and compares the two on the same test images with ``accumetrics compare``:
each metric for both, the difference with its paired confidence interval, per slice.
"""

from __future__ import annotations

import logging
import os
import sys
import time

import numpy as np

from .errors import UserError

INK = np.array(["light", "medium", "heavy"])


def add_arguments(p) -> None:
    p.add_argument("--epochs", type=int, default=10, help="training epochs (default 10)")
    p.add_argument("--out", default="accumetrics-demo", help="directory for the predictions, report and plots "
                   "(default ./accumetrics-demo)")
    p.add_argument("--timing-rows", type=int, default=500_000, help="rows in the timing of keras.metrics against "
                   "accumetrics.keras (default 500000)")
    p.add_argument("--seed", type=int, default=0)


def _imports():
    try:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        logging.getLogger("tensorflow").setLevel(logging.ERROR)  # Keras's AUC retraces: not the user's problem
        import keras
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split

        from ..keras import metrics as ak
    except ImportError as e:
        raise UserError(f"the demo needs Keras (with a backend) and scikit-learn ({e}): "
                        "pip install 'accumetrics[demo]'") from None
    return keras, ak, load_digits, train_test_split


def run(args) -> int:
    if args.epochs < 1 or args.timing_rows < 1:
        raise UserError("--epochs and --timing-rows must be positive")
    began = time.perf_counter()
    keras, ak, load_digits, train_test_split = _imports()
    print(f"accumetrics demo: Keras {keras.__version__} ({keras.backend.backend()} backend)\n")

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32)
    ink = np.digitize(x.sum(axis=1), np.quantile(x.sum(axis=1), [1 / 3, 2 / 3]))
    x_train, x_test, y_train, y_test, _, ink_test = train_test_split(x, y, ink, test_size=0.3, stratify=y,
                                                                     random_state=args.seed)
    print(f"data: scikit-learn's digits, {len(x_train)} training and {len(x_test)} test images of 8x8 pixels, "
          "10 classes\n")

    model = _train(keras, ak, args, x_train, y_train, x_test, y_test)
    proba = np.asarray(model.predict(x_test, verbose=0), dtype=np.float32)
    print("\nA second model, linear (softmax regression), to compare with:")
    linear = _train(keras, ak, args, x_train, y_train, x_test, y_test, hidden=0)
    proba_linear = np.asarray(linear.predict(x_test, verbose=0), dtype=np.float32)

    print("\nSame metrics, keras.metrics against accumetrics.keras "
          f"(update_state + result on {args.timing_rows:,} rows of test predictions, best of 3):\n")
    _timing(keras, ak, y_test, proba, args.timing_rows)

    os.makedirs(args.out, exist_ok=True)
    path = _save(os.path.join(args.out, "predictions"), y_test, proba, INK[ink_test], proba_linear)
    _report(path, args.out)
    _compare(path, args.out)
    print(f"\ndone in {time.perf_counter() - began:.1f} s")
    return 0


def _train(keras, ak, args, x_train, y_train, x_test, y_test, hidden=64):
    keras.utils.set_random_seed(args.seed)
    layers = [keras.layers.Dense(hidden, activation="relu")] if hidden else []
    model = keras.Sequential([keras.Input((64,)), *layers, keras.layers.Dense(10, activation="softmax")])
    from ..keras import PerClass

    metrics = [ak.SparseCategoricalAccuracy(name="accuracy"), ak.SparseTopKCategoricalAccuracy(k=3, name="top3"),
               PerClass(ak.Recall(name="recall"), num_classes=10)]  # recall/0 ... recall/9 in the logs
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=metrics)
    shown = ("loss", "accuracy", "top3")
    print("epoch  " + "  ".join(f"{n:>8}" for n in shown) + "  " + "  ".join(f"{'val_' + n:>12}" for n in shown))

    class Print(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            print(f"{epoch + 1:>5}  " + "  ".join(f"{logs.get(n, float('nan')):8.4f}" for n in shown) + "  "
                  + "  ".join(f"{logs.get('val_' + n, float('nan')):12.4f}" for n in shown), flush=True)

    history = model.fit(x_train, y_train, validation_data=(x_test, y_test), epochs=args.epochs, batch_size=64,
                        verbose=0, callbacks=[Print()])
    print("per-class val_recall, last epoch (PerClass, same pass): "
          + "  ".join(f"{c}: {history.history[f'val_recall/{c}'][-1]:.3f}" for c in range(10)))
    return model


def _timing(keras, ak, y, proba, rows) -> None:
    reps = -(-rows // len(y))
    labels, scores = np.tile(y, reps)[:rows], np.tile(proba, (reps, 1))[:rows]
    predicted = scores.argmax(axis=1)
    onehot = np.eye(10, dtype=np.float32)[labels]
    cases = [
        ("SparseCategoricalAccuracy", {}, labels, scores),
        ("SparseTopKCategoricalAccuracy", {"k": 3}, labels, scores),
        ("SparseCategoricalCrossentropy", {}, labels, scores),
        ("MeanIoU", {"num_classes": 10}, labels, predicted),
        ("AUC", {"multi_label": True, "num_labels": 10}, onehot, scores),
    ]
    print(f"{'metric':<31} {'keras':>9} {'accumetrics':>12} {'speed-up':>9}   values")
    for name, kwargs, a, b in cases:
        if not hasattr(ak, name):
            continue
        results, seconds = [], []
        for make in (getattr(keras.metrics, name), getattr(ak, name)):
            best = np.inf
            for _ in range(3):
                m = make(**kwargs)
                t = time.perf_counter()
                m.update_state(a, b)
                value = float(m.result())
                best = min(best, time.perf_counter() - t)
            results.append(value)
            seconds.append(best)
        same = "equal" if abs(results[0] - results[1]) <= 1e-5 * max(1.0, abs(results[0])) else "differ"
        print(f"{name:<31} {seconds[0] * 1e3:7.1f}ms {seconds[1] * 1e3:10.1f}ms {seconds[0] / seconds[1]:8.1f}x   "
              f"{results[0]:.6f} / {results[1]:.6f} ({same})", flush=True)


def _save(stem: str, y, proba, ink, proba_linear) -> str:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        np.savez(stem + ".npz", label=y, score=proba, ink=ink, score_linear=proba_linear)
        return stem + ".npz"
    pq.write_table(pa.table({"label": y, "score": pa.array(list(proba)), "ink": ink,
                             "score_linear": pa.array(list(proba_linear))}), stem + ".parquet")
    return stem + ".parquet"


def _report(path: str, out: str) -> None:
    from . import report
    from .render import render

    sections, curves = report.build(path, score=["score"], slice_="ink", quiet=True)
    text = render(sections, "text")
    print(f"\nThe report of `accumetrics report {path} --score score --slice ink`:\n")
    print(text)
    for fmt, ext in (("markdown", "md"), ("json", "json")):
        with open(os.path.join(out, f"report.{ext}"), "w") as f:
            f.write(render(sections, fmt) + "\n")
    written = [os.path.join(out, "report.md"), os.path.join(out, "report.json")]
    try:
        written += report.write_plots(curves, os.path.join(out, "plots"))
    except ImportError:
        print("(plots skipped: pip install 'accumetrics[plot]' for matplotlib)", file=sys.stderr)
    print("wrote " + ", ".join(written))


def _compare(path: str, out: str) -> None:
    from . import compare
    from .render import render

    sections, _ = compare.build(path, score=["score_linear", "score"], slice_="ink")
    print(f"\nThe linear model (A) against the MLP (B), `accumetrics compare {path} --score score_linear score "
          "--slice ink`:\n")
    print(render(sections, "text"))
    with open(os.path.join(out, "compare.json"), "w") as f:
        f.write(render(sections, "json") + "\n")
    print("wrote " + os.path.join(out, "compare.json"))
