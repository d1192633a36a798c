"""The installed package: one version everywhere, type information, license and metadata."""

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

import accumetrics
from accumetrics.cli import main


def test_one_version_everywhere(capsys):
    assert accumetrics.__version__ == importlib.metadata.version("accumetrics")
    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0
    assert capsys.readouterr().out.strip() == f"accumetrics {accumetrics.__version__}"


def test_command_prints_the_version():
    out = subprocess.run([sys.executable, "-m", "accumetrics.cli", "--version"], capture_output=True, text=True,
                         timeout=300, check=True)
    assert out.stdout.strip() == f"accumetrics {accumetrics.__version__}"


def test_typed_with_stubs_for_the_core():
    package = Path(accumetrics.__file__).parent
    assert (package / "py.typed").is_file()
    assert "kernel_isa: str" in (package / "_core.pyi").read_text()


def test_metadata():
    meta = importlib.metadata.metadata("accumetrics")
    assert meta["License-Expression"] == "BSD-3-Clause"
    assert meta["Requires-Python"] == ">=3.10"
    classifiers = meta.get_all("Classifier")
    for version in ("3.10", "3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert "Typing :: Typed" in classifiers
    assert {url.split(",")[0] for url in meta.get_all("Project-URL")} >= {"Homepage", "Documentation", "Changelog"}
    licenses = [f for f in importlib.metadata.files("accumetrics") if f.name == "LICENSE"]
    assert licenses and "BSD 3-Clause License" in licenses[0].read_text()
