"""The checks that raise flags on a stream and its steps (codes and meanings in ``FLAGS``).

Thresholds come from the settings: %C&A below ``min_complete_accurate`` (Martin & Osterling
treat low %C&A as the first sign of rework), a wait share at or above ``max_wait_share``,
C/T per person above takt (Rother & Shook), utilisation above 100 %, and Little's law misses
above ``little_tolerance``.
"""

from __future__ import annotations

from dataclasses import replace

from opcanvas.canvas.model import Settings, Stream
from opcanvas.canvas.quantities import Calendar, point
from opcanvas.flow.figures import StepFigures, StreamContext
from opcanvas.flow.flags import human_time, make_flag, percent
from opcanvas.flow.little import littles_law
from opcanvas.flow.results import Flag, LittleResult, StepFlow, StreamFlow
from opcanvas.flow.routing import Routing


def _fraction(value: object, settings: Settings) -> float:
    return point(value, settings.point_estimate) or 0.0  # type: ignore[arg-type]


def step_flags(
    steps: tuple[StepFlow, ...],
    figures: dict[str, StepFigures],
    ctx: StreamContext,
    settings: Settings,
    ref: str,
) -> tuple[StepFlow, ...]:
    """Each step with its flags attached."""
    return tuple(
        replace(step, flags=tuple(_one_step(step, figures[step.id], ctx, settings, ref)))
        for step in steps
    )


def _one_step(
    step: StepFlow, fig: StepFigures, ctx: StreamContext, settings: Settings, ref: str
) -> list[Flag]:
    cal = ctx.calendar
    flags = [
        make_flag(code, f"{step.name}: {text}", step=step.id, stream=ref)
        for code, text in fig.problems
    ]

    def flag(code: str, text: str) -> None:
        flags.append(make_flag(code, f"{step.name}: {text}", step=step.id, stream=ref))

    floor = _fraction(settings.min_complete_accurate, settings)
    if step.complete_accurate is not None and step.complete_accurate < floor:
        flag(
            "low_complete_accurate",
            f"%C&A {percent(step.complete_accurate)} is below {percent(floor)}",
        )
    share = _fraction(settings.max_wait_share, settings)
    if step.wait_share is not None and step.wait_share >= share:
        flag(
            "step_wait_share",
            f"the wait before it is {percent(step.wait_share)} of the stream's lead time",
        )
    if ctx.mode == "manufacturing" and ctx.takt is not None:
        people = step.people if step.people else 1.0
        who = f"{people:g} " + ("person" if people == 1 else "people")
        takt = human_time(ctx.takt, cal)
        if step.cycle_time is not None and step.cycle_time / people > ctx.takt:
            flag(
                "cycle_time_above_takt",
                f"C/T {human_time(step.cycle_time, cal)} with {who} is above takt {takt}",
            )
        elif (
            step.effective_cycle_time is not None and step.effective_cycle_time / people > ctx.takt
        ):
            flag(
                "effective_cycle_time_above_takt",
                f"effective C/T {human_time(step.effective_cycle_time, cal)} with {who} is "
                f"above takt {takt}",
            )
    if step.utilisation is not None and step.utilisation > 1:
        flag("over_capacity", f"utilisation {percent(step.utilisation)}: demand exceeds capacity")
    return flags


def stream_flags(
    result: StreamFlow, early: list[Flag], routing: Routing, settings: Settings, cal: Calendar
) -> StreamFlow:
    """The stream with every flag: its own first, then each step's in step order."""
    ref = result.ref
    flags = list(early)

    def flag(code: str, text: str, step: str | None = None) -> None:
        flags.append(make_flag(code, text, step=step, stream=ref))

    if not result.steps:
        flag("no_steps", f"{result.name} has no steps yet: add them to compute its flow")
    for orphan in routing.orphans:
        flag(
            "no_predecessor",
            f"{orphan} follows a decision point without being one of its branches; "
            "it is treated as a start step: set `after:` or add it as a branch",
            orphan,
        )
    partial = [s.id for s in result.steps if s.elapsed_time is None]
    if partial and result.elapsed_time is not None:
        flag(
            "partial_figures",
            "lead time counts only known parts: no full wait + PT for " + ", ".join(partial),
        )
    share = _fraction(settings.max_wait_share, settings)
    if result.wait_time is not None and result.elapsed_time:
        stream_share = result.wait_time / result.elapsed_time
        if stream_share >= share:
            flag(
                "stream_wait_share",
                f"work waits {percent(stream_share)} of the lead time (threshold {percent(share)})",
            )
    if result.handoffs:
        into = ", ".join(s.id for s in result.steps if s.handoff_in)
        noun = "handoff" if result.handoffs == 1 else "handoffs"
        flag("handoffs", f"{result.handoffs} {noun} between lanes (into {into})")
    flags += _little_flags(result, cal)
    for step in result.steps:
        flags += step.flags
    return replace(result, flags=tuple(flags))


def _little_flags(result: StreamFlow, cal: Calendar) -> list[Flag]:
    little = result.little
    found: list[Flag] = []
    if little is None:
        return found
    if little.consistent is False and little.deviation is not None:
        found.append(
            make_flag(
                "little_inconsistent",
                f"WIP {little.wip:g} ≠ throughput × lead time "
                f"({(little.throughput or 0) * (little.lead_time or 0):.3g}): off by "
                f"{percent(little.deviation)}, tolerance {percent(little.tolerance)}",
                stream=result.ref,
            )
        )
    mapped = result.elapsed_time
    if little.lead_time and mapped:
        deviation = abs(mapped - little.lead_time) / max(mapped, little.lead_time)
        if deviation > little.tolerance:
            how = "Little's law (WIP ÷ throughput)" if little.derived == "lead_time" else "stated"
            found.append(
                make_flag(
                    "map_vs_little",
                    f"mapped lead time {human_time(mapped, cal)} differs from the {how} lead time "
                    f"{human_time(little.lead_time, cal)} by {percent(deviation)}",
                    stream=result.ref,
                )
            )
    return found


def little_for_stream(stream: Stream, settings: Settings) -> LittleResult | None:
    """Little's law on the stream's stated (or mined) WIP, throughput and lead time, when at
    least two are known."""
    estimate = settings.point_estimate
    measured = stream.measured
    values = {}
    for name in ("wip", "throughput", "lead_time"):
        stated = point(getattr(stream, name), estimate)
        mined = point(getattr(measured, name), estimate) if measured is not None else None
        first, second = (mined, stated) if settings.prefer_measured else (stated, mined)
        values[name] = first if first is not None else second
    if sum(v is not None for v in values.values()) < 2:
        return None
    return littles_law(**values, tolerance=_fraction(settings.little_tolerance, settings))
