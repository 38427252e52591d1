"""opcanvas: value stream mapping and operational transformation, from event data to roadmap.

The library in a few calls — load a canvas, assess it, write the deliverables:

>>> import opcanvas
>>> canvas = opcanvas.parse_canvas("organization: Acme")
>>> canvas.organization
'Acme'

``assess(canvas)`` computes everything derived (flow metrics, gap values, priorities, roadmap,
governance, dependencies, KPI lineage); ``write_report`` turns its result into the five
deliverables. Every name but the errors loads on first use, so ``import opcanvas`` stays quick:
the print server, a child process, imports the package without its canvas model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
from opcanvas.lazy import attributes

if TYPE_CHECKING:
    from opcanvas.assess import Assessment, assess
    from opcanvas.canvas import Calendar, Canvas, Range, load_canvas, parse_canvas, update_canvas
    from opcanvas.flow import analyze_canvas, analyze_stream
    from opcanvas.mining import mine, mine_into_canvas, read_log
    from opcanvas.report import build_report, write_report
    from opcanvas.roadmap import plan_roadmap
    from opcanvas.simulate import event_log, simulate
    from opcanvas.value import prioritize, quantify

_LAZY = {
    "Calendar": "opcanvas.canvas",
    "Canvas": "opcanvas.canvas",
    "Range": "opcanvas.canvas",
    "load_canvas": "opcanvas.canvas",
    "parse_canvas": "opcanvas.canvas",
    "update_canvas": "opcanvas.canvas",
    "Assessment": "opcanvas.assess",
    "assess": "opcanvas.assess",
    "analyze_canvas": "opcanvas.flow",
    "analyze_stream": "opcanvas.flow",
    "read_log": "opcanvas.mining",
    "mine": "opcanvas.mining",
    "mine_into_canvas": "opcanvas.mining",
    "simulate": "opcanvas.simulate",
    "event_log": "opcanvas.simulate",
    "quantify": "opcanvas.value",
    "prioritize": "opcanvas.value",
    "plan_roadmap": "opcanvas.roadmap",
    "build_report": "opcanvas.report",
    "write_report": "opcanvas.report",
}

__all__ = [
    "Assessment",
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
    "analyze_canvas",
    "analyze_stream",
    "assess",
    "build_report",
    "event_log",
    "load_canvas",
    "mine",
    "mine_into_canvas",
    "parse_canvas",
    "plan_roadmap",
    "prioritize",
    "quantify",
    "read_log",
    "simulate",
    "update_canvas",
    "write_report",
]


_load = attributes(__name__, _LAZY)


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("opcanvas")
    return _load(name)
