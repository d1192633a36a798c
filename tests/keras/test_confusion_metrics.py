"""Threshold-count metrics against keras.metrics on random data, weights and uneven batches."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras._bridge import state_dtype

CASES = [
    ("TruePositives", {}),
    ("FalsePositives", {"thresholds": [0.1, 0.5, 0.9]}),
    ("TrueNegatives", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}),  # evenly spaced: Keras's bucket path
    ("FalseNegatives", {}),
    ("Precision", {}),
    ("Precision", {"top_k": 2}),
    ("Precision", {"top_k": 2, "class_id": 2}),
    ("Recall", {"thresholds": [0.3, 0.7]}),
    ("Recall", {"class_id": 1}),
    ("AUC", {}),
    ("AUC", {"num_thresholds": 7, "summation_method": "minoring"}),
    ("AUC", {"curve": "PR"}),
    ("AUC", {"curve": "PR", "summation_method": "majoring"}),
    ("AUC", {"curve": "PRGAIN"}),
    ("AUC", {"thresholds": [0.1, 0.15, 0.7, 0.71]}),
    ("AUC", {"multi_label": True}),
    ("AUC", {"multi_label": True, "num_labels": 4, "label_weights": [1, 2, 3, 4]}),
    ("AUC", {"label_weights": [1, 2, 0.5, 4]}),
    ("AUC", {"from_logits": True}),
    ("SensitivityAtSpecificity", {"specificity": 0.6}),
    ("SpecificityAtSensitivity", {"sensitivity": 0.5, "num_thresholds": 1}),
    ("PrecisionAtRecall", {"recall": 0.3, "class_id": 1}),
    ("RecallAtPrecision", {"precision": 0.4}),
]


def off_grid(p, grids=(199, 6, 4)):
    """Moves scores away from the evenly spaced thresholds used here, where Keras's float32 bucket
    arithmetic (ceil(p * (T - 1))) can disagree with a comparison by one bucket (about 1 score in 10**6)."""
    for g in grids:
        near = np.abs(p * g - np.round(p * g)) < 1e-3
        p = np.where(near, p + 2e-3 / g, p)
    return p


def batches(rng, sizes, weighted, logits=False):
    out = []
    for n in sizes:
        y_true = (rng.random((n, 4)) < 0.4).astype(np.float32)
        y_pred = (rng.normal(size=(n, 4)) * 3 if logits else off_grid(rng.random((n, 4)))).astype(np.float32)
        w = rng.random(n).astype(np.float32) if weighted else None
        out.append(((y_true, y_pred), {"sample_weight": w}))
    return out


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_matches_keras(feeder, rng, name, kwargs, weighted):
    ours, theirs = getattr(ak, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    data = batches(rng, [1000, 333, 7], weighted, logits=kwargs.get("from_logits", False))
    a, b = feeder.both(ours, theirs, data)
    # Keras derives TN as total - FP in float32 (an error of ~1e-7 of the total), and PR-gain subtracts
    # nearly equal ratios, where its float32 state loses digits: tolerances are relative to the scale.
    scale = 1e-5 if kwargs.get("curve") == "PRGAIN" else 1e-6
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=scale * max(1.0, float(np.max(np.abs(b)))))


def test_scores_outside_unit_interval_on_even_grid(rng):
    """Keras clips scores to [0, 1] on its evenly spaced path; so do we."""
    y_true = (rng.random(500) < 0.5).astype(np.float32)
    y_pred = rng.normal(size=500).astype(np.float32)
    for name in ("AUC", "TruePositives"):
        kw = {} if name == "AUC" else {"thresholds": [0.0, 0.5, 1.0]}
        ours, theirs = getattr(ak, name)(**kw), getattr(keras.metrics, name)(**kw)
        ours.update_state(y_true, y_pred)
        theirs.update_state(y_true, y_pred)
        np.testing.assert_allclose(ours.result(), theirs.result(), rtol=1e-6)


def test_strictly_greater_at_threshold():
    m = ak.TruePositives(thresholds=[0.25, 0.5, 0.75])
    m.update_state([1, 1, 1], [0.25, 0.5, 0.75])
    np.testing.assert_array_equal(m.result(), [2, 1, 0])


def test_counts_exact_beyond_float32():
    """A float32 counter stops at 2**24; ours keeps counting."""
    if state_dtype() != "float64":
        pytest.skip("float32 state: JAX without jax_enable_x64 (see test_counts_exact_past_2_31_in_float32_state)")
    big = 2**24
    ours, theirs = ak.TruePositives(), keras.metrics.TruePositives()
    for m in (ours, theirs):
        m.update_state(np.ones(big, np.float32), np.ones(big, np.float32))
        for _ in range(3):
            m.update_state([1.0], [1.0])
    assert float(theirs.result()) == big  # Keras lost the three
    assert float(ours.accumulator.numpy()[0]) == big + 3
    exact = ak.TruePositives(dtype="float64")
    exact.accumulator.assign(ours.accumulator)
    assert float(exact.result()) == big + 3


def update_compiled(metric, *args):
    """update_state as fit runs it: under jax.jit (stateless) on JAX, eagerly elsewhere."""
    if keras.backend.backend() != "jax":
        return metric.update_state(*args)
    import jax

    new = jax.jit(metric.stateless_update_state)([v.value for v in metric.variables], *args)
    for v, x in zip(metric.variables, new):
        v.assign(x)


def exact_total(state):
    """The value of a StateVariable's variables, high + low added in float64 (what is pending written first)."""
    state.write_pending()
    total = np.asarray(state.variable.numpy(), np.float64)
    return total if state.low is None else total + np.asarray(state.low.numpy(), np.float64)


@pytest.mark.parametrize("start", [2**24 - 5, 2**31 - 7, 2**40 + 1])
def test_counts_exact_past_2_31_in_float32_state(start):
    """Every backend counts exactly far past 2**31: float64 state, or on JAX without x64 a
    (high, low) float32 pair. The state is started near the bound, then counted on in odd steps."""
    m, k = ak.TruePositives(), ak.MeanIoU(num_classes=2)
    for part in (float(np.float32(start)), start - float(np.float32(start))):  # each exact in float32
        m._state["tp"].add(np.array([part]))
        k._total_cm.add(np.array([[part, 0.0], [0.0, 0.0]]))
    for n in (1, 3, 7, 1000, 1):
        update_compiled(m, np.ones(n, np.float32), np.ones(n, np.float32))
        update_compiled(k, np.zeros(n, np.int32), np.zeros(n, np.int32))
    assert exact_total(m._state["tp"]).sum() == start + 1012
    assert exact_total(k._total_cm)[0, 0] == start + 1012


def test_reset_state(rng):
    m = ak.AUC()
    m.update_state([0, 1, 1], [0.2, 0.7, 0.4])
    m.reset_state()
    assert all(float(np.sum(v.numpy())) == 0 for v in m.variables)
    m.update_state([0, 1], [0.2, 0.7])
    assert float(m.result()) == pytest.approx(1.0)


def test_xla_fallback_matches(rng):
    tf = pytest.importorskip("tensorflow")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("XLA through tf.function")
    for name, kw in [("AUC", {}), ("Precision", {"thresholds": [0.2, 0.5]}),
                     ("AUC", {"multi_label": True, "num_labels": 4}), ("Recall", {"top_k": 2})]:
        ours, theirs = getattr(ak, name)(**kw), getattr(keras.metrics, name)(**kw)
        update = tf.function(ours.update_state, jit_compile=True)
        for (yt, yp), k in batches(rng, [100, 37], True):
            update(yt, yp, k["sample_weight"])
            theirs.update_state(yt, yp, k["sample_weight"])
        np.testing.assert_allclose(tf.function(ours.result, jit_compile=True)(), theirs.result(), rtol=1e-6)


def test_bad_input():
    with pytest.raises(ValueError, match="Threshold values must be in"):
        ak.Precision(thresholds=[1.5])
    with pytest.raises(ValueError, match="specificity"):
        ak.SensitivityAtSpecificity(1.5)
    with pytest.raises(ValueError, match="curve"):
        ak.AUC(curve="XYZ")
    with pytest.raises(ValueError, match="y_score"):
        ak.AUC().update_state([0.0, 1.0], [np.nan, 0.5])


def test_small_graph_batches_check_input():
    """In a tf.function, small batches are counted with TF ops, which check what the core checks."""
    tf = pytest.importorskip("tensorflow")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf.function")
    update = tf.function(ak.AUC().update_state)
    with pytest.raises(tf.errors.InvalidArgumentError, match="finite"):
        update(tf.constant([0.0, 1.0]), tf.constant([np.nan, 0.5]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="weights must be finite"):
        tf.function(ak.Precision().update_state)(tf.constant([0.0, 1.0]), tf.constant([0.2, 0.5]),
                                                 tf.constant([1.0, np.nan]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="finite"):
        tf.function(ak.MeanAbsoluteError().update_state)(tf.constant([[0.0], [1.0]]), tf.constant([[np.inf], [1.0]]))
    iou = ak.MeanIoU(3, ignore_class=[3, -1])
    tf.function(iou.update_state)(tf.constant([0, 3, -1, 2]), tf.constant([0, 1, 1, 2]))
    assert float(iou.result()) == pytest.approx(1.0, rel=1e-6)  # ignored labels dropped; the rest right


def test_config_round_trip():
    m = ak.AUC(thresholds=[0.2, 0.4], curve="PR", multi_label=True, label_weights=[1.0, 2.0])
    c = m.get_config()
    n = ak.AUC.from_config(c)
    assert n.get_config() == c
    assert keras.saving.get_registered_name(ak.AUC) == "accumetrics>AUC"


def test_shape_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match="different shapes"):
        ak.AUC().update_state(np.zeros((3, 2)), np.zeros((3, 4), np.float32))


def test_empty_batch(feeder):
    m = ak.AUC()
    feeder.update(m, np.zeros(0, np.float32), np.zeros(0, np.float32))
    assert float(m.result()) == 0.0
