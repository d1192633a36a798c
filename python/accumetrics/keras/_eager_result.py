"""A metric's ``result`` read outside a trace, compiled on JAX.

Keras reads every metric's ``result()`` eagerly at the end of ``evaluate`` and of each
epoch of ``fit``. On JAX each eager op is a dispatch of its own, and the formulas read
from counts at 200 thresholds (AUC's interpolation, the *At* metrics' searches) are
dozens of ops: 1.3-4.4 ms for an AUC, 0.6 ms for a Precision; compiled with ``jax.jit``
they are one call of 0.3-0.7 ms.

The compiled function takes the values of the metric's variables (read in a
``StatelessScope``) as arguments, and the values that stand in for its state where there
are any (those ``PerClass`` reads one class at a time, :func:`reading`), so it is right for
any values of the same shapes. The state's own values (a double-float32 pair's sum) are
computed inside it: eagerly each would be a dispatch of its own.
Metrics of one class and config share it; it is compiled again for other settings (a
``get_config()`` that differs, as while ``PerClass`` sets ``average``). Inside a trace
(a jitted train step) ``result`` is traced as written.
"""

from __future__ import annotations

import contextlib
import functools
import json

import keras

from . import _placement


class FixedState:
    """Stands in for one of a metric's ``StateVariable`` states while its ``result`` reads ``value``."""

    def __init__(self, value):
        self._value = value

    def value(self):
        return self._value


@contextlib.contextmanager
def reading(metric, values: dict):
    """The metric's ``result`` reading ``values`` (name: tensor) in place of those parts of its state."""
    state = metric._state
    metric._state = {**state, **{name: FixedState(v) for name, v in values.items()}}
    try:
        yield
    finally:
        metric._state = state


class _Settings:
    """A static argument of the compiled function: equal for metrics of one class and one config, which
    read the same result from the same state (Keras rebuilds a metric from its config)."""

    def __init__(self, metric, config: str):
        self.metric, self._key = metric, (type(metric), config)

    def __hash__(self):
        return hash(self._key)

    def __eq__(self, other):
        return isinstance(other, _Settings) and self._key == other._key


def _read(result, settings, names, values, variables):
    metric = settings.metric
    with keras.StatelessScope(state_mapping=list(zip(metric.variables, variables))):
        with reading(metric, dict(zip(names, values))):
            return result(metric)


@functools.cache
def _compiled(result):
    import jax

    return jax.jit(functools.partial(_read, result), static_argnums=(0, 1))


def compiled_when_eager(result):
    """``result``, run as one compiled call when it is read eagerly on JAX."""

    @functools.wraps(result)
    def read(metric):
        state = getattr(metric, "_state", None)
        if not state or keras.backend.backend() != "jax" or _placement.on_host():
            return result(metric)
        import jax

        stand_ins = {name: s.value() for name, s in state.items() if isinstance(s, FixedState)}
        variables = [v.value for v in metric.variables]
        if any(isinstance(v, jax.core.Tracer) for v in [*stand_ins.values(), *variables]):
            return result(metric)
        try:
            config = {k: v for k, v in metric.get_config().items() if k != "name"}  # Keras numbers names: auc_1
            settings = _Settings(metric, json.dumps(config, sort_keys=True, default=repr))
        except Exception:  # settings that cannot key a compiled function: read eagerly
            return result(metric)
        return _compiled(result)(settings, tuple(stand_ins), list(stand_ins.values()), variables)

    return read
