"""Quantities as people write them, resolved to canonical numbers on a working calendar.

Canonical units inside opcanvas:

- durations: **minutes** (``"45min"``, ``"6h"``, ``"3d"``, ``"2w"``, ``"1mo"``, ``"1y"``)
- rates: **per minute** (``"40/month"``, ``"2.5/day"``, ``"10/h"``)
- percentages: **fractions** (``"85%"`` or ``0.85``; a bare number above 1 is refused because
  ``85`` could mean 85 % or 8,500 %)
- money: **currency units** of the canvas (``"50k"``, ``"1.2M"``, ``"$50,000"``)

Days, weeks, months and years depend on the calendar. On the ``working`` basis (the default) a
day is ``hours_per_day`` hours, a week ``days_per_week`` days, a month
``working_days_per_month`` days and a year twelve months. On the ``calendar`` basis a day is
24 h, a week 7 d, a month 365.25/12 d and a year 365.25 d. The basis is printed with every result.

Any numeric input may instead be a range: ``[low, likely, high]`` (triangular), ``[low, high]``
(uniform), or a mapping ``{dist: pert|triangular|uniform, low: .., likely: .., high: ..}`` or
``{dist: normal|lognormal, mean: .., sd: ..}``. A range resolves to a :class:`Range`.

>>> cal = Calendar()
>>> parse_duration("3d", cal)
1440.0
>>> parse_rate("40/month", cal) * 60 * 8 * 20
40.0
>>> parse_percent("85%")
0.85
>>> parse_money("1.2M")
1200000.0
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from opcanvas.errors import QuantityError

Basis = Literal["working", "calendar"]
Distribution = Literal["triangular", "pert", "uniform", "normal", "lognormal"]


class Calendar(BaseModel):
    """The working calendar every duration and rate is resolved on."""

    model_config = ConfigDict(extra="forbid")

    basis: Basis = Field(
        "working",
        description="working: a day is hours_per_day hours; calendar: a day is 24 hours",
    )
    hours_per_day: float = Field(8, gt=0, le=24)
    days_per_week: float = Field(5, gt=0, le=7)
    working_days_per_month: float = Field(20, gt=0, le=31)

    def unit_minutes(self) -> dict[str, float]:
        """Minutes in each duration unit on this calendar."""
        if self.basis == "calendar":
            day, week, month, year = 1440.0, 7 * 1440.0, 365.25 / 12 * 1440, 365.25 * 1440
        else:
            day = self.hours_per_day * 60
            week, month = day * self.days_per_week, day * self.working_days_per_month
            year = 12 * month
        return {"min": 1.0, "h": 60.0, "d": day, "w": week, "mo": month, "y": year}

    def describe(self) -> str:
        if self.basis == "calendar":
            return "calendar time (day = 24 h, week = 7 d, month = 30.44 d)"
        return (
            f"working time (day = {self.hours_per_day:g} h, week = {self.days_per_week:g} d, "
            f"month = {self.working_days_per_month:g} d)"
        )


_UNIT_ALIASES = {
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "min": "min", "mins": "min", "minute": "min", "minutes": "min",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "d", "day": "d", "days": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
    "mo": "mo", "mon": "mo", "month": "mo", "months": "mo",
    "y": "y", "yr": "y", "yrs": "y", "year": "y", "years": "y",
}  # fmt: skip
_NUMBER = r"[+-]?(?:\d[\d,_]*\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_DURATION = re.compile(rf"^\s*({_NUMBER})\s*([a-zA-Z]+)\s*$")
_RATE = re.compile(rf"^\s*({_NUMBER})?\s*(?:/|per\s+)\s*([a-zA-Z]+)\s*$")
_MONEY = re.compile(rf"^\s*[$€£]?\s*({_NUMBER})\s*([kKmMbB]|bn|BN|Bn)?\s*$")
_PERCENT = re.compile(rf"^\s*({_NUMBER})\s*%\s*$")
_MONEY_SCALE = {None: 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9}


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("_", ""))


def _unit_minutes(unit: str, cal: Calendar) -> float:
    key = _UNIT_ALIASES.get(unit.lower())
    if key is None:
        ambiguous = unit.lower() == "m"
        raise QuantityError(
            f'unknown time unit "{unit}"; expected one of s, min, h, d, w, mo, y',
            hint='"m" is ambiguous: write "min" for minutes or "mo" for months'
            if ambiguous
            else "units may be spelled out: seconds, minutes, hours, days, weeks, months, years",
        )
    return 1 / 60 if key == "s" else cal.unit_minutes()[key]


def parse_duration(value: Any, cal: Calendar) -> float:
    """A duration in minutes. ``0`` may be written bare; anything else needs a unit."""
    if isinstance(value, bool):
        raise QuantityError(f'expected a duration like "45min" or "3d", got {value!r}')
    if isinstance(value, int | float):
        if value == 0:
            return 0.0
        raise QuantityError(
            f'expected a duration like "45min" or "3d", got the bare number {value!r}',
            hint=f'add a unit, e.g. "{value}h" or "{value}d"',
        )
    match = _DURATION.match(str(value))
    if not match:
        raise QuantityError(f'expected a duration like "45min", "6h" or "3d", got "{value}"')
    minutes = _number(match.group(1)) * _unit_minutes(match.group(2), cal)
    if minutes < 0:
        raise QuantityError(f'expected a duration of zero or more, got "{value}"')
    return minutes


def parse_rate(value: Any, cal: Calendar) -> float:
    """A rate in events per minute: ``"40/month"``, ``"2 per day"``, ``"/week"`` (one per week)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
        return 0.0
    match = _RATE.match(str(value)) if isinstance(value, str) else None
    if not match:
        raise QuantityError(
            f'expected a rate like "40/month" or "2/day", got {value!r}',
            hint="write the period after a slash: /h, /day, /week, /month, /year",
        )
    amount = _number(match.group(1)) if match.group(1) else 1.0
    if amount < 0:
        raise QuantityError(f'expected a rate of zero or more, got "{value}"')
    return amount / _unit_minutes(match.group(2), cal)


def parse_percent(value: Any, *, allow_above_one: bool = False) -> float:
    """A fraction: ``"85%"`` → 0.85, ``0.85`` → 0.85. Bare numbers must lie in [0, 1]."""
    if isinstance(value, bool):
        raise QuantityError(f'expected a percentage like "85%", got {value!r}')
    if isinstance(value, int | float):
        fraction = float(value)
        if fraction > 1 and not allow_above_one:
            raise QuantityError(
                f'expected a percentage like "85%" or a fraction from 0 to 1, got {value!r}',
                hint=f'write "{value}%" if you mean {value} percent',
            )
    else:
        match = _PERCENT.match(str(value))
        if not match:
            raise QuantityError(f'expected a percentage like "85%", got "{value}"')
        fraction = _number(match.group(1)) / 100
    if fraction < 0:
        raise QuantityError(f"expected a percentage of 0 % or more, got {value!r}")
    if fraction > 1 + 1e-12 and not allow_above_one:
        raise QuantityError(f"expected a percentage from 0 % to 100 %, got {value!r}")
    return fraction


def parse_money(value: Any) -> float:
    """An amount of money: ``50000``, ``"50k"``, ``"1.2M"``, ``"$50,000"``. Zero or more."""
    if isinstance(value, bool):
        raise QuantityError(f'expected an amount like "50k" or 50000, got {value!r}')
    if isinstance(value, int | float):
        amount = float(value)
    else:
        match = _MONEY.match(str(value))
        if not match:
            raise QuantityError(f'expected an amount like "50k", "1.2M" or 50000, got "{value}"')
        scale = match.group(2).lower() if match.group(2) else None
        amount = _number(match.group(1)) * _MONEY_SCALE[scale]
    if amount < 0 or math.isnan(amount):
        raise QuantityError(f"expected an amount of zero or more, got {value!r}")
    return amount


def parse_number(value: Any, *, minimum: float | None = 0.0) -> float:
    """A plain number (counts, scores, units of inventory)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise QuantityError(f"expected a number, got {value!r}")
    try:
        number = _number(value) if isinstance(value, str) else float(value)
    except ValueError:
        raise QuantityError(f'expected a number, got "{value}"') from None
    if minimum is not None and number < minimum:
        raise QuantityError(f"expected a number of {minimum:g} or more, got {value!r}")
    return number


@dataclass(frozen=True)
class Range:
    """An uncertain number in canonical units: a distribution with a most-likely value.

    ``low``/``likely``/``high`` bound triangular, PERT and uniform ranges. Normal and lognormal
    ranges carry ``likely`` = mean and ``sd``; their ``low``/``high`` are the P10 and P90.
    """

    low: float
    likely: float
    high: float
    dist: Distribution = "triangular"
    sd: float | None = None

    def __post_init__(self) -> None:
        if not self.low <= self.likely <= self.high:
            raise QuantityError(
                f"expected low ≤ likely ≤ high, got {self.low:g}, {self.likely:g}, {self.high:g}"
            )

    def mean(self) -> float:
        if self.dist == "pert":
            return (self.low + 4 * self.likely + self.high) / 6
        if self.dist == "triangular":
            return (self.low + self.likely + self.high) / 3
        if self.dist == "uniform":
            return (self.low + self.high) / 2
        return self.likely  # normal and lognormal keep their mean in ``likely``

    def scaled(self, factor: float) -> Range:
        values = sorted((self.low * factor, self.likely * factor, self.high * factor))
        sd = None if self.sd is None else abs(self.sd * factor)
        return Range(values[0], values[1], values[2], self.dist, sd)


Quantity = float | Range
PointEstimate = Literal["likely", "mean"]


def point(value: Quantity | None, estimate: PointEstimate = "likely") -> float | None:
    """The single number a range stands for in point arithmetic (``likely`` or ``mean``)."""
    if value is None or isinstance(value, int | float):
        return value
    return value.likely if estimate == "likely" else value.mean()


_Z90 = 1.2815515655446004  # P90 of the standard normal


def parse_range(value: Any, scalar: Callable[[Any], float]) -> Quantity:
    """A scalar or a range, each number read by ``scalar`` (which resolves units)."""
    if isinstance(value, list | tuple):
        numbers = [scalar(v) for v in value]
        if len(numbers) == 3:
            return Range(numbers[0], numbers[1], numbers[2])
        if len(numbers) == 2:
            return Range(numbers[0], (numbers[0] + numbers[1]) / 2, numbers[1], "uniform")
        raise QuantityError(
            f"expected [low, likely, high] or [low, high], got a list of {len(numbers)}"
        )
    if isinstance(value, dict):
        return _range_from_mapping(value, scalar)
    return scalar(value)


def _range_from_mapping(value: dict[str, Any], scalar: Callable[[Any], float]) -> Range:
    dist = value.get("dist", "triangular")
    if dist in ("normal", "lognormal"):
        unknown = set(value) - {"dist", "mean", "sd"}
        if unknown or "mean" not in value or "sd" not in value:
            raise QuantityError(f"a {dist} range takes exactly mean and sd, got {sorted(value)}")
        mean, sd = scalar(value["mean"]), scalar(value["sd"])
        if dist == "lognormal" and mean <= 0:
            raise QuantityError("a lognormal range needs a mean above zero")
        return Range(max(mean - _Z90 * sd, 0.0), mean, mean + _Z90 * sd, dist, sd)
    if dist not in ("triangular", "pert", "uniform"):
        raise QuantityError(
            f'unknown distribution "{dist}"; expected triangular, pert, uniform, normal or '
            "lognormal"
        )
    unknown = set(value) - {"dist", "low", "likely", "high"}
    if unknown or "low" not in value or "high" not in value:
        raise QuantityError(f"a {dist} range takes low, likely and high, got {sorted(value)}")
    low, high = scalar(value["low"]), scalar(value["high"])
    likely = scalar(value["likely"]) if "likely" in value else (low + high) / 2
    return Range(low, likely, high, dist)


# ---- formatting for people ------------------------------------------------------------------


def format_duration(minutes: float, cal: Calendar, digits: int = 3) -> str:
    """The largest unit that keeps the number at 1 or more: ``1440`` → ``"3d"`` on 8 h days."""
    units = cal.unit_minutes()
    for unit in ("y", "mo", "w", "d", "h"):
        if abs(minutes) >= units[unit]:
            return f"{minutes / units[unit]:.{digits}g}{unit}"
    return f"{minutes:.{digits}g}min"


def format_rate(per_minute: float, cal: Calendar, digits: int = 3) -> str:
    """A rate per the first period (h, d, w, mo, y) in which at least one arrives."""
    units = cal.unit_minutes()
    for unit, label in (("h", "h"), ("d", "day"), ("w", "week"), ("mo", "month"), ("y", "year")):
        if per_minute * units[unit] >= 1:
            return f"{per_minute * units[unit]:.{digits}g}/{label}"
    return f"{per_minute * units['y']:.{digits}g}/year"


def format_money(amount: float, currency: str = "USD") -> str:
    """``1440000`` → ``"$1.44M"``; other currencies keep their code: ``"EUR 720K"``."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if amount >= threshold:
            text = f"{amount / threshold:.3g}{suffix}"
            break
    else:
        text = f"{amount:,.0f}"
    return f"{sign}$" + text if currency == "USD" else f"{sign}{currency} {text}"


def format_percent(fraction: float, digits: int = 1) -> str:
    return f"{fraction * 100:.{digits}f}%"
