"""Per-step and per-stream metrics on a two-case log checked by hand (see conftest)."""

from __future__ import annotations

import pytest
from mining_helpers import event_log, interval_log

from opcanvas.mining import EventLog, MiningSettings, TimeBasis, mine


def test_stream_lead_active_and_flow_efficiency(two_cases: EventLog) -> None:
    result = mine(two_cases)
    stream = result.stream
    assert result.service_time_available
    assert stream.cases == 2 and stream.instances == 8
    assert (stream.lead.mean, stream.lead.median, stream.lead.min, stream.lead.max) == (
        210.0,
        210.0,
        180.0,
        240.0,
    )
    # c1: union of [0,60] [90,120] [120,150] [135,180] = 150; c2: 30+45+30+60 = 165
    assert (stream.active.min, stream.active.max) == (150.0, 165.0)  # type: ignore[union-attr]
    assert stream.flow_efficiency == pytest.approx(315 / 420, rel=1e-12)
    assert stream.flow_efficiency_median == pytest.approx((150 / 180 + 165 / 240) / 2)


@pytest.mark.parametrize(
    ("step", "executions", "service", "wait", "rework", "same", "other", "fpy", "handoffs"),
    [
        ("A", 3, (40.0, 30.0), (0.0, 0.0, 1), 1, 1, 0, 0.5, 1),
        ("B", 3, (35.0, 30.0), (25.0, 30.0, 3), 1, 0, 1, 0.5, 3),
        ("C", 2, (52.5, 52.5), (15.0, 15.0, 2), 0, 0, 0, 1.0, 2),
    ],
)
def test_step_metrics_by_hand(
    two_cases: EventLog,
    step: str,
    executions: int,
    service: tuple[float, float],
    wait: tuple[float, float, int],
    rework: int,
    same: int,
    other: int,
    fpy: float,
    handoffs: int,
) -> None:
    stats = mine(two_cases).step(step)
    assert stats.executions == executions and stats.cases == 2 and stats.reach == 1.0
    assert stats.service is not None and stats.wait is not None
    assert (stats.service.mean, stats.service.median) == service
    assert (stats.wait.mean, stats.wait.median, stats.wait.count) == wait
    assert (stats.rework, stats.rework_same_resource, stats.rework_other_resource) == (
        rework,
        same,
        other,
    )
    assert stats.rework_rate == pytest.approx(rework / executions)
    assert stats.first_pass_yield == fpy
    assert stats.handoffs == handoffs


@pytest.mark.parametrize(
    ("step", "opens", "observable", "lead"),
    [
        # A opens both cases: only c1's repeat [120,150] (wait 0 + 30) has a wait and a lead
        ("A", 2, False, (30.0, 1)),
        # B: 30+30, 30+45, 15+30 · C: 0+45 (it overlaps A), 30+60
        ("B", 0, True, (60.0, 3)),
        ("C", 0, True, (67.5, 2)),
    ],
)
def test_step_lead_is_wait_plus_service_where_the_wait_is_in_the_log(
    two_cases: EventLog, step: str, opens: int, observable: bool, lead: tuple[float, int]
) -> None:
    stats = mine(two_cases).step(step)
    assert (stats.opens_case, stats.wait_observable) == (opens, observable)
    assert (stats.lead.mean, stats.lead.count) == lead
    assert stats.wait is not None and stats.wait.count == stats.lead.count


def test_edges_variants_and_handoff_pairs(two_cases: EventLog) -> None:
    result = mine(two_cases)
    edges = {(e.source, e.target): (e.count, e.duration.mean) for e in result.edges}
    assert edges == {
        ("A", "B"): (2, 30.0),
        ("B", "A"): (1, 0.0),
        ("A", "C"): (1, 0.0),
        ("B", "B"): (1, 15.0),
        ("B", "C"): (1, 30.0),
    }
    assert result.variants.count == 2
    assert sorted(v.steps for v in result.variants.top) == [
        ("A", "B", "A", "C"),
        ("A", "B", "B", "C"),
    ]
    assert result.variants.coverage[1] == 0.5
    assert sum(e.count for e in result.handoffs) == 6


def test_step_mapping_merges_activities_and_drops_the_rest(two_cases: EventLog) -> None:
    result = mine(two_cases, {"work": ["A", "B"]})
    assert [s.step for s in result.steps] == ["work"]
    work = result.steps[0]
    assert work.executions == 6 and work.activities == ("A", "B")
    assert result.stream.instances == 6
    # c1 without C: A[0,60] B[90,120] A[120,150] → lead 150
    assert result.stream.lead.min == 150.0


def test_single_timestamp_log_reports_directly_follows_time_not_waiting() -> None:
    log = event_log([("c", "A", 0), ("c", "B", 45), ("c", "C", 105)])
    result = mine(log)
    assert not result.service_time_available
    b = result.step("B")
    assert b.service is None and b.wait is None
    assert b.directly_follows is not None and b.directly_follows.mean == 45.0
    assert b.lead.mean == 45.0
    assert result.stream.active is None and result.stream.flow_efficiency is None
    assert any("directly-follows time" in note for note in result.notes)


def test_working_calendar_counts_only_working_hours() -> None:
    # Friday 16:00 → Monday 10:00 on 09:00–17:00, Mon–Fri: 1 h Friday + 1 h Monday
    log = interval_log([("c", "A", 7 * 60 + 4 * 1440, 60 + 7 * 1440, "r")])
    elapsed = mine(log).step("A").service
    working = mine(log, settings=MiningSettings(basis=TimeBasis.working())).step("A").service
    assert elapsed is not None and working is not None
    assert elapsed.mean == 66 * 60.0
    assert working.mean == 120.0


def test_working_calendar_skips_holidays() -> None:
    # Monday 16:00 → Wednesday 10:00 with Tuesday a holiday: 1 h + 1 h
    log = interval_log([("c", "A", 7 * 60, 60 + 2 * 1440, "r")])
    basis = TimeBasis.working(holidays=("2024-03-05",))
    service = mine(log, settings=MiningSettings(basis=basis)).step("A").service
    assert service is not None and service.mean == 120.0


def test_wip_series_and_littles_law() -> None:
    # three cases over days: open at midnights as counted by hand
    log = event_log(
        [
            ("a", "X", 0),
            ("a", "Y", 2 * 1440),
            ("b", "X", 1440),
            ("b", "Y", 3 * 1440),
            ("c", "X", 2 * 1440 + 60),
            ("c", "Y", 2 * 1440 + 120),
        ]
    )
    stream = mine(log).stream
    wip = dict(stream.wip)
    assert wip["2024-03-05"] == 1  # a open
    assert wip["2024-03-06"] == 2  # a, b open
    assert wip["2024-03-07"] == 1  # b open (a closed day 2 at 09:00, c within day 2)
    law = stream.littles_law
    assert law.lead_days == pytest.approx((2 + 2 + 1 / 24) / 3)
    assert law.arrival_per_day == pytest.approx(3 / 3)
    assert law.predicted == pytest.approx(law.arrival_per_day * law.lead_days)


def test_monthly_trend_groups_cases_by_finishing_month() -> None:
    log = event_log(
        [
            ("a", "X", 0),
            ("a", "Y", 60),
            (
                "b",
                "X",
                0,
            ),
            ("b", "Y", 40 * 1440),
        ]
    )
    trend = {t.month: (t.cases, t.lead_mean) for t in mine(log).stream.trend}
    assert trend == {"2024-03": (1, 60.0), "2024-04": (1, 40 * 1440.0)}


def test_unknown_statistic_is_refused() -> None:
    from opcanvas.errors import EventLogError

    with pytest.raises(EventLogError, match="unknown statistic"):
        MiningSettings(statistic="p99")
