"""Reading event logs: one entry point, :func:`read_log`, for files and in-memory frames.

Formats (by suffix, ``.gz`` allowed, or ``format=``): ``xes``, ``csv`` (also ``.tsv``,
``.txt``), ``parquet``, ``ocel-json`` (``.jsonocel``, ``.json``), ``ocel-xml``
(``.xmlocel``), ``ocel-sqlite`` (``.sqlite``, ``.db``). Frames: pandas, Polars, pyarrow,
or anything Narwhals reads eagerly.

>>> from opcanvas.mining import read_log
>>> log = read_log("../shared/data/logs/pm4py_running-example.xes")  # doctest: +SKIP
>>> log.events, log.cases  # doctest: +SKIP
(42, 6)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import narwhals as nw
import pyarrow as pa
import pyarrow.parquet as pq

from opcanvas.errors import EventLogError, Location
from opcanvas.mining.columns import ColumnMap
from opcanvas.mining.eventlog import (
    EventLog,
    ParquetView,
    Progress,
    ReadOptions,
    Source,
    build_log,
    finish_log,
)
from opcanvas.mining.readers.csv import csv_batches, sniff
from opcanvas.mining.readers.limits import check_file, sha256_of
from opcanvas.mining.readers.ocel import read_ocel
from opcanvas.mining.readers.xes import XesReader

FORMATS = {
    ".xes": "xes",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonocel": "ocel-json",
    ".json": "ocel-json",
    ".xmlocel": "ocel-xml",
    ".sqlite": "ocel-sqlite",
    ".sqlite3": "ocel-sqlite",
    ".db": "ocel-sqlite",
}
PARQUET_BATCH = 1_000_000

__all__ = ["FORMATS", "read_log"]


def read_log(
    source: str | Path | Any,
    *,
    columns: ColumnMap | dict[str, str] | None = None,
    format: str | None = None,
    timestamp_format: str | None = None,
    timezone: str = "UTC",
    object_type: str | None = None,
    options: ReadOptions | None = None,
    progress: Progress | None = None,
) -> EventLog:
    """Read an event log file (or a data frame) into canonical events.

    ``columns`` maps parts to source columns (``{"case": "Case ID"}``); XES keys are the
    defaults. ``timestamp_format`` is a strptime layout (detected when omitted) or
    ``epoch_s``/``epoch_ms``/``epoch_us``; ``timezone`` is the zone of timestamps written
    without an offset. ``object_type`` picks the object type an OCEL log is flattened on.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"case:concept:name": ["c1", "c1"], "concept:name": ["a", "b"],
    ...                       "time:timestamp": ["2024-01-01 09:00", "2024-01-01 10:30"]})
    >>> log = read_log(frame)
    >>> log.events, log.cases, log.time_model
    (2, 1, 'single')
    """
    opts = options or ReadOptions()
    if isinstance(columns, dict):
        columns = ColumnMap.from_dict(columns)
    opts = replace(
        opts,
        columns=columns or opts.columns,
        timestamp_format=timestamp_format or opts.timestamp_format,
        timezone=timezone if timezone != "UTC" else opts.timezone,
        object_type=object_type or opts.object_type,
    )
    if isinstance(source, str | Path):
        return _read_file(Path(source), format or opts.format, opts, progress)
    return _read_frame(source, opts, progress)


def detect_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in FORMATS:
        return FORMATS[suffixes[-1]]
    raise EventLogError(
        f'cannot tell the format of "{path.name}" from its name',
        where=Location(path),
        hint="name it .xes, .xes.gz, .csv, .csv.gz, .parquet, .jsonocel, .xmlocel or "
        ".sqlite, or pass --format",
    )


def _read_file(
    path: Path, fmt: str | None, opts: ReadOptions, progress: Progress | None
) -> EventLog:
    check_file(path)
    kind = fmt or detect_format(path)
    source = Source(str(path), kind, sha256_of(path), path.stat().st_size)
    if kind == "xes":
        reader = XesReader(path, opts.max_decompressed_bytes)
        log = build_log(reader.batches(), reader.columns, source, opts, progress)
        return replace(log, source=replace(source, details={"traces": reader.traces}))
    if kind == "csv":
        dialect = sniff(path, opts.max_decompressed_bytes, opts.csv_encoding,
                        opts.csv_delimiter, opts.csv_quote)  # fmt: skip
        source = replace(source, details=dialect.to_dict())
        batches = csv_batches(path, dialect, opts.max_decompressed_bytes)
        return build_log(batches, lambda: dialect.header, source, opts, progress)
    if kind == "parquet":
        return _parquet(path, opts, source, progress)
    if kind.startswith("ocel-"):
        table = read_ocel(path, kind, opts.object_type, opts.max_decompressed_bytes)
        source = replace(source, details={"object_type": opts.object_type})
        return build_log([table], lambda: table.column_names, source, opts, progress)
    raise EventLogError(
        f'unknown format "{kind}"; expected one of {", ".join(sorted(set(FORMATS.values())))}'
    )


def _parquet(path: Path, opts: ReadOptions, source: Source, progress: Progress | None) -> EventLog:
    try:
        schema = pq.ParquetFile(path).schema_arrow
    except (pa.ArrowInvalid, OSError) as exc:
        raise EventLogError(f"not a readable Parquet file: {exc}", where=Location(path)) from None
    resolved = opts.columns.resolve(schema.names, str(path))
    view = parquet_view(path, schema, resolved, opts.timezone)
    if view is None:  # text timestamps: parse them batch by batch
        handle = pq.ParquetFile(path)
        batches = handle.iter_batches(
            batch_size=PARQUET_BATCH, columns=list(resolved.used().values())
        )
        return build_log(batches, lambda: schema.names, source, opts, progress)
    end = _native_summary(schema, resolved.timestamp, opts.timezone)
    assert end is not None  # a timestamp column always resolves
    summaries = (end, _native_summary(schema, resolved.start_timestamp, opts.timezone))
    log = finish_log(view, source, resolved, summaries, 0, opts, progress=progress)
    counted = log.quality.events_read - log.quality.missing["timestamp"]
    stamps = dict(log.quality.timestamps)
    stamps["with_offset" if stamps.pop("aware") else "without_offset"] = counted
    quality = replace(log.quality, timestamps=stamps, start_timestamps=None)
    return replace(log, quality=quality)


def _native_summary(schema: pa.Schema, name: str | None, zone: str) -> dict[str, Any] | None:
    if name is None:
        return None
    kind = schema.field(name).type
    tz = getattr(kind, "tz", None)
    return {"format": "native timestamps", "timezone_for_naive": zone, "with_offset": 0,
            "without_offset": 0, "offsets": [tz] if tz else [], "mixed": False,
            "aware": bool(tz)}  # fmt: skip


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def parquet_view(path: Path, schema: pa.Schema, resolved: Any, zone: str) -> ParquetView | None:
    """A DuckDB projection that reads ``path`` as canonical events, or None when a timestamp
    column holds text (which needs the batch parser and its error reporting)."""

    def stamp(name: str | None) -> str | None:
        if name is None:
            return "CAST(NULL AS BIGINT)"
        kind = schema.field(name).type
        column = _quote(name)
        if pa.types.is_date(kind):
            column, kind = f"CAST({column} AS TIMESTAMP)", pa.timestamp("us")
        if not pa.types.is_timestamp(kind):
            return None
        if kind.tz:
            return f"epoch_us(CAST({column} AS TIMESTAMPTZ))"
        naive = f"CAST({column} AS TIMESTAMP)"
        if zone == "UTC":
            return f"epoch_us({naive})"
        return f"epoch_us(timezone('{zone.replace(chr(39), '')}', {naive}))"

    def text(name: str | None, lower: bool = False) -> str:
        if name is None:
            return "CAST(NULL AS VARCHAR)"
        value = f"CAST({_quote(name)} AS VARCHAR)"
        return f"lower(trim({value}))" if lower else value

    end, start = stamp(resolved.timestamp), stamp(resolved.start_timestamp)
    if end is None or start is None:
        return None
    cost = (
        f"TRY_CAST({_quote(resolved.cost)} AS DOUBLE)" if resolved.cost else "CAST(NULL AS DOUBLE)"
    )
    inner = (
        f'SELECT {text(resolved.case)} AS "case", {text(resolved.activity)} AS activity, '
        f"{end} AS time, {start} AS start, {text(resolved.lifecycle, lower=True)} AS lifecycle, "
        f"{text(resolved.resource)} AS resource, {text(resolved.role)} AS role, {cost} AS cost, "
        "CAST(file_row_number AS BIGINT) AS row "
        "FROM read_parquet('{path}', file_row_number = true)"
    )
    sql = (
        'SELECT "case", activity, time, start, lifecycle, resource, role, cost, row, '
        "CAST(year(make_timestamp(time)) * 100 + month(make_timestamp(time)) AS INTEGER) "
        f"AS month FROM ({inner})"
    )
    return ParquetView(path, sql)


def _read_frame(frame: Any, opts: ReadOptions, progress: Progress | None) -> EventLog:
    if isinstance(frame, pa.Table):
        table = frame
    else:
        try:
            native = nw.from_native(frame)
            eager = native.collect() if isinstance(native, nw.LazyFrame) else native
            table = eager.to_arrow()
        except (TypeError, AttributeError):
            raise EventLogError(
                f"cannot read a {type(frame).__name__} as an event log",
                hint="pass a file path, or a pandas, Polars (eager or lazy) or pyarrow data frame",
            ) from None
    source = Source(f"<{type(frame).__module__.split('.')[0]} {type(frame).__name__}>", "frame")
    return build_log([table], lambda: table.column_names, source, opts, progress)
