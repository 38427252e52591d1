"""Flow metrics of one value stream: lead time, process time, flow efficiency, quality, takt.

Office / knowledge work follows Martin & Osterling, *Value Stream Mapping* (2013): stream lead
time = Σ step LT and process time = Σ PT along the critical path, activity ratio (flow
efficiency) = ΣPT ÷ ΣLT, rolled %C&A = Π step %C&A. Manufacturing follows Rother & Shook,
*Learning to See* (1999): the same ladder with inventory days as the waits and C/T as the
process times, takt, operators needed = work content ÷ takt, steps slower than takt. Parallel
branches add along the critical path (the longest path, Kelley & Walker's critical path method,
1959); exclusive branches follow ``settings.decision``. Every figure's convention is in
``StreamFlow.conventions``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from opcanvas.canvas.model import Canvas, Settings, Stream
from opcanvas.canvas.quantities import Calendar
from opcanvas.flow.checks import little_for_stream, step_flags, stream_flags
from opcanvas.flow.completeness import stream_completeness
from opcanvas.flow.conventions import conventions
from opcanvas.flow.figures import StepFigures, StreamContext, step_figures, stream_context
from opcanvas.flow.flags import make_flag
from opcanvas.flow.results import StepFlow, StreamFlow
from opcanvas.flow.routing import Routing, Scenario, build_routing, longest_path, scenarios


def analyze_stream(canvas: Canvas, ref: str) -> StreamFlow:
    """Flow metrics of the stream ``engine/stream`` of a canvas.

    >>> from opcanvas.canvas import parse_canvas
    >>> canvas = parse_canvas('''
    ... organization: Acme
    ... engines: {growth: {streams: {s: {name: S, steps: [
    ...   {id: a, name: A, process_time: 10min, wait_time: 20min}]}}}}''')
    >>> round(analyze_stream(canvas, "growth/s").flow_efficiency, 3)
    0.333
    """
    stream = canvas.stream(ref)
    return analyze_stream_model(stream, ref=ref, settings=canvas.settings, calendar=canvas.calendar)


@dataclass(frozen=True)
class _Outcome:
    """The figures of one scenario (one combination of decision outcomes)."""

    probability: float
    elapsed: float
    process: float
    wait: float
    inventory_days: float
    cta: float
    fpy: float
    path: tuple[str, ...]


def analyze_stream_model(
    stream: Stream,
    *,
    ref: str = "",
    settings: Settings | None = None,
    calendar: Calendar | None = None,
) -> StreamFlow:
    """Flow metrics of a stream model on its own (e.g. a future state built in memory)."""
    settings = settings if settings is not None else Settings()
    cal = calendar if calendar is not None else Calendar()
    engine_id, _, stream_id = ref.partition("/")
    where = f"engines.{engine_id}.streams.{stream_id}" if stream_id else "stream"
    ctx = stream_context(stream, settings, cal, where)
    routing = build_routing(stream.steps, settings.point_estimate, f"{where}.steps")
    combos = scenarios(routing)
    flags = []
    if combos is None:
        flags.append(make_flag("scenario_limit", "too many decision combinations", stream=ref))
        combos = [Scenario(1.0, frozenset(routing.order), None)]  # every exit taken
    reach = {s.id: sum(c.probability for c in combos if s.id in c.active) for s in stream.steps}
    figures = {s.id: step_figures(s, ctx) for s in stream.steps}
    outcomes = [_outcome(routing, c, figures, settings.parallel) for c in combos]
    chosen = _chosen(outcomes, settings.decision)
    totals = _totals(outcomes, settings.decision)
    known = _known(figures)
    elapsed = totals.elapsed if known["time"] else None
    process = totals.process if known["process"] else None
    wait = totals.wait if known["wait"] else None
    work_content = (
        sum(reach[s] * (f.process_time or 0.0) for s, f in figures.items())
        if known["process"]
        else None
    )
    # a step's share of the lead time is its expected wait (reach-weighted) over the stream's
    weights = reach if settings.decision == "expected" else dict.fromkeys(reach, 1.0)
    steps = _step_flows(stream, routing, figures, reach, weights, ctx, set(chosen.path), elapsed)
    steps = step_flags(steps, figures, ctx, settings, ref)
    completeness = stream_completeness(stream, figures, ctx.demand_rate is not None)
    bottleneck, rule = _bottleneck(steps, stream.mode)
    little = little_for_stream(stream, settings)
    result = StreamFlow(
        ref=ref,
        name=stream.name,
        mode=stream.mode,
        steps=steps,
        lead_time=elapsed if settings.lead_time_includes_process_time else wait,
        process_time=process,
        wait_time=wait,
        flow_efficiency=process / elapsed if process is not None and elapsed else None,
        rolled_cta=totals.cta if known["cta"] else None,
        first_pass_yield=totals.fpy if known["fpy"] else None,
        takt_time=ctx.takt,
        available_time_per_day=ctx.available_per_day,
        operators_needed=work_content / ctx.takt if work_content is not None and ctx.takt else None,
        critical_path=chosen.path,
        handoffs=sum(step.handoff_in for step in steps),
        bottleneck=bottleneck,
        flags=(),
        completeness=completeness,
        little=little,
        conventions=conventions(settings, cal),
        elapsed_time=elapsed,
        work_content=work_content,
        demand_per_day=ctx.demand_per_day,
        inventory_days=totals.inventory_days if known["inventory"] else None,
        bottleneck_rule=rule,
        path_probability=chosen.probability,
        scenarios=len(combos),
        sources=dict(ctx.sources),
    )
    return stream_flags(result, flags, routing, settings, cal)


def _outcome(
    routing: Routing, combo: Scenario, figures: dict[str, StepFigures], parallel: str
) -> _Outcome:
    durations = {step_id: fig.path_time for step_id, fig in figures.items()}
    found = longest_path(routing, combo, durations, parallel)
    on_path = [figures[s] for s in found.path]
    active = [figures[s] for s in routing.order if s in combo.active]
    return _Outcome(
        probability=combo.probability,
        elapsed=found.total,
        process=sum(f.process_time or 0.0 for f in on_path),
        wait=sum(f.path_wait or 0.0 for f in on_path),
        inventory_days=sum(f.inventory_days or 0.0 for f in on_path),
        cta=math.prod(1.0 if f.complete_accurate is None else f.complete_accurate for f in active),
        fpy=math.prod(1.0 if f.first_pass_yield is None else f.first_pass_yield for f in active),
        path=found.path,
    )


def _chosen(outcomes: list[_Outcome], decision: str) -> _Outcome:
    """The scenario whose path is named: the most likely one, or the longest."""
    if decision == "longest":
        return max(outcomes, key=lambda o: o.elapsed)
    return max(outcomes, key=lambda o: o.probability)


def _totals(outcomes: list[_Outcome], decision: str) -> _Outcome:
    """Probability-weighted means over scenarios, or the longest scenario's figures."""
    if decision == "longest" or len(outcomes) == 1:
        return _chosen(outcomes, "longest")
    weight = sum(o.probability for o in outcomes) or 1.0

    def mean(name: str) -> float:
        return sum(o.probability * getattr(o, name) for o in outcomes) / weight

    return _Outcome(
        probability=1.0,
        elapsed=mean("elapsed"),
        process=mean("process"),
        wait=mean("wait"),
        inventory_days=mean("inventory_days"),
        cta=mean("cta"),
        fpy=mean("fpy"),
        path=(),
    )


def _known(figures: dict[str, StepFigures]) -> dict[str, bool]:
    """Which stream totals rest on at least one known step figure (else they are None)."""
    values = list(figures.values())
    return {
        "time": any(f.known_time for f in values),
        "process": any(f.process_time is not None for f in values),
        "wait": any(f.wait_time is not None for f in values),
        "cta": any(f.complete_accurate is not None for f in values),
        "fpy": any(f.first_pass_yield is not None for f in values),
        "inventory": any(f.inventory_days is not None for f in values),
    }


def _step_flows(
    stream: Stream,
    routing: Routing,
    figures: dict[str, StepFigures],
    reach: dict[str, float],
    weights: dict[str, float],
    ctx: StreamContext,
    on_path: set[str],
    elapsed: float | None,
) -> tuple[StepFlow, ...]:
    lanes = {step.id: step.lane for step in stream.steps}
    flows = []
    for step in stream.steps:
        fig = figures[step.id]
        preds = routing.preds[step.id]
        handoff = step.handoff
        if handoff is None:
            handoff = any(
                lanes[p] is not None and step.lane is not None and lanes[p] != step.lane
                for p in preds
            )
        wait = None if fig.path_wait is None else fig.path_wait * weights[step.id]
        capacity, utilisation = _capacity(fig, reach[step.id], ctx)
        manufacturing = ctx.mode == "manufacturing"
        flows.append(
            StepFlow(
                id=step.id,
                name=step.name,
                lane=step.lane,
                role=step.role,
                systems=tuple(step.systems),
                process_time=fig.process_time,
                wait_time=fig.wait_time,
                lead_time=fig.lead_time,
                complete_accurate=fig.complete_accurate,
                sources=dict(sorted(fig.sources.items())),
                on_critical_path=step.id in on_path,
                handoff_in=handoff,
                wait_share=wait / elapsed if wait is not None and elapsed else None,
                cycle_time=fig.cycle_time if manufacturing else None,
                changeover=fig.changeover if manufacturing else None,
                uptime=fig.uptime if manufacturing else None,
                effective_cycle_time=fig.effective_cycle_time if manufacturing else None,
                inventory_days=fig.inventory_days if manufacturing else None,
                capacity_per_day=capacity,
                utilisation=utilisation,
                flags=(),
                predecessors=preds,
                branches=dict(routing.branches.get(step.id, {})),
                reach=reach[step.id],
                elapsed_time=fig.elapsed,
                people=fig.people,
                first_pass_yield=fig.first_pass_yield,
            )
        )
    return tuple(flows)


def _capacity(
    fig: StepFigures, reach: float, ctx: StreamContext
) -> tuple[float | None, float | None]:
    """Units per day the step can do, and the share of that demand takes (manufacturing)."""
    effective = fig.effective_cycle_time
    if ctx.mode != "manufacturing" or effective is None or effective <= 0:
        return None, None
    people = fig.people if fig.people else 1.0
    capacity = people * ctx.available_per_day / effective
    if ctx.demand_per_day is None or capacity <= 0:
        return capacity, None
    return capacity, reach * ctx.demand_per_day / capacity


def _bottleneck(steps: tuple[StepFlow, ...], mode: str) -> tuple[str | None, str | None]:
    """The constraint of the stream, and the rule that picked it (first step wins a tie)."""
    candidates: list[tuple[str, list[tuple[float, str]]]]
    if mode == "manufacturing":
        candidates = [
            ("highest utilisation", [(s.utilisation, s.id) for s in steps if s.utilisation]),
            (
                "longest effective C/T per person",
                [
                    ((s.effective_cycle_time or 0) / (s.people or 1), s.id)
                    for s in steps
                    if s.effective_cycle_time
                ],
            ),
        ]
    else:
        candidates = [
            ("largest wait", [(s.wait_time, s.id) for s in steps if s.wait_time]),
            ("largest lead time", [(s.elapsed_time, s.id) for s in steps if s.elapsed_time]),
        ]
    for rule, values in candidates:
        if values:
            best = max(value for value, _ in values)
            return next(step_id for value, step_id in values if value == best), rule
    return None, None
