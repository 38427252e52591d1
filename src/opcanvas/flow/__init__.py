"""Lean and flow arithmetic on value streams: lead time, process time, flow efficiency,
rolled %C&A, first-pass yield, takt, inventory days, capacity, Little's law, bottlenecks.

Office / knowledge work follows Martin & Osterling, *Value Stream Mapping* (2013);
manufacturing follows Rother & Shook, *Learning to See* (1999); Little's law is Little (1961).
No I/O: give it a :class:`~opcanvas.canvas.Canvas`, get frozen results with ``to_dict()``.

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: Acme
... engines: {growth: {streams: {s: {name: S, steps: [
...   {id: a, name: A, process_time: 10min, wait_time: 20min}]}}}}''')
>>> flow = analyze_canvas(canvas)
>>> round(flow.streams["growth/s"].lead_time)
30
"""

from opcanvas.flow.conventions import MANUFACTURING_FIGURES, OFFICE_FIGURES, conventions
from opcanvas.flow.flags import FLAGS, human_time
from opcanvas.flow.little import littles_law
from opcanvas.flow.results import (
    CanvasFlow,
    Completeness,
    EngineFlow,
    Flag,
    LittleResult,
    StepFlow,
    StreamFlow,
    at_least,
    severity_counts,
)
from opcanvas.flow.rollup import analyze_canvas
from opcanvas.flow.stream import analyze_stream, analyze_stream_model

__all__ = [
    "FLAGS",
    "MANUFACTURING_FIGURES",
    "OFFICE_FIGURES",
    "CanvasFlow",
    "Completeness",
    "EngineFlow",
    "Flag",
    "LittleResult",
    "StepFlow",
    "StreamFlow",
    "analyze_canvas",
    "analyze_stream",
    "analyze_stream_model",
    "at_least",
    "conventions",
    "human_time",
    "littles_law",
    "severity_counts",
]
