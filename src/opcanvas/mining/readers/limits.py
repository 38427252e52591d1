"""Opening source files safely: gzip detected by its magic bytes, decompressed size capped.

A compressed file that expands beyond ``max_bytes`` stops with an :class:`EventLogError`
instead of filling memory or disk (a "zip bomb").
"""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path
from typing import Any, BinaryIO, cast

from opcanvas.errors import EventLogError, Location

GZIP_MAGIC = b"\x1f\x8b"


class CappedReader(io.RawIOBase):
    """A read-only stream that raises once more than ``max_bytes`` have come out of it."""

    def __init__(self, inner: BinaryIO, max_bytes: int, source: Path) -> None:
        self.inner = inner
        self.max_bytes = max_bytes
        self.source = source
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        self.count += len(data)
        if self.count > self.max_bytes:
            raise EventLogError(
                f"the file expands beyond the limit of {self.max_bytes:,} bytes when decompressed",
                where=Location(self.source),
                hint="raise the limit with --max-decompressed-bytes if the file is trusted",
            )
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            chunks = []
            while chunk := self.read(1 << 20):
                chunks.append(chunk)
            return b"".join(chunks)
        buffer = bytearray(size)
        got = self.readinto(buffer)
        return bytes(buffer[:got])

    def close(self) -> None:
        self.inner.close()
        super().close()


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def open_source(path: Path, max_bytes: int) -> BinaryIO:
    """The decompressed bytes of ``path`` (gzip or plain), capped at ``max_bytes``."""
    check_file(path)
    raw: Any = gzip.open(path, "rb") if is_gzip(path) else path.open("rb")  # noqa: SIM115
    capped = CappedReader(raw, max_bytes, path)  # closed by the caller, through the buffer
    return cast(BinaryIO, io.BufferedReader(capped, buffer_size=1 << 20))


def check_file(path: Path) -> None:
    if not path.exists():
        raise EventLogError("no such event log file", where=Location(path))
    if path.is_dir():
        raise EventLogError("expected an event log file, found a directory", where=Location(path))


def sha256_of(path: Path) -> str:
    """The SHA-256 of the file as stored (compressed bytes for .gz), for provenance."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()
