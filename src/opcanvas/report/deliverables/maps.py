"""Deliverable 1: Value Stream Maps for every engine, with systems and data flow, cycle-time and
quality metrics, and roles and responsibilities.

Every figure comes from :class:`~opcanvas.flow.results.CanvasFlow` in the assessment and the
maps from :mod:`opcanvas.render`; this module arranges them, stream by stream within each engine.
"""

from __future__ import annotations

from opcanvas.assess import Assessment
from opcanvas.canvas.model import Canvas, Stream
from opcanvas.canvas.quantities import format_rate, point
from opcanvas.report.deliverables.common import FigureSet, engine_name, merge, pick, stream_label
from opcanvas.report.deliverables.stream_tables import (
    RACI_RULE,
    kpi_table,
    metrics_table,
    people_systems_table,
    step_name,
    totals_table,
)
from opcanvas.report.document import (
    Block,
    Bullets,
    Deliverable,
    Missing,
    Paragraph,
    Section,
    Table,
    duration,
    number,
    percent,
    text,
)

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
FLOW_CONVENTIONS = (
    "time_basis", "point_estimate", "prefer_measured", "statistic",
    "lead_time_includes_process_time", "parallel", "decision", "bottleneck", "handoffs",
    "quality", "thresholds",
)  # fmt: skip


def missing_figures(stream: Stream, missing: tuple[str, ...]) -> tuple[str, ...]:
    """Blank key figures grouped by step: ``Kickoff: %C&A, people``."""
    names = {s.id: s.name for s in stream.steps}
    per_step: dict[str, list[str]] = {}
    for item in missing:
        owner, _, figure = item.rpartition(".")
        label = FIGURE_LABELS.get(figure, figure.replace("_", " "))
        per_step.setdefault(names.get(owner, owner) if owner else "Stream", []).append(label)
    return tuple(f"{where}: {', '.join(labels)}" for where, labels in per_step.items())


def _header(canvas: Canvas, stream: Stream) -> Paragraph:
    estimate = canvas.settings.point_estimate
    parts = []
    if stream.trigger:
        trig = stream.trigger
        volume = point(trig.volume, estimate)
        detail = ", ".join(
            x for x in (trig.source, format_rate(volume, canvas.calendar) if volume else None) if x
        )
        parts.append(f"Trigger: {trig.event}" + (f" ({detail})" if detail else ""))
    for label, value in (("owner", stream.owner), ("customer", stream.customer),
                         ("outcome", stream.outcome), ("SAFe type", stream.safe_type)):  # fmt: skip
        if value:
            parts.append(f"{label}: {value}")
    demand = point(stream.demand, estimate)
    if demand is not None:
        parts.append(f"demand: {format_rate(demand, canvas.calendar)}")
    if stream.maturity and stream.maturity.current:
        target = f" → {stream.maturity.target}" if stream.maturity.target else ""
        parts.append(f"maturity: {stream.maturity.current}{target} of 5")
    if stream.measured:
        m = stream.measured
        parts.append(f"measured from {m.cases:,} cases of {m.source} ({m.statistic})")
    return Paragraph("; ".join(parts) + "." if parts else "No trigger, owner or demand yet.")


def _stream_section(
    a: Assessment, ref: str, stream: Stream, figures: FigureSet, *, new_page: bool
) -> Section:
    canvas = a.canvas
    flow = a.flow.streams[ref]
    blocks: list[Block] = [_header(canvas, stream)]
    for key in (f"map:{ref}:current", f"map:{ref}:future"):
        figure = figures.get(key)
        if figure is not None:
            blocks.append(figure)
    blocks.append(totals_table(canvas, flow))
    if len(flow.critical_path) > 1:
        path = " → ".join(step_name(flow, s) or s for s in flow.critical_path)
        blocks.append(Paragraph(f"Critical path: {path}."))
    blocks += [metrics_table(canvas, flow), people_systems_table(stream, flow)]
    if stream.metrics:
        estimate = canvas.settings.point_estimate
        blocks.append(kpi_table(stream.metrics, estimate, "Stream KPIs"))
    flags = [f for f in flow.flags if f.severity != "info" or f.code == "handoffs"]
    if flags:
        blocks.append(Bullets(tuple(f"{f.severity}: {f.message}" for f in flags)))
    if flow.completeness.missing:
        blocks.append(Missing(missing_figures(stream, flow.completeness.missing)))
    return Section(stream_label(canvas, ref), tuple(blocks), new_page=new_page)


def _overview(a: Assessment) -> Table:
    cal = a.canvas.calendar
    rows = tuple(
        (
            text(stream_label(a.canvas, ref)),
            duration(flow.lead_time, cal),
            duration(flow.process_time, cal),
            percent(flow.flow_efficiency),
            percent(flow.rolled_cta),
            text(step_name(flow, flow.bottleneck) or "—"),
            number(float(flow.handoffs)),
            percent(flow.completeness.fraction, 0),
        )
        for ref, flow in a.flow.streams.items()
    )
    return Table(
        ("Stream", "LT", "PT", "Flow efficiency", "Rolled %C&A", "Bottleneck", "Handoffs",
         "Complete"),
        rows,
        caption="Every stream at a glance",
        empty="No value streams mapped yet.",
    )  # fmt: skip


def _engine_sections(a: Assessment, figures: FigureSet) -> list[Section]:
    sections = []
    estimate = a.canvas.settings.point_estimate
    for engine_id, engine in a.canvas.engines.items():
        lines = [engine.purpose or ""]
        if engine.value_flow:
            lines.append("Value flow: " + " → ".join(engine.value_flow))
        if engine.owners:
            lines.append("Owned by: " + ", ".join(engine.owners))
        blocks: list[Block] = [Paragraph(". ".join(x for x in lines if x) or engine_id)]
        if engine.kpis:
            blocks.append(kpi_table(engine.kpis, estimate, "Engine KPIs"))
        if not engine.streams:
            blocks.append(Missing((f"{engine_id}: no value streams mapped yet",)))
        title = f"{engine_name(a.canvas, engine_id)} engine"
        sections.append(Section(title, tuple(blocks), new_page=True))
        for index, (stream_id, stream) in enumerate(engine.streams.items()):
            ref = f"{engine_id}/{stream_id}"
            # the first stream shares its engine's page; each later one starts its own
            sections.append(_stream_section(a, ref, stream, figures, new_page=index > 0))
    return sections


def build_maps(a: Assessment, figures: FigureSet) -> Deliverable:
    """Deliverable 1 from the assessment and its rendered maps."""
    streams, engines = len(a.flow.streams), len(a.canvas.engines)
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
            "cycle-time and quality metrics, roles and responsibilities. Key figures filled in: "
            f"{a.completeness.fraction:.0%}."
        ),
        sections=(Section("Overview", tuple(overview)), *_engine_sections(a, figures)),
        landscape=True,
        conventions=merge(
            pick(a.conventions["flow"], *FLOW_CONVENTIONS), (("roles (RACI)", RACI_RULE),)
        ),
    )
