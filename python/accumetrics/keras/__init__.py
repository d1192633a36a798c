"""Drop-in Keras 3 metrics computed by the accumetrics core.

Change ``from keras import metrics`` to ``from accumetrics.keras import metrics``
(or import a class by name): the 45 classes of ``keras.metrics`` with the same
names, arguments, defaults and values.

How they run
    State lives in Keras variables (``add_variable``), so ``reset_state``,
    ``stateless_update_state``, saving and distribution strategies work as usual.
    An eager call on the CPU (TensorFlow eager tensors, JAX arrays, torch, numpy)
    runs on the host: the C++ core counts the batch and what it adds is kept in
    float64 beside the variables, which receive it before anything else reads
    them (``variables``, a state attribute, a traced call); ``result()`` is
    computed by numpy. Inside ``tf.function`` (``fit``, ``evaluate``) each
    ``update_state`` computes the batch's contribution in the core through
    ``tf.numpy_function`` and adds it to the variables. Inside
    XLA-compiled TensorFlow functions (``jit_compile=True``), where host calls
    cannot run, the same quantities come from ``keras.ops``; so do those of
    batches of at most 4,096 values inside a TensorFlow graph (a ``tf.cond`` on
    the batch size where it is unknown when tracing), where a host call would cost
    more than the counting, and every batch under ``jax.jit``, which XLA compiles
    into the step; there, on CPU, the histograms of more than four thresholds
    (AUC) are counted by the core as an XLA custom call (``jax.ffi``). Checks in
    the graph raise the core's errors
    (finite scores, values and weights): TensorFlow
    assertions, and under JAX a host callback made only when a check fails.
    In a TensorFlow graph or a JAX trace, metrics that need the same batch
    histogram from the same tensors (Precision, Recall and TP/FP/TN/FN at one
    threshold; ROC and PR AUC at the same thresholds) share one computation.

Masks
    A Keras mask on ``y_pred`` (from ``Masking``, ``Embedding(mask_zero=True)``, ...)
    is applied as ``keras.metrics`` applies it: the mean metrics (accuracies,
    errors, cross-entropies, hinge, correlations, ``MeanMetricWrapper``) give
    masked entries weight 0; ``Mean`` and ``Sum`` apply a mask on their values
    only when a ``sample_weight`` is given; the confusion, threshold, IoU and
    F-score metrics, ``R2Score`` and ``RootMeanSquaredError`` ignore masks.

Where values differ from Keras, on purpose
    State is exact (float64, or a double-float32 pair on JAX without
    ``jax_enable_x64``); fractional IoU weights are kept; NaN or infinite scores
    raise (under XLA, which cannot raise, they make the state NaN); a score is
    above a threshold when strictly greater. The full list, and the tests of
    Keras's own suite that these differences fail, is in ``docs/keras.md``.
"""

from . import metrics
from .metrics import *  # noqa: F401,F403
from .metrics import __all__ as _metric_names
from .agreement_metrics import CohenKappa, MatthewsCorrelation
from .calibration_metrics import BrierScore, ExpectedCalibrationError, MaximumCalibrationError
from .one_vs_rest import OneVsRestAUC
from .per_class import PerClass
from .windows import Windowed

__all__ = [*_metric_names, "BrierScore", "CohenKappa", "ExpectedCalibrationError", "MatthewsCorrelation",
           "MaximumCalibrationError", "OneVsRestAUC", "PerClass", "Windowed"]
