"""Distributions of durations: count, mean, median, P85, P95 (linear interpolation).

Quantiles follow Hyndman & Fan type 7 (the default of NumPy, R, DuckDB ``quantile_cont`` and
Spark ``percentile``): between order statistics, linearly. Values are minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals as nw

from opcanvas.mining.timebasis import MINUTE_US

STATISTICS = ("mean", "median", "p85", "p95")
QUANTILES = {"median": 0.5, "p85": 0.85, "p95": 0.95}


def summary_exprs(column: str, prefix: str) -> list[nw.Expr]:
    """Aggregations of an ``int64`` microsecond column, named ``{prefix}_{stat}``."""
    col = nw.col(column)
    return [
        col.count().alias(f"{prefix}_count"),
        col.mean().alias(f"{prefix}_mean"),
        col.median().alias(f"{prefix}_median"),
        col.quantile(0.85, interpolation="linear").alias(f"{prefix}_p85"),
        col.quantile(0.95, interpolation="linear").alias(f"{prefix}_p95"),
        col.min().alias(f"{prefix}_min"),
        col.max().alias(f"{prefix}_max"),
    ]


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
