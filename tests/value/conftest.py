"""Fixtures: the seed's example canvas, and a factory for a small canvas around some gaps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from opcanvas.canvas import Canvas, load_canvas

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sales-proposal.yaml"
MakeCanvas = Callable[..., Canvas]


def _canvas_with(*gaps: dict[str, Any], **extra: Any) -> Canvas:
    data: dict[str, Any] = {
        "organization": "Test",
        "engines": {"growth": {"streams": {"s": {"name": "S"}}}},
        "gaps": [{"stream": "growth/s", **gap} for gap in gaps],
        **extra,
    }
    return Canvas.model_validate(data)


@pytest.fixture
def make_canvas() -> MakeCanvas:
    """``make_canvas(gap, gap, ..., **canvas_fields)``: gaps default to stream growth/s."""
    return _canvas_with


@pytest.fixture(scope="session")
def example() -> Canvas:
    return load_canvas(EXAMPLE)
