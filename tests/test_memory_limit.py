"""One memory limit for every accumulator: a size over it is refused at once, naming the argument, the bytes
and the setting; the setting raises it."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

import accumetrics as am
from accumetrics._validation import check_memory

HUGE = [
    (lambda: am.ConfusionMatrix(10**9), "num_classes"),
    (lambda: am.ConfusionMatrix(1000, num_slices=10**6), "num_classes or num_slices"),
    (lambda: am.ThresholdCounts(10**9), "thresholds"),
    (lambda: am.ThresholdCounts(200, num_labels=10**9), "thresholds, num_labels or num_slices"),
    (lambda: am.ThresholdCounts(np.linspace(0, 1, 1000), num_slices=10**7), "thresholds, num_labels or num_slices"),
    (lambda: am.Moments(10**9), "num_outputs"),
    (lambda: am.Moments(num_slices=10**9), "num_slices"),
    (lambda: am.Moments(10**4, num_slices=10**5), "num_outputs or num_slices"),
    (lambda: am.Calibration(10**9), "n_bins"),
    (lambda: am.BinnedAUC(max_bins=10**9), "max_bins"),
    (lambda: am.Bootstrap(am.ConfusionMatrix(1000), n_replicates=10**6), "n_replicates"),
    (lambda: am.Bootstrap(am.ThresholdCounts(200), n_replicates=10**9), "n_replicates"),
    (lambda: am.Bootstrap(am.Moments(), n_replicates=10**9), "n_replicates"),
]


@pytest.mark.parametrize("make, argument", HUGE)
def test_a_size_over_the_limit_is_refused_at_once(make, argument):
    start = time.perf_counter()
    with pytest.raises(ValueError) as e:
        make()
    assert time.perf_counter() - start < 1.0
    message = str(e.value)
    assert f"lower {argument}," in message
    assert "bytes), more than the memory limit of" in message
    assert "accumetrics.set_memory_limit()" in message and "ACCUMETRICS_MEMORY_LIMIT" in message


def test_the_bytes_are_those_of_the_state_and_its_scratch():
    am.set_memory_limit(10**6)
    try:
        with pytest.raises(ValueError, match=r"ConfusionMatrix\(num_classes=200, num_slices=None\) would take "
                                             r"1.2 MiB \(1,280,000 bytes\)"):
            am.ConfusionMatrix(200)
        am.ConfusionMatrix(170)  # 924,800 bytes
    finally:
        am.set_memory_limit(None)


def test_the_setting_raises_and_restores_the_limit():
    default = am.get_memory_limit()
    assert 0 < default <= 8 * 2**30
    with pytest.raises(ValueError, match="memory limit"):
        am.ThresholdCounts(300_000_000)
    am.set_memory_limit(2**50)
    try:
        assert am.get_memory_limit() == 2**50
        check_memory(2**49, "thresholds", "ThresholdCounts(thresholds=...)")  # what the constructors call
        with pytest.raises(ValueError, match=r"1,125,899,906,842,625 bytes\), more than the memory limit of 1.0 PiB"):
            check_memory(2**50 + 1, "thresholds", "ThresholdCounts(thresholds=...)")
    finally:
        am.set_memory_limit(None)
    assert am.get_memory_limit() == default
    with pytest.raises(ValueError, match="nbytes must be positive"):
        am.set_memory_limit(0)


def test_the_first_update_of_moments_checks_its_outputs():
    m = am.Moments(num_slices=10**5)
    with pytest.raises(ValueError, match=r"Moments\(num_outputs=1000, num_slices=100000\) would take .* lower num_slices,"):
        m.update(np.zeros((2, 1000)), np.zeros((2, 1000)), slice_ids=[0, 1])
    assert m.num_outputs is None and m.count.sum() == 0
    m.update(np.zeros((2, 3)), np.ones((2, 3)), slice_ids=[0, 1])
    assert m.num_outputs == 3


def test_the_environment_variable_sets_the_limit():
    code = ("import accumetrics as am; print(am.get_memory_limit());"
            "am.ConfusionMatrix(20)\ntry: am.ConfusionMatrix(30)\nexcept ValueError as e: print('refused', e)")
    env = dict(os.environ, ACCUMETRICS_MEMORY_LIMIT="16KiB")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.startswith("16384\n") and "refused ConfusionMatrix(num_classes=30" in out
    env["ACCUMETRICS_MEMORY_LIMIT"] = "lots"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "ACCUMETRICS_MEMORY_LIMIT='lots'" in bad.stderr
