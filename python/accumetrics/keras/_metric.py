"""The base of the face's metrics: calls placed by ``_placement``, state handed out to whoever reads it."""

from __future__ import annotations

import functools

import keras

from . import _placement
from ._state import hand_out_states


class Metric(keras.metrics.Metric):
    """A Keras metric whose ``update_state`` and ``result`` run where ``_placement`` decides (on the host
    in eager code on CPU), and whose variables hold all of the state whenever anyone else reads them:
    Keras's ``variables``, a wrapping metric, a trainer, a stateless call."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # what the class calls, its own or a mixin's (regression_metrics._ErrorMoments)
        if not getattr(cls.update_state, "_placed", False):
            cls.update_state = _placed_update(cls.update_state)
        if not getattr(cls.result, "_placed", False):
            cls.result = _placed_result(cls.result)

    @property
    def result_dtype(self) -> str:
        """The dtype of ``result()``: the metric's, or Keras's float type where the metric's is an integer one
        (Keras's results of integer state are quotients, floats)."""
        dtype = keras.backend.standardize_dtype(self.dtype)
        return dtype if "float" in dtype else keras.backend.floatx()

    @property
    def _variables(self):
        # Keras reads this list for ``variables`` and for the variables of a metric it wraps
        hand_out_states(self)
        return self.__dict__["_variables"]

    @_variables.setter
    def _variables(self, value):
        self.__dict__["_variables"] = value


def _placed_update(update):
    @functools.wraps(update)
    def update_state(self, *args, **kwargs):
        if _placement.runs_on_host(args, kwargs):
            return _placement.update_on_host(update, self, args, kwargs)
        return update(self, *args, **kwargs)

    update_state._placed = True
    return update_state


def _placed_result(result):
    @functools.wraps(result)
    def placed(self):
        if _placement.runs_on_host((), {}):
            return _placement.result_on_host(result, self)
        return result(self)

    placed._placed = True
    return placed
