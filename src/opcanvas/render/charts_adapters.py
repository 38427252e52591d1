"""Adapters from the results of flow, value, roadmap and the canvas to the chart inputs.

The chart functions take plain inputs so they can be tested and used on their own; these thin
functions translate the library's result objects into them, and never compute a metric: every
number comes from the result it is given.

Types are imported for checking only, so the charts keep working while those modules change.

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: Acme
... engines: {growth: {streams: {s: {name: Sales, metrics: [
...   {id: c, name: Cycle time, unit: days, actual: 62, target: 45, direction: lower}]}}}}''')
>>> [(k.label, k.actual, k.direction) for k in kpi_bars_from_canvas(canvas)]
[('Cycle time', 62.0, 'lower')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import altair as alt

from opcanvas.canvas.model import KPI, Canvas
from opcanvas.canvas.quantities import Calendar, point
from opcanvas.errors import ReportError
from opcanvas.render.charts_events import CasePoint, FlowBand
from opcanvas.render.charts_flow import StepTime, StreamTotals
from opcanvas.render.charts_plan import GanttBar, KpiBar, SprintSpan, ValuePoint
from opcanvas.render.charts_risk import SwingBar, value_distribution_chart
from opcanvas.render.charts_value import PriorityPoint, ValueItem

if TYPE_CHECKING:
    from opcanvas.flow.results import StepFlow, StreamFlow
    from opcanvas.mining import MiningResult
    from opcanvas.roadmap.plan import Roadmap
    from opcanvas.value.prioritize import RankedGap
    from opcanvas.value.quantify import GapValue, TornadoBar

__all__ = [
    "case_points_from_lists",
    "case_points_from_mining",
    "cumulative_flow_from_mining",
    "distribution_chart_from_value",
    "gantt_from_roadmap",
    "kpi_bars_from_canvas",
    "mining_calendar",
    "pareto_items_from_values",
    "priority_points_from_ranking",
    "steps_from_flow",
    "swing_bars_from_value",
    "wip_from_mining",
]


# ---- flow -------------------------------------------------------------------------------------


def _step_source(step: StepFlow) -> Literal["measured", "estimate"] | None:
    kinds = {step.sources.get("process_time"), step.sources.get("wait_time")} - {"missing", None}
    if not kinds:
        return None
    return "measured" if kinds == {"measured"} else "estimate"


def steps_from_flow(stream: StreamFlow) -> tuple[list[StepTime], StreamTotals | None]:
    """The steps of a stream's build-up and its totals, from :func:`opcanvas.flow.analyze_stream`.

    The steps are the critical path (the path flow analysis chose through branches) in path
    order, or every step in canvas order when there is no path. The totals are the stream's
    elapsed lead time (wait + process, whatever ``lead_time_includes_process_time`` says) and
    process time, or ``None`` when either is unknown. Derived times count as estimates.
    """
    by_id = {step.id: step for step in stream.steps}
    ids = [i for i in stream.critical_path if i in by_id] or list(by_id)
    steps = [
        StepTime(
            label=by_id[i].name,
            process_minutes=by_id[i].process_time,
            wait_minutes=by_id[i].wait_time,
            source=_step_source(by_id[i]),
        )
        for i in ids
    ]
    lead = stream.elapsed_time if stream.elapsed_time is not None else None
    if lead is None or stream.process_time is None:
        return steps, None
    return steps, StreamTotals(lead_minutes=lead, process_minutes=stream.process_time)


# ---- value ------------------------------------------------------------------------------------


def pareto_items_from_values(values: Sequence[GapValue]) -> list[ValueItem]:
    """One bar per valued gap (its title and point annual value, as :func:`quantify` gave)."""
    return [ValueItem(label=v.title, value=v.annual_value) for v in values]


def priority_points_from_ranking(
    ranked: Sequence[RankedGap], values: Sequence[GapValue]
) -> list[PriorityPoint]:
    """Matrix points: annual value and feasibility score from the ranking, the bubble from the
    gap's implementation cost in ``values`` (matched by gap id; no cost → a grey bubble)."""
    cost = {v.gap_id: v.implementation_cost for v in values}
    return [
        PriorityPoint(
            label=r.title,
            annual_value=r.annual_value,
            feasibility=r.feasibility,
            cost=cost.get(r.gap_id),
            rank=r.rank,
        )
        for r in ranked
    ]


def _driver_text(value: float) -> str:
    return f"{value:.3g}"


def swing_bars_from_value(value: GapValue) -> tuple[list[SwingBar], float]:
    """A gap's tornado bars and the point annual value they swing around.

    Each bar is one ranged driver moved from its low to its high with the others at their
    point values, as :func:`opcanvas.value.quantify` computed it; an end that divided by zero
    is left out.
    """
    bars = [_swing(bar) for bar in value.tornado]
    return bars, value.annual_value


def distribution_chart_from_value(
    value: GapValue, samples: Sequence[float], *, bins: int = 40
) -> alt.LayerChart:
    """The Monte Carlo histogram of one gap, with rules at the P10/P50/P90 that ``value``
    reports (so the chart shows the numbers the report prints) and at its point value.

    :class:`GapValue` keeps percentiles, not samples: pass the gap's simulated annual values.
    """
    return value_distribution_chart(
        samples,
        currency=value.currency,
        title=f"{value.title}: annual value",
        bins=bins,
        percentiles=(value.p10, value.p50, value.p90),
        point_value=value.annual_value,
    )


def _swing(bar: TornadoBar) -> SwingBar:
    return SwingBar(
        label=bar.driver,
        value_at_low=bar.value_at_low,
        value_at_high=bar.value_at_high,
        # the driver's name is on the axis beside its bar: the labels give only its setting
        low_text=f"at {_driver_text(bar.low)}",
        high_text=f"at {_driver_text(bar.high)}",
    )


# ---- roadmap ----------------------------------------------------------------------------------


def gantt_from_roadmap(
    roadmap: Roadmap, sprint_days: int, *, greedy: bool = False
) -> tuple[list[GanttBar], list[SprintSpan], list[ValuePoint]]:
    """Initiative bars, sprint spans and the cumulative value curve of a planned roadmap.

    ``sprint_days`` is ``canvas.roadmap.sprint_days``. An initiative runs from the first day
    of its start sprint to the last day of its finish sprint; bars are grouped by engine
    (the part of the stream before the slash). The curve is the roadmap's own cumulative net
    value by 30-day month, placed at day 30 × month. ``greedy`` draws the greedy plan.
    """
    if sprint_days <= 0:
        raise ReportError(f"expected sprint_days above 0, got {sprint_days}")
    sprints = roadmap.greedy_sprints if greedy else roadmap.sprints
    curve = roadmap.cumulative_greedy if greedy else roadmap.cumulative
    seen: set[str] = set()
    placements = []
    for sprint in sprints:
        for p in sprint.running:
            if p.gap_id not in seen:
                seen.add(p.gap_id)
                placements.append(p)
    placements.sort(key=lambda p: (p.start_sprint, p.priority_rank, p.gap_id))
    bars = [
        GanttBar(
            label=p.title,
            start_day=(p.start_sprint - 1) * sprint_days,
            end_day=p.finish_sprint * sprint_days,
            group=p.stream.partition("/")[0] or None,
        )
        for p in placements
    ]
    spans = [
        SprintSpan(
            name=s.name, start_day=(s.number - 1) * sprint_days, end_day=s.number * sprint_days
        )
        for s in sprints
    ]
    month_days = _month_days()
    points = [ValuePoint(day=month * month_days, cumulative_value=v) for month, v in curve]
    return bars, spans, points


def _month_days() -> int:
    from opcanvas.roadmap.plan import MONTH_DAYS  # the roadmap's own month, where it is defined

    return MONTH_DAYS


# ---- canvas KPIs ------------------------------------------------------------------------------


def _bar(kpi: KPI, label: str, canvas: Canvas) -> KpiBar:
    estimate = canvas.settings.point_estimate
    return KpiBar(
        label=label,
        actual=point(kpi.actual, estimate),
        target=point(kpi.target, estimate),
        unit=kpi.unit,
        direction=kpi.direction,
        baseline=point(kpi.baseline, estimate),
    )


def kpi_bars_from_canvas(canvas: Canvas, stream: str | None = None) -> list[KpiBar]:
    """KPI bullets from the canvas, in canvas order: CEO-level KPIs, then each engine's KPIs
    and its streams' metrics. ``stream`` (``engine/stream``) keeps one stream's metrics.

    Labels are the KPI names, prefixed with the stream or engine name when KPIs of more than
    one stream are shown. Ranges count at ``settings.point_estimate``.
    """
    if stream is not None:
        engine_id, _, stream_id = stream.partition("/")
        found = canvas.engines.get(engine_id)
        if found is None or stream_id not in found.streams:
            raise ReportError(f'no stream "{stream}" in this canvas; expected engine/stream')
        return [_bar(k, k.name, canvas) for k in found.streams[stream_id].metrics]
    # (scope key, scope name, KPI): the key tells streams of one name apart
    scoped: list[tuple[str, str, KPI]] = [("", canvas.organization, k) for k in canvas.kpis]
    for engine_id, engine in canvas.engines.items():
        name = engine.name or engine_id.capitalize()
        scoped += [(engine_id, name, k) for k in engine.kpis]
        for stream_id, s in engine.streams.items():
            scoped += [(f"{engine_id}/{stream_id}", s.name, k) for k in s.metrics]
    if len({key for key, _, _ in scoped}) <= 1:
        return [_bar(k, k.name, canvas) for _, _, k in scoped]
    return [_bar(k, f"{scope} · {k.name}", canvas) for _, scope, k in scoped]


# ---- event data -------------------------------------------------------------------------------


def case_points_from_lists(
    case_ids: Sequence[str], ends: Sequence[dt.datetime | dt.date], lead_minutes: Sequence[float]
) -> list[CasePoint]:
    """Cycle-time scatter points from three parallel columns (case id, end, lead minutes)."""
    if not len(case_ids) == len(ends) == len(lead_minutes):
        raise ReportError(
            f"expected columns of one length, got {len(case_ids)} case ids, {len(ends)} ends, "
            f"{len(lead_minutes)} lead times"
        )
    return [
        CasePoint(str(c), e, float(m)) for c, e, m in zip(case_ids, ends, lead_minutes, strict=True)
    ]


def wip_from_mining(result: MiningResult) -> tuple[list[dt.date], list[FlowBand]]:
    """Open cases at each midnight (UTC) as mined, as one band for
    :func:`~opcanvas.render.charts_events.cumulative_flow_chart` (with ``last_is_done=False``).

    Mining counts a case open from the first midnight at or after its start until its end.
    """
    days = [dt.date.fromisoformat(day) for day, _ in result.stream.wip]
    return days, [FlowBand("Open cases", [float(n) for _, n in result.stream.wip])]


def case_points_from_mining(result: MiningResult) -> list[CasePoint]:
    """The mined case sample (``result.stream.sample``) as scatter points: each case's finish
    instant (UTC) and lead time in minutes on the mining time basis."""
    cases = result.stream.sample.cases
    return case_points_from_lists(
        [c.case for c in cases],
        [dt.datetime.fromisoformat(c.finish) for c in cases],
        [c.lead for c in cases],
    )


def cumulative_flow_from_mining(result: MiningResult) -> tuple[list[dt.date], list[FlowBand]]:
    """Cumulative arrivals and departures at each midnight (UTC) as mined, as the two bands of
    :func:`~opcanvas.render.charts_events.cumulative_flow_chart`: ``In progress`` (arrived, not
    yet finished) stacked on ``Finished``, so the top edge is the cumulative arrivals and the
    boundary between the bands the cumulative departures. The diagram starts from zero at
    the midnight before the first one mining reports (no case had started by then)."""
    flow = result.stream.cumulative
    if not flow:
        return [], []
    days = [dt.date.fromisoformat(d.date) for d in flow]
    days.insert(0, days[0] - dt.timedelta(days=1))
    return days, [
        FlowBand("In progress", [0.0] + [float(d.arrivals - d.departures) for d in flow]),
        FlowBand("Finished", [0.0] + [float(d.departures) for d in flow]),
    ]


def mining_calendar(result: MiningResult) -> Calendar:
    """The chart calendar for durations mined on ``result.settings.basis``: 24-hour days for
    elapsed time; for working time, days of the basis's working hours and weeks of its days."""
    basis = result.settings.basis
    if basis.kind != "working":
        return Calendar(basis="calendar")
    return Calendar(basis="working", hours_per_day=basis.hours_per_day,
                    days_per_week=len(basis.days))  # fmt: skip
