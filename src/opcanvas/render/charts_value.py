"""Value charts: the Pareto of gap values and the priority matrix (value, feasibility, cost).

Inputs are plain dataclasses defined here; money is in the canvas currency, passed as
``currency`` (``"USD"`` prints ``$1.44M``, other codes print ``EUR 720K``).

>>> from opcanvas.render.charts_base import to_svg
>>> rows = pareto_rows([ValueItem("A", 600), ValueItem("B", 300), ValueItem("C", 100)])
>>> [row.cumulative_share for row in rows]
[0.6, 0.9, 1.0]
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import altair as alt

from opcanvas.errors import ReportError
from opcanvas.render.charts_base import (
    BLUE,
    FINANCE_LABELS,
    GREY,
    HEIGHT,
    INK,
    ORANGE,
    WIDTH,
    check_nonempty,
    check_number,
    data,
    finish,
    hconcat,
    layered,
    money,
    money_axis,
    nice_ceiling,
    unique_labels,
)

__all__ = [
    "ParetoRow",
    "PriorityPoint",
    "ValueItem",
    "pareto_chart",
    "pareto_rows",
    "priority_matrix_chart",
]


@dataclass(frozen=True)
class ValueItem:
    """A labelled amount of money, e.g. one gap's annual value."""

    label: str
    value: float


@dataclass(frozen=True)
class ParetoRow:
    """One bar of a Pareto chart: rank, value and the running total as amount and share."""

    rank: int
    label: str
    value: float
    cumulative: float
    cumulative_share: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def pareto_rows(items: Sequence[ValueItem]) -> list[ParetoRow]:
    """Items by value, highest first (ties by label), with cumulative totals and shares.

    The share is of the total of all items; with a total of zero every share is zero.
    """
    check_nonempty(items, "value")
    values = [check_number(item.value, f"items[{i}].value") for i, item in enumerate(items)]
    labels = unique_labels(item.label for item in items)
    ordered = sorted(zip(values, labels, strict=True), key=lambda pair: (-pair[0], pair[1]))
    total = math.fsum(values)
    rows, running = [], 0.0
    for rank, (value, label) in enumerate(ordered, start=1):
        running += value
        share = running / total if total > 0 else 0.0
        rows.append(ParetoRow(rank, label, value, running, share))
    return rows


def pareto_share_text(share: float) -> str:
    """The cumulative share as printed on the chart: whole percent."""
    return f"{share * 100:.0f}%"


def pareto_chart(
    items: Sequence[ValueItem],
    *,
    currency: str = "USD",
    title: str = "Pareto of gap values",
    value_title: str = "Annual value",
) -> alt.LayerChart:
    """Bars of value, highest first, and the cumulative share as a line on a 0–100 % axis.

    A dashed rule marks 80 % (the Pareto principle's reference, not a target).
    """
    rows = pareto_rows(items)
    total = rows[-1].cumulative
    points = [
        {
            **row.to_dict(),
            "money": money(row.value, currency),
            "share_text": pareto_share_text(row.cumulative_share),
        }
        for row in rows
    ]
    x = alt.X(
        "label:N",
        sort=alt.EncodingSortField(field="rank", op="min", order="ascending"),
        title=None,
        axis=alt.Axis(labelAngle=-35, labelLimit=150, labelAlign="right", labelOverlap=False),
    )
    base = alt.Chart(data(points)).encode(x=x)
    top = nice_ceiling(rows[0].value * 1.15)
    value_scale = alt.Scale(domain=[0, top], nice=False)
    bars = base.mark_bar(color=BLUE, width={"band": 0.7}).encode(
        y=alt.Y(
            "value:Q",
            title=f"{value_title} ({currency})",
            scale=value_scale,
            axis=money_axis(top),
        )
    )
    bar_text = base.mark_text(dy=-4, fontSize=10, color=INK, baseline="bottom").encode(
        y=alt.Y("value:Q", scale=value_scale), text=alt.Text("money:N")
    )
    share_scale = alt.Scale(domain=[0, 1.2], nice=False)
    share_y = alt.Y(
        "cumulative_share:Q",
        title="Cumulative share of total (%)",
        scale=share_scale,
        axis=alt.Axis(format=".0%", orient="right", values=[0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    )
    line = base.mark_line(color=ORANGE, strokeWidth=2, point=alt.OverlayMarkDef(color=ORANGE))
    line = line.encode(y=share_y)
    # the shares print in a row along the top, where no bar can sit under them
    share_text = (
        base.transform_calculate(row="1.15")
        .mark_text(fontSize=10, color=ORANGE, fontWeight="bold", baseline="middle")
        .encode(y=alt.Y("row:Q", scale=share_scale), text=alt.Text("share_text:N"))
    )
    eighty = (
        alt.Chart(data([{"cumulative_share": 0.8}]))
        .mark_rule(color=GREY, strokeDash=[4, 4])
        .encode(y=alt.Y("cumulative_share:Q", scale=share_scale))
    )
    subtitle = (
        f"{len(rows)} items, total {money(total, currency)} · bars: {value_title.lower()}, "
        "line and top row: cumulative share · dashed: 80 %"
    )
    chart = layered(
        layered(bars, bar_text),
        layered(line, eighty, share_text),
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent")),
    )
    return finish(
        chart,
        alt.TitleParams(title, subtitle=subtitle),
        f"{title}: {subtitle}",
        currency,
        width=max(WIDTH, 48 * len(rows)),
        height=HEIGHT,
    )


# ---- priority matrix --------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityPoint:
    """A gap on the matrix: annual value, feasibility score (1–5), implementation cost, rank."""

    label: str
    annual_value: float
    feasibility: float
    cost: float | None = None
    rank: int | None = None


QUADRANTS = ("Quick wins", "Strategic bets", "Fill-ins", "Deprioritise")


def _matrix_rows(points: Sequence[PriorityPoint], currency: str) -> list[dict[str, Any]]:
    labels = unique_labels(p.label for p in points)
    rows: list[dict[str, Any]] = []
    for i, (p, label) in enumerate(zip(points, labels, strict=True)):
        value = check_number(p.annual_value, f"points[{i}].annual_value")
        feasibility = check_number(p.feasibility, f"points[{i}].feasibility", minimum=1)
        if feasibility > 5:
            raise ReportError(f"expected a feasibility score from 1 to 5, got {feasibility:g}")
        cost = None if p.cost is None else check_number(p.cost, f"points[{i}].cost")
        rank = p.rank if p.rank is not None else i + 1
        rows.append(
            {
                "label": label,
                "value": value,
                "feasibility": feasibility,
                "x": feasibility,
                "cost": cost if cost is not None else 0.0,
                "has_cost": cost is not None,
                "rank": rank,
                "number": str(rank),
                "money": money(value, currency),
                "cost_text": money(cost, currency) if cost is not None else "no cost given",
            }
        )
    rows.sort(key=lambda r: (r["rank"], r["label"]))
    # Feasibility is a 1–5 score, so gaps share columns: spread each column's bubbles apart
    columns: dict[float, list[dict[str, Any]]] = {}
    for row in rows:
        columns.setdefault(row["feasibility"], []).append(row)
    for column in columns.values():
        column.sort(key=lambda r: (r["value"], r["rank"]))
        for k, row in enumerate(column):
            if len(column) > 1:
                row["x"] = row["feasibility"] - 0.25 + 0.5 * k / (len(column) - 1)
    for position, row in enumerate(rows):
        row["position"] = position
    return rows


def priority_matrix_chart(
    points: Sequence[PriorityPoint],
    *,
    currency: str = "USD",
    title: str = "Priority matrix",
) -> alt.HConcatChart:
    """Annual value (y) against feasibility (x, 1–5), bubble area by implementation cost.

    Each bubble carries its rank; the key beside the matrix names it. Dashed lines split the
    plane at feasibility 3 (mid-scale) and at the median value, and the quadrants carry their
    usual names. Gaps sharing a feasibility score are spread sideways within ±0.25 so they stay
    apart. The value axis is logarithmic when values span more than 20×, and says so.
    """
    check_nonempty(points, "gap")
    rows = _matrix_rows(points, currency)
    values = [r["value"] for r in rows]
    positive = [v for v in values if v > 0]
    log = bool(positive) and len(positive) == len(values) and max(values) / min(values) > 20
    top = nice_ceiling(max(values) * 1.15)
    bottom = 10 ** math.floor(math.log10(min(values))) if log else 0.0
    median = statistics.median(values)
    y_scale = alt.Scale(type="log" if log else "linear", domain=[bottom, top], nice=False)
    x_scale = alt.Scale(domain=[0.5, 5.5], nice=False)
    x = alt.X(
        "x:Q",
        title="Feasibility (1 = hard, 5 = easy)",
        scale=x_scale,
        axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d", grid=False),
    )
    y = alt.Y(
        "value:Q",
        title=f"Annual value ({currency}{', log scale' if log else ''})",
        scale=y_scale,
        axis=money_axis(top),
    )
    largest = nice_ceiling(max([r["cost"] for r in rows] + [1.0]))
    bubbles = (
        alt.Chart(data(rows))
        .mark_circle(opacity=0.8, stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            size=alt.Size(
                "cost:Q",
                title=f"Implementation cost ({currency})",
                scale=alt.Scale(domain=[0, largest], range=[260, 2200]),
                legend=alt.Legend(
                    values=[largest / 4, largest / 2, largest],
                    format="$.3~s",
                    labelExpr=FINANCE_LABELS,
                ),
            ),
            # the legend's symbols take the fallback colour, so blue is the fallback
            color=alt.ColorValue(BLUE, condition={"test": "!datum.has_cost", "value": GREY}),
        )
    )
    numbers = (
        alt.Chart(data(rows))
        .mark_text(fontSize=10, fontWeight="bold", color="white", baseline="middle")
        .encode(x=x, y=y, text=alt.Text("number:N"))
    )
    guides = _quadrant_guides(median, x_scale, y_scale, (bottom, top))
    matrix = layered(guides, bubbles, numbers, width=WIDTH - 120, height=HEIGHT)
    subtitle = [
        f"Bubble area: implementation cost (grey: no cost given) · dashed lines: feasibility 3 "
        f"and the median value ({money(median, currency)})",
    ]
    return finish(
        hconcat(matrix, _matrix_key(rows), spacing=16),
        alt.TitleParams(title, subtitle=subtitle),
        f"{title}: {subtitle[0]}",
        currency,
    )


def _matrix_key(rows: list[dict[str, Any]]) -> alt.LayerChart:
    """The matrix's key: rank, gap and annual value, one line each, in rank order."""
    height = max(HEIGHT, 16 * len(rows))
    y = alt.Y(
        "position:Q",
        axis=None,
        scale=alt.Scale(domain=[-0.5, max(len(rows), HEIGHT / 16) - 0.5], reverse=True, nice=False),
    )
    base = alt.Chart(data(rows)).encode(y=y)
    number = base.mark_text(align="right", fontWeight="bold", fontSize=10, color=INK).encode(
        x=alt.XValue(14), text=alt.Text("number:N")
    )
    label = base.mark_text(align="left", fontSize=10, color=INK, limit=250).encode(
        x=alt.XValue(20), text=alt.Text("label:N")
    )
    value = base.mark_text(align="right", fontSize=10, color=INK).encode(
        x=alt.XValue(330), text=alt.Text("money:N")
    )
    return layered(number, label, value, width=330, height=height)


def _quadrant_guides(
    median: float, x_scale: alt.Scale, y_scale: alt.Scale, y_range: tuple[float, float]
) -> alt.LayerChart:
    rule_x = (
        alt.Chart(data([{"x": 3}]))
        .mark_rule(color=GREY, strokeDash=[4, 4])
        .encode(x=alt.X("x:Q", scale=x_scale))
    )
    rule_y = (
        alt.Chart(data([{"v": median}]))
        .mark_rule(color=GREY, strokeDash=[4, 4])
        .encode(y=alt.Y("v:Q", scale=y_scale))
    )
    low, high = y_range
    corners = [
        {"q": QUADRANTS[0], "x": 5.45, "y": high, "align": "right", "baseline": "top"},
        {"q": QUADRANTS[1], "x": 0.55, "y": high, "align": "left", "baseline": "top"},
        {"q": QUADRANTS[2], "x": 5.45, "y": low, "align": "right", "baseline": "bottom"},
        {"q": QUADRANTS[3], "x": 0.55, "y": low, "align": "left", "baseline": "bottom"},
    ]
    texts = [
        alt.Chart(data([c for c in corners if (c["align"], c["baseline"]) == (align, baseline)]))
        .mark_text(
            align=align,
            baseline=baseline,
            dy=4 if baseline == "top" else -4,
            fontSize=11,
            color=GREY,
            fontStyle="italic",
        )
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text=alt.Text("q:N"))
        for align in ("left", "right")
        for baseline in ("top", "bottom")
    ]
    return layered(rule_x, rule_y, *texts)
