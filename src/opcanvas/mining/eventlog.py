"""An event log after reading: canonical events (in memory or in Parquet) and what was found.

Every reader hands its raw batches to :func:`build_log`, which maps columns, parses
timestamps, and then checks the whole log in DuckDB: events without a case, activity or
timestamp (dropped, counted), exact duplicates (dropped, counted), events out of order in the
file (counted; every computation orders by time), start timestamps after the end (clock skew:
counted, start discarded) and an empty log (an error). Logs above ``spill_rows`` events go to
a temporary Parquet file so memory stays bounded.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from opcanvas.errors import EventLogError, Location
from opcanvas.mining.canonical import SCHEMA, Canonicaliser
from opcanvas.mining.columns import ColumnMap, ResolvedColumns

Progress = Callable[[str, float | None], None]
"""Called with a stage name and the fraction done (or None when unknown)."""

DEFAULT_SPILL_ROWS = 4_000_000
START_WORDS = frozenset({"start", "begin"})
COMPLETE_WORDS = frozenset({"complete", "end", "completed", "finish"})
DUPLICATE_KEY = '"case", activity, time, start, lifecycle, resource'


@dataclass(frozen=True)
class ReadOptions:
    """How to read: column mapping, timestamp layout and zone, memory bounds."""

    columns: ColumnMap = field(default_factory=ColumnMap)
    timestamp_format: str | None = None
    timezone: str = "UTC"
    object_type: str | None = None
    max_decompressed_bytes: int = 8 * 1024**3
    drop_duplicates: bool = True
    spill_rows: int = DEFAULT_SPILL_ROWS
    temp_dir: str | None = None
    csv_delimiter: str | None = None
    csv_quote: str | None = None
    csv_encoding: str | None = None


@dataclass(frozen=True)
class Source:
    """Where the events came from."""

    name: str
    format: str
    sha256: str | None = None
    size_bytes: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


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
class EventLog:
    """Canonical events plus provenance and data quality. Build one with ``read_log``.

    ``data`` is a pyarrow Table, or the path of a Parquet file for logs above the spill
    threshold. The time model says what the timestamps allow: ``intervals`` (a start column),
    ``lifecycle`` (start/complete events to pair) or ``single`` (one timestamp per event:
    no service time).
    """

    data: pa.Table | Path
    source: Source
    columns: ResolvedColumns
    quality: DataQuality
    period_start: int
    period_end: int
    time_model: str
    keep: Any = field(default=None, repr=False, compare=False)  # owns the temporary files

    @property
    def events(self) -> int:
        return self.quality.events

    @property
    def cases(self) -> int:
        return self.quality.cases

    def relation(self, con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
        """The canonical events as a DuckDB relation on ``con`` (Arrow or Parquet scan)."""
        if isinstance(self.data, Path):
            return con.read_parquet(str(self.data))
        return con.from_arrow(self.data)

    def parquet_path(self) -> Path:
        """A Parquet file of the canonical events (written on first use for in-memory logs)."""
        if isinstance(self.data, Path):
            return self.data
        holder = self.keep if isinstance(self.keep, _Holder) else None
        if holder is None:
            raise EventLogError("this log has no place for temporary files")
        path = holder.path / "events.parquet"
        if not path.exists():
            pq.write_table(self.data, path)
        return path

    def to_arrow(self) -> pa.Table:
        """The canonical events as one Arrow table (reads the Parquet file if spilled)."""
        return pq.read_table(self.data) if isinstance(self.data, Path) else self.data

    def summary(self) -> dict[str, Any]:
        return {
            "source": self.source.name, "format": self.source.format,
            "sha256": self.source.sha256, "events": self.events, "cases": self.cases,
            "period_start": iso(self.period_start), "period_end": iso(self.period_end),
            "time_model": self.time_model, "columns": self.columns.to_dict(),
            "quality": self.quality.to_dict(), "details": self.source.details,
        }  # fmt: skip


class _Holder:
    """A temporary directory made on first use and removed with the log that uses it."""

    def __init__(self, temp_dir: str | None) -> None:
        self.parent = temp_dir
        self._path: Path | None = None

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(tempfile.mkdtemp(prefix="opcanvas-", dir=self.parent))
            weakref.finalize(self, shutil.rmtree, self._path, ignore_errors=True)
        return self._path


def iso(micros: int | None) -> str | None:
    if micros is None:
        return None
    from datetime import UTC, datetime, timedelta

    stamp = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(micros))
    return stamp.isoformat().replace("+00:00", "Z")


def duck(memory_limit: str | None = None, temp_dir: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection, bounded in memory, spilling to ``temp_dir`` if given."""
    con = duckdb.connect()
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if temp_dir:
        con.execute(f"SET temp_directory = '{Path(temp_dir).as_posix()}'")
    return con


def build_log(
    batches: Iterable[pa.RecordBatch | pa.Table],
    available: Callable[[], list[str]],
    source: Source,
    options: ReadOptions,
    progress: Progress | None = None,
) -> EventLog:
    """Canonicalise ``batches`` (raw source columns, in source order), check, and wrap.

    ``available`` is asked for the source's column names once the first batch has been
    produced (streaming readers learn them as they go).
    """
    holder = _Holder(options.temp_dir)
    iterator = iter(batches)
    first = next(iterator, None)
    resolved = options.columns.resolve(available(), source.name)
    canon = Canonicaliser(resolved, options.timestamp_format, options.timezone)
    raw = _collect(_chain(first, iterator), canon, options, holder, progress)
    con = duck(temp_dir=str(holder.path) if isinstance(raw, Path) else None)
    try:
        return _check(con, raw, source, resolved, canon, options, holder)
    finally:
        con.close()


def _chain(
    first: pa.RecordBatch | pa.Table | None, rest: Iterator[pa.RecordBatch | pa.Table]
) -> Iterator[pa.RecordBatch | pa.Table]:
    if first is not None:
        yield first
    yield from rest


def _collect(
    batches: Iterable[pa.RecordBatch | pa.Table],
    canon: Canonicaliser,
    options: ReadOptions,
    holder: _Holder,
    progress: Progress | None,
) -> pa.Table | Path:
    tables: list[pa.Table] = []
    writer: pq.ParquetWriter | None = None
    path = holder.path / "raw.parquet"
    rows = kept = 0
    try:
        for batch in batches:
            table = canon.convert(batch, rows)
            rows += table.num_rows
            if progress:
                progress("canonicalising events", None)
            if writer is None and kept + table.num_rows <= options.spill_rows:
                tables.append(table)
                kept += table.num_rows
                continue
            if writer is None:
                writer = pq.ParquetWriter(path, SCHEMA)
                for held in tables:
                    writer.write_table(held)
                tables = []
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    if writer is not None:
        return path
    return pa.concat_tables(tables) if tables else SCHEMA.empty_table()


def _check(
    con: duckdb.DuckDBPyConnection,
    raw: pa.Table | Path,
    source: Source,
    resolved: ResolvedColumns,
    canon: Canonicaliser,
    options: ReadOptions,
    holder: _Holder,
) -> EventLog:
    rel = con.read_parquet(str(raw)) if isinstance(raw, Path) else con.from_arrow(raw)
    con.register("raw_events", rel)
    counts = con.execute(
        'SELECT count(*), count(*) FILTER ("case" IS NULL OR "case" = \'\'), '
        "count(*) FILTER (activity IS NULL OR activity = ''), count(*) FILTER (time IS NULL), "
        "count(*) FILTER (start > time) FROM raw_events"
    ).fetchall()[0]
    read, no_case, no_activity, no_time, negative = (int(c) for c in counts)
    if read == 0:
        raise EventLogError(
            "the log has no events",
            where=Location(source.name),
            hint="check the file, or the filter that produced it",
        )
    lifecycle = dict(
        con.execute(
            "SELECT coalesce(lifecycle, '(none)'), count(*) FROM raw_events GROUP BY ALL"
        ).fetchall()
    )
    model = _time_model(resolved, _scalar(con, "SELECT count(start) FROM raw_events"), lifecycle)
    duplicates = _scalar(
        con,
        f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) n "
        f"FROM raw_events GROUP BY {DUPLICATE_KEY})",
    )
    drop = options.drop_duplicates and model != "lifecycle"
    out_of_order = _scalar(
        con,
        "SELECT count(*) FROM (SELECT time < lag(time) OVER "
        '(PARTITION BY "case" ORDER BY row) AS back FROM raw_events) '
        "WHERE back",
    )
    data = raw
    if no_case or no_activity or no_time or (duplicates and drop) or negative:
        data = _clean(con, raw, holder, drop)
        con.register(
            "raw_events",
            con.read_parquet(str(data)) if isinstance(data, Path) else con.from_arrow(data),
        )
    stats = con.execute(
        'SELECT count(*), count(DISTINCT "case"), least(min(time), min(start)), max(time) '
        "FROM raw_events"
    ).fetchall()[0]
    events, cases, first, last = (0 if v is None else int(v) for v in stats)
    if events == 0:
        raise EventLogError(
            "no event has a case, an activity and a timestamp", where=Location(source.name)
        )
    if data is not raw:
        lifecycle = dict(
            con.execute(
                "SELECT coalesce(lifecycle, '(none)'), count(*) FROM raw_events GROUP BY ALL"
            ).fetchall()
        )
    quality = DataQuality(
        events_read=read, events=events, cases=cases,
        missing={"case id": no_case, "activity": no_activity, "timestamp": no_time},
        duplicates=duplicates, duplicates_dropped=drop, out_of_order=out_of_order,
        negative_durations=negative, bad_costs=canon.bad_costs,
        lifecycle={str(k): int(v) for k, v in lifecycle.items()},
        timestamps=canon.end.summary.to_dict(),
        start_timestamps=canon.start.summary.to_dict() if resolved.start_timestamp else None,
    )  # fmt: skip
    return EventLog(data, source, resolved, quality, first, last, model, holder)


def _time_model(resolved: ResolvedColumns, starts: int, lifecycle: dict[Any, Any]) -> str:
    if resolved.start_timestamp and starts:
        return "intervals"
    if any(str(k) in START_WORDS for k in lifecycle):
        return "lifecycle"
    return "single"


def _clean(
    con: duckdb.DuckDBPyConnection, raw: pa.Table | Path, holder: _Holder, drop: bool
) -> pa.Table | Path:
    unique = f"QUALIFY row_number() OVER (PARTITION BY {DUPLICATE_KEY} ORDER BY row) = 1 "
    query = (
        'SELECT "case", activity, time, CASE WHEN start > time THEN NULL ELSE start END AS start, '
        "lifecycle, resource, role, cost, row, month FROM raw_events "
        'WHERE "case" IS NOT NULL AND "case" <> \'\' AND activity IS NOT NULL '
        "AND activity <> '' AND time IS NOT NULL " + (unique if drop else "") + "ORDER BY row"
    )
    if isinstance(raw, Path):
        path = holder.path / "events.parquet"
        con.execute(f"COPY ({query}) TO '{path.as_posix()}' (FORMAT parquet)")
        return path
    return con.sql(query).to_arrow_table().cast(SCHEMA)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    rows = con.execute(sql).fetchall()
    return 0 if not rows or rows[0][0] is None else int(rows[0][0])
