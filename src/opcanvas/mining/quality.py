"""Checking a whole log in DuckDB, in two passes, and what the checks found.

Pass one aggregates per lifecycle value: events, missing case ids, activities and timestamps,
starts after ends (clock skew), start timestamps, the period. Pass two sorts each case by time
once and finds, by comparing each event with the one before it: cases (first events), exact
duplicates (equal to the previous event in every mapped column) and events out of order in
the file (an event whose source row comes before that of the event preceding it in time).
Duplicates are dropped in single-timestamp and interval logs; in lifecycle logs identical
start/complete events are kept, because they pair into parallel executions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from opcanvas.errors import EventLogError, Location
from opcanvas.mining.canonical import SCHEMA
from opcanvas.mining.columns import ResolvedColumns

START_WORDS = frozenset({"start", "begin"})
COMPLETE_WORDS = frozenset({"complete", "end", "completed", "finish"})
KEY = ("activity", "time", "start", "lifecycle", "resource")
VALID = "\"case\" IS NOT NULL AND \"case\" <> '' AND activity IS NOT NULL AND activity <> '' " \
        "AND time IS NOT NULL"  # fmt: skip


@dataclass(frozen=True)
class DataQuality:
    """What reading found, in counts. Each non-zero count is also a line in :meth:`notes`."""

    events_read: int
    events: int
    cases: int
    missing: dict[str, int]
    duplicates: int
    duplicates_dropped: bool
    out_of_order: int
    negative_durations: int
    bad_costs: int
    lifecycle: dict[str, int]
    timestamps: dict[str, Any]
    start_timestamps: dict[str, Any] | None = None

    def notes(self) -> list[str]:
        notes = [f"timestamps: {describe_ts(self.timestamps)}"]
        if self.timestamps.get("mixed"):
            notes.append("mixed time zones or offsets in the timestamps; all converted to UTC")
        for part, count in sorted(self.missing.items()):
            if count:
                notes.append(f"{count:,} event(s) without a {part} dropped")
        if self.duplicates and self.duplicates_dropped:
            notes.append(
                f"{self.duplicates:,} duplicate event(s) dropped (same case, activity, "
                "time, start, lifecycle and resource)"
            )
        elif self.duplicates:
            notes.append(
                f"{self.duplicates:,} identical start/complete event(s) kept: in a "
                "lifecycle log they are parallel executions, and pairing matches them"
            )
        if self.out_of_order:
            notes.append(
                f"{self.out_of_order:,} event(s) out of time order in the file; "
                "sorted by timestamp for every computation"
            )
        if self.negative_durations:
            notes.append(
                f"{self.negative_durations:,} start timestamp(s) after the end "
                "(clock skew): start ignored, service time unknown for those"
            )
        if self.bad_costs:
            notes.append(f"{self.bad_costs:,} cost value(s) not numbers: read as unknown")
        return notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "events_read": self.events_read, "events": self.events, "cases": self.cases,
            "missing": dict(sorted(self.missing.items())), "duplicates": self.duplicates,
            "duplicates_dropped": self.duplicates_dropped, "out_of_order": self.out_of_order,
            "negative_durations": self.negative_durations,
            "bad_costs": self.bad_costs, "lifecycle": dict(sorted(self.lifecycle.items())),
            "timestamps": self.timestamps, "start_timestamps": self.start_timestamps,
            "notes": self.notes(),
        }  # fmt: skip


def describe_ts(summary: dict[str, Any]) -> str:
    parts = [f"format {summary.get('format') or 'native'}"]
    if summary.get("with_offset"):
        offsets = ", ".join(summary.get("offsets", [])[:8])
        parts.append(f"{summary['with_offset']:,} with UTC offset ({offsets}) converted to UTC")
    if summary.get("without_offset"):
        parts.append(
            f"{summary['without_offset']:,} without offset read as "
            f"{summary.get('timezone_for_naive', 'UTC')}"
        )
    return "; ".join(parts)


@dataclass(frozen=True)
class Checked:
    """The outcome of :func:`check`: counts, the period, the time model, cleaning needed."""

    quality: DataQuality
    first: int
    last: int
    model: str
    needs_cleaning: bool


def check(
    con: duckdb.DuckDBPyConnection,
    resolved: ResolvedColumns,
    timestamps: dict[str, Any],
    start_timestamps: dict[str, Any] | None,
    bad_costs: int,
    drop_duplicates: bool,
    source: str,
) -> Checked:
    """Check the relation registered as ``raw_events`` on ``con``."""
    per_lifecycle = con.execute(
        "SELECT coalesce(lifecycle, '(none)'), count(*), "
        'count(*) FILTER ("case" IS NULL OR "case" = \'\'), '
        "count(*) FILTER (activity IS NULL OR activity = ''), count(*) FILTER (time IS NULL), "
        "count(*) FILTER (start > time), count(start), min(least(time, start)), max(time) "
        "FROM raw_events GROUP BY ALL"
    ).fetchall()
    if not per_lifecycle:
        raise EventLogError("the log has no events", where=Location(source),
                            hint="check the file, or the filter that produced it")  # fmt: skip
    lifecycle = {str(r[0]): int(r[1]) for r in per_lifecycle}
    read, no_case, no_activity, no_time, negative, starts = (
        sum(int(r[i]) for r in per_lifecycle) for i in range(1, 7)
    )
    firsts = [r[7] for r in per_lifecycle if r[7] is not None]
    lasts = [r[8] for r in per_lifecycle if r[8] is not None]
    if not lasts:
        raise EventLogError("no event has a timestamp", where=Location(source))
    model = time_model(resolved, starts, lifecycle)
    cases, duplicates, out_of_order = _sequence_checks(con)
    drop = drop_duplicates and model != "lifecycle"
    missing = no_case + no_activity + no_time
    events = read - missing - (duplicates if drop else 0)
    if events <= 0:
        raise EventLogError("no event has a case, an activity and a timestamp",
                            where=Location(source))  # fmt: skip
    quality = DataQuality(
        events_read=read, events=events, cases=cases,
        missing={"case id": no_case, "activity": no_activity, "timestamp": no_time},
        duplicates=duplicates, duplicates_dropped=drop, out_of_order=out_of_order,
        negative_durations=negative, bad_costs=bad_costs, lifecycle=lifecycle,
        timestamps=timestamps, start_timestamps=start_timestamps,
    )  # fmt: skip
    cleaning = bool(missing or negative or (duplicates and drop))
    return Checked(quality, int(min(firsts)), int(max(lasts)), model, cleaning)


def _sequence_checks(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """Cases, duplicates, events out of order: one sort of each case by time.

    Within a timestamp, events are ordered by a hash of their other columns, so identical
    events sit next to each other (a hash collision can only hide a duplicate, never invent
    one: the columns themselves are compared).
    """
    same = " AND ".join(f'"{c}" IS NOT DISTINCT FROM lag("{c}") OVER w' for c in KEY)
    row = con.execute(
        "SELECT count(*) FILTER (first), count(*) FILTER (same AND NOT first), "
        "count(*) FILTER (back) FROM (SELECT lag(row) OVER w IS NULL AS first, "
        f"{same} AS same, row < lag(row) OVER w AS back FROM raw_events WHERE {VALID} "
        'WINDOW w AS (PARTITION BY "case" ORDER BY time, '
        "hash(activity, start, lifecycle, resource), row))"
    ).fetchall()[0]
    return int(row[0]), int(row[1] or 0), int(row[2] or 0)


def time_model(resolved: ResolvedColumns, starts: int, lifecycle: dict[str, int]) -> str:
    """``intervals`` (a start column), ``lifecycle`` (start events) or ``single``."""
    if resolved.start_timestamp and starts:
        return "intervals"
    if any(k in START_WORDS for k in lifecycle):
        return "lifecycle"
    return "single"


def clean(con: duckdb.DuckDBPyConnection, drop: bool, spill: Path | None) -> pa.Table | Path:
    """``raw_events`` without events lacking a part, skewed starts nulled, duplicates dropped."""
    order = ", ".join(f'"{c}"' for c in KEY)
    unique = (
        f'QUALIFY row_number() OVER (PARTITION BY "case", {order} ORDER BY row) = 1 '
        if drop else ""
    )  # fmt: skip
    query = (
        'SELECT "case", activity, time, CASE WHEN start > time THEN NULL ELSE start END AS start, '
        f"lifecycle, resource, role, cost, row, month FROM raw_events WHERE {VALID} {unique}"
        "ORDER BY row"
    )
    if spill is not None:
        con.execute(f"COPY ({query}) TO '{spill.as_posix()}' (FORMAT parquet)")
        return spill
    return con.sql(query).to_arrow_table().cast(SCHEMA)
