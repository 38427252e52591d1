"""KPI lineage: the KPI tree, and each KPI traced to the work and the money behind it.

The tree: stream metrics roll up into engine KPIs and CEO KPIs through ``parent``. Each KPI is
traced down to the workflow that drives it — its own stream (for a stream metric), the steps
it names (``steps``), and the streams and steps of the gaps that name it (``gap.kpis``) — and to
those gaps, their annual value and the sprint their initiative finishes in. Roll-ups take the
union over the KPI and every KPI below it (a gap counted once), so a board question such as
"why is NRR flat?" leads from NRR to the steps, gaps and dollars underneath.

>>> from opcanvas.canvas import load_canvas
>>> from opcanvas.value import quantify
>>> canvas = load_canvas("examples/sales-proposal.yaml")
>>> tree = kpi_lineage(canvas, quantify(canvas, samples=100))
>>> tree.nodes["nrr"].rollup_gaps, tree.nodes["nrr"].rollup_value
(('crm-handoff',), 216000.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from opcanvas.canvas.model import KPI, Canvas
from opcanvas.canvas.quantities import point
from opcanvas.canvas.references import kpi_index
from opcanvas.errors import CanvasError, Location
from opcanvas.roadmap.graph import find_cycle
from opcanvas.roadmap.plan import Roadmap
from opcanvas.value.quantify import GapValue


@dataclass(frozen=True)
class GapLink:
    gap_id: str
    title: str
    annual_value: float | None
    finish_sprint: int | None
    step: str | None


@dataclass(frozen=True)
class KpiNode:
    path: str
    name: str
    level: str  # ceo | engine | stream
    parent: str | None
    children: tuple[str, ...]
    unit: str | None
    baseline: float | None
    actual: float | None
    target: float | None
    direction: str | None
    indicator: str | None
    owner: str | None
    streams: tuple[str, ...]
    steps: tuple[str, ...]
    gaps: tuple[GapLink, ...]
    value: float
    rollup_streams: tuple[str, ...]
    rollup_steps: tuple[str, ...]
    rollup_gaps: tuple[str, ...]
    rollup_value: float


@dataclass(frozen=True)
class KpiTree:
    currency: str
    nodes: dict[str, KpiNode]
    roots: tuple[str, ...]
    unlinked_gaps: tuple[str, ...]  # gaps that name no KPI

    def ancestors(self, path: str) -> list[str]:
        """The chain from ``path`` up to its root."""
        chain = [path]
        while (parent := self.nodes[chain[-1]].parent) is not None:
            chain.append(parent)
        return chain

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _paths(canvas: Canvas) -> dict[str, KPI]:
    paths: dict[str, KPI] = {k.id: k for k in canvas.kpis}
    for engine_id, engine in canvas.engines.items():
        paths.update({f"{engine_id}/{k.id}": k for k in engine.kpis})
        for stream_id, stream in engine.streams.items():
            paths.update({f"{engine_id}/{stream_id}/{k.id}": k for k in stream.metrics})
    return paths


def _level(path: str) -> str:
    return {0: "ceo", 1: "engine"}.get(path.count("/"), "stream")


def kpi_lineage(
    canvas: Canvas, values: Sequence[GapValue], roadmap: Roadmap | None = None
) -> KpiTree:
    """The KPI tree with every KPI traced to streams, steps, gaps and dollars."""
    paths = _paths(canvas)
    index = kpi_index(canvas)
    canonical = {id(kpi): path for path, kpi in paths.items()}
    parent = {
        path: canonical[id(index[kpi.parent])] if kpi.parent in index else None
        for path, kpi in paths.items()
    }
    cycle = find_cycle({p: [q] for p, q in parent.items() if q is not None})
    if cycle:
        raise CanvasError(
            "the KPI tree has a cycle: " + " → ".join(cycle),
            where=Location(key=f"KPI {cycle[0]}.parent"),
            hint="a KPI cannot roll up into itself",
        )
    value = {v.gap_id: v.annual_value for v in values}
    finish = {p.gap_id: p.finish_sprint for p in roadmap.placements()} if roadmap else {}
    direct: dict[str, list[GapLink]] = {p: [] for p in paths}
    for gap in canvas.gaps:
        step = f"{gap.stream}/{gap.step}" if gap.step else None
        link = GapLink(gap.id, gap.title or gap.id, value.get(gap.id), finish.get(gap.id), step)
        for ref in gap.kpis:
            if ref in index:
                direct[canonical[id(index[ref])]].append(link)
    streams_of = {g.id: g.stream for g in canvas.gaps}
    children: dict[str, list[str]] = {p: [] for p in paths}
    for path, up in parent.items():
        if up is not None:
            children[up].append(path)
    own: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for path, kpi in paths.items():
        streams = [path.rsplit("/", 1)[0]] if _level(path) == "stream" else []
        streams += [s.rsplit("/", 1)[0] for s in kpi.steps]
        streams += [streams_of[link.gap_id] for link in direct[path]]
        steps = list(kpi.steps) + [link.step for link in direct[path] if link.step]
        own[path] = (tuple(dict.fromkeys(streams)), tuple(dict.fromkeys(steps)))
    nodes = {}
    for path, kpi in paths.items():
        below = _subtree(path, children)
        gaps = list(dict.fromkeys(link.gap_id for p in below for link in direct[p]))
        nodes[path] = KpiNode(
            path=path,
            name=kpi.name,
            level=_level(path),
            parent=parent[path],
            children=tuple(children[path]),
            unit=kpi.unit,
            baseline=point(kpi.baseline),
            actual=point(kpi.actual),
            target=point(kpi.target),
            direction=kpi.direction,
            indicator=kpi.indicator,
            owner=kpi.owner,
            streams=own[path][0],
            steps=own[path][1],
            gaps=tuple(direct[path]),
            value=sum((value.get(link.gap_id, 0.0) for link in direct[path]), 0.0),
            rollup_streams=tuple(sorted({s for p in below for s in own[p][0]})),
            rollup_steps=tuple(sorted({s for p in below for s in own[p][1]})),
            rollup_gaps=tuple(gaps),
            rollup_value=sum((value.get(g, 0.0) for g in gaps), 0.0),
        )
    linked = {link.gap_id for links in direct.values() for link in links}
    return KpiTree(
        currency=canvas.currency,
        nodes=nodes,
        roots=tuple(p for p in paths if parent[p] is None),
        unlinked_gaps=tuple(g.id for g in canvas.gaps if g.id not in linked),
    )


def _subtree(path: str, children: dict[str, list[str]]) -> list[str]:
    out, stack = [], [path]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children[node]))
    return out
