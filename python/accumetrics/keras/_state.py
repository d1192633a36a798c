"""Metric state that each batch's contribution is added to.

The state is a float64 Keras variable: counts are exact to 2**53. Where the
backend has no float64 (JAX without ``jax_enable_x64``) it is a float32 variable
plus a second one holding what the first could not represent, a double-float32
pair updated with an error-free sum: counts stay exact to 2**48 (a float32
counter stops at 2**24) and sums carry about 48 bits.

Calls that run on the host (``_placement``) add to a float64 numpy array beside the
variables (``pending``) and read the variables' value once, kept while nobody else
writes them; the variables receive what is pending before anything else reads or
writes them.
"""

from __future__ import annotations

import numpy as np

from . import _placement
from ._bridge import backend, numpy_dtype, state_dtype
from ._ops import ops


class StateVariable:
    """A state variable of ``metric``, kept as its attribute ``attribute`` (default ``name``), with its low
    part (``low``) where float64 is missing.

    The variable is read through the attribute, as Keras's metrics read theirs: one a user puts in its
    place (``metric.total_cm = metric.add_variable(...)``) is the one updated, in its own dtype. Reading
    the attribute hands the variable out: what is pending is written to it first.
    """

    def __init__(self, metric, name: str, shape, attribute: str | None = None):
        dtype = state_dtype()
        self._metric, self._attribute = metric, attribute or name
        self._own = metric.add_variable(shape=shape, initializer="zeros", dtype=dtype, name=name)
        _expose(type(metric), self._attribute)
        setattr(metric, self._attribute, self._own)
        self._low = None
        if dtype != "float64":
            self._low = metric.add_variable(shape=shape, initializer="zeros", dtype=dtype, name=name + "_low")
        states = metric.__dict__.setdefault("_accumetrics_states", [])
        states.append(self)
        self._pending = None  # float64, added on the host and not yet written to the variables
        self._host = None  # the variables' value (float64) as last read or written here
        self._host_version = None  # what the variables held then (:meth:`_version`)
        self._handed_out = False  # a graph or a caller holds the variable and may write it

    @property
    def variable(self):
        return self._metric.__dict__[self._attribute]

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
        """Adds ``delta``: staged on the host during a host call, to the variables otherwise."""
        if _placement.on_host():
            _placement.stage(self, np.asarray(delta, dtype=np.float64))
            return
        self.write_pending()
        self._note_graph()
        self._add_to_variables(delta)
        self._host = None  # read again at the next host read

    def add_on_host(self, delta):
        """Adds a host call's ``delta`` (float64 numpy) beside the variables; to them at once where a
        TensorFlow graph or a caller may read them without asking (:meth:`hand_out`)."""
        if self._pending is None:
            self._pending = np.array(delta, dtype=np.float64).reshape(self.shape)
        else:
            self._pending += delta
        if self._handed_out and backend() == "tensorflow":
            self.write_pending()

    def _add_to_variables(self, delta):
        variable, low_part = self.variable, self.low
        if low_part is None and isinstance(delta, np.ndarray) and backend() == "tensorflow":
            # what the host kept: TensorFlow's own assign (Keras's converts, checks and reads back, ~4x the cost)
            variable.value.assign_add(delta.astype(numpy_dtype(variable.dtype)), read_value=False)
            return
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

    def write_pending(self):
        """Writes what is pending to the variables (eagerly, even while a TensorFlow graph is built);
        inside a JAX trace or a stateless scope, which cannot write them, it stays pending."""
        if self._pending is None or not _placement.can_write_variables():
            return
        pending, self._pending = self._pending, None
        if _placement.in_graph():
            import tensorflow as tf

            with tf.init_scope():
                self._add_to_variables(pending)
        else:
            self._add_to_variables(pending)
        if self._host is not None:
            self._host = self._host + pending
            self._host_version = self._version()

    def hand_out(self):
        """Before the variable leaves this object (``variables``, the attribute): what is pending is
        written to it, and from then on its holder may write it too: each host read checks its version
        (:meth:`_version`), and on TensorFlow, where a graph may read it at any time, each host update is
        written to it at once."""
        self.write_pending()
        self._handed_out = True

    def _note_graph(self):
        if _placement.in_graph():  # the graph holds the variable from now on
            self._handed_out = True

    def value(self):
        """The state: a float64 numpy array in a host call, a tensor (high + low, rounded to the state's
        dtype) otherwise."""
        if _placement.on_host():
            host = self._read_host()
            return host if self._pending is None else host + self._pending
        self.write_pending()
        self._note_graph()
        if self.low is None:
            return ops.convert_to_tensor(self.variable)
        return ops.convert_to_tensor(self.variable) + ops.convert_to_tensor(self.low)

    def _read_host(self):
        version = self._version()
        if self._host is None or not _same(version, self._host_version):
            value = _placement.to_numpy(self.variable.value).astype(np.float64)
            if self.low is not None:
                value = value + _placement.to_numpy(self.low.value)
            self._host, self._host_version = value, version
        return self._host

    def _version(self):
        """What identifies the variables' current value (compared by :func:`_same`), or None where it cannot
        be known. Only this object writes a variable never handed out: a constant. One handed out may be
        written by its holder: each write makes a new JAX array and bumps a torch tensor's version;
        TensorFlow's cannot be seen (None: read again)."""
        if not self._handed_out:
            return ()
        name = backend()
        if name == "tensorflow":
            return None
        parts = []
        for v in (self.variable, self.low):
            if v is not None:
                value = v.value
                parts.extend((value, value._version) if name == "torch" else (value,))
        return tuple(parts)

    def reset(self):
        self._pending = None
        self._note_graph()
        for v in (self.variable, self.low):
            if v is not None:
                v.assign(ops.zeros(v.shape, dtype=v.dtype))
        self._host, self._host_version = np.zeros(self.shape), self._version()


def _same(version, other) -> bool:
    """Whether two versions (:meth:`StateVariable._version`) are of one value: the same objects, and the
    same torch versions."""
    return (version is not None and other is not None and len(version) == len(other)
            and all(a is b or (type(a) is int and a == b) for a, b in zip(version, other)))


def hand_out_states(metric):
    """Writes what is pending in each of ``metric``'s states to its variables (:meth:`StateVariable.hand_out`)."""
    for state in metric.__dict__.get("_accumetrics_states", ()):
        state.hand_out()


class _StateAttribute:
    """A state variable's attribute on its metric: reading it hands the variable out."""

    def __init__(self, name):
        self._name = name

    def __get__(self, metric, owner=None):
        if metric is None:
            return self
        for state in metric.__dict__.get("_accumetrics_states", ()):
            if state._attribute == self._name:
                state.hand_out()
        try:
            return metric.__dict__[self._name]
        except KeyError:
            raise AttributeError(self._name) from None

    def __set__(self, metric, value):
        metric.__dict__[self._name] = value


def _expose(cls, attribute: str):
    if not isinstance(cls.__dict__.get(attribute), _StateAttribute):
        setattr(cls, attribute, _StateAttribute(attribute))
