"""Elapsed time or working time: the clock every mined duration is measured on.

``elapsed`` (the default) counts every minute, nights and weekends included. ``working``
counts only working hours on working days, minus holidays, in a time zone: an instance that
starts Friday 16:00 and ends Monday 10:00 on a 09:00–17:00, Monday–Friday calendar takes 2 h.
The basis is chosen explicitly and printed with every result; rates (per week) are always in
calendar weeks.

Working time is computed as ``W(end) − W(start)``, where ``W(t)`` is the working time from a
fixed origin to ``t``, looked up per local day in a small table joined on each engine.

>>> basis = TimeBasis.working(hours=("09:00", "17:00"))
>>> basis.describe()
'working time: 09:00–17:00, Mon–Fri, time zone UTC, no holidays'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pyarrow as pa

from opcanvas.errors import EventLogError

DAY_US = 86_400_000_000
WEEK_US = 7 * DAY_US
MINUTE_US = 60_000_000
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class TimeBasis:
    """The clock for durations. Build with :meth:`elapsed` or :meth:`working`."""

    kind: Literal["elapsed", "working"] = "elapsed"
    timezone: str = "UTC"
    start: time = time(9)
    end: time = time(17)
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    holidays: tuple[date, ...] = ()

    @classmethod
    def elapsed(cls) -> TimeBasis:
        return cls()

    @classmethod
    def working(
        cls,
        hours: tuple[str, str] = ("09:00", "17:00"),
        days: tuple[str, ...] = DAY_NAMES[:5],
        holidays: tuple[str | date, ...] = (),
        timezone: str = "UTC",
    ) -> TimeBasis:
        """A working calendar: ``hours`` (start, end), ``days`` (mon…sun), ``holidays``."""
        start, end = (_clock(h) for h in hours)
        if end <= start:
            raise EventLogError(
                f"working hours must end after they start, got {hours[0]}–{hours[1]}"
            )
        unknown = [d for d in days if d.lower()[:3] not in DAY_NAMES]
        if unknown or not days:
            raise EventLogError(
                f"working days must be some of {', '.join(DAY_NAMES)}, got {list(days)}"
            )
        _zone(timezone)
        return cls(
            "working",
            timezone,
            start,
            end,
            tuple(sorted({DAY_NAMES.index(d.lower()[:3]) for d in days})),
            tuple(sorted(_date(h) for h in holidays)),
        )

    @property
    def hours_per_day(self) -> float:
        delta = datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)
        return delta.total_seconds() / 3600

    def describe(self) -> str:
        if self.kind == "elapsed":
            return "elapsed time (24 h a day, 7 days a week)"
        days = _day_ranges(self.days)
        hol = f"{len(self.holidays)} holiday(s)" if self.holidays else "no holidays"
        return (
            f"working time: {self.start:%H:%M}–{self.end:%H:%M}, {days}, "
            f"time zone {self.timezone}, {hol}"
        )

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "elapsed":
            return {"kind": "elapsed", "description": self.describe()}
        return {
            "kind": "working", "timezone": self.timezone,
            "hours": [f"{self.start:%H:%M}", f"{self.end:%H:%M}"],
            "days": [DAY_NAMES[d] for d in self.days],
            "holidays": [d.isoformat() for d in self.holidays], "description": self.describe(),
        }  # fmt: skip

    def offset_us(self) -> int:
        """A fixed UTC offset that maps instants to local days (standard time of the zone).

        Off by the DST hour near midnight only, where no working time lies, so ``W`` is
        unaffected as long as working hours stay inside a day.
        """
        zone = _zone(self.timezone)
        offset = datetime(2001, 1, 15, 12, tzinfo=zone).utcoffset() or timedelta(0)
        return int(offset.total_seconds() * 1_000_000)

    def day_table(self, first_us: int, last_us: int) -> pa.Table:
        """Per local day: ``day`` key, working ``open``/``close`` (UTC µs), work ``before``."""
        zone = _zone(self.timezone)
        offset = self.offset_us()
        first = (first_us + offset) // DAY_US - 1
        last = (last_us + offset) // DAY_US + 1
        holidays = set(self.holidays)
        keys, opens, closes, before = [], [], [], []
        total = 0
        for key in range(first, last + 1):
            local = date(1970, 1, 1) + timedelta(days=key)
            o = _utc_us(local, self.start, zone)
            c = _utc_us(local, self.end, zone)
            if local.weekday() not in self.days or local in holidays:
                c = o
            keys.append(key)
            opens.append(o)
            closes.append(c)
            before.append(total)
            total += c - o
        return pa.table(
            {"day": pa.array(keys, pa.int64()), "open": pa.array(opens, pa.int64()),
             "close": pa.array(closes, pa.int64()), "before": pa.array(before, pa.int64())}
        )  # fmt: skip

    def working_between(self, start_us: int, end_us: int) -> int:
        """Working microseconds between two instants (a plain-Python reference)."""
        if self.kind == "elapsed":
            return end_us - start_us
        table = self.day_table(min(start_us, end_us), max(start_us, end_us)).to_pydict()
        index = {k: i for i, k in enumerate(table["day"])}

        def w(t: int) -> int:
            i = index[(t + self.offset_us()) // DAY_US]
            span = table["close"][i] - table["open"][i]
            return int(table["before"][i] + max(0, min(t - table["open"][i], span)))

        return w(end_us) - w(start_us)


def _utc_us(day: date, clock: time, zone: ZoneInfo) -> int:
    local = datetime.combine(day, clock, tzinfo=zone)
    delta = local.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise EventLogError(
            f'unknown time zone "{name}"', hint='use an IANA name such as "Europe/Amsterdam"'
        ) from None


def _clock(text: str | time) -> time:
    if isinstance(text, time):
        return text
    try:
        return time.fromisoformat(str(text))
    except ValueError:
        raise EventLogError(f'expected a time of day like "09:00", got "{text}"') from None


def _date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise EventLogError(f'expected a holiday date like "2025-12-25", got "{value}"') from None


def _day_ranges(days: tuple[int, ...]) -> str:
    names = [DAY_NAMES[d].capitalize() for d in days]
    if list(days) == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"{names[0]}–{names[-1]}"
    return ", ".join(names)
