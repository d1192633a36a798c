"""Per-partition metrics and per-example diagnostics against the loops users write by hand.

    python bench/bench_partition.py [--partitions 20] [--per-partition 2000] [--repeats 3] [--loop-samples 2000]

1. Epoch end with 20 partitions of 2,000 samples on a small Keras model: the PartitionMetrics
   callback (one predict, grouped accumulation) against a callback that calls model.evaluate once
   per partition, with balanced class weights per partition. Target >= 5x, same values.
2. per_example on 2,000 samples against a loop of model.predict over single examples.
   Target >= 100x, same values. With --loop-samples below the sample count the loop is timed on
   that many samples and scaled (printed as such).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from machine import describe  # noqa: E402
from sklearn.utils.class_weight import compute_sample_weight  # noqa: E402

from accumetrics import keras as ak  # noqa: E402
from accumetrics.diagnostics import per_example  # noqa: E402
from accumetrics.keras.callbacks import PartitionMetrics  # noqa: E402


class EvaluatePerPartition(keras.callbacks.Callback):
    """The habit: model.evaluate on each partition at epoch end, with compute_sample_weight per partition."""

    def __init__(self, x, y, partitions):
        super().__init__()
        self.parts = [(name, x[partitions == name], y[partitions == name]) for name in np.unique(partitions)]
        self.results = {}

    def on_epoch_end(self, epoch, logs=None):
        for name, x, y in self.parts:
            w = compute_sample_weight("balanced", y)
            r = self.model.evaluate(x, y, sample_weight=w, batch_size=1024, verbose=0, return_dict=True)
            for key, value in r.items():
                self.results[f"{key}/{name}"] = value
        if logs is not None:
            logs.update({"val_" + k: v for k, v in self.results.items()})


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partitions", type=int, default=20)
    parser.add_argument("--per-partition", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--loop-samples", type=int, default=2000, help="samples the per-element loop is timed on")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    n = args.partitions * args.per_partition
    x = rng.normal(size=(n, 20)).astype(np.float32)
    partitions = np.repeat([f"p{i:02d}" for i in range(args.partitions)], args.per_partition)
    y = ((x[:, 0] + rng.normal(size=n) + np.repeat(rng.normal(size=args.partitions), args.per_partition)) > 1.0)
    y = y.astype(np.int64)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  weighted_metrics=[ak.SparseCategoricalAccuracy(name="acc"), ak.SparseCategoricalCrossentropy(name="ce")])
    model.fit(x[:4000], y[:4000], epochs=1, batch_size=256, verbose=0)

    for line in describe():
        print(line)
    print(f"{args.partitions} partitions x {args.per_partition:,} samples, Dense(20-32-2) model, balanced class "
          f"weights per partition, loss + 2 metrics\n")

    ours = PartitionMetrics(x, y, partitions, [ak.SparseCategoricalAccuracy(name="acc"),
                                               ak.SparseCategoricalCrossentropy(name="ce")], class_weight="balanced")
    habit = EvaluatePerPartition(x, y, partitions)
    for cb in (ours, habit):
        cb.set_model(model)
        start = time.perf_counter()
        cb.on_epoch_end(0, {})  # the first call traces the functions
        cb.first = time.perf_counter() - start
    worst = max(abs(ours.results[k] - habit.results[k]) / max(abs(habit.results[k]), 1e-12) for k in ours.results)
    assert worst < 1e-5, f"values differ: relative {worst:.2e}"
    t_ours = median_time(lambda: ours.on_epoch_end(1, {}), args.repeats)
    t_habit = median_time(lambda: habit.on_epoch_end(1, {}), args.repeats)
    ratio = t_habit / t_ours
    print("| epoch end | evaluate per partition s | PartitionMetrics s | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| steady | {t_habit:.3f} | {t_ours:.3f} | {ratio:.1f}x | 5x {'ok' if ratio >= 5 else 'MISS'} |")
    print(f"| first (tracing) | {habit.first:.3f} | {ours.first:.3f} | {habit.first / ours.first:.1f}x | |")
    print(f"same values: {len(ours.results)} per-partition values, largest relative difference {worst:.1e}\n")

    samples = args.per_partition
    xs, ys = x[:samples], y[:samples]
    per_example(model, xs, ys)  # trace once
    t_batched = median_time(lambda: per_example(model, xs, ys), args.repeats)
    loop = min(args.loop_samples, samples)
    table = per_example(model, xs, ys)
    start = time.perf_counter()
    for i in range(loop):
        out = model.predict(xs[i:i + 1], verbose=0)
        assert int(np.argmax(out[0])) == table["predicted"][i]
        assert abs(float(out[0].max()) - table["confidence"][i]) < 1e-6
    t_loop = (time.perf_counter() - start) * samples / loop
    scaled = "" if loop == samples else f" (timed on {loop}, scaled)"
    ratio = t_loop / t_batched
    print("| per-example diagnostics | predict loop s | per_example s | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| {samples:,} samples | {t_loop:.2f}{scaled} | {t_batched:.4f} | {ratio:.0f}x | 100x "
          f"{'ok' if ratio >= 100 else 'MISS'} |")


if __name__ == "__main__":
    main()
