"""per_example equals a slow per-element predict loop; worst(k) and the table helpers."""

import numpy as np
import pytest

pytest.importorskip("keras.ops")  # not "keras": tests/keras alone passes for a namespace package
import keras  # noqa: E402

from accumetrics.diagnostics import Examples, per_example, sample_losses  # noqa: E402


def model(outputs, activation, loss):
    keras.utils.set_random_seed(4)
    m = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(outputs, activation=activation)])
    m.compile(optimizer="adam", loss=loss)
    return m


def slow(m, x, y, loss_fn, probs_of, binary, threshold=0.5):
    """One model.predict per example, everything computed for that example alone."""
    rows = []
    for i in range(len(x)):
        out = m.predict(x[i:i + 1], verbose=0)[0]
        p = probs_of(out.astype(np.float64))
        label = int(y[i])
        if binary:
            p1 = float(p[0])
            predicted = int(p1 > threshold)
            probs = np.array([1 - p1, p1])
        else:
            probs = p
            predicted = int(np.argmax(probs))
        other = max(probs[c] for c in range(len(probs)) if c != label)
        loss = float(loss_fn(np.asarray(y[i:i + 1]), out[None]))
        rows.append((label, predicted, probs[predicted], predicted == label, probs[label] - other, loss))
    return rows


def check(table, rows):
    """Float32 outputs of a batched predict may differ from one-example predicts by a few ulps."""
    assert len(table) == len(rows)
    for i, (label, predicted, confidence, correct, margin, loss) in enumerate(rows):
        assert table["index"][i] == i
        assert table["label"][i] == label and table["predicted"][i] == predicted
        assert table["correct"][i] == correct
        assert table["confidence"][i] == pytest.approx(confidence, rel=1e-6, abs=1e-6)
        assert table["margin"][i] == pytest.approx(margin, rel=1e-6, abs=1e-6)
        assert table["loss"][i] == pytest.approx(loss, rel=1e-5, abs=1e-6)


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def test_multiclass_equals_the_per_element_loop(rng):
    x = rng.normal(size=(24, 6)).astype(np.float32)
    y = rng.integers(0, 3, 24)
    m = model(3, "softmax", "sparse_categorical_crossentropy")
    loss = keras.losses.SparseCategoricalCrossentropy()
    check(per_example(m, x, y, batch_size=7), slow(m, x, y, lambda t, p: loss(t, p), lambda p: p, binary=False))
    onehot = np.eye(3)[y]  # one-hot labels give the same table
    table = per_example(m, x, onehot, loss="categorical_crossentropy")
    np.testing.assert_array_equal(table["label"], y)
    np.testing.assert_allclose(table["loss"], per_example(m, x, y)["loss"], rtol=1e-5)


def test_binary_and_logits_equal_the_per_element_loop(rng):
    x = rng.normal(size=(20, 6)).astype(np.float32)
    y = rng.integers(0, 2, 20)
    m = model(1, "sigmoid", "binary_crossentropy")
    loss = keras.losses.BinaryCrossentropy()
    check(per_example(m, x, y[:, None]), slow(m, x, y, lambda t, p: loss(t[:, None], p), lambda p: p, binary=True))
    logits = model(3, None, keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    y3 = rng.integers(0, 3, 20)
    check(per_example(logits, x, y3, from_logits=True), slow(logits, x, y3, lambda t, p: loss(t, p), softmax, False))


def test_worst_and_table_helpers(rng):
    table = Examples(index=np.arange(6), loss=np.array([0.5, 2.0, 0.1, 2.0, 3.0, 0.0]),
                     margin=np.array([0.1, -0.5, 0.9, -0.4, -0.9, 1.0]))
    assert table.worst(3)["index"].tolist() == [4, 1, 3]  # ties keep the data order
    assert table.worst(2, by="margin")["index"].tolist() == [4, 1]
    assert len(table.worst(0)) == 0 and len(table.worst(100)) == 6
    records = table.to_records()
    assert records.dtype.names == ("index", "loss", "margin") and records["loss"][4] == 3.0
    assert repr(table) == "Examples(6 rows: index, loss, margin)"
    with pytest.raises(ValueError, match="by must be"):
        table.worst(2, by="confidence")


def test_worst_on_a_model(rng):
    x = rng.normal(size=(50, 6)).astype(np.float32)
    y = rng.integers(0, 3, 50)
    table = per_example(model(3, "softmax", "sparse_categorical_crossentropy"), x, y)
    worst = table.worst(5)
    assert worst["index"].tolist() == np.argsort(-table["loss"], kind="stable")[:5].tolist()
    assert np.all(np.diff(worst["loss"]) <= 0)


def test_bad_input(rng):
    x = rng.normal(size=(5, 6)).astype(np.float32)
    m = model(3, None, "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="from_logits=True"):
        per_example(m, x, np.zeros(5, dtype=int))
    with pytest.raises(ValueError, match="labels outside"):
        per_example(m, x, np.full(5, 3), from_logits=True)
    with pytest.raises(ValueError, match="expected"):
        per_example(m, x, np.zeros(4, dtype=int), from_logits=True)
    with pytest.raises(ValueError, match="other than 0 and 1"):
        per_example(model(1, "sigmoid", "binary_crossentropy"), x, np.full(5, 2))
    with pytest.raises(TypeError, match="loss must be"):
        sample_losses(3, np.zeros(2), np.zeros(2))
    uncompiled = keras.Sequential([keras.Input((6,)), keras.layers.Dense(2, activation="softmax")])
    assert "loss" not in per_example(uncompiled, x, np.zeros(5, dtype=int))
