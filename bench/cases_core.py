"""The core cases: 150-class confusion matrix, counts at 200 thresholds, MAE/MSE moments, threads.

Each builder makes its data once and hands the same arrays to every engine (in the
dtype that engine's users hold them in, converted before timing).
"""

from __future__ import annotations

from functools import partial

import numpy as np

import accumetrics as am
import peers
from cases import BATCH, Case, Engine, Target, batches, differences, each_batch, keras_engine

CLASSES = 150
THRESHOLDS = 200


def class_labels(n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """int64 true and predicted classes, 70% of predictions right."""
    t = rng.integers(0, CLASSES, n)
    p = np.where(rng.random(n) < 0.7, t, rng.integers(0, CLASSES, n))
    return t, p


def binary_scores(n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """float32 0/1 labels (30% positive) and float32 scores in [0, 1) that lean towards the label."""
    y = (rng.random(n) < 0.3).astype(np.float32)
    s = (0.7 * rng.random(n, dtype=np.float32) + 0.3 * y).astype(np.float32)
    return y, s


def uneven_thresholds(rng) -> np.ndarray:
    """198 sorted random float32 values in (0, 1): Keras adds -1e-7 and 1 + 1e-7 to make 200."""
    while True:
        t = np.unique(rng.random(THRESHOLDS - 2).astype(np.float32))
        if t.size == THRESHOLDS - 2 and t[0] > 0:
            return t.astype(np.float64)


def confusion(n: int, threads: int, rng) -> Case:
    t, p = class_labels(n, rng)
    cells = CLASSES * CLASSES
    cm = am.ConfusionMatrix(CLASSES)
    engines = [
        Engine("accumetrics ConfusionMatrix.update", lambda: cm.update(t, p), n),
        Engine("numpy bincount(t * 150 + p)", lambda: np.bincount(t * CLASSES + p, minlength=cells), n),
    ]
    skl = peers.sklearn_metrics()
    labels = np.arange(CLASSES)
    engines.append(Engine("sklearn confusion_matrix", lambda: skl.confusion_matrix(t, p, labels=labels), n)
                   if skl else Engine.missing("sklearn confusion_matrix", peers.missing("sklearn.metrics")))
    tfk = peers.tensorflow_keras(threads)
    engines.append(keras_engine("keras MeanIoU (tf.function)", tfk[0], tfk[1].metrics.MeanIoU(CLASSES), t, p)
                   if tfk else Engine.missing("keras MeanIoU (tf.function)", peers.missing("keras")))
    engines.append(torch_confusion(threads, t, p))

    def same_as_bincount() -> str:
        got = am.ConfusionMatrix(CLASSES).update(t, p).counts
        return differences("counts", got.ravel(), np.bincount(t * CLASSES + p, minlength=cells))

    return Case(
        "confusion", f"Confusion matrix, {CLASSES} classes, {n / 1e6:g}M int64 labels",
        engines, Target("numpy bincount(t * 150 + p)", 3.0),
        notes=[f"Keras: batches of {BATCH:,}; the others: one call on all samples."],
        checks=[("accumetrics counts == numpy bincount", same_as_bincount)],
    )


def torchmetrics_engine(name: str, threads: int, build) -> Engine:
    """`build(name, torch, torchmetrics)`, the Engine of a torchmetrics peer, or a missing one without torchmetrics."""
    tt = peers.torch_torchmetrics(threads)
    if not tt:
        return Engine.missing(name, peers.missing("torchmetrics"))
    return build(name, *tt)


def torch_confusion(threads: int, t, p) -> Engine:
    def build(name, torch, tm):
        metric = tm.classification.MulticlassConfusionMatrix(CLASSES, validate_args=False)
        pt, tt_ = torch.from_numpy(p), torch.from_numpy(t)
        return Engine(name, lambda: metric.update(pt, tt_), len(t))

    return torchmetrics_engine("torchmetrics MulticlassConfusionMatrix", threads, build)


def thresholds(n: int, threads: int, rng, even: bool, keras_batches: int | None) -> Case:
    """Counts at 200 thresholds, evenly spaced or not, in batches of BATCH as a training loop sees them."""
    y, s = binary_scores(n, rng)
    if even:
        spec, thr, kind = THRESHOLDS, np.linspace(0.0, 1.0, THRESHOLDS), "evenly spaced"
        keras_args = dict(num_thresholds=THRESHOLDS)
    else:
        inner = uneven_thresholds(rng)
        spec = thr = np.concatenate([[-1e-7], inner, [1.0 + 1e-7]])
        kind = "uneven (sorted random)"
        keras_args = dict(thresholds=inner.tolist())
    parts = batches(y, s)
    tc = am.ThresholdCounts(spec)
    whole = am.ThresholdCounts(spec)
    minlength = (thr.size + 1) * 2
    engines = [
        Engine("accumetrics ThresholdCounts.update", each_batch(tc.update, parts), n),
        Engine("accumetrics, one call on all samples", lambda: whole.update(y, s), n),
        Engine("numpy searchsorted + bincount, one call",
               lambda: np.bincount(np.searchsorted(thr, s) * 2 + y.astype(np.intp), minlength=minlength), n),
    ]
    notes = [f"Batches of {BATCH:,} for accumetrics, Keras and torchmetrics unless said."]
    tfk = peers.tensorflow_keras(threads)
    keras_name = "keras AUC.update_state (tf.function)"
    if tfk:
        engines.append(keras_engine(keras_name, tfk[0], tfk[1].metrics.AUC(**keras_args), y, s, limit=keras_batches))
        if keras_batches:
            notes.append(f"Keras timed on its first {keras_batches} batches only (it is slow here); "
                         "its rate is samples in those batches / time.")
    else:
        engines.append(Engine.missing(keras_name, peers.missing("keras")))
    engines.append(torch_thresholds(threads, y, s, THRESHOLDS if even else thr.tolist()))

    def same_as_numpy() -> str:
        got = am.ThresholdCounts(spec).update(y, s)
        above = np.searchsorted(thr, s)  # thresholds strictly below each score
        positives = np.bincount(above[y == 1], minlength=thr.size + 1)
        negatives = np.bincount(above[y == 0], minlength=thr.size + 1)
        tp = positives[::-1].cumsum()[::-1][1:]
        fp = negatives[::-1].cumsum()[::-1][1:]
        a, b = differences("tp", got.tp, tp), differences("fp", got.fp, fp)
        return "ok" if a == b == "ok" else f"{a}; {b}"

    checks = [("accumetrics tp, fp == numpy (score > threshold)", same_as_numpy)]
    if tfk:
        checks.append(("Keras true_positives == accumetrics tp at Keras's thresholds, first batch",
                       lambda: keras_agrees(tfk[1], keras_args, *parts[0])))
    return Case(
        "thresholds_even" if even else "thresholds_uneven",
        f"Binary counts at {THRESHOLDS} {kind} thresholds, {n / 1e6:g}M float32 samples",
        engines, Target(keras_name, 50.0), notes, checks,
    )


def keras_agrees(keras, keras_args, y, s) -> str:
    metric = keras.metrics.AUC(**keras_args)
    metric.update_state(y, s)
    want = np.asarray(metric.true_positives.numpy(), dtype=np.int64)
    got = am.ThresholdCounts(np.asarray(metric.thresholds, dtype=np.float32).astype(np.float64)).update(y, s).tp
    return differences("tp", got, want)


def torch_thresholds(threads: int, y, s, thr) -> Engine:
    def build(name, torch, tm):
        metric = tm.classification.BinaryAUROC(thresholds=thr, validate_args=False)
        parts = [(torch.from_numpy(p), torch.from_numpy(t.astype(np.int64))) for t, p in batches(y, s)]
        return Engine(name, each_batch(metric.update, parts), len(y))

    return torchmetrics_engine("torchmetrics BinaryAUROC.update", threads, build)


def moments(n: int, threads: int, rng, dtype) -> Case:
    t = rng.random(n).astype(dtype)
    p = (t + rng.normal(0.0, 0.1, n)).astype(dtype)
    exact = float(np.mean(np.abs(p.astype(np.longdouble) - t.astype(np.longdouble))))
    m = am.Moments()
    mae = "numpy mean(abs(p - t))"

    def numpy_both():
        d = p - t
        return np.mean(np.abs(d)), np.mean(d * d)

    engines = [
        Engine("accumetrics Moments.update (all 8 sums)", lambda: m.update(t, p), n,
               value=lambda: am.Moments().update(t, p).mean_absolute_error),
        Engine(mae, lambda: np.mean(np.abs(p - t)), n, value=lambda: np.mean(np.abs(p - t))),
        Engine("numpy mean((p - t) ** 2)", lambda: np.mean(np.square(p - t)), n),
        Engine("numpy MAE and MSE from one p - t", numpy_both, n),
    ]
    skl = peers.sklearn_metrics()
    engines.append(Engine("sklearn mean_absolute_error", lambda: skl.mean_absolute_error(t, p), n,
                          value=lambda: skl.mean_absolute_error(t, p))
                   if skl else Engine.missing("sklearn mean_absolute_error", peers.missing("sklearn.metrics")))
    tfk = peers.tensorflow_keras(threads)
    engines.append(keras_engine("keras MeanAbsoluteError (tf.function)", tfk[0], tfk[1].metrics.MeanAbsoluteError(),
                                t, p) if tfk else Engine.missing("keras MeanAbsoluteError", peers.missing("keras")))
    engines.append(torch_mae(threads, t, p))
    name = np.dtype(dtype).name
    return Case(
        f"moments_{name}", f"MAE/MSE, {n / 1e6:g}M {name} pairs", engines, Target(mae, 1.0),
        notes=[f"Keras: batches of {BATCH:,}; the others: one call on all samples. "
               "Error: |MAE - exact| / exact, exact from a long double sum."],
        exact=exact,
    )


def torch_mae(threads: int, t, p) -> Engine:
    def build(name, torch, tm):
        pt, tt_ = torch.from_numpy(p), torch.from_numpy(t)

        def value() -> float:
            metric = tm.MeanAbsoluteError()
            metric.update(pt, tt_)
            return float(metric.compute())

        metric = tm.MeanAbsoluteError()
        return Engine(name, lambda: metric.update(pt, tt_), len(t), value=value)

    return torchmetrics_engine("torchmetrics MeanAbsoluteError", threads, build)


def peer_cases(quick: bool, threads: int, seed: int = 0):
    """(key, builder) pairs comparing with numpy, sklearn, Keras and torchmetrics; built one at a time."""
    big = 2_000_000 if quick else 10_000_000
    rng = np.random.default_rng
    yield "confusion", partial(confusion, big, threads, rng(seed))
    yield "thresholds_even", partial(thresholds, 2_000_000, threads, rng(seed + 1), True, None)
    yield "thresholds_uneven", partial(thresholds, 2_000_000, threads, rng(seed + 2), False, 2 if quick else 4)
    yield "moments_float32", partial(moments, big, threads, rng(seed + 3), np.float32)
    yield "moments_float64", partial(moments, big, threads, rng(seed + 4), np.float64)


def scaling_cases(quick: bool, seed: int = 0):
    """(key, builder) pairs: accumetrics with 2 threads against 1 thread, one call of N samples."""
    sizes = [1_000_000, 2_000_000] if quick else [1_000_000, 10_000_000]
    for n in sizes:
        rng = np.random.default_rng(seed + n)
        yield f"threads_confusion_{n}", partial(scaling_confusion, n, rng)
        yield f"threads_thresholds_even_{n}", partial(scaling_thresholds, n, rng, True)
        yield f"threads_thresholds_uneven_{n}", partial(scaling_thresholds, n, rng, False)
        for dtype in (np.float32, np.float64):
            yield f"threads_moments_{np.dtype(dtype).name}_{n}", partial(scaling_moments, n, rng, dtype)


def scaling_confusion(n: int, rng) -> Case:
    return scaling(f"confusion {CLASSES} classes", n, am.ConfusionMatrix(CLASSES).update, *class_labels(n, rng))


def scaling_thresholds(n: int, rng, even: bool) -> Case:
    spec = THRESHOLDS if even else np.concatenate([[-1e-7], uneven_thresholds(rng), [1.0 + 1e-7]])
    kind = "even" if even else "uneven"
    return scaling(f"{THRESHOLDS} {kind} thresholds", n, am.ThresholdCounts(spec).update, *binary_scores(n, rng))


def scaling_moments(n: int, rng, dtype) -> Case:
    a = rng.random(n).astype(dtype)
    b = (a + rng.normal(0.0, 0.1, n)).astype(dtype)
    return scaling(f"moments {np.dtype(dtype).name}", n, am.Moments().update, a, b)


def scaling(what: str, n: int, update, *data, calls: int = 5) -> Case:
    def with_threads(k: int):
        def run():
            am.set_num_threads(k)
            for _ in range(calls):
                update(*data)

        return run

    engines = [Engine("2 threads", with_threads(2), calls * n), Engine("1 thread", with_threads(1), calls * n)]
    return Case(f"threads_{what.replace(' ', '_')}_{n}", f"Threads: {what}, N = {n / 1e6:g}M", engines,
                Target("1 thread", 1.7), notes=[f"Each timed call updates {calls} times with all N samples."])
