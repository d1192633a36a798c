"""Checks of the plain arguments (average, zero_division, flags), raising sklearn's error class."""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..exceptions import InvalidParameterError

AVERAGES = ("binary", "micro", "macro", "weighted", "samples")


def invalid(func: str, name: str, expected: str, got) -> InvalidParameterError:
    return InvalidParameterError(f"The {name!r} parameter of {func} must be {expected}. Got {got!r} instead.")


def average(value, func: str, options=AVERAGES) -> None:
    if value is not None and not (isinstance(value, str) and value in options):
        raise invalid(func, "average", f"a str among {set(options)} or None", value)


def zero_division(value, func: str, allow_nan: bool = True) -> None:
    """'warn', 0, 1, or (where the metric allows it) np.nan."""
    if isinstance(value, str):
        if value == "warn":
            return
    elif isinstance(value, numbers.Real) and (value in (0, 1) or (allow_nan and np.isnan(value))):
        return
    expected = '{"warn", 0.0, 1.0' + (", np.nan}" if allow_nan else "}")
    raise invalid(func, "zero_division", f"one of {expected}", value)


def zero_division_value(value) -> float:
    """The number a zero division yields: 0 for 'warn', else the value itself (0, 1 or nan)."""
    if isinstance(value, str):
        return 0.0
    return float(value) if value in (0, 1) else np.nan


def flag(value, name: str, func: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise invalid(func, name, "an instance of 'bool'", value)
    return bool(value)


def integer(value, name: str, func: str, low: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < low:
        raise invalid(func, name, f"an int in the range [{low}, inf)", value)
    return int(value)


def real(value, name: str, func: str, low: float) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not value >= low:
        raise invalid(func, name, f"a float in the range [{low}, inf]", value)
    return float(value)


def option(value, name: str, func: str, options) -> None:
    if value is not None and not (isinstance(value, str) and value in options):
        raise invalid(func, name, f"a str among {set(options)} or None", value)


def pos_label(value, func: str) -> None:
    if value is not None and not isinstance(value, (numbers.Real, str, np.bool_)):
        raise invalid(func, "pos_label", "an instance of 'numbers.Real', 'str' or 'bool' or None", value)


def renamed_y_proba(y_proba, y_pred):
    """``y_proba``, or the deprecated ``y_pred`` passed in its place (sklearn 1.9 renamed it), with sklearn's
    error when both are given and its FutureWarning otherwise."""
    if isinstance(y_pred, str) and y_pred == "deprecated":
        return y_proba
    if y_proba is not None:
        raise ValueError("Cannot use both `y_pred` and `y_proba`. `y_pred` is deprecated, use `y_proba` instead.")
    warnings.warn(
        "`y_pred` was renamed to `y_proba` in version 1.9 and will be removed in 1.11. Use `y_proba` instead.",
        FutureWarning,
        stacklevel=3,
    )
    return y_pred
