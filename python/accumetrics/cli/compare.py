"""``accumetrics compare FILE [FILE_B]``: models A and B on the same rows, each metric for A, B and B - A with
paired confidence intervals, overall and per slice, and a verdict per metric; ``--fail-if`` makes it a gate.

One file holding both models' columns (``--score a_prob b_prob``), or two predictions files joined on an id
column (``--id``), streamed in record batches as ``report`` is. Intervals of B - A are paired: DeLong's for the
ROC AUC of binary scores, the Poisson bootstrap with the same replicate weights for both models for every other
metric. ``--fail-if roc_auc:-0.002`` exits with status 1 when B - A is below -0.002 overall or on any slice
(above, for errors such as mae), and says which failed.
"""

from __future__ import annotations

import json
import math
import sys
import time

import numpy as np

from .. import __version__
from ..paired import LOWER_IS_BETTER, Paired
from .errors import UserError
from .evaluate import _codes
from .join import joined
from .read import CsvSource, open_source
from .render import Section, render
from .report import BATCH_ROWS, add_input_output_arguments, check_output, write
from .task import DEFAULTS, Roles, Scan

AP_THRESHOLDS = 1001      # thresholds of the AP (or one-vs-rest AUC) bootstrap, overall ...
AP_CELLS = 1 << 15        # ... fewer with many slices: at most this many (slice, threshold) pairs

ALIASES = {"auc": "roc_auc", "mae": "mean_absolute_error", "mse": "mean_squared_error",
           "rmse": "root_mean_squared_error", "r2": "r2", "f1_score": "f1", "acc": "accuracy"}


def add_arguments(p) -> None:
    p.add_argument("file", help="predictions file: .parquet, .csv (also .csv.gz), .npy or .npz")
    p.add_argument("file_b", nargs="?", help="model B's predictions file, joined to FILE on --id")
    p.add_argument("--id", metavar="COL", help="row id column present in both files (with FILE_B)")
    p.add_argument("--label", metavar="COL", help="true labels or targets; default: label, y_true, target or y")
    p.add_argument("--score", nargs="+", metavar="COL", help="scores of A and B: two columns of FILE, or one column "
                   "name for both files (or two: A's, B's); a list column for multiclass probabilities")
    p.add_argument("--pred", nargs="+", metavar="COL", help="predicted labels or values of A and B, as --score")
    p.add_argument("--weight", metavar="COL", help="sample weights (from FILE)")
    p.add_argument("--slice", metavar="COL", help="slice ids (from FILE): every metric per slice")
    p.add_argument("--task", choices=("binary", "multiclass", "regression"),
                   help="default: inferred from the labels as sklearn's type_of_target")
    p.add_argument("--threshold", type=float, help="score > threshold is positive (binary); default 0.5 for scores "
                   "in [0, 1], else 0")
    p.add_argument("--ci", type=float, default=0.95, metavar="LEVEL", help="level of the paired intervals and "
                   "verdicts (default 0.95)")
    p.add_argument("--replicates", type=int, default=200, help="bootstrap replicates (default 200)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--fail-if", action="append", default=[], metavar="METRIC:TOL",
                   help="exit with status 1 when B - A is worse than TOL on METRIC, overall or on any slice: "
                   "roc_auc:-0.002 fails below -0.002, mae:0.01 above 0.01; several separated by commas, or "
                   "@FILE with one per line (or a JSON object {metric: tolerance})")
    p.add_argument("--format", dest="fmt", choices=("text", "json", "markdown"), default="text",
                   help="text (default), markdown or json (numbers at full precision)")
    p.add_argument("--drop-nan", action="store_true", help="skip rows with a missing value instead of stopping")
    add_input_output_arguments(p, "comparison", "no notes on stderr")


def run(args) -> int:
    check_output(args.output, "--output")
    gates = parse_gates(args.fail_if)
    sections, results = build(args.file, args.file_b, id_column=args.id, label=args.label, score=args.score,
                              pred=args.pred, weight=args.weight, slice_=args.slice, task=args.task,
                              threshold=args.threshold, ci=args.ci, replicates=args.replicates, seed=args.seed,
                              drop_nan=args.drop_nan, input_format=args.input_format, batch_rows=args.batch_rows,
                              digits=args.digits)
    failures = check_gates(gates, results)
    if gates:
        sections.append(_gate_section(gates, failures))
    write(render(sections, args.fmt, args.digits), args.output)
    for f in failures:
        print(f"accumetrics: gate failed: {f['text']}", file=sys.stderr)
    return 1 if failures else 0


def parse_gates(specs: list[str]) -> dict[str, float]:
    """{metric: tolerance} from "metric:tol" items (comma separated, or @file)."""
    items = []
    for spec in specs:
        if spec.startswith("@"):
            path = spec[1:]
            try:
                with open(path) as f:
                    text = f.read()
            except OSError as e:
                raise UserError(f"--fail-if {spec}: {e.strerror}") from None
            if text.lstrip().startswith("{"):
                try:
                    items += [f"{k}:{v}" for k, v in json.loads(text).items()]
                except (ValueError, AttributeError) as e:
                    raise UserError(f"--fail-if {spec}: not a JSON object of metric: tolerance ({e})") from None
            else:
                items += [line.split("#")[0].strip() for line in text.splitlines()]
        else:
            items += spec.split(",")
    gates = {}
    for item in filter(None, (i.strip() for i in items)):
        name, sep, tol = item.rpartition(":")
        try:
            value = float(tol)
        except ValueError:
            value = math.nan
        if not sep or not name.strip() or not math.isfinite(value):
            raise UserError(f"--fail-if {item!r}: expected METRIC:TOLERANCE, such as roc_auc:-0.002")
        name = name.strip().lower().replace("-", "_")
        gates[ALIASES.get(name, name)] = value
    return gates


def _metric_key(name: str) -> str:
    return name.replace(" ", "_")


def check_gates(gates: dict[str, float], results: dict) -> list[dict]:
    failures = []
    if not gates:
        return failures
    tables = [("overall", results["overall"])] + [(f"slice {s}", t) for s, t in results["slices"]]
    known = {_metric_key(m) for _, t in tables for m in t}
    for metric in gates:
        if metric not in known:
            raise UserError(f"--fail-if {metric}: not a metric of this comparison; it has "
                            + ", ".join(sorted(known)))
    for where, table in tables:
        for name, d in table.items():
            key = _metric_key(name)
            if key not in gates or math.isnan(d.difference):
                continue
            tol = gates[key]
            worse = d.difference > tol if key in LOWER_IS_BETTER else d.difference < tol
            if worse:
                sign = ">" if key in LOWER_IS_BETTER else "<"
                failures.append({"metric": key, "where": where, "difference": d.difference, "tolerance": tol,
                                 "text": f"{key} ({where}): B - A = {d.difference:+.6g} {sign} {tol:+g}"})
    return failures


def _gate_section(gates, failures) -> Section:
    data = {"tolerances": gates, "passed": not failures, "failures": failures}
    pairs = [("tolerances", ", ".join(f"{k}:{v:+g}" for k, v in gates.items())),
             ("result", "passed" if not failures else f"FAILED ({len(failures)})")]
    pairs += [("failed", f["text"]) for f in failures]
    return Section("gate", "Gate (--fail-if)", data, pairs=pairs)


def _pair(given, role: str, two_files: bool) -> tuple[str, str] | None:
    if not given:
        return None
    if len(given) == 2:
        return given[0], given[1]
    if len(given) == 1 and two_files:
        return given[0], given[0]
    raise UserError(f"--{role} takes two columns, A's and B's" + (" (or one, in both files)" if two_files else ""))


def _default(role: str, names: list[str]):
    found = next((n for n in DEFAULTS[role] if n in names), None)
    return [found] if found else None


def build(path, path_b=None, *, id_column=None, label=None, score=None, pred=None, weight=None, slice_=None,
          task=None, threshold=None, ci=0.95, replicates=200, seed=0, drop_nan=False, input_format=None,
          batch_rows=BATCH_ROWS, digits=4):
    """The comparison's sections, and its results ({"overall": table, "slices": [(name, table)]}).

    AUC and AP values are exact, or within a hundredth of the last of ``digits`` decimals (a third
    pass refines the bins their bounds come from, as in ``report``)."""
    if batch_rows < 1:
        raise UserError(f"--batch-rows must be positive, got {batch_rows}")
    if not 0 < ci < 1:
        raise UserError(f"--ci must be a level between 0 and 1, such as 0.95; got {ci:g}")
    if replicates < 1:
        raise UserError(f"--replicates must be positive, got {replicates}")
    began = time.perf_counter()
    source = open_source(path, input_format)
    two = path_b is not None
    source_b = open_source(path_b, input_format) if two else None
    if two and not id_column:
        raise UserError("two files are joined on an id column: name it with --id")
    if not two and id_column:
        raise UserError("--id joins two files: give FILE_B too")
    label = [label] if label else _default("label", source.names)
    if not label:
        raise UserError("no label column: name it with --label (tried " + ", ".join(DEFAULTS["label"])
                        + f"); the file's columns: {', '.join(source.names[:30])}")
    scores, preds = _pair(score, "score", two), _pair(pred, "pred", two)
    if scores is None and preds is None:
        if two and _default("score", source.names):
            scores = (_default("score", source.names)[0],) * 2
        elif two and _default("pred", source.names):
            preds = (_default("pred", source.names)[0],) * 2
        else:
            raise UserError("name the two models' columns with --score A B (or --pred A B); the file's columns: "
                            + ", ".join(source.names[:30]))
    column_a, column_b = scores or preds
    role = "score" if scores else "pred"
    shared = [c for c in (*label, weight, slice_) if c]
    if two:
        source.check_columns(shared + [id_column, column_a])
        source_b.check_columns([id_column, column_b])
        names_a, names_b = list(dict.fromkeys(shared + [column_a])), [column_b]
        column_b = "b:" + column_b
    else:
        source.check_columns(shared + [column_a, column_b])
    for s in (source, source_b):
        if isinstance(s, CsvSource):
            s.prefer_floats(([column_a, column_b.removeprefix("b:")] if role == "score" else [])
                            + ([weight] if weight else []))
    roles = [Roles(list(label), **{role: [c]}, weight=weight, slice=slice_) for c in (column_a, column_b)]
    stats: dict = {}

    def batches():
        if two:
            return joined(source, source_b, id_column, names_a, names_b, batch_rows, stats)
        return source.batches(list(dict.fromkeys(shared + [column_a, column_b])), batch_rows)

    scans = [Scan(r) for r in roles]
    for batch in batches():
        for s in scans:
            s.add(batch, drop_nan)
    scan = scans[0]
    if scan.missing and not drop_nan:
        raise UserError(f"{scan.missing} of {scan.rows} rows hold a missing value (NaN, null or empty), the first at "
                        f"row {scan.first_missing} (counting joined rows from 0); pass --drop-nan to skip them")
    tasks = [s.task(task, threshold) for s in scans]
    t = tasks[0]
    if tasks[1].kind != t.kind:
        raise UserError(f"model A's predictions make a {t.kind} task, model B's a {tasks[1].kind} one: "
                        "pass --task to say which")
    if t.kind == "multilabel":
        raise UserError("compare does not take multilabel predictions; compare one label at a time")
    if t.classes is not None:
        t.classes = np.union1d(t.classes, tasks[1].classes)
    width = scans[0].values[role].width if t.kind == "multiclass" and role == "score" else None
    if width is not None and width != len(t.classes):
        raise UserError(f"--score has {width} columns of probabilities but the labels hold {len(t.classes)} classes")
    num_slices = None if t.slices is None else len(t.slices)
    extra = {}
    if role == "score" and t.kind in ("binary", "multiclass"):
        extra["ranking_thresholds"] = _ranking_grid(tasks, num_slices if t.kind == "binary" else None)
    paired = Paired(t.kind, num_classes=None if t.classes is None else len(t.classes), threshold=t.threshold,
                    scores=role == "score", num_slices=num_slices, n_replicates=replicates, seed=seed, **extra)
    def prepared(batch):
        """(y, a, b, weights, slice ids) of a batch's complete rows, as Paired takes them; None when empty."""
        keep = ~batch.missing if batch.missing.any() else None
        get = {r: roles[0].get(batch, r) for r in ("label", "weight", "slice")}
        get["a"], get["b"] = roles[0].get(batch, role), roles[1].get(batch, role)
        if keep is not None:
            get = {k: None if x is None else x[keep] for k, x in get.items()}
        if get["label"] is None or not len(get["label"]):
            return None
        y, a, b = get["label"], get["a"], get["b"]
        ids = None if get["slice"] is None else _codes(get["slice"], t.slices, "slice")
        if t.classes is not None:
            y = _codes(y, t.classes, "label")
            if role == "pred":
                a, b = _codes(a, t.classes, "pred"), _codes(b, t.classes, "pred")
            elif t.kind == "binary" and a.ndim == 2:
                a, b = a[:, 1], b[:, 1]
        return y, a, b, get["weight"], ids

    def feed(step):
        rows = 0
        for batch in batches():
            args = prepared(batch)
            if args is None:
                continue
            rows += len(args[0])
            try:
                step(*args)
            except (ValueError, TypeError) as e:
                raise UserError(f"in the batch of rows {batch.start} to {batch.start + len(batch.missing) - 1} "
                                f"(counting from 0): {e}") from None
        return rows

    rows = feed(paired.update)
    dropped = scan.missing if drop_nan else 0
    if paired.refinement(10.0 ** -(digits + 2)):
        feed(paired.refine)
    result = paired.result(ci)
    names = [] if t.slices is None else [str(s) for s in t.slices]
    results = {"overall": result["overall"], "slices": list(zip(names, result["slices"]))}
    bounds = result.get("bounds", [])
    summary = _summary(path, path_b, source, t, rows, dropped, stats, roles, role, column_a, column_b, id_column,
                       ci, replicates, time.perf_counter() - began)
    sections = [summary, _overall_section(results["overall"], ci, t, role, bounds[:1])]
    if names:
        sections.append(_slices_section(results["slices"], ci, slice_, bounds[1:]))
    return sections, results


def _ranking_grid(tasks, num_slices) -> np.ndarray:
    """Evenly spaced thresholds over both models' scores ([0, 1] for probabilities) for the bootstrap of AP
    (binary, per slice) or one-vs-rest AUC (multiclass)."""
    low = min(t.score_range[0] for t in tasks)
    high = max(t.score_range[1] for t in tasks)
    if low >= 0 and high <= 1:
        low, high = 0.0, 1.0
    if not high > low:
        high = low + 1.0
    count = max(11, min(AP_THRESHOLDS, AP_CELLS // (num_slices or 1)))
    return np.linspace(low, high, count)


def _summary(path, path_b, source, t, rows, dropped, stats, roles, role, column_a, column_b, id_column, ci,
             replicates, seconds) -> Section:
    b_name = column_b.removeprefix("b:")
    model_a = f"{column_a}" + (f" ({path})" if path_b else "")
    model_b = f"{b_name}" + (f" ({path_b})" if path_b else "")
    data = {"file": path, "file_b": path_b, "format": source.kind, "rows": rows, "rows_skipped": dropped,
            "task": t.kind, "model_a": model_a, "model_b": model_b, "level": ci, "replicates": replicates,
            "accumetrics": __version__}
    pairs = [("file", path if not path_b else f"{path} and {path_b}, joined on {id_column}"), ("rows", rows)]
    if stats:
        data["join"] = dict(stats)
        pairs.append(("rows in one file only", f"{stats['only_a']} (A), {stats['only_b']} (B)"))
    if dropped:
        pairs.append(("rows skipped (missing values)", dropped))
    pairs += [("task", t.kind), ("model A", f"{role} {model_a}"), ("model B", f"{role} {model_b}")]
    if t.classes is not None:
        data["classes"] = [c.item() if hasattr(c, "item") else c for c in t.classes]
        pairs.append(("classes", ", ".join(map(str, t.classes[:10])) + (", ..." if len(t.classes) > 10 else "")))
    if t.slices is not None:
        data["slices"] = len(t.slices)
        pairs.append(("slices", f"{len(t.slices)} ({roles[0].slice})"))
    pairs.append(("time", f"{seconds:.2f} s"))
    return Section("summary", "accumetrics compare", data, pairs=pairs)


def _interval(d) -> str:
    return f"[{d.low:+.4f}, {d.high:+.4f}]" if not (math.isnan(d.low) or math.isnan(d.high)) else ""


def _entry(name, d) -> dict:
    return {"metric": _metric_key(name), "a": d.a, "b": d.b, "difference": d.difference, "low": d.low,
            "high": d.high, "verdict": d.verdict, "method": d.method}


def _bound_note(bounds) -> list[str]:
    if not bounds:
        return []
    worst = max(max(b.values()) for b in bounds)
    if worst == 0:
        return ["the AUC and AP values of A and B are exact"]
    return [f"the AUC and AP values of A and B are within {worst:.1e} of the exact values (error bound)"]


def _notes(ci, t, role, table) -> list[str]:
    notes = [f"B - A with its paired {ci:.0%} interval; verdict: the interval excludes 0"]
    methods = {d.method for d in table.values()}
    if "DeLong" in methods:
        notes.append("roc_auc: DeLong's variance of the difference, from the joint histogram of both scores")
    if "bootstrap" in methods:
        notes.append("other metrics: Poisson bootstrap, the same replicate weights for A and B, percentile interval")
    if "average_precision" in table:
        notes.append("average_precision: Poisson bootstrap of both scores binned at evenly spaced thresholds, the "
                     "same replicate weights for A and B; its percentile spread placed around the exact B - A")
    if "macro roc_auc" in table:
        notes.append("macro_roc_auc, weighted_roc_auc: one-vs-rest (weighted by class support); Poisson bootstrap "
                     "of both models' class scores binned at evenly spaced thresholds, the same replicate weights "
                     "for A and B; its percentile spread placed around the exact B - A")
    elif t.kind == "multiclass" and role == "score" and len(t.classes) > Paired.RANKED_CLASSES:
        notes.append(f"no one-vs-rest AUC rows: {len(t.classes)} classes, more than the {Paired.RANKED_CLASSES} "
                     "whose class scores compare keeps for the paired bootstrap")
    if t.kind == "binary" and role == "score":
        notes.append(f"predicted positive when score > {t.threshold:g}")
    if any(m in table for m in LOWER_IS_BETTER):
        notes.append("lower is better for mean_absolute_error, mean_squared_error and root_mean_squared_error")
    return notes


def _cells(d) -> list:
    return [d.a, d.b, f"{d.difference:+.4f}" if not math.isnan(d.difference) else "nan", _interval(d), d.verdict]


def _overall_section(table, ci, t, role, bounds) -> Section:
    header = ["metric", "A", "B", "B - A", f"{ci:.0%} interval", "verdict"]
    rows = [[_metric_key(n)] + _cells(d) for n, d in table.items()]
    data = [_entry(n, d) for n, d in table.items()]
    for entry in data:
        if bounds and f"a_{entry['metric']}" in bounds[0]:
            entry.update(a_bound=bounds[0][f"a_{entry['metric']}"], b_bound=bounds[0][f"b_{entry['metric']}"])
    return Section("comparison", "Comparison (B - A)", data, header=header, rows=rows,
                   notes=_notes(ci, t, role, table) + _bound_note(bounds))


def _slices_section(slices, ci, column, bounds) -> Section:
    header = ["slice", "metric", "A", "B", "B - A", f"{ci:.0%} interval", "verdict"]
    rows, data = [], []
    for name, table in slices:
        for metric, d in table.items():
            rows.append([name, _metric_key(metric)] + _cells(d))
            data.append({"slice": name, **_entry(metric, d)})
    return Section("slices", f"Per slice ({column})", data, header=header, rows=rows, notes=_bound_note(bounds))
