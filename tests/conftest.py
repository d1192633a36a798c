"""Fixtures shared by the accumulator tests."""

from __future__ import annotations

import os
import zlib

import numpy as np
import pytest
from hypothesis import Phase, settings

import accumetrics
from peer_versions import mark_changed_comparisons

# The same examples on every run, so that CI checks what was checked before a commit. "quick" draws a fifth
# of each property test's examples (tests/property_depth.py) and reports a failing one unshrunk (shrinking
# is most of the time of a test expected to fail): tools/build_wheels.sh loads it on the Python versions
# besides the main one, whose README test command runs every test at full depth.
settings.register_profile("reproducible", derandomize=True)
settings.register_profile("quick", settings.get_profile("reproducible"), max_examples=20,
                          phases=[phase for phase in Phase if phase is not Phase.shrink])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))


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
