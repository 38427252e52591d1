"""The examples in the canvas modules' docstrings run, so they stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "opcanvas.errors",
    "opcanvas.canvas.quantities",
    "opcanvas.canvas.model",
    "opcanvas.canvas.io",
    "opcanvas.canvas.templates",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
