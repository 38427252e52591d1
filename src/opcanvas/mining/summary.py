"""Distributions of durations: count, mean, median, P85, P95 (linear interpolation).

Quantiles follow Hyndman & Fan type 7 (the default of NumPy, R, DuckDB ``quantile_cont`` and
Spark ``percentile``): with ``h = (n − 1)·q``, the value at rank ``⌊h⌋`` plus ``h − ⌊h⌋`` of
the step to the next. Values are minutes.

Three exact ways to get them, same numbers: as aggregates in the group-by that computes the
counts and means (the engine holds every value of a group in memory, once per quantile); in a
query of their own where the engine computes several quantiles from one copy of the values
(:meth:`Engine.quantiles` on DuckDB); or, for large logs, from a window that ranks the values
of each group — a sort, which DuckDB and Spark spill to disk — keeping only the ranks each
quantile needs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from operator import or_
from typing import Any

import narwhals as nw

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

    def __init__(self, engine: Engine, windowed: bool) -> None:
        self.engine = engine
        self.windowed = windowed
        self.separate = windowed or engine.native_quantiles

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
        if self.windowed:
            found = window_quantiles(self.engine, frame, by, column)
        else:
            found = self.engine.quantiles(frame, by, column, QUANTILES)
        for key, values in found.items():
            if key in rows:
                rows[key].update({f"{prefix}_{name}": v for name, v in values.items()})


def window_quantiles(
    engine: Engine, frame: nw.LazyFrame[Any], by: list[str], column: str
) -> dict[Any, dict[str, float]]:
    """Exact type-7 quantiles per group from ranks: only rows near each quantile come back.

    Keys are the ``by`` value (one column) or a tuple of them.
    """
    values = frame.filter(~nw.col(column).is_null()).select(*by, nw.col(column).alias("_v"))
    ranked = values.with_columns(
        _rank=nw.col("_v").cum_count().over(*by, order_by="_v"),
        _n=nw.col("_v").count().over(*by),
    )
    near = []
    for q in QUANTILES.values():
        num, den = Fraction(q).limit_denominator(1000).as_integer_ratio()
        low = ((nw.col("_n") - 1) * num) // den  # ⌊h⌋ as a 0-based rank, exact in integers
        near.append((nw.col("_rank") >= low) & (nw.col("_rank") <= low + 2))
    picked = engine.rows(ranked.filter(reduce(or_, near)).select(*by, "_rank", "_n", "_v"))
    groups: dict[Any, dict[int, float]] = {}
    sizes: dict[Any, int] = {}
    for row in picked:
        key = row[by[0]] if len(by) == 1 else tuple(row[b] for b in by)
        groups.setdefault(key, {})[int(row["_rank"])] = float(row["_v"])
        sizes[key] = int(row["_n"])
    result = {}
    for key, ranks in groups.items():
        result[key] = {name: _type7(ranks, sizes[key], q) for name, q in QUANTILES.items()}
    return result


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
