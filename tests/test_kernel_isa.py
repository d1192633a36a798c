"""ACCUMETRICS_ISA forces narrower clones of the kernels, and every clone gives the same results.

The kernels are built for baseline x86-64, AVX2 and AVX-512 and chosen when the module loads, so each
ISA runs in its own process; this one uses the widest the CPU has. Counts, sums of weights, rankings,
curves and errors are identical. The float sums of Moments keep one partial sum per vector lane, in a
fixed order per ISA (cpp/include/accumetrics/moments.hpp), so their last bits may differ between ISAs.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

from accumetrics import _core

RESULTS = r"""
import sys
import numpy as np
import accumetrics as am
from accumetrics import _core

rng = np.random.default_rng(17)
n = 300_003  # large enough for threads and full vectors, with a ragged tail
y = rng.integers(0, 7, n)
p = np.where(rng.random(n) < 0.6, y, rng.integers(0, 7, n))
w = rng.random(n)
binary = (y == p).astype(np.int8)
score = np.round(rng.random(n), 3).astype(np.float32)  # ties, in float32
uneven = np.sort(rng.random(37))
out = {
    "confusion": am.ConfusionMatrix(7).update(y, p).result(),
    "confusion_weighted": am.ConfusionMatrix(7, num_slices=3).update(y, p, w, y % 3).result(),
    "counts_even": am.ThresholdCounts(200).update(binary, score).tp,
    "counts_uneven_weighted": np.stack(list(am.ThresholdCounts(uneven).update(binary, score, w).result().values())),
}
moments = am.Moments().update(y.astype(np.float64), p + rng.normal(0, 0.1, n), sample_weight=w)
out.update({f"moments_{k}": np.asarray(v) for k, v in {**moments.sums, **moments.result()}.items()})
out["roc_auc"] = np.asarray(am.roc_auc_score(binary, score, sample_weight=w))
out["average_precision"] = np.asarray(am.average_precision_score(binary, score))
out.update(zip(("fpr", "tpr", "roc_thresholds"), am.roc_curve(binary, score.astype(np.float64))))
try:
    am.ConfusionMatrix(3).update(np.r_[np.zeros(n - 1, int), 5], np.zeros(n, int))
except ValueError as e:
    out["error"] = np.asarray(str(e))
np.savez(sys.argv[1], isa=np.asarray(_core.kernel_isa), **out)
"""


def results(tmp_path, isa=None):
    env = {k: v for k, v in os.environ.items() if k != "ACCUMETRICS_ISA"}
    if isa is not None:
        env["ACCUMETRICS_ISA"] = isa
    path = tmp_path / f"{isa}.npz"
    subprocess.run([sys.executable, "-c", RESULTS, str(path)], env=env, check=True, timeout=600)
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


def narrower(isa):
    return {"avx512f": ["avx2", "baseline"], "avx2": ["baseline"], "baseline": []}[isa]


@pytest.fixture(scope="module")
def widest(tmp_path_factory):
    return results(tmp_path_factory.mktemp("isa"))


def test_default_is_the_widest_the_cpu_has(widest):
    assert str(widest["isa"]) == _core.kernel_isa
    assert str(widest["isa"]) in ("avx512f", "avx2", "baseline")


@pytest.mark.parametrize("isa", ["baseline", "avx2"])
def test_narrower_clone_gives_identical_results(tmp_path, widest, isa):
    if isa not in narrower(str(widest["isa"])):
        pytest.skip(f"this CPU's widest kernels are {widest['isa']}")
    capped = results(tmp_path, isa)
    assert str(capped["isa"]) == isa
    assert capped.keys() == widest.keys()
    for name in widest:
        if name.startswith("moments_"):
            np.testing.assert_allclose(capped[name], widest[name], rtol=1e-13, atol=0, err_msg=name, strict=True)
        elif name != "isa":
            np.testing.assert_array_equal(capped[name], widest[name], err_msg=name, strict=True)


def test_unknown_isa_is_refused_by_name():
    env = {**os.environ, "ACCUMETRICS_ISA": "sse9"}
    out = subprocess.run([sys.executable, "-c", "import accumetrics"], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode != 0
    assert "ACCUMETRICS_ISA=sse9" in out.stderr and "baseline, avx2 or avx512f" in out.stderr
