"""Where a JAX `evaluate` step's time goes: the jitted ``test_step`` of bench_keras_e2e's tabular model at
16,384 rows, with no metrics, and with each of the nine metrics (and all nine) from keras.metrics and from
accumetrics.keras, in microseconds a step (medians of 9 x 30 calls), the no-metrics step subtracted.

    python bench/bench_jax_step.py              # every metric, then the nine together
    python bench/bench_jax_step.py AUC TP       # some of them

The jitted update of a metric alone costs far less than what the same metric adds to this step: XLA's
CPU code runs the step's other work (the model's loss) slower as more of it reads the scores.
"""

from __future__ import annotations

import os
import sys
import time

ARGS = sys.argv[1:]
sys.argv = [sys.argv[0], "--backend", "jax"]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_keras_e2e import tabular, tutorial_metrics  # noqa: E402  (sets the backend and one core)

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

import accumetrics.keras as ak  # noqa: E402

NAMES = ["TP", "FP", "TN", "FN", "BinaryAccuracy", "Precision", "Recall", "AUC", "PR AUC"]
ROWS = 16_384


def step_microseconds(workload, metrics, batch) -> float:
    keras.utils.set_random_seed(0)
    model = workload["build"](keras, metrics)
    x, y = workload["data"]()
    model.evaluate(x[:2 * ROWS], y[:2 * ROWS], batch_size=ROWS, verbose=0)
    state = model._get_jax_state(trainable_variables=True, non_trainable_variables=True, metrics_variables=True)
    step = jax.jit(model.test_step)
    out = step(state, batch)
    jax.block_until_ready(out)
    per_call = []
    for _ in range(9):
        start = time.perf_counter()
        for _ in range(30):
            out = step(state, batch)
        jax.block_until_ready(out)
        per_call.append((time.perf_counter() - start) / 30 * 1e6)
    return float(np.median(per_call))


def main():
    workload = tabular("evaluate", 4 * ROWS, ROWS)
    x, y = workload["data"]()
    batch = (jax.numpy.asarray(x[:ROWS]), jax.numpy.asarray(y[:ROWS]))
    chosen = [NAMES.index(a) for a in ARGS] if ARGS else range(len(NAMES))
    none = step_microseconds(workload, [], batch)
    print(f"jitted test_step, {ROWS:,} rows, no metrics: {none:.0f} us")
    print("| metrics | keras.metrics adds | accumetrics.keras adds |\n|---|---:|---:|")
    rows = [(NAMES[i], lambda mod, i=i: [tutorial_metrics(mod)[i]]) for i in chosen]
    if not ARGS:
        rows.append(("all nine", tutorial_metrics))
    for name, metrics in rows:
        theirs = step_microseconds(workload, metrics(keras.metrics), batch) - none
        ours = step_microseconds(workload, metrics(ak), batch) - none
        print(f"| {name} | {theirs:.0f} us | {ours:.0f} us |")


if __name__ == "__main__":
    main()
