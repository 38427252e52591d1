"""The sprint planner: exact optimum by brute force, better than greedy, never infeasible."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opcanvas.canvas import Canvas
from opcanvas.roadmap import Roadmap

Plan = Callable[[Canvas], Roadmap]
SHARE = {1: 0.75, 2: 0.5, 3: 0.25, 4: 0.0}  # 90-day sprints, 360-day first year


def schedule_of(roadmap: Roadmap) -> dict[str, int]:
    return {p.gap_id: p.finish_sprint for p in roadmap.placements()}


def violations(items: list[dict[str, Any]], schedule: dict[str, int], cap: list[float],
               budget: list[float]) -> list[str]:  # fmt: skip
    """Independent check of a schedule: capacity, budget, window and dependencies."""
    found = []
    by_id = {i["id"]: i for i in items}
    for t in range(1, len(cap) + 1):
        used_d = used_b = 0.0
        for gap_id, finish in schedule.items():
            item = by_id[gap_id]
            d = item.get("duration", 1)
            if finish - d + 1 <= t <= finish:
                used_d += item.get("effort", 0) / d
                used_b += item.get("cost", 0) / d
        if used_d > cap[t - 1] + 1e-6:
            found.append(f"sprint {t} uses {used_d} person-days > {cap[t - 1]}")
        if used_b > budget[t - 1] + 1e-6:
            found.append(f"sprint {t} spends {used_b} > {budget[t - 1]}")
    for gap_id, finish in schedule.items():
        item = by_id[gap_id]
        start = finish - item.get("duration", 1) + 1
        if start < item.get("earliest_sprint", 1) or start < 1:
            found.append(f"{gap_id} starts in sprint {start}, too early")
        if finish > item.get("latest_sprint", len(cap)):
            found.append(f"{gap_id} finishes in sprint {finish}, too late")
        for dep in item.get("depends_on", []):
            if dep not in schedule or schedule[dep] >= start:
                found.append(f"{gap_id} starts in {start} before its prerequisite {dep} finishes")
    return found


def brute_force(items: list[dict[str, Any]], cap: list[float], budget: list[float]) -> float:
    choices = [[None, *range(1, len(cap) + 1)] for _ in items]
    best = 0.0
    for combo in itertools.product(*choices):
        schedule = {i["id"]: s for i, s in zip(items, combo, strict=True) if s is not None}
        if violations(items, schedule, cap, budget):
            continue
        best = max(best, sum(by["value"] * SHARE[s] for by in items
                             for gap_id, s in schedule.items() if by["id"] == gap_id))  # fmt: skip
    return best


SMALL = [
    {"id": "a", "value": 1_000_000, "effort": 60, "cost": 10},
    {"id": "b", "value": 700_000, "effort": 40, "cost": 10},
    {"id": "c", "value": 650_000, "effort": 40, "cost": 10},
    {"id": "d", "value": 300_000, "effort": 20, "cost": 10, "depends_on": ["a"]},
    {"id": "e", "value": 900_000, "effort": 50, "cost": 10, "duration": 2},
]


def test_small_case_matches_brute_force(planning_canvas: Any, plan: Plan) -> None:
    cap, budget = [80.0] * 4, [1e9] * 4
    roadmap = plan(planning_canvas(SMALL, capacity=cap))
    expected = brute_force(SMALL, cap, budget)
    assert roadmap.value_optimised == pytest.approx(expected, rel=1e-9)
    assert not violations(SMALL, schedule_of(roadmap), cap, budget)
    assert roadmap.solver["optimal"] is True


def test_optimiser_beats_greedy_by_packing_two_smaller_gaps(
    planning_canvas: Any, plan: Plan
) -> None:
    # capacity 100 per sprint; greedy takes the top-priority big gap (100 days) first,
    # the optimiser puts the two 50-day gaps (worth more together) in sprint 1
    items = [
        {"id": "big", "value": 1_000_000, "effort": 100, "scores": {"alignment": 5, "risk": 1}},
        {"id": "half1", "value": 800_000, "effort": 50, "scores": {"alignment": 1, "risk": 5}},
        {"id": "half2", "value": 800_000, "effort": 50, "scores": {"alignment": 1, "risk": 5}},
    ]
    roadmap = plan(planning_canvas(items, capacity=[100, 100, 100, 100]))
    assert schedule_of(roadmap) == {"half1": 1, "half2": 1, "big": 2}
    assert {p.gap_id: p.finish_sprint for s in roadmap.greedy_sprints for p in s.finishing} == {
        "big": 1, "half1": 2, "half2": 2
    }  # fmt: skip
    assert roadmap.value_optimised == 1_600_000 * 0.75 + 1_000_000 * 0.5  # 1.7M
    assert roadmap.value_greedy == 1_000_000 * 0.75 + 1_600_000 * 0.5  # 1.55M
    assert roadmap.value_gained == pytest.approx(150_000)


def test_sprint_four_work_is_still_placed_and_curve_ends_at_first_year_value(
    planning_canvas: Any, plan: Plan
) -> None:
    items = [{"id": f"g{n}", "value": 120_000, "effort": 50} for n in range(4)]
    roadmap = plan(planning_canvas(items, capacity=[50, 50, 50, 50]))
    assert sorted(schedule_of(roadmap).values()) == [1, 2, 3, 4]
    assert roadmap.value_optimised == 120_000 * (0.75 + 0.5 + 0.25)
    assert roadmap.cumulative[-1] == (12, pytest.approx(roadmap.value_optimised))
    # month 4: one month of the sprint-1 initiative's value
    assert dict(roadmap.cumulative)[4] == pytest.approx(10_000)


def test_sprint_summaries(example: Canvas, plan: Plan) -> None:
    roadmap = plan(example)
    first = roadmap.sprints[0]
    assert first.name == "Foundation"
    assert first.focus[0] == "Fix 2-3 highest-impact bottlenecks"
    assert [p.gap_id for p in first.finishing] == ["proposal-automation"]
    assert (first.cost, first.people_days, first.value) == (50_000, 40, 1_440_000)
    assert first.roi == pytest.approx(27.8)
    assert first.resources == {"Sales": 40.0}
    assert roadmap.value_optimised == pytest.approx(1_080_000 + 360_000 + 54_000)
    assert roadmap.value_greedy == pytest.approx(1_080_000 + 108_000 + 180_000)


def test_multi_sprint_initiative_spreads_effort(planning_canvas: Any, plan: Plan) -> None:
    items = [{"id": "long", "value": 100_000, "effort": 90, "cost": 30_000, "duration": 3}]
    roadmap = plan(planning_canvas(items, capacity=[30, 30, 30, 30]))
    assert [s.people_days for s in roadmap.sprints] == [30, 30, 30, 0]
    assert [s.cost for s in roadmap.sprints] == [10_000, 10_000, 10_000, 0]


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[float], list[float]]:
    n = draw(st.integers(1, 7))
    items = []
    for k in range(n):
        item: dict[str, Any] = {
            "id": f"g{k}",
            "value": draw(st.integers(0, 2_000_000)),
            "effort": draw(st.integers(0, 60)),
            "cost": draw(st.integers(0, 50_000)),
            "duration": draw(st.integers(1, 2)),
        }
        earlier = [f"g{j}" for j in range(k)]
        if earlier:
            item["depends_on"] = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
        items.append(item)
    cap = [float(draw(st.integers(60, 120))) for _ in range(4)]
    budget = [float(draw(st.integers(50_000, 120_000))) for _ in range(4)]
    return items, cap, budget


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(instances())
def test_plans_never_break_capacity_or_dependencies(
    planning_canvas: Any, plan: Plan, case: tuple[list[dict[str, Any]], list[float], list[float]]
) -> None:
    items, cap, budget = case
    roadmap = plan(planning_canvas(items, capacity=cap, budget=budget))
    greedy = {p.gap_id: p.finish_sprint for s in roadmap.greedy_sprints for p in s.finishing}
    assert violations(items, schedule_of(roadmap), cap, budget) == []
    assert violations(items, greedy, cap, budget) == []
    assert roadmap.value_optimised >= roadmap.value_greedy - 1e-6
    placed = set(schedule_of(roadmap)) | {g for g, _ in roadmap.unscheduled}
    assert placed == {i["id"] for i in items}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(instances())
def test_optimum_equals_brute_force_on_random_small_cases(
    planning_canvas: Any, plan: Plan, case: tuple[list[dict[str, Any]], list[float], list[float]]
) -> None:
    items, cap, budget = case
    items = items[:5]
    roadmap = plan(planning_canvas(items, capacity=cap, budget=budget))
    assert roadmap.value_optimised == pytest.approx(brute_force(items, cap, budget), rel=1e-6)


def test_solver_report_and_time_limit_note(planning_canvas: Any, plan: Plan) -> None:
    roadmap = plan(planning_canvas(SMALL, capacity=[80.0] * 4))
    solver = roadmap.solver
    assert solver["optimal"] is True and solver["time_limited"] is False
    assert solver["bound"] == pytest.approx(roadmap.value_optimised, rel=1e-6)
    assert "stops at a proven gap of 1e-06" in roadmap.conventions["optimiser"]
    assert not any("time limit" in note for note in roadmap.notes)


def test_an_empty_canvas_plans_to_nothing() -> None:
    import datetime as dt

    from opcanvas.canvas import parse_canvas
    from opcanvas.roadmap import analyze_plan, to_ics

    plan = analyze_plan(parse_canvas("organization: Acme"), samples=10)
    assert plan.roadmap.value_optimised == 0.0 and isinstance(plan.roadmap.value_optimised, float)
    assert plan.roadmap.cumulative[-1] == (12, 0.0)
    assert [s.people_days for s in plan.roadmap.sprints] == [0.0] * 4
    assert [r.cadence for r in plan.governance.rhythms] == ["weekly", "monthly", "quarterly"]
    assert to_ics(plan.governance, dt.date(2027, 1, 1)).count("BEGIN:VEVENT") == 7
