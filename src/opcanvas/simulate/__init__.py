"""Discrete-event simulation of a value stream: what-if scenarios and event logs from a canvas.

>>> from opcanvas.canvas import parse_canvas
>>> from opcanvas.simulate import simulate
>>> canvas = parse_canvas('''
... organization: A
... engines: {e: {streams: {s: {name: S, demand: 4/h, steps: [
...   {id: a, name: A, people: 1, process_time: 10min}]}}}}''')
>>> simulate(canvas, "e/s", cases=200, replications=2).stable
True
"""

from typing import TYPE_CHECKING

from opcanvas.lazy import attributes

if TYPE_CHECKING:
    from opcanvas.simulate.eventlog import event_log, write_event_log
    from opcanvas.simulate.evidence import record_gap_evidence
    from opcanvas.simulate.results import (
        Comparison,
        Estimate,
        LeadTime,
        SimulationResult,
        StepResult,
    )
    from opcanvas.simulate.run import compare, simulate
    from opcanvas.simulate.scenario import apply_scenario, load_scenario
    from opcanvas.simulate.settings import SimulationSettings

_WHERE = {
    "event_log": "opcanvas.simulate.eventlog",
    "write_event_log": "opcanvas.simulate.eventlog",
    "record_gap_evidence": "opcanvas.simulate.evidence",
    "Comparison": "opcanvas.simulate.results",
    "Estimate": "opcanvas.simulate.results",
    "LeadTime": "opcanvas.simulate.results",
    "SimulationResult": "opcanvas.simulate.results",
    "StepResult": "opcanvas.simulate.results",
    "compare": "opcanvas.simulate.run",
    "simulate": "opcanvas.simulate.run",
    "apply_scenario": "opcanvas.simulate.scenario",
    "load_scenario": "opcanvas.simulate.scenario",
    "SimulationSettings": "opcanvas.simulate.settings",
}

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

__getattr__ = attributes(__name__, _WHERE)
