"""The one shape every reader's output takes: canonical events, batch by batch.

=========  ==========  ===========================================================
column     type        meaning
=========  ==========  ===========================================================
case       string      case id
activity   string      activity name
time       int64       when it happened: UTC microseconds since 1970 (the completion)
start      int64       when the activity instance started (interval logs), or null
lifecycle  string      lower-case transition (``start``, ``complete``, …), or null
resource   string      who did it, or null
role       string      role, group or swim lane, or null
cost       float64     cost, or null
row        int64       position in the source (0-based), for stable order and messages
month      int32       ``yyyymm`` of ``time`` in UTC, for monthly trends
=========  ==========  ===========================================================

Times are integers so that every engine computes identical durations; conversion to minutes
happens once, at the end.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from opcanvas.errors import EventLogError
from opcanvas.mining.columns import ResolvedColumns
from opcanvas.mining.timestamps import TimestampParser

SCHEMA = pa.schema(
    [
        ("case", pa.string()),
        ("activity", pa.string()),
        ("time", pa.int64()),
        ("start", pa.int64()),
        ("lifecycle", pa.string()),
        ("resource", pa.string()),
        ("role", pa.string()),
        ("cost", pa.float64()),
        ("row", pa.int64()),
        ("month", pa.int32()),
    ]
)
TEXT_PARTS = ("case", "activity", "resource", "role")


class Canonicaliser:
    """Turns raw batches (source columns) into canonical tables, keeping state across batches."""

    def __init__(
        self, columns: ResolvedColumns, timestamp_format: str | None, timezone: str
    ) -> None:
        self.columns = columns
        self.end = TimestampParser(timestamp_format, timezone)
        self.start = TimestampParser(timestamp_format, timezone)
        self.bad_costs = 0

    def convert(self, batch: pa.RecordBatch | pa.Table, row_offset: int) -> pa.Table:
        """One canonical table for ``batch``, whose first row is source row ``row_offset``."""
        table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
        n = table.num_rows
        if n == 0:
            return SCHEMA.empty_table()
        cols = self.columns
        out: dict[str, pa.Array] = {}
        for part in TEXT_PARTS:
            name = getattr(cols, part)
            out[part] = _text(table, name, n)
        out["time"] = self.end.parse(_column(table, cols.timestamp, n), cols.timestamp, row_offset)
        out["start"] = (
            self.start.parse(
                _column(table, cols.start_timestamp, n), cols.start_timestamp, row_offset
            )
            if cols.start_timestamp
            else pa.nulls(n, pa.int64())
        )
        lifecycle = _text(table, cols.lifecycle, n)
        out["lifecycle"] = pc.utf8_lower(pc.utf8_trim_whitespace(lifecycle))
        out["cost"] = self._cost(table, cols.cost, n)
        out["row"] = pa.array(range(row_offset, row_offset + n), pa.int64())
        out["month"] = month_of(out["time"])
        return pa.table([out[f.name] for f in SCHEMA], schema=SCHEMA)

    def _cost(self, table: pa.Table, name: str | None, n: int) -> pa.Array:
        if not name:
            return pa.nulls(n, pa.float64())
        values = _column(table, name, n)
        if pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
            return values.cast(pa.float64())
        import pandas as pd  # only for text costs: importing it costs every run a third of a second

        series = pd.Series(values.cast(pa.string()).to_pandas(), dtype=object)
        numbers = pd.to_numeric(series, errors="coerce")
        self.bad_costs += int((numbers.isna() & series.notna() & (series != "")).sum())
        return pa.array(numbers, pa.float64())


def month_of(micros: pa.Array) -> pa.Array:
    """``yyyymm`` (UTC) of UTC microseconds."""
    stamps = micros.cast(pa.timestamp("us", "UTC"))
    year = pc.year(stamps).cast(pa.int32())
    return pc.add(pc.multiply(year, 100), pc.month(stamps).cast(pa.int32()))


def _column(table: pa.Table, name: str, n: int) -> pa.Array:
    if name not in table.column_names:
        return pa.nulls(n, pa.string())  # a key a streaming reader has not seen in this batch
    column = table.column(name)
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _text(table: pa.Table, name: str | None, n: int) -> pa.Array:
    if not name:
        return pa.nulls(n, pa.string())
    values = _column(table, name, n)
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        return values.cast(pa.string())
    try:
        return values.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise EventLogError(
            f'column "{name}" holds {values.type} values, which cannot be read as text'
        ) from None
