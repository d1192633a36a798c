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


class Accumulated:
    """A state variable of ``metric`` (``variable``), with its low part (``low``) where float64 is missing."""

    def __init__(self, metric, name: str, shape):
        dtype = state_dtype()
        self.variable = metric.add_variable(shape=shape, initializer="zeros", dtype=dtype, name=name)
        self.low = None
        if dtype != "float64":
            self.low = metric.add_variable(shape=shape, initializer="zeros", dtype=dtype, name=name + "_low")

    @property
    def dtype(self):
        return self.variable.dtype

    @property
    def shape(self):
        return self.variable.shape

    def add(self, delta):
        delta = ops.cast(delta, self.dtype)
        if self.low is None:
            self.variable.assign_add(delta)
            return
        high, low = ops.convert_to_tensor(self.variable), ops.convert_to_tensor(self.low)
        total = high + delta
        # Knuth's two-sum: total + error == high + delta exactly.
        b = total - high
        error = (high - (total - b)) + (delta - b)
        low = low + error
        high = total + low  # renormalise, so that |low| stays below half an ulp of high
        self.variable.assign(high)
        self.low.assign(low - (high - total))

    def value(self):
        """The state as a tensor (high + low, rounded to the state's dtype)."""
        if self.low is None:
            return ops.convert_to_tensor(self.variable)
        return ops.convert_to_tensor(self.variable) + ops.convert_to_tensor(self.low)

    def reset(self):
        for v in (self.variable, self.low):
            if v is not None:
                v.assign(ops.zeros(v.shape, dtype=v.dtype))
