"""Plots render headless and write valid PNG files: the functions, the accumulators' .plot(), report --plot."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import accumetrics as am  # noqa: E402
from accumetrics import plot  # noqa: E402

mpimg = pytest.importorskip("matplotlib.image")


def assert_png(path, min_side=200):
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    image = mpimg.imread(path)
    assert image.ndim == 3 and min(image.shape[:2]) >= min_side
    assert image[..., :3].std() > 0.01  # something was drawn


@pytest.fixture
def binary():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 5000)
    return y, np.clip(0.3 * y + 0.7 * rng.random(5000), 0, 1)


def test_functions(tmp_path, binary):
    y, score = binary
    tc = am.ThresholdCounts(101).update(y, score)
    cm = am.ConfusionMatrix(2).update(y, (score > 0.5).astype(int))
    bins = np.linspace(0, 1, 11)
    at = np.digitize(score, bins[1:-1])
    mean_pred = np.array([score[at == b].mean() for b in range(10)])
    frac = np.array([y[at == b].mean() for b in range(10)])
    axes = {
        "roc": plot.roc_curve_from_counts(tc.result(), ["positive"]),
        "pr": plot.precision_recall_curve_from_counts(tc.result()),
        "cm": plot.confusion_matrix(cm.result(), ["no", "yes"]),
        "cm_weights": plot.confusion_matrix(np.array([[1.5, 0.25], [0.0, 2.0]]), normalize=False),
        "reliability": plot.reliability_diagram(mean_pred, frac, np.bincount(at, minlength=10)),
        "slices": plot.slice_bars(["a", "b", "c"], [0.8, 0.7, 0.9], metric="accuracy", errors=[0.01, 0.02, 0.01]),
        "many_slices": plot.slice_bars(range(100), np.linspace(0, 1, 100), metric="f1"),
    }
    for name, ax in axes.items():
        assert_png(plot.save(ax, str(tmp_path / f"{name}.png")))
    assert "first 40 of 100" in axes["many_slices"].get_title()
    # the ROC curve through the thresholds ends at (0, 0) and (1, 1), and rises
    fpr, tpr = axes["roc"].get_lines()[0].get_data()
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0, 0, 1, 1) and np.all(np.diff(tpr) >= 0)


def test_accumulator_plot_methods(tmp_path, binary):
    y, score = binary
    ids = np.arange(len(y)) % 3
    cm = am.ConfusionMatrix(2, num_slices=3).update(y, (score > 0.5).astype(int), slice_ids=ids)
    ax = cm.plot(["no", "yes"])
    assert_png(plot.save(ax, str(tmp_path / "cm.png")))
    texts = sorted(int(t.get_text()) for t in ax.texts)
    assert texts == sorted(cm.result().sum(axis=0).ravel().tolist())
    tc = am.ThresholdCounts(51, num_labels=2).update(np.column_stack([y, 1 - y]), np.column_stack([score, 1 - score]))
    for kind in ("roc", "pr"):
        assert_png(plot.save(tc.plot(kind, ["a", "b"]), str(tmp_path / f"{kind}.png")))
    with pytest.raises(ValueError, match="expected 'roc' or 'pr'"):
        tc.plot("lift")


def test_bad_input():
    with pytest.raises(ValueError, match="square"):
        plot.confusion_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="3 labels for a 2 x 2 matrix"):
        plot.confusion_matrix(np.eye(2), ["a", "b", "c"])
    with pytest.raises(ValueError, match="2 slice names for 3 values"):
        plot.slice_bars(["a", "b"], [1, 2, 3])


def test_report_plot_dir(tmp_path, binary, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from accumetrics.cli import main

    y, score = binary
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"label": y, "score": score, "group": np.arange(len(y)) % 4}), path)
    out = tmp_path / "plots"
    assert main(["report", str(path), "--slice", "group", "--plot", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    names = sorted(os.listdir(out))
    assert {"confusion_matrix.png", "roc.png", "precision_recall.png", "slices.png"} <= set(names)
    for name in names:
        assert_png(out / name)


def test_legends_carry_the_values_and_chance_comes_last(binary):
    y, score = binary
    counts = am.ThresholdCounts(101).update(y, score).result()
    ax = plot.roc_curve_from_counts(counts, ["model"], roc_auc=[0.91234])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["model, AUC 0.9123", "chance"]
    multi = am.ThresholdCounts(101, num_labels=2).update(np.column_stack([y, 1 - y]), np.column_stack([score,
                                                                                                      1 - score]))
    ax = plot.roc_curve_from_counts(multi.result(), ["a", "b"], roc_auc=[0.8, 0.7])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a, AUC 0.8000", "b, AUC 0.7000", "chance"]
    ax = plot.precision_recall_curve_from_counts(counts, ["model"], average_precision=[0.5])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["model, AP 0.5000"]


def test_slice_bars_show_values_intervals_and_a_close_up_axis():
    ax = plot.slice_bars(["a", "b"], [0.95, 0.97], metric="accuracy", errors=[[0.01, 0.005], [0.01, 0.005]],
                         interval="95% Wilson intervals")
    low, high = ax.get_xlim()
    assert 0.9 < low < 0.94 and 0.975 < high < 1.0
    assert {t.get_text() for t in ax.texts} == {"0.9500", "0.9700"}
    assert "95% Wilson intervals" in ax.get_title()
