"""`accumetrics report`: user mistakes end in one line on stderr and exit status 2, never a traceback."""

import subprocess
import sys

import numpy as np
import pytest

from accumetrics.cli import main

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture
def files(tmp_path):
    def parquet(name, **columns):
        pq.write_table(pa.table(columns), tmp_path / name)

    parquet("ok.parquet", label=[0, 1, 1, 0], score=[0.1, 0.8, 0.6, 0.3], w=[1.0, 2.0, 1.0, 1.0])
    parquet("strings.parquet", label=[0, 1, 1], score=["a", "b", "c"])
    parquet("negative.parquet", label=[0, 1, 1], score=[0.1, 0.5, 0.9], w=[1.0, -1.0, 1.0])
    parquet("ragged.parquet", label=[0, 1, 1], score=pa.array([[0.1, 0.9], [0.3, 0.3, 0.4], [0.5, 0.5]]))
    parquet("classes.parquet", label=[0, 1, 2, 3, 4], score=pa.array([[0.1, 0.2, 0.7]] * 5))
    parquet("times.parquet", label=[0, 1, 1], score=pa.array([1, 2, 3], pa.timestamp("s")))
    parquet("nan.parquet", label=[0.0, 1.0, None, 1.0, 0.0], score=[0.1, float("nan"), 0.2, 0.3, float("nan")])
    parquet("animals.parquet", label=["cat", "dog", "bird"], cat=[0.8, 0.1, 0.1], dog=[0.1, 0.8, 0.1],
            x=[0.1, 0.1, 0.8])
    parquet("unnamed.parquet", truth=[0, 1], prob=[0.2, 0.7])
    parquet("empty.parquet", label=pa.array([], pa.int64()), score=pa.array([], pa.float64()))
    (tmp_path / "garbage.parquet").write_bytes(b"no parquet here" * 10)
    (tmp_path / "notes.txt").write_text("label,score\n")
    (tmp_path / "bad.csv").write_text("label,score\n0,0.1\n1,high\n")
    np.savez(tmp_path / "lengths.npz", y_true=np.arange(5) % 2, y_score=np.random.rand(4))
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}, None], dtype=object))
    return tmp_path


CASES = [
    (["missing.parquet"], "missing.parquet: no such file"),
    (["notes.txt"], "unknown file format"),
    (["garbage.parquet"], "cannot read as Parquet"),
    (["bad.csv"], "invalid value 'high'"),
    (["ok.parquet", "--label", "truth"], "no column 'truth'; the file has 'label', 'score', 'w'"),
    (["ok.parquet", "--slice", "region"], "no column 'region'"),
    (["strings.parquet"], "--score holds strings"),
    (["times.parquet"], "column 'score' has type timestamp"),
    (["negative.parquet", "--weight", "w"], "sample_weight[1] = -1"),
    (["ragged.parquet"], "lists of different lengths (2 and 3)"),
    (["classes.parquet"], "--score has 3 columns but the labels hold 5 classes"),
    (["lengths.npz"], "arrays of different lengths: y_true 5, y_score 4"),
    (["objects.npy"], "holds Python objects"),
    (["nan.parquet"], "3 of 5 rows hold a missing value (NaN, null or empty), the first at row 1 (counting data rows from 0); pass --drop-nan"),
    (["empty.parquet"], "the file has no rows"),
    (["ok.parquet", "--task", "multilabel"], "needs a 0/1 label matrix"),
    (["ok.parquet", "--plot", "ok.parquet/inside"], "--plot"),
    (["animals.parquet", "--score", "cat", "dog", "x"], "--score columns x are not named as classes while cat, dog "
                                                         "are; the classes are bird, cat, dog (no column for bird)"),
    (["unnamed.parquet", "--label", "truth"], "name one with --score or --pred (tried score, y_score, proba, "
                                              "probability, pred, y_pred, prediction); the file's columns: truth, prob"),
    (["unnamed.parquet"], "no label column: name it with --label (tried label, y_true, target, y); the file's "
                          "columns: truth, prob"),
    (["ok.parquet", "-o", "no/such/dir/r.md"], "--output no/such/dir/r.md: the directory"),
    (["ok.parquet", "-o", "."], "--output .: is a directory"),
]


@pytest.mark.parametrize("argv, message", CASES, ids=[c[1][:30] for c in CASES])
def test_one_line_error(files, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(files)
    assert main(["report", *argv]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("accumetrics: error: ") and err.count("\n") == 1, err
    assert message in err


def test_drop_nan_with_every_row_missing(files, capsys, monkeypatch):
    monkeypatch.chdir(files)
    pq.write_table(pa.table({"label": [0.0, None], "score": [float("nan"), 0.5]}), files / "all.parquet")
    assert main(["report", "all.parquet", "--drop-nan"]) == 2
    assert "every row holds a missing value" in capsys.readouterr().err


def test_usage_errors_exit_2_and_no_traceback(files):
    run = [sys.executable, "-m", "accumetrics.cli"]
    done = subprocess.run(run + ["report", str(files / "ok.parquet"), "--format", "yaml"], capture_output=True,
                          text=True)
    assert done.returncode == 2 and "invalid choice: 'yaml'" in done.stderr
    done = subprocess.run(run + ["report", str(files / "nan.parquet")], capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stdout == ""


def test_output_path_is_checked_before_reading(files, capsys, monkeypatch):
    import accumetrics.cli.report as report

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened before the output path was checked")

    monkeypatch.chdir(files)
    monkeypatch.setattr(report, "open_source", no_reading)
    assert main(["report", "ok.parquet", "-o", "/nonexistent/dir/r.md"]) == 2
    assert capsys.readouterr().err == "accumetrics: error: --output /nonexistent/dir/r.md: the directory " \
                                      "/nonexistent/dir does not exist\n"


def test_help_texts(capsys):
    for command in ("report", "compare", "demo"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "``" not in out and "accumetrics " + command in out
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--format {text,json,markdown} text (default), markdown or json" in out


def test_bench_is_not_a_command(capsys):
    with pytest.raises(SystemExit) as e:
        main(["bench", "--quick"])
    assert e.value.code == 2 and "invalid choice: 'bench'" in capsys.readouterr().err
