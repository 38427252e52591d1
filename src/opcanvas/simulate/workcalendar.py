"""Working minutes ↔ wall-clock timestamps on the canvas calendar.

The simulation clock counts *working* minutes (on the ``working`` basis a day is
``hours_per_day`` hours). Event logs need real timestamps, so minute ``m`` is placed on the
working week: days Monday to Friday (``days_per_week`` of them; a fraction makes the last one
short), each from ``day_start`` for ``hours_per_day`` hours. Nights and weekends pass without
work. On the ``calendar`` basis a simulated minute is a wall-clock minute.

Minute 0 is ``start`` (moved to the next working moment if it falls outside working hours).
Working hours are read on the wall clock of ``start``'s time zone (its UTC offset at ``start``;
a naive ``start`` is UTC); timestamps come out in UTC.

>>> import numpy as np
>>> from datetime import datetime, UTC
>>> from opcanvas.canvas.quantities import Calendar
>>> wc = WorkCalendar(Calendar(), datetime(2025, 1, 3, 16, 0, tzinfo=UTC))  # a Friday
>>> [str(t) for t in wc.timestamps(np.array([0.0, 60.0, 120.0]))]
['2025-01-03T16:00:00.000000', '2025-01-06T09:00:00.000000', '2025-01-06T10:00:00.000000']
>>> wc.working_minutes(wc.timestamps(np.array([0.0, 60.0, 120.0]))).tolist()
[0.0, 60.0, 120.0]
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np

from opcanvas.canvas.quantities import Calendar
from opcanvas.errors import SimulationError

_DAY = 1440.0
_WEEK = 7 * _DAY
_US = np.timedelta64(1, "us")


class WorkCalendar:
    """Maps simulated working minutes to UTC timestamps (``datetime64[us]``) and back."""

    def __init__(self, calendar: Calendar, start: datetime, day_start: float = 9.0) -> None:
        self.basis = calendar.basis
        offset = start.utcoffset() if start.tzinfo is not None else None
        self.offset = offset or timedelta(0)
        local = start.replace(tzinfo=None)  # wall clock of start's zone
        self.start_local: np.ndarray = np.array(local, dtype="datetime64[us]")
        if self.basis == "calendar":
            return
        day_minutes = calendar.hours_per_day * 60
        if day_start * 60 + day_minutes > _DAY + 1e-9:
            raise SimulationError(
                f"a working day of {calendar.hours_per_day:g} h starting at {day_start:g}:00 runs "
                "past midnight",
                hint="start the working day earlier (day_start) or shorten hours_per_day",
            )
        full = math.floor(calendar.days_per_week)
        part = calendar.days_per_week - full
        self.lengths = np.array(
            [
                day_minutes if d < full else (part * day_minutes if d == full else 0.0)
                for d in range(7)
            ]
        )
        self.starts = np.concatenate([[0.0], np.cumsum(self.lengths)[:-1]])
        self.week = float(self.lengths.sum())
        self.day_start = day_start * 60
        monday = local.date() - timedelta(days=local.weekday())
        self.anchor = np.datetime64(datetime(monday.year, monday.month, monday.day), "us")
        self.offset0 = float(self._working(self.start_local.reshape(1))[0])

    def timestamps(self, minutes: np.ndarray) -> np.ndarray:
        """UTC timestamps of simulated working minutes."""
        minutes = np.asarray(minutes, dtype=float)
        utc = np.timedelta64(int(self.offset.total_seconds() * 1e6), "us")
        if self.basis == "calendar":
            return (self.start_local - utc) + _minutes(minutes)
        total = minutes + self.offset0
        weeks = np.floor(total / self.week)
        rest = total - weeks * self.week
        day = np.searchsorted(self.starts, rest, side="right") - 1
        wall = weeks * _WEEK + day * _DAY + self.day_start + (rest - self.starts[day])
        return self.anchor + _minutes(wall) - utc

    def working_minutes(self, stamps: np.ndarray) -> np.ndarray:
        """Simulated working minutes of UTC timestamps (times off work count as the next
        working moment): the inverse of :meth:`timestamps`."""
        utc = np.timedelta64(int(self.offset.total_seconds() * 1e6), "us")
        local: np.ndarray = np.asarray(stamps, dtype="datetime64[us]") + utc
        if self.basis == "calendar":
            since: np.ndarray = local - self.start_local
            return since / np.timedelta64(60_000_000, "us")
        return self._working(local) - self.offset0

    def _working(self, local: np.ndarray) -> np.ndarray:
        since = (local - self.anchor) / np.timedelta64(60_000_000, "us")
        weeks = np.floor(since / _WEEK)
        within = since - weeks * _WEEK
        day = np.minimum((within // _DAY).astype(int), 6)
        clock = within - day * _DAY
        worked = np.clip(clock - self.day_start, 0.0, self.lengths[day])
        return weeks * self.week + self.starts[day] + worked


def _minutes(values: np.ndarray) -> np.ndarray:
    return np.round(values * 60_000_000).astype(np.int64) * _US


def as_utc(start: datetime) -> datetime:
    """``start`` as an aware UTC datetime (naive means UTC)."""
    if start.tzinfo is None:
        return start.replace(tzinfo=UTC)
    return start.astimezone(UTC)
