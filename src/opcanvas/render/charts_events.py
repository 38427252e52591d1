"""Charts from event data: the cycle-time scatter with percentile lines, and the cumulative
flow diagram.

Lead times are **minutes**; timestamps are ``datetime`` (time-zone aware ones are converted to
UTC, naive ones are taken as UTC) or ``date``. Axes are drawn in UTC so the output does not
depend on the machine's time zone.

>>> from opcanvas.render.charts_base import to_svg
>>> import datetime as dt
>>> cases = [CasePoint("a", dt.date(2024, 1, 2), 1440), CasePoint("b", dt.date(2024, 1, 3), 2880)]
>>> "P50 1.5d" in to_svg(cycle_time_scatter(cases))
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np

from opcanvas.canvas.quantities import Calendar
from opcanvas.errors import Location, ReportError
from opcanvas.render.charts_base import (
    BLUE,
    CATEGORY,
    GREY,
    HEIGHT,
    VERMILLION,
    WIDTH,
    check_nonempty,
    check_number,
    data,
    finish,
    format_short,
    layered,
    nice_ceiling,
    spread_labels,
    time_unit,
    unique_labels,
)

__all__ = [
    "CasePoint",
    "FlowBand",
    "PercentileLine",
    "arrivals_departures",
    "cumulative_flow_chart",
    "cycle_time_scatter",
    "percentile_lines",
]


@dataclass(frozen=True)
class CasePoint:
    """One finished case: when it ended and its lead time (start to end) in minutes."""

    case_id: str
    end: dt.datetime | dt.date
    lead_minutes: float


@dataclass(frozen=True)
class PercentileLine:
    """A percentile of lead time: ``85`` → the time 85 % of cases finished within."""

    percentile: float
    minutes: float

    def to_dict(self) -> dict[str, float]:
        return {"percentile": self.percentile, "minutes": self.minutes}


def percentile_lines(
    lead_minutes: Sequence[float],
    percentiles: Sequence[float] = (50, 85, 95),
    method: str = "linear",
) -> list[PercentileLine]:
    """Percentiles of lead times with NumPy's ``method`` (``linear`` = Hyndman–Fan type 7).

    >>> [line.minutes for line in percentile_lines([10, 20, 30, 40], (50, 85))]
    [25.0, 35.5]
    """
    check_nonempty(lead_minutes, "lead time")
    values = np.asarray(lead_minutes, dtype=float)
    result = []
    for p in percentiles:
        if not 0 <= p <= 100:
            raise ReportError(f"expected a percentile from 0 to 100, got {p!r}")
        minutes = float(np.percentile(values, p, method=method))  # type: ignore[call-overload]
        result.append(PercentileLine(float(p), minutes))
    return result


def _iso(moment: dt.datetime | dt.date, key: str) -> str:
    """An ISO instant in UTC; naive datetimes and dates are taken to be UTC already."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return moment.isoformat(timespec="seconds") + "Z"
    if isinstance(moment, dt.date):
        return moment.isoformat() + "T00:00:00Z"
    raise ReportError(f"expected a date or datetime, got {moment!r}", where=Location(key=key))


def cycle_time_scatter(
    cases: Sequence[CasePoint],
    *,
    title: str = "Cycle time by completion date",
    calendar: Calendar | None = None,
    unit: str | None = "d",
    percentiles: Sequence[float] = (50, 85, 95),
    method: str = "linear",
    basis: str | None = None,
    note: str | None = None,
) -> alt.LayerChart:
    """Each case as a dot (end date vs lead time) with horizontal percentile lines.

    Lead times are minutes as the event log measured them; the default calendar is the
    24-hour one (pass the calendar of the time basis they were mined on). The percentiles
    and their method are printed in the subtitle, and on a second line ``basis`` (the time
    basis, e.g. ``"elapsed time"``) and ``note`` (e.g. how the cases were sampled).
    """
    check_nonempty(cases, "case")
    calendar = calendar or Calendar(basis="calendar")
    leads = [check_number(c.lead_minutes, f"cases[{i}].lead_minutes") for i, c in enumerate(cases)]
    tu = time_unit(max(leads), calendar, unit)
    ordered = sorted(
        (
            (_iso(c.end, f"cases[{i}].end"), lead, str(c.case_id))
            for i, (c, lead) in enumerate(zip(cases, leads, strict=True))
        ),
    )
    points = [{"end": end, "lead": lead / tu.minutes, "case": case} for end, lead, case in ordered]
    lines = percentile_lines(leads, percentiles, method)
    top = nice_ceiling(max(leads) / tu.minutes)
    # labels 14 px apart at least, so close percentiles do not print over each other
    label_at = spread_labels([line.minutes / tu.minutes for line in lines], 14 * top / HEIGHT, top)
    last = ordered[-1][0]
    rules = [
        {
            "p": f"P{line.percentile:g}",
            "lead": line.minutes / tu.minutes,
            "at": at,
            "end": last,
            "text": f"P{line.percentile:g} {format_short(line.minutes, tu)}",
        }
        for line, at in zip(lines, label_at, strict=True)
    ]
    x = alt.X("end:T", title="Case completed (UTC)", scale=alt.Scale(type="utc"))
    y = alt.Y(
        "lead:Q", title=f"Lead time ({tu.title})", scale=alt.Scale(domain=[0, top], nice=False)
    )
    dots = alt.Chart(data(points)).mark_circle(size=18, opacity=0.45, color=BLUE, aria=False)
    dots = dots.encode(x=x, y=y)
    rule_base = alt.Chart(data(rules))
    rule = rule_base.mark_rule(color=VERMILLION, strokeDash=[5, 3], strokeWidth=1.5)
    rule = rule.encode(y=alt.Y("lead:Q"))
    text = rule_base.mark_text(
        align="left", baseline="middle", dx=6, fontSize=11, color=VERMILLION
    ).encode(
        x=alt.X("end:T", scale=alt.Scale(type="utc")), y=alt.Y("at:Q"), text=alt.Text("text:N")
    )
    subtitle = [
        f"{len(cases):,} cases completed {ordered[0][0][:10]} to {last[:10]} · lines at the "
        f"{', '.join(f'P{p:g}' for p in percentiles)} of lead time (percentile method: {method})"
    ]
    second = "; ".join(part for part in (f"lead time on {basis}" if basis else None, note) if part)
    if second:
        subtitle.append(second[0].upper() + second[1:])
    return finish(
        layered(dots, rule, text),
        alt.TitleParams(title, subtitle=subtitle),
        f"{title}: {' · '.join(subtitle)}",
        width=WIDTH,
        height=HEIGHT,
    )


@dataclass(frozen=True)
class FlowBand:
    """One band of a cumulative flow diagram: a state and its count of items at each time."""

    label: str
    counts: Sequence[float]


def arrivals_departures(
    starts: Sequence[dt.datetime | dt.date], ends: Sequence[dt.datetime | dt.date | None]
) -> tuple[list[dt.date], list[FlowBand]]:
    """Daily bands for a CFD from case start and end times: ``In progress`` above ``Done``.

    At the end of each day, ``Done`` counts the cases ended so far and ``In progress`` the cases
    started but not yet ended (unfinished cases pass ``None`` as their end).

    >>> days, bands = arrivals_departures(
    ...     [dt.date(2024, 1, 1), dt.date(2024, 1, 2)], [dt.date(2024, 1, 2), None])
    >>> [(band.label, list(band.counts)) for band in bands]
    [('In progress', [1, 1]), ('Done', [0, 1])]
    """
    check_nonempty(starts, "case")
    if len(starts) != len(ends):
        raise ReportError(f"expected one end per start, got {len(starts)} starts, {len(ends)} ends")
    start_days = sorted(_day(s) for s in starts)
    end_days = sorted(_day(e) for e in ends if e is not None)
    first, last = start_days[0], max(start_days[-1], end_days[-1] if end_days else start_days[0])
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    day_numbers = np.array([d.toordinal() for d in days])
    arrived = np.searchsorted(np.array([d.toordinal() for d in start_days]), day_numbers, "right")
    done = np.searchsorted(np.array([d.toordinal() for d in end_days]), day_numbers, "right")
    in_progress = [int(a - d) for a, d in zip(arrived, done, strict=True)]
    return days, [FlowBand("In progress", in_progress), FlowBand("Done", [int(d) for d in done])]


def _day(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC)
        return moment.date()
    return moment


def cumulative_flow_chart(
    times: Sequence[dt.datetime | dt.date],
    bands: Sequence[FlowBand],
    *,
    title: str = "Cumulative flow",
    y_title: str = "Cumulative cases",
    subtitle: str = "Bands in process order, top to bottom; vertical gap = work in process",
    note: str | None = None,
    last_is_done: bool = True,
) -> alt.LayerChart:
    """Stacked areas over time, bands in process order (first state on top, done at the bottom).

    As a cumulative flow diagram (bands from :func:`arrivals_departures`, or per-step WIP with
    a cumulative ``Done`` band last) the top edge is cumulative arrivals and the boundary above
    the last band cumulative departures: the vertical distance between them is work in
    process, the horizontal one approximate lead time. Per-step WIP alone (no done band: set
    ``last_is_done=False`` and a ``y_title`` such as ``"Open cases"``) shows where work waits.
    The done band is grey; the others take the palette in order. A ``note`` is a second line
    under the subtitle (what the data leaves out, say).
    """
    check_nonempty(bands, "band")
    check_nonempty(times, "time")
    labels = unique_labels(band.label for band in bands)
    instants = [_iso(t, f"times[{i}]") for i, t in enumerate(times)]
    rows = []
    for b, (band, label) in enumerate(zip(bands, labels, strict=True)):
        if len(band.counts) != len(times):
            raise ReportError(
                f"expected {len(times)} counts (one per time), got {len(band.counts)}",
                where=Location(key=f"bands[{b}].counts"),
            )
        for i, count in enumerate(band.counts):
            number = check_number(count, f"bands[{b}].counts[{i}]")
            # stack order: the last band (done) is drawn first, at the bottom
            rows.append({"t": instants[i], "band": label, "n": number, "stack": len(bands) - b})
    palette = [*CATEGORY[: len(bands) - 1], GREY] if last_is_done else list(CATEGORY)
    area = (
        alt.Chart(data(rows))
        .mark_area(opacity=0.9, aria=False)
        .encode(
            x=alt.X("t:T", title="Date (UTC)", scale=alt.Scale(type="utc")),
            y=alt.Y("n:Q", stack="zero", title=y_title),
            color=alt.Color(
                "band:N", title=None, scale=alt.Scale(domain=labels, range=palette[: len(labels)])
            ),
            order=alt.Order("stack:Q"),
        )
    )
    lines = [subtitle] if note is None else [subtitle, note]
    return finish(
        layered(area),
        alt.TitleParams(title, subtitle=lines),
        f"{title}: {' '.join(lines)}",
        width=WIDTH,
        height=HEIGHT,
    )
