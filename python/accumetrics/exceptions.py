"""Warnings and errors raised by the metric functions, mirroring sklearn's classes.

Where scikit-learn is installed, ``UndefinedMetricWarning`` is a subclass of sklearn's, so that
``pytest.warns(sklearn.exceptions.UndefinedMetricWarning)`` and the warning filters users set
for sklearn's class catch ours too. Importing sklearn takes seconds (it pulls in scipy and more),
so accumetrics does not import it: the base class is adopted when ``sklearn.exceptions`` is
imported, whether before or after accumetrics.
"""

from __future__ import annotations

import importlib.abc
import sys


class _Undefined(UserWarning):
    """Stands in for sklearn's UndefinedMetricWarning until sklearn is imported."""


class UndefinedMetricWarning(_Undefined):
    """A metric is undefined for the data (e.g. precision with no predicted positives) and was set to a fixed value."""


class InvalidParameterError(ValueError, TypeError):
    """An argument has a value or type the function does not accept.

    A subclass of both ValueError and TypeError, as sklearn's class of the same name, so
    code that catches either keeps working after swapping the import.
    """


def _adopt_sklearn_base(module) -> None:
    base = getattr(module, "UndefinedMetricWarning", None)
    if isinstance(base, type) and issubclass(base, UserWarning) and UndefinedMetricWarning.__bases__ == (_Undefined,):
        UndefinedMetricWarning.__bases__ = (base,)


class _LoaderThenAdopt(importlib.abc.Loader):
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        _adopt_sklearn_base(module)


class _SklearnExceptionsWatcher(importlib.abc.MetaPathFinder):
    """Adopts sklearn's base class as soon as ``sklearn.exceptions`` is imported, then steps aside."""

    def find_spec(self, name, path=None, target=None):
        if name != "sklearn.exceptions":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") else None
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _LoaderThenAdopt(spec.loader)
                return spec
        return None


if "sklearn.exceptions" in sys.modules:
    _adopt_sklearn_base(sys.modules["sklearn.exceptions"])
else:
    sys.meta_path.insert(0, _SklearnExceptionsWatcher())
