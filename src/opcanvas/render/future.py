"""The future state of a stream for its map: the stream's ``future_state`` applied by the
simulator's :func:`opcanvas.simulate.apply_scenario` (one definition of what a change does),
and a short note per changed step for the drawing (``PT -80%``, ``Wait → 4h``).

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: Acme
... engines: {growth: {streams: {s: {name: S,
...   steps: [{id: a, name: A, process_time: 10h}],
...   future_state: {name: Faster, changes: [{step: a, process_time: -80%}]}}}}}
... ''')
>>> projected = future_stream(canvas, "growth/s")
>>> projected.stream.steps[0].process_time, projected.changes
(120.0, {'a': ('PT -80%',)})
"""

from __future__ import annotations

from dataclasses import dataclass

from opcanvas.canvas.model import Canvas, Stream
from opcanvas.canvas.quantities import format_duration, format_percent, point
from opcanvas.canvas.scenario import Adjust, Change
from opcanvas.errors import CanvasError
from opcanvas.simulate import apply_scenario


@dataclass(frozen=True)
class Projected:
    """A stream in its future state, and what changed per step."""

    stream: Stream
    name: str
    changes: dict[str, tuple[str, ...]]


def _describe(canvas: Canvas, label: str, adjust: Adjust, duration: bool) -> str:
    if adjust.kind == "factor":
        pct = round((adjust.value - 1) * 100, 6)
        return f"{label} {pct:+g}%"
    if adjust.kind == "delta":
        text = (
            format_duration(abs(adjust.value), canvas.calendar) if duration else f"{adjust.value:g}"
        )
        return f"{label} {'+' if adjust.value >= 0 else '-'}{text.lstrip('+-')}"
    text = format_duration(adjust.value, canvas.calendar) if duration else f"{adjust.value:g}"
    return f"{label} → {text}"


def describe_change(canvas: Canvas, change: Change) -> list[str]:
    """What one change does to its step, for a label: ``PT -80%``, ``Wait → 4h``."""
    notes: list[str] = []
    for name, label in (("process_time", "PT"), ("wait_time", "Wait")):
        adjust: Adjust | None = getattr(change, name)
        if adjust is not None:
            notes.append(_describe(canvas, label, adjust, duration=True))
    if change.people is not None:
        notes.append(_describe(canvas, "People", change.people, duration=False))
    if change.complete_accurate is not None:
        cta = point(change.complete_accurate, canvas.settings.point_estimate) or 0.0
        notes.append(f"%C&A → {format_percent(cta)}")
    if change.batch_size is not None:
        notes.append(f"Batch → {point(change.batch_size):g}")
    return notes


def future_stream(canvas: Canvas, ref: str) -> Projected:
    """Stream ``ref`` with its future state applied; a stream without one is an error."""
    stream = canvas.stream(ref)
    scenario = stream.future_state
    if scenario is None:
        raise CanvasError(
            f"stream {ref} has no future_state to draw",
            hint="add future_state: {name: ..., changes: [...]} to the stream, or draw the "
            "current state",
        )
    new_stream = apply_scenario(canvas, ref, scenario)
    notes: dict[str, list[str]] = {}
    for change in scenario.changes:
        if change.step is not None:
            notes.setdefault(change.step, []).extend(describe_change(canvas, change))
        elif change.merge is not None:
            notes.setdefault(change.merge[0], []).append("merges " + ", ".join(change.merge[1:]))
    kept = {step.id for step in new_stream.steps}
    changes = {k: tuple(v) for k, v in sorted(notes.items()) if k in kept}
    return Projected(new_stream.model_copy(update={"future_state": None}), scenario.name, changes)
