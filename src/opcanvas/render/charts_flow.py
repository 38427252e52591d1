"""The lead-time build-up of a value stream: wait and process time per step, as a waterfall.

Durations are **minutes**; the chart draws them in the unit that reads best on the canvas
calendar and says which (working days of 8 h, calendar days, hours). Render the chart with
:func:`~opcanvas.render.charts_base.to_svg` or ``to_png``.

>>> from opcanvas.render.charts_base import to_svg
>>> chart = lead_time_chart([StepTime("Intake", 30, 240), StepTime("Review", 60, 960)])
>>> "Lead time" in to_svg(chart)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt

from opcanvas.canvas.quantities import Calendar, format_percent
from opcanvas.render.charts_base import (
    BLUE,
    INK,
    ORANGE,
    WIDTH,
    TimeUnit,
    check_nonempty,
    check_number,
    data,
    finish,
    format_in,
    layered,
    time_unit,
    unique_labels,
)

__all__ = ["StepTime", "StreamTotals", "lead_time_chart"]

Source = Literal["measured", "estimate"]
WAIT, PROCESS = "Wait time", "Process time"


@dataclass(frozen=True)
class StepTime:
    """One step of a stream, in flow order: its wait (queue) and process (hands-on) minutes.

    ``None`` is an unknown time: it adds nothing to the build-up and the row says so.
    """

    label: str
    process_minutes: float | None
    wait_minutes: float | None
    source: Source | None = None


@dataclass(frozen=True)
class StreamTotals:
    """The stream's own lead and process time, as flow analysis computed them (minutes).

    Give them when the stream's lead time is not simply the sum of the steps drawn, e.g. a
    critical path through parallel branches or expected times over decision branches.
    """

    lead_minutes: float
    process_minutes: float


def _minutes(value: float | None, key: str) -> float:
    return 0.0 if value is None else check_number(value, key)


def _row_text(step: StepTime, minutes: float, unit: TimeUnit) -> str:
    unknown = [
        name
        for name, v in (("wait", step.wait_minutes), ("process", step.process_minutes))
        if v is None
    ]
    if len(unknown) == 2:
        return "times unknown"
    suffix = f" ({unknown[0]} time unknown)" if unknown else ""
    return format_in(minutes, unit) + suffix


def _build_up_rows(steps: Sequence[StepTime], unit: TimeUnit) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    start = 0.0
    labels = unique_labels(step.label for step in steps)
    for order, (step, label) in enumerate(zip(steps, labels, strict=True)):
        wait = _minutes(step.wait_minutes, f"steps[{order}].wait_minutes")
        process = _minutes(step.process_minutes, f"steps[{order}].process_minutes")
        source = {"measured": "measured", "estimate": "estimate"}.get(step.source or "")
        row = {"order": order, "step": label, "source": source or "not stated"}
        rows += [
            {**row, "part": WAIT, "x0": start / unit.minutes, "x1": (start + wait) / unit.minutes},
            {**row, "part": PROCESS, "x0": (start + wait) / unit.minutes,
             "x1": (start + wait + process) / unit.minutes},
            {**row, "part": "label", "x0": start / unit.minutes,
             "x1": (start + wait + process) / unit.minutes,
             "text": _row_text(step, wait + process, unit)},
        ]  # fmt: skip
        start += wait + process
    return rows


def lead_time_chart(
    steps: Sequence[StepTime],
    *,
    totals: StreamTotals | None = None,
    title: str = "Lead-time build-up",
    calendar: Calendar | None = None,
    unit: str | None = None,
) -> alt.LayerChart:
    """A horizontal waterfall: each step's wait then process time, along elapsed time.

    The last row is the whole stream, wait then process, with the flow efficiency (process ÷
    lead time) in the subtitle. Without ``totals`` the stream's lead time is the sum of the
    steps shown; with ``totals`` it is the given one, and the subtitle also gives the steps'
    sum when it differs. Steps with a ``source`` are outlined: solid when measured, dashed
    when estimated.

    >>> from opcanvas.render.charts_base import to_svg
    >>> chart = lead_time_chart([StepTime("Quote", 360, 1440)], unit="d")
    >>> "working days of 8 h" in to_svg(chart)
    True
    """
    check_nonempty(steps, "step")
    calendar = calendar or Calendar()
    summed = sum(
        _minutes(s.wait_minutes, f"steps[{i}].wait_minutes")
        + _minutes(s.process_minutes, f"steps[{i}].process_minutes")
        for i, s in enumerate(steps)
    )
    if totals is None:
        process = sum(_minutes(s.process_minutes, "") for s in steps)
        lead, name = summed, "Lead time (sum of steps)"
    else:
        lead = check_number(totals.lead_minutes, "totals.lead_minutes")
        process = min(check_number(totals.process_minutes, "totals.process_minutes"), lead)
        name = "Lead time (stream)"
    wait = lead - process
    tu = time_unit(max(lead, summed), calendar, unit)
    rows = _build_up_rows(steps, tu)
    total = {"order": len(steps), "step": name, "source": "total"}
    rows += [
        {**total, "part": WAIT, "x0": 0.0, "x1": wait / tu.minutes},
        {**total, "part": PROCESS, "x0": wait / tu.minutes, "x1": lead / tu.minutes},
        {**total, "part": "label", "x0": 0.0, "x1": lead / tu.minutes, "text": format_in(lead, tu)},
    ]
    subtitle = [
        f"Lead time {format_in(lead, tu)} = wait {format_in(wait, tu)} + process "
        f"{format_in(process, tu)} · flow efficiency "
        f"{format_percent(process / lead if lead > 0 else 0.0)}"
    ]
    if totals is not None and abs(summed - lead) > 0.005 * max(lead, 1e-9):
        subtitle.append(f"The steps shown add up to {format_in(summed, tu)}")
    unknown = sum(1 for s in steps if s.wait_minutes is None or s.process_minutes is None)
    if unknown:
        subtitle.append(f"{unknown} step(s) with an unknown time add nothing to the build-up")
    base = alt.Chart(data(rows)).encode(
        y=alt.Y(
            "step:N",
            sort=alt.EncodingSortField(field="order", op="min", order="ascending"),
            title=None,
            axis=alt.Axis(labelLimit=240),
        )
    )
    bars = (
        base.transform_filter(alt.datum.part != "label")
        .mark_bar(height=16)
        .encode(
            x=alt.X("x0:Q", title=f"Elapsed time ({tu.title})"),
            x2=alt.X2("x1:Q"),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(domain=[WAIT, PROCESS], range=[ORANGE, BLUE]),
            ),
            **_source_encoding(steps),
        )
    )
    labels = (
        base.transform_filter(alt.datum.part == "label")
        .mark_text(align="left", dx=4, fontSize=11, color=INK)
        .encode(x=alt.X("x1:Q"), text=alt.Text("text:N"))
    )
    return finish(
        layered(bars, labels),
        alt.TitleParams(title, subtitle=subtitle),
        f"{title}: {' '.join(subtitle)}",
        width=WIDTH,
        height=max(90, 26 * (len(steps) + 1)),
    )


def _source_encoding(steps: Sequence[StepTime]) -> dict[str, Any]:
    if all(step.source is None for step in steps):
        return {}
    domain = ["measured", "estimate", "not stated", "total"]
    return {
        "strokeDash": alt.StrokeDash(
            "source:N",
            title="Source",
            scale=alt.Scale(domain=domain, range=[[1, 0], [4, 2], [1, 0], [1, 0]]),
            legend=alt.Legend(
                values=["measured", "estimate"], symbolFillColor="white", symbolStrokeColor=INK
            ),
        ),
        "stroke": alt.StrokeValue(INK),
        "strokeWidth": alt.StrokeWidthValue(1),
    }
