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
    # the maps come first, under the stream's heading, so a printed map can fill its page
    blocks: list[Block] = []
    for key in (f"map:{ref}:current", f"map:{ref}:future"):
        figure = figures.get(key)
        if figure is not None:
            blocks.append(figure)
    blocks += [_header(canvas, stream), totals_table(canvas, flow)]
    blocks += [metrics_table(canvas, flow), people_systems_table(stream, flow)]
    if len(flow.critical_path) > 1 and any(not s.on_critical_path for s in flow.steps):
        path = " → ".join(step_name(flow, s) or s for s in flow.critical_path)
        blocks.append(Paragraph(f"Critical path: {path}."))
    if stream.metrics:
        estimate = canvas.settings.point_estimate
        blocks.append(kpi_table(stream.metrics, estimate, "Stream KPIs"))
    stream_flags = [
        f for f in flow.flags if f.step is None and (f.severity != "info" or f.code == "handoffs")
    ]
    if stream_flags:
        said = "; ".join(f"{f.severity}: {f.message}" for f in stream_flags)
        blocks.append(Paragraph(f"Stream flags: {said}."))
    if flow.completeness.missing:
        blocks.append(Missing(missing_figures(stream, flow.completeness.missing)))
    for chart in ("cycle-time", "cfd", "wip"):  # from the event log, when it was mined
        figure = figures.get(f"chart:{chart}:{ref}")
        if figure is not None:
            blocks.append(figure)
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


def _engines_section(a: Assessment) -> Section:
    """Every engine's purpose, value flow, owners and KPIs, before the streams' own pages."""
    estimate = a.canvas.settings.point_estimate
    blocks: list[Block] = []
    for engine_id, engine in a.canvas.engines.items():
        lines = [engine.purpose or ""]
        if engine.value_flow:
            lines.append("Value flow: " + " → ".join(engine.value_flow))
        if engine.owners:
            lines.append("Owned by: " + ", ".join(engine.owners))
        name = engine_name(a.canvas, engine_id)
        text_line = ". ".join(x for x in lines if x) or "no purpose recorded yet"
        blocks.append(Paragraph(f"{name}: {text_line}."))
        if engine.kpis:
            blocks.append(kpi_table(engine.kpis, estimate, f"{name}: engine KPIs"))
        if not engine.streams:
            blocks.append(Missing((f"{name}: no value streams mapped yet",)))
    if not blocks:
        blocks.append(Missing(("engines: the canvas names none yet",)))
    return Section("The engines", tuple(blocks))


def _stream_sections(a: Assessment, figures: FigureSet) -> list[Section]:
    """One section per stream, each from a new page: map first, then its tables."""
    return [
        _stream_section(a, f"{engine_id}/{stream_id}", stream, figures, new_page=True)
        for engine_id, engine in a.canvas.engines.items()
        for stream_id, stream in engine.streams.items()
    ]


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
        sections=(
            Section("Overview", tuple(overview)),
            _engines_section(a),
            *_stream_sections(a, figures),
        ),
        landscape=True,
        paper="A3",
        conventions=merge(
            pick(a.conventions["flow"], *FLOW_CONVENTIONS), (("roles (RACI)", RACI_RULE),)
        ),
    )
