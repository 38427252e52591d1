"""Builders for small canvases in flow tests (quantities written as people write them)."""

from __future__ import annotations

from typing import Any

from opcanvas.canvas import Canvas

REF = "growth/s"


def canvas(
    steps: list[dict[str, Any]],
    *,
    settings: dict[str, Any] | None = None,
    calendar: dict[str, Any] | None = None,
    **stream: Any,
) -> Canvas:
    """A canvas with one stream ``growth/s`` holding ``steps``; names default to the ids."""
    steps = [{"name": step["id"].upper(), **step} for step in steps]
    data: dict[str, Any] = {
        "organization": "Test",
        "engines": {"growth": {"streams": {"s": {"name": "S", **stream, "steps": steps}}}},
    }
    if settings:
        data["settings"] = settings
    if calendar:
        data["calendar"] = calendar
    return Canvas.model_validate(data)


def line(*figures: tuple[str, str], **common: Any) -> list[dict[str, Any]]:
    """A sequence of steps s1, s2, … each with (process_time, wait_time)."""
    return [
        {"id": f"s{i}", "process_time": pt, "wait_time": wait, **common}
        for i, (pt, wait) in enumerate(figures, start=1)
    ]
