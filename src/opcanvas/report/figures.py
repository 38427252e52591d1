"""The report's figures: a value stream map per stream (and its future state), and the charts.

The numbers come from the assessment; drawing is :mod:`opcanvas.render`'s. Each figure is kept
as inline SVG for the HTML and PDF and as a file beside the report (``maps/``, ``charts/``) for
Markdown readers and slide decks; each map is also exported to draw.io and Mermaid.

File names come from stream and gap ids, slugged again here so no canvas text can reach a path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from opcanvas.assess import Assessment
from opcanvas.render.charts import (
    GanttBar,
    KpiBar,
    PriorityPoint,
    SprintSpan,
    SwingBar,
    ValueItem,
    ValuePoint,
    kpi_chart,
    pareto_chart,
    priority_matrix_chart,
    roadmap_chart,
    to_svg,
    tornado_chart,
)
from opcanvas.render.drawio import to_drawio
from opcanvas.render.mermaid import to_mermaid
from opcanvas.render.vsm import render_vsm_svg
from opcanvas.report.deliverables.common import FigureSet, stream_label
from opcanvas.report.depgraph import dependency_mermaid, dependency_svg
from opcanvas.report.document import Figure
from opcanvas.report.safety import safe_filename

TORNADO_GAPS = 3  # tornado charts for the highest-value gaps; the others keep their tables
KPI_BARS = 8  # the KPI chart costs about 0.3 s per KPI to draw, so it shows the top levels
MONTH_DAYS = 30


def _map_name(ref: str, state: str) -> str:
    engine_id, _, stream_id = ref.partition("/")
    return safe_filename(engine_id, stream_id) + ("-future" if state == "future" else "")


def add_maps(a: Assessment, figures: FigureSet) -> None:
    """Current-state (and future-state) maps of every stream, with draw.io and Mermaid files."""
    for ref, stream in a.canvas.streams():
        states = ["current", "future"] if stream.future_state is not None else ["current"]
        for state in states:
            name = _map_name(ref, state)
            label = stream_label(a.canvas, ref)
            caption = (
                f"{label}: future state ({stream.future_state.name})"
                if state == "future" and stream.future_state
                else f"{label}: current state"
            )
            mermaid = to_mermaid(a.canvas, ref, state=state)  # type: ignore[arg-type]
            figures.add(
                f"map:{ref}:{state}",
                Figure(
                    render_vsm_svg(a.canvas, ref, state=state),  # type: ignore[arg-type]
                    caption,
                    wide=True,
                    file=f"maps/{name}.svg",
                    mermaid=mermaid,
                ),
            )
            figures.files[f"maps/{name}.drawio"] = to_drawio(
                a.canvas,
                ref,
                state=state,  # type: ignore[arg-type]
            )
            figures.files[f"maps/{name}.mmd"] = mermaid


def _chart(figures: FigureSet, key: str, file: str, caption: str, make: Callable[[], str]) -> None:
    figures.add(key, Figure(make(), caption, file=f"charts/{file}.svg"))


def add_value_charts(a: Assessment, figures: FigureSet) -> None:
    cur = a.currency
    if not a.values:
        return
    items = [ValueItem(v.title, v.annual_value) for v in a.values]
    _chart(figures, "chart:pareto", "pareto", "Pareto of gap values (point estimates)",
           lambda: to_svg(pareto_chart(items, currency=cur)))  # fmt: skip
    costs = {v.gap_id: v.implementation_cost for v in a.values}
    points = [
        PriorityPoint(r.title, r.annual_value, r.feasibility, costs.get(r.gap_id), r.rank)
        for r in a.priorities
    ]
    if points:
        _chart(
            figures,
            "chart:matrix",
            "priority-matrix",
            "Priority matrix: annual value against feasibility, bubble area by cost",
            lambda: to_svg(priority_matrix_chart(points, currency=cur)),
        )
    top = sorted(a.values, key=lambda v: (-v.annual_value, v.gap_id))[:TORNADO_GAPS]
    for value in top:
        bars = [
            SwingBar(bar.driver, bar.value_at_low, bar.value_at_high)
            for bar in value.tornado
            if bar.value_at_low is not None and bar.value_at_high is not None
        ]
        if not bars:
            continue
        _chart(
            figures,
            f"chart:tornado:{value.gap_id}",
            "tornado--" + safe_filename(value.gap_id),
            f"{value.title}: what moves the annual value (one driver at a time)",
            lambda bars=bars, base=value.annual_value: to_svg(  # type: ignore[misc]
                tornado_chart(bars, base, currency=cur)
            ),
        )


def add_roadmap_chart(a: Assessment, figures: FigureSet) -> None:
    roadmap = a.roadmap
    days = a.canvas.roadmap.sprint_days
    bars = []
    for placement in roadmap.placements():
        engine = placement.stream.partition("/")[0]
        bars.append(
            GanttBar(
                placement.title,
                (placement.start_sprint - 1) * days,
                placement.finish_sprint * days,
                engine,
            )
        )
    if not bars:
        return
    spans = [SprintSpan(s.name, (s.number - 1) * days, s.number * days) for s in roadmap.sprints]
    curve = [ValuePoint(month * MONTH_DAYS, value) for month, value in roadmap.cumulative]
    _chart(
        figures,
        "chart:roadmap",
        "roadmap",
        "The optimised roadmap and the first-year value it realises",
        lambda: to_svg(
            roadmap_chart(bars, spans, curve, currency=a.currency, start=a.canvas.roadmap.start)
        ),
    )


def add_kpi_chart(a: Assessment, figures: FigureSet) -> None:
    """The CEO and engine KPIs against target (stream metrics stay in their tables)."""
    bars = [
        KpiBar(item.name, item.actual, item.target, item.unit, _direction(a, item.kpi),
               item.baseline)
        for item in a.governance.dashboard
        if item.level != "stream" and item.actual is not None and item.target is not None
    ][:KPI_BARS]  # fmt: skip
    if bars:
        _chart(figures, "chart:kpis", "kpis", "CEO and engine KPIs: actual against target",
               lambda: to_svg(kpi_chart(bars)))  # fmt: skip


def _direction(a: Assessment, path: str) -> Literal["higher", "lower"] | None:
    node = a.lineage.nodes.get(path)
    direction = node.direction if node is not None else None
    return direction if direction in ("higher", "lower") else None  # type: ignore[return-value]


def add_dependency_graph(a: Assessment, figures: FigureSet) -> None:
    svg = dependency_svg(a)
    if svg is not None:
        caption = "Engines and the handoffs between them (value of the gaps each handoff causes)"
        figures.add(
            "graph:dependencies",
            Figure(svg, caption, file="charts/dependencies.svg", mermaid=dependency_mermaid(a)),
        )


def build_figures(a: Assessment) -> FigureSet:
    """Every figure of the report, keyed as the deliverable builders ask for them."""
    figures = FigureSet()
    add_maps(a, figures)
    add_dependency_graph(a, figures)
    add_value_charts(a, figures)
    add_roadmap_chart(a, figures)
    add_kpi_chart(a, figures)
    return figures
