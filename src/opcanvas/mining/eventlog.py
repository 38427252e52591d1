"""An event log after reading: canonical events and what reading found.

Readers hand raw batches to :func:`build_log`, which maps columns, parses timestamps and
checks the whole log (:mod:`opcanvas.mining.quality`). Logs above ``spill_rows`` events go to
a temporary Parquet file so memory stays bounded. A Parquet source whose columns are already
typed becomes a :class:`ParquetView` instead: a DuckDB projection of the file itself, read
where it lies, never copied (how 100 million events stay out of memory).
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from opcanvas.errors import EventLogError
from opcanvas.mining.canonical import SCHEMA, Canonicaliser
from opcanvas.mining.columns import ColumnMap, ResolvedColumns
from opcanvas.mining.quality import DataQuality, check, clean

Progress = Callable[[str, float | None], None]
"""Called with a stage name and the fraction done (or None when unknown)."""

DEFAULT_SPILL_ROWS = 1_000_000


@dataclass(frozen=True)
class ParquetView:
    """Canonical events as a DuckDB query over a Parquet file (``{path}`` in ``sql``)."""

    path: Path
    sql: str

    def relation(self, con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
        quoted = self.path.as_posix().replace("'", "''")
        return con.sql(self.sql.replace("{path}", quoted))


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
    memory_limit: str | None = None
    csv_delimiter: str | None = None
    csv_quote: str | None = None
    csv_encoding: str | None = None
    format: str | None = None


@dataclass(frozen=True)
class Source:
    """Where the events came from."""

    name: str
    format: str
    sha256: str | None = None
    size_bytes: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EventLog:
    """Canonical events plus provenance and data quality. Build one with ``read_log``.

    ``data`` is a pyarrow Table, or the path of a Parquet file for logs above the spill
    threshold. The time model says what the timestamps allow: ``intervals`` (a start column),
    ``lifecycle`` (start/complete events to pair) or ``single`` (one timestamp per event:
    no service time).
    """

    data: pa.Table | Path | ParquetView
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
        if isinstance(self.data, ParquetView):
            return self.data.relation(con)
        return con.from_arrow(self.data)

    def parquet_path(self) -> Path:
        """A Parquet file of the canonical events (written on first use for in-memory logs)."""
        if isinstance(self.data, Path):
            return self.data
        holder = self.keep if isinstance(self.keep, _Holder) else None
        if holder is None:
            raise EventLogError("this log has no place for temporary files")
        path = holder.path / "events.parquet"
        if path.exists():
            return path
        if isinstance(self.data, ParquetView):
            con = duck()
            try:
                self.data.relation(con).write_parquet(str(path))
            finally:
                con.close()
        else:
            pq.write_table(self.data, path)
        return path

    def to_arrow(self) -> pa.Table:
        """The canonical events as one Arrow table (reads the Parquet file if spilled)."""
        if isinstance(self.data, Path):
            return pq.read_table(self.data)
        if isinstance(self.data, ParquetView):
            con = duck()
            try:
                return self.data.relation(con).to_arrow_table().cast(SCHEMA)
            finally:
                con.close()
        return self.data

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
    # results are aggregates sorted in Python, so DuckDB need not keep row order: this
    # setting makes its window and sort operators several times faster on large logs
    con.execute("SET preserve_insertion_order = false")
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
    summaries = (
        canon.end.summary.to_dict(),
        canon.start.summary.to_dict() if resolved.start_timestamp else None,
    )
    return finish_log(raw, source, resolved, summaries, canon.bad_costs, options, holder,
                      progress)  # fmt: skip


def finish_log(
    raw: pa.Table | Path | ParquetView,
    source: Source,
    resolved: ResolvedColumns,
    summaries: tuple[dict[str, Any], dict[str, Any] | None],
    bad_costs: int,
    options: ReadOptions,
    holder: _Holder | None = None,
    progress: Progress | None = None,
) -> EventLog:
    """Check canonical events (see :mod:`opcanvas.mining.quality`), clean if needed, wrap."""
    holder = holder or _Holder(options.temp_dir)
    large = not isinstance(raw, pa.Table)
    con = duck(options.memory_limit, str(holder.path) if large else None)
    try:
        if progress:
            progress("checking events", None)
        con.register("raw_events", _relation(con, raw))
        found = check(con, resolved, summaries[0], summaries[1], bad_costs,
                      options.drop_duplicates, source.name)  # fmt: skip
        data = raw
        if found.needs_cleaning:
            spill = holder.path / "events.parquet" if large else None
            data = clean(con, found.quality.duplicates_dropped, spill)
            con.register("raw_events", _relation(con, data))
            rows = con.execute('SELECT count(DISTINCT "case") FROM raw_events').fetchall()
            quality = replace(found.quality, cases=int(rows[0][0]))
            found = replace(found, quality=quality)
    finally:
        con.close()
    q = found.quality
    return EventLog(data, source, resolved, q, found.first, found.last, found.model, holder)


def _relation(con: duckdb.DuckDBPyConnection, data: pa.Table | Path | ParquetView) -> Any:
    if isinstance(data, Path):
        return con.read_parquet(str(data))
    if isinstance(data, ParquetView):
        return data.relation(con)
    return con.from_arrow(data)


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
