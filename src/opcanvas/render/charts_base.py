"""What every opcanvas chart shares: palette, fonts, money and time axes, checks, SVG/PNG export.

Charts are Altair (Vega-Lite) specs rendered offline by vl-convert. Output is deterministic:
fixed fonts and sizes, data in a stated order, and the clip-path ids that vl-convert numbers
with a process-wide counter renumbered per document, so two renders of one chart are
byte-identical.

User text (step names, gap titles, KPI names) only ever travels as *data values* or as literal
title strings. It is never spliced into a Vega expression, a field name or a custom sort array
(Vega-Lite compiles those into expressions), so ``<script>`` or ``=HYPERLINK("x")`` is drawn as
the characters it is and escaped by the SVG writer.

>>> import altair as alt
>>> chart = alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q")
>>> to_svg(chart).startswith("<svg")
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import altair as alt
import vl_convert as vlc

from opcanvas.canvas.quantities import Calendar, format_money
from opcanvas.errors import Location, ReportError

# Okabe & Ito's colour-blind-safe palette; wait (waste) is orange, process (value) is blue.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
INK = "#333333"
GREY = "#8C8C8C"
LIGHT = "#D9D9D9"
CATEGORY = (BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, GREY)

# DejaVu Sans ships with nearly every Linux and is what vl-convert measures text with here.
FONT = "DejaVu Sans"
WIDTH = 560
HEIGHT = 300

# A constant expression (no user text): d3's SI suffixes read as finance does (K, M, B).
FINANCE_LABELS = "replace(replace(datum.label, regexp('G$'), 'B'), regexp('k$'), 'K')"


def currency_prefix(currency: str) -> str:
    """The prefix money carries, matching :func:`format_money`: ``$`` for USD, else the code.

    >>> currency_prefix("USD"), currency_prefix("EUR")
    ('$', 'EUR ')
    """
    return "$" if currency == "USD" else f"{currency} "


def money(amount: float, currency: str) -> str:
    """Money for a label, as everywhere else in opcanvas: ``$1.44M``, ``EUR 720K``."""
    return format_money(amount, currency)


def money_axis(max_abs: float, **kwargs: Any) -> alt.Axis:
    """An axis whose labels are money in the chart's currency (set by :func:`configure`).

    Labels that would collide are thinned out (money labels are long); category axes keep
    every label, since a reader must be able to name each bar.
    """
    kwargs.setdefault("labelOverlap", True)
    if max_abs >= 1000:
        return alt.Axis(format="$.3~s", labelExpr=FINANCE_LABELS, **kwargs)
    return alt.Axis(format="$,.2~f", **kwargs)


def house_config(currency: str = "USD") -> dict[str, Any]:
    """The Vega-Lite ``config`` of every chart: fonts, sizes, colours, and the currency."""
    number_locale = {
        "decimal": ".",
        "thousands": ",",
        "grouping": [3],
        "currency": [currency_prefix(currency), ""],
        "minus": "−",
    }
    return {
        "font": FONT,
        "background": "white",
        "padding": 12,
        "locale": {"number": number_locale},
        "view": {"stroke": None},
        "title": {
            "fontSize": 15, "fontWeight": "bold", "anchor": "start", "color": INK,
            "subtitleFontSize": 11, "subtitleColor": "#555555", "offset": 12,
        },
        "axis": {
            "labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal",
            "labelColor": INK, "titleColor": INK, "gridColor": "#E8E8E8",
            "domainColor": GREY, "tickColor": GREY, "labelLimit": 220,
        },
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom", "labelLimit": 260},
        "header": {"labelFontSize": 11, "labelColor": INK, "titleFontSize": 12},
    }  # fmt: skip


ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)


def configure(chart: ChartT, currency: str = "USD") -> ChartT:
    """Give a freshly built chart the house style (set in place: Altair's ``configure_*``
    copies the whole chart on every call, which costs more than the rest of a chart)."""
    cast(Any, chart)["config"] = house_config(currency)
    return chart


def finish(
    chart: ChartT,
    title: alt.TitleParams,
    description: str,
    currency: str = "USD",
    **size: int,
) -> ChartT:
    """Size (``width``, ``height``), title and description of a chart its builder just made,
    and the house style: the spec of ``configure(chart.properties(**size, title=...,
    description=...))``.

    Set in place: ``.properties()`` validates each value against the schema and copies the
    chart, and copying a layered chart re-copies every layer. The tests validate every
    chart's whole spec instead.

    >>> chart = finish(layered(), alt.TitleParams("Costs"), "Costs: none", width=200)
    >>> chart.to_dict(validate=False)["width"], chart.description
    (200, 'Costs: none')
    """
    target = cast(Any, chart)
    for key, value in size.items():
        target[key] = value
    target["title"] = title
    target["description"] = description
    return configure(chart, currency)


# ---- time units -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeUnit:
    """The unit a time axis is drawn in: its name for axis titles and its length in minutes.

    >>> time_unit(3 * 480, Calendar()).title
    'working days of 8 h'
    """

    name: str
    short: str
    minutes: float
    title: str


def time_unit(max_minutes: float, calendar: Calendar, unit: str | None = None) -> TimeUnit:
    """The unit that keeps the largest value readable: minutes, hours or days on ``calendar``.

    ``unit`` forces one of ``min``, ``h``, ``d``, ``w``. Days and weeks say which basis they are
    on (working days of ``hours_per_day`` hours, or calendar days of 24 h).
    """
    units = calendar.unit_minutes()
    if unit is None:
        unit = "min" if max_minutes < 120 else "h" if max_minutes < 2 * units["d"] else "d"
    if unit not in ("min", "h", "d", "w"):
        raise ReportError(f'expected a time unit of min, h, d or w, got "{unit}"')
    working = calendar.basis == "working"
    names = {
        "min": ("minutes", "minutes"),
        "h": ("hours", "hours"),
        "d": (
            "working days" if working else "days",
            f"working days of {calendar.hours_per_day:g} h" if working else "calendar days",
        ),
        "w": (
            "working weeks" if working else "weeks",
            f"working weeks of {calendar.days_per_week:g} d" if working else "calendar weeks",
        ),
    }
    name, title = names[unit]
    return TimeUnit(name=name, short=unit, minutes=units[unit], title=title)


def format_in(minutes: float, unit: TimeUnit) -> str:
    """``minutes`` in ``unit`` with three significant digits: ``"2.5d"``."""
    return f"{minutes / unit.minutes:.3g}{unit.short}"


def format_short(minutes: float, unit: TimeUnit) -> str:
    """Like :func:`format_in`, but a value under one ``unit`` drops to hours or minutes, so a
    median of 48 minutes on a day axis reads ``48min``, not ``0.0333d``.

    >>> day = TimeUnit("days", "d", 1440.0, "calendar days")
    >>> format_short(2.5 * 1440, day), format_short(90, day), format_short(48, day)
    ('2.5d', '1.5h', '48min')
    """
    if minutes >= unit.minutes or unit.short == "min":
        return format_in(minutes, unit)
    if minutes >= 60 and unit.minutes > 60:
        return f"{minutes / 60:.3g}h"
    return f"{minutes:.3g}min"


def nice_ceiling(value: float) -> float:
    """The smallest "round" number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or above
    ``value``: a fixed axis top.

    A chart that places labels in data units needs to know its scale, so it fixes the domain
    to ``[0, nice_ceiling(max)]`` instead of letting Vega pick.

    >>> nice_ceiling(13.2), nice_ceiling(0.7), nice_ceiling(0)
    (15.0, 0.8, 1.0)
    """
    if not value > 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def spread_labels(values: Sequence[float], gap: float, top: float) -> list[float]:
    """Label positions near ``values`` but at least ``gap`` apart, kept at or below ``top``.

    Labels move up from the lowest; if that runs past ``top`` they are pushed back down.

    >>> spread_labels([10, 10.5, 30], gap=2, top=100)
    [10.0, 12.0, 30.0]
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [float(values[i]) for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    if placed and placed[-1] > top:
        placed[-1] = top
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    result = [0.0] * len(values)
    for k, i in enumerate(order):
        result[i] = placed[k]
    return result


# ---- input checks -----------------------------------------------------------------------------


def check_number(value: float, key: str, *, minimum: float | None = 0.0) -> float:
    """A finite number (at least ``minimum``), or a :class:`ReportError` naming ``key``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ReportError(f"expected a finite number, got {value!r}", where=Location(key=key))
    if minimum is not None and value < minimum:
        raise ReportError(
            f"expected a number of {minimum:g} or more, got {value!r}", where=Location(key=key)
        )
    return float(value)


def check_nonempty(items: Sequence[Any], what: str) -> None:
    if len(items) == 0:  # len(), not truth: NumPy arrays refuse bool()
        raise ReportError(f"expected at least one {what} to chart, got none")


def unique_labels(labels: Iterable[str]) -> list[str]:
    """Labels made unique by suffixing repeats, so two gaps of one name stay two bars.

    >>> unique_labels(["A", "B", "A"])
    ['A', 'B', 'A (2)']
    """
    seen: dict[str, int] = {}
    result = []
    for label in labels:
        text = str(label)
        seen[text] = seen.get(text, 0) + 1
        result.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return result


# ---- composition ------------------------------------------------------------------------------
# Altair's layer and concat constructors deep-copy every part (a layer's parts twice) to merge
# selection parameters, and copying a layer re-runs its constructor, so each level of nesting
# copies the whole tree again, as does every ``.properties()`` or ``.resolve_scale()`` on a
# layer. No chart here has parameters: these helpers assemble the same spec by assignment,
# moving data that every part shares up to the parent as Altair does. Parts with parameters,
# or layer parts with their own size (which Altair moves up), take Altair's own constructor.

ComposedT = TypeVar("ComposedT", alt.LayerChart, alt.VConcatChart, alt.HConcatChart)


def _has(chart: Any, *keys: str) -> bool:
    return any(getattr(chart, key, alt.Undefined) is not alt.Undefined for key in keys)


def _compose(chart: ComposedT, key: str, parts: list[Any]) -> ComposedT:
    shared = getattr(parts[0], "data", alt.Undefined) if parts else alt.Undefined
    if shared is not alt.Undefined and all(getattr(part, "data", None) is shared for part in parts):
        chart.data = shared
        parts = [part.copy(deep=False) for part in parts]
        for part in parts:
            part.data = alt.Undefined
    target = cast(Any, chart)
    target[key] = parts
    return chart


def layered(*charts: Any, **props: Any) -> alt.LayerChart:
    """Charts drawn on top of each other, with ``props`` (``width``, ``height``, ``resolve``)
    set on the layer: the spec of ``alt.layer(*charts).properties(**props)``.

    >>> bar = alt.Chart(data([{"x": 1}])).mark_bar().encode(x=alt.X("x:Q"))
    >>> spec = layered(bar, bar.mark_tick(), width=200).to_dict(validate=False)
    >>> spec["width"], spec["data"], [sorted(part) for part in spec["layer"]]
    (200, {'values': [{'x': 1}]}, [['encoding', 'mark'], ['encoding', 'mark']])
    """
    if any(_has(chart, "params", "width", "height", "view") for chart in charts):
        return alt.LayerChart(layer=list(charts)).properties(**props)
    return _compose(alt.LayerChart(**props), "layer", list(charts))


def vconcat(*charts: Any, **props: Any) -> alt.VConcatChart:
    """Charts stacked top to bottom, with ``props`` (``spacing``) set on the stack: the spec of
    ``alt.vconcat(*charts, **props)``."""
    if any(_has(chart, "params") for chart in charts):
        return alt.VConcatChart(vconcat=list(charts), **props)
    return _compose(alt.VConcatChart(**props), "vconcat", list(charts))


def hconcat(*charts: Any, **props: Any) -> alt.HConcatChart:
    """Charts side by side, with ``props`` (``spacing``) set on the row: the spec of
    ``alt.hconcat(*charts, **props)``."""
    if any(_has(chart, "params") for chart in charts):
        return alt.HConcatChart(hconcat=list(charts), **props)
    return _compose(alt.HConcatChart(**props), "hconcat", list(charts))


def data(rows: list[dict[str, Any]]) -> alt.Data:
    """Inline data in the order given (every chart sorts its rows before calling this).

    The rows are set after construction: Altair validates a new ``Data`` row by row (about
    70 ms per 1,000 rows); the tests validate every chart's whole spec instead.
    """
    inline = alt.Data(values=[])
    inline.values = rows
    return inline


# ---- export -----------------------------------------------------------------------------------

_ID_REF = re.compile(r'(id="|url\(#|href="#)((?:clip|gradient|pattern|marker)_?)(\d+)')


def _renumber_ids(svg: str) -> str:
    """Renumber vl-convert's counter-based ids (``clip7``) from 1 in document order."""
    mapping: dict[tuple[str, str], int] = {}
    counters: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
        prefix, number = match.group(2), match.group(3)
        key = (prefix, number)
        if key not in mapping:
            counters[prefix] = counters.get(prefix, 0) + 1
            mapping[key] = counters[prefix]
        return f"{match.group(1)}{prefix}{mapping[key]}"

    return _ID_REF.sub(replace, svg)


def _spec(chart: Any) -> dict[str, Any]:
    # Schema validation costs as much as rendering; the tests validate every chart instead.
    spec: dict[str, Any] = chart.to_dict(validate=False)
    return spec


def to_svg(chart: Any) -> str:
    """The chart as a standalone SVG document, rendered offline; identical for identical input.

    External data URLs are refused, so rendering never touches the network.
    """
    try:
        svg: str = vlc.vegalite_to_svg(_spec(chart), allowed_base_urls=[])
    except ValueError as error:
        raise ReportError(f"could not render the chart to SVG: {error}") from error
    return _renumber_ids(svg)


def to_png(chart: Any, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes at ``scale`` × its SVG size (2 suits slides and print)."""
    if not scale > 0:
        raise ReportError(f"expected a PNG scale above 0, got {scale!r}")
    try:
        png: bytes = vlc.vegalite_to_png(_spec(chart), scale=scale, allowed_base_urls=[])
    except ValueError as error:
        raise ReportError(f"could not render the chart to PNG: {error}") from error
    return png
