"""Metric state that each batch's contribution is added to.

The state is a float64 Keras variable: counts are exact to 2**53. Where the
backend has no float64 (JAX without ``jax_enable_x64``) it is a float32 variable
plus a second one holding what the first could not represent, a double-float32
pair updated with an error-free sum: counts stay exact to 2**48 (a float32
counter stops at 2**24) and sums carry about 48 bits.
"""

from __future__ import annotations

from keras import ops

from ._bridge import state_dtype


class StateVariable:
    """A state variable of ``metric``, kept as its attribute ``attribute`` (default ``name``), with its low
    part (``low``) where float64 is missing.

    The variable is read through the attribute, as Keras's metrics read theirs: one a user puts in its
    place (``metric.total_cm = metric.add_variable(...)``) is the one updated, in its own dtype.
    """

    def __init__(self, metric, name: str, shape, attribute: str | None = None):
        dtype = state_dtype()
        self._metric, self._attribute = metric, attribute or name
        self._own = metric.add_variable(shape=shape, initializer="zeros", dtype=dtype, name=name)
        setattr(metric, self._attribute, self._own)
        self._low = None
        if dtype != "float64":
            self._low = metric.add_variable(shape=shape, initializer="zeros", dtype=dtype, name=name + "_low")

    @property
    def variable(self):
        return getattr(self._metric, self._attribute)

    @property
    def low(self):
        """The low part, or None: float64 state, or a variable put in place of ours."""
        return self._low if self.variable is self._own else None

    @property
    def dtype(self):
        return self.variable.dtype

    @property
    def shape(self):
        return self.variable.shape

    def add(self, delta):
        variable, low_part = self.variable, self.low
        delta = ops.cast(delta, variable.dtype)
        if low_part is None:
            variable.assign_add(delta)
            return
        high, low = ops.convert_to_tensor(variable), ops.convert_to_tensor(low_part)
        total = high + delta
        # Knuth's two-sum: total + error == high + delta exactly.
        b = total - high
        error = (high - (total - b)) + (delta - b)
        low = low + error
        high = total + low  # renormalise, so that |low| stays below half an ulp of high
        variable.assign(high)
        low_part.assign(low - (high - total))

    def value(self):
        """The state as a tensor (high + low, rounded to the state's dtype)."""
        if self.low is None:
            return ops.convert_to_tensor(self.variable)
        return ops.convert_to_tensor(self.variable) + ops.convert_to_tensor(self.low)

    def reset(self):
        for v in (self.variable, self.low):
            if v is not None:
                v.assign(ops.zeros(v.shape, dtype=v.dtype))
