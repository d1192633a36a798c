"""What the robustness test calls, each with valid base arguments and a reference for its result.

A target is one public constructor, ``update`` or function. ``run(args)`` calls accumetrics and returns a
comparable value; ``reference(args)`` computes the same value with sklearn, numpy or keras.metrics, and raises
where the input is not valid for the peer. For accumulators, ``run`` first feeds a valid batch, so that a refused
update can be seen to leave the earlier state alone.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

N = 6
Y = np.array([0, 1, 2, 1, 0, 2])
P = np.array([0, 2, 2, 1, 0, 1])
B = np.array([0, 1, 1, 0, 1, 0])
S = np.array([0.1, 0.8, 0.6, 0.3, 0.9, 0.2])
R = np.array([1.5, -2.0, 0.25, 3.0, 0.0, 7.5])
W = np.array([1.0, 0.5, 2.0, 1.5, 0.25, 1.0])
IDS = np.array([0, 1, 1, 0, 1, 0])


class Refused(Exception):
    """The reference does not accept the input."""


@dataclass
class Target:
    name: str
    args: dict
    odd: tuple
    run: Callable
    reference: Callable
    state: Callable | None = None  # acc -> snapshot, for accumulators
    group: str = "numpy"
    names: dict = field(default_factory=dict)  # argument -> the names an error may give it
    peer_messages: bool = False  # errors may speak as the peer's do, where the peer refuses the input too


def canon(x, name, n=N, *, kinds="biuf", column=True):
    """x as a float64 array of shape (n,), as a lenient peer would read it; raises Refused otherwise."""
    if x is None:
        raise Refused(f"{name} is None")
    try:
        a = np.asarray(x)
    except Exception as e:
        raise Refused(str(e))
    if a.dtype.kind not in kinds:
        raise Refused(f"{name} dtype {a.dtype}")
    if column and a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.shape != (n,):
        raise Refused(f"{name} shape {a.shape}")
    with np.errstate(all="ignore"):
        return a.astype(np.float64)


def finite(a, name):
    if not np.isfinite(a).all():
        raise Refused(f"{name} not finite")
    return a


def labels(a, name, limit):
    if not ((a >= 0) & (a < limit) & (a == np.floor(a))).all():
        raise Refused(f"{name} out of range")
    return a.astype(np.int64)


def weights(w, n=N):
    if w is None:
        return np.ones(n)
    a = np.asarray(w) if np.ndim(w) == 0 and not isinstance(w, (str, bytes)) else None
    if a is not None and a.dtype.kind in "biuf":
        return finite(np.full(n, float(a)), "sample_weight")
    return finite(canon(w, "sample_weight", n), "sample_weight")


# Accumulators ------------------------------------------------------------------------------------------------------

def _accumulator(make, warm, update, value):
    def run(args):
        acc = make()
        update(acc, warm)
        before = value(acc)
        try:
            update(acc, args)
        except Exception:
            if value(acc) != before:
                raise AssertionError("a refused update changed the state")
            raise
        return value(acc)
    return run


def _confusion_value(acc):
    return repr(np.asarray(acc.result(), dtype=np.float64).round(9).tolist())


def _confusion_reference(args):
    from sklearn.metrics import confusion_matrix
    t = labels(canon(args["y_true"], "y_true"), "y_true", 3)
    p = labels(canon(args["y_pred"], "y_pred"), "y_pred", 3)
    w = weights(args["sample_weight"])
    t, p, w = np.concatenate([Y, t]), np.concatenate([P, p]), np.concatenate([W, w])
    return repr(confusion_matrix(t, p, labels=[0, 1, 2], sample_weight=w).astype(np.float64).round(9).tolist())


def _thresholds_value(acc):
    return repr({k: np.asarray(v, dtype=np.float64).round(9).tolist() for k, v in acc.result().items()})


def _binary_scores(args):
    """y_true (refused unless 0/1), y_score (refused unless finite) and the weights of a call."""
    t = canon(args["y_true"], "y_true")
    if not np.isin(t, [0, 1]).all():
        raise Refused("y_true not binary")
    s = finite(canon(args["y_score"], "y_score"), "y_score")
    w = weights(args["sample_weight"])
    return t, s, w


def _thresholds_reference(args):
    t, s, w = _binary_scores(args)
    t, s, w = np.concatenate([B, t]), np.concatenate([S, s]), np.concatenate([W, w])
    out = {}
    for name, pred, truth in (("tp", True, 1), ("fp", True, 0), ("tn", False, 0), ("fn", False, 1)):
        out[name] = [float(np.sum(w[((s > th) == pred) & (t == truth)])) for th in (0.25, 0.5, 0.75)]
    return repr({k: np.asarray(v).round(9).tolist() for k, v in out.items()})


def _moments_value(acc):
    return repr([float(np.round(acc.mean_squared_error, 9)), float(np.round(acc.mean_absolute_error, 9)),
                 float(np.round(acc.sums["sum_weight"], 9))])


def _moments_reference(args):
    # without y_true, only y_pred is tracked: the sums of errors are those of y_true = 0
    t = np.zeros(N) if args["y_true"] is None else finite(canon(args["y_true"], "y_true"), "y_true")
    p = finite(canon(args["y_pred"], "y_pred"), "y_pred")
    w = weights(args["sample_weight"])
    t, p, w = np.concatenate([R, t]), np.concatenate([R[::-1], p]), np.concatenate([W, w])
    with np.errstate(all="ignore"):
        return repr([float(np.round(np.sum(w * (t - p) ** 2) / w.sum(), 9)),
                     float(np.round(np.sum(w * np.abs(t - p)) / w.sum(), 9)), float(np.round(w.sum(), 9))])


def _calibration_value(acc):
    return repr(np.asarray(acc.bin_weight, dtype=np.float64).round(9).tolist())


def _calibration_reference(args):
    t = canon(args["y_true"], "y_true", kinds="biufO")
    if not np.isin(t, [0, 1]).all():
        raise Refused("y_true not binary")
    p = finite(canon(args["y_prob"], "y_prob"), "y_prob")
    if ((p < 0) | (p > 1)).any():
        raise Refused("y_prob outside [0, 1]")
    w = weights(args["sample_weight"])
    p, w = np.concatenate([S, p]), np.concatenate([W, w])
    bins = np.searchsorted(np.linspace(0, 1, 6)[1:-1], p)
    return repr(np.bincount(bins, weights=w, minlength=5).round(9).tolist())


def _binned_value(acc):
    """The values (their bounds, which cover float32 binning, are tested in test_binned_auc)."""
    return repr([round(acc.roc_auc, 9), round(acc.average_precision, 9)])


def _binned_reference(args):
    from sklearn.metrics import average_precision_score, roc_auc_score
    t, s, w = _binary_scores(args)
    if (w < 0).any():
        raise Refused("negative weights")
    t, s, w = np.concatenate([B, t]), np.concatenate([S, s]), np.concatenate([W, w])
    return repr([round(roc_auc_score(t, s, sample_weight=w), 9), round(average_precision_score(t, s, sample_weight=w), 9)])


def _bootstrap_value(acc):
    return repr((_confusion_value(acc.accumulator), acc.position))


def _bootstrap_reference(args):
    return repr((_confusion_reference(args), 2 * N))


def accumulator_targets():
    import accumetrics as am

    def upd(**fixed):
        return lambda acc, a: acc.update(**{**a, **fixed})

    def cm_update(acc, a):
        acc.update(a["y_true"], a["y_pred"], sample_weight=a["sample_weight"])

    def boot_update(acc, a):
        acc.update(a["y_true"], a["y_pred"], sample_weight=a["sample_weight"])

    return [
        Target("ConfusionMatrix.update", dict(y_true=Y, y_pred=P, sample_weight=W), ("y_true", "y_pred", "sample_weight"),
               _accumulator(lambda: am.ConfusionMatrix(3), dict(y_true=Y, y_pred=P, sample_weight=W), cm_update,
                            _confusion_value), _confusion_reference),
        Target("ThresholdCounts.update", dict(y_true=B, y_score=S, sample_weight=W), ("y_true", "y_score", "sample_weight"),
               _accumulator(lambda: am.ThresholdCounts([0.25, 0.5, 0.75]), dict(y_true=B, y_score=S, sample_weight=W),
                            upd(), _thresholds_value), _thresholds_reference),
        Target("Moments.update", dict(y_true=R, y_pred=R[::-1].copy(), sample_weight=W),
               ("y_true", "y_pred", "sample_weight"),
               _accumulator(am.Moments, dict(y_true=R, y_pred=R[::-1].copy(), sample_weight=W), upd(), _moments_value),
               _moments_reference),
        Target("Calibration.update", dict(y_true=B, y_prob=S, sample_weight=W), ("y_true", "y_prob", "sample_weight"),
               _accumulator(lambda: am.Calibration(5), dict(y_true=B, y_prob=S, sample_weight=W), upd(),
                            _calibration_value), _calibration_reference),
        Target("BinnedAUC.update", dict(y_true=B, y_score=S, sample_weight=W), ("y_true", "y_score", "sample_weight"),
               _accumulator(am.BinnedAUC, dict(y_true=B, y_score=S, sample_weight=W), upd(), _binned_value),
               _binned_reference),
        Target("Bootstrap(ConfusionMatrix).update", dict(y_true=Y, y_pred=P, sample_weight=W),
               ("y_true", "y_pred", "sample_weight"),
               _accumulator(lambda: am.Bootstrap(am.ConfusionMatrix(3), n_replicates=3),
                            dict(y_true=Y, y_pred=P, sample_weight=W), boot_update, _bootstrap_value),
               _bootstrap_reference),
    ]


# Constructors ------------------------------------------------------------------------------------------------------

def _count(x, name, low=1, high=10**6, default=False):
    """A count as the constructors take it: an int (not a bool) in [low, high], or None where that is the default."""
    if x is None and default:
        return None
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
        raise Refused(f"{name} not an integer")
    if not low <= x:
        raise Refused(f"{name} too small")
    if x > high:
        raise Refused(f"{name} too large")
    return int(x)


def _grid_reference(args):
    """A count of at least 2, or a sequence of distinct finite numbers."""
    x = args["value"]
    if isinstance(x, (list, tuple)):
        t = finite(canon(x, "thresholds", len(x)), "thresholds")
        if not t.size or np.unique(t).size != t.size:
            raise Refused("thresholds repeat or are empty")
        return repr(t.size)
    return repr(_count(x, "thresholds", low=2))


def constructor_targets():
    import accumetrics as am

    def make(build, describe):
        return lambda a: repr(describe(build(a["value"])))

    return [
        Target("ConfusionMatrix(num_classes)", dict(value=3), ("value",),
               make(am.ConfusionMatrix, lambda c: c.num_classes), lambda a: repr(_count(a["value"], "num_classes")),
               names={"value": ("num_classes",)}),
        Target("ThresholdCounts(thresholds)", dict(value=3), ("value",),
               make(am.ThresholdCounts, lambda t: t.thresholds.size),
               _grid_reference, names={"value": ("thresholds",)}),
        Target("Moments(num_outputs)", dict(value=3), ("value",), make(am.Moments, lambda m: m.num_outputs),
               lambda a: repr(_count(a["value"], "num_outputs", default=True)), names={"value": ("num_outputs",)}),
        Target("Moments(num_slices=)", dict(value=3), ("value",),
               make(lambda v: am.Moments(num_slices=v), lambda m: m.num_slices),
               lambda a: repr(_count(a["value"], "num_slices", default=True)), names={"value": ("num_slices",)}),
        Target("Calibration(n_bins)", dict(value=3), ("value",), make(am.Calibration, lambda c: c.n_bins),
               lambda a: repr(_count(a["value"], "n_bins")), names={"value": ("n_bins",)}),
        Target("BinnedAUC(max_bins)", dict(value=3), ("value",), make(am.BinnedAUC, lambda b: b.max_bins),
               lambda a: repr(_count(a["value"], "max_bins", low=2)), names={"value": ("max_bins",)}),
        Target("Bootstrap(n_replicates=)", dict(value=3), ("value",),
               make(lambda v: am.Bootstrap(am.ConfusionMatrix(2), n_replicates=v), lambda b: b.n_replicates),
               lambda a: repr(_count(a["value"], "n_replicates")), names={"value": ("n_replicates",)}),
    ]


# sklearn-style functions -------------------------------------------------------------------------------------------

def significant(value, digits=9):
    """Values rounded to `digits` significant digits, as nested lists."""
    a = np.asarray(value, dtype=np.float64)
    return np.vectorize(lambda v: float(f"{v:.{digits}g}"), otypes=[float])(a).tolist() if a.size else a.tolist()


def _same_call(name, **fixed):
    """run and reference: accumetrics.<name> and sklearn.metrics.<name> on the same arguments."""
    def call(module, args):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                value = getattr(module, name)(**args, **fixed)
        return repr(significant(value))

    def run(args):
        import accumetrics
        return call(accumetrics, args)

    def reference(args):
        import sklearn.metrics
        try:
            return call(sklearn.metrics, args)
        except Exception as e:
            raise Refused(f"sklearn: {type(e).__name__}: {e}") from e
    return run, reference


def function_targets():
    out = []
    for name, base, fixed in [
        ("confusion_matrix", dict(y_true=Y, y_pred=P, sample_weight=W), {}),
        ("accuracy_score", dict(y_true=Y, y_pred=P, sample_weight=W), {}),
        ("f1_score", dict(y_true=Y, y_pred=P, sample_weight=W), {"average": "macro"}),
        ("precision_recall_fscore_support", dict(y_true=B, y_pred=B[::-1].copy(), sample_weight=W), {"average": "binary"}),
        ("matthews_corrcoef", dict(y_true=Y, y_pred=P, sample_weight=W), {}),
        ("r2_score", dict(y_true=R, y_pred=R[::-1].copy(), sample_weight=W), {}),
        ("mean_squared_error", dict(y_true=R, y_pred=R[::-1].copy(), sample_weight=W), {}),
        ("mean_absolute_error", dict(y_true=R, y_pred=R[::-1].copy(), sample_weight=W), {}),
        ("roc_auc_score", dict(y_true=B, y_score=S, sample_weight=W), {}),
        ("average_precision_score", dict(y_true=B, y_score=S, sample_weight=W), {}),
        ("log_loss", dict(y_true=B, y_pred=S, sample_weight=W), {}),
        ("precision_score", dict(y_true=Y, y_pred=P, sample_weight=W), {"average": "macro"}),
        ("recall_score", dict(y_true=Y, y_pred=P, sample_weight=W), {"average": "weighted"}),
        ("jaccard_score", dict(y_true=Y, y_pred=P, sample_weight=W), {"average": "micro"}),
        ("balanced_accuracy_score", dict(y_true=Y, y_pred=P, sample_weight=W), {}),
        ("cohen_kappa_score", dict(y1=Y, y2=P, sample_weight=W), {}),
        ("hamming_loss", dict(y_true=Y, y_pred=P, sample_weight=W), {}),
        ("explained_variance_score", dict(y_true=R, y_pred=R[::-1].copy(), sample_weight=W), {}),
        ("mean_absolute_percentage_error", dict(y_true=R + 10, y_pred=R[::-1] + 10, sample_weight=W), {}),
        ("max_error", dict(y_true=R, y_pred=R[::-1].copy()), {}),
        ("brier_score_loss", dict(y_true=B, y_proba=S, sample_weight=W), {}),
    ]:
        run, reference = _same_call(name, **fixed)
        out.append(Target(f"{name}()", base, tuple(base), run, reference, peer_messages=True))
    return out


# Keras classes -----------------------------------------------------------------------------------------------------

def _keras_pair(name, **config):
    def call(module, args):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = getattr(module, name)(**config)
            values = (args["y_pred"],) if "y_true" not in args else (args["y_true"], args["y_pred"])
            m.update_state(*values, sample_weight=args["sample_weight"])
            return repr(np.round(np.asarray(m.result(), dtype=np.float64), 5).tolist())

    def run(args):
        import accumetrics.keras
        return call(accumetrics.keras, args)

    def reference(args):
        import keras
        try:
            value = call(keras.metrics, args)
        except Exception as e:
            raise Refused(f"keras: {type(e).__name__}: {e}") from e
        return value
    return run, reference


def keras_targets():
    out = []
    for name, base, config in [
        ("Mean", dict(y_pred=R, sample_weight=W), {}),
        ("MeanSquaredError", dict(y_true=R, y_pred=R[::-1].copy(), sample_weight=W), {}),
        ("BinaryAccuracy", dict(y_true=B, y_pred=S, sample_weight=W), {}),
        ("Precision", dict(y_true=B, y_pred=S, sample_weight=W), {}),
        ("AUC", dict(y_true=B, y_pred=S, sample_weight=W), {"num_thresholds": 11}),
        ("Recall", dict(y_true=B, y_pred=S, sample_weight=W), {"thresholds": [0.3, 0.7]}),
        ("Accuracy", dict(y_true=Y, y_pred=P, sample_weight=W), {}),
        ("MeanAbsoluteError", dict(y_true=R, y_pred=R[::-1].copy(), sample_weight=W), {}),
        ("RootMeanSquaredError", dict(y_true=R, y_pred=R[::-1].copy(), sample_weight=W), {}),
    ]:
        run, reference = _keras_pair(name, **config)
        out.append(Target(f"keras.{name}", base, tuple(base), run, reference, group="keras", peer_messages=True,
                          names={"y_pred": ("y_pred", "values")} if name == "Mean" else {}))
    return out


def all_targets():
    return accumulator_targets() + constructor_targets() + function_targets() + keras_targets()
