"""Fixtures shared by the accumulator tests."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from hypothesis import settings

import accumetrics
from peer_versions import mark_changed_comparisons

# The same examples on every run, so that CI checks what was checked before a commit.
settings.register_profile("reproducible", derandomize=True)
settings.load_profile("reproducible")


@pytest.fixture
def rng(request):
    """A generator seeded from the test's name: reproducible, but different per test."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


@pytest.fixture
def num_threads():
    """Lets a test change accumetrics' thread count; restores it afterwards."""
    before = accumetrics.get_num_threads()
    yield accumetrics.set_num_threads
    accumetrics.set_num_threads(before)


def pytest_collection_modifyitems(items):
    mark_changed_comparisons(items)
