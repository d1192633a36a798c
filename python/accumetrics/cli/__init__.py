"""The ``accumetrics`` command: ``report`` a predictions file, ``compare`` two models' predictions, run the ``demo``.

Mistakes in the command or the data end with a one-line ``accumetrics: error: ...`` and exit status 2.
"""

from __future__ import annotations

import argparse
import sys

from .errors import UserError

__all__ = ["UserError", "main"]


def _parser() -> argparse.ArgumentParser:
    from .. import __version__
    from . import compare, demo, report

    parser = argparse.ArgumentParser(prog="accumetrics", description="Fast, exact, streaming metrics.")
    parser.add_argument("--version", action="version", version=f"accumetrics {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module, summary in [
        ("report", report, "metrics of a predictions file (Parquet, CSV, .npy, .npz), streamed"),
        ("compare", compare, "two models on the same rows: each metric for A, B and B - A with paired "
                             "confidence intervals, and a gate for CI"),
        ("demo", demo, "train a small Keras model on scikit-learn's digits with accumetrics metrics"),
    ]:
        p = commands.add_parser(name, help=summary, description=_plain(module.__doc__.split("\n\n")[0]),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
    return parser


def _plain(doc: str) -> str:
    """A docstring paragraph as help text: without reStructuredText's double backticks."""
    return doc.replace("``", "")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except UserError as e:
        print(f"accumetrics: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("accumetrics: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into head
        return 0
