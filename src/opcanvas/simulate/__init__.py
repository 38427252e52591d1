"""Discrete-event simulation of a value stream: what-if scenarios and event logs from a canvas.

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: A
... engines: {e: {streams: {s: {name: S, demand: 4/h, steps: [
...   {id: a, name: A, people: 1, process_time: 10min}]}}}}''')
>>> simulate(canvas, "e/s", cases=200, replications=2).stable
True
"""

from opcanvas.simulate.eventlog import event_log, write_event_log
from opcanvas.simulate.evidence import record_gap_evidence
from opcanvas.simulate.results import Comparison, Estimate, LeadTime, SimulationResult, StepResult
from opcanvas.simulate.run import compare, simulate
from opcanvas.simulate.scenario import apply_scenario, load_scenario
from opcanvas.simulate.settings import SimulationSettings

__all__ = [
    "Comparison",
    "Estimate",
    "LeadTime",
    "SimulationResult",
    "SimulationSettings",
    "StepResult",
    "apply_scenario",
    "compare",
    "event_log",
    "load_scenario",
    "record_gap_evidence",
    "simulate",
    "write_event_log",
]
