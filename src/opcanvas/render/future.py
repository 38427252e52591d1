"""The future state of a stream: the canvas with the stream's ``future_state`` changes applied.

The simulator owns scenario semantics (:func:`opcanvas.simulate.apply_scenario`); when it is
not installed in this tree yet, :func:`apply_changes` applies the step changes a map can show
(process time, wait time, %C&A, people, removed steps) so the future-state map still draws.

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

import importlib
from dataclasses import dataclass
from typing import Any

from opcanvas.canvas.model import Canvas, Step, Stream
from opcanvas.canvas.quantities import Quantity, Range, format_duration, format_percent, point
from opcanvas.canvas.scenario import Adjust, Change, Scenario
from opcanvas.errors import CanvasError, UnknownReferenceError


@dataclass(frozen=True)
class Projected:
    """A stream in its future state, and what changed per step."""

    stream: Stream
    name: str
    changes: dict[str, tuple[str, ...]]


def _adjusted(adjust: Adjust, value: Quantity | None) -> Quantity:
    """Apply a change to a number or a range (a range changes each of its bounds)."""
    if isinstance(value, Range) and adjust.kind != "absolute":
        if adjust.kind == "factor":
            return value.scaled(adjust.value)
        low, likely, high = (adjust.apply(v) for v in (value.low, value.likely, value.high))
        return Range(low, likely, high, value.dist)
    return adjust.apply(value if not isinstance(value, Range) else value.likely)


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


def _effective(step: Step, name: str) -> Quantity | None:
    """The value the flow module reads: a mined value wins over the workshop's estimate."""
    measured = getattr(step.measured, name, None) if step.measured is not None else None
    return measured if measured is not None else getattr(step, name)


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


def _apply_to_step(canvas: Canvas, step: Step, change: Change) -> Step:
    update: dict[str, Any] = {}
    measured: dict[str, Any] = {}
    for name in ("process_time", "wait_time"):
        adjust: Adjust | None = getattr(change, name)
        if adjust is not None:
            base = (
                _effective(step, name) if canvas.settings.prefer_measured else getattr(step, name)
            )
            update[name] = _adjusted(adjust, base)
            measured[name] = None  # the projection is an estimate, not a measurement
    if change.people is not None:
        update["people"] = _adjusted(change.people, step.people)
    if change.complete_accurate is not None:
        update["complete_accurate"] = change.complete_accurate
    if change.batch_size is not None:
        update["batch_size"] = change.batch_size
    if measured and step.measured is not None:
        update["measured"] = step.measured.model_copy(update=measured)
    return step.model_copy(update=update)


def _remove(stream: Stream, step_id: str) -> Stream:
    """Drop a step; steps that waited for it wait for what it waited for."""
    index = next(i for i, s in enumerate(stream.steps) if s.id == step_id)
    gone = stream.steps[index]
    before = gone.after if gone.after is not None else (
        [stream.steps[index - 1].id] if index > 0 else [])  # fmt: skip
    steps = []
    for step in stream.steps:
        if step.id == step_id:
            continue
        if step.after is not None and step_id in step.after:
            after = [a for a in step.after if a != step_id] + [b for b in before
                                                               if b not in step.after]  # fmt: skip
            step = step.model_copy(update={"after": after})
        steps.append(step)
    return stream.model_copy(update={"steps": steps})


def apply_changes(canvas: Canvas, ref: str, scenario: Scenario) -> Stream:
    """The stream with ``scenario`` applied: the step changes a map shows, and removals."""
    stream = canvas.stream(ref)
    known = {s.id for s in stream.steps}
    for number, change in enumerate(scenario.changes):
        for target in [change.step, change.remove, *(change.merge or [])]:
            if target is not None and target not in known:
                raise UnknownReferenceError(
                    f'future_state "{scenario.name}" change {number + 1} names step "{target}", '
                    f"which {ref} does not have; its steps are: {', '.join(sorted(known))}"
                )
        if change.remove is not None:
            stream = _remove(stream, change.remove)
            known.discard(change.remove)
        elif change.merge is not None:
            raise CanvasError(
                f'future_state "{scenario.name}": merging steps needs the simulator module '
                "(opcanvas.simulate.apply_scenario), which is not available"
            )
        elif change.step is not None:
            steps = [
                _apply_to_step(canvas, s, change) if s.id == change.step else s
                for s in stream.steps
            ]
            stream = stream.model_copy(update={"steps": steps})
    return stream


def _simulator_apply() -> Any:
    try:
        module = importlib.import_module("opcanvas.simulate")
    except ImportError:  # pragma: no cover - the package always exists in this tree
        return None
    return getattr(module, "apply_scenario", None)


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
    simulator = _simulator_apply()
    if simulator is not None:
        new_stream = simulator(canvas, ref, scenario)
    else:
        new_stream = apply_changes(canvas, ref, scenario)
    notes: dict[str, list[str]] = {}
    for change in scenario.changes:
        if change.step is not None:
            notes.setdefault(change.step, []).extend(describe_change(canvas, change))
    changes = {k: tuple(v) for k, v in sorted(notes.items())}
    return Projected(new_stream.model_copy(update={"future_state": None}), scenario.name, changes)
