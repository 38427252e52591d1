"""Every example in every docstring of the package runs and prints what it says.

Modules are found by walking the package, so a new module's examples are tested without being
listed here. The examples run from the repository root (some read ``examples/``).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import opcanvas

REPO = Path(__file__).resolve().parents[1]
MODULES = sorted(
    info.name for info in pkgutil.walk_packages(opcanvas.__path__, prefix="opcanvas.")
    if not info.name.endswith("__main__")
)  # fmt: skip
# modules whose examples are the documentation of a core API: losing them all is a regression
MUST_HAVE_EXAMPLES = {
    "opcanvas.errors", "opcanvas.canvas.quantities", "opcanvas.canvas.model",
    "opcanvas.canvas.io", "opcanvas.canvas.templates", "opcanvas.simulate.results",
    "opcanvas.value", "opcanvas.value.formula",
}  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if name in MUST_HAVE_EXAMPLES:
        assert result.attempted > 0
