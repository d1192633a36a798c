"""Keras masks (``_keras_mask``), applied as keras.metrics applies them.

Keras reads the mask of ``y_pred`` in ``MeanMetricWrapper`` (every accuracy, error,
cross-entropy, hinge and correlation metric) and the mask of the values in ``Mean``
and ``Sum``, there only when a ``sample_weight`` is given; its other metrics ignore
masks. Each case checks our value against Keras's and against the unmasked value.
"""

import numpy as np
import pytest

import keras
from keras.src.backend import set_keras_mask  # no public equivalent in Keras 3
from accumetrics import keras as ak
from accumetrics.keras._bridge import state_dtype
from peer_versions import skip_unless_keras_has

K, STEPS = 4, 5
BATCHES = (7, 4)  # uneven batches


def onehot(rng, lead):
    return np.eye(K, dtype=np.float32)[rng.integers(0, K, lead)]


def probs(rng, lead):
    p = rng.random(lead + (K,)).astype(np.float32) + 0.05
    return p / p.sum(axis=-1, keepdims=True)


def normal(rng, lead):
    return rng.normal(size=lead + (K,)).astype(np.float32)


def positive(rng, lead):
    return rng.random(lead + (K,)).astype(np.float32) + 0.1


# y_true maker, y_pred maker; ``lead`` is (batch,) or (batch, time)
DATA = {
    "exact": (lambda r, lead: r.integers(0, 3, lead + (2,)).astype(np.float32),
              lambda r, lead: r.integers(0, 3, lead + (2,)).astype(np.float32)),
    "binary": (lambda r, lead: r.integers(0, 2, lead + (K,)).astype(np.float32),
               lambda r, lead: r.random(lead + (K,)).astype(np.float32)),
    "onehot": (onehot, probs),
    "sparse": (lambda r, lead: r.integers(0, K, lead), probs),
    "real": (normal, normal),
    "positive": (positive, positive),
    "signs": (lambda r, lead: r.choice([-1.0, 1.0], lead + (K,)).astype(np.float32), normal),
    "logits": (lambda r, lead: r.integers(0, 2, lead + (K,)).astype(np.float32), lambda r, lead: 3 * normal(r, lead)),
    "labels": (lambda r, lead: r.integers(0, K, lead), lambda r, lead: r.integers(0, K, lead)),
}

# A right prediction for each kind, put at the masked entries: counting them would move every value.
PERFECT = {"sparse": lambda t: np.eye(K, dtype=np.float32)[t], "logits": lambda t: 6 * t - 3}

# Every class built on MeanMetricWrapper: Keras weights its values by the mask of y_pred.
MASKED = [
    ("Accuracy", {}, "exact"),
    ("BinaryAccuracy", {"threshold": 0.6}, "binary"),
    ("CategoricalAccuracy", {}, "onehot"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("MeanSquaredError", {}, "real"),
    ("MeanAbsoluteError", {}, "real"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("LogCoshError", {}, "real"),
    ("CosineSimilarity", {}, "real"),
    ("Hinge", {}, "signs"),
    ("SquaredHinge", {}, "signs"),
    ("CategoricalHinge", {}, "onehot"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logits"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "onehot"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse"),  # its values carry a mask of their own
    ("KLDivergence", {}, "onehot"),
    ("Poisson", {}, "positive"),
    ("PearsonCorrelation", {}, "real"),
    ("ConcordanceCorrelation", {}, "real"),
]

# Keras's other metrics ignore masks.
UNMASKED = [
    ("TruePositives", {}, "binary"),
    ("FalsePositives", {"thresholds": [0.3, 0.7]}, "binary"),
    ("TrueNegatives", {}, "binary"),
    ("FalseNegatives", {}, "binary"),
    ("Precision", {}, "binary"),
    ("Recall", {"top_k": 2}, "binary"),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, "binary"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.5}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.5}, "binary"),
    ("RecallAtPrecision", {"precision": 0.5}, "binary"),
    ("AUC", {}, "binary"),
    ("F1Score", {"threshold": 0.5}, "binary"),
    ("FBetaScore", {"beta": 2.0, "threshold": 0.5}, "binary"),
    ("IoU", {"num_classes": K, "target_class_ids": [0, 2]}, "labels"),
    ("MeanIoU", {"num_classes": K}, "labels"),
    ("BinaryIoU", {}, "binary"),
    ("OneHotIoU", {"num_classes": K, "target_class_ids": [1, 3]}, "onehot"),
    ("OneHotMeanIoU", {"num_classes": K}, "onehot"),
    ("R2Score", {}, "real"),
    ("RootMeanSquaredError", {}, "real"),
]
TWO_D_ONLY = ("F1Score", "FBetaScore", "R2Score")


def masked(x, mask):
    """``x`` as a tensor carrying ``mask``, as a masking layer's output does."""
    x = keras.ops.convert_to_tensor(x)
    if mask is not None:
        set_keras_mask(x, keras.ops.convert_to_tensor(mask))
    return x


def make_batches(rng, kind, sequence, weights):
    """Uneven batches of (y_true, y_pred, mask, sample_weight); about 40% of the entries masked, and
    predicted right, so that a value which counted them would differ."""
    make_true, make_pred = DATA[kind]
    out = []
    for n in BATCHES:
        lead = (n, STEPS) if sequence else (n * STEPS,)
        mask = rng.random(lead) < 0.6
        w = {None: None, "entries": lead, "column": lead + (1,)}[weights]
        w = None if w is None else rng.random(w).astype(np.float32)
        y_true, y_pred = make_true(rng, lead), make_pred(rng, lead)
        right = PERFECT.get(kind, lambda t: t)(y_true).astype(y_pred.dtype)
        y_pred = np.where(mask.reshape(mask.shape + (1,) * (y_pred.ndim - mask.ndim)), y_pred, right)
        out.append((y_true, y_pred, mask, w))
    return out


def _graph_mode(mode, monkeypatch):
    if mode != "eager" and keras.backend.backend() != "tensorflow":
        pytest.skip("tf.function needs the TensorFlow backend")
    if mode == "graph_host":
        from accumetrics.keras import _bridge

        monkeypatch.setattr(_bridge, "SMALL_BATCH", 0)
        monkeypatch.setattr(_bridge, "SMALL_GRID_BATCH", 0)
        monkeypatch.setattr(_bridge, "FEW_PASSES_STAY_IN_GRAPH", False)
    return mode


@pytest.fixture(params=["graph", "graph_host"])
def graph(request, monkeypatch):
    """Updates in a tf.function that sets the mask inside the graph, as a masking layer does: these small
    batches take the keras.ops path (graph), or go to the core through tf.numpy_function (graph_host)."""
    return _graph_mode(request.param, monkeypatch)


@pytest.fixture(params=["eager", "graph", "graph_host"])
def mode(request, monkeypatch):
    """Eager updates, or either graph mode."""
    return _graph_mode(request.param, monkeypatch)


def feed(metric, batches, mode="eager", use_mask=True):
    if mode == "eager":
        def update(y_true, y_pred, mask, w):
            # A copy of the weights: Keras on torch multiplies them by the mask in place.
            metric.update_state(y_true, masked(y_pred, mask), sample_weight=None if w is None else np.array(w))
    else:
        import tensorflow as tf

        @tf.function(reduce_retracing=True)
        def update(y_true, y_pred, mask, w):
            set_keras_mask(y_pred, mask)
            metric.update_state(y_true, y_pred, sample_weight=w)
    for y_true, y_pred, mask, w in batches:
        update(y_true, y_pred, mask if use_mask else None, w)
    return np.asarray(metric.result(), np.float64)


def assert_close(ours, theirs, rtol=1e-6):
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol * max(1.0, float(np.max(np.abs(theirs)))))


@pytest.mark.parametrize("sequence,weights", [(True, None), (True, "entries"), (True, "column"), (False, None),
                                              (False, "entries")], ids=["3d", "3d-w", "3d-w1", "2d", "2d-w"])
@pytest.mark.parametrize("name,kwargs,kind", MASKED, ids=[f"{n}-{d}-{len(k)}" for n, k, d in MASKED])
def test_mean_metrics_apply_the_mask(rng, name, kwargs, kind, sequence, weights, mode="eager"):
    skip_unless_keras_has(name, *kwargs)
    batches = make_batches(rng, kind, sequence, weights)
    theirs = feed(getattr(keras.metrics, name)(**kwargs), batches)
    ours = feed(getattr(ak, name)(**kwargs), batches, mode)
    assert_close(ours, theirs)
    unmasked = feed(getattr(ak, name)(**kwargs), batches, use_mask=False)
    assert abs(float(ours) - float(unmasked)) > 1e-5 * max(1.0, abs(float(unmasked)))


@pytest.mark.parametrize("weights", [None, "entries"])
@pytest.mark.parametrize("name,kwargs,kind", MASKED, ids=[f"{n}-{d}-{len(k)}" for n, k, d in MASKED])
def test_mean_metrics_apply_a_mask_set_in_a_graph(rng, graph, name, kwargs, kind, weights):
    test_mean_metrics_apply_the_mask(rng, name, kwargs, kind, True, weights, graph)


@pytest.mark.parametrize("name,kwargs,kind", UNMASKED, ids=[f"{n}-{d}" for n, k, d in UNMASKED])
def test_other_metrics_ignore_the_mask(rng, name, kwargs, kind):
    batches = make_batches(rng, kind, name not in TWO_D_ONLY, None)  # sequences, where the metric takes them
    theirs = feed(getattr(keras.metrics, name)(**kwargs), batches)
    ours = feed(getattr(ak, name)(**kwargs), batches)
    assert_close(ours, theirs)
    np.testing.assert_array_equal(ours, feed(getattr(ak, name)(**kwargs), batches, use_mask=False))


def test_mean_metric_wrapper_with_a_function_of_the_values(rng):
    def fn(y_true, y_pred, power=1.0):
        return keras.ops.mean(keras.ops.abs(keras.ops.subtract(y_true, y_pred)) ** power, axis=-1)

    batches = make_batches(rng, "real", True, None)
    theirs = feed(keras.metrics.MeanMetricWrapper(fn, power=2.0), batches)
    ours = feed(ak.MeanMetricWrapper(fn, power=2.0), batches)
    assert_close(ours, theirs)
    assert abs(float(ours) - float(feed(ak.MeanMetricWrapper(fn, power=2.0), batches, use_mask=False))) > 1e-5


@pytest.mark.parametrize("weights", [None, "entries"])
def test_ignore_class_masks_the_values_only_with_weights_as_in_keras(rng, weights):
    """SparseCategoricalCrossentropy(ignore_class=...) returns values carrying a mask of the ignored
    entries; Mean applies it only when there are weights, so without them the ignored entries count."""
    batches = make_batches(rng, "sparse", True, weights)
    skip_unless_keras_has("SparseCategoricalCrossentropy", "ignore_class")
    theirs = feed(keras.metrics.SparseCategoricalCrossentropy(ignore_class=1), batches, use_mask=False)
    ours = feed(ak.SparseCategoricalCrossentropy(ignore_class=1), batches, use_mask=False)
    assert_close(ours, theirs)
    plain = feed(ak.SparseCategoricalCrossentropy(), batches, use_mask=False)
    assert (ours < plain) if weights is None else (abs(float(ours) - float(plain)) > 1e-5)


# values shape, mask shape, weight shape (None: no weight, so Keras ignores the mask)
REDUCTIONS = [((6, 5), (6, 5), None), ((6, 5), (6, 5), (6, 5)), ((6, 5), (6, 5), ()), ((6,), (6,), (6,)),
              ((6, 5, 2), (6, 5), (6, 5)), ((6, 5), (6, 5), (6, 5, 1))]


@pytest.mark.parametrize("name", ["Mean", "Sum"])
@pytest.mark.parametrize("shape,mask_shape,wshape", REDUCTIONS, ids=[str(r) for r in REDUCTIONS])
def test_reductions_apply_a_mask_on_the_values_only_with_weights(rng, mode, name, shape, mask_shape, wshape):
    batches = []
    for _ in range(3):
        w = None if wshape is None else rng.random(wshape).astype(np.float32)
        batches.append((rng.normal(size=shape).astype(np.float32), rng.random(mask_shape) < 0.6, w))

    def run(metric, mode="eager", use_mask=True):
        if mode == "eager":
            def update(v, m, w):
                metric.update_state(masked(v, m), sample_weight=None if w is None else np.array(w))
        else:
            import tensorflow as tf

            @tf.function(reduce_retracing=True)
            def update(v, m, w):
                set_keras_mask(v, m)
                metric.update_state(v, sample_weight=w)
        for v, m, w in batches:
            update(v, m if use_mask else None, w)
        return np.asarray(metric.result(), np.float64)

    ours = run(getattr(ak, name)(), mode)
    if wshape == () and keras.backend.backend() == "torch":
        # Keras on torch multiplies the weight by the mask in place, which fails for a scalar weight;
        # the weight broadcast to the mask's shape is the same weighting.
        batches = [(v, m, np.full(m.shape, w, np.float32)) for v, m, w in batches]
    assert_close(ours, run(getattr(keras.metrics, name)()))
    unmasked = run(getattr(ak, name)(), use_mask=False)
    if wshape is None:  # the same value; a float32 state (JAX without float64) rounds the masked path's batches
        np.testing.assert_allclose(ours, unmasked, rtol=1e-12 if state_dtype() == "float64" else 1e-6)
    else:
        assert abs(float(ours) - float(unmasked)) > 1e-5


def test_per_sample_weights_with_a_per_step_mask_fail_as_in_keras(rng):
    """Keras multiplies a (batch,) weight by a (batch, time) mask, which does not broadcast."""
    y_true, y_pred, mask, _ = make_batches(rng, "sparse", True, None)[0]
    w = rng.random(len(y_true)).astype(np.float32)
    for metric in (keras.metrics.SparseCategoricalAccuracy(), ak.SparseCategoricalAccuracy()):
        with pytest.raises(Exception):
            metric.update_state(y_true, masked(y_pred, mask), sample_weight=w)


def test_the_caller_s_weights_are_left_alone(rng):
    """Keras on torch multiplies the caller's sample_weight tensor by the mask in place; ours reads it only."""
    y_true, y_pred, mask, _ = make_batches(rng, "sparse", True, None)[0]
    w = keras.ops.ones(mask.shape)
    ak.SparseCategoricalAccuracy().update_state(y_true, masked(y_pred, mask), sample_weight=w)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(w), np.ones(mask.shape))


# Integration: a sequence model whose padded steps are masked by Embedding(mask_zero=True).

VOCAB, CLASSES, LENGTH = 20, 4, 6


def pairs(specs):
    out = []
    for name, kwargs in specs:
        theirs = getattr(keras.metrics, name)(**kwargs)
        out.append((theirs, getattr(ak, name)(name="ak_" + theirs.name, **kwargs)))
    return out


def assert_logs_agree(logs, outputs, rtol=1e-5):
    for output, metric_pairs in outputs.items():
        for theirs, ours in metric_pairs:
            for prefix in ("", "val_"):
                key = f"{prefix}{output}_{theirs.name}"
                if key in logs or prefix == "":
                    np.testing.assert_allclose(logs[f"{prefix}{output}_{ours.name}"], logs[key], rtol=rtol,
                                               atol=1e-6, err_msg=key)


@pytest.fixture(scope="module")
def padded():
    rng = np.random.default_rng(0)
    n = 90  # batches of 16: an uneven last batch
    lengths = rng.integers(1, LENGTH + 1, n)
    x = rng.integers(1, VOCAB, (n, LENGTH))
    padding = np.arange(LENGTH)[None, :] >= lengths[:, None]
    x[padding] = 0
    labels = rng.integers(0, CLASSES, (n, LENGTH))
    labels[padding] = 0  # padded steps labelled 0: predicting 0 there would look right if they were counted
    y = {"cls": labels, "reg": rng.normal(size=(n, LENGTH, 1)).astype(np.float32)}
    w = {"cls": rng.random((n, LENGTH)).astype(np.float32), "reg": np.ones((n, LENGTH), np.float32)}
    return x, y, w, ~padding


def sequence_model(jit_compile="auto"):
    keras.utils.set_random_seed(0)
    tokens = keras.Input((LENGTH,), dtype="int32")
    h = keras.layers.Embedding(VOCAB, 8, mask_zero=True)(tokens)
    h = keras.layers.Dense(16, activation="relu")(h)
    outputs = {"cls": keras.layers.Dense(CLASSES, activation="softmax", name="cls")(h),
               "reg": keras.layers.Dense(1, name="reg")(h)}
    model = keras.Model(tokens, outputs)
    metrics = {"cls": pairs([("SparseCategoricalAccuracy", {}), ("SparseTopKCategoricalAccuracy", {"k": 2})]),
               "reg": pairs([("MeanSquaredError", {}), ("MeanAbsoluteError", {})])}
    weighted = {"cls": pairs([("SparseCategoricalCrossentropy", {})])}
    model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  metrics={k: [m for p in v for m in p] for k, v in metrics.items()},
                  weighted_metrics={k: [m for p in v for m in p] for k, v in weighted.items()},
                  jit_compile=jit_compile)
    return model, {**metrics, **{"cls": metrics["cls"] + weighted["cls"]}}


def test_fit_and_evaluate_on_a_masked_sequence_model(padded):
    x, y, w, valid = padded
    model, outputs = sequence_model()
    history = model.fit(x[:70], {k: v[:70] for k, v in y.items()}, sample_weight={k: v[:70] for k, v in w.items()},
                        batch_size=16, epochs=2, verbose=0,
                        validation_data=(x[70:], {k: v[70:] for k, v in y.items()}, {k: v[70:] for k, v in w.items()}))
    for epoch in range(2):
        assert_logs_agree({k: v[epoch] for k, v in history.history.items()}, outputs)
    logs = model.evaluate(x, y, sample_weight=w, batch_size=32, verbose=0, return_dict=True)
    assert_logs_agree(logs, outputs)

    # The value is the accuracy over the unpadded steps only, and differs from the accuracy over all steps.
    hits = np.asarray(model.predict(x, verbose=0)["cls"]).argmax(-1) == y["cls"]
    np.testing.assert_allclose(logs["cls_ak_sparse_categorical_accuracy"], hits[valid].mean(), rtol=1e-5)
    assert abs(hits.mean() - hits[valid].mean()) > 1e-3


def test_xla_compiled_evaluate_applies_the_mask(padded):
    if keras.backend.backend() != "tensorflow":
        pytest.skip("the XLA fallback is TensorFlow's (JAX runs the host callback under jit)")
    x, y, w, _ = padded
    model, outputs = sequence_model(jit_compile=True)
    assert_logs_agree(model.evaluate(x, y, sample_weight=w, batch_size=32, verbose=0, return_dict=True), outputs)
