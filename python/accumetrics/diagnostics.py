"""Per-example diagnostics of a Keras classifier: :mod:`accumetrics.keras.diagnostics`, also importable here."""

from .keras.diagnostics import COLUMNS, Examples, per_example, sample_losses

__all__ = ["COLUMNS", "Examples", "per_example", "sample_losses"]
