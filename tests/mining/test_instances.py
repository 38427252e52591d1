"""Activity instances: FIFO pairing of start/complete events, and the per-case interval algebra."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mining_helpers import at

from opcanvas.mining import EventLog, TimeBasis, read_log
from opcanvas.mining.engines import DuckDBEngine
from opcanvas.mining.instances import build_instances


def lifecycle_log(events: list[tuple[str, str, str, float]]) -> EventLog:
    """(case, activity, start|complete, minute) → a lifecycle log."""
    return read_log(
        pd.DataFrame(
            {
                "case:concept:name": [e[0] for e in events],
                "concept:name": [e[1] for e in events],
                "lifecycle:transition": [e[2] for e in events],
                "time:timestamp": [at(e[3]) for e in events],
            }
        )
    )


def instances_of(log: EventLog) -> tuple[list[dict[str, Any]], Any]:
    engine = DuckDBEngine()
    try:
        frame, counts = build_instances(engine, log, None, TimeBasis.elapsed())
        rows = engine.collect(frame).sort_by([("case", "ascending"), ("end", "ascending")])
        return rows.to_pylist(), counts
    finally:
        engine.close()


def minutes(rows: list[dict[str, Any]]) -> list[tuple[float | None, float]]:
    base = (
        read_log(
            pd.DataFrame(
                {"case:concept:name": ["x"], "concept:name": ["x"], "time:timestamp": [at(0)]}
            )
        )
        .to_arrow()["time"][0]
        .as_py()
    )
    return [
        (None if r["service"] is None else (r["start_eff"] - base) / 60e6, (r["end"] - base) / 60e6)
        for r in rows
    ]


@pytest.mark.parametrize(
    ("events", "expected", "unmatched"),
    [
        ([("start", 0), ("complete", 10)], [(0.0, 10.0)], (0, 0)),
        ([("start", 0), ("complete", 10), ("complete", 20)], [(0.0, 10.0), (None, 20.0)], (1, 0)),
        ([("start", 0), ("start", 5), ("complete", 10)], [(0.0, 10.0)], (0, 1)),
        ([("complete", 0), ("start", 5)], [(None, 0.0)], (1, 1)),
        (
            [("start", 0), ("start", 5), ("complete", 10), ("complete", 30)],
            [(0.0, 10.0), (5.0, 30.0)],
            (0, 0),
        ),
        ([("complete", 7), ("start", 7)], [(7.0, 7.0)], (0, 0)),  # same instant: start first
        (
            [("start", 0), ("complete", 10), ("complete", 12), ("start", 20), ("complete", 25)],
            [(0.0, 10.0), (None, 12.0), (20.0, 25.0)],
            (1, 0),
        ),
    ],
)
def test_fifo_pairing_cases(
    events: list[tuple[str, float]],
    expected: list[tuple[float | None, float]],
    unmatched: tuple[int, int],
) -> None:
    log = lifecycle_log([("c", "A", kind, minute) for kind, minute in events])
    rows, counts = instances_of(log)
    assert minutes(rows) == expected
    assert (counts.unmatched_completes, counts.unmatched_starts) == unmatched


def reference_pairs(events: list[tuple[str, float]]) -> list[tuple[float | None, float]]:
    """A queue: each complete takes the oldest open start (time order, start first on ties)."""
    queue: deque[float] = deque()
    pairs: list[tuple[float | None, float]] = []
    for kind, minute in sorted(events, key=lambda e: (e[1], e[0] != "start")):
        if kind == "start":
            queue.append(minute)
        else:
            pairs.append((queue.popleft() if queue else None, minute))
    return sorted(pairs, key=lambda p: p[1])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["start", "complete"]), st.integers(0, 40)),
        min_size=1,
        max_size=14,
    )
)
def test_pairing_equals_a_queue(events: list[tuple[str, int]]) -> None:
    if not any(kind == "complete" for kind, _ in events):
        events = [*events, ("complete", 41)]
    unique = sorted(set(events))  # identical events are kept in lifecycle logs; keep it simple
    log = lifecycle_log([("c", "A", kind, float(minute)) for kind, minute in unique])
    rows, _ = instances_of(log)
    got = sorted(minutes(rows), key=lambda p: (p[1], p[0] is None, p[0] or 0))
    want = sorted(
        reference_pairs([(k, float(m)) for k, m in unique]),
        key=lambda p: (p[1], p[0] is None, p[0] or 0),
    )
    assert got == want


intervals = st.lists(
    st.tuples(
        st.sampled_from(["c1", "c2"]),
        st.sampled_from(["A", "B", "C"]),
        st.integers(0, 300),
        st.integers(0, 120),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intervals)
def test_waits_plus_active_time_equal_lead_time(rows: list[tuple[str, str, int, int]]) -> None:
    frame = pd.DataFrame(
        {
            "case:concept:name": [r[0] for r in rows],
            "concept:name": [r[1] for r in rows],
            "start_timestamp": [at(r[2]) for r in rows],
            "time:timestamp": [at(r[2] + r[3]) for r in rows],
        }
    )
    log = read_log(frame)
    instances, _ = instances_of(log)
    per_case: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in instances:
        assert r["active"] >= 0 and (r["wait"] is None or r["wait"] >= 0)
        case = per_case[r["case"]]
        case["wait"] += r["wait"] or 0
        case["active"] += r["active"]
        case["first"] = min(case.get("first", r["bstart"]), r["bstart"])
        case["last"] = max(case.get("last", r["bend"]), r["bend"])
    for case in per_case.values():
        lead = case["last"] - case["first"]
        assert case["wait"] + case["active"] == lead
        assert 0 <= case["active"] <= lead
    total = sum(c["last"] - c["first"] for c in per_case.values())
    active = sum(c["active"] for c in per_case.values())
    assert total == 0 or 0 <= active / total <= 1
