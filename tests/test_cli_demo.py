"""`accumetrics demo`: it runs, prints what it promises and writes the report and the comparison."""

import json
import pytest

from accumetrics.cli import main

pytest.importorskip("keras.ops")  # not "keras": tests/keras alone passes for a namespace package
pytest.importorskip("sklearn")
pytest.importorskip("pyarrow")


def test_demo(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--epochs", "2", "--timing-rows", "3000", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "epoch" in text and "val_accuracy" in text
    assert "per-class val_recall" in text and " 9: " in text
    assert "SparseCategoricalAccuracy" in text and "(equal)" in text and "(differ)" not in text
    assert "Per slice (ink)" in text and "Classification report" in text
    report = json.loads((out / "report.json").read_text())
    assert report["summary"]["rows"] == 540 and report["summary"]["task"] == "multiclass"
    assert [s["slice"] for s in report["slices"]] == ["heavy", "light", "medium"]
    assert (out / "report.md").read_text().startswith("# accumetrics report")
    assert (out / "plots" / "confusion_matrix.png").stat().st_size > 1000
    assert "The linear model (A) against the MLP (B)" in text and "Comparison (B - A)" in text
    comparison = json.loads((out / "compare.json").read_text())
    assert comparison["summary"]["rows"] == 540
    assert {e["metric"] for e in comparison["comparison"]} == {"accuracy", "macro_precision", "macro_recall",
                                                                 "macro_f1", "macro_roc_auc", "weighted_roc_auc"}
    auc = {e["metric"]: e for e in comparison["comparison"]}["macro_roc_auc"]
    assert 0.5 < auc["a"] <= 1 and 0.5 < auc["b"] <= 1 and auc["low"] <= auc["difference"] <= auc["high"]
    assert {e["slice"] for e in comparison["slices"]} == {"heavy", "light", "medium"}
