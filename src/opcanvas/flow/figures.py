"""The figures of each step and the stream's takt, resolved from estimates and mined values.

Office / knowledge work — Martin & Osterling, *Value Stream Mapping* (McGraw-Hill 2013), ch. 4:
a step's process time PT is the hands-on time, its lead time LT the elapsed time from work
being available to it being passed on, i.e. the wait before the step plus PT. Any two of wait,
PT and LT give the third; three that disagree by more than 1 % are flagged.

Manufacturing — Rother & Shook, *Learning to See* (LEI 1999): available time per day = shifts ×
(shift length − planned breaks); takt = available time ÷ customer demand per day; inventory
before a process in days of demand = inventory ÷ daily demand; a step's C/T is the lower rung
of the lead-time ladder and its inventory days the upper. Effective C/T = (C/T + C/O ÷ batch
size) ÷ uptime; changeover counts only when a batch size is given, so an uptime that already
includes changeover losses is not charged twice. C/T is the work content per unit of one
person (or station); ``operators`` (else ``people``, else 1) work in parallel.

Every figure records its source: ``measured`` (mined, ``step.measured``), ``estimate`` (the
workshop's number), ``derived`` (computed from others) or ``missing``. With
``settings.prefer_measured`` a mined value wins over an estimate. A mined lead time is always
elapsed time (wait + PT), whatever ``lead_time_includes_process_time`` says about the canvas's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opcanvas.canvas.model import Settings, Step, Stream
from opcanvas.canvas.quantities import Calendar, PointEstimate, point
from opcanvas.errors import CanvasError, Location
from opcanvas.flow.results import Source

MISMATCH = 0.01
"""Relative difference between a stated LT and wait + PT above which the step is flagged."""


def working_day_minutes(cal: Calendar) -> float:
    """Elapsed minutes per working day: ``hours_per_day`` on the working basis, 24 h × 7 ÷
    ``days_per_week`` on the calendar basis (weekends spread over the working days)."""
    if cal.basis == "calendar":
        return 1440.0 * 7 / cal.days_per_week
    return cal.hours_per_day * 60.0


@dataclass(frozen=True)
class StreamContext:
    """What every step of a stream is resolved against: settings, calendar, demand, takt."""

    mode: str
    estimate: PointEstimate
    prefer_measured: bool
    includes_pt: bool
    calendar: Calendar
    demand_rate: float | None  # per minute
    demand_per_day: float | None  # per working day
    available_per_day: float  # minutes of production (or working) time per day
    takt: float | None  # minutes
    sources: dict[str, Source]
    measured_statistic: str | None = None  # of the mined figures (stream.measured)


def stream_context(stream: Stream, settings: Settings, cal: Calendar, where: str) -> StreamContext:
    """Demand, available time and takt of a stream (Rother & Shook; office mode alike)."""
    estimate = settings.point_estimate
    sources: dict[str, Source] = {}
    demand = point(stream.demand, estimate)
    sources["demand"] = "estimate" if demand is not None else "missing"
    if demand is None and stream.trigger is not None and stream.trigger.volume is not None:
        demand, sources["demand"] = point(stream.trigger.volume, estimate), "derived"
    available, sources["available_time"] = _available(stream, estimate, cal, where)
    per_day = None if demand is None else demand * working_day_minutes(cal)
    takt = available / per_day if per_day else None
    sources["takt_time"] = "derived" if takt is not None else "missing"
    return StreamContext(
        mode=stream.mode,
        estimate=estimate,
        prefer_measured=settings.prefer_measured,
        includes_pt=settings.lead_time_includes_process_time,
        calendar=cal,
        demand_rate=demand,
        demand_per_day=per_day,
        available_per_day=available,
        takt=takt,
        sources=sources,
        measured_statistic=stream.measured.statistic if stream.measured is not None else None,
    )


def _available(stream: Stream, estimate: PointEstimate, cal: Calendar, where: str) -> tuple:
    production = stream.production
    if production is None:
        return cal.hours_per_day * 60.0, "derived"
    shifts = point(production.shifts, estimate) or 0.0
    length = point(production.shift_length, estimate) or 0.0
    breaks = point(production.breaks, estimate) or 0.0
    if breaks > length:
        raise CanvasError(
            f"planned breaks ({breaks:g} min) are longer than the shift ({length:g} min)",
            where=Location(key=f"{where}.production.breaks"),
            hint="breaks are per shift: the time each shift does not produce",
        )
    return shifts * (length - breaks), "estimate"


@dataclass
class StepFigures:
    """One step's resolved figures (minutes, fractions) and the problems found resolving them."""

    process_time: float | None = None
    wait_time: float | None = None
    lead_time: float | None = None  # as reported: elapsed, or the wait only (see settings)
    elapsed: float | None = None  # wait + PT when known
    complete_accurate: float | None = None
    first_pass_yield: float | None = None
    people: float | None = None
    cycle_time: float | None = None
    changeover: float | None = None
    uptime: float | None = None
    effective_cycle_time: float | None = None
    inventory_days: float | None = None
    sources: dict[str, Source] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (flag code, message)

    @property
    def known_time(self) -> bool:
        return any(v is not None for v in (self.process_time, self.wait_time, self.elapsed))

    @property
    def path_time(self) -> float:
        """Elapsed time on a path: what is known of it, never less than the process time."""
        pt = self.process_time or 0.0
        if self.elapsed is not None:
            return max(self.elapsed, pt)
        return pt + (self.wait_time or 0.0)

    @property
    def path_wait(self) -> float | None:
        """The wait counted on a path: never more than the elapsed time left after PT."""
        if self.wait_time is None:
            return None
        return min(self.wait_time, self.path_time - (self.process_time or 0.0))


def _pick(estimated: Any, measured: Any, ctx: StreamContext) -> tuple[float | None, Source]:
    est, mea = point(estimated, ctx.estimate), point(measured, ctx.estimate)
    order: list[tuple[float | None, Source]] = [(est, "estimate"), (mea, "measured")]
    if ctx.prefer_measured:
        order.reverse()
    for value, source in order:
        if value is not None:
            return value, source
    return None, "missing"


def step_figures(step: Step, ctx: StreamContext) -> StepFigures:
    """Resolve one step's figures in the stream's mode."""
    fig = StepFigures()
    measured = step.measured
    m: dict[str, Any] = measured.model_dump() if measured is not None else {}
    pt, s_pt = _pick(step.process_time, m.get("process_time"), ctx)
    wait, s_wait = _pick(step.wait_time, m.get("wait_time"), ctx)
    if ctx.mode == "manufacturing":
        pt, s_pt = _cycle_time(step, fig, pt, s_pt, ctx)
        wait, s_wait = _inventory(step, fig, wait, s_wait, ctx)
    lt, s_lt = _pick(step.lead_time, m.get("lead_time"), ctx)
    _times(fig, (pt, s_pt), (wait, s_wait), (lt, s_lt), ctx.includes_pt, ctx.measured_statistic)
    fig.complete_accurate = point(step.complete_accurate, ctx.estimate)
    fig.sources["complete_accurate"] = (
        "estimate" if fig.complete_accurate is not None else "missing"
    )
    _yield(step, fig, m, ctx)
    first, second = (step.operators, step.people)
    if ctx.mode == "office":
        first, second = second, first
    fig.people = point(first if first is not None else second, ctx.estimate)
    fig.sources["people"] = "estimate" if fig.people is not None else "missing"
    return fig


def _cycle_time(
    step: Step, fig: StepFigures, pt: float | None, s_pt: Source, ctx: StreamContext
) -> tuple[float | None, Source]:
    """C/T is the process time of the ladder; a blank C/T falls back on the process time."""
    ct = point(step.cycle_time, ctx.estimate)
    if ct is not None:
        fig.sources["cycle_time"] = "estimate"
        pt, s_pt = ct, "estimate"
    else:
        ct = pt
        fig.sources["cycle_time"] = "derived" if pt is not None else "missing"
    fig.cycle_time = ct
    fig.changeover = point(step.changeover, ctx.estimate)
    fig.uptime = point(step.uptime, ctx.estimate)
    batch = point(step.batch_size, ctx.estimate)
    for name in ("changeover", "uptime"):
        fig.sources[name] = "estimate" if getattr(fig, name) is not None else "missing"
    if ct is not None:
        per_unit_changeover = fig.changeover / batch if fig.changeover and batch else 0.0
        uptime = fig.uptime if fig.uptime else 1.0  # a blank (or zero) uptime is not a divisor
        fig.effective_cycle_time = (ct + per_unit_changeover) / uptime
    fig.sources["effective_cycle_time"] = "derived" if ct is not None else "missing"
    return pt, s_pt


def _inventory(
    step: Step, fig: StepFigures, wait: float | None, s_wait: Source, ctx: StreamContext
) -> tuple[float | None, Source]:
    """Inventory before a step in days of demand; the wait it means is inventory ÷ demand."""
    inventory = point(step.inventory_before, ctx.estimate)
    if inventory is not None and ctx.demand_rate and ctx.demand_per_day:
        fig.inventory_days = inventory / ctx.demand_per_day
        fig.sources["inventory_days"] = "estimate"
        return inventory / ctx.demand_rate, "derived"
    if wait is not None:
        fig.inventory_days = wait / working_day_minutes(ctx.calendar)
        fig.sources["inventory_days"] = "derived"
    else:
        fig.sources["inventory_days"] = "estimate" if inventory is not None else "missing"
    return wait, s_wait


def _times(
    fig: StepFigures,
    pt_in: tuple[float | None, Source],
    wait_in: tuple[float | None, Source],
    lt_in: tuple[float | None, Source],
    includes_pt: bool,
    measured_statistic: str | None = None,
) -> None:
    """Wait, PT and LT from whichever are given (LT = wait + PT)."""
    (pt, s_pt), (wait, s_wait), (lt, s_lt) = pt_in, wait_in, lt_in
    # mined medians and percentiles do not add up (the median LT is not the median wait plus
    # the median PT); means do, so only they are held to LT = wait + PT
    additive = not (s_pt == s_wait == s_lt == "measured" and measured_statistic != "mean")
    if lt is not None and not includes_pt and s_lt == "estimate":
        # the canvas's LT is the wait alone (the top rung of the ladder)
        if wait is None:
            wait, s_wait = lt, "estimate"
        elif abs(wait - lt) > MISMATCH * max(wait, lt):
            fig.problems.append(("lead_time_mismatch", f"LT {lt:g} min ≠ wait {wait:g} min"))
        lt, s_lt = None, "missing"
    elapsed, s_elapsed = lt, s_lt
    if lt is not None:
        if pt is not None and wait is not None:
            if additive and abs(lt - (pt + wait)) > MISMATCH * max(lt, pt + wait):
                fig.problems.append(
                    (
                        "lead_time_mismatch",
                        f"LT {lt:g} min ≠ wait {wait:g} min + PT {pt:g} min; using LT as given",
                    )
                )
        elif pt is not None or wait is not None:
            known = pt if pt is not None else wait
            assert known is not None
            name = "process time" if pt is not None else "wait"
            if known > lt:
                fig.problems.append(
                    (
                        "process_exceeds_lead_time",
                        f"{name} {known:g} min is longer than the lead time {lt:g} min",
                    )
                )
            elif pt is not None:
                wait, s_wait = lt - pt, "derived"
            else:
                pt, s_pt = lt - known, "derived"
    elif pt is not None and wait is not None:
        elapsed, s_elapsed = pt + wait, "derived"
    fig.process_time, fig.wait_time, fig.elapsed = pt, wait, elapsed
    fig.sources.update(process_time=s_pt, wait_time=s_wait)
    if includes_pt:
        fig.lead_time, fig.sources["lead_time"] = elapsed, s_elapsed
    else:
        fig.lead_time, fig.sources["lead_time"] = wait, s_wait


def _yield(step: Step, fig: StepFigures, m: dict[str, Any], ctx: StreamContext) -> None:
    """First-pass yield: mined, else 1 − rework rate (the share not sent back)."""
    fpy, source = _pick(None, m.get("first_pass_yield"), ctx)
    if fpy is None:
        rework, _ = _pick(step.rework_rate, m.get("rework_rate"), ctx)
        if rework is not None:
            fpy, source = 1.0 - rework, "derived"
    fig.first_pass_yield = fpy
    fig.sources["first_pass_yield"] = source
