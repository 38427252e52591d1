"""The report's figures: a value stream map per stream (and its future state, drawn by
:mod:`opcanvas.report.map_figures`), and the charts.

The numbers come from the assessment; drawing is :mod:`opcanvas.render`'s. Each figure is kept
as inline SVG for the HTML and PDF and as a file beside the report (``maps/``, ``charts/``) for
Markdown readers and slide decks; each map is also exported to draw.io and Mermaid.

File names come from stream and gap ids, slugged again here so no canvas text can reach a path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Literal

from opcanvas.assess import Assessment
from opcanvas.render.charts import (
    KpiBar,
    cumulative_flow_chart,
    cycle_time_scatter,
    distribution_chart_from_value,
    gantt_from_roadmap,
    kpi_chart,
    pareto_chart,
    pareto_items_from_values,
    priority_matrix_chart,
    priority_points_from_ranking,
    roadmap_chart,
    swing_bars_from_value,
    to_svg,
    tornado_chart,
    wip_from_mining,
)
from opcanvas.render.charts_adapters import (
    case_points_from_mining,
    cumulative_flow_from_mining,
    mining_calendar,
)
from opcanvas.report.deliverables.common import FigureSet, stream_label
from opcanvas.report.depgraph import dependency_mermaid, dependency_svg
from opcanvas.report.document import Figure
from opcanvas.report.map_figures import add_maps, map_name
from opcanvas.report.safety import safe_filename
from opcanvas.value import annual_value_samples

if TYPE_CHECKING:
    from opcanvas.mining import MiningResult

TORNADO_GAPS = 3  # distribution and tornado charts for the highest-value gaps; others: tables
KPI_BARS = 8  # rows a one-page KPI chart keeps readable; the dashboard table lists every KPI


def _chart(figures: FigureSet, key: str, file: str, caption: str, make: Callable[[], str]) -> None:
    figures.add(key, Figure(make(), caption, file=f"charts/{file}.svg"))


def add_value_charts(a: Assessment, figures: FigureSet) -> None:
    cur = a.currency
    # Pareto and matrix rank gains: a gap valued at zero or less has no bar or bubble
    valued = [v for v in a.values if v.annual_value > 0]
    left_out = len(a.values) - len(valued)
    note = (
        f" ({left_out} gap{'s' if left_out != 1 else ''} at $0 or less left out)"
        if left_out
        else ""
    )
    if not valued:
        return
    items = pareto_items_from_values(valued)
    _chart(figures, "chart:pareto", "pareto", f"Pareto of gap values (point estimates){note}",
           lambda: to_svg(pareto_chart(items, currency=cur)))  # fmt: skip
    ids = {v.gap_id for v in valued}
    points = priority_points_from_ranking([r for r in a.priorities if r.gap_id in ids], valued)
    if points:
        _chart(
            figures,
            "chart:matrix",
            "priority-matrix",
            f"Priority matrix: annual value against feasibility, bubble area by cost{note}",
            lambda: to_svg(priority_matrix_chart(points, currency=cur)),
        )
    top = sorted(valued, key=lambda v: (-v.annual_value, v.gap_id))[:TORNADO_GAPS]
    for value in top:
        if value.ranged:
            draws = annual_value_samples(a.canvas, value.gap_id, samples=a.samples, seed=a.seed)
            _chart(
                figures,
                f"chart:distribution:{value.gap_id}",
                "distribution--" + safe_filename(value.gap_id),
                f"{value.title}: the {a.samples:,} Monte Carlo draws of the annual value, "
                "with the P10, P50 and P90 printed beside it",
                lambda value=value, draws=draws: to_svg(  # type: ignore[misc]
                    distribution_chart_from_value(value, draws)
                ),
            )
        bars, base = swing_bars_from_value(value)
        bars = [b for b in bars if b.value_at_low is not None and b.value_at_high is not None]
        if not bars:
            continue
        _chart(
            figures,
            f"chart:tornado:{value.gap_id}",
            "tornado--" + safe_filename(value.gap_id),
            f"{value.title}: what moves the annual value (one driver at a time)",
            lambda bars=bars, base=base: to_svg(  # type: ignore[misc]
                tornado_chart(bars, base, currency=cur)
            ),
        )


def add_roadmap_chart(a: Assessment, figures: FigureSet) -> None:
    if not a.roadmap.placements():
        return
    bars, spans, curve = gantt_from_roadmap(a.roadmap, a.canvas.roadmap.sprint_days)
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
    """The CEO and engine KPIs against target (stream metrics stay in their tables).

    KPI values are plain numbers in the KPI's unit (the canvas model: ``30`` with unit ``%``
    is 30 %). The chart reads a ``%`` unit as fractions, so the unit is passed as words.
    """
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


# An event log is an extract: mined counts fall to zero at its first and last dates by
# construction, which a reader could take for a real rise and fall of the work.
EDGES = (
    "Work in process is undercounted near both ends: cases begun before or ended after the "
    "extract are missing"
)


def wip_figure(a: Assessment, ref: str, result: MiningResult) -> Figure | None:
    """Open cases over time in a stream's event log, as mined (for the maps deliverable)."""
    days, bands = wip_from_mining(result)
    if not days:
        return None
    label = stream_label(a.canvas, ref)
    chart = cumulative_flow_chart(
        days,
        bands,
        title=f"{label}: work in process from the event log",
        y_title="Open cases",
        subtitle="Cases open at each midnight (UTC), as mined from the log",
        note=EDGES,
        last_is_done=False,
    )
    return Figure(
        to_svg(chart),
        f"{label}: open cases over time, from {result.stream.cases:,} cases in the event log",
        file=f"charts/wip--{map_name(ref, 'current')}.svg",
    )


SCATTER_PERCENTILES = (50, 85, 95)
EVENT_CHARTS = ("cycle-time", "cfd", "wip")
"""The event-log charts of a mined stream, keyed ``chart:<name>:<engine/stream>``."""


def cycle_time_figure(a: Assessment, ref: str, result: MiningResult) -> Figure | None:
    """Lead time of each (sampled) case against its finish, with P50/P85/P95 lines.

    The lines are percentiles of the cases drawn (all of them, or the stable sample mining
    kept); the subtitle and caption say which, on which time basis.
    """
    points = case_points_from_mining(result)
    if not points:
        return None
    label = stream_label(a.canvas, ref)
    sample = result.stream.sample
    basis = result.settings.basis
    basis_name = "elapsed time" if basis.kind == "elapsed" else basis.describe()
    if sample.complete:
        note = f"every case of the log ({sample.of:,})"
    else:
        note = f"{len(points):,} of {sample.of:,} cases, sampled by the MD5 of the case id"
    pct = ", ".join(f"P{p}" for p in SCATTER_PERCENTILES)
    chart = cycle_time_scatter(
        points,
        title=f"{label}: lead time per case",
        calendar=mining_calendar(result),
        unit=None,
        percentiles=SCATTER_PERCENTILES,
        basis=basis_name,
        note=note,
    )
    caption = (
        f"{label}: lead time (first event to last) of {note}, by completion date; dashed "
        f"lines at the {pct} of the cases drawn (linear interpolation), on {basis_name}"
    )
    return Figure(to_svg(chart), caption, file=f"charts/cycle-time--{map_name(ref, 'current')}.svg")


def cumulative_flow_figure(a: Assessment, ref: str, result: MiningResult) -> Figure | None:
    """Cumulative arrivals and departures of a mined stream at each midnight (UTC)."""
    days, bands = cumulative_flow_from_mining(result)
    if not days:
        return None
    label = stream_label(a.canvas, ref)
    chart = cumulative_flow_chart(
        days,
        bands,
        title=f"{label}: cumulative flow",
        subtitle=(
            "Top edge: cases started so far; lower edge of In progress: cases finished so far "
            "(at each midnight UTC)"
        ),
        note=EDGES,
    )
    return Figure(
        to_svg(chart),
        f"{label}: cumulative arrivals and departures of {result.stream.cases:,} cases; the "
        "vertical gap is work in process, the horizontal gap roughly the lead time",
        file=f"charts/cfd--{map_name(ref, 'current')}.svg",
    )


def event_figures(a: Assessment, ref: str, result: MiningResult) -> dict[str, Figure]:
    """Every event-log chart of a mined stream, keyed as the maps deliverable asks for them:
    ``chart:cycle-time:<ref>``, ``chart:cfd:<ref>`` and ``chart:wip:<ref>``."""
    makers = {"cycle-time": cycle_time_figure, "cfd": cumulative_flow_figure, "wip": wip_figure}
    found = {f"chart:{name}:{ref}": makers[name](a, ref, result) for name in EVENT_CHARTS}
    return {key: figure for key, figure in found.items() if figure is not None}


def build_figures(a: Assessment, extra: Mapping[str, Figure] | None = None) -> FigureSet:
    """Every figure of the report, keyed as the deliverable builders ask for them.

    ``extra`` adds figures made elsewhere (the demo's event-log charts from
    :func:`event_figures`: ``chart:cycle-time:<ref>``, ``chart:cfd:<ref>``, ``chart:wip:<ref>``).
    """
    figures = FigureSet(dict(extra or {}))
    add_maps(a, figures)
    add_charts(a, figures)
    return figures


def add_charts(a: Assessment, figures: FigureSet) -> None:
    """The charts of every deliverable after the maps (which need only :func:`add_maps`)."""
    add_dependency_graph(a, figures)
    add_value_charts(a, figures)
    add_roadmap_chart(a, figures)
    add_kpi_chart(a, figures)
