"""The sklearn test files the suite runs, the names it rebinds, and the deviations docs/sklearn.md lists."""

from __future__ import annotations

import re
from pathlib import Path

FILES = ("test_classification", "test_ranking", "test_regression", "test_common")
DEVIATIONS_DOC = Path(__file__).resolve().parents[2] / "docs" / "sklearn.md"
# In a listed test id: the name of any function the suite rebinds, or "metric<N>", pytest's id of a
# functools.partial of one (test_common's tables hold partials only of scoring functions).
FUNCTION = "<function>"


def rebound_names(sklearn_metrics, accumetrics) -> dict:
    """accumetrics' function for every public name of sklearn.metrics that accumetrics exports."""
    return {
        name: getattr(accumetrics, name)
        for name in dir(sklearn_metrics)
        if not name.startswith("_") and callable(getattr(accumetrics, name, None))
    }


def deviations(doc: Path = DEVIATIONS_DOC) -> dict[str, str]:
    """{test id: reason} from the table rows of docs/sklearn.md: | `file.py::test[params]` | reason |

    In a test id, ``*`` stands for any characters and ``<function>`` for any rebound function's name."""
    rows = re.findall(r"^\| `([\w.]+\.py::[^`]+)` \| (.+?) \|\s*$", doc.read_text(), flags=re.M)
    return dict(rows)


def matcher(pattern: str, functions) -> re.Pattern:
    names = "(?:" + "|".join([*(re.escape(n) for n in sorted(functions, key=len, reverse=True)), r"metric\d+"]) + ")"
    parts = [".*".join(re.escape(p) for p in piece.split("*")) for piece in pattern.split(FUNCTION)]
    return re.compile(names.join(parts) + r"\Z")


def reason_for(test: str, expected: dict[str, re.Pattern]) -> str | None:
    """The reason of the first listed deviation whose (compiled) pattern matches `test`."""
    return next((reason for reason, pattern in expected.values() if pattern.match(test)), None)


def compiled(functions) -> dict[str, tuple[str, re.Pattern]]:
    return {pattern: (reason, matcher(pattern, functions)) for pattern, reason in deviations().items()}
