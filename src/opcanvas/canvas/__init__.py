"""The domain model, quantities, YAML load/save and templates. Imports nothing else of ours."""

from opcanvas.canvas.io import load_canvas, load_document, parse_canvas, update_canvas
from opcanvas.canvas.model import (
    KPI,
    Bottleneck,
    Canvas,
    Engine,
    Settings,
    Step,
    Stream,
)
from opcanvas.canvas.quantities import Calendar, Range, point

__all__ = [
    "KPI",
    "Bottleneck",
    "Calendar",
    "Canvas",
    "Engine",
    "Range",
    "Settings",
    "Step",
    "Stream",
    "load_canvas",
    "load_document",
    "parse_canvas",
    "point",
    "update_canvas",
]
