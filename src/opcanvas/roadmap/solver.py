"""Put initiatives into sprints: an exact optimiser (MILP, HiGHS) and the greedy baseline.

Variables: binary x[i, s] = initiative i **finishes** in sprint s (s ≥ its duration). The
optimiser maximises the first-year value Σ v_i · f(s) · x[i, s], where f(s) = (Y − s · L) / Y
is the share of the first year left after sprint s ends (L = sprint length in days, Y = 360,
the seed's four 90-day sprints: f = 3/4, 1/2, 1/4, 0). Subject to:

- each initiative finishes at most once;
- per sprint t: Σ (effort_i / duration_i) over initiatives running in t ≤ capacity_days_t, and
  the same for cost and budget (blank = unlimited);
- finish-to-start dependencies: Σ_{s ≤ t} x[j, s] ≤ Σ_{s ≤ t − d_j} x[i, s] for every t when
  j depends on i (so j is only scheduled after i, and only if i is);
- the window: earliest start and latest finish.

Only finishing sprints with a positive share enter the MILP (a sprint-4 finish adds no
first-year value). HiGHS stops when its proven gap to the optimum is below ``MIP_GAP`` or at
``time_limit`` seconds; the plan reports the gap and the bound, and says when the time limit
cut the search (then the result can depend on the machine's speed). Afterwards the remaining
capacity is filled, in priority order, with the initiatives left out (mostly work that only
pays from year two), so the last sprint is planned too. The greedy baseline takes initiatives in
priority order and puts each in the earliest sprint where it fits.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from opcanvas.roadmap.initiatives import INFINITE, Capacity, Initiative

YEAR_DAYS = 360
MIP_GAP = 1e-6
TIME_LIMIT = 5.0

Schedule = dict[str, int]  # initiative id → sprint it finishes in


def year_share(sprint: int, sprint_days: int) -> float:
    """Share of the first year left after ``sprint`` ends (value counts from then)."""
    return max(0.0, (YEAR_DAYS - sprint * sprint_days) / YEAR_DAYS)


def first_year_value(items: Sequence[Initiative], schedule: Schedule, sprint_days: int) -> float:
    return sum(
        (i.value * year_share(schedule[i.id], sprint_days) for i in items if i.id in schedule), 0.0
    )


@dataclass(frozen=True)
class SolveResult:
    schedule: Schedule
    status: str
    optimal: bool
    seconds: float
    bound: float | None = None  # proven upper bound on the first-year value
    gap: float | None = None  # (bound − value) / bound when stopped early
    time_limited: bool = False


def _windows(items: Sequence[Initiative]) -> list[range]:
    return [range(i.first_finish(), i.latest + 1) for i in items]


def optimise(
    items: Sequence[Initiative], cap: Capacity, sprint_days: int, time_limit: float = TIME_LIMIT
) -> SolveResult:
    """The schedule that maximises first-year value, then filled with the rest by priority."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # slow to import: only when used
    from scipy.sparse import coo_array

    started = time.perf_counter()
    windows = [[s for s in w if year_share(s, sprint_days) > 0] for w in _windows(items)]
    cols = [(n, s) for n, window in enumerate(windows) for s in window]
    if not cols:
        return SolveResult(fill(items, cap, {}), "nothing earns first-year value", True, 0.0)
    col = {key: k for k, key in enumerate(cols)}
    rows, lower, upper = _constraints(items, cap, cols, col)
    first = np.array([items[n].value * year_share(s, sprint_days) for n, s in cols])
    a = coo_array(
        ([v for _, _, v in rows], ([r for r, _, _ in rows], [c for _, c, _ in rows])),
        shape=(len(lower), len(cols)),
    ).tocsr()
    result = milp(
        -first,
        constraints=[LinearConstraint(a, np.array(lower), np.array(upper))] if rows else [],
        bounds=Bounds(np.zeros(len(cols)), np.ones(len(cols))),
        integrality=np.ones(len(cols)),
        options={"mip_rel_gap": MIP_GAP, "time_limit": time_limit, "presolve": True},
    )
    seconds = time.perf_counter() - started
    if result.x is None:
        return SolveResult({}, result.message, False, seconds, time_limited=result.status == 1)
    x = np.round(result.x)
    schedule = {items[n].id: s for (n, s), v in zip(cols, x, strict=True) if v > 0.5}
    bound = None if result.mip_dual_bound is None else -float(result.mip_dual_bound)
    return SolveResult(
        schedule=fill(items, cap, schedule),
        status=result.message,
        optimal=result.status == 0,
        seconds=seconds,
        bound=bound,
        gap=None if result.mip_gap is None else float(result.mip_gap),
        time_limited=result.status == 1,
    )


def _constraints(
    items: Sequence[Initiative],
    cap: Capacity,
    cols: list[tuple[int, int]],
    col: dict[tuple[int, int], int],
) -> tuple[list[tuple[int, int, float]], list[float], list[float]]:
    rows: list[tuple[int, int, float]] = []
    lower: list[float] = []
    upper: list[float] = []

    def add(entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        if not entries:
            return
        r = len(lower)
        rows.extend((r, c, v) for c, v in entries)
        lower.append(lo)
        upper.append(hi)

    by_item: dict[int, list[int]] = {}
    for k, (n, _) in enumerate(cols):
        by_item.setdefault(n, []).append(k)
    for ks in by_item.values():
        add([(k, 1.0) for k in ks], 0.0, 1.0)
    for t in range(1, cap.sprints + 1):
        for limits, attr in ((cap.days, "effort"), (cap.budget, "cost")):
            if limits[t - 1] == INFINITE:
                continue
            entries = []
            for k, (n, s) in enumerate(cols):
                item = items[n]
                need = getattr(item, attr) / item.duration
                if need > 0 and s - item.duration + 1 <= t <= s:
                    entries.append((k, need))
            add(entries, -np.inf, limits[t - 1])
    position = {item.id: n for n, item in enumerate(items)}
    for j, item in enumerate(items):
        for dep in item.depends_on:
            i = position.get(dep)
            if i is None:
                continue  # a done prerequisite: already satisfied
            for t in range(1, cap.sprints + 1):
                entries = [(col[(j, s)], 1.0) for s in range(1, t + 1) if (j, s) in col]
                entries += [(col[(i, s)], -1.0) for s in range(1, t - item.duration + 1)
                            if (i, s) in col]  # fmt: skip
                add(entries, -np.inf, 0.0)
    return rows, lower, upper


def greedy(items: Sequence[Initiative], cap: Capacity) -> Schedule:
    """Priority order; each initiative in the earliest sprint where it and its
    prerequisites fit. Passes repeat until nothing more can be placed."""
    return fill(items, cap, {})


def fill(items: Sequence[Initiative], cap: Capacity, fixed: Schedule) -> Schedule:
    """Keep ``fixed`` and add the other initiatives, in priority order, each in the earliest
    sprint where it fits the capacity left and after its prerequisites."""
    days = list(cap.days)
    budget = list(cap.budget)
    by_id = {i.id: i for i in items}
    for gap_id, finish in fixed.items():
        item = by_id[gap_id]
        for t in range(finish - item.duration, finish):
            days[t] -= item.effort / item.duration
            budget[t] -= item.cost / item.duration
    schedule: Schedule = dict(fixed)
    pending = sorted((i for i in items if i.id not in fixed), key=lambda i: (i.rank, i.id))
    placed_any = True
    while placed_any:
        placed_any = False
        for item in list(pending):
            deps = [d for d in item.depends_on if d in by_id]
            if any(d not in schedule for d in deps):
                continue  # wait for the prerequisite's turn
            start_after = max((schedule[d] for d in deps), default=0)
            need_d, need_b = item.effort / item.duration, item.cost / item.duration
            for s in range(max(item.first_finish(), start_after + item.duration), item.latest + 1):
                running = range(s - item.duration, s)
                if all(days[t] + 1e-9 >= need_d and budget[t] + 1e-9 >= need_b for t in running):
                    for t in running:
                        days[t] -= need_d
                        budget[t] -= need_b
                    schedule[item.id] = s
                    placed_any = True
                    break
            pending.remove(item)  # placed, or it fits nowhere now (capacity only shrinks)
    return schedule
