"""How work moves between the steps of a stream: a directed acyclic graph with decision points.

Edges, in this order of precedence:

- ``after: [a, b]`` — the step starts when **all** of ``a`` and ``b`` are done (AND-join);
  ``after: []`` makes it a start step.
- ``branches`` on a decision step — **exactly one** exit is taken per item, with the given
  probabilities (normalised to add up to one; an exclusive OR-split).
- otherwise a step follows the previous step in the list, unless it is a branch target (it then
  follows the decision that routes to it) or the previous step is a decision (whose exits are
  only its branches; such a step becomes a start step and is flagged).

A join waits only for the predecessors that are active for an item, so branches of one
decision that meet again behave as an exclusive join. ``rework_to`` loops are not edges: flow
metrics count rework in %C&A and first-pass yield, not in lead time. A cycle among the edges
is a :class:`~opcanvas.errors.CanvasError` naming its steps.

A *scenario* is one combination of decision outcomes with its probability; streams without
decisions have exactly one.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from opcanvas.canvas.model import Step
from opcanvas.canvas.quantities import PointEstimate, point
from opcanvas.errors import CanvasError, Location

MAX_SCENARIOS = 4096
"""Decision combinations enumerated exactly; beyond this the longest-branch rule is used."""


@dataclass(frozen=True)
class Routing:
    """The step graph: a stable topological order, every edge, and the decision exits."""

    order: tuple[str, ...]
    preds: dict[str, tuple[str, ...]]
    branches: dict[str, dict[str, float]]  # decision → {target: probability}
    orphans: tuple[str, ...]  # steps that follow a decision without being one of its exits

    def taken(self, pred: str, step: str, choices: dict[str, str] | None) -> bool:
        """Whether the edge ``pred → step`` carries work, given the decisions' choices
        (``None``: every exit is taken)."""
        exits = self.branches.get(pred)
        if exits and step in exits and choices is not None:
            return choices.get(pred) == step
        return True


@dataclass(frozen=True)
class Scenario:
    """One combination of decision outcomes: the steps an item visits, and its probability."""

    probability: float
    active: frozenset[str]
    choices: dict[str, str] | None  # decision → exit taken; None: every exit (a fallback)


def build_routing(
    steps: Sequence[Step], estimate: PointEstimate = "likely", where: str | None = None
) -> Routing:
    """The step graph of a stream (see the module docstring for the rules).

    >>> from opcanvas.canvas.model import Step
    >>> r = build_routing([Step(id="a", name="A"), Step(id="b", name="B")])
    >>> r.order, r.preds["b"]
    (('a', 'b'), ('a',))
    """
    ids = [step.id for step in steps]
    branches = {s.id: _exits(s, estimate) for s in steps if s.branches}
    targets: dict[str, list[str]] = {}
    for decision, exits in branches.items():
        for target in exits:
            targets.setdefault(target, []).append(decision)
    preds: dict[str, tuple[str, ...]] = {}
    orphans = []
    for index, step in enumerate(steps):
        incoming = list(step.after) if step.after is not None else []
        incoming += [d for d in targets.get(step.id, []) if d not in incoming]
        if step.after is None and step.id not in targets and index > 0:
            previous = steps[index - 1].id
            if previous in branches:
                orphans.append(step.id)
            else:
                incoming.append(previous)
        preds[step.id] = tuple(p for p in incoming if p in set(ids) and p != step.id)
    order = _topological(ids, preds, where)
    return Routing(order, preds, branches, tuple(orphans))


def _exits(step: Step, estimate: PointEstimate) -> dict[str, float]:
    raw = {b.to: max(point(b.probability, estimate) or 0.0, 0.0) for b in step.branches}
    total = sum(raw.values())
    if total <= 0:  # no usable weights: the exits are equally likely
        return {target: 1 / len(raw) for target in raw}
    return {target: weight / total for target, weight in raw.items()}


def _topological(ids: list[str], preds: dict[str, tuple[str, ...]], where: str | None) -> tuple:
    """Kahn's algorithm, taking ready steps in file order so the result is stable."""
    position = {step_id: i for i, step_id in enumerate(ids)}
    succs: dict[str, list[str]] = {step_id: [] for step_id in ids}
    waiting = {step_id: len(preds[step_id]) for step_id in ids}
    for step_id in ids:
        for pred in preds[step_id]:
            succs[pred].append(step_id)
    ready = [position[s] for s in ids if waiting[s] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        step_id = ids[heapq.heappop(ready)]
        order.append(step_id)
        for succ in succs[step_id]:
            waiting[succ] -= 1
            if waiting[succ] == 0:
                heapq.heappush(ready, position[succ])
    if len(order) < len(ids):
        cycle = _find_cycle([s for s in ids if waiting[s] > 0], preds)
        raise CanvasError(
            "the steps form a cycle: " + " → ".join(cycle),
            where=Location(key=where) if where else None,
            hint="a step cannot come (even indirectly) after itself; check `after` and "
            "`branches`, and use `rework_to` for work that goes back",
        )
    return tuple(order)


def _find_cycle(stuck: list[str], preds: dict[str, tuple[str, ...]]) -> list[str]:
    """A concrete cycle among the steps Kahn's algorithm could not order."""
    inside = set(stuck)
    node, seen = stuck[0], [stuck[0]]
    while True:  # every stuck step has a stuck predecessor, so walking back must repeat
        node = next(p for p in preds[node] if p in inside)
        if node in seen:
            cycle = seen[seen.index(node) :]
            cycle.reverse()  # we walked backwards
            first = min(range(len(cycle)), key=lambda i: stuck.index(cycle[i]))
            cycle = cycle[first:] + cycle[:first]  # start at the step listed first
            return [*cycle, cycle[0]]
        seen.append(node)


def scenarios(routing: Routing, limit: int = MAX_SCENARIOS) -> list[Scenario] | None:
    """Every combination of decision outcomes reachable, or ``None`` when there are more
    than ``limit``. Branches of probability zero are kept (they matter for the longest rule).

    >>> from opcanvas.canvas.model import Branch, Step
    >>> steps = [Step(id="a", name="A", branches=[Branch(to="b", probability=0.7),
    ...          Branch(to="c", probability=0.3)]), Step(id="b", name="B"), Step(id="c", name="C")]
    >>> [(round(s.probability, 2), sorted(s.active)) for s in scenarios(build_routing(steps))]
    [(0.7, ['a', 'b']), (0.3, ['a', 'c'])]
    """
    done: list[Scenario] = []
    stack: list[tuple[int, frozenset[str], dict[str, str], float]] = [(0, frozenset(), {}, 1.0)]
    while stack:
        index, active, choices, probability = stack.pop()
        forked = False
        for position in range(index, len(routing.order)):
            step_id = routing.order[position]
            preds = routing.preds[step_id]
            if preds and not any(p in active and routing.taken(p, step_id, choices) for p in preds):
                continue
            active = active | {step_id}
            exits = routing.branches.get(step_id)
            if exits:
                for target, share in reversed(list(exits.items())):
                    stack.append(
                        (position + 1, active, {**choices, step_id: target}, probability * share)
                    )
                forked = True
                break
        if not forked:
            done.append(Scenario(probability, active, choices))
        if len(done) + len(stack) > limit:
            return None
    return done


@dataclass(frozen=True)
class PathResult:
    """The longest path of one scenario (or, with ``parallel: sum``, all its steps)."""

    total: float
    path: tuple[str, ...]


def longest_path(
    routing: Routing, scenario: Scenario, duration: dict[str, float], parallel: str
) -> PathResult:
    """Critical path method over the scenario's active steps; ties go to the earlier step."""
    active_order = [s for s in routing.order if s in scenario.active]
    if parallel == "sum":
        return PathResult(sum(duration[s] for s in active_order), tuple(active_order))
    finish: dict[str, float] = {}
    came_from: dict[str, str | None] = {}
    for step_id in active_order:
        best, best_pred = 0.0, None
        for pred in routing.preds[step_id]:
            carries = pred in finish and routing.taken(pred, step_id, scenario.choices)
            if carries and (best_pred is None or finish[pred] > best):
                best, best_pred = finish[pred], pred
        finish[step_id] = best + duration[step_id]
        came_from[step_id] = best_pred
    if not finish:
        return PathResult(0.0, ())
    end = max(reversed(active_order), key=lambda s: finish[s])  # a tie goes to the later end
    path: list[str] = []
    node: str | None = end
    while node is not None:
        path.append(node)
        node = came_from[node]
    return PathResult(finish[end], tuple(reversed(path)))
