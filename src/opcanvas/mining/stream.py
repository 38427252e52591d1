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
- ``cumulative``: at the same midnights as ``wip``, the cases started (arrivals) and finished
  (departures) so far; ``wip`` = arrivals − departures, and both end at ``cases``.
- ``sample``: up to ``limit`` cases for a cycle-time scatter, chosen by the MD5 digest of the
  case id (the smallest digests, a stable pseudo-random pick that does not depend on the order
  or the size of the log), each with its finish instant (UTC) and lead time on the basis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import narwhals as nw

from opcanvas.errors import EventLogError
from opcanvas.mining.engines import Engine
from opcanvas.mining.eventlog import iso
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
class FlowDay:
    """Cumulative arrivals and departures at midnight (UTC) starting ``date``."""

    date: str
    arrivals: int
    departures: int

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "arrivals": self.arrivals, "departures": self.departures}


@dataclass(frozen=True)
class CaseLead:
    """One case of the sample: its id, finish instant (ISO, UTC) and lead time in minutes."""

    case: str
    finish: str
    lead: float

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case, "finish": self.finish, "lead": self.lead}


SAMPLE_SELECTION = "the cases with the smallest MD5 digest of the case id"


@dataclass(frozen=True)
class CaseSample:
    """Up to ``limit`` of the stream's ``of`` cases, ordered by finish instant then case id."""

    limit: int
    of: int
    cases: list[CaseLead]

    @property
    def complete(self) -> bool:
        return len(self.cases) == self.of

    def to_dict(self) -> dict[str, Any]:
        return {
            "limit": self.limit, "of": self.of, "complete": self.complete,
            "selection": SAMPLE_SELECTION, "cases": [c.to_dict() for c in self.cases],
        }  # fmt: skip


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
    cumulative: list[FlowDay]
    sample: CaseSample

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
            "cumulative": [d.to_dict() for d in self.cumulative],
            "sample": self.sample.to_dict(),
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
    summaries: Summaries,
    cases: nw.LazyFrame[Any],
    service_available: bool,
    sample_size: int = 2000,
) -> StreamStats:
    """Stream metrics from the per-case table (:func:`per_case`, materialised).

    ``sample_size`` bounds the case sample (see :func:`case_sample`).
    """
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
    cumulative = cumulative_flow(engine, cases)
    wip = [(d.date, d.arrivals - d.departures) for d in cumulative]
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
        cumulative=cumulative,
        sample=case_sample(engine, cases, sample_size, n),
    )  # fmt: skip


def _rate(count: int, first: int, last: int) -> float:
    weeks = (last - first) / WEEK_US
    return count / weeks if weeks > 0 else 0.0


def cumulative_flow(engine: Engine, cases: nw.LazyFrame[Any]) -> list[FlowDay]:
    """Cumulative arrivals and departures at each midnight (UTC), one scan of the cases.

    A case counts as arrived from the first midnight at or after its start and as departed
    from the first midnight at or after its end, so it is open (in ``wip``) in between.
    """
    enter = ((nw.col("real_first") + (DAY_US - 1)) // DAY_US).alias("day")
    leave = ((nw.col("real_last") + (DAY_US - 1)) // DAY_US).alias("day")
    one, zero = nw.lit(1, nw.Int64()), nw.lit(0, nw.Int64())
    moves = nw.concat(
        [
            cases.select(enter, one.alias("arrive"), zero.alias("depart")),
            cases.select(leave, zero.alias("arrive"), one.alias("depart")),
        ]
    )
    rows = engine.rows(moves.group_by("day").agg(nw.col("arrive").sum(), nw.col("depart").sum()))
    changes = {int(r["day"]): (int(r["arrive"]), int(r["depart"])) for r in rows}
    if not changes:
        return []
    series, arrived, departed = [], 0, 0
    for day in range(min(changes), max(changes) + 1):
        arrive, depart = changes.get(day, (0, 0))
        arrived, departed = arrived + arrive, departed + depart
        stamp = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
        series.append(FlowDay(stamp, arrived, departed))
    return series


def case_sample(engine: Engine, cases: nw.LazyFrame[Any], limit: int, total: int) -> CaseSample:
    """Up to ``limit`` cases of the per-case table, the same ones on every run and engine.

    The pick is by the MD5 digest of the case id (a top-``limit`` query: the engine keeps a
    bounded heap, never every case in Python); adding cases to a log keeps a sampled case in
    the sample unless a new case's digest is smaller. ``lead`` is on the time basis.
    """
    if limit < 0:
        raise EventLogError(f"expected a case sample size of 0 or more, got {limit}")
    if limit == 0:
        return CaseSample(0, total, [])
    picked = (
        engine.with_md5(cases, "case", "_digest")
        .select("case", "_digest", "real_last", "lead")
        .sort("_digest", "case")
        .head(limit)
    )
    rows = engine.rows(picked)
    points = sorted(
        (CaseLead(str(r["case"]), iso(int(r["real_last"])) or "", int(r["lead"]) / MINUTE_US)
         for r in rows),
        key=lambda c: (c.finish, c.case),
    )  # fmt: skip
    return CaseSample(limit, total, points)


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
