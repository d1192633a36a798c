"""Benchmarks accumetrics against numpy, scikit-learn, Keras and torchmetrics.

    python bench/run.py             # one core for every engine, then accumetrics 2 threads vs 1
    python bench/run.py --threads   # and every engine again with all cores
    python bench/run.py --quick     # less data, fewer repeats: a smoke test

Peers come from `pip install .[bench]`; a peer that is not installed is listed as such.
Every pass runs in a process of its own, because TensorFlow and torch fix the size of
their thread pools when they start. Prints markdown tables: the rate of each engine in
millions of samples per second (median of the repeats), and the rate of the first
engine of the table divided by each engine's rate. One-thread rates are taken from
the process CPU time, others from wall time (see timing.py).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

import machine

PASSES = {
    "one": "One core: every engine with one thread",
    "scaling": "Threads: accumetrics with 2 threads against 1",
    "all": "All cores: every engine with all threads",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2M samples everywhere, 3 repeats")
    parser.add_argument("--threads", action="store_true", help="also time every engine with all cores")
    parser.add_argument("--repeats", type=int, help="timed repeats per engine (default 7, quick 3)")
    parser.add_argument("--only", default="", help="run only cases whose key contains this text")
    parser.add_argument("--save", help="also write every result, as JSON, to this file")
    parser.add_argument("--pass", dest="pass_", choices=PASSES, help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.repeats = args.repeats or (3 if args.quick else 7)
    if args.pass_:
        run_pass(args)
        return

    header = machine.describe()
    print("# accumetrics benchmark\n")
    for line in header:
        print(f"- {line}")
    results = []
    for name in ["one", "scaling"] + (["all"] if args.threads else []):
        results += child(name, args)
    summary(results)
    if args.save:
        with open(args.save, "w") as f:
            json.dump(dict(machine=header, results=results), f, indent=1)


def child(name: str, args) -> list[dict]:
    env = dict(os.environ)
    if name == "one":
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    fd, path = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        command = [sys.executable, __file__, "--pass", name, "--json", path, "--repeats", str(args.repeats),
                   "--only", args.only] + (["--quick"] if args.quick else [])
        sys.stdout.flush()
        done = subprocess.run(command, env=env)
        if done.returncode:
            print(f"\n(pass {name!r} failed with exit status {done.returncode})")
            return []
        with open(path) as f:
            return json.load(f)
    finally:
        os.unlink(path)


def run_pass(args) -> None:
    import accumetrics
    import cases_core

    threads = 1 if args.pass_ == "one" else 0
    accumetrics.set_num_threads(threads or os.cpu_count() or 1)
    if args.pass_ == "scaling":
        builders = cases_core.scaling_cases(args.quick)
    else:
        builders = cases_core.peer_cases(args.quick, threads)
    clock = "cpu" if args.pass_ == "one" else "wall"
    results = []
    for key, build in builders:
        if args.only not in key:
            continue
        if not results:
            print(f"\n## {PASSES[args.pass_]}")
            if clock == "cpu":
                print("\nRates from process CPU time (steady on a shared machine); wall-clock rates beside them.")
        results.append(dict(report(build(), args.repeats, clock), pass_=args.pass_))
    with open(args.json, "w") as f:
        json.dump(results, f)


def report(case, repeats: int, clock: str) -> dict:
    """Runs and prints one case; rates and ratios use `clock` ("cpu" or "wall")."""
    from timing import round_robin

    print(f"\n### {case.title}\n")
    for note in case.notes:
        print(note)
    for what, check in case.checks:
        try:
            outcome = check()
        except Exception as e:
            outcome = f"raised {type(e).__name__}: {e}"
        print(f"Check, {what}: {outcome}")

    skipped = {e.name: e.skipped for e in case.engines if e.run is None}
    values = {}
    for e in case.engines:
        if e.run is None:
            continue
        try:
            values[e.name] = e.value() if e.value else e.run()  # also the warm-up (tracing, caches)
        except Exception as ex:
            skipped[e.name] = f"failed: {type(ex).__name__}: {ex}"
    engines = [e for e in case.engines if e.name not in skipped]
    timings = round_robin({e.name: e.run for e in engines}, repeats, warmup=0)
    rates = {e.name: e.samples / timings[e.name].median(clock) / 1e6 for e in engines}
    walls = {e.name: e.samples / timings[e.name].median("wall") / 1e6 for e in engines}
    first = rates.get(case.engines[0].name)

    columns = ["engine", f"M samples/s ({'CPU time' if clock == 'cpu' else 'wall'})", "spread"]
    columns += ["M samples/s (wall)"] if clock == "cpu" else []
    columns += ["ratio"] + (["MAE rel. error"] if case.exact is not None else [])
    print("\n| " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * (len(columns) - 1))
    rows = []
    for e in case.engines:
        if e.name in skipped:
            print(f"| {e.name} | {skipped[e.name]} |" + " |" * (len(columns) - 2))
            rows.append(dict(engine=e.name, skipped=skipped[e.name]))
            continue
        rate = rates[e.name]
        ratio = first / rate if first else None
        cells = [e.name, f"{rate:,.1f}", f"{timings[e.name].spread(clock):.0%}"]
        cells += [f"{walls[e.name]:,.1f}"] if clock == "cpu" else []
        cells.append(fmt_ratio(ratio))
        if case.exact is not None:
            value = values.get(e.name) if e.value else None
            cells.append(f"{abs(float(value) - case.exact) / case.exact:.1e}" if value is not None else "")
        print("| " + " | ".join(cells) + " |")
        rows.append(dict(engine=e.name, rate=rate, wall=walls[e.name], ratio=ratio))
    sys.stdout.flush()

    target = None
    if case.target and first and case.target.engine in rates:
        target = dict(engine=case.target.engine, needed=case.target.ratio, ratio=first / rates[case.target.engine])
    return dict(key=case.key, title=case.title, first=case.engines[0].name, rows=rows, target=target)


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return ""
    return f"{r:.2f}×" if r < 10 else f"{r:,.0f}×"


def summary(results: list[dict]) -> None:
    print("\n## Targets\n")
    print("| pass | case | first engine ÷ | needed | measured | |")
    print("|---|---|---|---:|---:|---|")
    for r in results:
        t = r["target"]
        if not t or r["pass_"] == "all":
            continue
        met = "met" if t["ratio"] >= t["needed"] else "MISSED"
        print(f"| {r['pass_']} | {r['title']} | {t['engine']} | {fmt_ratio(t['needed'])} | "
              f"{fmt_ratio(t['ratio'])} | {met} |")


if __name__ == "__main__":
    main()
