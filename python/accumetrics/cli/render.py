"""A report is a list of sections; each renders as aligned text, markdown, or goes into JSON as it is."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Section:
    key: str                                        # its key in the JSON report
    title: str
    data: Any                                       # the JSON value: numbers, not formatted text
    pairs: list[tuple[str, Any]] = field(default_factory=list)   # name, value lines for text and markdown
    header: list[str] = field(default_factory=list)              # a table for text and markdown
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class BoundedValue:
    """A value with its certified error bound and/or its confidence interval, for text and markdown.

    The bound is said in words, "exact" or "error bound ...", never with "±": it is a certainty
    about the computation, not a statistical interval."""

    def __init__(self, value: float, bound: float | None = None, ci: tuple[float, float] | None = None):
        self.value, self.bound, self.ci = value, bound, ci

    def format(self, digits: int) -> str:
        text = cell(self.value, digits)
        if self.bound == 0:
            text += " (exact)"
        elif self.bound is not None and not math.isnan(self.bound):
            text += f" (error bound {cell(self.bound, max(digits, 2), bound=True)})"
        if self.ci is not None:
            text += f" [{cell(self.ci[0], digits)}, {cell(self.ci[1], digits)}]"
        return text


def cell(x, digits: int, bound: bool = False) -> str:
    if isinstance(x, BoundedValue):
        return x.format(digits)
    if isinstance(x, bool) or x is None:
        return "" if x is None else str(x)
    if isinstance(x, int):
        return f"{x:,}".replace(",", " ") if abs(x) >= 100000 else str(x)
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if bound and 0 < x < 10 ** -digits:
            return f"{x:.1e}"
        return f"{x:.{digits}f}"
    return str(x)


def render(sections: list[Section], fmt: str, digits: int = 4) -> str:
    if fmt == "json":
        return json.dumps(_finite({s.key: s.data for s in sections}), indent=1, default=_json_default)
    return (_markdown if fmt == "markdown" else _text)(sections, digits)


def _finite(x):
    """NaN (an undefined metric) as null, so that the output is strict JSON."""
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_finite(v) for v in x]
    if hasattr(x, "tolist") and not isinstance(x, BoundedValue):
        return _finite(x.tolist())
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _json_default(x):
    if hasattr(x, "tolist"):
        return x.tolist()
    if isinstance(x, BoundedValue):
        return {"value": x.value, "bound": x.bound, "ci": x.ci}
    raise TypeError(f"{type(x).__name__} is not JSON serializable")


def _table(header, rows, digits) -> list[list[str]]:
    width = len(header)
    return [list(header)] + [[cell(x, digits) for x in row] + [""] * (width - len(row)) for row in rows]


def _text(sections, digits) -> str:
    out = []
    for s in sections:
        out += [s.title, "=" * len(s.title)]
        if s.pairs:
            width = max(len(name) for name, _ in s.pairs)
            out += [f"{name:<{width}}  {cell(value, digits)}" for name, value in s.pairs]
        if s.rows:
            if s.pairs:
                out.append("")
            t = _table(s.header, s.rows, digits)
            widths = [max(len(r[i]) for r in t) for i in range(len(t[0]))]
            for k, r in enumerate(t):
                first = r[0].ljust(widths[0])
                out.append("  ".join([first] + [x.rjust(w) for x, w in zip(r[1:], widths[1:])]).rstrip())
                if k == 0:
                    out.append("  ".join("-" * w for w in widths))
        out += [f"({n})" for n in s.notes]
        out.append("")
    return "\n".join(out)


def _markdown(sections, digits) -> str:
    out = []
    for i, s in enumerate(sections):
        out += [("# " if i == 0 else "## ") + s.title, ""]
        if s.pairs:
            out += ["| | |", "|---|---:|"]
            out += [f"| {name} | {_md(cell(value, digits))} |" for name, value in s.pairs]
            out.append("")
        if s.rows:
            t = _table(s.header, s.rows, digits)
            out.append("| " + " | ".join(_md(x) for x in t[0]) + " |")
            out.append("|" + "|".join(["---"] + ["---:"] * (len(t[0]) - 1)) + "|")
            out += ["| " + " | ".join(_md(x) for x in r) + " |" for r in t[1:]]
            out.append("")
        out += [f"*{_md(n)}*" for n in s.notes]
        if s.notes:
            out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|")
