"""Quantiles: the aggregate way and the bounded way (bucket refinement) agree exactly."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opcanvas.mining import MiningSettings, mine, read_log, summary
from opcanvas.mining.engines import DuckDBEngine
from opcanvas.mining.summary import _type7, refined_quantiles, summary_exprs


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
def test_bounded_quantiles_equal_aggregate_quantiles(logs_dir: Path, name: str) -> None:
    log = read_log(logs_dir / name)
    by_aggregate = mine(log, settings=MiningSettings(quantiles="aggregate")).to_dict()
    by_bounded = mine(log, settings=MiningSettings(quantiles="bounded")).to_dict()
    assert by_bounded["settings"].pop("quantiles") == "bounded"
    assert by_aggregate["settings"].pop("quantiles") == "aggregate"
    assert_close(by_aggregate, by_bounded)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=60))
def test_type7_matches_numpy(values: list[int]) -> None:
    ranks = {i + 1: float(v) for i, v in enumerate(sorted(values))}
    for q in (0.5, 0.85, 0.95):
        expected = float(np.percentile(np.asarray(values, dtype=float), q * 100))
        assert math.isclose(_type7(ranks, len(values), q), expected, rel_tol=1e-12, abs_tol=1e-6)


def _numpy_quantiles(values: list[int]) -> dict[str, float]:
    array = np.asarray(values, dtype=float)
    return {name: float(np.percentile(array, q * 100)) for name, q in summary.QUANTILES.items()}


def _refined(
    values: dict[str, list[int]], buckets: int, fetch: int
) -> tuple[dict[Any, dict[str, float]], int]:
    """refined_quantiles of each group's values on DuckDB with ``buckets`` a pass and at most
    ``fetch`` values ranked in Python, and how many passes it made."""
    engine = DuckDBEngine()
    passes = 0
    narrow = summary._narrow

    def counting(*args: Any) -> None:
        nonlocal passes
        passes += 1
        narrow(*args)

    try:
        frame = engine.table(pa.table({
            "g": [g for g, vs in values.items() for _ in vs],
            "v": [v for vs in values.values() for v in vs],
        }))  # fmt: skip
        stats = frame.group_by("g").agg(*summary_exprs("v", "x", quantiles=False))
        groups = {r["g"]: r for r in engine.rows(stats)}
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(summary, "BUCKETS", buckets)
            patch.setattr(summary, "FETCH_AT_MOST", fetch)
            patch.setattr(summary, "_narrow", counting)
            return refined_quantiles(engine, frame, ["g"], "v", groups, "x"), passes
    finally:
        engine.close()


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c"]),
        st.lists(
            st.one_of(st.integers(-(10**12), 10**12), st.integers(0, 5), st.just(7)),
            min_size=1,
            max_size=300,
        ),
        min_size=1,
    ),
    st.sampled_from([(4, 3), (2, 0), (2048, 20_000)]),
)
def test_refined_quantiles_are_numpys_type7(
    values: dict[str, list[int]], limits: tuple[int, int]
) -> None:
    """With 4 (or 2) buckets a pass and at most 3 (or no) values ranked in Python, most groups
    need several passes (ties, wide ranges, negative values), and the result is still exact."""
    found, _ = _refined(values, *limits)
    assert sorted(found) == sorted(values)
    for group, vs in values.items():
        for name, expected in _numpy_quantiles(vs).items():
            assert math.isclose(found[group][name], expected, rel_tol=1e-12, abs_tol=1e-6)


def test_refined_quantiles_of_fractions() -> None:
    """A float column (flow efficiency) narrows by a share of its range, exactly too."""
    rng = np.random.default_rng(3)
    fractions = rng.random(1_000).tolist()
    found, passes = _refined({"x": fractions}, 8, 10)  # type: ignore[dict-item]
    assert passes >= 2
    for name, expected in _numpy_quantiles(fractions).items():  # type: ignore[arg-type]
        assert found["x"][name] == pytest.approx(expected, rel=1e-12)


def test_refined_quantiles_narrow_a_heavy_tail_in_few_passes() -> None:
    """A million-fold outlier leaves the bulk in one bucket of the first pass; each pass
    narrows to the bucket's own smallest and largest value, so three passes suffice here."""
    rng = np.random.default_rng(7)
    bulk = rng.integers(60_000_000, 120_000_000, size=5_000).tolist()
    values = {"x": [*bulk, 10**15]}
    found, passes = _refined(values, 2048, 100)
    assert 1 < passes <= 3
    for name, expected in _numpy_quantiles(values["x"]).items():
        assert found["x"][name] == pytest.approx(expected, rel=1e-12)
