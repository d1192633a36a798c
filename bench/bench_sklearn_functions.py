"""The scoring functions accumetrics added beside sklearn.metrics' (deviances, quantile losses, curves at
thresholds, label ranking, ...) against sklearn on the same data, one core.

    python bench/bench_sklearn_functions.py [--samples 10000000] [--ranking-samples 100000] [--labels 10]
                                            [--repeats 3] [--only TEXT]

Prints the median time of each function (wall and process CPU) and the ratio sklearn / accumetrics.
Regression and classification functions get `--samples` samples; the label ranking functions
`--ranking-samples` samples of `--labels` labels each (sklearn loops over the samples in Python for
LRAP, the ranking loss and DCG with ties: about 1 ms per sample for LRAP). Every result is checked
against sklearn's first; a function whose sklearn call takes over 5 s is timed once more only.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from machine import describe
from sklearn import metrics as sk
from timing import round_robin

import accumetrics


def regression_cases(n: int, rng) -> dict:
    y = rng.gamma(2.0, size=n) + 0.01
    p = y * rng.gamma(20.0, 0.05, size=n)
    w = rng.random(n)
    y2, p2 = np.c_[y, y[::-1]], np.c_[p, p[::-1]]
    return {
        "mean_pinball_loss(alpha=0.9)": lambda m: m.mean_pinball_loss(y, p, alpha=0.9),
        "mean_pinball_loss, 2 outputs, weighted": lambda m: m.mean_pinball_loss(y2, p2, sample_weight=w, alpha=0.9,
                                                                               multioutput="raw_values"),
        "mean_poisson_deviance": lambda m: m.mean_poisson_deviance(y, p),
        "mean_gamma_deviance, weighted": lambda m: m.mean_gamma_deviance(y, p, sample_weight=w),
        "mean_tweedie_deviance(power=1.5)": lambda m: m.mean_tweedie_deviance(y, p, power=1.5),
        "d2_tweedie_score(power=1)": lambda m: m.d2_tweedie_score(y, p, power=1),
        "max_error": lambda m: m.max_error(y, p),
        "median_absolute_error": lambda m: m.median_absolute_error(y, p),
        "median_absolute_error, weighted": lambda m: m.median_absolute_error(y, p, sample_weight=w),
        "d2_absolute_error_score": lambda m: m.d2_absolute_error_score(y, p),
        "d2_pinball_score(alpha=0.1), weighted": lambda m: m.d2_pinball_score(y, p, sample_weight=w, alpha=0.1),
    }


def classification_cases(n: int, rng) -> dict:
    y = rng.integers(0, 2, n)
    s = np.round(rng.random(n) * 0.7 + y * 0.3, 4)  # 10,001 distinct scores
    w = rng.random(n)
    coarse = np.round(s, 1)  # 11 thresholds for metric_at_thresholds
    pred = (s > 0.5).astype(np.int64)
    classes = rng.integers(0, 5, n)
    guess = np.where(rng.random(n) < 0.6, classes, rng.integers(0, 5, n))
    decision = rng.standard_normal((n, 5))
    proba = rng.dirichlet(np.ones(4), n)
    labels4 = rng.integers(0, 4, n)
    indicator_t, indicator_p = rng.integers(0, 2, (n // 5, 5)), rng.integers(0, 2, (n // 5, 5))
    return {
        "zero_one_loss": lambda m: m.zero_one_loss(classes, guess),
        "multilabel_confusion_matrix, 5 classes": lambda m: m.multilabel_confusion_matrix(classes, guess),
        "multilabel_confusion_matrix, indicators": lambda m: m.multilabel_confusion_matrix(indicator_t, indicator_p),
        "class_likelihood_ratios": lambda m: m.class_likelihood_ratios(y, pred),
        "hinge_loss, binary": lambda m: m.hinge_loss(2 * y - 1, s - 0.5),
        "hinge_loss, 5 classes": lambda m: m.hinge_loss(classes, decision),
        "confusion_matrix_at_thresholds": lambda m: m.confusion_matrix_at_thresholds(y, s),
        "confusion_matrix_at_thresholds, weighted": lambda m: m.confusion_matrix_at_thresholds(y, s, sample_weight=w),
        "det_curve": lambda m: m.det_curve(y, s),
        "metric_at_thresholds(accuracy_score)": lambda m: m.metric_at_thresholds(y, coarse, m.accuracy_score),
        "auc of a 10M-point curve": lambda m: m.auc(np.sort(s), s),
        "d2_log_loss_score, 4 classes": lambda m: m.d2_log_loss_score(labels4, proba),
        "d2_brier_score, binary": lambda m: m.d2_brier_score(y, s),
    }


def ranking_cases(rows: int, labels: int, rng) -> dict:
    t = (rng.random((rows, labels)) < 0.3).astype(np.int64)
    s = np.round(rng.random((rows, labels)), 2)  # ties within samples
    gains = t * rng.integers(1, 4, t.shape)
    return {
        "coverage_error": lambda m: m.coverage_error(t, s),
        "label_ranking_average_precision_score": lambda m: m.label_ranking_average_precision_score(t, s),
        "label_ranking_loss": lambda m: m.label_ranking_loss(t, s),
        "dcg_score(k=5)": lambda m: m.dcg_score(gains, s, k=5),
        "ndcg_score": lambda m: m.ndcg_score(gains, s),
        "ndcg_score(ignore_ties=True)": lambda m: m.ndcg_score(gains, s, ignore_ties=True),
    }


def same(ours, theirs) -> bool:
    if isinstance(theirs, tuple):
        return all(same(a, b) for a, b in zip(ours, theirs))
    return np.allclose(ours, theirs, rtol=1e-9, atol=1e-12, equal_nan=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000_000)
    parser.add_argument("--ranking-samples", type=int, default=100_000)
    parser.add_argument("--labels", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="", help="run only functions whose name contains this text")
    args = parser.parse_args()

    accumetrics.set_num_threads(1)
    rng = np.random.default_rng(0)
    for line in describe():
        print(line)
    print(f"{args.samples:,} samples (label ranking: {args.ranking_samples:,} samples x {args.labels} labels), "
          "accumetrics on 1 thread; ratio = sklearn time / accumetrics time, medians\n")
    print(f"{'function':44s} {'sklearn s':>10s} {'accumetrics s':>14s} {'ratio':>8s} {'CPU ratio':>10s}")
    groups = [regression_cases(args.samples, rng), classification_cases(args.samples, rng),
              ranking_cases(args.ranking_samples, args.labels, rng)]
    ratios = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for group in groups:
            for name, call in group.items():
                if args.only not in name:
                    continue
                ours = call(accumetrics)  # also the warm-up
                start = time.perf_counter()
                theirs = call(sk)
                slow = time.perf_counter() - start > 5
                assert same(ours, theirs), (name, ours, theirs)
                t = round_robin({"sklearn": lambda: call(sk), "accumetrics": lambda: call(accumetrics)},
                                1 if slow else args.repeats, warmup=0)
                sk_s, our_s = t["sklearn"].median(), t["accumetrics"].median()
                cpu = t["sklearn"].median("cpu") / t["accumetrics"].median("cpu")
                ratios.append(sk_s / our_s)
                print(f"{name:44s} {sk_s:10.3f} {our_s:14.4f} {sk_s / our_s:7.1f}x {cpu:9.1f}x", flush=True)
    if ratios:
        print(f"\nmedian ratio {np.median(ratios):.1f}x, range {min(ratios):.1f}x to {max(ratios):.1f}x")


if __name__ == "__main__":
    main()
