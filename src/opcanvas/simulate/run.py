"""The public entry points: simulate a stream over replications, and compare two states.

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: A
... engines: {e: {streams: {s: {name: S, demand: 4/h, steps: [
...   {id: a, name: A, people: 1, process_time: 10min}]}}}}''')
>>> result = simulate(canvas, "e/s", cases=300, replications=3)
>>> result.stable, round(result.step("a").load, 3)
(True, 0.667)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import format_percent, format_rate
from opcanvas.canvas.scenario import Scenario
from opcanvas.errors import SimulationError
from opcanvas.simulate.engine import run
from opcanvas.simulate.network import Network, carry_of, compile_network
from opcanvas.simulate.results import (
    Comparison,
    Estimate,
    LeadTime,
    SimulationResult,
    StepResult,
)
from opcanvas.simulate.scenario import apply_scenario
from opcanvas.simulate.settings import SimulationSettings
from opcanvas.simulate.statistics import HEADLINE, Replication, replication, wip_series

Progress = Callable[[int, int], None]
"""Called after each replication with (done, total)."""

MIN_CASES = 10


def _check_args(cases: int, replications: int, seed: int, warmup: float) -> None:
    if cases < MIN_CASES:
        raise SimulationError(f"cases: expected {MIN_CASES} or more, got {cases}")
    if replications < 1:
        raise SimulationError(f"replications: expected 1 or more, got {replications}")
    if seed < 0:
        raise SimulationError(f"seed: expected a whole number of 0 or more, got {seed}")
    if not 0 <= warmup < 0.9:
        raise SimulationError(f"warmup: expected a share from 0 to 0.9, got {warmup}")


def simulate(
    canvas: Canvas,
    ref: str,
    *,
    scenario: Scenario | None = None,
    cases: int = 1000,
    replications: int = 10,
    seed: int = 0,
    warmup: float = 0.1,
    progress: Progress | None = None,
    settings: SimulationSettings | None = None,
) -> SimulationResult:
    """Simulate the stream ``ref`` (with ``scenario`` applied, if given).

    Each replication runs ``cases`` arrivals with its own seed (``[seed, r]``); the first
    ``warmup`` share of cases is dropped. A stream with a step at 100 % load or more is not
    run: the result has ``stable=False`` and says which step. Same seed, same numbers.
    """
    settings = settings or SimulationSettings()
    _check_args(cases, replications, seed, warmup)
    net = build_network(canvas, ref, scenario, settings)
    name = scenario.name if scenario is not None else None
    conventions = _conventions(canvas, net, settings, cases, replications, seed, warmup)
    common: dict[str, Any] = {
        "ref": ref,
        "scenario": name,
        "cases": cases,
        "replications": replications,
        "seed": seed,
        "warmup": warmup,
        "demand": net.arrival_rate,
        "conventions": conventions,
    }
    unstable = net.unstable()
    if unstable:
        return _unstable(net, unstable, common)
    reps: list[Replication] = []
    for r in range(replications):
        trace = run(net, settings, cases, [seed, r])
        reps.append(replication(trace, net, warmup))
        if progress is not None:
            progress(r + 1, replications)
    return _summarise(net, reps, settings.confidence, common)


def build_network(
    canvas: Canvas, ref: str, scenario: Scenario | None, settings: SimulationSettings
) -> Network:
    """The compiled network of ``ref``, with ``scenario`` applied if given.

    With ``waits: auto`` a scenario keeps the current state's delays (the waiting that is not
    queueing) on every step whose wait it does not change.
    """
    if scenario is None:
        return compile_network(canvas, ref, canvas.stream(ref), settings)
    future = apply_scenario(canvas, ref, scenario)
    carry = None
    if settings.waits == "auto":
        try:
            carry = carry_of(compile_network(canvas, ref, canvas.stream(ref), settings))
        except SimulationError:
            carry = None  # the current state itself cannot run; the scenario stands alone
    return compile_network(canvas, ref, future, settings, carry=carry)


def compare(canvas: Canvas, ref: str, scenario: Scenario | None = None, **kw: Any) -> Comparison:
    """Current and future state of ``ref`` under the same seeds (common random numbers).

    ``scenario`` defaults to the stream's ``future_state``; keyword arguments go to
    :func:`simulate`. Differences are paired by replication, so their intervals are narrower
    than the two intervals side by side suggest.
    """
    if scenario is None:
        scenario = canvas.stream(ref).future_state
        if scenario is None:
            raise SimulationError(
                f"stream {ref} has no future_state to compare with",
                hint="give a scenario file, or add future_state: to the stream",
            )
    progress: Progress | None = kw.pop("progress", None)
    total = 2 * kw.get("replications", 10)

    def half(offset: int) -> Progress | None:
        if progress is None:
            return None
        return lambda done, _: progress(offset + done, total)

    current = simulate(canvas, ref, progress=half(0), **kw)
    future = simulate(canvas, ref, scenario=scenario, progress=half(total // 2), **kw)
    difference: dict[str, Estimate] = {}
    relative: dict[str, Estimate] = {}
    if current.stable and future.stable:
        confidence = (kw.get("settings") or SimulationSettings()).confidence
        for key in HEADLINE:
            now = np.array(current.per_replication[key])
            then = np.array(future.per_replication[key])
            difference[key] = Estimate.of(then - now, confidence)
            with np.errstate(divide="ignore", invalid="ignore"):
                relative[key] = Estimate.of(then / now - 1, confidence)
    return Comparison(ref, scenario.name, current, future, difference, relative)


def _unstable(
    net: Network, unstable: list[tuple[Any, float]], common: dict[str, Any]
) -> SimulationResult:
    reason = "; ".join(
        f'step "{node.id}" needs {format_percent(load)} of its capacity (arrival rate × '
        f"visits × mean process time ÷ {node.servers} people ≥ 100 %): its queue grows without "
        "end"
        for node, load in unstable
    )
    steps = tuple(_step(net, i, None) for i in range(len(net.nodes)))
    empty: dict[str, Any] = dict.fromkeys(
        (
            "lead_time",
            "throughput",
            "arrival_rate",
            "wip",
            "backlog",
            "time_in_system",
            "completed_share",
        )
    )
    return SimulationResult(
        **common,
        stable=False,
        reason=reason,
        **empty,
        wip_series=(),
        steps=steps,
        warnings=net.warnings,
    )


def _step(net: Network, i: int, est: dict[str, Estimate] | None) -> StepResult:
    node, load = net.nodes[i], net.loads[i]
    get = (lambda k: None) if est is None else est.get
    return StepResult(
        id=node.id,
        name=node.name,
        lane=node.lane,
        servers=node.servers,
        people=node.people,
        load=load,
        stable=load is None or load < 1,
        utilisation=get("utilisation") if node.servers is not None else None,
        in_progress=get("in_progress"),
        queue_length=get("queue_length"),
        wait=get("wait"),
        wait_share=get("wait_share"),
        visits=get("visits"),
        service=get("service"),
        canvas_wait=node.canvas_wait,
        canvas_process_time=node.canvas_process_time,
    )


def _summarise(
    net: Network, reps: list[Replication], confidence: float, common: dict[str, Any]
) -> SimulationResult:
    def est(key: str) -> Estimate:
        return Estimate.of([r.headline[key] for r in reps], confidence)

    steps = []
    for i in range(len(net.nodes)):
        per_step = {
            key: Estimate.of([getattr(r, key)[i] for r in reps], confidence)
            for key in (
                "utilisation",
                "in_progress",
                "queue_length",
                "wait",
                "wait_share",
                "visits",
                "service",
            )
        }
        steps.append(_step(net, i, per_step))
    return SimulationResult(
        **common,
        stable=True,
        reason=None,
        lead_time=LeadTime(
            est("lead_time_mean"), est("lead_time_p50"), est("lead_time_p85"), est("lead_time_p95")
        ),
        throughput=est("throughput"),
        arrival_rate=est("arrival_rate"),
        wip=est("wip"),
        backlog=est("backlog"),
        time_in_system=est("time_in_system"),
        completed_share=est("completed_share"),
        wip_series=tuple(wip_series(reps)),
        steps=tuple(steps),
        warnings=net.warnings,
        per_replication={k: tuple(r.headline[k] for r in reps) for k in HEADLINE},
    )


def _conventions(
    canvas: Canvas,
    net: Network,
    settings: SimulationSettings,
    cases: int,
    replications: int,
    seed: int,
    warmup: float,
) -> dict[str, str]:
    estimate = canvas.settings.point_estimate
    interval = (
        f"{settings.confidence:.0%} Student-t interval across replications (n − 1 degrees of "
        "freedom)"
        if replications > 1
        else "one replication: no interval (run two or more for confidence intervals)"
    )
    conventions = {
        "clock": f"working minutes on the canvas calendar, {canvas.calendar.describe()}",
        "arrivals": f"{net.arrival_source}: {format_rate(net.arrival_rate, canvas.calendar)}",
        "replications": f"{replications} × {cases} cases; replication r draws from "
        f"SeedSequence([{seed}, r]) with one stream per step id, so scenarios share random "
        "numbers (common random numbers)",
        "warmup": f"the first {warmup:.0%} of cases are dropped; time averages run from the first "
        "kept arrival to the last arrival",
        "confidence": interval,
        "lead_time": "arrival (the trigger) to the end of the last step, completed cases only; "
        "includes waiting at the entry under a WIP cap; percentiles by linear interpolation",
        "capacity": "people on a step are parallel servers taking work first in, first out; "
        "2.5 people are 3 servers whose process times stretch by 3/2.5",
        "rework": "a share 1 − %C&A (or rework_rate) goes back to rework_to, or repeats the step, "
        "with a full new process time; then drop_off leaves, then one branch is taken",
        "point_values": f"ranges of people, %C&A, drop-off, branch probabilities and demand are "
        f"used at their {estimate} value",
        "measured": "mined process and wait times replace workshop values where present"
        if canvas.settings.prefer_measured
        else "workshop values are used even where mined values exist",
        "stability": "a step is unstable when arrival rate × visits per case × mean process time "
        "÷ people ≥ 1, computed before running; unstable streams are not simulated",
        "wip": "cases in process (admitted, not finished), time-averaged; backlog = cases "
        "waiting at the entry under a WIP cap",
    }
    conventions.update(settings.conventions())
    return conventions
