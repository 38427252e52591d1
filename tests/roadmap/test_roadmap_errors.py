"""Inputs that cannot be planned are explained, with the gap and key that cause them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from opcanvas.canvas import Canvas
from opcanvas.errors import PlanningError
from opcanvas.roadmap import Roadmap


def test_dependency_cycle_is_named(planning_canvas: Any, plan: Callable[[Canvas], Roadmap]) -> None:
    items = [
        {"id": "a", "value": 1, "depends_on": ["c"]},
        {"id": "b", "value": 1, "depends_on": ["a"]},
        {"id": "c", "value": 1, "depends_on": ["b"]},
    ]
    with pytest.raises(PlanningError) as info:
        plan(planning_canvas(items))
    assert "in a cycle: a → c → b → a" in str(info.value)
    assert info.value.where is not None and info.value.where.key == "gaps[0].depends_on"


def test_dependency_on_a_missing_initiative(planning_canvas: Any, plan: Any) -> None:
    items = [{"id": "a", "value": 1}, {"id": "b", "value": 1, "depends_on": ["a", "zz"]}]
    with pytest.raises(PlanningError) as info:
        plan(planning_canvas(items))
    assert 'gap "b" depends on "zz", which is not a gap in this canvas (gaps: a, b)' in str(
        info.value
    )
    assert info.value.where is not None and info.value.where.key == "gaps[1].depends_on[1]"


def test_initiative_bigger_than_any_sprint(planning_canvas: Any, plan: Any) -> None:
    items = [{"id": "a", "value": 1}, {"id": "huge", "value": 1, "effort": 500, "duration": 2}]
    with pytest.raises(PlanningError) as info:
        plan(planning_canvas(items, capacity=[100, 200, 100, 100]))
    message = str(info.value)
    assert 'gap "huge" needs 250 person-days per sprint over 2 sprint(s)' in message
    assert "(largest: 200)" in message
    assert info.value.where is not None and info.value.where.key == "gaps[1].effort"


def test_initiative_over_budget(planning_canvas: Any, plan: Any) -> None:
    items = [{"id": "pricey", "value": 1, "cost": 300_000}]
    with pytest.raises(PlanningError, match="needs 300,000 budget per sprint"):
        plan(planning_canvas(items, budget=[100_000] * 4))


def test_latest_sprint_unreachable_through_dependencies(planning_canvas: Any, plan: Any) -> None:
    items = [
        {"id": "base", "value": 1, "duration": 2},
        {"id": "top", "value": 1, "depends_on": ["base"], "latest_sprint": 2},
    ]
    with pytest.raises(PlanningError) as info:
        plan(planning_canvas(items))
    message = str(info.value)
    assert 'gap "top" must finish by sprint 2, but it cannot finish before sprint 3' in message
    assert '"base" finishes in sprint 2 at the earliest' in message
    assert info.value.where is not None and info.value.where.key == "gaps[1].latest_sprint"


def test_left_out_gaps_say_why(planning_canvas: Any, plan: Any) -> None:
    items = [
        {"id": "done-one", "value": 5, "status": "done"},
        {"id": "after-done", "value": 5, "depends_on": ["done-one"]},
        {"id": "dropped", "value": 5, "status": "dropped"},
        {"id": "orphan", "value": 5, "depends_on": ["dropped"]},
        {"id": "late", "value": 5, "duration": 3, "earliest_sprint": 3},
    ]
    roadmap = plan(planning_canvas(items))
    reasons = dict(roadmap.unscheduled)
    assert reasons["done-one"] == "status is done"
    assert reasons["dropped"] == "status is dropped"
    assert reasons["orphan"] == 'depends on "dropped", which is left out (status is dropped)'
    assert reasons["late"] == "cannot finish within 4 sprints (earliest finish: 5)"
    assert [p.gap_id for p in roadmap.placements()] == ["after-done"]
