"""The examples in the value and roadmap docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import opcanvas.roadmap
import opcanvas.value

REPO = Path(__file__).resolve().parents[2]
SUBMODULES = sorted(
    f"{package.__name__}.{info.name}"
    for package in (opcanvas.value, opcanvas.roadmap)
    for info in pkgutil.iter_modules(package.__path__)
)
MODULES = [*SUBMODULES, "opcanvas.value", "opcanvas.roadmap"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the examples read examples/sales-proposal.yaml
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
