"""Distributions of durations: count, mean, median, P85, P95 (linear interpolation).

Quantiles follow Hyndman & Fan type 7 (the default of NumPy, R, DuckDB ``quantile_cont`` and
Spark ``percentile``): with ``h = (n − 1)·q``, the value at rank ``⌊h⌋`` plus ``h − ⌊h⌋`` of
the step to the next. Values are minutes.

Three exact ways to get them, same numbers: as aggregates in the group-by that computes the
counts and means (the engine holds every value of a group in memory, once per quantile); in a
query of their own where the engine computes several quantiles from one copy of the values
(:meth:`Engine.quantiles` on DuckDB); or, for large logs, in bounded memory by narrowing down
where each needed rank lies with a few bucket counts (:func:`refined_quantiles`: hash
aggregations that stream, where ranking every value would need a sort of the whole column —
at 100M values a ranked window took four minutes a column on this machine).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import pyarrow as pa

from opcanvas.mining.engines import Engine
from opcanvas.mining.timebasis import MINUTE_US

STATISTICS = ("mean", "median", "p85", "p95")
QUANTILES = {"median": 0.5, "p85": 0.85, "p95": 0.95}


def summary_exprs(column: str, prefix: str, quantiles: bool = True) -> list[nw.Expr]:
    """Aggregations of an ``int64`` microsecond column, named ``{prefix}_{stat}``."""
    col = nw.col(column)
    exprs = [
        col.count().alias(f"{prefix}_count"),
        col.mean().alias(f"{prefix}_mean"),
        col.min().alias(f"{prefix}_min"),
        col.max().alias(f"{prefix}_max"),
    ]
    if quantiles:
        exprs += [
            col.median().alias(f"{prefix}_median"),
            col.quantile(0.85, interpolation="linear").alias(f"{prefix}_p85"),
            col.quantile(0.95, interpolation="linear").alias(f"{prefix}_p95"),
        ]
    return exprs


class Summaries:
    """Builds summary aggregations one way or the other (see the module docstring)."""

    def __init__(self, engine: Engine, bounded: bool) -> None:
        self.engine = engine
        self.bounded = bounded
        self.separate = bounded or engine.native_quantiles

    def exprs(self, column: str, prefix: str) -> list[nw.Expr]:
        return summary_exprs(column, prefix, quantiles=not self.separate)

    def complete(
        self,
        rows: dict[Any, dict[str, Any]],
        frame: nw.LazyFrame[Any],
        by: list[str],
        column: str,
        prefix: str,
    ) -> None:
        """Add ``{prefix}_median``/``_p85``/``_p95`` to ``rows`` (keyed like ``by``) unless
        :meth:`exprs` computed them."""
        if not self.separate:
            return
        found: Mapping[Any, Mapping[str, float | None]]
        if self.bounded:
            found = refined_quantiles(self.engine, frame, by, column, rows, prefix)
        else:
            found = self.engine.quantiles(frame, by, column, QUANTILES)
        for key, values in found.items():
            if key in rows:
                rows[key].update({f"{prefix}_{name}": v for name, v in values.items()})


BUCKETS = 2048
"""Equal-width value buckets a pass counts per open interval (see :func:`refined_quantiles`)."""
FETCH_AT_MOST = 20_000
"""Values an interval may hold to be read back and ranked in Python instead of refined."""


@dataclass
class _Target:
    """Where the value of one rank is known to lie: ``[low, high]``, above ``below`` values."""

    key: Any
    rank: int  # 1-based, in the group's sorted values
    low: float  # an int for an integer column: bounds are values of the column
    high: float
    count: int  # values in [low, high]
    below: int = 0
    value: float | None = None


def refined_quantiles(
    engine: Engine,
    frame: nw.LazyFrame[Any],
    by: list[str],
    column: str,
    groups: Mapping[Any, Mapping[str, Any]],
    prefix: str,
) -> dict[Any, dict[str, float]]:
    """Exact type-7 quantiles per group in bounded memory: a few hash aggregations, no sort.

    ``groups`` holds each group's ``{prefix}_count``, ``_min`` and ``_max`` (from
    :func:`summary_exprs`). For each rank a quantile needs, an interval of values that holds it
    starts as ``[min, max]``; a pass over the values counts them in equal-width buckets of
    every interval still too full and keeps the bucket where the rank falls, narrowed to that
    bucket's smallest and largest value. Each pass narrows an interval about ``BUCKETS``-fold;
    once it holds at most ``FETCH_AT_MOST`` values (or one distinct value), one last pass reads
    those values back to rank them. Keys are the ``by`` value (one column) or a tuple of them.
    """
    values = frame.filter(~nw.col(column).is_null()).select(*by, nw.col(column).alias("_v"))
    targets = []
    for key, row in groups.items():
        n = int(row.get(f"{prefix}_count") or 0)
        if n == 0:
            continue
        low, high = row[f"{prefix}_min"], row[f"{prefix}_max"]
        needed = {r for q in QUANTILES.values() for r in _ranks(n, q)}
        targets += [_Target(key, r, low, high, n) for r in sorted(needed)]
    stuck: set[int] = set()  # ids of targets a pass could not narrow
    while True:
        for t in targets:
            if t.value is None and t.low == t.high:
                t.value = t.low
        wide = [
            t for t in targets
            if t.value is None and t.count > FETCH_AT_MOST and id(t) not in stuck
        ]  # fmt: skip
        if not wide:
            break
        before = {id(t): t.count for t in wide}
        _narrow(engine, values, by, wide)
        # a pass leaves out the interval's smallest or largest value, so this only guards a
        # float range too fine to split: its values are ranked in Python instead
        stuck |= {id(t) for t in wide if t.count >= before[id(t)]}
    _rank_in_python(engine, values, by, [t for t in targets if t.value is None])
    result: dict[Any, dict[str, float]] = {}
    for key in {t.key for t in targets}:
        ranks = {t.rank: float(t.value) for t in targets if t.key == key and t.value is not None}
        n = int(groups[key][f"{prefix}_count"])
        result[key] = {name: _type7(ranks, n, q) for name, q in QUANTILES.items()}
    return result


def _ranks(n: int, q: float) -> tuple[int, int]:
    """The 1-based ranks type 7 interpolates between for ``n`` values (as in :func:`_type7`)."""
    h = (n - 1) * q
    return math.floor(h) + 1, math.ceil(h) + 1


def _width(low: float, high: float) -> float:
    """Bucket width: a whole number for integers (exact arithmetic), else a share of the range."""
    if isinstance(low, int) and isinstance(high, int):
        return -(-(high - low + 1) // BUCKETS)
    return (high - low) / BUCKETS


def _intervals(
    engine: Engine, by: list[str], targets: list[_Target]
) -> tuple[nw.LazyFrame[Any], dict[tuple[Any, float, float], int]]:
    """A lookup table of the distinct ``(key, low, high)`` of ``targets``, numbered ``_id``."""
    ids: dict[tuple[Any, float, float], int] = {}
    for t in targets:
        ids.setdefault((t.key, t.low, t.high), len(ids))
    keys = [k if len(by) > 1 else (k,) for k, _, _ in ids]
    columns = {b: [k[i] for k in keys] for i, b in enumerate(by)}
    columns |= {
        "_id": list(ids.values()),
        "_low": [low for _, low, _ in ids],
        "_high": [high for _, _, high in ids],
        "_width": [_width(low, high) for _, low, high in ids],
    }
    return engine.table(pa.table(columns)), ids


def _inside(
    values: nw.LazyFrame[Any], lookup: nw.LazyFrame[Any], by: list[str]
) -> nw.LazyFrame[Any]:
    """The values that lie in one of the intervals of ``lookup`` (for their group)."""
    return values.join(lookup, on=by).filter(
        (nw.col("_v") >= nw.col("_low")) & (nw.col("_v") <= nw.col("_high"))
    )


def _narrow(
    engine: Engine, values: nw.LazyFrame[Any], by: list[str], targets: list[_Target]
) -> None:
    """One pass: each target's interval becomes the bucket its rank falls in."""
    lookup, ids = _intervals(engine, by, targets)
    counted = (
        _inside(values, lookup, by)
        .with_columns(_b=(nw.col("_v") - nw.col("_low")) // nw.col("_width"))
        .group_by("_id", "_b")
        .agg(nw.len().alias("_n"), nw.col("_v").min().alias("_lo"), nw.col("_v").max().alias("_hi"))
    )
    buckets: dict[int, list[tuple[float, int, float, float]]] = {}
    for row in engine.rows(counted):
        buckets.setdefault(int(row["_id"]), []).append(
            (row["_b"], int(row["_n"]), row["_lo"], row["_hi"])
        )
    for t in targets:
        seen = t.below
        for _, n, low, high in sorted(buckets[ids[(t.key, t.low, t.high)]]):
            if seen + n >= t.rank:
                t.low, t.high, t.count, t.below = low, high, n, seen
                break
            seen += n


def _rank_in_python(
    engine: Engine, values: nw.LazyFrame[Any], by: list[str], targets: list[_Target]
) -> None:
    """One pass: read back the values of each (small) interval and pick each target's rank."""
    if not targets:
        return
    lookup, ids = _intervals(engine, by, targets)
    found: dict[int, list[float]] = {}
    for row in engine.rows(_inside(values, lookup, by).select("_id", "_v")):
        found.setdefault(int(row["_id"]), []).append(row["_v"])
    for t in targets:
        ordered = sorted(found[ids[(t.key, t.low, t.high)]])
        t.value = ordered[t.rank - t.below - 1]


def _type7(ranks: dict[int, float], n: int, q: float) -> float:
    """As DuckDB and Spark interpolate: ``h = (n−1)·q`` in doubles, 1-based ranks."""
    h = (n - 1) * q
    low, high = math.floor(h), math.ceil(h)
    lo = ranks[low + 1]
    if low == high:
        return lo
    return lo + (h - low) * (ranks[high + 1] - lo)


@dataclass(frozen=True)
class Summary:
    """A distribution of durations in minutes."""

    count: int
    mean: float | None
    median: float | None
    p85: float | None
    p95: float | None
    min: float | None = None
    max: float | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any], prefix: str) -> Summary:
        def minutes(key: str) -> float | None:
            value = row.get(f"{prefix}_{key}")
            return None if value is None else float(value) / MINUTE_US

        return cls(
            int(row.get(f"{prefix}_count") or 0),
            minutes("mean"), minutes("median"), minutes("p85"), minutes("p95"),
            minutes("min"), minutes("max"),
        )  # fmt: skip

    def get(self, statistic: str) -> float | None:
        """``mean``, ``median``, ``p85`` or ``p95``."""
        value: float | None = getattr(self, statistic)
        return value

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count, "mean": self.mean, "median": self.median, "p85": self.p85,
            "p95": self.p95, "min": self.min, "max": self.max, "unit": "minutes",
        }  # fmt: skip
