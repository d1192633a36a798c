"""How many examples each property test draws under the loaded hypothesis profile.

A test states its count at full depth, the README's test command; the "quick" profile
(HYPOTHESIS_PROFILE=quick, tests/conftest.py), which tools/build_wheels.sh loads on the
Python versions besides the main one, scales every count to a fifth.
"""

from __future__ import annotations

from hypothesis import settings

FULL_DEPTH = 100  # hypothesis's own max_examples, which the "reproducible" profile keeps


def examples(at_full_depth: int) -> int:
    """``max_examples`` for a test that draws ``at_full_depth`` examples at full depth."""
    return max(5, at_full_depth * settings.default.max_examples // FULL_DEPTH)
