"""Deliverable 1: Value Stream Maps for every engine, with systems and data flow, cycle-time and
quality metrics, and roles and responsibilities.

Every figure comes from :class:`~opcanvas.flow.results.CanvasFlow` in the assessment; this
module arranges it. The roles table is RACI-like, read from the canvas: **R** the step's role
(else its lane), **A** the step's decision authority (else the stream owner), **C** the lanes
that hand work into the step, **I** the lanes that receive its output.
"""

from __future__ import annotations

from opcanvas.assess import Assessment
from opcanvas.canvas.model import KPI, Canvas, Step, Stream
from opcanvas.canvas.quantities import PointEstimate, format_rate, point
from opcanvas.flow.results import StepFlow, StreamFlow
from opcanvas.report.deliverables.common import FigureSet, engine_name, merge, pick, stream_label
from opcanvas.report.document import (
    Block,
    Cell,
    Deliverable,
    Missing,
    Paragraph,
    Section,
    Table,
    blank,
    duration,
    number,
    percent,
    text,
)

RACI_RULE = (
    "R = step role (else lane); A = decision authority (else stream owner); C = lanes handing "
    "work in; I = lanes receiving the output"
)
SOURCE_MARK = {"measured": "measured", "estimate": "estimate", "derived": "derived"}


def _source(flow: StepFlow, *names: str) -> str:
    found = sorted({flow.sources.get(n, "missing") for n in names} - {"missing"})
    return ", ".join(SOURCE_MARK.get(s, s) for s in found) or "—"


def _step_rows(canvas: Canvas, flow: StreamFlow) -> tuple[tuple[Cell, ...], ...]:
    cal = canvas.calendar
    rows = []
    for step in flow.steps:
        is_bottleneck = step.id == flow.bottleneck
        rows.append(
            (
                Cell(step.name, step.name + (" (bottleneck)" if is_bottleneck else ""),
                     emphasis=is_bottleneck),
                text(step.lane or ""),
                duration(step.process_time, cal),
                duration(step.wait_time, cal),
                duration(step.lead_time, cal),
                percent(step.complete_accurate),
                percent(step.first_pass_yield),
                percent(step.wait_share),
                text("yes" if step.on_critical_path else "no"),
                text(_source(step, "process_time", "wait_time", "complete_accurate")),
            )
        )  # fmt: skip
    return tuple(rows)


def _metrics_table(canvas: Canvas, flow: StreamFlow) -> Table:
    return Table(
        ("Step", "Lane", "PT", "Wait", "LT", "%C&A", "First-pass yield", "Wait share",
         "Critical path", "Source"),
        _step_rows(canvas, flow),
        caption="Cycle-time and quality metrics per step",
        empty="No steps mapped yet.",
    )  # fmt: skip


def _totals_table(canvas: Canvas, flow: StreamFlow) -> Table:
    cal = canvas.calendar
    rows: list[tuple[Cell, Cell]] = [
        (text("Lead time (LT)"), duration(flow.lead_time, cal)),
        (text("Process time (PT)"), duration(flow.process_time, cal)),
        (text("Wait time"), duration(flow.wait_time, cal)),
        (text("Flow efficiency (activity ratio)"), percent(flow.flow_efficiency)),
        (text("Rolled %C&A"), percent(flow.rolled_cta)),
        (text("First-pass yield"), percent(flow.first_pass_yield)),
        (text("Takt time"), duration(flow.takt_time, cal)),
        (text("Handoffs"), number(float(flow.handoffs))),
        (text("Bottleneck"), text(_step_name(flow, flow.bottleneck) or "—")),
        (text("Critical path"), text(" → ".join(_step_name(flow, s) or s
                                                for s in flow.critical_path) or "—")),
    ]  # fmt: skip
    if flow.mode == "manufacturing":
        rows.insert(7, (text("Operators needed"), number(flow.operators_needed)))
        rows.insert(7, (text("Inventory (days of demand)"), number(flow.inventory_days)))
    if flow.little is not None:
        little = flow.little
        verdict = (
            "consistent"
            if little.consistent
            else "inconsistent"
            if little.consistent is False
            else f"derives {little.derived}"
            if little.derived
            else "—"
        )
        rows.append((text("Little's law (WIP = throughput × LT)"), text(verdict)))
    return Table(("Figure", "Value"), tuple(rows), caption="Stream totals")


def _step_name(flow: StreamFlow, step_id: str | None) -> str | None:
    if step_id is None:
        return None
    for step in flow.steps:
        if step.id == step_id:
            return step.name
    return step_id


def _systems_table(stream: Stream) -> Table:
    columns = [("Systems", lambda s: s.systems), ("Data in", lambda s: s.data_in),
               ("Data out", lambda s: s.data_out)]  # fmt: skip
    used = [(name, get) for name, get in columns if any(get(s) for s in stream.steps)]
    rows = tuple(
        (text(s.name), *(text(", ".join(get(s))) for _, get in used))
        for s in stream.steps
        if any(get(s) for _, get in used)
    )
    return Table(
        ("Step", *(name for name, _ in used)),
        rows,
        caption="Systems and data flow",
        empty="No systems or data recorded on the steps yet.",
    )


def _neighbours(stream: Stream, flow: StreamFlow) -> dict[str, tuple[set[str], set[str]]]:
    """Per step: the lanes handing work in and the lanes receiving its output."""
    lane = {s.id: s.lane for s in stream.steps}
    found: dict[str, tuple[set[str], set[str]]] = {s.id: (set(), set()) for s in stream.steps}
    for step in flow.steps:
        for before in step.predecessors:
            if before in found and lane.get(before) and lane.get(before) != step.lane:
                found[step.id][0].add(str(lane[before]))
                found[before][1].add(str(step.lane or ""))
    return found


def _raci_table(stream: Stream, flow: StreamFlow) -> Table:
    around = _neighbours(stream, flow)
    rows = []
    for step in stream.steps:
        consulted, informed = around.get(step.id, (set(), set()))
        rows.append(_raci_row(stream, step, consulted, informed))
    return Table(
        ("Step", "R: performs", "A: decides", "C: hands work in", "I: receives output",
         "People", "Skills"),
        tuple(rows),
        caption="Roles and responsibilities (RACI-like)",
        empty="No steps mapped yet.",
    )  # fmt: skip


def _raci_row(
    stream: Stream, step: Step, consulted: set[str], informed: set[str]
) -> tuple[Cell, ...]:
    return (
        text(step.name),
        text(step.role or step.lane or "—"),
        text(step.decision_authority or stream.owner or "—"),
        text(", ".join(sorted(c for c in consulted if c)) or "—"),
        text(", ".join(sorted(i for i in informed if i)) or "—"),
        number(point(step.people)) if step.people is not None else blank(),
        text(", ".join(step.skills)),
    )


def kpi_rows(kpis: list[KPI], estimate: PointEstimate) -> tuple[tuple[Cell, ...], ...]:
    rows = []
    for kpi in kpis:
        actual, target = point(kpi.actual, estimate), point(kpi.target, estimate)
        rows.append(
            (
                text(kpi.name),
                text(kpi.unit or ""),
                number(actual),
                number(target),
                number(None if actual is None or target is None else actual - target),
                text(kpi.direction or "—"),
                text(kpi.indicator or "—"),
                text(kpi.owner or "—"),
            )
        )
    return tuple(rows)


KPI_COLUMNS = ("KPI", "Unit", "Actual", "Target", "Actual − target", "Better", "Indicator",
               "Owner")  # fmt: skip


def _header(canvas: Canvas, stream: Stream) -> Paragraph:
    parts = []
    if stream.trigger:
        trig = stream.trigger
        detail = ", ".join(
            x
            for x in (
                trig.source,
                format_rate(point(trig.volume) or 0.0, canvas.calendar) if trig.volume else None,
            )
            if x
        )
        parts.append(f"Trigger: {trig.event}" + (f" ({detail})" if detail else ""))
    if stream.owner:
        parts.append(f"owner: {stream.owner}")
    if stream.customer:
        parts.append(f"customer: {stream.customer}")
    if stream.outcome:
        parts.append(f"outcome: {stream.outcome}")
    if stream.demand is not None:
        parts.append(f"demand: {format_rate(point(stream.demand) or 0.0, canvas.calendar)}")
    if stream.safe_type:
        parts.append(f"SAFe type: {stream.safe_type}")
    if stream.maturity and stream.maturity.current:
        target = f" → {stream.maturity.target}" if stream.maturity.target else ""
        parts.append(f"maturity: {stream.maturity.current}{target} of 5")
    if stream.measured:
        parts.append(
            f"measured from {stream.measured.cases:,} cases of {stream.measured.source} "
            f"({stream.measured.statistic})"
        )
    return Paragraph("; ".join(parts) + "." if parts else "No trigger, owner or demand yet.")


def _stream_section(a: Assessment, ref: str, stream: Stream, figures: FigureSet) -> Section:
    canvas = a.canvas
    flow = a.flow.streams[ref]
    blocks: list[Block] = [_header(canvas, stream)]
    for key in (f"map:{ref}:current", f"map:{ref}:future", f"chart:leadtime:{ref}"):
        figure = figures.get(key)
        if figure is not None:
            blocks.append(figure)
    blocks += [_totals_table(canvas, flow), _metrics_table(canvas, flow)]
    blocks += [_systems_table(stream), _raci_table(stream, flow)]
    if stream.metrics:
        blocks.append(
            Table(
                KPI_COLUMNS,
                kpi_rows(stream.metrics, canvas.settings.point_estimate),
                caption="Stream KPIs",
            )
        )
    flags = [f for f in flow.flags if f.severity != "info" or f.code == "handoffs"]
    if flags:
        blocks.append(
            Table(
                ("Severity", "Flag", "Message"),
                tuple((text(f.severity), text(f.code), text(f.message)) for f in flags),
                caption="Flags",
            )
        )
    if flow.completeness.missing:
        blocks.append(Missing(missing_figures(stream, flow.completeness.missing)))
    return Section(stream_label(canvas, ref), tuple(blocks))


FIGURE_LABELS = {
    "process_time": "PT",
    "wait_time": "wait time",
    "complete_accurate": "%C&A",
    "lane": "swim lane",
    "people": "people",
    "cycle_time": "C/T",
    "changeover": "C/O",
    "uptime": "uptime",
    "inventory_before": "inventory",
    "operators": "operators",
    "steps": "steps",
    "demand": "demand",
    "production": "production time (shifts)",
}


def missing_figures(stream: Stream, missing: tuple[str, ...]) -> tuple[str, ...]:
    """Blank key figures grouped by step: ``Kickoff: %C&A, people``."""
    names = {s.id: s.name for s in stream.steps}
    per_step: dict[str, list[str]] = {}
    for item in missing:
        owner, _, figure = item.rpartition(".")
        label = FIGURE_LABELS.get(figure, figure.replace("_", " "))
        per_step.setdefault(names.get(owner, owner) if owner else "Stream", []).append(label)
    return tuple(f"{where}: {', '.join(labels)}" for where, labels in per_step.items())


def _overview(a: Assessment) -> Table:
    cal = a.canvas.calendar
    rows = []
    for ref, flow in a.flow.streams.items():
        rows.append(
            (
                text(stream_label(a.canvas, ref)),
                duration(flow.lead_time, cal),
                duration(flow.process_time, cal),
                percent(flow.flow_efficiency),
                percent(flow.rolled_cta),
                text(_step_name(flow, flow.bottleneck) or "—"),
                number(float(flow.handoffs)),
                percent(flow.completeness.fraction, 0),
            )
        )
    return Table(
        ("Stream", "LT", "PT", "Flow efficiency", "Rolled %C&A", "Bottleneck", "Handoffs",
         "Complete"),
        tuple(rows),
        caption="Every stream at a glance",
        empty="No value streams mapped yet.",
    )  # fmt: skip


def _engine_sections(a: Assessment, figures: FigureSet) -> list[Section]:
    sections = []
    for engine_id, engine in a.canvas.engines.items():
        lines = [engine.purpose or ""]
        if engine.value_flow:
            lines.append("Value flow: " + " → ".join(engine.value_flow))
        if engine.owners:
            lines.append("Owned by: " + ", ".join(engine.owners))
        blocks: list[Block] = [Paragraph(". ".join(x for x in lines if x) or engine_id)]
        if engine.kpis:
            blocks.append(
                Table(
                    KPI_COLUMNS,
                    kpi_rows(engine.kpis, a.canvas.settings.point_estimate),
                    caption="Engine KPIs",
                )
            )
        if not engine.streams:
            blocks.append(Missing((f"{engine_id}: no value streams mapped yet",)))
        sections.append(Section(f"{engine_name(a.canvas, engine_id)} engine", tuple(blocks)))
        for stream_id, stream in engine.streams.items():
            ref = f"{engine_id}/{stream_id}"
            sections.append(_stream_section(a, ref, stream, figures))
    return sections


def build_maps(a: Assessment, figures: FigureSet) -> Deliverable:
    """Deliverable 1 from the assessment and its rendered maps."""
    streams = len(a.flow.streams)
    engines = len(a.canvas.engines)
    overview: list[Block] = [_overview(a)]
    if not streams:
        overview.append(Missing(("value streams: map each engine's primary streams",)))
    return Deliverable(
        key="maps",
        number="1",
        title="Value Stream Maps",
        summary=(
            f"{streams} value stream{'s' if streams != 1 else ''} across {engines} "
            f"engine{'s' if engines != 1 else ''}: current-state maps, systems and data flow, "
            "cycle-time and quality metrics, roles and responsibilities. Completeness of the "
            f"key figures: {a.completeness.fraction:.0%}."
        ),
        sections=(Section("Overview", tuple(overview)), *_engine_sections(a, figures)),
        conventions=merge(
            pick(
                a.conventions["flow"],
                "time_basis",
                "point_estimate",
                "prefer_measured",
                "statistic",
                "lead_time_includes_process_time",
                "parallel",
                "decision",
                "bottleneck",
                "handoffs",
                "quality",
                "thresholds",
            ),
            (("roles (RACI)", RACI_RULE),),
        ),
    )
