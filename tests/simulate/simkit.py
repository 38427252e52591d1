"""Builders for small simulated streams in simulation tests: one stream ``e/s``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opcanvas.canvas import Canvas

REF = "e/s"
CanvasFactory = Callable[..., Canvas]


def build(
    steps: list[dict[str, Any]],
    *,
    demand: str | None = "1/min",
    calendar: dict[str, Any] | None = None,
    gaps: list[dict[str, Any]] | None = None,
    **stream: Any,
) -> Canvas:
    """A canvas with stream ``e/s``; step names default to the upper-cased ids.

    The default calendar is the ``calendar`` basis, so minutes are plain clock minutes.
    """
    steps = [{"name": step["id"].upper(), **step} for step in steps]
    data: dict[str, Any] = {
        "organization": "Test",
        "calendar": calendar or {"basis": "calendar"},
        "engines": {"e": {"streams": {"s": {"name": "S", "demand": demand, **stream,
                                            "steps": steps}}}},
        "gaps": gaps or [],
    }  # fmt: skip
    if demand is None:
        del data["engines"]["e"]["streams"]["s"]["demand"]
    return Canvas.model_validate(data)
