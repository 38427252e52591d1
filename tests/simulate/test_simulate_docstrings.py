"""The examples in the simulation modules' docstrings run, so they stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "opcanvas.simulate",
    "opcanvas.simulate.distributions",
    "opcanvas.simulate.evidence",
    "opcanvas.simulate.eventlog",
    "opcanvas.simulate.network",
    "opcanvas.simulate.queueing",
    "opcanvas.simulate.results",
    "opcanvas.simulate.run",
    "opcanvas.simulate.scenario",
    "opcanvas.simulate.settings",
    "opcanvas.simulate.statistics",
    "opcanvas.simulate.traffic",
    "opcanvas.simulate.workcalendar",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
