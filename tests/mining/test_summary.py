"""Quantiles: the aggregate way and the ranked-window way (bounded memory) agree exactly."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opcanvas.mining import MiningSettings, mine, read_log
from opcanvas.mining.summary import _type7


def assert_close(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        assert sorted(a) == sorted(b), path
        for key in a:
            assert_close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9), (path, a, b)
    else:
        assert a == b, (path, a, b)


@pytest.mark.parametrize("name", ["simod_Production.xes.gz", "pm4py_running-example.xes"])
def test_window_quantiles_equal_aggregate_quantiles(logs_dir: Path, name: str) -> None:
    log = read_log(logs_dir / name)
    by_aggregate = mine(log, settings=MiningSettings(quantiles="aggregate")).to_dict()
    by_window = mine(log, settings=MiningSettings(quantiles="window")).to_dict()
    assert by_window["settings"].pop("quantiles") == "window"
    assert by_aggregate["settings"].pop("quantiles") == "aggregate"
    assert_close(by_aggregate, by_window)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=60))
def test_type7_matches_numpy(values: list[int]) -> None:
    ranks = {i + 1: float(v) for i, v in enumerate(sorted(values))}
    for q in (0.5, 0.85, 0.95):
        expected = float(np.percentile(np.asarray(values, dtype=float), q * 100))
        assert math.isclose(_type7(ranks, len(values), q), expected, rel_tol=1e-12, abs_tol=1e-6)
