"""`accumetrics report`: values equal sklearn's on the same data, for every task, format and file type."""

import json

import numpy as np
import pytest
from sklearn import metrics as skm

from accumetrics.cli import main

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pcsv = pytest.importorskip("pyarrow.csv")


def report(capsys, *argv):
    code = main(["report", *map(str, argv), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def report_json(capsys, *argv):
    return json.loads(report(capsys, *argv, "--format", "json"))


def assert_report_equal(ours: dict, theirs: dict, names=None):
    for key, row in theirs.items():
        mine = ours[names.get(key, key) if names else key]
        if isinstance(row, dict):
            for metric, value in row.items():
                assert mine[metric] == pytest.approx(value, rel=1e-12, abs=1e-12), (key, metric)
        else:
            assert mine == pytest.approx(row, rel=1e-12), key


@pytest.fixture
def binary(tmp_path):
    rng = np.random.default_rng(1)
    n = 20000
    y = rng.integers(0, 2, n)
    score = np.clip(0.35 * y + rng.random(n) * 0.65, 0, 1).astype(np.float32)
    score[::97] = 0.5  # scores exactly at the threshold are negative (score > threshold)
    region = rng.choice(["asia", "eu", "us"], n)
    w = rng.random(n) * 2
    path = tmp_path / "binary.parquet"
    pq.write_table(pa.table({"label": y, "score": score, "region": region, "w": w}), path, row_group_size=3000)
    return path, y, score.astype(np.float64), region, w


def test_binary_weighted_sliced_equals_sklearn(capsys, binary):
    path, y, score, region, w = binary
    r = report_json(capsys, path, "--weight", "w", "--slice", "region", "--batch-rows", 4096)
    pred = (score > 0.5).astype(int)
    theirs = skm.classification_report(y, pred, sample_weight=w, output_dict=True)
    assert_report_equal(r["classification_report"], theirs)
    np.testing.assert_allclose(r["confusion_matrix"]["matrix"], skm.confusion_matrix(y, pred, sample_weight=w),
                               rtol=1e-12)
    assert r["ranking"]["roc_auc"] == pytest.approx(skm.roc_auc_score(y, score, sample_weight=w), rel=1e-12)
    assert r["ranking"]["average_precision"] == pytest.approx(
        skm.average_precision_score(y, score, sample_weight=w), rel=1e-12)
    assert r["ranking"]["roc_auc_bound"] == 0 and r["ranking"]["average_precision_bound"] == 0
    assert r["summary"]["rows"] == len(y) and r["summary"]["task"] == "binary"
    assert [s["slice"] for s in r["slices"]] == ["asia", "eu", "us"]
    for s in r["slices"]:
        m = region == s["slice"]
        assert s["rows"] == m.sum()
        assert s["weight"] == pytest.approx(w[m].sum(), rel=1e-12)
        assert s["accuracy"] == pytest.approx(skm.accuracy_score(y[m], pred[m], sample_weight=w[m]), rel=1e-12)
        for name, f in [("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)]:
            assert s[name] == pytest.approx(f(y[m], pred[m], sample_weight=w[m]), rel=1e-12), name
        assert s["roc_auc"] == pytest.approx(skm.roc_auc_score(y[m], score[m], sample_weight=w[m]), rel=1e-12)


def test_formats_show_the_same_numbers(capsys, binary):
    path, y, score, *_ = binary
    auc = skm.roc_auc_score(y, score)
    text = report(capsys, path)
    markdown = report(capsys, path, "--format", "markdown")
    for out in (text, markdown):
        assert f"{auc:.4f} (exact)" in out
        assert "Classification report" in out and "Confusion matrix" in out
    assert markdown.startswith("# accumetrics report")
    assert "| accuracy |" in markdown


def multiclass_data(rng, n, k):
    y = rng.integers(0, k, n)
    p = rng.dirichlet(np.ones(k), n)
    p[np.arange(n), y] += rng.random(n)
    return y, (p / p.sum(axis=1, keepdims=True)).astype(np.float32)


def test_multiclass_npz_equals_sklearn(capsys, tmp_path):
    rng = np.random.default_rng(2)
    y, p = multiclass_data(rng, 9000, 5)
    y[y == 4] = 3  # class 4 never occurs: the scores' columns still name it
    group = rng.integers(0, 4, len(y))
    path = tmp_path / "mc.npz"
    np.savez_compressed(path, y_true=y, y_score=p, group=group)
    r = report_json(capsys, path, "--slice", "group", "--batch-rows", 1000)
    pred = p.argmax(axis=1)
    labels = np.arange(5)
    theirs = skm.classification_report(y, pred, labels=labels, output_dict=True, zero_division=0)
    theirs["accuracy"] = skm.accuracy_score(y, pred)
    theirs.pop("micro avg", None)
    assert_report_equal(r["classification_report"], theirs)
    np.testing.assert_array_equal(r["confusion_matrix"]["matrix"], skm.confusion_matrix(y, pred, labels=labels))
    for c in range(4):
        assert r["ranking"]["roc_auc_per_class"][str(c)] == pytest.approx(skm.roc_auc_score(y == c, p[:, c]))
    for s in r["slices"]:
        m = group == int(s["slice"])
        assert s["accuracy"] == pytest.approx(skm.accuracy_score(y[m], pred[m]))
        assert s["f1"] == pytest.approx(skm.f1_score(y[m], pred[m], average="macro"), rel=1e-12)
        assert s["precision"] == pytest.approx(skm.precision_score(y[m], pred[m], average="macro", zero_division=0))


def test_multiclass_ovr_macro_auc(capsys, tmp_path):
    rng = np.random.default_rng(3)
    y, p = multiclass_data(rng, 6000, 4)
    path = tmp_path / "mc.parquet"
    pq.write_table(pa.table({"label": y, "proba": pa.array(list(p.astype(np.float64)))}), path)
    r = report_json(capsys, path)
    expected = skm.roc_auc_score(y, p.astype(np.float64), multi_class="ovr")
    assert r["ranking"]["roc_auc_ovr_macro"] == pytest.approx(expected, rel=1e-12)


def test_string_labels_csv_with_predictions(capsys, tmp_path):
    rng = np.random.default_rng(4)
    names = np.array(["cat", "dog", "fox"])
    y = names[rng.integers(0, 3, 3000)]
    pred = np.where(rng.random(3000) < 0.7, y, names[rng.integers(0, 3, 3000)])
    path = tmp_path / "animals.csv"
    pcsv.write_csv(pa.table({"truth": y, "guess": pred}), path)
    r = report_json(capsys, path, "--label", "truth", "--pred", "guess", "--batch-rows", 500)
    assert_report_equal(r["classification_report"], skm.classification_report(y, pred, output_dict=True))
    assert r["summary"]["classes"] == ["cat", "dog", "fox"]


def test_multilabel_list_columns(capsys, tmp_path):
    rng = np.random.default_rng(5)
    n, k = 4000, 4
    y = (rng.random((n, k)) < 0.3).astype(np.int64)
    score = np.clip(0.4 * y + 0.6 * rng.random((n, k)), 0, 1)
    path = tmp_path / "ml.parquet"
    pq.write_table(pa.table({"label": pa.array(list(y)), "score": pa.array(list(score))}), path)
    r = report_json(capsys, path)
    assert r["summary"]["task"] == "multilabel"
    pred = (score > 0.5).astype(int)
    theirs = skm.classification_report(y, pred, output_dict=True, zero_division=0)
    theirs.pop("samples avg")
    assert_report_equal(r["classification_report"], theirs)
    assert r["multilabel"]["subset_accuracy"] == pytest.approx(skm.accuracy_score(y, pred))
    expected = np.mean([skm.roc_auc_score(y[:, j], score[:, j]) for j in range(k)])
    assert r["ranking"]["roc_auc_macro"] == pytest.approx(expected, rel=1e-12)


def test_regression_weighted_sliced(capsys, tmp_path):
    rng = np.random.default_rng(6)
    n = 5000
    y = rng.normal(size=n) * 3
    pred = y + rng.normal(size=n)
    w = rng.random(n)
    shop = rng.integers(10, 13, n)
    path = tmp_path / "reg.csv"
    pcsv.write_csv(pa.table({"target": y, "prediction": pred, "w": w, "shop": shop}), path)
    r = report_json(capsys, path, "--weight", "w", "--slice", "shop")
    assert r["summary"]["task"] == "regression"
    got = r["regression"]
    assert got["mean_absolute_error"] == pytest.approx(skm.mean_absolute_error(y, pred, sample_weight=w), rel=1e-12)
    assert got["mean_squared_error"] == pytest.approx(skm.mean_squared_error(y, pred, sample_weight=w), rel=1e-12)
    assert got["r2"] == pytest.approx(skm.r2_score(y, pred, sample_weight=w), rel=1e-12)
    assert got["explained_variance"] == pytest.approx(skm.explained_variance_score(y, pred, sample_weight=w),
                                                      rel=1e-10)
    for s in r["slices"]:
        m = shop == int(s["slice"])
        assert s["r2"] == pytest.approx(skm.r2_score(y[m], pred[m], sample_weight=w[m]), rel=1e-12)
        assert s["mean_absolute_error"] == pytest.approx(
            skm.mean_absolute_error(y[m], pred[m], sample_weight=w[m]), rel=1e-12)


def test_npy_columns_and_forced_task(capsys, tmp_path):
    rng = np.random.default_rng(7)
    y = rng.integers(0, 3, 1000).astype(np.float64)
    pred = rng.integers(0, 3, 1000).astype(np.float64)
    path = tmp_path / "cols.npy"
    np.save(path, np.column_stack([y, pred]))
    r = report_json(capsys, path, "--label", "0", "--pred", "1", "--task", "regression")
    assert r["regression"]["mean_squared_error"] == pytest.approx(skm.mean_squared_error(y, pred))
    rec = np.zeros(1000, dtype=[("y", "i4"), ("p", "f4")])
    rec["y"], rec["p"] = y, rng.random(1000)
    np.save(path, rec)
    assert main(["report", str(path), "--label", "y", "--score", "p", "--task", "multiclass"]) == 2
    assert "needs one --score column per class (3)" in capsys.readouterr().err


def test_drop_nan_skips_and_says_how_many(capsys, tmp_path):
    rng = np.random.default_rng(8)
    y = rng.integers(0, 2, 1000)
    score = rng.random(1000)
    score[[3, 500, 999]] = np.nan
    path = tmp_path / "nan.parquet"
    pq.write_table(pa.table({"label": y, "score": score}), path)
    code = main(["report", str(path), "--format", "json", "--drop-nan"])
    out, err = capsys.readouterr()
    assert code == 0 and "skipped 3 of 1000 rows" in err
    r = json.loads(out)
    keep = ~np.isnan(score)
    assert r["summary"]["rows_skipped"] == 3 and r["summary"]["rows_used"] == 997
    assert r["ranking"]["roc_auc"] == pytest.approx(skm.roc_auc_score(y[keep], score[keep]))


def test_confidence_intervals(capsys, binary):
    pytest.importorskip("accumetrics.bootstrap")
    path, y, score, region, w = binary
    r = report_json(capsys, path, "--ci", "0.9", "--replicates", "100", "--slice", "region")
    again = report_json(capsys, path, "--ci", "0.9", "--replicates", "100", "--slice", "region")
    ci = r["confidence_intervals"]
    assert ci == again["confidence_intervals"] and ci["level"] == 0.9
    pred = (score > 0.5).astype(int)
    for name, f in [("accuracy", skm.accuracy_score), ("f1", skm.f1_score)]:
        value = f(y, pred)
        assert ci[name]["value"] == pytest.approx(value, rel=1e-12)
        assert ci[name]["low"] < value < ci[name]["high"] and ci[name]["high"] - ci[name]["low"] < 0.05
    assert main(["report", str(path), "--ci", "1.5"]) == 2
    assert "--ci must be a level between 0 and 1" in capsys.readouterr().err


def test_binary_calibration_equals_sklearn(capsys, binary, tmp_path):
    from sklearn.calibration import calibration_curve

    path, y, score, _, _ = binary
    r = report_json(capsys, path, "--plot", tmp_path / "plots")
    prob_true, prob_pred = calibration_curve(y, score, n_bins=10)
    np.testing.assert_allclose(r["calibration"]["prob_true"], prob_true, rtol=1e-12)
    np.testing.assert_allclose(r["calibration"]["prob_pred"], prob_pred, rtol=1e-12)
    assert r["calibration"]["brier_score"] == pytest.approx(skm.brier_score_loss(y, score), rel=1e-12)
    assert (tmp_path / "plots" / "reliability.png").stat().st_size > 1000


def test_no_calibration_for_scores_outside_0_1(capsys, tmp_path):
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 500)
    path = tmp_path / "logits.parquet"
    pq.write_table(pa.table({"label": y, "score": rng.normal(size=500) + y}), path)
    assert "calibration" not in report_json(capsys, path, "--threshold", "0")


@pytest.fixture
def animals(tmp_path):
    """Labels cat / dog / bird, one probability column per class named as the class, in the file's own order."""
    rng = np.random.default_rng(5)
    n = 6000
    label = rng.choice(["cat", "dog", "bird"], n)
    p = rng.random((n, 3))
    p[np.arange(n), [("cat", "dog", "bird").index(x) for x in label]] += 0.6
    p /= p.sum(axis=1, keepdims=True)
    path = tmp_path / "animals.parquet"
    pq.write_table(pa.table({"label": label, "cat": p[:, 0], "dog": p[:, 1], "bird": p[:, 2]}), path)
    return path, label, p


def test_multiclass_score_columns_named_as_classes_are_matched_by_name(capsys, animals):
    path, label, p = animals
    classes = np.array(["bird", "cat", "dog"])
    proba = p[:, [2, 0, 1]]  # the sorted classes' columns
    r = report_json(capsys, path, "--label", "label", "--score", "cat", "dog", "bird")
    assert r["summary"]["score_columns"] == {"matched_by": "name",
                                             "columns": {"bird": "bird", "cat": "cat", "dog": "dog"}}
    theirs = skm.classification_report(label, classes[proba.argmax(axis=1)], output_dict=True)
    assert_report_equal(r["classification_report"], theirs)
    assert r["classification_report"]["accuracy"] > 0.8
    assert r["ranking"]["roc_auc_ovr_macro"] == pytest.approx(
        skm.roc_auc_score(label, proba, multi_class="ovr", labels=classes), rel=1e-12)
    for c in classes:
        assert r["ranking"]["roc_auc_per_class"][c] == pytest.approx(skm.roc_auc_score(label == c, proba[:, classes ==
                                                                     c][:, 0]), rel=1e-12)
    text = report(capsys, path, "--label", "label", "--score", "cat", "dog", "bird")
    assert "matched to the classes by name" in text and "±" not in text


def test_positional_score_columns_print_their_mapping(capsys, tmp_path):
    path = tmp_path / "positional.parquet"
    pq.write_table(pa.table({"label": ["b", "a", "c", "a"], "p0": [0.1, 0.8, 0.1, 0.6], "p1": [0.8, 0.1, 0.1, 0.2],
                             "p2": [0.1, 0.1, 0.8, 0.2]}), path)
    text = report(capsys, path, "--score", "p0", "p1", "p2")
    assert "matched to the sorted classes by position: p0 -> a, p1 -> b, p2 -> c" in text
    assert report_json(capsys, path, "--score", "p0", "p1", "p2")["classification_report"]["accuracy"] == 1.0


@pytest.mark.parametrize("sliced", [False, True])
def test_float64_scores_print_exact_auc_and_ap(capsys, tmp_path, sliced):
    """Scores closer together than float32 can tell: the binned bound is large, the third pass removes it."""
    rng = np.random.default_rng(6)
    n = 200_000
    y = rng.integers(0, 2, n)
    score = 1 - 1e-3 * rng.random(n) ** (1 + y)
    group = rng.choice(["x", "y"], n)
    path = tmp_path / "close.parquet"
    pq.write_table(pa.table({"label": y, "score": score, "group": group}), path)
    from accumetrics import BinnedAUC

    binned = BinnedAUC().update(y, score).result()
    assert binned["average_precision_bound"] > 1e-3  # what the report printed as ± before
    args = [path] + (["--slice", "group"] if sliced else [])
    r = report_json(capsys, *args)["ranking"]
    auc, ap = skm.roc_auc_score(y, score), skm.average_precision_score(y, score)
    assert r["roc_auc_bound"] <= 1e-6 and r["average_precision_bound"] <= 1e-6
    assert abs(r["roc_auc"] - auc) <= r["roc_auc_bound"] + 1e-12
    assert abs(r["average_precision"] - ap) <= r["average_precision_bound"] + 1e-12
    text = report(capsys, *args)
    assert "±" not in text
    assert f"ROC AUC            {auc:.4f} (" in text and f"average precision  {ap:.4f} (" in text
    if sliced:
        slices = report_json(capsys, *args)["slices"]
        for s in slices:
            m = group == s["slice"]
            assert s["roc_auc_bound"] <= 1e-6
            assert abs(s["roc_auc"] - skm.roc_auc_score(y[m], score[m])) <= s["roc_auc_bound"] + 1e-12


def test_exact_auc_says_so_in_words(capsys, binary):
    path, *_ = binary
    text = report(capsys, path)
    assert "(exact)" in text and "error bound" not in text and "±" not in text


def test_json_names_the_file_as_given(capsys, binary, monkeypatch):
    path, *_ = binary
    monkeypatch.chdir(path.parent.parent)
    given = f"{path.parent.name}/{path.name}"
    assert report_json(capsys, given)["summary"]["file"] == given
    assert f"file          {given}" in report(capsys, given)
