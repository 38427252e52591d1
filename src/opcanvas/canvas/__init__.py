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
from opcanvas.canvas.templates import TEMPLATES, init_canvas, load_template, sample_canvas

__all__ = [
    "KPI",
    "TEMPLATES",
    "Bottleneck",
    "Calendar",
    "Canvas",
    "Engine",
    "Range",
    "Settings",
    "Step",
    "Stream",
    "init_canvas",
    "load_canvas",
    "load_document",
    "load_template",
    "parse_canvas",
    "point",
    "sample_canvas",
    "update_canvas",
]
