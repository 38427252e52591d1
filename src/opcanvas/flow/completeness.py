"""Which key figures of a stream are filled in, and which are still blank.

A canvas is filled in during workshops, so blanks are normal; this says how far along a stream
is. The figures counted per mode are listed in :mod:`opcanvas.flow.conventions`. A figure
counts as filled when it is given, mined or derived from other figures of the step.
"""

from __future__ import annotations

from opcanvas.canvas.model import Step, Stream
from opcanvas.flow.conventions import MANUFACTURING_FIGURES, OFFICE_FIGURES, STREAM_FIGURES
from opcanvas.flow.figures import StepFigures
from opcanvas.flow.results import Completeness


def _step_filled(step: Step, fig: StepFigures, name: str) -> bool:
    if name == "lane":
        return step.lane is not None
    if name in ("people", "operators"):
        return fig.people is not None
    if name == "inventory_before":
        return fig.sources.get("inventory_days", "missing") != "missing"
    return fig.sources.get(name, "missing") != "missing"


def _stream_filled(stream: Stream, demand_known: bool, name: str) -> bool:
    if name == "steps":
        return bool(stream.steps)
    if name == "demand":
        return demand_known
    return stream.production is not None


def stream_completeness(
    stream: Stream, figures: dict[str, StepFigures], demand_known: bool
) -> Completeness:
    """Filled and blank key figures of a stream; blanks are named ``step.figure`` or
    ``figure`` (stream level), in step order.

    >>> from opcanvas.canvas.model import Stream
    >>> stream_completeness(Stream(name="S"), {}, False).missing
    ('steps', 'demand')
    """
    names = OFFICE_FIGURES if stream.mode == "office" else MANUFACTURING_FIGURES
    missing = [
        n for n in STREAM_FIGURES[stream.mode] if not _stream_filled(stream, demand_known, n)
    ]
    total = len(STREAM_FIGURES[stream.mode]) + len(names) * len(stream.steps)
    for step in stream.steps:
        missing += [f"{step.id}.{n}" for n in names if not _step_filled(step, figures[step.id], n)]
    return Completeness.of(total - len(missing), total, tuple(missing))
