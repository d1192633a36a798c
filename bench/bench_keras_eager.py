"""The eager loop of the Keras docs and tutorials: ``update_state`` + ``result()`` after each batch.

    python bench/bench_keras_eager.py                     # TensorFlow, JAX and torch, each in its own process
    python bench/bench_keras_eager.py --backend jax       # one backend
    python bench/bench_keras_eager.py --quick

For each metric and batch size (256 and 4,096 rows), calls of ``update_state`` then ``result()`` on the
backend's eager tensors, in blocks of 200, keras.metrics' and accumetrics.keras's blocks round-robin; the
median block's microseconds a call, and ours / Keras. Then a loop over a dataset (64 batches of 256) updating AUC,
Precision, Recall and F1Score and reading their results after each batch: Keras's time / ours.
Values are checked equal (float32 tolerance) before timing. One core for every library.
"""

from __future__ import annotations

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# bench_keras reads --backend and sets the one-core environment before Keras is imported
from bench_keras import BACKEND, one_core, table  # noqa: E402

import numpy as np  # noqa: E402

import timing  # noqa: E402

BATCHES = (256, 4096)
LOOP_BATCHES, LOOP_ROWS = 64, 256
CLASSES = 10


def cases(mod):
    """(name, metric factory, inputs kind): the metrics a custom loop reports most."""
    return [
        ("AUC", lambda: mod.AUC(), "binary"),
        ("Precision", lambda: mod.Precision(), "binary"),
        ("Recall", lambda: mod.Recall(), "binary"),
        ("BinaryAccuracy", lambda: mod.BinaryAccuracy(), "binary"),
        ("Mean", lambda: mod.Mean(), "values"),
        ("SparseCategoricalAccuracy", lambda: mod.SparseCategoricalAccuracy(), "sparse"),
        ("F1Score(threshold=0.5)", lambda: mod.F1Score(threshold=0.5), "binary_2d"),
        (f"MeanIoU({CLASSES})", lambda: mod.MeanIoU(num_classes=CLASSES), "labels"),
    ]


def inputs(kind, rows, rng, keras):
    """The batch as the backend's tensors: the arguments of ``update_state``."""
    if kind == "values":
        args = (rng.random(rows).astype(np.float32),)
    elif kind == "binary":
        args = ((rng.random(rows) < 0.3).astype(np.float32), rng.random(rows).astype(np.float32))
    elif kind == "binary_2d":
        args = ((rng.random((rows, 1)) < 0.3).astype(np.float32), rng.random((rows, 1)).astype(np.float32))
    elif kind == "sparse":
        scores = rng.random((rows, CLASSES)).astype(np.float32)
        args = (rng.integers(0, CLASSES, rows).astype(np.int32), scores / scores.sum(axis=1, keepdims=True))
    else:
        args = (rng.integers(0, CLASSES, rows).astype(np.int32), rng.integers(0, CLASSES, rows).astype(np.int32))
    return tuple(keras.ops.convert_to_tensor(a) for a in args)


def calls(metric, args, count):
    """``count`` calls of update_state + result(), timed as one block (a timer around each call would cost
    about what the calls of a small metric cost)."""
    def block():
        for _ in range(count):
            metric.update_state(*args)
            metric.result()

    return block


def check_equal(name, ours, theirs, args):
    for m in (ours, theirs):
        m.reset_state()
        m.update_state(*args)
    a, b = np.asarray(ours.result(), dtype=np.float64), np.asarray(theirs.result(), dtype=np.float64)
    if not np.allclose(a, b, rtol=1e-5, atol=1e-6):
        raise AssertionError(f"{name}: ours {a} != Keras {b}")


def bench_calls(keras, ours_mod, repeats, count):
    rng = np.random.default_rng(0)
    rows = []
    for rows_per_batch in BATCHES:
        for (name, make_theirs, kind), (_, make_ours, _) in zip(cases(keras.metrics), cases(ours_mod)):
            args = inputs(kind, rows_per_batch, rng, keras)
            theirs, ours = make_theirs(), make_ours()
            check_equal(name, ours, theirs, args)
            t = timing.round_robin({"keras": calls(theirs, args, count), "ours": calls(ours, args, count)},
                                   repeats=repeats, warmup=1)
            k, o = t["keras"].median() / count * 1e6, t["ours"].median() / count * 1e6
            rows.append([name, f"{rows_per_batch:,}", f"{k:.0f}", f"{o:.0f}", f"{o / k:.2f}"])
    table(f"{BACKEND}: one eager update_state + result(), µs a call (median of {repeats} blocks of {count} calls)",
          rows, ["metric", "batch", "keras.metrics", "accumetrics", "ours / Keras"])


def bench_loop(keras, ours_mod, repeats):
    rng = np.random.default_rng(1)
    batches = [inputs("binary_2d", LOOP_ROWS, rng, keras) for _ in range(LOOP_BATCHES)]

    def loop(mod):
        metrics = [mod.AUC(), mod.Precision(), mod.Recall(), mod.F1Score(threshold=0.5)]

        def run():
            for m in metrics:
                m.reset_state()
            for args in batches:
                for m in metrics:
                    m.update_state(*args)
                    m.result()
            return [float(np.asarray(m.result()).ravel()[0]) for m in metrics]

        return run

    theirs, ours = loop(keras.metrics), loop(ours_mod)
    if not np.allclose(theirs(), ours(), rtol=1e-5):
        raise AssertionError("the loop's values differ")
    t = timing.round_robin({"keras": theirs, "ours": ours}, repeats=repeats, warmup=1)
    k, o = t["keras"].median() * 1e3, t["ours"].median() * 1e3
    table(f"{BACKEND}: a loop over {LOOP_BATCHES} batches of {LOOP_ROWS}, AUC+Precision+Recall+F1Score, result() "
          f"after each batch, ms (median of {repeats})", [[f"{k:.1f}", f"{o:.1f}", f"{k / o:.1f}x"]],
          ["keras.metrics", "accumetrics", "Keras / ours"])


def main():
    quick = "--quick" in sys.argv
    if "--backend" not in sys.argv:  # each backend in a process of its own: Keras picks one per process
        for name in ("tensorflow", "jax", "torch"):
            subprocess.run([sys.executable, __file__, "--backend", name, *sys.argv[1:]], check=True)
        return
    one_core()
    import keras

    from accumetrics import keras as ours

    from machine import describe

    print("\n".join(describe()) + f"\nload average: {os.getloadavg()[0]:.2f}")
    bench_calls(keras, ours, repeats=3 if quick else 7, count=20 if quick else 200)
    bench_loop(keras, ours, repeats=3 if quick else 7)


if __name__ == "__main__":
    main()
