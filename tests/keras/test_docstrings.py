"""The examples in the metric docstrings run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import accumetrics.keras

MODULES = sorted(info.name for info in pkgutil.iter_modules(accumetrics.keras.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"accumetrics.keras.{name}")
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0
