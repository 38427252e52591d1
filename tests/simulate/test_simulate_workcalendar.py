"""Working minutes ↔ timestamps on the canvas calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opcanvas.canvas.quantities import Calendar
from opcanvas.errors import SimulationError
from opcanvas.simulate.workcalendar import WorkCalendar

FRIDAY_4PM = datetime(2025, 1, 3, 16, tzinfo=UTC)


def stamps(wc: WorkCalendar, minutes: list[float]) -> list[str]:
    return [str(t)[:16] for t in wc.timestamps(np.array(minutes))]


@pytest.mark.parametrize(
    ("calendar", "start", "minutes", "expected"),
    [
        # 8 h days, Monday–Friday: Friday 16:00 + 2 h of work is Monday 10:00
        (Calendar(), FRIDAY_4PM, [0, 59, 60, 120, 2400 + 120],
         ["2025-01-03T16:00", "2025-01-03T16:59", "2025-01-06T09:00", "2025-01-06T10:00",
          "2025-01-13T10:00"]),
        # a start outside working hours moves to the next working moment
        (Calendar(), datetime(2025, 1, 4, 12, tzinfo=UTC), [0, 30],
         ["2025-01-06T09:00", "2025-01-06T09:30"]),
        # 4.5 days a week: Friday is a half day (09:00–13:00)
        (Calendar(days_per_week=4.5), datetime(2025, 1, 10, 12, tzinfo=UTC), [0, 60, 61],
         ["2025-01-10T12:00", "2025-01-13T09:00", "2025-01-13T09:01"]),
        # 10 h days
        (Calendar(hours_per_day=10), datetime(2025, 1, 6, 9, tzinfo=UTC), [599, 600],
         ["2025-01-06T18:59", "2025-01-07T09:00"]),
        # the calendar basis: a simulated minute is a wall-clock minute
        (Calendar(basis="calendar"), FRIDAY_4PM, [0, 24 * 60 * 2],
         ["2025-01-03T16:00", "2025-01-05T16:00"]),
    ],
)  # fmt: skip
def test_working_minutes_land_on_working_hours(
    calendar: Calendar, start: datetime, minutes: list[float], expected: list[str]
) -> None:
    assert stamps(WorkCalendar(calendar, start), minutes) == expected


def test_the_working_day_follows_the_zone_of_start() -> None:
    start = datetime(2025, 1, 6, 9, tzinfo=timezone(timedelta(hours=-5)))  # 14:00 UTC
    wc = WorkCalendar(Calendar(), start)
    assert stamps(wc, [0, 480]) == ["2025-01-06T14:00", "2025-01-07T14:00"]


def test_a_working_day_past_midnight_is_refused() -> None:
    with pytest.raises(SimulationError, match="runs past midnight"):
        WorkCalendar(Calendar(hours_per_day=16), FRIDAY_4PM, day_start=9)


@given(
    minutes=st.lists(st.floats(0, 200_000, allow_nan=False), min_size=1, max_size=30),
    hours=st.sampled_from([6.0, 7.5, 8.0, 12.0]),
    days=st.sampled_from([4.0, 4.5, 5.0, 6.0, 7.0]),
    basis=st.sampled_from(["working", "calendar"]),
)
def test_timestamps_and_working_minutes_are_inverse(
    minutes: list[float], hours: float, days: float, basis: str
) -> None:
    wc = WorkCalendar(Calendar(basis=basis, hours_per_day=hours, days_per_week=days),  # type: ignore[arg-type]
                      datetime(2025, 3, 5, 11, 30, tzinfo=UTC), day_start=8)  # fmt: skip
    values = np.array(sorted(minutes))
    back = wc.working_minutes(wc.timestamps(values))
    assert back == pytest.approx(values, abs=1e-4)  # microseconds
    assert np.all(np.diff(wc.timestamps(values).astype(np.int64)) >= 0)  # order is kept
