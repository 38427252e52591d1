"""Initiatives: the gaps that can go on the roadmap, with their planning inputs checked.

An initiative is a valued gap whose status is not ``done`` or ``dropped``. Its inputs:

- ``effort`` (person-days) and ``implementation_cost``, spread evenly over the sprints it runs
  (a blank effort or cost counts as 0 and is listed in the roadmap's notes);
- ``duration`` in sprints; ``earliest_sprint`` is the first sprint it may **start** in,
  ``latest_sprint`` the sprint it must **finish** by;
- ``depends_on``: finish-to-start at sprint granularity — a dependent starts in a sprint after
  the one in which its prerequisite finishes. A ``done`` prerequisite is already satisfied.

Inputs that cannot be planned are refused with the cause (:class:`PlanningError`): a dependency
on a gap that does not exist, a dependency cycle (named), an initiative needing more
people-days or budget per sprint than any sprint in its window has, and a ``latest_sprint``
that its prerequisites make unreachable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opcanvas.canvas.gaps import Gap
from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import point
from opcanvas.errors import Location, PlanningError
from opcanvas.roadmap.graph import find_cycle
from opcanvas.value.prioritize import RankedGap
from opcanvas.value.quantify import GapValue

INFINITE = float("inf")


@dataclass(frozen=True)
class Initiative:
    """A gap as the planner sees it."""

    id: str
    title: str
    stream: str
    annual_value: float
    value: float  # net annual value: annual value − running cost
    effort: float
    cost: float
    duration: int
    depends_on: tuple[str, ...]
    earliest: int  # first sprint it may start in
    latest: int  # last sprint it may finish in
    rank: int
    lanes: tuple[str, ...]
    owner: str | None

    def first_finish(self) -> int:
        return max(self.duration, self.earliest + self.duration - 1)


@dataclass(frozen=True)
class Capacity:
    days: tuple[float, ...]  # per sprint; inf when blank
    budget: tuple[float, ...]

    @property
    def sprints(self) -> int:
        return len(self.days)


def capacity(canvas: Canvas) -> Capacity:
    days = tuple(_limit(s.capacity_days) for s in canvas.roadmap.sprints)
    budget = tuple(_limit(s.budget) for s in canvas.roadmap.sprints)
    return Capacity(days, budget)


def _limit(value: object) -> float:
    number = point(value)  # type: ignore[arg-type]
    return INFINITE if number is None else float(number)


def _lanes(canvas: Canvas, gap: Gap) -> tuple[str, ...]:
    refs = dict(canvas.streams())
    stream = refs.get(gap.stream)
    if stream is None:
        return ()
    if gap.step is not None:
        lanes = [s.lane for s in stream.steps if s.id == gap.step and s.lane]
    else:
        lanes = []
    return tuple(lanes)


def _owner(canvas: Canvas, gap: Gap) -> str | None:
    if gap.owner:
        return gap.owner
    stream = dict(canvas.streams()).get(gap.stream)
    return stream.owner if stream is not None else None


def check_dependencies(canvas: Canvas) -> None:
    """Every ``depends_on`` names a gap, and there is no cycle; PlanningError otherwise."""
    ids = [g.id for g in canvas.gaps]
    for i, gap in enumerate(canvas.gaps):
        for j, dep in enumerate(gap.depends_on):
            if dep not in ids:
                raise PlanningError(
                    f'gap "{gap.id}" depends on "{dep}", which is not a gap in this canvas '
                    f"(gaps: {', '.join(ids)})",
                    where=Location(key=f"gaps[{i}].depends_on[{j}]"),
                    hint="fix the id, or remove the dependency",
                )
    cycle = find_cycle({g.id: list(g.depends_on) for g in canvas.gaps})
    if cycle:
        first = ids.index(cycle[0])
        raise PlanningError(
            "the initiatives depend on each other in a cycle: " + " → ".join(cycle),
            where=Location(key=f"gaps[{first}].depends_on"),
            hint="an initiative cannot wait for itself; remove one dependency of the cycle",
        )


def build_initiatives(
    canvas: Canvas, values: Sequence[GapValue], ranked: Sequence[RankedGap]
) -> tuple[list[Initiative], list[tuple[str, str]], list[str]]:
    """The plannable initiatives, the gaps left out with their reason, and notes on blanks."""
    check_dependencies(canvas)
    by_value = {v.gap_id: v for v in values}
    rank = {r.gap_id: r.rank for r in ranked}
    sprints = len(canvas.roadmap.sprints)
    left_out: list[tuple[str, str]] = []
    notes: list[str] = []
    candidates: dict[str, Initiative] = {}
    for gap in canvas.gaps:
        if gap.status in ("done", "dropped"):
            left_out.append((gap.id, f"status is {gap.status}"))
            continue
        value = by_value.get(gap.id)
        if value is None:
            left_out.append((gap.id, "not quantified (no drivers or formulas)"))
            continue
        effort = point(gap.effort)
        cost = value.implementation_cost
        if effort is None:
            notes.append(f"{gap.id}: no effort given, counted as 0 person-days")
        if cost is None:
            notes.append(f"{gap.id}: no implementation cost given, counted as 0")
        candidates[gap.id] = Initiative(
            id=gap.id,
            title=gap.title or gap.id,
            stream=gap.stream,
            annual_value=value.annual_value,
            value=value.net_annual_value,
            effort=float(effort or 0.0),
            cost=float(cost or 0.0),
            duration=gap.duration,
            depends_on=tuple(gap.depends_on),
            earliest=gap.earliest_sprint or 1,
            latest=min(gap.latest_sprint or sprints, sprints),
            rank=rank.get(gap.id, len(ranked) + 1),
            lanes=_lanes(canvas, gap),
            owner=_owner(canvas, gap),
        )
    done = {g.id for g in canvas.gaps if g.status == "done"}
    plannable = _reachable(canvas, candidates, done, left_out)
    _check_sizes(canvas, plannable)
    return plannable, left_out, notes


def _reachable(
    canvas: Canvas,
    candidates: dict[str, Initiative],
    done: set[str],
    left_out: list[tuple[str, str]],
) -> list[Initiative]:
    """Drop initiatives that cannot finish in the plan; refuse unreachable latest sprints."""
    sprints = len(canvas.roadmap.sprints)
    index = {g.id: i for i, g in enumerate(canvas.gaps)}
    finish: dict[str, int] = {}
    kept: list[Initiative] = []
    reason = dict(left_out)
    for gap_id in _dependency_order(canvas):
        item = candidates.get(gap_id)
        if item is None:
            continue
        blocked = [d for d in item.depends_on if d not in done and d not in finish]
        if blocked:
            why = reason.get(blocked[0], "it cannot be scheduled")
            left_out.append((gap_id, f'depends on "{blocked[0]}", which is left out ({why})'))
            reason[gap_id] = left_out[-1][1]
            continue
        earliest = max([item.first_finish()] + [finish[d] + item.duration for d in item.depends_on
                                                 if d in finish])  # fmt: skip
        gap = canvas.gaps[index[gap_id]]
        if gap.latest_sprint is not None and earliest > gap.latest_sprint:
            raise PlanningError(
                f'gap "{gap_id}" must finish by sprint {gap.latest_sprint}, but it cannot '
                f"finish before sprint {earliest} ({_why_late(item, finish)})",
                where=Location(key=f"gaps[{index[gap_id]}].latest_sprint"),
                hint="move latest_sprint later, shorten the prerequisites, or drop a dependency",
            )
        if earliest > sprints:
            left_out.append(
                (gap_id, f"cannot finish within {sprints} sprints (earliest finish: {earliest})")
            )
            reason[gap_id] = left_out[-1][1]
            continue
        finish[gap_id] = earliest
        kept.append(item)
    return sorted(kept, key=lambda i: (i.rank, i.id))


def _why_late(item: Initiative, finish: dict[str, int]) -> str:
    parts = [f"it takes {item.duration} sprint(s) from sprint {item.earliest}"]
    parts += [f'"{d}" finishes in sprint {finish[d]} at the earliest' for d in item.depends_on
              if d in finish]  # fmt: skip
    return "; ".join(parts)


def _dependency_order(canvas: Canvas) -> list[str]:
    """Gap ids, prerequisites first (the graph is acyclic by now), file order otherwise."""
    order: list[str] = []
    seen: set[str] = set()
    deps = {g.id: g.depends_on for g in canvas.gaps}

    def visit(gap_id: str) -> None:
        if gap_id in seen:
            return
        seen.add(gap_id)
        for dep in deps.get(gap_id, []):
            visit(dep)
        order.append(gap_id)

    for gap in canvas.gaps:
        visit(gap.id)
    return order


def _check_sizes(canvas: Canvas, items: list[Initiative]) -> None:
    cap = capacity(canvas)
    index = {g.id: i for i, g in enumerate(canvas.gaps)}
    for item in items:
        window = range(item.earliest - 1, item.latest)
        for what, need, limits, key in (
            ("person-days", item.effort, cap.days, "effort"),
            ("budget", item.cost, cap.budget, "implementation_cost"),
        ):
            per_sprint = need / item.duration
            largest = max((limits[s] for s in window), default=0.0)
            if per_sprint > largest:
                raise PlanningError(
                    f'gap "{item.id}" needs {per_sprint:,.0f} {what} per sprint over '
                    f"{item.duration} sprint(s), more than any sprint it may run in has (largest: "
                    f"{largest:,.0f})",
                    where=Location(key=f"gaps[{index[item.id]}].{key}"),
                    hint="split the initiative, give it more sprints (duration), or raise the "
                    "sprint's capacity_days / budget",
                )
