"""The core built with AddressSanitizer and UndefinedBehaviorSanitizer runs a representative part of the suite."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBSET = ["test_confusion_matrix.py", "test_threshold_counts.py", "test_moments.py", "test_bad_input.py"]

pybind11 = pytest.importorskip("pybind11")


def _runtime(name: str) -> str:
    path = subprocess.run(["g++", f"-print-file-name={name}"], capture_output=True, text=True).stdout.strip()
    return path if os.path.isabs(path) else ""


@pytest.mark.skipif(shutil.which("cmake") is None or shutil.which("g++") is None, reason="needs cmake and g++")
def test_core_is_clean_under_asan_and_ubsan(tmp_path):
    import accumetrics

    if Path(accumetrics.__file__).resolve().is_relative_to(ROOT):
        pytest.skip("an editable install's import hook would shadow the sanitized build; use `pip install .`")
    asan, ubsan = _runtime("libasan.so"), _runtime("libubsan.so")
    if not asan or not ubsan:
        pytest.skip("g++ has no sanitizer runtimes")
    build = tmp_path / "build"
    configure = [
        "cmake", "-S", str(ROOT), "-B", str(build), "-DACCUMETRICS_SANITIZE=ON", "-DACCUMETRICS_XLA=OFF",
        f"-Dpybind11_DIR={pybind11.get_cmake_dir()}", f"-DPython_EXECUTABLE={sys.executable}",
    ]
    if shutil.which("ninja"):
        configure += ["-G", "Ninja"]
    subprocess.run(configure, check=True, capture_output=True)
    subprocess.run(["cmake", "--build", str(build), "--target", "_core", "-j", "2"], check=True, capture_output=True)

    package = tmp_path / "site" / "accumetrics"
    shutil.copytree(ROOT / "python" / "accumetrics", package)
    for module in build.glob("_core*.so"):
        shutil.copy(module, package)

    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(tmp_path / "site"),
        LD_PRELOAD=f"{asan}:{ubsan}",
        ASAN_OPTIONS="detect_leaks=0:abort_on_error=1",
        UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1",
        HYPOTHESIS_PROFILE="quick",  # a fifth of the examples: each runs several times slower under the sanitizers
    )
    where = subprocess.run(  # an editable install's import hook would win over PYTHONPATH
        [sys.executable, "-c", "import accumetrics._core as c; print(c.__file__)"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    if str(tmp_path) not in where:
        pytest.skip("an editable install shadows PYTHONPATH; install with `pip install .` to run this test")

    tests = [str(ROOT / "tests" / name) for name in SUBSET]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-k", "not drift and not ten_thousand",
         *tests],
        env=env, cwd=tmp_path, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
