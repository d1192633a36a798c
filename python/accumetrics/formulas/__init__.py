"""Count-to-value formulas, each written once against an array namespace ``xp``.

``xp`` is :data:`numpy_ops` (numpy) for the accumulators, the sklearn-style functions, the CLI and
Dask, or ``accumetrics.keras._ops.keras_ops`` (``keras.ops``) for the Keras metrics, which then
compute their results in the graph with the same code. A family per module:

``confusion``
    from confusion counts: TP/FP/TN/FN at thresholds from a score histogram, precision, recall,
    F-beta, balanced accuracy, Matthews correlation, Cohen's kappa.
``moments``
    from weighted sums: variances, R², explained variance, Pearson and concordance correlations.
``ranking``
    from a score histogram: ROC AUC, average precision, partial ROC AUC and their bounds.

A formula takes counts or sums and returns values; it validates nothing, warns about nothing and
allocates no state: that is the callers' part.
"""

from ._numpy import numpy_ops

__all__ = ["numpy_ops"]
