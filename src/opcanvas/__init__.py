"""opcanvas: value stream mapping and operational transformation, from event data to roadmap.

>>> import opcanvas
>>> canvas = opcanvas.parse_canvas("organization: Acme")
>>> canvas.organization
'Acme'
"""

from importlib.metadata import version

from opcanvas.canvas import Calendar, Canvas, Range, load_canvas, parse_canvas, update_canvas
from opcanvas.errors import (
    CanvasError,
    EventLogError,
    FormulaError,
    OpcanvasError,
    PlanningError,
    QuantityError,
    ReportError,
    SimulationError,
)

__version__ = version("opcanvas")

__all__ = [
    "Calendar",
    "Canvas",
    "CanvasError",
    "EventLogError",
    "FormulaError",
    "OpcanvasError",
    "PlanningError",
    "QuantityError",
    "Range",
    "ReportError",
    "SimulationError",
    "__version__",
    "load_canvas",
    "parse_canvas",
    "update_canvas",
]
