"""The cases of the robustness test: every odd kind on every argument of every target, and random pairs."""

from __future__ import annotations

import random

from odd_inputs import KINDS, SCALARS
from targets import all_targets

RANDOM_PAIRS = 400


def all_cases():
    """[(target name, group, ((argument, kind), ...))], the same list in every process."""
    targets = all_targets()
    cases = []
    for t in targets:
        kinds = SCALARS if t.args.keys() == {"value"} else KINDS
        for arg in t.odd:
            cases.extend((t.name, t.group, ((arg, kind),)) for kind in kinds)
    rng = random.Random(15)
    several = [t for t in targets if len(t.odd) > 1 and t.group == "numpy"]
    for _ in range(RANDOM_PAIRS):
        t = rng.choice(several)
        a, b = rng.sample(t.odd, 2)
        cases.append((t.name, t.group, ((a, rng.choice(list(KINDS))), (b, rng.choice(list(KINDS))))))
    cases.sort(key=lambda case: case[1] == "keras")  # each group's cases in one run
    return cases


def by_name():
    return {t.name: t for t in all_targets()}


def arguments(target, odd):
    args = dict(target.args)
    for arg, kind in odd:
        args[arg] = SCALARS[kind] if arg == "value" else KINDS[kind](target.args[arg])
    return args
