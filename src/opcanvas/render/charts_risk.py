"""Uncertainty charts: the Monte Carlo distribution of a gap's annual value, and its tornado.

Money is in the canvas currency, passed as ``currency``.

>>> from opcanvas.render.charts_base import to_svg
>>> bars = [SwingBar("improvement", 1.08e6, 1.62e6, "at 60%", "at 90%")]
>>> "at 60%: $1.08M" in to_svg(tornado_chart(bars, 1.44e6))
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np

from opcanvas.errors import ReportError
from opcanvas.render.charts_base import (
    BLUE,
    HEIGHT,
    INK,
    ORANGE,
    SKY,
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
)
from opcanvas.render.text import fit, text_width

__all__ = ["SwingBar", "tornado_chart", "value_distribution_chart"]


# ---- Monte Carlo ------------------------------------------------------------------------------


def value_distribution_chart(
    samples: Sequence[float],
    *,
    currency: str = "USD",
    title: str = "Annual value: Monte Carlo distribution",
    bins: int = 40,
    percentiles: tuple[float, float, float] | None = None,
    point_value: float | None = None,
) -> alt.LayerChart:
    """A histogram of simulated annual values with rules at the P10, P50 and P90.

    ``percentiles`` (P10, P50, P90) are computed from ``samples`` with NumPy's default
    (linear) method unless given, so the chart can show the very numbers a report prints.
    ``point_value`` adds a rule at the point estimate.
    """
    check_nonempty(samples, "sample")
    array = np.asarray(samples, dtype=float)
    if not np.all(np.isfinite(array)):
        raise ReportError("expected finite Monte Carlo samples, got NaN or infinity")
    if percentiles is None:
        p = np.percentile(array, [10, 50, 90])
        percentiles = (float(p[0]), float(p[1]), float(p[2]))
    counts, edges = np.histogram(array, bins=bins)
    bars = [
        {"x0": float(edges[i]), "x1": float(edges[i + 1]), "n": int(counts[i]), "zero": 0}
        for i in range(len(counts))
    ]
    top = nice_ceiling(float(counts.max()) * 1.35)
    y_scale = alt.Scale(domain=[0, top], nice=False)
    marks = [("P10", percentiles[0]), ("P50", percentiles[1]), ("P90", percentiles[2])]
    if point_value is not None:
        marks.append(("Point", check_number(point_value, "point_value", minimum=None)))
    # left of the median, labels sit left of their line; rows step down in order of value
    by_value = sorted(range(len(marks)), key=lambda k: (marks[k][1], k))
    rules = [
        {
            "name": name,
            "x": x,
            "text": f"{name} {money(x, currency)}",
            "y": top * (0.97 - 0.08 * by_value.index(k)),
            "left": x < percentiles[1],
        }
        for k, (name, x) in enumerate(marks)
    ]
    span = max(abs(float(edges[0])), abs(float(edges[-1])))
    hist = (
        alt.Chart(data(bars))
        .mark_bar(color=SKY, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "x0:Q",
                title=f"Annual value ({currency})",
                axis=money_axis(span, tickCount=5),
                scale=alt.Scale(zero=False),
            ),
            x2=alt.X2("x1:Q"),
            y=alt.Y("n:Q", title="Simulations", scale=y_scale),
            y2=alt.Y2("zero:Q"),
        )
    )
    rule_base = alt.Chart(data(rules))
    rule = rule_base.mark_rule(strokeWidth=1.5, strokeDash=[5, 3]).encode(
        x=alt.X("x:Q"),
        color=alt.Color(
            "name:N",
            legend=None,
            scale=alt.Scale(
                domain=["P10", "P50", "P90", "Point"], range=[VERMILLION, INK, VERMILLION, BLUE]
            ),
        ),
    )
    # each label twice: a white outline first (a halo over the rules it crosses), then the text
    text = [
        alt.Chart(data([r for r in rules if r["left"] == left]))
        .mark_text(
            align="right" if left else "left", dx=-4 if left else 4, fontSize=11, color=INK,
            aria=not halo, stroke="white" if halo else alt.Undefined,
            strokeWidth=4 if halo else alt.Undefined,
        )
        .encode(x=alt.X("x:Q"), y=alt.Y("y:Q", scale=y_scale), text=alt.Text("text:N"))
        for halo in (True, False)
        for left in (True, False)
    ]  # fmt: skip
    subtitle = (
        f"{array.size:,} simulations · P10 {money(percentiles[0], currency)}, "
        f"P50 {money(percentiles[1], currency)}, P90 {money(percentiles[2], currency)}"
    )
    return finish(
        layered(hist, rule, *text),
        alt.TitleParams(title, subtitle=subtitle),
        f"{title}: {subtitle}",
        currency,
        width=WIDTH,
        height=HEIGHT,
    )


# ---- tornado ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SwingBar:
    """One driver of a tornado: the output with the driver at its low and at its high end.

    ``low_text``/``high_text`` describe the driver's two ends (e.g. ``"60%"``, ``"90%"``); a
    ``None`` value means that end could not be evaluated (a division by zero) and is not drawn.
    """

    label: str
    value_at_low: float | None
    value_at_high: float | None
    low_text: str = "low"
    high_text: str = "high"

    @property
    def swing(self) -> float:
        if self.value_at_low is None or self.value_at_high is None:
            return 0.0
        return abs(self.value_at_high - self.value_at_low)


LABEL_FONT = 10  # value labels beside the bars
NAME_FONT = 11  # driver names in the left axis
NAME_WIDTH = 170  # px: longer driver names wrap onto more lines


def _wrapped(label: str) -> str:
    """A driver name in lines of at most :data:`NAME_WIDTH` px (Vega splits them again)."""
    return "\n".join(fit(label, NAME_WIDTH, NAME_FONT, max_lines=12).lines) or label


def _end_labels(
    ordered: Sequence[tuple[SwingBar, str]], base: float, currency: str
) -> list[dict[str, Any]]:
    """One label per driver and side of the point value, at the bar's far end; two ends on one
    side (a driver whose low and high both raise the value) share the label at the farther."""
    sides: dict[tuple[int, bool], list[tuple[float, str]]] = {}
    for order, (bar, _) in enumerate(ordered):
        for value, text in ((bar.value_at_low, bar.low_text), (bar.value_at_high, bar.high_text)):
            if value is not None:
                sides.setdefault((order, value >= base), []).append(
                    (value, f"{text}: {money(value, currency)}")
                )
    labels = []
    for (order, right), ends in sorted(sides.items()):
        far = max(ends)[0] if right else min(ends)[0]
        text = " · ".join(t for _, t in ends)  # low end first
        label = ordered[order][1]
        labels.append({"label": label, "order": order, "x": far, "right": right, "text": text})
    return labels


def tornado_chart(
    bars: Sequence[SwingBar],
    base_value: float,
    *,
    currency: str = "USD",
    title: str = "What moves the annual value",
) -> alt.LayerChart:
    """One bar per driver from the point value to the value at the driver's low and high ends,
    widest swing on top (ties by label); the other drivers stay at their point values.

    Driver names sit in the left axis (wrapped, never clipped by the plot); each value label
    sits outside its bar on the far side, and the x domain leaves room for the longest label
    on each side, so labels overlap neither the names nor the bars.
    """
    check_nonempty(bars, "driver")
    base = check_number(base_value, "base_value", minimum=None)
    labels = [_wrapped(label) for label in unique_labels(bar.label for bar in bars)]
    ordered = sorted(zip(bars, labels, strict=True), key=lambda pair: (-pair[0].swing, pair[1]))
    rows: list[dict[str, Any]] = []
    for order, (bar, label) in enumerate(ordered):
        for end, value in (
            ("Driver at its low end", bar.value_at_low),
            ("Driver at its high end", bar.value_at_high),
        ):
            if value is None:
                continue
            value = check_number(value, f"bars[{order}].{end}", minimum=None)
            rows.append({"label": label, "order": order, "end": end, "x0": base, "x1": value})
    ends = _end_labels(ordered, base, currency)
    y = alt.Y(
        "label:N",
        sort=alt.EncodingSortField(field="order", op="min", order="ascending"),
        title=None,
        # constant expressions only: the names travel as data (see charts_base)
        axis=alt.Axis(
            labelExpr="split(datum.label, '\\n')",
            labelLimit=NAME_WIDTH + 10,
            labelLineHeight=NAME_FONT + 2,
            labelFontSize=NAME_FONT,
        ),
    )
    span = max([abs(base)] + [abs(e["x"]) for e in ends])
    domain = _domain(base, ends)
    chart_bars = (
        alt.Chart(data(rows))
        .mark_bar(height=18)
        .encode(
            y=y,
            x=alt.X(
                "x0:Q",
                title=f"Annual value ({currency})",
                axis=money_axis(span, tickCount=5),
                scale=alt.Scale(domain=domain, nice=False, zero=False),
            ),
            x2=alt.X2("x1:Q"),
            color=alt.Color(
                "end:N",
                title=None,
                scale=alt.Scale(
                    domain=["Driver at its low end", "Driver at its high end"], range=[ORANGE, BLUE]
                ),
            ),
        )
    )
    texts = [
        alt.Chart(data([e for e in ends if e["right"] == right]))
        .mark_text(
            align="left" if right else "right", dx=4 if right else -4, fontSize=LABEL_FONT,
            color=INK,
        )
        .encode(y=y, x=alt.X("x:Q"), text=alt.Text("text:N"))
        for right in (False, True)
    ]  # fmt: skip
    rule = (
        alt.Chart(data([{"x": base}])).mark_rule(color=INK, strokeWidth=1.5).encode(x=alt.X("x:Q"))
    )
    subtitle = f"Point value {money(base, currency)} (line); one driver moved at a time"
    lines = max(label.count("\n") + 1 for label in labels)
    return finish(
        layered(chart_bars, rule, *texts),
        alt.TitleParams(title, subtitle=subtitle),
        f"{title}: {subtitle}",
        currency,
        width=WIDTH,
        height=max(80, max(34, 13 * lines + 10) * len(ordered)),
    )


def _domain(base: float, ends: Sequence[dict[str, Any]]) -> list[float]:
    """The x domain: the bars' extent plus, on each side, the pixels its longest label needs
    (converted at the scale the bars end up drawn at)."""
    low = min([base] + [e["x"] for e in ends])
    high = max([base] + [e["x"] for e in ends])
    left = max([text_width(e["text"], LABEL_FONT) + 14 for e in ends if not e["right"]], default=8)
    right = max([text_width(e["text"], LABEL_FONT) + 14 for e in ends if e["right"]], default=8)
    # the bars keep at least 40 % of the width, however long the labels
    bar_px = max(WIDTH - left - right, 0.4 * WIDTH)
    extent = high - low if high > low else max(0.1 * abs(base), 1.0)
    per_px = extent / bar_px
    return [low - left * per_px, high + right * per_px]
