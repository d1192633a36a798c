"""``accumetrics bench [ARGS]``: runs the benchmark suite, bench/run.py, with ARGS passed through.

The suite lives in the source tree, not in the installed package: it is found next to the package
of a source checkout (an editable install), or in the current directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .errors import UserError


def add_arguments(p) -> None:
    p.add_argument("rest", nargs="*", help="arguments for bench/run.py, e.g. --quick")


def locate() -> Path | None:
    package = Path(__file__).resolve().parents[1]        # .../python/accumetrics in a checkout
    for root in (package.parents[1], Path.cwd()):
        run = root / "bench" / "run.py"
        if run.is_file():
            return run
    return None


def run(args) -> int:
    script = locate()
    if script is None:
        raise UserError("bench/run.py is not part of the installed package; from a source checkout of "
                        "accumetrics run `python bench/run.py` (or `accumetrics bench` inside the checkout)")
    if any(a in ("-h", "--help") for a in args.rest):
        print(f"accumetrics bench runs {script}; its options:\n", flush=True)
    sys.stdout.flush()
    return subprocess.call([sys.executable, str(script), *args.rest], env=dict(os.environ))
