"""Timestamps from any source, normalised to UTC microseconds since 1970 (``int64``).

Detection order for text: ISO 8601 with offsets, ISO 8601 without, ISO 8601 mixed (some
values with an offset, some without), then a short list of common day/month layouts tried on a
sample. A layout that reads the sample both day-first and month-first is refused as ambiguous.
Values without an offset are read in ``timezone`` (UTC unless told otherwise); values with one
are converted; the summary says how many of each and which offsets were seen (so a log that
mixes +01:00 and +02:00 is visible). A value that cannot be read is an error naming its row.

>>> import pyarrow as pa
>>> state = TimestampParser()
>>> state.parse(pa.array(["2024-01-02T10:00:00+02:00"]), "time", 0).to_pylist()
[1704182400000000]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from opcanvas.errors import EventLogError

if TYPE_CHECKING:
    import pandas as pd

US = pa.timestamp("us")
US_UTC = pa.timestamp("us", "UTC")
EPOCH_UNITS = {"epoch_s": 1_000_000, "epoch_ms": 1_000, "epoch_us": 1}
CANDIDATE_FORMATS = (
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y%m%d%H%M%S",
)
_OFFSET = r"(?P<offset>Z|[+-]\d\d:?\d\d)$"
SAMPLE = 2000
MAX_OFFSETS_SHOWN = 12


@dataclass
class TimestampSummary:
    """What the parser found across all batches (printed with every result)."""

    format: str | None = None
    timezone: str = "UTC"
    with_offset: int = 0
    without_offset: int = 0
    offsets: set[str] = field(default_factory=set)

    def mixed(self) -> bool:
        return (self.with_offset > 0 and self.without_offset > 0) or len(self.offsets) > 1

    def describe(self) -> str:
        parts = [f"format {self.format or 'native timestamps'}"]
        if self.with_offset:
            shown = sorted(self.offsets)[:MAX_OFFSETS_SHOWN]
            parts.append(
                f"{self.with_offset:,} with a UTC offset ({', '.join(shown)}) converted to UTC"
            )
        if self.without_offset:
            parts.append(f"{self.without_offset:,} without an offset read as {self.timezone}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "timezone_for_naive": self.timezone,
            "with_offset": self.with_offset,
            "without_offset": self.without_offset,
            "offsets": sorted(self.offsets),
            "mixed": self.mixed(),
        }


class TimestampParser:
    """Parses batches of one column consistently: the layout found first is kept."""

    def __init__(self, fmt: str | None = None, timezone: str = "UTC") -> None:
        self.fmt = fmt
        self.summary = TimestampSummary(format=fmt, timezone=timezone)

    def parse(self, values: pa.Array | pa.ChunkedArray, column: str, row_offset: int) -> pa.Array:
        """UTC microseconds (int64) for ``values``; nulls stay null, bad text is an error."""
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        kind = values.type
        if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
            return self._native(values)
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            return self._epoch(values, column)
        if pa.types.is_dictionary(kind):
            values = values.dictionary_decode()
        text = values.cast(pa.string())
        if self.fmt is None:
            self.fmt = self.summary.format = _detect(text, column)
        if self.fmt in EPOCH_UNITS:
            return self._epoch(text, column)
        return self._text(text, column, row_offset)

    def _native(self, values: pa.Array) -> pa.Array:
        self.summary.format = self.summary.format or "native timestamps"
        if pa.types.is_date(values.type):
            values = values.cast(US)
        if values.type.tz is None:
            self.summary.without_offset += len(values) - values.null_count
            values = self._localise(values.cast(US))
        else:
            self.summary.with_offset += len(values) - values.null_count
            self.summary.offsets.add(values.type.tz)
        return values.cast(US_UTC).cast(pa.int64())

    def _epoch(self, values: pa.Array, column: str) -> pa.Array:
        if self.fmt not in EPOCH_UNITS:
            raise EventLogError(
                f'timestamp column "{column}" holds numbers, not dates',
                hint="say what they count with --timestamp-format epoch_s, epoch_ms or epoch_us",
            )
        self.summary.format = self.fmt
        scale = EPOCH_UNITS[self.fmt]
        number = pc.multiply(values.cast(pa.float64()), float(scale))
        self.summary.with_offset += len(values) - values.null_count
        self.summary.offsets.add("Z")
        return pc.round(number).cast(pa.int64())

    def _localise(self, naive: pa.Array) -> pa.Array:
        if self.summary.timezone == "UTC":
            return naive.cast(US_UTC)
        try:
            return pc.assume_timezone(
                naive, self.summary.timezone, ambiguous="earliest", nonexistent="latest"
            )
        except (pa.ArrowInvalid, ValueError) as exc:
            raise EventLogError(f'unknown time zone "{self.summary.timezone}": {exc}') from None

    def _text(self, text: pa.Array, column: str, row_offset: int) -> pa.Array:
        present = len(text) - text.null_count
        if self.fmt == "ISO 8601":
            try:  # fast path: every value has an offset
                parsed = text.cast(US_UTC)
                self._count_offsets(text, present)
                return parsed.cast(pa.int64())
            except pa.ArrowInvalid:
                pass
            try:  # fast path: no value has an offset
                parsed = self._localise(text.cast(US))
                self.summary.without_offset += present
                return parsed.cast(pa.int64())
            except pa.ArrowInvalid:
                pass
        return self._mixed(text, column, row_offset)

    def _count_offsets(self, text: pa.Array, present: int) -> None:
        self.summary.with_offset += present
        offsets = pc.extract_regex(text, _OFFSET).field("offset")
        self.summary.offsets.update(o for o in pc.unique(offsets).to_pylist() if o)

    def _mixed(self, text: pa.Array, column: str, row_offset: int) -> pa.Array:
        """Slow path: pandas per value, offsets and naive values apart, errors located."""
        import pandas as pd  # imported when text timestamps are parsed

        has_offset = pc.fill_null(pc.match_substring_regex(text, _OFFSET), False)
        series = pd.Series(text.to_pandas(), dtype=object)
        fmt = "ISO8601" if self.fmt == "ISO 8601" else self.fmt
        aware_mask = has_offset.to_numpy(zero_copy_only=False)
        result = pd.Series(pd.NaT, index=series.index, dtype="datetime64[us, UTC]")
        if aware_mask.any():
            aware = pd.to_datetime(series[aware_mask], format=fmt, utc=True, errors="coerce")
            result[aware_mask] = aware.astype("datetime64[us, UTC]")
            self._count_offsets(pa.array(series[aware_mask], pa.string()), 0)
            self.summary.with_offset += int(aware.notna().sum())
        if (~aware_mask).any():
            naive = pd.to_datetime(series[~aware_mask], format=fmt, errors="coerce")
            localised = self._localise(pa.array(naive.astype("datetime64[us]"), US))
            result[~aware_mask] = pd.Series(
                localised.to_pandas().array, index=series.index[~aware_mask]
            ).astype("datetime64[us, UTC]")
            self.summary.without_offset += int(naive.notna().sum())
        bad = result.isna() & series.notna()
        if bad.any():
            raise unparsable(column, series[bad], row_offset, self.fmt)
        return pa.array(result, US_UTC).cast(pa.int64())


def _detect(text: pa.Array, column: str) -> str:
    """The layout of a sample: strict ISO 8601, else a listed layout that reads all of it,
    else lenient ISO 8601, else the layout that reads the most (the full parse then names the
    rows it cannot read)."""
    import pandas as pd  # imported when text timestamps are parsed

    sample = pc.drop_null(text)[:SAMPLE]
    if len(sample) == 0 or _strict_iso(sample):
        return "ISO 8601"
    series = pd.Series(sample.to_pandas(), dtype=object)
    scores = {
        fmt: pd.to_datetime(series, format=fmt, errors="coerce").notna().mean()
        for fmt in CANDIDATE_FORMATS
    }
    day_month = [f for f, s in scores.items() if s == 1.0 and f.startswith("%d/%m")]
    month_day = [f for f, s in scores.items() if s == 1.0 and f.startswith("%m/%d")]
    if day_month and month_day:
        raise EventLogError(
            f'timestamps in "{column}" read both day-first and month-first '
            f'(e.g. "{series.iloc[0]}")',
            hint='say which with --timestamp-format, e.g. "%d/%m/%Y %H:%M"',
        )
    best = max(scores, key=lambda f: scores[f])  # the first of equals: list order
    if scores[best] == 1.0:
        return best
    iso = pd.to_datetime(series, format="ISO8601", utc=True, errors="coerce").notna().mean()
    return best if scores[best] > iso else "ISO 8601"


def _strict_iso(sample: pa.Array) -> bool:
    for target in (US_UTC, US):
        try:
            sample.cast(target)
            return True
        except pa.ArrowInvalid:
            continue
    return False


def unparsable(column: str, bad: pd.Series, row_offset: int, fmt: str | None) -> EventLogError:
    """An error naming the first rows (1-based) and values that could not be read."""
    examples = [
        f'row {row_offset + position + 1}: "{value}"'
        for position, value in zip(bad.index[:5].astype(int), bad.head(5), strict=True)
    ]
    how = f'with format "{fmt}"' if fmt else "as ISO 8601 or a common date layout"
    return EventLogError(
        f'cannot read {len(bad):,} timestamp(s) in column "{column}" {how}: ' + "; ".join(examples),
        hint='fix those rows, or give the layout with --timestamp-format "%d/%m/%Y %H:%M:%S" '
        "(Python strptime codes) or epoch_s / epoch_ms",
    )
