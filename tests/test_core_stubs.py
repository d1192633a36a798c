"""The type stubs of the core (_core.pyi) name the parameters of every function and method as the module does."""

import ast
import re
from pathlib import Path

import pytest

import accumetrics
from accumetrics import _core

STUBS = ast.parse((Path(accumetrics.__file__).parent / "_core.pyi").read_text())


STUB_CLASSES = {node.name: node for node in STUBS.body if isinstance(node, ast.ClassDef)}


def _methods(node: ast.ClassDef):
    """A stubbed class's methods, with those of its bases in the stubs (``_Bootstrap[Moments]`` names _Bootstrap)."""
    for base in node.bases:
        name = getattr(base.value if isinstance(base, ast.Subscript) else base, "id", None)
        if name in STUB_CLASSES:
            yield from _methods(STUB_CLASSES[name])
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and not any(
                isinstance(d, ast.Name) and d.id == "property" for d in item.decorator_list):
            yield item


def _stubbed():
    """(qualified name, the object in the module, the stub's node) of each function and method; the bases of the
    stubs only (named with an underscore) through the classes that derive from them."""
    for node in STUBS.body:
        if isinstance(node, ast.FunctionDef):
            yield node.name, getattr(_core, node.name), node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            cls = getattr(_core, node.name)
            for item in _methods(node):
                yield f"{node.name}.{item.name}", getattr(cls, item.name), item


def _bound_names(obj) -> list[list[str]]:
    """The parameter names of each overload, read from pybind11's signature lines."""
    names = []
    for line in (obj.__doc__ or "").splitlines():
        match = re.match(rf"^{re.escape(obj.__name__)}\((.*)\) ->", line)
        if match:
            params = re.split(r",\s*(?![^\[\]]*\])", match.group(1)) if match.group(1) else []
            names.append([p.split(":")[0].strip() for p in params])
    return names


CASES = [(name, obj, node) for name, obj, node in _stubbed()
         if not name.endswith(("__init__", "__copy__", "__deepcopy__", "__reduce__", "__getstate__", "__setstate__"))]


@pytest.mark.parametrize("name, obj, node", CASES, ids=[c[0] for c in CASES])
def test_stub_names_the_parameters_of_the_binding(name, obj, node):
    stub = [a.arg for a in node.args.posonlyargs + node.args.args]
    bound = _bound_names(obj)
    assert bound, f"{name}: no signature in its docstring"
    assert stub in bound, f"{name}: stub {stub}, binding {bound}"


def test_the_stubs_cover_the_bootstrap_updates():
    assert any(name == "ConfusionMatrixBootstrap.update" for name, _, _ in CASES)


def test_the_stubs_cover_the_methods_of_stub_only_bases():
    assert {"MomentsBootstrap.replicate", "LossSums.counts", "ConfusionMatrix.merge"} <= {name for name, _, _ in CASES}
