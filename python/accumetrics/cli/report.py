"""``accumetrics report FILE``: the metrics of a predictions file, streamed in two passes of record batches.

The first pass reads the role columns to learn the classes, the slices and the score range (and
counts rows with missing values); the second feeds the accumulators. Memory stays bounded by the
batch size and the size of the accumulators, whatever the length of the file.
"""

from __future__ import annotations

import os
import sys
import time

from .. import __version__
from .errors import UserError
from .evaluate import evaluation
from .read import CsvSource, open_source
from .render import Section, render
from .task import TASKS, Roles, Scan

BATCH_ROWS = 1 << 20
LONG_FILE_ROWS = 2_000_000       # a progress bar from this many rows (or CSV of this many bytes / 16)


def add_arguments(p) -> None:
    p.add_argument("file", help="predictions file: .parquet, .csv (also .csv.gz), .npy or .npz")
    p.add_argument("--label", nargs="+", metavar="COL", help="true labels or targets (several columns: multilabel "
                   "or multi-output); default: label, y_true, target or y")
    p.add_argument("--score", nargs="+", metavar="COL", help="scores or probabilities (one column per class for "
                   "multiclass); default: score, y_score, proba or probability")
    p.add_argument("--pred", nargs="+", metavar="COL", help="predicted labels or values; default: pred, y_pred or "
                   "prediction (with --score, taken from the scores when absent)")
    p.add_argument("--weight", metavar="COL", help="sample weights")
    p.add_argument("--slice", metavar="COL", help="slice (partition) ids: metrics per slice")
    p.add_argument("--task", choices=TASKS, help="default: inferred from the labels as sklearn's type_of_target")
    p.add_argument("--threshold", type=float, help="score > threshold is positive (binary, multilabel); "
                   "default 0.5 for scores in [0, 1], else 0")
    p.add_argument("--format", dest="fmt", choices=("text", "json", "markdown"), default="text",
                   help="text (default), markdown or json (numbers at full precision)")
    p.add_argument("--ci", type=float, metavar="LEVEL", help="add confidence intervals at this level, e.g. 0.95 "
                   "(Poisson bootstrap; not for multilabel)")
    p.add_argument("--replicates", type=int, default=200, help="bootstrap replicates for --ci (default 200)")
    p.add_argument("--plot", metavar="DIR", help="write PNG plots into this directory")
    p.add_argument("--drop-nan", action="store_true", help="skip rows with a missing value (NaN or empty) "
                   "instead of stopping")
    add_input_output_arguments(p, "report", "no progress bar, no notes on stderr")


def add_input_output_arguments(p, result: str, quiet: str) -> None:
    """The options, shared with ``compare``, of how the file is read and where and how the `result` is written."""
    p.add_argument("--output", "-o", metavar="FILE", help=f"write the {result} here instead of stdout")
    p.add_argument("--input-format", choices=("parquet", "csv", "npy", "npz"), help="default: from the file name")
    p.add_argument("--digits", type=int, default=4, help="decimals in text and markdown (default 4)")
    p.add_argument("--batch-rows", type=int, default=BATCH_ROWS, help=f"rows per batch (default {BATCH_ROWS})")
    p.add_argument("--quiet", "-q", action="store_true", help=quiet)


def run(args) -> int:
    check_output(args.output, "--output")
    check_directory(args.plot, "--plot")
    sections, curves = build(args.file, label=args.label, score=args.score, pred=args.pred, weight=args.weight,
                             slice_=args.slice, task=args.task, threshold=args.threshold, drop_nan=args.drop_nan,
                             ci=args.ci, replicates=args.replicates, input_format=args.input_format, batch_rows=args.batch_rows,
                             quiet=args.quiet, digits=args.digits)
    write(render(sections, args.fmt, args.digits), args.output)
    if args.plot:
        written = write_plots(curves, args.plot)
        if not args.quiet:
            print(f"accumetrics: wrote {len(written)} plots to {args.plot}", file=sys.stderr)
    return 0


def check_output(path: str | None, flag: str) -> None:
    """Refuse an output file that cannot be written, before any data is read."""
    if not path:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UserError(f"{flag} {path}: is a directory; give a file name")
    if not os.path.isdir(folder):
        raise UserError(f"{flag} {path}: the directory {folder} does not exist")
    if not os.access(path if os.path.exists(path) else folder, os.W_OK):
        raise UserError(f"{flag} {path}: not writable")


def check_directory(path: str | None, flag: str) -> None:
    """Refuse a directory for output files that cannot be created, before any data is read."""
    if not path:
        return
    if os.path.exists(path) and not os.path.isdir(path):
        raise UserError(f"{flag} {path}: is a file, not a directory")
    existing = os.path.abspath(path)
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing) or not os.access(existing, os.W_OK):
        raise UserError(f"{flag} {path}: cannot create it in {existing}")


def write(text: str, path: str | None) -> None:
    if not path:
        print(text)
        return
    try:
        with open(path, "w") as f:
            f.write(text + "\n")
    except OSError as e:
        raise UserError(f"--output {path}: {e.strerror}") from None


def build(path: str, *, label=None, score=None, pred=None, weight=None, slice_=None, task=None, threshold=None,
          drop_nan=False, ci=None, replicates=200, input_format=None, batch_rows=BATCH_ROWS, quiet=True, digits=4):
    """The report's sections, and what its plots need.

    AUC and AP are exact, or within a hundredth of the last of ``digits`` decimals: when the binned
    scores leave a larger bound, a third pass counts the bins it comes from at full precision."""
    if batch_rows < 1:
        raise UserError(f"--batch-rows must be positive, got {batch_rows}")
    began = time.perf_counter()
    source = open_source(path, input_format)
    roles = Roles.choose(source.names, label, score, pred, weight, slice_)
    source.check_columns(roles.columns)
    if isinstance(source, CsvSource):
        source.prefer_floats(roles.score + ([roles.weight] if roles.weight else []))
    long = not quiet and (source.total is None or source.total >= LONG_FILE_ROWS * (16 if source.unit == "B" else 1))

    scan = Scan(roles)
    for batch in _progress(source, source.batches(roles.columns, batch_rows), "scan", long):
        scan.add(batch, drop_nan)
    if scan.missing and not drop_nan:
        raise UserError(f"{scan.missing} of {scan.rows} rows hold a missing value (NaN, null or empty), the first at "
                        f"row {scan.first_missing} (counting data rows from 0); pass --drop-nan to skip them")
    t = scan.task(task, threshold)
    ev = evaluation(t, roles, drop_nan, ci, replicates)
    for batch in _progress(source, source.batches(roles.columns, batch_rows), "metrics", long):
        ev.update(batch)
    if ev.refinement(10.0 ** -(digits + 2)):
        for batch in _progress(source, source.batches(roles.columns, batch_rows), "exact AUC", long):
            ev.refine(batch)
    if ev.dropped and not quiet:
        print(f"accumetrics: skipped {ev.dropped} of {scan.rows} rows with a missing value", file=sys.stderr)
    body = ev.sections()
    return [_summary(path, source, roles, t, ev, scan.rows, time.perf_counter() - began)] + body, ev.curves


def _summary(path, source, roles, task, ev, rows, seconds) -> Section:
    columns = {r: getattr(roles, r) for r in ("label", "score", "pred", "weight", "slice") if getattr(roles, r)}
    data = {"file": path, "format": source.kind, "rows": rows, "rows_used": ev.rows,
            "rows_skipped": ev.dropped, "task": task.kind, "columns": columns, "accumetrics": __version__}
    pairs = [("file", path), ("rows", rows)]
    if ev.dropped:
        pairs.append(("rows skipped (missing values)", ev.dropped))
    pairs.append(("task", task.kind))
    if task.classes is not None:
        data["classes"] = [c.item() if hasattr(c, "item") else c for c in task.classes]
        shown = ", ".join(map(str, task.classes[:10])) + (", ..." if len(task.classes) > 10 else "")
        pairs.append(("classes", f"{len(task.classes)}: {shown}"))
    elif task.kind != "regression" or task.labels > 1:
        pairs.append(("labels" if task.kind == "multilabel" else "outputs", task.labels))
    if task.slices is not None:
        data["slices"] = len(task.slices)
        pairs.append(("slices", f"{len(task.slices)} ({roles.slice})"))
    for role, names in columns.items():
        pairs.append((f"{role} column", ", ".join(names) if isinstance(names, list) else names))
    if task.score_columns:
        mapping = dict(zip(map(str, task.classes), roles.score))
        data["score_columns"] = {"matched_by": task.score_columns, "columns": mapping}
        pairs.append(("score columns", "matched to the classes by name" if task.score_columns == "name" else
                      "matched to the sorted classes by position: "
                      + ", ".join(f"{column} -> {c}" for c, column in mapping.items())))
    pairs.append(("time", f"{seconds:.2f} s"))
    return Section("summary", "accumetrics report", data, pairs=pairs)


def _progress(source, batches, what: str, enabled: bool):
    if not enabled:
        return batches
    try:
        from tqdm import tqdm
    except ImportError:
        return batches

    def advancing():
        with tqdm(total=source.total, unit=source.unit, unit_scale=True, desc=what, file=sys.stderr, leave=False,
                  disable=None) as bar:
            for batch in batches:
                yield batch
                bar.update(batch.advance)

    return advancing()


def write_plots(curves: dict, directory: str) -> list[str]:
    """PNG files for what the report computed: confusion matrix, ROC and PR curves, slices, calibration."""
    from .. import plot

    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as e:
        raise UserError(f"--plot {directory}: {e.strerror}") from None
    written = []

    def save(fig, name):
        path = os.path.join(directory, name)
        plot.save(fig, path)
        written.append(path)

    if "confusion_matrix" in curves:
        m, names = curves["confusion_matrix"]
        save(plot.confusion_matrix(m, names).figure, "confusion_matrix.png")
    if "thresholds" in curves:
        counts, names, auc, ap = curves["thresholds"]
        save(plot.roc_curve_from_counts(counts, names, roc_auc=auc).figure, "roc.png")
        save(plot.precision_recall_curve_from_counts(counts, names, average_precision=ap).figure,
             "precision_recall.png")
    if "calibration" in curves:
        save(plot.reliability_diagram(*curves["calibration"]).figure, "reliability.png")
    if "slices" in curves:
        names, values, metric, *interval = curves["slices"]
        errors, what = interval if interval else (None, None)
        save(plot.slice_bars(names, values, metric=metric, errors=errors, interval=what).figure, "slices.png")
    return written
