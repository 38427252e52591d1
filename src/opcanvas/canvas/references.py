"""Checks that span the canvas: every reference names something, routing is well formed.

Each problem is ``(key path as a tuple, message)`` so the loader can point at its line.
KPIs are referred to by a bare id when it is unique in the canvas, or by a path:
``engine/stream/kpi`` for a stream metric, ``engine/kpi`` for an engine KPI, ``kpi`` at the top.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opcanvas.canvas.model import KPI, Canvas, Stream

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]


def kpi_index(canvas: Canvas) -> dict[str, KPI]:
    """Every KPI by its path, and by its bare id where that id is unique."""
    paths: dict[str, KPI] = {kpi.id: kpi for kpi in canvas.kpis}
    for engine_id, engine in canvas.engines.items():
        paths.update({f"{engine_id}/{kpi.id}": kpi for kpi in engine.kpis})
        for stream_id, stream in engine.streams.items():
            paths.update({f"{engine_id}/{stream_id}/{kpi.id}": kpi for kpi in stream.metrics})
    counts = Counter(kpi.id for kpi in paths.values())
    index = dict(paths)
    for kpi in paths.values():
        if counts[kpi.id] == 1:
            index[kpi.id] = kpi
    return index


def _known(names: object) -> str:
    items = sorted(str(n) for n in names)  # type: ignore[attr-defined]
    return ", ".join(items[:12]) + (" …" if len(items) > 12 else "") if items else "none"


def _stream_problems(loc: Loc, stream: Stream) -> Iterator[Problem]:
    ids = [s.id for s in stream.steps]
    for step_id, count in Counter(ids).items():
        if count > 1:
            yield (*loc, "steps"), f'step id "{step_id}" is used {count} times; ids must be unique'
    known = set(ids)
    for i, step in enumerate(stream.steps):
        here = (*loc, "steps", i)
        for j, before in enumerate(step.after or []):
            if before not in known:
                yield (*here, "after", j), f'no step "{before}" in this stream ({_known(known)})'
            elif before == step.id:
                yield (*here, "after", j), "a step cannot come after itself"
        for j, branch in enumerate(step.branches):
            if branch.to not in known:
                yield (*here, "branches", j, "to"), f'no step "{branch.to}" ({_known(known)})'
        if step.branches:
            total = sum(b.probability if isinstance(b.probability, float) else
                        b.probability.likely for b in step.branches)  # fmt: skip
            if not math.isclose(total, 1.0, abs_tol=1e-6):
                yield (
                    (*here, "branches"),
                    (f"branch probabilities must add up to 100 %, they add up to {total:.1%}"),
                )
        if step.rework_to is not None and step.rework_to not in known:
            yield (*here, "rework_to"), f'no step "{step.rework_to}" ({_known(known)})'
    for i, bottleneck in enumerate(stream.bottlenecks):
        if bottleneck.step is not None and bottleneck.step not in known:
            yield (*loc, "bottlenecks", i, "step"), f'no step "{bottleneck.step}"'
    for i, touchpoint in enumerate(stream.touchpoints):
        if touchpoint.step is not None and touchpoint.step not in known:
            yield (*loc, "touchpoints", i, "step"), f'no step "{touchpoint.step}"'
    if stream.future_state is not None:
        for i, change in enumerate(stream.future_state.changes):
            for key, name in (("step", change.step), ("remove", change.remove)):
                if name is not None and name not in known:
                    yield (
                        (*loc, "future_state", "changes", i, key),
                        (f'no step "{name}" in this stream ({_known(known)})'),
                    )
            for j, name in enumerate(change.merge or []):
                if name not in known:
                    yield (*loc, "future_state", "changes", i, "merge", j), f'no step "{name}"'


def check_references(canvas: Canvas) -> list[Problem]:
    """Every cross-reference problem in the canvas, in file order."""
    problems: list[Problem] = []
    for engine_id, engine in canvas.engines.items():
        for stream_id, stream in engine.streams.items():
            loc: Loc = ("engines", engine_id, "streams", stream_id)
            problems.extend(_stream_problems(loc, stream))
    problems.extend(_gap_problems(canvas))
    problems.extend(_handoff_problems(canvas))
    problems.extend(_kpi_problems(canvas))
    return problems


def _stream_or_problem(canvas: Canvas, ref: str, loc: Loc) -> Iterator[Problem]:
    refs = [r for r, _ in canvas.streams()]
    if ref not in refs:
        yield loc, f'no stream "{ref}"; the canvas has: {_known(refs)}'


def _gap_problems(canvas: Canvas) -> Iterator[Problem]:
    gap_ids = [g.id for g in canvas.gaps]
    for gap_id, count in Counter(gap_ids).items():
        if count > 1:
            yield ("gaps",), f'gap id "{gap_id}" is used {count} times; ids must be unique'
    handoffs = {h.id for h in canvas.handoffs}
    kpis = kpi_index(canvas)
    for i, gap in enumerate(canvas.gaps):
        loc: Loc = ("gaps", i)
        stream_problems = list(_stream_or_problem(canvas, gap.stream, (*loc, "stream")))
        yield from stream_problems
        if not stream_problems:
            stream = canvas.stream(gap.stream)
            steps = {s.id for s in stream.steps}
            if gap.step is not None and gap.step not in steps:
                yield (*loc, "step"), f'no step "{gap.step}" in {gap.stream} ({_known(steps)})'
            bottlenecks = {b.id for b in stream.bottlenecks}
            if gap.bottleneck is not None and gap.bottleneck not in bottlenecks:
                yield (
                    (*loc, "bottleneck"),
                    (f'no bottleneck "{gap.bottleneck}" in {gap.stream} ({_known(bottlenecks)})'),
                )
        if gap.handoff is not None and gap.handoff not in handoffs:
            yield (*loc, "handoff"), f'no handoff "{gap.handoff}" ({_known(handoffs)})'
        for j, dep in enumerate(gap.depends_on):
            if dep not in gap_ids:
                yield (*loc, "depends_on", j), f'no gap "{dep}" to depend on ({_known(gap_ids)})'
        for j, ref in enumerate(gap.kpis):
            if ref not in kpis:
                yield (*loc, "kpis", j), f'no KPI "{ref}" ({_known(kpis)})'
        early, late = gap.earliest_sprint, gap.latest_sprint
        if early is not None and late is not None and early > late:
            yield (
                (*loc, "earliest_sprint"),
                (f"earliest sprint {early} is after latest sprint {late}"),
            )


def _handoff_problems(canvas: Canvas) -> Iterator[Problem]:
    engines = set(canvas.engines)
    gap_ids = {g.id for g in canvas.gaps}
    for i, handoff in enumerate(canvas.handoffs):
        loc: Loc = ("handoffs", i)
        if handoff.from_engine not in engines:
            yield (*loc, "from_engine"), f'no engine "{handoff.from_engine}" ({_known(engines)})'
        if handoff.to_engine != "all" and handoff.to_engine not in engines:
            yield (*loc, "to_engine"), f'no engine "{handoff.to_engine}" ({_known(engines)})'
        for key, ref in (("from_stream", handoff.from_stream), ("to_stream", handoff.to_stream)):
            if ref is not None:
                yield from _stream_or_problem(canvas, ref, (*loc, key))
        for j, gap_id in enumerate(handoff.gaps):
            if gap_id not in gap_ids:
                yield (*loc, "gaps", j), f'no gap "{gap_id}" ({_known(gap_ids)})'


def _kpi_problems(canvas: Canvas) -> Iterator[Problem]:
    index = kpi_index(canvas)
    places: list[tuple[Loc, KPI]] = [(("kpis", i), k) for i, k in enumerate(canvas.kpis)]
    for engine_id, engine in canvas.engines.items():
        places += [(("engines", engine_id, "kpis", i), k) for i, k in enumerate(engine.kpis)]
        for stream_id, stream in engine.streams.items():
            base: Loc = ("engines", engine_id, "streams", stream_id, "metrics")
            places += [((*base, i), k) for i, k in enumerate(stream.metrics)]
    streams = {r: s for r, s in canvas.streams()}
    for loc, kpi in places:
        if kpi.parent is not None and kpi.parent not in index:
            yield (*loc, "parent"), f'no KPI "{kpi.parent}" to roll up into'
        for j, ref in enumerate(kpi.steps):
            stream_ref, _, step_id = ref.rpartition("/")
            owner = streams.get(stream_ref)
            if owner is None or step_id not in {s.id for s in owner.steps}:
                yield (
                    (*loc, "steps", j),
                    (
                        f'no step "{ref}"; write engine/stream/step, '
                        "e.g. growth/mql-to-close/proposal"
                    ),
                )
