"""What a value stream map shows, as text, ready to draw: the flow numbers, formatted.

Every renderer (SVG, draw.io, Mermaid) draws a :class:`MapView`, so the three agree on every
figure. The numbers come from :func:`opcanvas.flow.analyze_stream`; this module only formats
them (``format_duration`` on the canvas calendar) and says where each came from. It computes
no metric.

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: Acme
... engines: {growth: {streams: {s: {name: S, steps: [{id: a, name: A, process_time: 1h}]}}}}
... ''')
>>> build_map(canvas, "growth/s").steps[0].data[0]
Figure(label='PT', text='1h', source='estimate')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from opcanvas.canvas.model import Canvas, Stream
from opcanvas.canvas.quantities import format_percent, format_rate, point
from opcanvas.flow import StepFlow, StreamFlow, analyze_stream, analyze_stream_model, human_time
from opcanvas.flow.results import Source
from opcanvas.render.future import future_stream

State = Literal["current", "future"]
MISSING = "—"


@dataclass(frozen=True)
class Figure:
    """One number on the map: its label, its text for people, and where it came from."""

    label: str
    text: str
    source: Source

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BranchView:
    """One exit of a decision point."""

    to: str
    probability: str
    label: str | None


@dataclass(frozen=True)
class StepView:
    """A process box with its data box, the queue before it and its place in the flow."""

    id: str
    name: str
    lane: str
    role: str | None
    people: str | None
    systems: tuple[str, ...]
    data: tuple[Figure, ...]
    queue: Figure
    ladder_wait: Figure
    ladder_work: Figure
    after: tuple[str, ...]
    branches: tuple[BranchView, ...]
    rework_to: str | None
    critical: bool
    handoff: bool
    bottleneck: bool
    flags: tuple[str, ...]
    changes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Total:
    """A stream total; on a future-state map ``before`` is the current state's value."""

    label: str
    text: str
    before: str | None = None


@dataclass(frozen=True)
class MapView:
    """Everything one value stream map shows."""

    ref: str
    title: str
    state: State
    scenario: str | None
    mode: Literal["office", "manufacturing"]
    owner: str | None
    customer: str
    outcome: str | None
    trigger: str | None
    trigger_detail: str | None
    demand: str | None
    takt: str | None
    steps: tuple[StepView, ...]
    totals: tuple[Total, ...]
    measured_from: str | None
    conventions: tuple[str, ...]

    def step(self, step_id: str) -> StepView:
        return next(s for s in self.steps if s.id == step_id)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _minutes(canvas: Canvas, value: float | None) -> str:
    """A duration on the canvas calendar (``format_duration``; seconds below a minute)."""
    return MISSING if value is None else human_time(value, canvas.calendar)


def _percent(value: float | None) -> str:
    return MISSING if value is None else format_percent(value)


def _share(value: float | None) -> str:
    """A branch probability: ``0.2`` → ``"20%"`` (three significant digits at most)."""
    return MISSING if value is None else f"{value * 100:.3g}%"


def _figure(label: str, text: str, sources: Mapping[str, Source], key: str) -> Figure:
    if text == MISSING:
        return Figure(label, text, "missing")
    return Figure(label, text, sources.get(key, "estimate"))


def _days(value: float | None) -> str:
    return MISSING if value is None else f"{value:.3g}d"


def _data_box(canvas: Canvas, mode: str, flow: StepFlow) -> tuple[Figure, ...]:
    src = flow.sources
    if mode == "manufacturing":
        return (
            _figure("C/T", _minutes(canvas, flow.cycle_time), src, "cycle_time"),
            _figure("C/O", _minutes(canvas, flow.changeover), src, "changeover"),
            _figure("Uptime", _percent(flow.uptime), src, "uptime"),
        )
    return (
        _figure("PT", _minutes(canvas, flow.process_time), src, "process_time"),
        _figure("LT", _minutes(canvas, flow.lead_time), src, "lead_time"),
        _figure("%C&A", _percent(flow.complete_accurate), src, "complete_accurate"),
    )


def _queue_figures(canvas: Canvas, stream: Stream, step: StepFlow) -> tuple[Figure, ...]:
    """The queue triangle, and the ladder's wait (upper) and work (lower) rungs."""
    src = step.sources
    if stream.mode == "manufacturing":
        units = point(stream.step(step.id).inventory_before, canvas.settings.point_estimate)
        text = MISSING if units is None else f"{units:,.0f}"
        if step.inventory_days is not None:
            text = f"{text} · {_days(step.inventory_days)}"
        return (
            Figure("Inventory", text, "missing" if units is None else "estimate"),
            _figure("Inventory", _days(step.inventory_days), src, "inventory_days"),
            _figure("C/T", _minutes(canvas, step.cycle_time), src, "cycle_time"),
        )
    queue = _figure("Wait", _minutes(canvas, step.wait_time), src, "wait_time")
    return queue, queue, _figure("PT", _minutes(canvas, step.process_time), src, "process_time")


def _flag_texts(step: StepFlow) -> tuple[str, ...]:
    """Warnings and errors on the step, without the step name the messages start with."""
    prefix = f"{step.name}: "
    return tuple(
        f.message.removeprefix(prefix) for f in step.flags if f.severity in ("warning", "error")
    )


def _step_view(
    canvas: Canvas, stream: Stream, flow: StreamFlow, step: StepFlow, changes: tuple[str, ...]
) -> StepView:
    model = stream.step(step.id)
    queue, ladder_wait, ladder_work = _queue_figures(canvas, stream, step)
    return StepView(
        id=step.id,
        name=step.name,
        lane=step.lane or "",
        role=step.role,
        people=None if step.people is None else f"{step.people:g}",
        systems=tuple(step.systems),
        data=_data_box(canvas, stream.mode, step),
        queue=queue,
        ladder_wait=ladder_wait,
        ladder_work=ladder_work,
        after=tuple(step.predecessors),
        branches=tuple(
            BranchView(b.to, _share(step.branches.get(b.to)), b.label) for b in model.branches
        ),
        rework_to=model.rework_to,
        critical=step.on_critical_path,
        handoff=step.handoff_in,
        bottleneck=flow.bottleneck == step.id,
        flags=_flag_texts(step),
        changes=changes,
    )


def _totals(canvas: Canvas, mode: str, flow: StreamFlow) -> list[tuple[str, str]]:
    lead = "Production lead time" if mode == "manufacturing" else "Lead time"
    work = "Processing time" if mode == "manufacturing" else "Process time"
    return [
        (lead, _minutes(canvas, flow.lead_time)),
        (work, _minutes(canvas, flow.process_time)),
        ("Flow efficiency", _percent(flow.flow_efficiency)),
        ("Rolled %C&A", _percent(flow.rolled_cta)),
        ("Handoffs", f"{flow.handoffs}"),
    ]


def _measured_from(stream: Stream) -> str | None:
    m = stream.measured
    if m is None:
        return None
    period = f", {m.period_start} to {m.period_end}" if m.period_start and m.period_end else ""
    return f"{m.source} ({m.statistic} of {m.cases:,} cases{period})"


_SHOWN = (
    ("lead_time_includes_process_time", "step LT includes PT"),
    ("parallel", "parallel paths"),
    ("decision", "decisions"),
    ("point_estimate", "ranges count as"),
    ("prefer_measured", "prefer measured"),
    ("statistic", "mined statistic"),
)


def _conventions(canvas: Canvas, flow: StreamFlow) -> tuple[str, ...]:
    """The conventions a map's numbers depend on, short; the full wording is in ``flow``."""
    found = [canvas.calendar.describe()]
    for key, label in _SHOWN:
        if key in flow.conventions:
            found.append(f"{label}: {flow.conventions[key].split(':')[0]}")
    if flow.bottleneck_rule:
        found.append(f"bottleneck: {flow.bottleneck_rule}")
    return tuple(found)


def _analyze(canvas: Canvas, ref: str, stream: Stream) -> StreamFlow:
    return analyze_stream_model(stream, ref=ref, settings=canvas.settings, calendar=canvas.calendar)


def build_map(canvas: Canvas, ref: str, *, state: State = "current") -> MapView:
    """The map of stream ``ref`` (``engine/stream``) in its current or future state."""
    stream = canvas.stream(ref)
    current = analyze_stream(canvas, ref)
    flow, drawn, scenario, changes = current, stream, None, {}
    if state == "future":
        projected = future_stream(canvas, ref)
        drawn, scenario, changes = projected.stream, projected.name, projected.changes
        flow = _analyze(canvas, ref, drawn)
    steps = tuple(
        _step_view(canvas, drawn, flow, s, tuple(changes.get(s.id, ()))) for s in flow.steps
    )
    now = _totals(canvas, drawn.mode, flow)
    if state == "future":
        base = dict(_totals(canvas, drawn.mode, current))
        totals = tuple(Total(k, v, base[k]) for k, v in now)
    else:
        totals = tuple(Total(k, v) for k, v in now)
    trigger = drawn.trigger
    return MapView(
        ref=ref,
        title=drawn.name,
        state=state,
        scenario=scenario,
        mode=drawn.mode,
        owner=drawn.owner,
        customer=drawn.customer or "Customer",
        outcome=drawn.outcome,
        trigger=trigger.event if trigger else None,
        trigger_detail=_trigger_detail(canvas, drawn),
        demand=_demand(flow),
        takt=None if flow.takt_time is None else _minutes(canvas, flow.takt_time),
        steps=steps,
        totals=totals,
        measured_from=_measured_from(drawn),
        conventions=_conventions(canvas, flow),
    )


def _demand(flow: StreamFlow) -> str | None:
    if flow.demand_per_day is None:
        return None
    return f"{flow.demand_per_day:.3g}/day"  # per working day (flow's convention)


def _trigger_detail(canvas: Canvas, stream: Stream) -> str | None:
    trigger = stream.trigger
    if trigger is None:
        return None
    parts: list[str] = [trigger.source] if trigger.source else []
    volume = point(trigger.volume, canvas.settings.point_estimate)
    if volume is not None:
        parts.append(format_rate(volume, canvas.calendar))
    return " · ".join(parts) or None
