"""The engine's fast paths equal the portable Narwhals way they replace.

DuckDB computes ordered windows in one pass (with a "rows before" frame), several quantiles
from one list-valued aggregate, and variant keys from hash sums. Each is checked here against
the portable default of :class:`Engine` (the code Spark runs) on the same DuckDB connection,
and against plain Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import narwhals as nw
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_summary import assert_close

from opcanvas.mining import MiningSettings, engines, mine, read_log
from opcanvas.mining.engines import WINDOWS, DuckDBEngine, Engine
from opcanvas.mining.summary import QUANTILES


@pytest.fixture(scope="module")
def engine() -> Iterator[DuckDBEngine]:
    made = DuckDBEngine()
    yield made
    made.close()


def frame_of(engine: DuckDBEngine, rows: list[tuple[str, int, int | None]]) -> nw.LazyFrame[Any]:
    return engine.table(pa.table({
        "g": pa.array([r[0] for r in rows], pa.string()),
        "row": pa.array(list(range(len(rows))), pa.int64()),
        "t": pa.array([r[1] for r in rows], pa.int64()),
        "v": pa.array([r[2] for r in rows], pa.int64()),
    }))  # fmt: skip


ROWS = st.lists(
    st.tuples(st.sampled_from("abc"), st.integers(0, 5), st.none() | st.integers(-50, 50)),
    min_size=1,
    max_size=40,
)
# the running max/min of the rows before are defined for columns without nulls only
SPECS = {f"w_{kind}": (kind, "t" if kind.endswith("_before") else "v") for kind in WINDOWS}


def expected(rows: list[tuple[str, int, int | None]]) -> dict[int, dict[str, Any]]:
    """Each window by hand: per group, rows ordered by (t, row)."""
    out: dict[int, dict[str, Any]] = {}
    for group in {r[0] for r in rows}:
        ordered = sorted((r[1], i, r[2]) for i, r in enumerate(rows) if r[0] == group)
        seen: list[int] = []
        times: list[int] = []
        previous: int | None = None
        for t, i, v in ordered:
            if v is not None:
                seen.append(v)
            known = v is not None  # a running max/min is null where the value is
            out[i] = {
                "w_cum_count": len(seen), "w_cum_max": max(seen) if known else None,
                "w_cum_min": min(seen) if known else None, "w_lag": previous,
                "w_max_before": max(times, default=None),
                "w_min_before": min(times, default=None),
            }  # fmt: skip
            times.append(t)
            previous = v
    return out


@settings(max_examples=30, deadline=None)
@given(ROWS)
def test_windows_fast_path_equals_narwhals_and_python(rows: list[Any]) -> None:
    made = DuckDBEngine()
    try:
        frame = frame_of(made, rows)
        fast = made.rows(made.windows(frame, ["g"], ["t", "row"], SPECS))
        portable = made.rows(Engine.windows(made, frame, ["g"], ["t", "row"], SPECS))
    finally:
        made.close()
    want = expected(rows)
    for found in (fast, portable):
        by_row = {r["row"]: {k: r[k] for k in SPECS} for r in found}
        for i, values in want.items():
            assert by_row[i] == values, (i, rows)


def test_unknown_window_function_is_refused(engine: DuckDBEngine) -> None:
    frame = frame_of(engine, [("a", 1, 1)])
    for run in (engine.windows, lambda *a: Engine.windows(engine, *a)):
        with pytest.raises(ValueError, match="unknown window function 'median'"):
            run(frame, ["g"], ["t", "row"], {"x": ("median", "v")})


def test_quantiles_fast_path_equals_aggregates_and_numpy(engine: DuckDBEngine) -> None:
    rng = np.random.default_rng(3)
    rows = [(str(g), 0, int(v)) for g in "abc" for v in rng.integers(-(10**9), 10**9, 101)]
    rows += [("d", 0, None), ("e", 0, 7)]
    frame = frame_of(engine, rows)
    fast = engine.quantiles(frame, ["g"], "v", QUANTILES)
    portable = Engine.quantiles(engine, frame, ["g"], "v", QUANTILES)
    assert "d" not in fast and portable["d"] == dict.fromkeys(QUANTILES)
    assert fast["e"] == {"median": 7.0, "p85": 7.0, "p95": 7.0}
    for group in "abc":
        values = np.array([r[2] for r in rows if r[0] == group], dtype=float)
        for name, q in QUANTILES.items():
            assert fast[group][name] == portable[group][name]
            assert fast[group][name] == pytest.approx(np.percentile(values, q * 100), rel=1e-12)


def test_sequence_keys_equal_exactly_for_equal_sequences(engine: DuckDBEngine) -> None:
    steps = {"c1": "abc", "c2": "abc", "c3": "acb", "c4": "ab", "c5": "aab", "c6": "aba"}
    rows = [(case, pos, step) for case, seq in steps.items() for pos, step in enumerate(seq, 1)]
    frame = engine.table(pa.table({
        "case": [r[0] for r in rows], "pos": [r[1] for r in rows], "step": [r[2] for r in rows],
    }))  # fmt: skip
    keyed, exact = engine.sequence_keys(frame, "case", "pos", "step", "|", bounded=False)
    keys = {r["case"]: r["key"] for r in engine.rows(keyed)}
    assert not exact
    assert keys["c1"] == keys["c2"]
    assert len({keys[c] for c in ("c1", "c3", "c4", "c5", "c6")}) == 5


def test_enum_columns_change_no_number(logs_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Activities, resources and roles as DuckDB ENUMs: the same results as plain text."""
    log = read_log(logs_dir / "simod_Production.xes.gz")
    made = DuckDBEngine()
    try:
        made.events(log)
        assert set(made._enums[id(log)][1]) >= {"activity", "resource"}
        with_enums = mine(log, engine=made).to_dict()
    finally:
        made.close()
    monkeypatch.setattr(engines, "ENUM_MAX", 0)
    plain = DuckDBEngine()
    try:
        plain.events(log)
        assert plain._enums[id(log)][1] == {}
        as_text = mine(log, engine=plain).to_dict()
    finally:
        plain.close()
    assert_close(with_enums, as_text)


def test_compressed_store_changes_no_number(
    logs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a memory limit, large logs keep materialised frames in a database file."""
    log = read_log(logs_dir / "simod_Production.xes.gz")
    in_memory = mine(log, settings=MiningSettings(memory_limit="1GB")).to_dict()
    monkeypatch.setattr(engines, "STORE_ABOVE", 0)
    made = DuckDBEngine(memory_limit="1GB")
    try:
        stored = mine(log, engine=made).to_dict()
        tables = made.con.execute(
            f"SELECT count(*) FROM duckdb_tables() WHERE database_name = '{engines.STORE}'"
        ).fetchone()
    finally:
        made.close()
    assert tables is not None and tables[0] >= 2
    assert_close(in_memory, stored)
