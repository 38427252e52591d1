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
small results as Arrow. Engine-specific code is confined to a few methods, each with a portable
Narwhals default that Spark uses and a DuckDB version that computes the same numbers faster:

- :meth:`Engine.ordered_concat`: an ordered string aggregation (for variants), which Narwhals
  lacks; :meth:`Engine.sequence_keys`: on DuckDB a variant key from two hash sums (a plain
  aggregate, several times faster than sorting every case's steps, and spillable).
- :meth:`Engine.windows`: ordered window columns; DuckDB computes them in one sort, including
  "the maximum of the rows before this one" (a window frame Narwhals cannot express, so its
  default needs a second window over the first and a second sort of the whole log).
- :meth:`Engine.quantiles`: median, P85 and P95 per group; DuckDB computes the three from one
  list-valued ``quantile_cont`` (one copy of the values per group instead of three).
- :meth:`Engine.events`: on DuckDB, activity, resource and role columns with few distinct
  values are read as ENUMs (integer keys for every window, join and group-by; same strings
  out), and under a memory limit the materialised frames of large logs are kept compressed in
  a database file.

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
WINDOWS = ("cum_count", "cum_max", "cum_min", "lag", "max_before", "min_before")
"""Window functions :meth:`Engine.windows` knows: running count/max/min up to and including
the row, the previous row's value, and the running max/min of the rows before the row."""
_names = count()
STORE = "opcanvas_store"
STORE_ABOVE = 20_000_000
"""Under a memory limit, logs above this many events keep materialised frames compressed."""
ENUM_COLUMNS = ("activity", "resource", "role")
ENUM_MAX = 65_535
"""Text columns with at most this many distinct values become DuckDB ENUMs (two bytes)."""


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

    @abstractmethod
    def with_md5(self, frame: nw.LazyFrame[Any], column: str, alias: str) -> nw.LazyFrame[Any]:
        """``frame`` with ``alias``, the hex MD5 of ``column`` as text (Narwhals has no hash,
        and the engines' own hashes differ: MD5 is one both compute identically)."""

    def sequence_keys(
        self, frame: nw.LazyFrame[Any], by: str, order: str, value: str, sep: str,
        bounded: bool,
    ) -> tuple[nw.LazyFrame[Any], bool]:  # fmt: skip
        """Per ``by`` a ``key`` equal for equal sequences, and whether it is the joined
        sequence itself (else a hash: look the sequence up from an example)."""
        joined = self.ordered_concat(frame, by, order, value, sep)
        return joined.rename({"joined": "key"}), True

    def windows(
        self, frame: nw.LazyFrame[Any], by: list[str], order: list[str],
        columns: dict[str, tuple[str, str]],
    ) -> nw.LazyFrame[Any]:  # fmt: skip
        """``frame`` with new ``columns`` (alias → (function of :data:`WINDOWS`, column)),
        computed per ``by`` partition over rows ordered by ``order`` (ascending, nulls first;
        ``order`` must make the order total). Counts skip nulls; a running max or min is null
        where the row's value is (as in Narwhals); ``*_before`` needs a column without nulls.

        The portable way: Narwhals windows; a ``*_before`` column is the previous row's
        running value (a second window over the first).
        """
        window: dict[str, Any] = {"order_by": order}
        direct: dict[str, nw.Expr] = {}
        before: dict[str, nw.Expr] = {}
        for alias, (kind, column) in columns.items():
            col = nw.col(column)
            if kind == "cum_count":
                direct[alias] = col.cum_count().over(*by, **window)
            elif kind in ("cum_max", "max_before"):
                direct[alias if kind == "cum_max" else f"_{alias}_upto"] = col.cum_max().over(
                    *by, **window
                )
            elif kind in ("cum_min", "min_before"):
                direct[alias if kind == "cum_min" else f"_{alias}_upto"] = col.cum_min().over(
                    *by, **window
                )
            elif kind == "lag":
                direct[alias] = col.shift(1).over(*by, **window)
            else:
                raise ValueError(f"unknown window function {kind!r}; expected one of {WINDOWS}")
            if kind.endswith("_before"):
                before[alias] = nw.col(f"_{alias}_upto").shift(1).over(*by, **window)
        frame = frame.with_columns(**direct)
        if before:
            frame = frame.with_columns(**before).drop(*(f"_{a}_upto" for a in before))
        return frame

    def quantiles(
        self, frame: nw.LazyFrame[Any], by: list[str], column: str,
        quantiles: dict[str, float],
    ) -> dict[Any, dict[str, float | None]]:  # fmt: skip
        """Per ``by`` group, type-7 quantiles of ``column`` (nulls skipped), named as in
        ``quantiles``. Keys are the ``by`` value (one column) or a tuple of them."""
        col = nw.col(column)
        exprs = [
            (col.median() if q == 0.5 else col.quantile(q, interpolation="linear")).alias(name)
            for name, q in quantiles.items()
        ]
        rows = self.rows(frame.group_by(*by).agg(*exprs))
        return {_key(r, by): {name: r[name] for name in quantiles} for r in rows}

    @property
    def native_quantiles(self) -> bool:
        """Whether :meth:`quantiles` is cheaper than quantile aggregates in a group-by."""
        return False

    def collect(self, frame: nw.LazyFrame[Any]) -> pa.Table:
        """The rows of ``frame`` as Arrow (only for small results)."""
        with quiet():
            result: pa.Table = frame.collect("pyarrow").to_native()
        return result

    def rows(self, frame: nw.LazyFrame[Any]) -> list[dict[str, Any]]:
        return self.collect(frame).to_pylist()

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the engine holds (temporary tables, views)."""


def _key(row: dict[str, Any], by: list[str]) -> Any:
    return row[by[0]] if len(by) == 1 else tuple(row[b] for b in by)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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
        self._limited = bool(memory_limit)
        self._prefix = ""
        self._keep: list[Any] = []
        self._enums: dict[int, tuple[EventLog, dict[str, str]]] = {}  # the log kept: ids stay

    def events(self, log: EventLog) -> nw.LazyFrame[Any]:
        if self._limited and log.events > STORE_ABOVE and not self._prefix:
            self._attach_store()
        rel = log.relation(self.con)
        key = id(log)
        if key not in self._enums:
            self._enums[key] = (log, self._enum_types(rel))
        casts = self._enums[key][1]
        if not casts:
            return nw.from_native(rel)
        replace = ", ".join(f"CAST({_quote(c)} AS {t}) AS {_quote(c)}" for c, t in casts.items())
        name = f"opcanvas_e{next(_names)}"
        return nw.from_native(rel.query(name, f"SELECT * REPLACE ({replace}) FROM {name}"))

    def _attach_store(self) -> None:
        """Materialised frames go to a database file next to the spill files from now on.

        DuckDB stores them compressed (about a third of the in-memory size of the instance
        table) and may drop their pages from memory without writing, which leaves the memory
        limit to sorts and aggregations. Compressing costs time (about 2 s for 10M
        instances), so it is done only for logs above :data:`STORE_ABOVE` events.
        """
        store = (self._spill / "tables.duckdb").as_posix().replace("'", "''")
        self.con.execute(f"ATTACH '{store}' AS {STORE}")
        self._prefix = f"{STORE}."

    def _enum_types(self, rel: Any) -> dict[str, str]:
        """Activities, resources and roles as ENUM types where there are few distinct values.

        An ENUM is stored as a small integer: the instance table is narrower, and windows,
        joins and group-bys on these columns hash and compare integers instead of strings
        (the rework aggregation over case × step × resource about 40 % faster at 10M
        events). Values come back as the same strings; nothing here sorts by them.
        """
        view = f"opcanvas_ev{next(_names)}"
        rel.create_view(view)
        counts = self.con.execute(
            "SELECT " + ", ".join(f"count(DISTINCT {_quote(c)})" for c in ENUM_COLUMNS)
            + f" FROM {view}"
        ).fetchone()  # fmt: skip
        types = {}
        for column, distinct in zip(ENUM_COLUMNS, counts or (), strict=False):
            if not distinct or int(distinct) > ENUM_MAX:
                continue
            name = f"opcanvas_enum{next(_names)}"
            self.con.execute(
                f"CREATE TYPE {name} AS ENUM (SELECT DISTINCT {_quote(column)} FROM {view} "
                f"WHERE {_quote(column)} IS NOT NULL)"
            )
            types[column] = name
        self.con.execute(f"DROP VIEW {view}")
        return types

    def table(self, data: pa.Table) -> nw.LazyFrame[Any]:
        name = f"opcanvas_lookup_{next(_names)}"
        self._keep.append(data)
        self.con.register(name, data)
        return nw.from_native(self.con.table(name))

    def materialize(self, frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
        name = f"{self._prefix}opcanvas_t{next(_names)}"
        frame.to_native().to_table(name)
        return nw.from_native(self.con.table(name))

    def ordered_concat(
        self, frame: nw.LazyFrame[Any], by: str, order: str, value: str, sep: str
    ) -> nw.LazyFrame[Any]:
        rel = frame.to_native()
        quoted = sep.replace("'", "''")
        agg = f'"{by}", string_agg("{value}", \'{quoted}\' ORDER BY "{order}") AS joined'
        return nw.from_native(rel.aggregate(agg, f'"{by}"'))

    def with_md5(self, frame: nw.LazyFrame[Any], column: str, alias: str) -> nw.LazyFrame[Any]:
        sql = f"*, md5(CAST({_quote(column)} AS VARCHAR)) AS {_quote(alias)}"
        return nw.from_native(frame.to_native().project(sql))

    def sequence_keys(
        self, frame: nw.LazyFrame[Any], by: str, order: str, value: str, sep: str,
        bounded: bool,
    ) -> tuple[nw.LazyFrame[Any], bool]:  # fmt: skip
        # an ordered string aggregate sorts every group and holds it in memory; two sums of
        # 64-bit hashes of (value, position) are plain aggregates, several times faster, that
        # spill. ``order`` is a position, unique in its group, so a sequence is the set of its
        # (value, position) pairs: different sequences get the same key only if both sums
        # collide (odds about variants² / 2¹²⁹)
        rel = frame.to_native()
        v, o = _quote(value), _quote(order)
        first = f"sum(CAST(hash({v}, {o}) AS HUGEINT))"
        second = f"sum(CAST(hash({o}, {v}, 'opcanvas') AS HUGEINT))"
        agg = f"{_quote(by)}, CAST({first} AS VARCHAR) || ':' || CAST({second} AS VARCHAR) AS key"
        return nw.from_native(rel.aggregate(agg, _quote(by))), False

    def windows(
        self, frame: nw.LazyFrame[Any], by: list[str], order: list[str],
        columns: dict[str, tuple[str, str]],
    ) -> nw.LazyFrame[Any]:  # fmt: skip
        # one window clause for every column: DuckDB sorts the partitions once
        upto = "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
        before = "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING"
        spec = (
            f"PARTITION BY {', '.join(_quote(b) for b in by)} "
            f"ORDER BY {', '.join(f'{_quote(o)} ASC NULLS FIRST' for o in order)}"
        )
        calls = {"cum_count": ("count", upto), "cum_max": ("max", upto),
                 "cum_min": ("min", upto), "lag": ("lag", ""), "max_before": ("max", before),
                 "min_before": ("min", before)}  # fmt: skip
        exprs = []
        for alias, (kind, column) in columns.items():
            if kind not in calls:
                raise ValueError(f"unknown window function {kind!r}; expected one of {WINDOWS}")
            function, frame_clause = calls[kind]
            column_sql = _quote(column)
            window = f"{function}({column_sql}) OVER ({spec} {frame_clause})"
            if kind in ("cum_max", "cum_min"):  # null where the value is, as in Narwhals
                window = f"CASE WHEN {column_sql} IS NOT NULL THEN {window} END"
            exprs.append(f"{window} AS {_quote(alias)}")
        name = f"opcanvas_w{next(_names)}"
        query = f"SELECT *, {', '.join(exprs)} FROM {name}"
        return nw.from_native(frame.to_native().query(name, query))

    @property
    def native_quantiles(self) -> bool:
        return True

    def quantiles(
        self, frame: nw.LazyFrame[Any], by: list[str], column: str,
        quantiles: dict[str, float],
    ) -> dict[Any, dict[str, float | None]]:  # fmt: skip
        # one list-valued quantile holds each group's values once, not once per quantile
        keys = ", ".join(_quote(b) for b in by)
        levels = ", ".join(repr(float(q)) for q in quantiles.values())
        name = f"opcanvas_q{next(_names)}"
        query = (
            f"SELECT {keys}, quantile_cont({_quote(column)}, [{levels}]) AS _q FROM {name} "
            f"WHERE {_quote(column)} IS NOT NULL GROUP BY {keys}"
        )
        rows = frame.to_native().query(name, query).fetchall()
        found: dict[Any, dict[str, float | None]] = {}
        for row in rows:
            key = row[0] if len(by) == 1 else tuple(row[: len(by)])
            found[key] = dict(zip(quantiles, row[-1], strict=True))
        return found

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

    def with_md5(self, frame: nw.LazyFrame[Any], column: str, alias: str) -> nw.LazyFrame[Any]:
        from pyspark.sql import functions as F  # noqa: N812 - PySpark's own convention

        digest = F.md5(F.col(column).cast("string"))
        return nw.from_native(frame.to_native().withColumn(alias, digest))

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
