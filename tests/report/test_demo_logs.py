"""The demo's event logs: an extract of the cases closed in one period of a steady stream."""

from __future__ import annotations

import datetime as dt
import statistics

import pyarrow as pa

from opcanvas.canvas.templates import sample_canvas
from opcanvas.report.demo import (
    ARRIVAL,
    CASE,
    LOG_START,
    TIME,
    closed_in_period,
    mean_arrival_gap,
)
from opcanvas.simulate import event_log

GROWTH = "growth/mql-to-close"  # long waits (weeks to months) and 90 % drop-off


def monthly_medians(table: pa.Table) -> list[float]:
    """Median lead time (days, arrival to last event) of the cases finishing in each month,
    leaving out the first and last month (part months)."""
    finish: dict[str, dt.datetime] = {}
    arrival: dict[str, dt.datetime] = {}
    for row in table.select([CASE, TIME, ARRIVAL]).to_pylist():
        finish[row[CASE]] = max(finish.get(row[CASE], row[TIME]), row[TIME])
        arrival[row[CASE]] = row[ARRIVAL]
    months: dict[str, list[float]] = {}
    for case, end in finish.items():
        lead = (end - arrival[case]).total_seconds() / 86_400
        months.setdefault(end.strftime("%Y-%m"), []).append(lead)
    return [statistics.median(months[m]) for m in sorted(months)[1:-1]]


def test_a_simulated_cohort_shows_lead_times_rising_but_the_extract_does_not() -> None:
    """400 cases simulated from an empty stream and kept whole: the cases finishing late are
    the slow survivors, so the monthly median climbs several-fold. The extract (warm-up and
    the cases finishing after the last arrival left out) is level within ±35 %."""
    canvas = sample_canvas()
    cohort = event_log(canvas, GROWTH, cases=400, seed=0, start=LOG_START)
    rising = monthly_medians(cohort)
    assert rising[-1] > 3 * rising[0]
    _, warm_up = closed_in_period(cohort)
    arrivals = warm_up / mean_arrival_gap(cohort)
    assert arrivals > 400  # months of waiting: the warm-up is longer than the cohort itself
    whole = event_log(canvas, GROWTH, cases=400 + round(arrivals), seed=0, start=LOG_START)
    extract, _ = closed_in_period(whole)
    level = monthly_medians(extract)
    assert len(level) >= 2
    assert max(level) / min(level) < 1.35, level
    cases = set(extract.column(CASE).to_pylist())
    assert 300 < len(cases) < 500  # about the 400 asked for
    # whole cases only: every case keeps all its events
    counts = pa.table({CASE: whole.column(CASE)}).group_by(CASE).aggregate([(CASE, "count")])
    expected = {r[CASE]: r[f"{CASE}_count"] for r in counts.to_pylist() if r[CASE] in cases}
    kept = pa.table({CASE: extract.column(CASE)}).group_by(CASE).aggregate([(CASE, "count")])
    assert {r[CASE]: r[f"{CASE}_count"] for r in kept.to_pylist()} == expected


def test_the_extract_ends_at_the_last_arrival_and_begins_after_the_warm_up() -> None:
    t = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    arrivals = [t + i * hour for i in range(10)]
    leads = [1, 1, 1, 1, 1, 1, 1, 1, 1, 3]  # P95 of leads: 2.1 h → warm-up 4.2 h
    log = pa.table({
        CASE: [f"c{i}" for i in range(10)],
        ARRIVAL: arrivals,
        TIME: [a + lead * hour for a, lead in zip(arrivals, leads, strict=True)],
    })  # fmt: skip
    kept, warm_up = closed_in_period(log)
    # finishing from 4.2 h (c4 at 5 h is the first) to 9 h, the last arrival (c8 at 9 h)
    assert kept.column(CASE).to_pylist() == ["c4", "c5", "c6", "c7", "c8"]
    assert warm_up == dt.timedelta(hours=4.2)
    assert mean_arrival_gap(log) == hour
