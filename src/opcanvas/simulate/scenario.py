"""What-if: a scenario's changes applied to a stream, giving the future-state stream.

Changes apply in order, each to the result of the ones before:

- ``{step: s, process_time: -80%}`` and ``wait_time``: a relative change scales a range as a
  whole (``x0.2`` of ``[1d, 2d, 4d]`` is ``[0.2d, 0.4d, 0.8d]``), an added amount shifts it;
  an absolute value replaces it.
- ``{step: s, people: "+1"}``: one more person (quoted: YAML reads a bare +1 as 1); a
  relative change needs people on the step.
- ``{step: s, complete_accurate: 95%}``, ``{step: s, batch_size: 5}``: new values.
- ``{remove: s}``: the step disappears; work that reached it goes where it went next (its
  successors inherit its predecessors), rework aimed at it goes to its successor. A decision
  point cannot be removed (say where its work goes first).
- ``{merge: [a, b], name: ...}``: b is folded into a, which must come directly before it.
  Process times add up, the wait before b disappears (no handoff any more), people add up,
  %C&A multiplies, drop-offs combine, and the merged step routes onwards like b.
- ``{wip_limit: 20}``: at most 20 cases in process; new cases wait at the entry (CONWIP).

>>> from opcanvas.canvas import parse_canvas
>>> from opcanvas.canvas.scenario import Scenario
>>> canvas = parse_canvas('''
... organization: A
... engines: {e: {streams: {s: {name: S, steps: [{id: a, name: A, process_time: 5h}]}}}}''')
>>> future = apply_scenario(canvas, "e/s", Scenario(name="x", changes=[
...     {"step": "a", "process_time": "-80%"}]))
>>> future.steps[0].process_time
60.0
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from opcanvas.canvas.fields import using_calendar
from opcanvas.canvas.model import Branch, Canvas, Step, Stream
from opcanvas.canvas.quantities import Quantity, Range, point
from opcanvas.canvas.scenario import Adjust, Change, Scenario
from opcanvas.errors import Location, QuantityError, SimulationError


def apply_scenario(canvas: Canvas, ref: str, scenario: Scenario) -> Stream:
    """A new Stream: the stream ``ref`` of ``canvas`` with every change of ``scenario`` applied.

    An unknown step raises :class:`SimulationError` naming it and the steps that exist.
    """
    stream = canvas.stream(ref).model_copy(deep=True)
    steps = list(stream.steps)
    wip_limit = stream.wip_limit
    for i, change in enumerate(scenario.changes):
        where = Location(key=f"{scenario.name}.changes[{i}]")
        if change.step is not None:
            j = _find(steps, change.step, where, "step")
            steps[j] = _change_step(steps[j], change, where, canvas.settings.point_estimate)
        elif change.remove is not None:
            steps = _remove(steps, change.remove, where)
        elif change.merge is not None:
            steps = _merge(steps, change.merge, change.name, where)
        if change.wip_limit is not None:
            wip_limit = change.wip_limit
    return stream.model_copy(update={"steps": steps, "future_state": None, "wip_limit": wip_limit})


def _find(steps: list[Step], step_id: str, where: Location, key: str) -> int:
    for i, step in enumerate(steps):
        if step.id == step_id:
            return i
    known = ", ".join(s.id for s in steps) or "none"
    raise SimulationError(
        f'{key}: no step "{step_id}" in the stream; it has: {known}',
        where=where,
        hint="check the spelling, and that an earlier change did not remove or merge it",
    )


def _adjust(value: Quantity | None, adjust: Adjust, what: str, where: Location) -> Quantity:
    try:
        if isinstance(value, Range) and adjust.kind != "absolute":
            if adjust.kind == "factor":
                return value.scaled(adjust.value)
            low, likely, high = (
                max(v + adjust.value, 0.0) for v in (value.low, value.likely, value.high)
            )
            return Range(low, likely, high, value.dist, value.sd)
        return adjust.apply(value)  # type: ignore[arg-type]
    except QuantityError as exc:
        raise SimulationError(
            f"{what}: {exc.message}",
            where=where,
            hint=f"give {what} on the step first, or an absolute value",
        ) from None


def _change_step(step: Step, change: Change, where: Location, estimate: str) -> Step:
    update: dict[str, Any] = {}
    name = step.id
    if change.process_time is not None:
        update["process_time"] = _adjust(
            step.process_time, change.process_time, f"{name}.process_time", where
        )
        if step.measured is not None:  # the new process time replaces what was mined
            update["measured"] = step.measured.model_copy(update={"process_time": None})
    if change.wait_time is not None:
        update["wait_time"] = _adjust(step.wait_time, change.wait_time, f"{name}.wait_time", where)
        measured = update.get("measured", step.measured)
        if measured is not None:
            update["measured"] = measured.model_copy(update={"wait_time": None})
    if change.people is not None:
        people = point(step.people, estimate)  # type: ignore[arg-type]
        update["people"] = _adjust(people, change.people, f"{name}.people", where)
    if change.complete_accurate is not None:
        update["complete_accurate"] = change.complete_accurate
        update["rework_rate"] = None
    if change.batch_size is not None:
        update["batch_size"] = change.batch_size
    return step.model_copy(update=update)


def _redirect(steps: list[Step], old: str, preds: list[str], successor: str | None) -> list[Step]:
    """References to ``old``: ``after`` gets its predecessors, branches and rework its successor."""
    out = []
    for step in steps:
        update: dict[str, Any] = {}
        if step.after is not None and old in step.after:
            after: list[str] = []
            for a in step.after:
                after += [p for p in preds if p not in after] if a == old else [a]
            update["after"] = [a for a in after if a != step.id]
        if any(b.to == old for b in step.branches):
            if successor is None:
                raise SimulationError(
                    f'step "{step.id}" branches to "{old}", which has no single next step to '
                    "branch to instead",
                    hint=f'change the branches of "{step.id}" first',
                )
            update["branches"] = [
                Branch(to=successor, probability=b.probability, label=b.label) if b.to == old else b
                for b in step.branches
            ]
        if step.rework_to == old:
            update["rework_to"] = successor if successor != step.id else None
        out.append(step.model_copy(update=update) if update else step)
    return out


def _branch_targets(steps: list[Step]) -> set[str]:
    return {b.to for s in steps for b in s.branches}


def _remove(steps: list[Step], step_id: str, where: Location) -> list[Step]:
    i = _find(steps, step_id, where, "remove")
    gone, targets = steps[i], _branch_targets(steps)
    if gone.branches:
        raise SimulationError(
            f'remove: step "{step_id}" is a decision point; its work has nowhere to go',
            where=where,
            hint="move its branches to another step first, or merge it into its predecessor",
        )
    positional_pred = (
        gone.after is None and step_id not in targets and i > 0 and not steps[i - 1].branches
    )
    preds = list(gone.after or []) + ([steps[i - 1].id] if positional_pred else [])
    nxt = steps[i + 1] if i + 1 < len(steps) else None
    positional = nxt if nxt is not None and nxt.after is None and nxt.id not in targets else None
    successors = [s.id for s in steps if s.after is not None and step_id in s.after]
    successors += [positional.id] if positional is not None else []
    rest = steps[:i] + steps[i + 1 :]
    natural = gone.after is None and step_id not in targets and (i == 0 or positional_pred)
    if positional is not None and not natural:
        # the next step followed the removed one by position: it now follows its predecessors
        rest[i] = rest[i].model_copy(update={"after": preds})
    return _redirect(rest, step_id, preds, successors[0] if len(successors) == 1 else None)


def _merge(steps: list[Step], ids: list[str], name: str | None, where: Location) -> list[Step]:
    merged = steps
    head = _find(merged, ids[0], where, "merge")
    for other in ids[1:]:
        j = _find(merged, other, where, "merge")
        first, second = merged[head], merged[j]
        by_position = (
            second.after is None
            and j == head + 1
            and not first.branches
            and other not in _branch_targets(merged)
        )
        if not (by_position or second.after == [first.id]) or first.branches:
            raise SimulationError(
                f'merge: "{other}" must come directly after "{first.id}" (and "{first.id}" must '
                "not be a decision point) to merge them",
                where=where,
            )
        combined = _combine(first, second, name)
        merged = [combined if k == head else s for k, s in enumerate(merged) if k != j]
        head = merged.index(combined)
        merged = _redirect(merged, other, [first.id], first.id)
    return merged


def _sum(a: Quantity | None, b: Quantity | None) -> Quantity | None:
    if a is None or b is None:
        return a if b is None else b
    if isinstance(a, Range) or isinstance(b, Range):
        ra = a if isinstance(a, Range) else Range(a, a, a)
        rb = b if isinstance(b, Range) else Range(b, b, b)
        dist = ra.dist if isinstance(a, Range) else rb.dist
        if dist in ("normal", "lognormal"):
            sd = ((ra.sd or 0.0) ** 2 + (rb.sd or 0.0) ** 2) ** 0.5
            return Range(ra.low + rb.low, ra.likely + rb.likely, ra.high + rb.high, dist, sd)
        return Range(ra.low + rb.low, ra.likely + rb.likely, ra.high + rb.high, dist)
    return a + b


def _product(a: Quantity | None, b: Quantity | None) -> Quantity | None:
    if a is None or b is None:
        return a if b is None else b
    return point(a) * point(b)  # type: ignore[operator]


def _combine(first: Step, second: Step, name: str | None) -> Step:
    keep_drop = [d for d in (point(first.drop_off), point(second.drop_off)) if d is not None]
    drop = None
    if keep_drop:
        stay = 1.0
        for d in keep_drop:
            stay *= 1 - d
        drop = 1 - stay
    return first.model_copy(
        update={
            "name": name or f"{first.name} + {second.name}",
            "process_time": _sum(first.process_time, second.process_time),
            "people": _sum(first.people, second.people),
            "complete_accurate": _product(first.complete_accurate, second.complete_accurate),
            "drop_off": drop,
            "branches": second.branches,
            "rework_to": _merged_rework(first, second),
            "systems": sorted(set(first.systems) | set(second.systems)),
            "lead_time": None,
            "measured": None,
        }
    )


def _merged_rework(first: Step, second: Step) -> str | None:
    target = second.rework_to if second.rework_to is not None else first.rework_to
    return None if target in (first.id, second.id) else target


def load_scenario(path: str | Path, canvas: Canvas) -> Scenario:
    """Read a scenario file (``name:`` and ``changes:``) on the canvas calendar.

    A file holding a whole ``future_state:`` mapping is accepted too.
    """
    path = Path(path)
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SimulationError("no such scenario file", where=Location(path)) from None
    except (YAMLError, UnicodeDecodeError) as exc:
        raise SimulationError(f"malformed scenario file: {exc}", where=Location(path)) from None
    if isinstance(data, dict) and set(data) == {"future_state"}:
        data = data["future_state"]
    if not isinstance(data, dict):
        raise SimulationError(
            "expected a mapping with name: and changes:",
            where=Location(path),
            hint="e.g. name: Automated proposals\nchanges:\n  - {step: proposal, "
            "process_time: -80%}",
        )
    try:
        with using_calendar(canvas.calendar):
            return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = ".".join(str(p) for p in error["loc"] if not str(p).startswith("function-"))
            problems.append(
                f"{key or 'scenario'}: {str(error['msg']).removeprefix('Value error, ')}"
            )
        raise SimulationError("; ".join(problems), where=Location(path)) from None
