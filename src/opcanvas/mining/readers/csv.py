"""CSV (plain or gzip), streamed with pyarrow, its dialect and encoding sniffed first.

Sniffing reads the first 256 KiB: a byte-order mark or a clean UTF-8 decode sets the
encoding (else cp1252, which reads every byte); ``csv.Sniffer`` with the usual delimiters
(``,`` ``;`` tab ``|``) sets delimiter and quote character. Each can be given instead. Every
column is read as text; timestamps and numbers are typed by the canonical step, so a bad
value is reported with its row rather than failing deep in a parser.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from opcanvas.errors import EventLogError, Location
from opcanvas.mining.readers.limits import open_source

SNIFF_BYTES = 256 * 1024
BLOCK_BYTES = 16 << 20
DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class Dialect:
    """What was sniffed (or given): printed with the result."""

    encoding: str
    delimiter: str
    quote: str
    header: list[str]

    def to_dict(self) -> dict[str, object]:
        return {"encoding": self.encoding, "delimiter": self.delimiter, "quote": self.quote}


def sniff(
    path: Path,
    max_bytes: int,
    encoding: str | None = None,
    delimiter: str | None = None,
    quote: str | None = None,
) -> Dialect:
    """Encoding, delimiter, quote character and header of a CSV file."""
    with open_source(path, max_bytes) as stream:
        head = stream.read(SNIFF_BYTES)
    if not head.strip():
        raise EventLogError("the CSV file is empty", where=Location(path))
    encoding = encoding or _encoding(head)
    try:
        text = codecs.decode(head, encoding, errors="replace")
    except LookupError:
        raise EventLogError(f'unknown encoding "{encoding}"', where=Location(path)) from None
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    sample = "\n".join(lines[:-1] if len(lines) > 1 else lines)
    if delimiter is None or quote is None:
        try:
            found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
            delimiter = delimiter or found.delimiter
            quote = quote or found.quotechar or '"'
        except csv.Error:
            delimiter = delimiter or _most_common(lines[:20])
            quote = quote or '"'
    header = next(csv.reader(io.StringIO(lines[0]), delimiter=delimiter, quotechar=quote))
    return Dialect(encoding, delimiter, quote, [h.strip() for h in header])


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the sample's end
            return "utf-8"
        return "cp1252"


def _most_common(lines: list[str]) -> str:
    counts = {d: min((line.count(d) for line in lines if line), default=0) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def csv_batches(path: Path, dialect: Dialect, max_bytes: int) -> Iterator[pa.RecordBatch]:
    """Every column as text, in blocks of about 16 MiB."""
    stream = open_source(path, max_bytes)
    encoding = "utf8" if dialect.encoding in ("utf-8", "utf-8-sig") else dialect.encoding
    read = pacsv.ReadOptions(encoding=encoding, block_size=BLOCK_BYTES)
    parse = pacsv.ParseOptions(delimiter=dialect.delimiter, quote_char=dialect.quote)
    names = _unique(dialect.header)
    convert = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        strings_can_be_null=True,
        null_values=[""],
    )
    read = pacsv.ReadOptions(
        encoding=encoding, block_size=BLOCK_BYTES, column_names=names, skip_rows=1
    )
    try:
        reader = pacsv.open_csv(
            stream, read_options=read, parse_options=parse, convert_options=convert
        )
        yield from reader
    except pa.ArrowInvalid as exc:
        raise EventLogError(f"malformed CSV: {exc}", where=Location(path)) from None
    finally:
        stream.close()


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = name or "column"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out
