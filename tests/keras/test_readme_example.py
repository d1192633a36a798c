"""The README's Keras example runs as written."""

import re
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"


def test_readme_keras_example_runs():
    section = README.read_text().split("\n## Keras\n", 1)[1].split("\n## ", 1)[0]
    code = re.findall(r"```python\n(.*?)```", section, re.S)[0]  # the first: it builds the model
    scope = {}
    exec(compile(code, str(README), "exec"), scope)
    history = scope["model"].history.history

    def logged(name):  # Keras numbers a metric's name when an earlier metric in the process had it
        (key,) = (k for k in history if re.fullmatch(rf"{name}(_\d+)?", k))
        assert len(history[key]) == 2
        return history[key]

    assert all(0 <= v <= 1 for v in logged("auc") + logged("precision"))
    assert all(v == int(v) and 0 <= v <= 1024 for v in logged("true_positives"))
