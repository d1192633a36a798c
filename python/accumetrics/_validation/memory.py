"""How much memory one accumulator may take, and the refusal, before anything is allocated, of more."""

from __future__ import annotations

import os

from .arrays import positive_int

_DEFAULT_MEMORY_LIMIT = 8 * 2**30
_memory_limit: int | None = None


def _parse_bytes(text: str) -> int:
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    number, unit = (t[:-1], t[-1]) if t and t[-1] in units else (t, "")
    try:
        return int(float(number) * units[unit])
    except ValueError:
        raise ValueError(f"ACCUMETRICS_MEMORY_LIMIT={text!r}: expected a number of bytes such as 16GiB") from None


def get_memory_limit() -> int:
    """The most memory, in bytes, that one accumulator may take: its state plus what an update or a result needs.

    8 GiB by default (less on machines with less memory); raise it with ``set_memory_limit`` or the
    ``ACCUMETRICS_MEMORY_LIMIT`` environment variable (bytes, or a size such as ``32GiB``).
    """
    if _memory_limit is not None:
        return _memory_limit
    env = os.environ.get("ACCUMETRICS_MEMORY_LIMIT")
    if env:
        return _parse_bytes(env)
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        physical = _DEFAULT_MEMORY_LIMIT
    return min(_DEFAULT_MEMORY_LIMIT, physical)


def set_memory_limit(nbytes: int | None) -> None:
    """Set the memory limit of one accumulator, in bytes; None restores the default."""
    global _memory_limit
    if nbytes is not None:
        nbytes = positive_int(nbytes, "nbytes")
    _memory_limit = nbytes


def check_memory(nbytes: int, argument: str, what: str) -> None:
    """Refuse, before anything is allocated, what would take more than the memory limit.

    ``what`` names the object ("ThresholdCounts(thresholds=10**9)"), ``argument`` the setting to lower.
    """
    limit = get_memory_limit()
    if nbytes > limit:
        raise ValueError(
            f"{what} would take {_bytes(nbytes)} ({nbytes:,} bytes), more than the memory limit of {_bytes(limit)}: "
            f"lower {argument}, or raise the limit with accumetrics.set_memory_limit() or the "
            "ACCUMETRICS_MEMORY_LIMIT environment variable"
        )


def _bytes(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    raise AssertionError
