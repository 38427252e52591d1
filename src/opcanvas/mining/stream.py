"""Per-stream metrics: lead time, active time, flow efficiency, WIP, Little's law, trend.

Definitions (durations on the chosen time basis, in minutes; WIP and rates in calendar time):

- ``lead``: per case, from the start of its first instance to the end of its last.
- ``active``: per case, the length of the union of its instances' intervals (overlaps count
  once), so ``lead − active`` is the idle time and is never negative. Only with start times.
- ``flow_efficiency``: Σ active / Σ lead over all cases (pooled); ``flow_efficiency_median``:
  the median of the per-case ratio.
- ``arrival_per_week``: cases started per week between the first and the last case start;
  ``throughput_per_week``: cases finished per week between the first and the last finish.
- ``wip``: cases open (started, not finished) at each midnight UTC; its mean over the
  observation window is compared with λ·W (Little's law: λ = cases per day over the window,
  W = mean elapsed lead time in days).
- ``trend``: per month in which cases finish, their number and mean and median lead time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import narwhals as nw

from opcanvas.mining.engines import Engine
from opcanvas.mining.summary import Summaries, Summary
from opcanvas.mining.timebasis import DAY_US, MINUTE_US, WEEK_US


@dataclass(frozen=True)
class LittlesLaw:
    """L (time-average WIP from daily snapshots) against λ·W."""

    wip_mean: float
    arrival_per_day: float
    lead_days: float
    predicted: float
    relative_difference: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "L_wip_mean": self.wip_mean, "lambda_per_day": self.arrival_per_day,
            "W_lead_days": self.lead_days, "lambda_times_W": self.predicted,
            "relative_difference": self.relative_difference,
        }  # fmt: skip


@dataclass(frozen=True)
class MonthTrend:
    month: str
    cases: int
    lead_mean: float
    lead_median: float

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "cases": self.cases, "lead_mean": self.lead_mean,
                "lead_median": self.lead_median}  # fmt: skip


@dataclass(frozen=True)
class StreamStats:
    """Everything measured about the stream as a whole."""

    cases: int
    instances: int
    lead: Summary
    active: Summary | None
    flow_efficiency: float | None
    flow_efficiency_median: float | None
    arrival_per_week: float
    throughput_per_week: float
    wip: list[tuple[str, int]]
    littles_law: LittlesLaw
    trend: list[MonthTrend]

    def wip_mean(self) -> float:
        return self.littles_law.wip_mean

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases, "instances": self.instances, "lead": self.lead.to_dict(),
            "active": None if self.active is None else self.active.to_dict(),
            "flow_efficiency": self.flow_efficiency,
            "flow_efficiency_median": self.flow_efficiency_median,
            "arrival_per_week": self.arrival_per_week,
            "throughput_per_week": self.throughput_per_week,
            "wip": [{"date": d, "wip": w} for d, w in self.wip],
            "littles_law": self.littles_law.to_dict(),
            "trend": [t.to_dict() for t in self.trend],
        }  # fmt: skip


def per_case(instances: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """One row per case: basis lead and active time, elapsed first and last instant, month."""
    return instances.group_by("case").agg(
        nw.col("bstart").min().alias("first"),
        nw.col("bend").max().alias("last"),
        nw.col("start_eff").min().alias("real_first"),
        nw.col("end").max().alias("real_last"),
        nw.col("active").sum().alias("active"),
        nw.len().alias("n"),
        nw.col("month").max().alias("month"),
    ).with_columns(
        lead=nw.col("last") - nw.col("first"),
        real_lead=nw.col("real_last") - nw.col("real_first"),
    )  # fmt: skip


def stream_stats(
    summaries: Summaries, cases: nw.LazyFrame[Any], service_available: bool
) -> StreamStats:
    """Stream metrics from the per-case table (:func:`per_case`, materialised)."""
    engine = summaries.engine
    ratio = nw.when(nw.col("lead") > 0).then(
        nw.col("active").cast(nw.Float64) / nw.col("lead").cast(nw.Float64)
    ).otherwise(nw.lit(None, nw.Float64()))  # fmt: skip
    whole = cases.with_columns(_all=nw.lit(1), fe=ratio)
    row = engine.rows(
        whole.group_by("_all").agg(
            nw.len().alias("cases"),
            nw.col("n").sum().alias("instances"),
            *summaries.exprs("lead", "lead"),
            *summaries.exprs("active", "active"),
            *summaries.exprs("fe", "fe"),
            nw.col("active").cast(nw.Float64).sum().alias("active_sum"),
            nw.col("lead").cast(nw.Float64).sum().alias("lead_sum"),
            nw.col("real_lead").cast(nw.Float64).mean().alias("real_lead_mean"),
            nw.col("real_first").min().alias("first_start"),
            nw.col("real_first").max().alias("last_start"),
            nw.col("real_last").min().alias("first_end"),
            nw.col("real_last").max().alias("last_end"),
        )
    )[0]
    found = {1: row}
    for column in ("lead", "active", "fe"):
        summaries.complete(found, whole, ["_all"], column, column)
    n = int(row["cases"])
    lead_sum = float(row["lead_sum"] or 0.0)
    efficiency = float(row["active_sum"]) / lead_sum if service_available and lead_sum else None
    wip = _wip(engine, cases)
    window = (int(row["first_start"]), int(row["last_end"]))
    return StreamStats(
        cases=n,
        instances=int(row["instances"]),
        lead=Summary.from_row(row, "lead"),
        active=Summary.from_row(row, "active") if service_available else None,
        flow_efficiency=efficiency,
        flow_efficiency_median=(
            float(row["fe_median"])
            if service_available and row.get("fe_median") is not None else None
        ),
        arrival_per_week=_rate(n, int(row["first_start"]), int(row["last_start"])),
        throughput_per_week=_rate(n, int(row["first_end"]), int(row["last_end"])),
        wip=wip,
        littles_law=_littles(wip, n, float(row["real_lead_mean"]), window),
        trend=_trend(summaries, cases),
    )  # fmt: skip


def _rate(count: int, first: int, last: int) -> float:
    weeks = (last - first) / WEEK_US
    return count / weeks if weeks > 0 else 0.0


def _wip(engine: Engine, cases: nw.LazyFrame[Any]) -> list[tuple[str, int]]:
    """Cases open at each midnight (UTC): +1 from the first midnight ≥ start, −1 at end."""
    enter = ((nw.col("real_first") + (DAY_US - 1)) // DAY_US).alias("day")
    leave = ((nw.col("real_last") + (DAY_US - 1)) // DAY_US).alias("day")
    deltas = nw.concat(
        [
            cases.select(enter, nw.lit(1, nw.Int64()).alias("delta")),
            cases.select(leave, nw.lit(-1, nw.Int64()).alias("delta")),
        ]
    )
    rows = engine.rows(deltas.group_by("day").agg(nw.col("delta").sum().alias("delta")))
    changes = {int(r["day"]): int(r["delta"]) for r in rows}
    if not changes:
        return []
    series, level = [], 0
    for day in range(min(changes), max(changes) + 1):
        level += changes.get(day, 0)
        series.append(((date(1970, 1, 1) + timedelta(days=day)).isoformat(), level))
    return series


def _littles(
    wip: list[tuple[str, int]], cases: int, lead_us: float, window: tuple[int, int]
) -> LittlesLaw:
    first_day = -(-window[0] // DAY_US)
    last_day = window[1] // DAY_US
    start = date(1970, 1, 1) + timedelta(days=first_day)
    end = date(1970, 1, 1) + timedelta(days=last_day)
    inside = [w for d, w in wip if start.isoformat() <= d <= end.isoformat()]
    span_days = (window[1] - window[0]) / DAY_US
    mean_wip = sum(inside) / len(inside) if inside else 0.0
    per_day = cases / span_days if span_days > 0 else 0.0
    lead_days = lead_us / DAY_US
    predicted = per_day * lead_days
    diff = (mean_wip - predicted) / predicted if predicted else None
    return LittlesLaw(mean_wip, per_day, lead_days, predicted, diff)


def _trend(summaries: Summaries, cases: nw.LazyFrame[Any]) -> list[MonthTrend]:
    grouped = cases.group_by("month").agg(nw.len().alias("cases"), *summaries.exprs("lead", "l"))
    rows = {r["month"]: r for r in summaries.engine.rows(grouped)}
    summaries.complete(rows, cases, ["month"], "lead", "l")
    return [
        MonthTrend(f"{int(m) // 100:04d}-{int(m) % 100:02d}", int(r["cases"]),
                   float(r["l_mean"]) / MINUTE_US, float(r["l_median"]) / MINUTE_US)
        for m, r in sorted(rows.items(), key=lambda mr: int(mr[0]))
    ]  # fmt: skip
