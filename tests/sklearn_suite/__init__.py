"""scikit-learn's own metric tests, run on accumetrics (see docs/sklearn.md)."""
