"""Results in the array namespace of the inputs, where scikit-learn's ``array_api_dispatch`` asks for it.

The functions read arrays of any library that numpy can read in place (torch and JAX on the CPU,
array-api-strict...) and compute with numpy. With ``sklearn.set_config(array_api_dispatch=True)``,
sklearn returns arrays of the namespace and device of ``y_pred`` (which ``y_true`` and
``sample_weight`` follow); so do these functions. Scalars stay Python floats, as sklearn's.
"""

from __future__ import annotations

import functools
import sys

import numpy as np

_PREDICTIONS = ("y_pred", "y_score", "y_proba", "y2")


def _dispatching() -> bool:
    sklearn = sys.modules.get("sklearn")  # never imported here: without sklearn there is no setting
    get_config = getattr(sklearn, "get_config", None)
    return bool(get_config is not None and get_config().get("array_api_dispatch", False))


def _reference(args, kwargs):
    """The input whose namespace the result follows: y_pred (or y_score...), else y_true."""
    from sklearn.externals.array_api_compat import is_array_api_obj

    candidates = [args[1] if len(args) > 1 else next((kwargs[k] for k in _PREDICTIONS if k in kwargs), None)]
    candidates.append(args[0] if args else kwargs.get("y_true", kwargs.get("y1")))
    return next((x for x in candidates if x is not None and is_array_api_obj(x)), None)


def _convert(result, xp, device):
    if isinstance(result, np.ndarray):
        return xp.asarray(np.ascontiguousarray(result), device=device)
    if isinstance(result, tuple):
        return tuple(_convert(r, xp, device) for r in result)
    return result


def follow_array_api_dispatch(func):
    """`func` whose array results are in the namespace and on the device of its inputs under array API dispatch."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        result = func(*args, **kwargs)
        if not _dispatching():
            return result
        reference = _reference(args, kwargs)
        if reference is None or isinstance(reference, np.ndarray):
            return result
        from sklearn.externals.array_api_compat import array_namespace, device

        return _convert(result, array_namespace(reference), device(reference))

    return wrapper
