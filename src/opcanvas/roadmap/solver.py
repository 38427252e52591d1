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

A second solve keeps the first-year value at its optimum and maximises the annual value
scheduled, so work that only pays from year two (sprint 4) still gets placed when there is
room. The greedy baseline takes initiatives in priority order and puts each in the earliest
sprint where it fits.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from opcanvas.roadmap.initiatives import INFINITE, Capacity, Initiative

YEAR_DAYS = 360
MIP_GAP = 1e-7
TIME_LIMIT = 60.0

Schedule = dict[str, int]  # initiative id → sprint it finishes in


def year_share(sprint: int, sprint_days: int) -> float:
    """Share of the first year left after ``sprint`` ends (value counts from then)."""
    return max(0.0, (YEAR_DAYS - sprint * sprint_days) / YEAR_DAYS)


def first_year_value(items: Sequence[Initiative], schedule: Schedule, sprint_days: int) -> float:
    return sum(i.value * year_share(schedule[i.id], sprint_days) for i in items if i.id in schedule)


@dataclass(frozen=True)
class SolveResult:
    schedule: Schedule
    status: str
    optimal: bool
    seconds: float


def _windows(items: Sequence[Initiative]) -> list[range]:
    return [range(i.first_finish(), i.latest + 1) for i in items]


def optimise(items: Sequence[Initiative], cap: Capacity, sprint_days: int) -> SolveResult:
    """The schedule that maximises first-year value (then annual value scheduled)."""
    started = time.perf_counter()
    cols = [(n, s) for n, window in enumerate(_windows(items)) for s in window]
    if not cols:
        return SolveResult({}, "nothing to schedule", True, 0.0)
    col = {key: k for k, key in enumerate(cols)}
    rows, lower, upper = _constraints(items, cap, cols, col)
    first = np.array([items[n].value * year_share(s, sprint_days) for n, s in cols])
    annual = np.array([items[n].value for n, _ in cols])
    a = coo_array(
        ([v for _, _, v in rows], ([r for r, _, _ in rows], [c for _, c, _ in rows])),
        shape=(max(r for r, _, _ in rows) + 1 if rows else 0, len(cols)),
    ).tocsr()
    options = {"mip_rel_gap": MIP_GAP, "time_limit": TIME_LIMIT, "presolve": True}
    base = [LinearConstraint(a, np.array(lower), np.array(upper))] if rows else []
    bounds = Bounds(np.zeros(len(cols)), np.ones(len(cols)))
    integrality = np.ones(len(cols))
    stage1 = milp(-first, constraints=base, bounds=bounds, integrality=integrality,
                  options=options)  # fmt: skip
    if stage1.x is None:
        return SolveResult({}, stage1.message, False, time.perf_counter() - started)
    best = float(first @ np.round(stage1.x))
    keep = LinearConstraint(first.reshape(1, -1), best - 1e-9 * max(best, 1.0) - 1e-6, np.inf)
    stage2 = milp(-annual, constraints=[*base, keep], bounds=bounds, integrality=integrality,
                  options=options)  # fmt: skip
    chosen = stage2 if stage2.x is not None else stage1
    x = np.round(chosen.x)
    schedule = {items[n].id: s for (n, s), v in zip(cols, x, strict=True) if v > 0.5}
    optimal = stage1.status == 0 and stage2.status == 0
    return SolveResult(schedule, chosen.message, optimal, time.perf_counter() - started)


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
    days = list(cap.days)
    budget = list(cap.budget)
    schedule: Schedule = {}
    known = {i.id for i in items}
    pending = sorted(items, key=lambda i: (i.rank, i.id))
    placed_any = True
    while placed_any:
        placed_any = False
        for item in list(pending):
            deps = [d for d in item.depends_on if d in known]
            if any(d not in schedule for d in deps):
                continue  # wait for the prerequisite's turn
            start_after = max((schedule[d] for d in deps), default=0)
            for s in range(max(item.first_finish(), start_after + item.duration), item.latest + 1):
                running = range(s - item.duration, s)
                need_d, need_b = item.effort / item.duration, item.cost / item.duration
                if all(days[t] + 1e-9 >= need_d and budget[t] + 1e-9 >= need_b for t in running):
                    for t in running:
                        days[t] -= need_d
                        budget[t] -= need_b
                    schedule[item.id] = s
                    pending.remove(item)
                    placed_any = True
                    break
            else:
                pending.remove(item)  # it fits nowhere now; capacity only shrinks
    return schedule
