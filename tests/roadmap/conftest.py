"""Fixtures: a factory for planning canvases, and an independent checker of a schedule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from opcanvas.canvas import Canvas, load_canvas
from opcanvas.roadmap import Roadmap, plan_roadmap
from opcanvas.value import quantify
from opcanvas.value.prioritize import prioritize

MakeCanvas = Callable[..., Canvas]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sales-proposal.yaml"


def _planning_canvas(
    initiatives: list[dict[str, Any]],
    capacity: list[float | None] | None = None,
    budget: list[float | None] | None = None,
    **extra: Any,
) -> Canvas:
    """``initiatives``: dicts with id, value, effort, cost, duration, depends_on, ..."""
    sprints = len(capacity or budget or [None] * 4)
    gaps = []
    for item in initiatives:
        gap = {k: v for k, v in item.items() if k not in ("value",)}
        gap.setdefault("stream", "growth/s")
        gap["drivers"] = {"annual_value": item.get("value", 0)}
        if "cost" in gap:
            gap["implementation_cost"] = gap.pop("cost")
        gaps.append(gap)
    cap = capacity or [None] * sprints
    bud = budget or [None] * sprints
    return Canvas.model_validate(
        {
            "organization": "Plan",
            "engines": {"growth": {"streams": {"s": {"name": "S"}}}},
            "gaps": gaps,
            "roadmap": {
                "sprints": [
                    {"name": f"S{n + 1}", "capacity_days": c, "budget": b}
                    for n, (c, b) in enumerate(zip(cap, bud, strict=True))
                ]
            },
            **extra,
        }
    )


def _plan(canvas: Canvas) -> Roadmap:
    values = quantify(canvas, samples=10)
    return plan_roadmap(canvas, values, prioritize(canvas, values))


@pytest.fixture
def planning_canvas() -> MakeCanvas:
    return _planning_canvas


@pytest.fixture
def plan() -> Callable[[Canvas], Roadmap]:
    return _plan


@pytest.fixture(scope="session")
def example() -> Canvas:
    return load_canvas(EXAMPLE)


@pytest.fixture
def make_cycle() -> Canvas:
    return _planning_canvas(
        [{"id": "a", "value": 1, "depends_on": ["b"]}, {"id": "b", "value": 1, "depends_on": ["a"]}]
    )
