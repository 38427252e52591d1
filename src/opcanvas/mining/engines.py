"""One implementation, two engines: the metric queries are written once, in Narwhals.

Why Narwhals, not Ibis (decided 2026-11, measured on this machine): Narwhals 2.x translates
lazy expressions, including ``over(partition_by=..., order_by=...)`` windows (``shift``,
``cum_sum``, ``cum_max``, ``cum_min``, ``cum_count``), group-bys with exact ``median`` and
``quantile`` (DuckDB ``quantile_cont``, Spark ``percentile``: both linear interpolation), and
joins, straight into DuckDB's relational API and PySpark DataFrames, with no measurable cost
over hand-written DuckDB. Ibis 12 is not installed here: it needs ``sqlglot<30.18`` to create
tables on DuckDB (ibis#12124), and its Polars backend cannot translate ``lag().over()``.

The layer is :class:`Engine`: it turns canonical events into a Narwhals ``LazyFrame``,
materialises intermediate frames (a DuckDB temporary table, a cached Spark view), and collects
small results as Arrow. One operation Narwhals lacks, an ordered string aggregation (for
variants), is the only engine-specific code: :meth:`Engine.ordered_concat`, and on DuckDB for
large logs a spillable variant key (:meth:`Engine.sequence_keys`).

Times are ``int64`` microseconds, so both engines compute identical durations; means and
quantiles agree to the last bits of a double (the suite compares at 1e-12 relative).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import Any

import narwhals as nw
import pyarrow as pa

from opcanvas.errors import EventLogError
from opcanvas.mining.eventlog import EventLog, duck

ENGINES = ("duckdb", "spark")
_names = count()


class Engine(ABC):
    """Runs Narwhals lazy frames on one backend."""

    name: str

    @abstractmethod
    def events(self, log: EventLog) -> nw.LazyFrame[Any]:
        """The canonical events of ``log`` as a lazy frame."""

    @abstractmethod
    def table(self, data: pa.Table) -> nw.LazyFrame[Any]:
        """A small Arrow table (a lookup) as a lazy frame on this engine."""

    @abstractmethod
    def materialize(self, frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
        """Compute ``frame`` once and keep it, so later queries do not recompute it."""

    @abstractmethod
    def ordered_concat(
        self, frame: nw.LazyFrame[Any], by: str, order: str, value: str, sep: str
    ) -> nw.LazyFrame[Any]:
        """Per ``by``: ``value`` strings joined by ``sep`` in ``order``, as column ``joined``."""

    def sequence_keys(
        self, frame: nw.LazyFrame[Any], by: str, order: str, value: str, sep: str,
        bounded: bool,
    ) -> tuple[nw.LazyFrame[Any], bool]:  # fmt: skip
        """Per ``by`` a ``key`` equal for equal sequences, and whether it is the joined
        sequence itself (else a hash: look the sequence up from an example)."""
        joined = self.ordered_concat(frame, by, order, value, sep)
        return joined.rename({"joined": "key"}), True

    def collect(self, frame: nw.LazyFrame[Any]) -> pa.Table:
        """The rows of ``frame`` as Arrow (only for small results)."""
        with quiet():
            result: pa.Table = frame.collect("pyarrow").to_native()
        return result

    def rows(self, frame: nw.LazyFrame[Any]) -> list[dict[str, Any]]:
        return self.collect(frame).to_pylist()

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the engine holds (temporary tables, views)."""


@contextmanager
def quiet() -> Iterator[None]:
    """PySpark 4.3 warns that it does not fully support pandas 3 even when pandas is unused."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
        yield


class DuckDBEngine(Engine):
    """The default: DuckDB in process, out-of-core beyond ``memory_limit``."""

    name = "duckdb"

    def __init__(self, memory_limit: str | None = None, temp_dir: str | None = None) -> None:
        # spill files go to a private directory, never the working directory
        self._spill = Path(tempfile.mkdtemp(prefix="opcanvas-duckdb-", dir=temp_dir))
        self.con = duck(memory_limit, str(self._spill))
        self._keep: list[Any] = []

    def events(self, log: EventLog) -> nw.LazyFrame[Any]:
        return nw.from_native(log.relation(self.con))

    def table(self, data: pa.Table) -> nw.LazyFrame[Any]:
        name = f"opcanvas_lookup_{next(_names)}"
        self._keep.append(data)
        self.con.register(name, data)
        return nw.from_native(self.con.table(name))

    def materialize(self, frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
        name = f"opcanvas_t{next(_names)}"
        frame.to_native().to_table(name)
        return nw.from_native(self.con.table(name))

    def ordered_concat(
        self, frame: nw.LazyFrame[Any], by: str, order: str, value: str, sep: str
    ) -> nw.LazyFrame[Any]:
        rel = frame.to_native()
        quoted = sep.replace("'", "''")
        agg = f'"{by}", string_agg("{value}", \'{quoted}\' ORDER BY "{order}") AS joined'
        return nw.from_native(rel.aggregate(agg, f'"{by}"'))

    def sequence_keys(
        self, frame: nw.LazyFrame[Any], by: str, order: str, value: str, sep: str,
        bounded: bool,
    ) -> tuple[nw.LazyFrame[Any], bool]:  # fmt: skip
        if not bounded:
            return super().sequence_keys(frame, by, order, value, sep, bounded)
        # an ordered string aggregate holds every group in memory; a sum of 64-bit hashes of
        # (value, position) is a plain aggregate that spills (collision odds ~ variants²/2⁶⁴)
        rel = frame.to_native()
        agg = f'"{by}", CAST(sum(CAST(hash("{value}", "{order}") AS HUGEINT)) AS VARCHAR) AS key'
        return nw.from_native(rel.aggregate(agg, f'"{by}"')), False

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._spill, ignore_errors=True)


class SparkEngine(Engine):
    """Apache Spark through PySpark: the same queries for logs beyond one machine."""

    name = "spark"

    def __init__(self, session: Any | None = None) -> None:
        self.spark = session if session is not None else spark_session()
        self._views: list[str] = []
        self._cached: list[Any] = []

    def events(self, log: EventLog) -> nw.LazyFrame[Any]:
        with quiet():
            frame = self.spark.read.parquet(str(log.parquet_path()))
        return self._view(frame)

    def table(self, data: pa.Table) -> nw.LazyFrame[Any]:
        with quiet():
            frame = self.spark.createDataFrame(data)
        return self._view(frame)

    def materialize(self, frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
        native = frame.to_native().cache()
        self._cached.append(native)
        return self._view(native)

    def _view(self, frame: Any) -> nw.LazyFrame[Any]:
        name = f"opcanvas_v{next(_names)}"
        frame.createOrReplaceTempView(name)  # views, not tables: no ./spark-warehouse
        self._views.append(name)
        return nw.from_native(self.spark.table(name))

    def ordered_concat(
        self, frame: nw.LazyFrame[Any], by: str, order: str, value: str, sep: str
    ) -> nw.LazyFrame[Any]:
        from pyspark.sql import functions as F  # noqa: N812 - PySpark's own convention

        pairs = F.array_sort(F.collect_list(F.struct(F.col(order), F.col(value))))
        joined = F.concat_ws(sep, F.transform(pairs, lambda item: item[value]))
        native = frame.to_native().groupBy(by).agg(joined.alias("joined"))
        return nw.from_native(native)

    def close(self) -> None:
        for frame in self._cached:
            frame.unpersist()
        for name in self._views:
            self.spark.catalog.dropTempView(name)


def spark_session(partitions: int = 4, memory: str = "2g") -> Any:
    """A local-mode Spark session in UTC on the loopback address (no network needed).

    Settings are applied here, when a session is asked for, never at import.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EventLogError(
            "the spark engine needs PySpark", hint="install opcanvas[spark]"
        ) from None
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    with quiet():
        session = (
            SparkSession.builder.master("local[2]")
            .appName("opcanvas")
            .config("spark.sql.shuffle.partitions", str(partitions))
            .config("spark.default.parallelism", str(partitions))
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", memory)
            .config("spark.sql.ansi.enabled", "true")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    return session


def make_engine(name: str, **options: Any) -> Engine:
    """``duckdb`` (default) or ``spark``; an unknown name lists the engines."""
    if name == "duckdb":
        return DuckDBEngine(options.get("memory_limit"), options.get("temp_dir"))
    if name == "spark":
        return SparkEngine(options.get("session"))
    raise EventLogError(f'unknown engine "{name}"; expected one of {", ".join(ENGINES)}')
