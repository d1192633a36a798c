"""Sphinx configuration: the API reference, generated from the docstrings of the installed package."""

import accumetrics

project = "accumetrics"
author = "The accumetrics developers"
copyright = "2026, The accumetrics developers"
release = version = accumetrics.__version__

extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.viewcode", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]

autodoc_default_options = {"member-order": "bysource"}
autodoc_inherit_docstrings = False  # not Keras's docstrings of the methods a metric overrides
autodoc_typehints = "description"
napoleon_numpy_docstring = True
napoleon_google_docstring = True
myst_heading_anchors = 3

html_theme = "alabaster"
html_title = f"accumetrics {release}"
