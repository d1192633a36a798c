"""`accumetrics compare`: A's and B's values equal sklearn's, files joined on an id, verdicts and the CI gate."""

import json

import numpy as np
import pytest
from sklearn import metrics as skm

from accumetrics.cli import main

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pcsv = pytest.importorskip("pyarrow.csv")


def compare(capsys, *argv, code=0):
    got = main(["compare", *map(str, argv), "--quiet"])
    out, err = capsys.readouterr()
    assert got == code, err
    return out, err


def compare_json(capsys, *argv, code=0):
    out, err = compare(capsys, *argv, "--format", "json", code=code)
    return json.loads(out), err


@pytest.fixture
def models(tmp_path):
    rng = np.random.default_rng(2)
    n = 30000
    y = rng.integers(0, 2, n)
    shared = rng.standard_normal(n)
    region = rng.choice(["eu", "us"], n)
    shift_b = np.where(region == "us", 0.6, 1.2)  # B is better on eu, worse on us
    a = 1 / (1 + np.exp(-(0.8 * y + 0.8 * shared + 0.6 * rng.standard_normal(n))))
    b = 1 / (1 + np.exp(-(shift_b * y + 0.8 * shared + 0.6 * rng.standard_normal(n))))
    w = rng.random(n) + 0.5
    path = tmp_path / "both.parquet"
    pq.write_table(pa.table({"id": np.arange(n), "label": y, "a_prob": a.astype(np.float32),
                             "b_prob": b.astype(np.float32), "region": region, "w": w}), path, row_group_size=7000)
    return path, y, a.astype(np.float32).astype(np.float64), b.astype(np.float32).astype(np.float64), region, w


def by_metric(entries):
    return {e["metric"]: e for e in entries}


def test_one_file_two_score_columns_equal_sklearn(capsys, models):
    path, y, a, b, region, w = models
    r, _ = compare_json(capsys, path, "--score", "a_prob", "b_prob", "--slice", "region", "--weight", "w",
                        "--replicates", 50, "--batch-rows", 5000)
    overall = by_metric(r["comparison"])
    for model, s in (("a", a), ("b", b)):
        pred = (s > 0.5).astype(int)
        assert overall["accuracy"][model] == pytest.approx(skm.accuracy_score(y, pred, sample_weight=w), rel=1e-12)
        assert overall["f1"][model] == pytest.approx(skm.f1_score(y, pred, sample_weight=w), rel=1e-12)
        assert overall["roc_auc"][model] == pytest.approx(skm.roc_auc_score(y, s, sample_weight=w), rel=1e-12)
        assert overall["average_precision"][model] == pytest.approx(
            skm.average_precision_score(y, s, sample_weight=w), rel=1e-12)
        assert overall["roc_auc"][f"{model}_bound"] == 0
    for name, e in overall.items():
        assert e["difference"] == pytest.approx(e["b"] - e["a"], abs=1e-15)
        assert e["low"] <= e["difference"] <= e["high"], name
    slices = {(e["slice"], e["metric"]): e for e in r["slices"]}
    for s in ("eu", "us"):
        m = region == s
        for model, x in (("a", a), ("b", b)):
            assert slices[s, "roc_auc"][model] == pytest.approx(
                skm.roc_auc_score(y[m], x[m], sample_weight=w[m]), rel=1e-12)
            assert slices[s, "recall"][model] == pytest.approx(
                skm.recall_score(y[m], (x[m] > 0.5).astype(int), sample_weight=w[m]), rel=1e-12)
    assert slices["eu", "roc_auc"]["verdict"] == "B better" and slices["us", "recall"]["verdict"] == "B worse"
    assert slices["eu", "average_precision"]["verdict"] == "B better"
    assert slices["us", "average_precision"]["verdict"] == "B worse"
    assert overall["average_precision"]["method"] == "bootstrap"
    assert r["summary"]["rows"] == len(y) and r["summary"]["task"] == "binary"


def test_text_says_what_the_intervals_are(capsys, models):
    path, *_ = models
    out, _ = compare(capsys, path, "--score", "a_prob", "b_prob", "--replicates", 30)
    assert "Comparison (B - A)" in out and "95% interval" in out and "verdict" in out
    assert "DeLong" in out and "same replicate weights for A and B" in out and "are exact" in out


def test_average_precision_interval_of_scores_outside_0_1(capsys, tmp_path):
    """Logits: the AP bootstrap's thresholds span both models' scores, so the interval is there; identical
    columns give a zero-width one."""
    rng = np.random.default_rng(5)
    n = 4000
    y = rng.integers(0, 2, n)
    shared = rng.standard_normal(n)
    a = 0.8 * y + shared + 0.5 * rng.standard_normal(n)
    b = 1.4 * y + shared + 0.5 * rng.standard_normal(n)
    path = tmp_path / "logits.parquet"
    pq.write_table(pa.table({"label": y, "a": a, "b": b, "b2": b}), path)
    r, _ = compare_json(capsys, path, "--score", "a", "b", "--replicates", 100)
    ap = by_metric(r["comparison"])["average_precision"]
    assert ap["difference"] == pytest.approx(skm.average_precision_score(y, b) - skm.average_precision_score(y, a),
                                             rel=1e-12)
    assert 0 < ap["low"] < ap["difference"] < ap["high"] and ap["verdict"] == "B better"
    r, _ = compare_json(capsys, path, "--score", "b", "b2", "--replicates", 20)
    ap = by_metric(r["comparison"])["average_precision"]
    assert (ap["difference"], ap["low"], ap["high"]) == (0, 0, 0)


def test_gate_fails_and_names_the_metric_and_slice(capsys, models):
    path, *_ = models
    argv = [path, "--score", "a_prob", "b_prob", "--slice", "region", "--replicates", 30]
    out, err = compare(capsys, *argv, "--fail-if", "roc_auc:-0.002", code=1)
    assert "accumetrics: gate failed: roc_auc (slice us): B - A = -" in err and "< -0.002" in err
    assert "(overall)" not in err and "FAILED (1)" in out
    _, err = compare(capsys, *argv, "--fail-if", "accuracy:-0.5,auc:-0.5", code=0)
    assert err == ""
    r, _ = compare_json(capsys, *argv, "--fail-if", "recall:-0.01", code=1)
    assert r["gate"]["passed"] is False and [f["where"] for f in r["gate"]["failures"]] == ["slice us"]


def test_gate_from_a_file(capsys, models, tmp_path):
    path, *_ = models
    (tmp_path / "gate.json").write_text('{"roc_auc": -0.002, "f1": -1}')
    (tmp_path / "gate.txt").write_text("# tolerances\nf1:-1\n")
    argv = [path, "--score", "a_prob", "b_prob", "--slice", "region", "--replicates", 20]
    compare(capsys, *argv, "--fail-if", f"@{tmp_path / 'gate.json'}", code=1)
    compare(capsys, *argv, "--fail-if", f"@{tmp_path / 'gate.txt'}", code=0)


@pytest.mark.parametrize("order", ["same", "sorted"])
def test_two_files_joined_on_id(capsys, models, tmp_path, order):
    path, y, a, b, region, w = models
    t = pq.read_table(path)
    rng = np.random.default_rng(3)
    keep_b = np.sort(rng.choice(len(y), len(y) - 500, replace=False))
    file_a, file_b = tmp_path / "a.parquet", tmp_path / "b.csv"
    if order == "same":  # both shuffled alike
        perm = rng.permutation(len(y))
        pq.write_table(t.take(perm).select(["id", "label", "a_prob", "region"]), file_a, row_group_size=4000)
        pcsv.write_csv(t.take(perm).select(["id", "b_prob"]), file_b)
        keep_b = np.arange(len(y))
    else:
        pq.write_table(t.select(["id", "label", "a_prob", "region"]), file_a, row_group_size=4000)
        pcsv.write_csv(t.take(keep_b).select(["id", "b_prob"]).rename_columns(["id", "prob"]), file_b)
    score = ["a_prob", "b_prob"] if order == "same" else ["a_prob", "prob"]
    r, _ = compare_json(capsys, file_a, file_b, "--id", "id", "--score", *score, "--slice", "region",
                        "--replicates", 20, "--batch-rows", 3000)
    assert r["summary"]["rows"] == len(keep_b)
    assert r["summary"]["join"]["only_a"] == len(y) - len(keep_b) and r["summary"]["join"]["only_b"] == 0
    overall = by_metric(r["comparison"])
    yk, ak, bk = y[keep_b], a[keep_b], b[keep_b]
    assert overall["roc_auc"]["a"] == pytest.approx(skm.roc_auc_score(yk, ak), rel=1e-12)
    assert overall["roc_auc"]["b"] == pytest.approx(skm.roc_auc_score(yk, bk), rel=1e-12)
    assert overall["accuracy"]["b"] == pytest.approx(skm.accuracy_score(yk, bk > 0.5), rel=1e-12)


def test_unsorted_files_in_different_orders_are_refused(capsys, tmp_path):
    pq.write_table(pa.table({"id": [3, 1, 2], "label": [0, 1, 1], "p": [0.1, 0.8, 0.7]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"id": [2, 3, 1], "p": [0.2, 0.9, 0.6]}), tmp_path / "b.parquet")
    assert main(["compare", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet"), "--id", "id",
                 "--score", "p"]) == 2
    assert "neither in the same order as in the other file nor sorted" in capsys.readouterr().err


def test_regression_csv_and_multiclass_npz(capsys, tmp_path):
    rng = np.random.default_rng(4)
    n = 5000
    y = rng.standard_normal(n)
    a, b = y + rng.standard_normal(n), y + 0.7 * rng.standard_normal(n)
    pcsv.write_csv(pa.table({"target": y, "m1": a, "m2": b}), tmp_path / "reg.csv")
    r, _ = compare_json(capsys, tmp_path / "reg.csv", "--label", "target", "--pred", "m1", "m2", "--replicates", 50)
    overall = by_metric(r["comparison"])
    assert overall["mean_absolute_error"]["a"] == pytest.approx(skm.mean_absolute_error(y, a), rel=1e-12)
    assert overall["r2"]["b"] == pytest.approx(skm.r2_score(y, b), rel=1e-12)
    assert overall["mean_absolute_error"]["verdict"] == "B better"
    _, err = compare(capsys, tmp_path / "reg.csv", "--label", "target", "--pred", "m1", "m2", "--replicates", 20,
                     "--fail-if", "mae:-0.3", code=1)
    assert "mean_absolute_error (overall)" in err and "> -0.3" in err
    labels = rng.integers(0, 3, n)
    pa_, pb_ = rng.dirichlet(np.ones(3), n), rng.dirichlet(np.ones(3), n)
    pb_[np.arange(n), labels] += 0.5
    np.savez(tmp_path / "mc.npz", label=labels, a=pa_, b=pb_)
    r, _ = compare_json(capsys, tmp_path / "mc.npz", "--score", "a", "b", "--replicates", 30)
    overall = by_metric(r["comparison"])
    assert r["summary"]["task"] == "multiclass"
    assert overall["accuracy"]["a"] == pytest.approx(skm.accuracy_score(labels, pa_.argmax(1)), rel=1e-12)
    assert overall["macro_f1"]["b"] == pytest.approx(skm.f1_score(labels, pb_.argmax(1), average="macro"), rel=1e-12)
    assert overall["accuracy"]["verdict"] == "B better"
    for average in ("macro", "weighted"):
        e = overall[f"{average}_roc_auc"]
        for model, p in (("a", pa_), ("b", pb_)):
            want = skm.roc_auc_score(labels, p / p.sum(axis=1, keepdims=True), multi_class="ovr", average=average)
            assert e[model] == pytest.approx(want, rel=1e-12) and e[f"{model}_bound"] == 0
        assert e["low"] < e["difference"] < e["high"] and e["verdict"] == "B better" and e["method"] == "bootstrap"


@pytest.mark.parametrize("argv, message", [
    (["--score", "a_prob"], "--score takes two columns, A's and B's"),
    (["--score", "a_prob", "nope"], "no column 'nope'"),
    (["--score", "a_prob", "b_prob", "--fail-if", "roc_auc"], "expected METRIC:TOLERANCE"),
    (["--score", "a_prob", "b_prob", "--fail-if", "brier:-0.1"], "--fail-if brier: not a metric of this comparison"),
    (["--score", "a_prob", "b_prob", "--id", "id"], "--id joins two files"),
    (["--score", "a_prob", "b_prob", "-o", "/no/such/dir/x.txt"], "the directory /no/such/dir does not exist"),
])
def test_mistakes_are_one_line_errors(capsys, models, argv, message):
    path, *_ = models
    assert main(["compare", str(path), *argv, "--replicates", "5"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("accumetrics: error: ") and err.count("\n") == 1 and message in err, err


def test_many_classes_say_why_there_are_no_auc_rows(capsys, tmp_path):
    rng = np.random.default_rng(5)
    n, k = 600, 12
    np.savez(tmp_path / "many.npz", label=rng.integers(0, k, n), a=rng.dirichlet(np.ones(k), n),
             b=rng.dirichlet(np.ones(k), n))
    out, err = compare(capsys, tmp_path / "many.npz", "--score", "a", "b", "--replicates", 10)
    assert "roc_auc" not in out.replace("no one-vs-rest AUC rows", "")
    assert f"no one-vs-rest AUC rows: {k} classes, more than the 10" in out + err
