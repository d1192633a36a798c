"""Every example in the package's docstrings runs and prints what it says.

The Keras face's examples run in tests/keras/test_docstrings.py, on each Keras backend.
"""

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import accumetrics

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(accumetrics.__path__, "accumetrics.")
    if not info.name.startswith("accumetrics.keras") and not info.name.endswith(".__main__")
)

# Imported by their functions, or (diagnostics) at import. "keras.ops", not "keras": without Keras installed,
# "keras" resolves to the namespace package tests/keras.
OPTIONAL = {"accumetrics.plot": "matplotlib", "accumetrics.dask": "dask", "accumetrics.diagnostics": "keras.ops"}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name in OPTIONAL:
        pytest.importorskip(OPTIONAL[name])
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as e:  # an optional dependency: matplotlib, pyarrow, dask
        if e.name.startswith("accumetrics"):
            raise
        pytest.skip(f"{name} needs {e.name}")
    with np.printoptions(legacy=False):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0

