"""A description of the machine and the software versions, printed above every run."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from importlib import metadata

SIMD_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl")
PACKAGES = ("accumetrics", "numpy", "scikit-learn", "tensorflow-cpu", "tensorflow", "keras", "torch", "torchmetrics")


def cpu() -> tuple[str, set[str]]:
    model, flags = platform.processor() or platform.machine(), set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name":
                    model = value.strip()
                elif key.strip() == "flags":
                    flags = set(value.split())
                    break
    except OSError:
        pass
    return model, flags


def versions() -> list[str]:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return found


def revision() -> str:
    """The source tree's git commit, marked "+ local changes" when the tree differs from it."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        git = lambda *a: subprocess.run(["git", "-C", root, *a], capture_output=True, text=True, timeout=10).stdout
        commit = git("rev-parse", "--short", "HEAD").strip()
        dirty = git("status", "--porcelain", "--untracked-files=no", "--", "cpp", "CMakeLists.txt").strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (commit + (" + local changes to cpp/" if dirty else "")) if commit else "unknown"


def extension() -> str:
    """Where the compiled core was loaded from and when it was built."""
    try:
        from accumetrics import _core
    except ImportError as e:
        return f"not importable: {e}"
    built = datetime.datetime.fromtimestamp(os.path.getmtime(_core.__file__), datetime.timezone.utc)
    return f"{os.path.basename(_core.__file__)}, built {built:%Y-%m-%d %H:%M} UTC"


def describe() -> list[str]:
    model, flags = cpu()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    simd = " ".join(f for f in SIMD_FLAGS if f in flags) or "unknown"
    return [
        f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"cpu: {model}; {os.cpu_count()} logical CPUs, {usable} usable; SIMD: {simd}",
        f"python {platform.python_version()} on {platform.system()} {platform.release()}",
        "packages: " + ", ".join(versions()),
        f"source: {revision()}; extension {extension()}",
    ]
