"""`accumetrics demo` and `accumetrics bench`: they run, print what they promise and write the report."""

import json
import subprocess
import sys

import pytest

from accumetrics.cli import main
from accumetrics.cli.bench import locate

pytest.importorskip("keras")
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


def test_bench_passes_arguments_through():
    assert locate() is not None and locate().name == "run.py"
    done = subprocess.run([sys.executable, "-m", "accumetrics.cli", "bench", "--help"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "--quick" in done.stdout and "accumetrics bench runs" in done.stdout
