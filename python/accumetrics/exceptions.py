"""Warnings and errors raised by the metric functions, mirroring sklearn's classes."""


class UndefinedMetricWarning(UserWarning):
    """A metric is undefined for the data (e.g. precision with no predicted positives) and was set to a fixed value."""


class InvalidParameterError(ValueError, TypeError):
    """An argument has a value or type the function does not accept.

    A subclass of both ValueError and TypeError, as sklearn's class of the same name, so
    code that catches either keeps working after swapping the import.
    """
