"""Per-step metrics, from activity instances (see :mod:`opcanvas.mining.instances`).

Definitions (every duration on the chosen time basis, in minutes; rates per calendar week):

- ``executions``: instances of the step; ``cases``: cases with at least one; ``reach``: cases
  / all cases of the stream (the funnel).
- ``service``: end − start of each instance that has a start.
- ``wait``: the time before the instance during which nothing of its case was in progress
  (zero when it starts while an earlier instance still runs); only with start times.
- ``directly_follows``: without start times, from the previous completion to this one, i.e.
  waiting plus this step's service (with start times see ``wait``, and the edges).
- ``lead``: wait + service per instance (with start times), else the directly-follows time;
  like ``wait``, only for instances after the first of their case.
- ``opens_case``: instances that are the first of their case. Nothing before a case's first
  activity is in a log (the request's arrival and its queue are not recorded), so ``wait``
  and ``lead`` leave those instances out, and when they are most of a step's executions
  (more than :data:`WAIT_UNOBSERVED_ABOVE`) the step's waiting time counts as unobservable:
  the few waits there are belong to repeats, not to the queue before the step.
- ``throughput_per_week``: executions per week of the observation window; ``arrival_per_week``:
  cases reaching the step (first arrivals) per week of the same window.
- ``rework``: executions after the first in a case. ``rework_same_resource``: executions by a
  resource who had already done the step in that case (a repeat); ``rework_other_resource``:
  the further distinct resources who did it (a redo by another); executions with an unknown
  resource are neither. ``rework_rate`` = rework / executions. ``first_pass_yield``: cases
  that execute the step exactly once / its cases.
- ``position``: the mean position of its instances in their cases (1 = first).
- ``handoffs``: instances whose resource differs from the previous instance's in the case;
  ``handoff_delay``: their directly-follows time. ``lane_changes``: the same for role/lane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals as nw

from opcanvas.mining.summary import Summaries, Summary

WAIT_UNOBSERVED_ABOVE = 0.5
"""Share of a step's executions opening their case above which its wait is unobservable."""


@dataclass(frozen=True)
class StepStats:
    """Everything measured about one step."""

    step: str
    activities: tuple[str, ...]
    executions: int
    cases: int
    reach: float
    service: Summary | None
    wait: Summary | None
    directly_follows: Summary | None
    lead: Summary
    throughput_per_week: float
    arrival_per_week: float
    rework: int
    rework_same_resource: int
    rework_other_resource: int
    rework_rate: float
    first_pass_yield: float
    handoffs: int
    handoff_delay: Summary
    lane_changes: int
    position: float
    opens_case: int = 0

    @property
    def wait_observable(self) -> bool:
        """Whether the log shows the wait before this step (see the module docstring)."""
        return self.opens_case <= WAIT_UNOBSERVED_ABOVE * self.executions

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step, "activities": list(self.activities),
            "executions": self.executions, "cases": self.cases, "reach": self.reach,
            "service": None if self.service is None else self.service.to_dict(),
            "wait": None if self.wait is None else self.wait.to_dict(),
            "directly_follows": (
                None if self.directly_follows is None else self.directly_follows.to_dict()
            ),
            "lead": self.lead.to_dict(),
            "throughput_per_week": self.throughput_per_week,
            "arrival_per_week": self.arrival_per_week, "rework": self.rework,
            "rework_same_resource": self.rework_same_resource,
            "rework_other_resource": self.rework_other_resource,
            "rework_rate": self.rework_rate, "first_pass_yield": self.first_pass_yield,
            "handoffs": self.handoffs, "handoff_delay": self.handoff_delay.to_dict(),
            "lane_changes": self.lane_changes, "position": self.position,
            "opens_case": self.opens_case, "wait_observable": self.wait_observable,
        }  # fmt: skip


def _flag(column: str) -> nw.Expr:
    return nw.col(column).cast(nw.Int64)


def step_stats(
    summaries: Summaries,
    instances: nw.LazyFrame[Any],
    activities: dict[str, tuple[str, ...]],
    total_cases: int,
    weeks: float,
    service_available: bool,
) -> list[StepStats]:
    """One :class:`StepStats` per step in ``instances``, by typical position in the case."""
    engine = summaries.engine
    if service_available:  # the directly-follows time of a step is its lead time otherwise
        lead = nw.col("wait") + nw.col("service")  # null for a case's first instance
        measures = {"service": "service", "wait": "wait", "lead": "step_lead"}
    else:
        lead = nw.col("df_time")
        measures = {"df": "df_time"}
    durations = [e for prefix, col in measures.items() for e in summaries.exprs(col, prefix)]
    with_lead = instances.with_columns(step_lead=lead)
    main = with_lead.group_by("step").agg(
        nw.len().alias("executions"),
        *durations,
        _flag("handoff").sum().alias("handoffs"),
        _flag("lane_change").sum().alias("lanes"),
        nw.col("pos").mean().alias("position"),
        (nw.col("pos") == 1).cast(nw.Int64).sum().alias("opens"),
    )
    handoffs = instances.filter(nw.col("handoff"))
    delays = handoffs.group_by("step").agg(*summaries.exprs("df_time", "handoff"))
    # per case and step, instances ordered by resource (then time): the first opens the
    # (case, step) pair, the second makes it a repeat; a known resource equal to the one
    # before is a repeat by the same person, a different known one a redo by another. One
    # window sort (it spills) instead of hash aggregations over every case × step × resource
    ranked = engine.windows(
        instances, ["case", "step"], ["resource", "start_eff", "end", "pos"],
        {"k": ("cum_count", "end"), "prev_r": ("lag", "resource")},
    )  # fmt: skip
    known = ~nw.col("resource").is_null()
    same = (nw.col("prev_r") == nw.col("resource")).fill_null(False)
    repeats = ranked.group_by("step").agg(
        (nw.col("k") == 1).cast(nw.Int64).sum().alias("cases"),
        (nw.col("k") == 2).cast(nw.Int64).sum().alias("twice"),
        (nw.col("k") > 1).cast(nw.Int64).sum().alias("rework"),
        (known & same).cast(nw.Int64).sum().alias("same"),
        (known & ~nw.col("prev_r").is_null() & ~same).cast(nw.Int64).sum().alias("other"),
    )
    rows = {r["step"]: r for r in engine.rows(main)}
    for prefix, column in measures.items():
        summaries.complete(rows, with_lead, ["step"], column, prefix)
    delay_rows = {r["step"]: r for r in engine.rows(delays)}
    summaries.complete(delay_rows, handoffs, ["step"], "df_time", "handoff")
    for r in engine.rows(repeats):
        rows[r["step"]].update({k: r[k] for k in ("cases", "rework", "same", "other")})
        rows[r["step"]]["once"] = int(r["cases"]) - int(r["twice"])
    return [
        _one(step, rows[step], delay_rows.get(step, {}), int(rows[step]["once"]),
             activities.get(step, (step,)), total_cases, weeks, service_available)
        for step in sorted(rows, key=lambda s: (float(rows[s]["position"]), s))
    ]  # fmt: skip


def _one(
    step: str,
    row: dict[str, Any],
    delay: dict[str, Any],
    once: int,
    activities: tuple[str, ...],
    total_cases: int,
    weeks: float,
    service_available: bool,
) -> StepStats:
    executions, cases = int(row["executions"]), int(row["cases"])
    rework = int(row["rework"] or 0)
    return StepStats(
        step=step,
        activities=activities,
        executions=executions,
        cases=cases,
        reach=cases / total_cases if total_cases else 0.0,
        service=Summary.from_row(row, "service") if service_available else None,
        wait=Summary.from_row(row, "wait") if service_available else None,
        directly_follows=None if service_available else Summary.from_row(row, "df"),
        lead=Summary.from_row(row, "lead" if service_available else "df"),
        throughput_per_week=executions / weeks if weeks else 0.0,
        arrival_per_week=cases / weeks if weeks else 0.0,
        rework=rework,
        rework_same_resource=int(row["same"] or 0),
        rework_other_resource=int(row["other"] or 0),
        rework_rate=rework / executions if executions else 0.0,
        first_pass_yield=once / cases if cases else 0.0,
        handoffs=int(row["handoffs"] or 0),
        handoff_delay=Summary.from_row(delay, "handoff"),
        lane_changes=int(row["lanes"] or 0),
        position=float(row["position"]),
        opens_case=int(row["opens"] or 0),
    )


def unobserved_wait_notes(steps: list[StepStats]) -> list[str]:
    """A note for each step whose wait is unobservable (it opens most of its cases)."""
    return [
        f'the wait before "{s.step}" is not in the log: {s.opens_case:,} of its '
        f"{s.executions:,} executions open their case (nothing before a case's first "
        "activity is recorded), so only its process time is measured"
        for s in steps
        if not s.wait_observable
    ]
