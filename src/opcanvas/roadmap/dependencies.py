"""The cross-engine dependency map: engines, streams, handoffs and initiatives as one graph.

Nodes are ``engine:<id>``, ``stream:<engine/stream>``, ``handoff:<id>`` and
``initiative:<gap id>``. Edges: an engine *contains* its streams; a stream (or engine) *hands
off* to a handoff, which is *received* by a stream (or engine; ``all`` means every other
engine); an initiative *improves* its stream and *fixes* the handoff it stems from; an
initiative *depends on* another.

Two kinds of cycle, told apart: engine loops (Growth → Retention → Growth) are how the engines
feed each other and are reported as ``loops``; a cycle among initiatives' ``depends_on`` can
never be scheduled and is reported in ``cycles`` (the roadmap refuses it).

>>> from opcanvas.canvas import load_canvas
>>> deps = dependency_map(load_canvas("examples/sales-proposal.yaml"))
>>> deps.loops
(('efficiency', 'innovation', 'efficiency'), ('growth', 'retention', 'growth'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from opcanvas.canvas.model import Canvas
from opcanvas.canvas.plan import Handoff
from opcanvas.canvas.quantities import point
from opcanvas.roadmap.graph import find_cycle, simple_cycles
from opcanvas.value.quantify import GapValue


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # engine | stream | handoff | initiative
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str  # contains | hands_off | received_by | improves | fixes | depends_on


@dataclass(frozen=True)
class HandoffView:
    """A handoff as the seed documents it: current state, impact, solution, linked gaps."""

    id: str
    name: str
    from_engine: str
    to_engines: tuple[str, ...]
    current_state: dict[str, float]
    impact: str | None
    solution: str | None
    gaps: tuple[str, ...]
    gap_value: float | None
    integration_requirements: tuple[str, ...]
    shared_metrics: tuple[str, ...]
    protocol: str | None


@dataclass(frozen=True)
class DependencyMap:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    handoffs: tuple[HandoffView, ...]
    engine_edges: tuple[tuple[str, str, str], ...]  # (from engine, to engine, handoff id)
    loops: tuple[tuple[str, ...], ...]
    cycles: tuple[tuple[str, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _targets(canvas: Canvas, handoff: Handoff) -> tuple[str, ...]:
    if handoff.to_engine == "all":
        return tuple(e for e in canvas.engines if e != handoff.from_engine)
    return (handoff.to_engine,)


def _state(handoff: Handoff) -> dict[str, float]:
    state = {}
    for name in ("incomplete_share", "signals_detected", "feedback_reaching", "delay"):
        value = point(getattr(handoff, name))
        if value is not None:
            state[name] = float(value)  # shares as fractions, delay in minutes
    return state


def _linked_gaps(canvas: Canvas, handoff: Handoff) -> tuple[str, ...]:
    linked = set(handoff.gaps) | {g.id for g in canvas.gaps if g.handoff == handoff.id}
    return tuple(g.id for g in canvas.gaps if g.id in linked)


def dependency_map(canvas: Canvas, values: Sequence[GapValue] | None = None) -> DependencyMap:
    """The graph of engines, streams, handoffs and initiatives, with loops and cycles."""
    by_value = {v.gap_id: v.annual_value for v in values or ()}
    nodes: list[Node] = []
    edges: list[Edge] = []
    for engine_id, engine in canvas.engines.items():
        nodes.append(Node(f"engine:{engine_id}", "engine", engine.name or engine_id.title()))
        for stream_id, stream in engine.streams.items():
            ref = f"{engine_id}/{stream_id}"
            nodes.append(Node(f"stream:{ref}", "stream", stream.name, {"owner": stream.owner}))
            edges.append(Edge(f"engine:{engine_id}", f"stream:{ref}", "contains"))
    views = []
    engine_edges = []
    for handoff in canvas.handoffs:
        targets = _targets(canvas, handoff)
        gaps = _linked_gaps(canvas, handoff)
        state = _state(handoff)
        nodes.append(Node(f"handoff:{handoff.id}", "handoff", handoff.name, dict(state)))
        source = (
            f"stream:{handoff.from_stream}" if handoff.from_stream
            else f"engine:{handoff.from_engine}"
        )  # fmt: skip
        edges.append(Edge(source, f"handoff:{handoff.id}", "hands_off"))
        receivers = [f"stream:{handoff.to_stream}"] if handoff.to_stream else [
            f"engine:{t}" for t in targets
        ]  # fmt: skip
        edges += [Edge(f"handoff:{handoff.id}", r, "received_by") for r in receivers]
        engine_edges += [(handoff.from_engine, t, handoff.id) for t in targets]
        total = sum(by_value[g] for g in gaps if g in by_value) if values is not None else None
        views.append(
            HandoffView(
                id=handoff.id,
                name=handoff.name,
                from_engine=handoff.from_engine,
                to_engines=targets,
                current_state=state,
                impact=handoff.impact,
                solution=handoff.solution,
                gaps=gaps,
                gap_value=total,
                integration_requirements=tuple(handoff.integration_requirements),
                shared_metrics=tuple(handoff.shared_metrics),
                protocol=handoff.protocol,
            )
        )
        edges += [Edge(f"initiative:{g}", f"handoff:{handoff.id}", "fixes") for g in gaps]
    for gap in canvas.gaps:
        attrs = {"annual_value": by_value.get(gap.id), "status": gap.status}
        nodes.append(Node(f"initiative:{gap.id}", "initiative", gap.title or gap.id, attrs))
        edges.append(Edge(f"initiative:{gap.id}", f"stream:{gap.stream}", "improves"))
        edges += [Edge(f"initiative:{gap.id}", f"initiative:{d}", "depends_on")
                  for d in gap.depends_on]  # fmt: skip
    engine_graph: dict[str, list[str]] = {}
    for source_engine, target, _ in engine_edges:
        engine_graph.setdefault(source_engine, []).append(target)
    cycle = find_cycle({g.id: list(g.depends_on) for g in canvas.gaps})
    return DependencyMap(
        nodes=tuple(nodes),
        edges=tuple(edges),
        handoffs=tuple(views),
        engine_edges=tuple(engine_edges),
        loops=tuple(tuple(c) for c in simple_cycles(engine_graph)),
        cycles=(tuple(cycle),) if cycle else (),
    )
