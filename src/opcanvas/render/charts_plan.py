"""Plan charts: the roadmap as a Gantt by sprint with the cumulative value curve, and KPIs as
bullet bars of actual against target.

>>> from opcanvas.render.charts_base import to_svg
>>> kpi = KpiBar("Cycle time", actual=62, target=45, unit="days", direction="lower")
>>> kpi_status(kpi)
('off target', 'lower is better: 17 days above target (37.8%)')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt

from opcanvas.errors import Location, ReportError
from opcanvas.render.charts_base import (
    CATEGORY,
    GREEN,
    GREY,
    INK,
    LIGHT,
    VERMILLION,
    WIDTH,
    check_nonempty,
    check_number,
    data,
    finish,
    layered,
    money,
    money_axis,
    nice_ceiling,
    unique_labels,
    vconcat,
)

__all__ = [
    "GanttBar",
    "KpiBar",
    "SprintSpan",
    "ValuePoint",
    "kpi_chart",
    "kpi_status",
    "roadmap_chart",
]


@dataclass(frozen=True)
class GanttBar:
    """One initiative on the roadmap: days from the roadmap start (day 0 = first day of sprint 1,
    ``end_day`` exclusive) and an optional group (engine or stream) that picks its colour."""

    label: str
    start_day: float
    end_day: float
    group: str | None = None


@dataclass(frozen=True)
class SprintSpan:
    """A sprint: its name and its days from the roadmap start (``end_day`` exclusive)."""

    name: str
    start_day: float
    end_day: float


@dataclass(frozen=True)
class ValuePoint:
    """Cumulative value realised by ``day`` (days from the roadmap start)."""

    day: float
    cumulative_value: float


def _sprint_rows(sprints: Sequence[SprintSpan], start: dt.date | None) -> list[dict[str, Any]]:
    rows = []
    for i, sprint in enumerate(sprints):
        a = check_number(sprint.start_day, f"sprints[{i}].start_day")
        b = check_number(sprint.end_day, f"sprints[{i}].end_day")
        if b <= a:
            raise ReportError(
                f"expected a sprint to end after it starts, got days {a:g} to {b:g}",
                where=Location(key=f"sprints[{i}]"),
            )
        span = f"days {a + 1:g}–{b:g}"
        if start is not None:
            first = start + dt.timedelta(days=a)
            last = start + dt.timedelta(days=b - 1)
            span = f"{first:%d %b} – {last:%d %b %Y}"
        rows.append(
            {
                "x0": a,
                "x1": b,
                "mid": (a + b) / 2,
                "shade": i % 2,
                "name": f"Sprint {i + 1}",
                "text": sprint.name,
                "span": span,
            }
        )
    return rows


def _bar_rows(bars: Sequence[GanttBar]) -> list[dict[str, Any]]:
    labels = unique_labels(bar.label for bar in bars)
    rows = []
    for i, (bar, label) in enumerate(zip(bars, labels, strict=True)):
        a = check_number(bar.start_day, f"bars[{i}].start_day")
        b = check_number(bar.end_day, f"bars[{i}].end_day")
        if b <= a:
            raise ReportError(
                f"expected an initiative to end after it starts, got days {a:g} to {b:g}",
                where=Location(key=f"bars[{i}]"),
            )
        rows.append({"label": label, "order": i, "x0": a, "x1": b, "group": bar.group or "—"})
    return rows


def roadmap_chart(
    bars: Sequence[GanttBar],
    sprints: Sequence[SprintSpan],
    value_curve: Sequence[ValuePoint] = (),
    *,
    currency: str = "USD",
    start: dt.date | None = None,
    title: str = "Transformation roadmap",
    value_title: str = "Cumulative value realised",
) -> alt.VConcatChart:
    """Initiatives as bars across the sprints, and below them the cumulative value curve.

    Both panels share the day axis; sprint bands are shaded and named at the top. ``start``
    (the first day of sprint 1) turns the band captions into calendar dates. Bars keep the
    order given; their ``group`` picks the colour.
    """
    check_nonempty(sprints, "sprint")
    sprint_rows = _sprint_rows(sprints, start)
    rows = _bar_rows(bars)
    days = [float(p.day) for p in value_curve]
    end = max([r["x1"] for r in sprint_rows] + [r["x1"] for r in rows] + days)
    x_scale = alt.Scale(domain=[0, end], nice=False)
    ticks = sorted({0.0, *(r["x1"] for r in sprint_rows)})
    groups = sorted({bar.group for bar in bars if bar.group is not None})
    panels: list[Any] = [_gantt_panel(rows, sprint_rows, groups, x_scale, ticks, not value_curve)]
    subtitle = f"{len(rows)} initiatives in {len(sprint_rows)} sprints"
    if value_curve:
        curve, final = _value_panel(value_curve, x_scale, ticks, currency, value_title)
        panels.append(curve)
        subtitle += f" · {value_title.lower()} by day {end:.0f}: {money(final, currency)}"
    return finish(
        vconcat(*panels, spacing=34),
        alt.TitleParams(title, subtitle=subtitle),
        f"{title}: {subtitle}",
        currency,
    )


def _gantt_panel(
    rows: list[dict[str, Any]],
    sprint_rows: list[dict[str, Any]],
    groups: list[str],
    x_scale: alt.Scale,
    ticks: list[float],
    axis_title: bool,
) -> alt.LayerChart:
    x = alt.X(
        "x0:Q",
        scale=x_scale,
        title="Days from the roadmap start" if axis_title else None,
        axis=alt.Axis(values=ticks, format="d", grid=False),
    )
    shade = alt.Scale(domain=[0, 1], range=["#F2F2F2", "#FFFFFF"])
    bands = (
        alt.Chart(data(sprint_rows))
        .mark_rect(opacity=0.5)
        .encode(x=x, x2=alt.X2("x1:Q"), color=alt.Color("shade:N", scale=shade, legend=None))
    )
    # three caption lines above each sprint: number, name, dates (or days)
    header = [
        alt.Chart(data(sprint_rows))
        .mark_text(
            baseline="bottom", fontSize=size, color=color, dy=dy,
            fontWeight="bold" if field == "name" else "normal",
        )
        .encode(x=alt.X("mid:Q", scale=x_scale), y=alt.YValue(0), text=alt.Text(f"{field}:N"))
        for field, size, color, dy in (
            ("name", 11, INK, -30), ("text", 10, INK, -16), ("span", 9, GREY, -3)
        )
    ]  # fmt: skip
    layers: list[Any] = [bands, *header]
    if rows:
        domain = groups or ["—"]
        palette = list(CATEGORY[: len(domain)]) if groups else [CATEGORY[0]]
        y = alt.Y(
            "label:N",
            title=None,
            axis=alt.Axis(labelLimit=230),
            sort=alt.EncodingSortField(field="order", op="min", order="ascending"),
        )
        color = alt.Color(
            "group:N",
            title=None,
            scale=alt.Scale(domain=domain, range=palette),
            legend=alt.Legend(orient="bottom") if groups else None,
        )
        layers.append(
            alt.Chart(data(rows))
            .mark_bar(height=14, cornerRadius=2)
            .encode(x=x, x2=alt.X2("x1:Q"), y=y, color=color)
        )
    # the sprint shading and the initiative groups are two different colour scales
    return layered(
        *layers,
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(color="independent")),
        width=WIDTH,
        height=max(60, 22 * len(rows)),
    )


def _value_panel(
    curve: Sequence[ValuePoint],
    x_scale: alt.Scale,
    ticks: list[float],
    currency: str,
    value_title: str,
) -> tuple[alt.LayerChart, float]:
    points = sorted(
        (
            check_number(p.day, f"value_curve[{i}].day"),
            check_number(p.cumulative_value, f"value_curve[{i}].cumulative_value", minimum=None),
        )
        for i, p in enumerate(curve)
    )
    rows = [{"day": day, "value": value, "text": money(value, currency)} for day, value in points]
    top = nice_ceiling(max(abs(v) for _, v in points) * 1.15)
    x = alt.X(
        "day:Q",
        scale=x_scale,
        title="Days from the roadmap start",
        axis=alt.Axis(values=ticks, format="d"),
    )
    y = alt.Y(
        "value:Q",
        title=f"{value_title} ({currency})",
        scale=alt.Scale(domain=[min(0.0, min(v for _, v in points)), top], nice=False),
        axis=money_axis(top, tickCount=4),
    )
    base = alt.Chart(data(rows)).encode(x=x, y=y)
    # straight lines between the points: value accrues steadily once an initiative is live
    area = base.mark_area(color=GREEN, opacity=0.18)
    line = base.mark_line(color=GREEN, strokeWidth=2)
    last = (
        alt.Chart(data(rows[-1:]))
        .mark_text(
            align="right", baseline="bottom", dy=-5, fontSize=11, fontWeight="bold", color=INK
        )
        .encode(x=x, y=y, text=alt.Text("text:N"))
    )
    return layered(area, line, last, width=WIDTH, height=140), points[-1][1]


# ---- KPIs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiBar:
    """A KPI: actual and target (and baseline) in its own unit, and which way is better."""

    label: str
    actual: float | None
    target: float | None
    unit: str | None = None
    direction: Literal["higher", "lower"] | None = None
    baseline: float | None = None


Status = Literal["on target", "off target", "not judged"]


def _difference_unit(kpi: KpiBar) -> str:
    """A ``%`` KPI holds percent as written on the canvas (104 = 104 %), so differences
    between its readings are percentage points."""
    return "pts" if kpi.unit == "%" else kpi.unit or ""


def kpi_status(kpi: KpiBar) -> tuple[Status, str]:
    """Whether the actual meets the target, read in the KPI's direction, and how far off it is.

    The distance is the difference in the KPI's unit (percentage points for ``%`` KPIs) and,
    in brackets, relative to the target: |actual − target| ÷ |target|.

    >>> kpi_status(KpiBar("NPS", actual=42, target=40, direction="higher"))
    ('on target', 'higher is better: 2 above target (5.0%)')
    >>> kpi_status(KpiBar("Win rate", actual=30, target=35, unit="%", direction="higher"))
    ('off target', 'higher is better: 5 pts below target (14.3%)')
    """
    if kpi.actual is None or kpi.target is None:
        return "not judged", "no actual" if kpi.actual is None else "no target"
    if kpi.direction is None:
        return "not judged", "direction not set (higher or lower is better)"
    met = kpi.actual >= kpi.target if kpi.direction == "higher" else kpi.actual <= kpi.target
    side = "above" if kpi.actual > kpi.target else "below" if kpi.actual < kpi.target else "at"
    unit = _difference_unit(kpi)
    distance = f"{abs(kpi.actual - kpi.target):.3g}{' ' + unit if unit else ''} {side} target"
    if side == "at":
        distance = "at target"
    elif kpi.target != 0:
        distance += f" ({abs(kpi.actual - kpi.target) / abs(kpi.target) * 100:.1f}%)"
    return ("on target" if met else "off target"), f"{kpi.direction} is better: {distance}"


ROW_HEIGHT = 22


def _kpi_row(kpi: KpiBar, label: str, index: int) -> alt.LayerChart:
    shown = {
        name: None if v is None else check_number(v, f"kpis[{index}].{name}", minimum=None)
        for name, v in (("actual", kpi.actual), ("target", kpi.target), ("baseline", kpi.baseline))
    }
    values = [v for v in shown.values() if v is not None]
    status, detail = kpi_status(kpi)
    low = min([0.0, *values])
    high = nice_ceiling(max([0.0, *values]) * 1.1) if max([0.0, *values]) > 0 else 1.0
    unit = f" ({kpi.unit})" if kpi.unit else ""
    row = {
        "label": f"{label}{unit}", **shown, "status": status,
        "detail": f"{status} · {detail}", "low": low, "high": high,
    }  # fmt: skip
    x_scale = alt.Scale(domain=[low, high], nice=False)
    base = alt.Chart(data([row]))
    axis = alt.Axis(tickCount=5, labelFlush=True, format=",~f")
    layers: list[Any] = [
        base.mark_bar(color="#EEEEEE", height=ROW_HEIGHT).encode(
            x=alt.X("low:Q", scale=x_scale, title=None, axis=axis), x2=alt.X2("high:Q")
        ),
        # two caption lines above the bar: the KPI, then its judgement
        base.mark_text(
            align="left", baseline="bottom", fontSize=11, fontWeight="bold", color=INK,
            limit=WIDTH,
        ).encode(x=alt.XValue(0), y=alt.YValue(-20), text=alt.Text("label:N")),
        base.mark_text(
            align="left", baseline="bottom", fontSize=10, color=INK, limit=WIDTH
        ).encode(x=alt.XValue(0), y=alt.YValue(-5), text=alt.Text("detail:N")),
    ]  # fmt: skip
    if kpi.baseline is not None:
        layers.append(base.mark_bar(color=LIGHT, height=ROW_HEIGHT).encode(x=alt.X("baseline:Q")))
    if kpi.actual is not None:
        layers.append(
            base.mark_bar(height=10).encode(
                x=alt.X("actual:Q"),
                color=alt.Color(
                    "status:N",
                    legend=None,
                    scale=alt.Scale(
                        domain=["on target", "off target", "not judged"],
                        range=[GREEN, VERMILLION, GREY],
                    ),
                ),
            )
        )
    if kpi.target is not None:
        layers.append(
            base.mark_tick(color=INK, thickness=3, size=26, opacity=1).encode(x=alt.X("target:Q"))
        )
    return layered(*layers, width=WIDTH, height=ROW_HEIGHT)


def kpi_chart(
    kpis: Sequence[KpiBar], *, title: str = "KPIs: actual against target"
) -> alt.VConcatChart:
    """One bullet bar per KPI, each on its own scale: the actual as a bar coloured by whether
    it meets the target in the KPI's direction, the target as a black tick, the baseline (when
    given) as a grey band. A KPI without a direction is drawn grey and not judged. A KPI
    whose unit is ``%`` holds percent as written (30 = 30 %).
    """
    check_nonempty(kpis, "KPI")
    labels = unique_labels(kpi.label for kpi in kpis)
    rows = [
        _kpi_row(kpi, label, i) for i, (kpi, label) in enumerate(zip(kpis, labels, strict=True))
    ]
    judged = [kpi_status(kpi)[0] for kpi in kpis]
    subtitle = (
        f"{judged.count('on target')} on target, {judged.count('off target')} off target, "
        f"{judged.count('not judged')} not judged · bar: actual · black tick: target · "
        "grey band: baseline"
    )
    return finish(
        vconcat(*rows, spacing=52),
        alt.TitleParams(title, subtitle=subtitle, offset=36),
        f"{title}: {subtitle}",
    )
