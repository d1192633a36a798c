"""Drop-in Keras 3 metrics computed by the accumetrics core.

Change ``from keras import metrics`` to ``from accumetrics.keras import metrics``
(or import a class by name): same names, arguments and values, with exact
float64 state. State lives in Keras variables; each update hands the batch to
the C++ core (directly, through ``tf.numpy_function`` or ``jax.pure_callback``),
and inside XLA-compiled TensorFlow functions falls back to ``keras.ops``.
"""

from . import metrics
from .metrics import *  # noqa: F401,F403
from .metrics import __all__
