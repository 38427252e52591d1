"""A stream compiled into a queueing network: numbered nodes, routing, capacity, analytic load.

Routing follows :mod:`opcanvas.flow.routing` (one definition of how work moves, shared with the
flow metrics): ``after`` lists are AND-joins, ``branches`` exclusive exits, otherwise a step
follows the previous one. On top of that the simulation adds what the flow metrics count only
as rates: after a step finishes, a share ``1 − %C&A`` goes back to ``rework_to`` (or repeats
the step) with a full new process time; of the rest a share ``drop_off`` leaves the stream
(a conversion funnel); the remainder takes one branch or every AND successor.

The load of each step is computed before anything runs, from the traffic equations of an
open network: ``v = e + Mᵀ v`` gives the expected visits per case (rework multiplies them,
branches and drop-off thin them), and ``load = arrival rate × visits × mean service / people``.
A load of 1 or more means the queue grows without bound: the stream is reported unstable, not
simulated. A join of parallel paths counts one visit per merged set of tokens (exact for
structured fork/join; streams without parallel paths have no approximation at all).

>>> from opcanvas.canvas import parse_canvas
>>> canvas = parse_canvas('''
... organization: A
... engines: {e: {streams: {s: {name: S, demand: 6/h, steps: [
...   {id: a, name: A, people: 1, process_time: 5min, complete_accurate: 80%}]}}}}''')
>>> net = compile_network(canvas, "e/s", canvas.stream("e/s"))
>>> round(net.visits[0], 3), round(net.loads[0], 3)
(1.25, 0.625)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import partial

import numpy as np

from opcanvas.canvas.model import Canvas, Step, Stream
from opcanvas.canvas.quantities import Quantity, Range, format_percent, point
from opcanvas.errors import Location, SimulationError
from opcanvas.flow.routing import build_routing
from opcanvas.simulate.distributions import DurationSpec
from opcanvas.simulate.queueing import queue_wait, squared_cv
from opcanvas.simulate.settings import SimulationSettings
from opcanvas.simulate.traffic import expected_visits, reachable

HIGH_LOAD = 0.95


@dataclass(frozen=True)
class Node:
    """One step, ready for the engine: indices instead of ids, numbers instead of quantities."""

    index: int
    id: str
    name: str
    lane: str | None
    role: str | None
    servers: int | None  # None: unlimited capacity (no queueing)
    service: DurationSpec
    delay: DurationSpec | None
    wait: Quantity | None  # the canvas (or mined) wait the delay was derived from
    queue_estimate: float | None  # Allen–Cunneen queueing wait per visit (people set)
    batch: int
    ok: float  # share complete and accurate (1 − ok goes back)
    rework: int  # node the rejected share goes back to
    drop: float
    branch_targets: tuple[int, ...]
    branch_cum: tuple[float, ...]  # cumulative probabilities of the targets
    succ: tuple[int, ...]  # AND successors (every one is taken)
    join: bool
    handoff: bool | None
    people: float | None
    canvas_wait: float | None
    canvas_process_time: float | None


@dataclass(frozen=True)
class Network:
    """A compiled stream: nodes, entry nodes, reachability, arrivals, analytic loads."""

    ref: str
    nodes: tuple[Node, ...]
    entries: tuple[int, ...]
    reach: tuple[frozenset[int], ...]  # nodes a token at node i may still reach
    arrival_rate: float  # per minute
    arrival_source: str
    visits: tuple[float, ...]
    loads: tuple[float | None, ...]
    wip_limit: int | None
    handoff_delay: DurationSpec | None
    warnings: tuple[str, ...]

    def unstable(self) -> list[tuple[Node, float]]:
        """Steps whose load is 1 or more, with the load."""
        return [
            (n, load)
            for n, load in zip(self.nodes, self.loads, strict=True)
            if load is not None and load >= 1
        ]


def _where(ref: str, index: int, key: str) -> Location:
    return Location(key=f"{ref}.steps[{index}].{key}")


def _estimate(canvas: Canvas) -> str:
    return canvas.settings.point_estimate


Carry = dict[str, tuple[Quantity | None, DurationSpec | None]]
"""Per step id: the wait a delay was derived from, and the delay (kept across scenarios)."""


def compile_network(
    canvas: Canvas,
    ref: str,
    stream: Stream,
    settings: SimulationSettings | None = None,
    carry: Carry | None = None,
) -> Network:
    """Compile ``stream`` (already scenario-adjusted) for the engine; bad input raises.

    ``carry`` gives delays worked out on the current state: a step whose wait is unchanged
    keeps its delay, so a scenario changes only what it says it changes.
    """
    settings = settings or SimulationSettings()
    steps = stream.steps
    if not steps:
        raise SimulationError(f"stream {ref} has no steps to simulate", where=Location(key=ref))
    estimate = _estimate(canvas)
    _check_branches(ref, steps, estimate)
    routing = build_routing(steps, estimate, where=ref)  # type: ignore[arg-type]
    index = {s.id: i for i, s in enumerate(steps)}
    succ: list[list[int]] = [[] for _ in steps]
    xor: list[list[tuple[int, float]]] = [[] for _ in steps]
    for step in steps:
        for pred in routing.preds[step.id]:
            exits = routing.branches.get(pred)
            if exits and step.id in exits:
                xor[index[pred]].append((index[step.id], exits[step.id]))
            else:
                succ[index[pred]].append(index[step.id])
    warnings = [
        f'step "{o}" follows a decision without being one of its exits: no work reaches it; '
        "add it to the decision's branches or give it `after`"
        for o in routing.orphans
    ]
    orphans = {index[o] for o in routing.orphans}
    entries = tuple(i for i, s in enumerate(steps) if not routing.preds[s.id] and i not in orphans)
    if not entries:
        raise SimulationError(f"stream {ref} has no step where work can start")
    nodes = tuple(
        _node(
            canvas, ref, i, step, index, succ[i], xor[i], routing.preds[step.id], settings, warnings
        )
        for i, step in enumerate(steps)
    )
    rate, source = _arrival_rate(canvas, ref, stream, settings)
    visits = expected_visits(ref, nodes, entries)
    loads = tuple(_load(rate, v, n, settings) for n, v in zip(nodes, visits, strict=True))
    nodes = tuple(
        _with_delay(node, rate * v, settings, (carry or {}).get(node.id), warnings)
        for node, v in zip(nodes, visits, strict=True)
    )
    for node, load in zip(nodes, loads, strict=True):
        if load is not None and HIGH_LOAD <= load < 1:
            warnings.append(
                f'step "{node.id}" is loaded at {format_percent(load)}: queues converge slowly; '
                "use more cases and replications"
            )
    return Network(
        ref=ref,
        nodes=nodes,
        entries=entries,
        reach=reachable(nodes),
        arrival_rate=rate,
        arrival_source=source,
        visits=tuple(visits),
        loads=loads,
        wip_limit=_wip_limit(ref, stream),
        handoff_delay=(
            DurationSpec.from_value(
                settings.handoff_delay, service=settings.service, cv=settings.cv
            )
            if settings.handoff_delay > 0
            else None
        ),
        warnings=tuple(warnings),
    )


def _check_branches(ref: str, steps: list[Step], estimate: str) -> None:
    for i, step in enumerate(steps):
        if not step.branches:
            continue
        probs = [point(b.probability, estimate) or 0.0 for b in step.branches]  # type: ignore[arg-type]
        total = sum(probs)
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            raise SimulationError(
                f'step "{step.id}": branch probabilities must add up to 100 %, they add up to '
                f"{total:.1%}",
                where=_where(ref, i, "branches"),
                hint="make the exits of the decision add up to 100 %",
            )


def _node(
    canvas: Canvas,
    ref: str,
    i: int,
    step: Step,
    index: dict[str, int],
    succ: list[int],
    xor: list[tuple[int, float]],
    preds: tuple[str, ...],
    settings: SimulationSettings,
    warnings: list[str],
) -> Node:
    estimate = _estimate(canvas)
    servers, scale = _servers(ref, i, step, settings, estimate)
    measured = step.measured if canvas.settings.prefer_measured else None
    pt = measured.process_time if measured and measured.process_time is not None else None
    pt = pt if pt is not None else step.process_time
    if pt is None and step.cycle_time is not None:
        pt = step.cycle_time
    if pt is None:
        warnings.append(f'step "{step.id}" has no process_time: simulated as taking no time')
        pt = 0.0
    wait = measured.wait_time if measured and measured.wait_time is not None else step.wait_time
    ok = _ok(ref, i, step, estimate)
    targets = tuple(t for t, _ in xor)
    cum = tuple(np.cumsum([p for _, p in xor]).tolist())
    return Node(
        index=i,
        id=step.id,
        name=step.name,
        lane=step.lane,
        role=step.role,
        servers=servers,
        service=DurationSpec.from_value(pt, service=settings.service, cv=settings.cv, scale=scale),
        delay=None,  # set by _with_delay once the load is known
        wait=wait,
        queue_estimate=None,
        batch=_batch(ref, i, step, estimate),
        ok=ok,
        rework=index[step.rework_to] if step.rework_to is not None else i,
        drop=min(max(point(step.drop_off, estimate) or 0.0, 0.0), 1.0),  # type: ignore[arg-type]
        branch_targets=targets,
        branch_cum=cum,
        succ=tuple(succ),
        join=len(preds) >= 2,
        handoff=step.handoff,
        people=point(step.people, estimate),  # type: ignore[arg-type]
        canvas_wait=point(step.wait_time, estimate),  # type: ignore[arg-type]
        canvas_process_time=point(step.process_time, estimate),  # type: ignore[arg-type]
    )


def _with_delay(
    node: Node,
    rate: float,
    settings: SimulationSettings,
    carried: tuple[Quantity | None, DurationSpec | None] | None,
    warnings: list[str],
) -> Node:
    """The delay before a step: its whole wait, none, or the part queueing does not explain."""
    wait = node.wait
    if settings.waits == "queueing" or wait is None:
        return node
    spec = partial(DurationSpec.from_value, wait, service=settings.service, cv=settings.cv)
    if node.servers is None or settings.waits == "delay":
        return replace(node, delay=spec())
    queued = queue_wait(rate=rate, service=node.service.mean, servers=node.servers,
                        scv=squared_cv(node.service))  # fmt: skip
    node = replace(node, queue_estimate=queued)
    if carried is not None and carried[0] == wait:
        return replace(node, delay=carried[1])
    total = wait.mean() if isinstance(wait, Range) else wait
    if total <= 0:
        return node
    if queued >= total:
        if math.isfinite(queued) and queued > 1.05 * total:
            warnings.append(
                f'step "{node.id}": queueing alone is estimated at {queued:.4g} min, more than '
                f"its canvas wait of {total:.4g} min; no delay is added"
            )
        return node
    return replace(node, delay=spec(scale=(total - queued) / total))


def _servers(
    ref: str, i: int, step: Step, settings: SimulationSettings, estimate: str
) -> tuple[int | None, float]:
    """Parallel servers and the service-time scale that keeps fractional capacity exact."""
    people = point(step.people, estimate)  # type: ignore[arg-type]
    if people is None:
        return (1 if settings.waits == "queueing" else None), 1.0
    if people <= 0:
        raise SimulationError(
            f'step "{step.id}" has no capacity (people: {people:g}); nobody can do the work',
            where=_where(ref, i, "people"),
            hint="give it at least one person, or leave people blank to model no queueing",
        )
    servers = math.ceil(people - 1e-9)
    # 2.5 people = 3 servers that each work 2.5/3 of the time: service times stretch by 3/2.5
    return servers, servers / people


def _ok(ref: str, i: int, step: Step, estimate: str) -> float:
    ok = point(step.complete_accurate, estimate)  # type: ignore[arg-type]
    if ok is None and step.rework_rate is not None:
        ok = 1 - (point(step.rework_rate, estimate) or 0.0)  # type: ignore[arg-type]
    ok = 1.0 if ok is None else ok
    if ok <= 0:
        raise SimulationError(
            f'step "{step.id}" has %C&A 0 %: every item would be reworked forever',
            where=_where(ref, i, "complete_accurate"),
            hint="a %C&A above 0 % is needed to simulate rework",
        )
    return min(ok, 1.0)


def _batch(ref: str, i: int, step: Step, estimate: str) -> int:
    size = point(step.batch_size, estimate)  # type: ignore[arg-type]
    if size is None:
        return 1
    if size < 1 or not float(size).is_integer():
        raise SimulationError(
            f'step "{step.id}": batch_size must be a whole number of 1 or more, got {size:g}',
            where=_where(ref, i, "batch_size"),
        )
    return int(size)


def _wip_limit(ref: str, stream: Stream) -> int | None:
    limit = stream.wip_limit
    if limit is None:
        return None
    value = limit.likely if isinstance(limit, Range) else limit
    if value < 1 or not float(value).is_integer():
        raise SimulationError(
            f"wip_limit must be a whole number of 1 or more, got {value:g}",
            where=Location(key=f"{ref}.wip_limit"),
        )
    return int(value)


def _arrival_rate(
    canvas: Canvas, ref: str, stream: Stream, settings: SimulationSettings
) -> tuple[float, str]:
    if settings.interarrivals is not None:
        gaps = settings.interarrivals
        return len(gaps) / sum(gaps), f"resampled from {len(gaps)} inter-arrival times"
    estimate = _estimate(canvas)
    candidates = [
        (stream.demand, "stream demand"),
        (stream.trigger.volume if stream.trigger else None, "trigger volume"),
        (stream.throughput, "stream throughput"),
    ]
    for value, source in candidates:
        rate = point(value, estimate)  # type: ignore[arg-type]
        if rate is not None and rate > 0:
            return rate, f"Poisson, rate from the {source}"
    raise SimulationError(
        f"stream {ref} has no demand to simulate arrivals from",
        where=Location(key=f"{ref}.demand"),
        hint='set demand (e.g. "40/month") or the trigger volume on the stream',
    )


def _load(rate: float, visits: float, node: Node, settings: SimulationSettings) -> float | None:
    if node.servers is None:
        return None
    per_visit = node.service.mean
    if node.batch > 1 and settings.batch_service == "single":
        per_visit /= node.batch
    return rate * visits * per_visit / node.servers


def carry_of(net: Network) -> Carry:
    """The delays of a compiled current state, for :func:`compile_network` of a scenario."""
    return {node.id: (node.wait, node.delay) for node in net.nodes}
