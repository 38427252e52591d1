"""The transformation roadmap: four 90-day sprints, optimised and greedy, side by side.

Value timing: an initiative's net annual value (annual value − running cost) starts at the end
of the sprint that finishes it; the first year is 360 days (the seed's four 90-day sprints,
days 1–360), so finishing in sprint s of 90 days counts (4 − s)/4 of a year's value. The
cumulative curve is in 30-day months: by month m, Σ value × max(0, m − finish month) / 12.

Per sprint: initiatives running (and finishing), the cost and people-days spent in it (an
initiative's effort and cost spread evenly over the sprints it runs), the annual value of the
initiatives that finish in it, its ROI ((that annual value − their implementation cost) / their
implementation cost), and the people-days by swim lane.

Maturity: a stream with ``maturity: {current, target}`` moves from current to target in
proportion to the share of its planned initiatives' value that is finished, reaching the
target when the last one finishes (levels are whole numbers, rounded down).

>>> from opcanvas.canvas import load_canvas
>>> from opcanvas.value import quantify
>>> from opcanvas.value.prioritize import prioritize
>>> canvas = load_canvas("examples/sales-proposal.yaml")
>>> values = quantify(canvas, samples=100)
>>> roadmap = plan_roadmap(canvas, values, prioritize(canvas, values))
>>> [[p.gap_id for p in sprint.finishing] for sprint in roadmap.sprints]
[['proposal-automation'], ['contract-approvals'], ['crm-handoff'], []]
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from opcanvas.canvas.model import Canvas
from opcanvas.roadmap.initiatives import INFINITE, Initiative, build_initiatives, capacity
from opcanvas.roadmap.solver import (
    MIP_GAP,
    TIME_LIMIT,
    YEAR_DAYS,
    Schedule,
    SolveResult,
    first_year_value,
    greedy,
    optimise,
    year_share,
)
from opcanvas.value.prioritize import RankedGap
from opcanvas.value.quantify import GapValue

MONTH_DAYS = 30


@dataclass(frozen=True)
class Placement:
    gap_id: str
    title: str
    stream: str
    start_sprint: int
    finish_sprint: int
    effort: float
    cost: float
    annual_value: float
    first_year_value: float
    priority_rank: int
    lanes: tuple[str, ...]
    owner: str | None


@dataclass(frozen=True)
class SprintPlan:
    number: int
    name: str
    theme: str
    focus: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None
    running: tuple[Placement, ...]
    finishing: tuple[Placement, ...]
    cost: float
    people_days: float
    capacity_days: float | None
    budget: float | None
    value: float  # annual value of the initiatives finishing in this sprint
    first_year_value: float
    roi: float | None
    resources: dict[str, float]  # people-days by swim lane (or owner)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class MaturityPath:
    stream: str
    current: int
    target: int
    levels: tuple[int, ...]  # level after each sprint
    reaches_target: int | None
    initiatives: tuple[str, ...]


@dataclass(frozen=True)
class Roadmap:
    currency: str
    sprints: tuple[SprintPlan, ...]
    greedy_sprints: tuple[SprintPlan, ...]
    value_optimised: float
    value_greedy: float
    cumulative: tuple[tuple[int, float], ...]
    cumulative_greedy: tuple[tuple[int, float], ...]
    unscheduled: tuple[tuple[str, str], ...]
    greedy_unscheduled: tuple[tuple[str, str], ...]
    maturity: tuple[MaturityPath, ...]
    notes: tuple[str, ...]
    conventions: dict[str, str]
    solver: dict[str, Any]

    @property
    def value_gained(self) -> float:
        return self.value_optimised - self.value_greedy

    def placements(self) -> list[Placement]:
        return [p for sprint in self.sprints for p in sprint.finishing]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["value_gained"] = self.value_gained
        return data


def conventions(canvas: Canvas, time_limit: float = TIME_LIMIT) -> dict[str, str]:
    days = canvas.roadmap.sprint_days
    shares = ", ".join(
        f"{year_share(s, days):g}" for s in range(1, len(canvas.roadmap.sprints) + 1)
    )
    return {
        "objective": "maximise first-year value (net annual value = annual value − running "
        "cost); then, at that value, the annual value scheduled",
        "value timing": f"value counts from the end of the finishing sprint; first year = "
        f"{YEAR_DAYS} days, sprints of {days} days: share of a year's value by finishing "
        f"sprint = {shares}",
        "dependencies": "finish-to-start by sprint: a dependent starts in a sprint after the "
        "one its prerequisite finishes in",
        "capacity": "effort (person-days) and cost spread evenly over the sprints an initiative "
        "runs; a blank capacity or budget is unlimited",
        "window": "earliest_sprint = first sprint it may start in; latest_sprint = sprint it "
        "must finish by",
        "optimiser": f"scipy.optimize.milp (HiGHS): stops at a proven gap of {MIP_GAP:g} to "
        f"the optimum or after {time_limit:g} s, then fills the capacity left in priority order",
        "greedy": "priority order (Priority Score rank), earliest sprint that fits",
        "sprint ROI": "(annual value − implementation cost) / implementation cost of the "
        "initiatives finishing in the sprint",
        "curve": f"cumulative first-year value by {MONTH_DAYS}-day month",
    }


def plan_roadmap(
    canvas: Canvas,
    values: Sequence[GapValue],
    ranked: Sequence[RankedGap],
    *,
    time_limit: float = TIME_LIMIT,
) -> Roadmap:
    """Plan the valued gaps into the canvas's sprints, optimised and greedy."""
    items, left_out, notes = build_initiatives(canvas, values, ranked)
    cap = capacity(canvas)
    days = canvas.roadmap.sprint_days
    result = optimise(items, cap, days, time_limit)
    baseline = greedy(items, cap)
    schedule = result.schedule
    if first_year_value(items, schedule, days) < first_year_value(items, baseline, days):
        schedule = baseline  # only when the solver stopped early without its optimum
        notes.append("the optimiser stopped before beating the greedy plan; greedy is shown")
    if result.time_limited:
        notes.append(_time_note(result, first_year_value(items, schedule, days), time_limit))
    return Roadmap(
        currency=canvas.currency,
        sprints=_sprints(canvas, items, schedule),
        greedy_sprints=_sprints(canvas, items, baseline),
        value_optimised=first_year_value(items, schedule, days),
        value_greedy=first_year_value(items, baseline, days),
        cumulative=_curve(items, schedule, days, len(cap.days)),
        cumulative_greedy=_curve(items, baseline, days, len(cap.days)),
        unscheduled=tuple(left_out + _not_placed(items, schedule, "optimiser")),
        greedy_unscheduled=tuple(left_out + _not_placed(items, baseline, "greedy plan")),
        maturity=_maturity(canvas, items, schedule),
        notes=tuple(notes),
        conventions=conventions(canvas, time_limit),
        solver={"status": result.status, "optimal": result.optimal,
                "time_limited": result.time_limited, "gap": result.gap, "bound": result.bound,
                "seconds": round(result.seconds, 3), "engine": "scipy.optimize.milp (HiGHS)"},
    )  # fmt: skip


def _time_note(result: SolveResult, value: float, time_limit: float) -> str:
    bound = result.bound
    if bound is None or bound <= 0:
        return f"the optimiser stopped at its {time_limit:g} s time limit without a bound"
    return (
        f"the optimiser stopped at its {time_limit:g} s time limit: this plan is within "
        f"{(bound - value) / bound:.2%} of the best possible first-year value ({bound:,.0f}); "
        "a longer --time-limit may improve it, and the result can vary with machine speed"
    )


def _not_placed(items: Sequence[Initiative], schedule: Schedule, who: str) -> list[tuple[str, str]]:
    return [
        (
            i.id,
            f"the {who} found no room for it: sprint capacity, budget, its window and "
            "dependencies leave no sprint where it fits",
        )
        for i in items
        if i.id not in schedule
    ]


def _placement(item: Initiative, finish: int, days: int) -> Placement:
    return Placement(
        gap_id=item.id,
        title=item.title,
        stream=item.stream,
        start_sprint=finish - item.duration + 1,
        finish_sprint=finish,
        effort=item.effort,
        cost=item.cost,
        annual_value=item.annual_value,
        first_year_value=item.value * year_share(finish, days),
        priority_rank=item.rank,
        lanes=item.lanes,
        owner=item.owner,
    )


def _sprints(
    canvas: Canvas, items: Sequence[Initiative], schedule: Schedule
) -> tuple[SprintPlan, ...]:
    days = canvas.roadmap.sprint_days
    placed = [_placement(i, schedule[i.id], days) for i in items if i.id in schedule]
    cap = capacity(canvas)
    plans = []
    for n, sprint in enumerate(canvas.roadmap.sprints, start=1):
        running = tuple(p for p in placed if p.start_sprint <= n <= p.finish_sprint)
        finishing = tuple(p for p in placed if p.finish_sprint == n)
        spread = [(p, p.finish_sprint - p.start_sprint + 1) for p in running]
        resources: dict[str, float] = {}
        for p, length in spread:
            lanes = p.lanes or ((p.owner,) if p.owner else ("unassigned",))
            for lane in lanes:
                resources[lane] = resources.get(lane, 0.0) + p.effort / length / len(lanes)
        cost_done = sum((p.cost for p in finishing), 0.0)
        value = sum((p.annual_value for p in finishing), 0.0)
        start = canvas.roadmap.start
        plans.append(
            SprintPlan(
                number=n,
                name=sprint.name,
                theme=sprint.theme or sprint.name,
                focus=tuple(sprint.focus),
                start=None if start is None else start + dt.timedelta(days=(n - 1) * days),
                end=None if start is None else start + dt.timedelta(days=n * days - 1),
                running=running,
                finishing=finishing,
                cost=sum((p.cost / length for p, length in spread), 0.0),
                people_days=sum((p.effort / length for p, length in spread), 0.0),
                capacity_days=None if cap.days[n - 1] == INFINITE else cap.days[n - 1],
                budget=None if cap.budget[n - 1] == INFINITE else cap.budget[n - 1],
                value=value,
                first_year_value=sum((p.first_year_value for p in finishing), 0.0),
                roi=(value - cost_done) / cost_done if cost_done > 0 else None,
                resources=dict(sorted(resources.items())),
            )
        )
    return tuple(plans)


def _curve(
    items: Sequence[Initiative], schedule: Schedule, days: int, sprints: int
) -> tuple[tuple[int, float], ...]:
    months = math.ceil(max(YEAR_DAYS, sprints * days) / MONTH_DAYS)
    finish = {i.id: schedule[i.id] * days / MONTH_DAYS for i in items if i.id in schedule}
    points = []
    for m in range(months + 1):
        total = sum(
            (i.value * max(0.0, m - finish[i.id]) / 12 for i in items if i.id in finish), 0.0
        )
        points.append((m, total))
    return tuple(points)


def _maturity(
    canvas: Canvas, items: Sequence[Initiative], schedule: Schedule
) -> tuple[MaturityPath, ...]:
    paths = []
    sprints = len(canvas.roadmap.sprints)
    for ref, stream in canvas.streams():
        m = stream.maturity
        if m is None or m.current is None or m.target is None:
            continue
        mine = [i for i in items if i.stream == ref and i.id in schedule]
        weights = {i.id: max(i.value, 0.0) for i in mine}
        total = sum(weights.values())
        levels = []
        reached: int | None = m.current if m.current >= m.target else None
        for n in range(1, sprints + 1):
            done = [i for i in mine if schedule[i.id] <= n]
            if total > 0:
                share = sum(weights[i.id] for i in done) / total
            else:
                share = len(done) / len(mine) if mine else 0.0
            level = m.current + math.floor((m.target - m.current) * share + 1e-9)
            levels.append(level)
            if reached is None and mine and len(done) == len(mine):
                reached = n
        paths.append(
            MaturityPath(ref, m.current, m.target, tuple(levels), reached,
                         tuple(sorted(i.id for i in mine)))
        )  # fmt: skip
    return tuple(paths)
