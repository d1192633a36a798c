"""Per-example diagnostics of a Keras classifier, from one batched prediction pass.

:func:`per_example` predicts a whole dataset at once and returns, for every
sample, its label, predicted class, confidence, whether it is correct, its loss
and its margin, as an :class:`Examples` table (a dict of numpy arrays, one row
per sample); ``table.worst(k)`` gives the k examples with the highest loss.
Looping ``model.predict`` over single examples gives the same numbers a few
hundred times slower.
"""

from __future__ import annotations

import keras
import numpy as np

from ._shapes import same_rank

COLUMNS = ("index", "label", "predicted", "confidence", "correct", "margin", "loss")


class Examples(dict):
    """Columns of per-sample values (numpy arrays of equal length), by name; one row per sample.

    ``index`` is each row's position in the data given to :func:`per_example`.
    """

    def __len__(self):
        return len(self["index"])

    @property
    def columns(self) -> list[str]:
        return list(self.keys())

    def take(self, rows) -> "Examples":
        """The table restricted to ``rows`` (indices or a boolean mask), in that order."""
        return Examples({name: column[rows] for name, column in self.items()})

    def worst(self, k: int = 10, by: str = "loss") -> "Examples":
        """The ``k`` rows with the highest ``loss`` (``by="loss"``) or the lowest ``margin``, worst first.

        Ties keep the data order.
        """
        if by not in ("loss", "margin"):
            raise ValueError(f"by must be 'loss' or 'margin'; got {by!r}")
        if by not in self:
            raise ValueError("this table has no loss column: pass loss= to per_example or compile the model")
        k = int(k)
        if k < 0:
            raise ValueError(f"k must be >= 0; got {k}")
        key = -self[by] if by == "loss" else self[by]
        return self.take(np.argsort(key, kind="stable")[:k])

    def to_records(self) -> np.ndarray:
        """The table as a numpy structured array."""
        return np.rec.fromarrays(list(self.values()), names=list(self.keys()))

    def __repr__(self) -> str:
        return f"Examples({len(self)} rows: {', '.join(self.columns)})"


def sample_losses(loss, y_true, y_pred) -> np.ndarray:
    """Per-sample values of a Keras loss (name, function or ``keras.losses.Loss``), shape (N,), float64.

    Labels and predictions are lined up as Keras losses do (a trailing axis of 1 squeezed or
    added), so the values are those whose batch mean ``fit`` and ``evaluate`` report.
    """
    fn = keras.losses.get(loss) if isinstance(loss, (str, dict)) else loss
    if fn is None or not callable(fn):
        raise TypeError(f"loss must be a Keras loss: a name, a function or a keras.losses.Loss; got {loss!r}")
    if isinstance(fn, keras.losses.Loss):
        fn = fn.call  # the per-sample values, before reduction
    y_pred = keras.ops.convert_to_tensor(y_pred)
    y_true = keras.ops.convert_to_tensor(y_true)
    if "float" in str(y_true.dtype) or len(y_true.shape) == len(y_pred.shape):
        y_true = keras.ops.cast(y_true, y_pred.dtype)
    y_true, y_pred = same_rank(y_true, y_pred)
    values = keras.ops.convert_to_numpy(fn(y_true, y_pred)).astype(np.float64)
    return values.reshape(len(values), -1).mean(axis=1) if values.ndim > 1 else values


def _class_labels(y, y_pred):
    y = np.asarray(y)
    if y.ndim == y_pred.ndim and y.shape == y_pred.shape and y_pred.ndim == 2 and y_pred.shape[1] > 1:
        return np.argmax(y, axis=1)  # one-hot
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or len(y) != len(y_pred):
        raise ValueError(f"y has shape {y.shape}; expected ({len(y_pred)},) class labels or one-hot rows of the "
                         f"predictions' shape {y_pred.shape}")
    if y.dtype.kind == "f" and not np.all(y == np.round(y)):
        raise ValueError("y holds non-integer values; per_example expects class labels (or one-hot rows)")
    return y.astype(np.int64)


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def per_example(model, x, y, *, loss=None, from_logits: bool = False, threshold: float = 0.5,
                batch_size: int = 1024) -> Examples:
    """Per-sample diagnostics of a classifier from one batched ``model.predict`` over ``x``.

    Args:
        model: a Keras model whose outputs are class probabilities, shape (N, C), or the
            probability of class 1, shape (N,) or (N, 1) (logits with ``from_logits=True``).
        x, y: the inputs (anything ``model.predict`` takes) and the labels: class ids, or
            one-hot rows for (N, C) outputs.
        loss: a Keras loss for the ``loss`` column (default: the model's compiled loss; no
            column when the model has none).
        threshold: the probability above which a binary prediction is class 1.

    Returns an :class:`Examples` table with the columns:
        index: row in ``x``; label: the true class; predicted: the predicted class;
        confidence: the probability of the predicted class; correct: predicted == label;
        margin: probability of the true class minus the highest probability among the
        other classes (negative when wrong); loss: the sample's loss.
    """
    y_pred = np.asarray(model.predict(x, batch_size=batch_size, verbose=0))
    if y_pred.ndim == 0 or y_pred.ndim > 2:
        raise ValueError(f"the model's outputs have shape {y_pred.shape}; per_example expects (N, C), (N,) or (N, 1)")
    probs = y_pred.astype(np.float64)
    binary = probs.ndim == 1 or probs.shape[1] == 1
    if from_logits:
        probs = 1.0 / (1.0 + np.exp(-probs)) if binary else _softmax(probs)
    elif probs.size and (probs.min() < 0 or probs.max() > 1):
        raise ValueError("the model's outputs are not probabilities (outside [0, 1]); pass from_logits=True")
    label = _class_labels(y, y_pred)
    n = len(label)
    if binary:
        p1 = probs.reshape(n)
        if np.any((label != 0) & (label != 1)):
            raise ValueError("y holds labels other than 0 and 1 for a model with one output per sample")
        predicted = (p1 > threshold).astype(np.int64)
        confidence = np.where(predicted == 1, p1, 1.0 - p1)
        true_prob = np.where(label == 1, p1, 1.0 - p1)
        margin = 2.0 * true_prob - 1.0
    else:
        classes = probs.shape[1]
        if n and (label.min() < 0 or label.max() >= classes):
            raise ValueError(f"y holds labels outside [0, {classes}) for a model with {classes} outputs")
        predicted = np.argmax(probs, axis=1)
        confidence = probs[np.arange(n), predicted]
        true_prob = probs[np.arange(n), label]
        others = probs.copy()
        others[np.arange(n), label] = -np.inf
        margin = true_prob - others.max(axis=1)
    table = Examples(index=np.arange(n), label=label, predicted=predicted, confidence=confidence,
                     correct=predicted == label, margin=margin)
    if loss is None:
        loss = getattr(model, "loss", None)
    if loss is not None:
        table["loss"] = sample_losses(loss, y, y_pred)
    return table
