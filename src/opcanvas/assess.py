"""One entry point for everything derived from a canvas: ``assess(canvas) -> Assessment``.

The CLI, the report builder and (later) the web app call this and nothing else for numbers: flow
metrics of every stream, gap values with their uncertainty, the ranked backlog, the four-sprint
roadmap, the cross-engine dependency map, the governance pack, the KPI lineage, completeness and
the conventions in force. Renderers only format what is here.

A partial canvas is normal. A part that cannot be computed yet (no gaps, nothing quantified)
is ``None`` or empty and says why in :attr:`Assessment.missing`; a canvas that is *wrong* (a
formula that divides by zero, a dependency cycle) raises the :class:`~opcanvas.errors.OpcanvasError`
that explains it.

>>> from opcanvas.canvas import parse_canvas
>>> result = assess(parse_canvas("organization: Acme"), samples=100)
>>> result.values, result.missing[1]
((), 'no gaps yet: add gaps with value drivers to quantify, rank and plan them')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opcanvas.canvas.model import Canvas
from opcanvas.flow import analyze_canvas
from opcanvas.flow.results import CanvasFlow, Completeness
from opcanvas.roadmap import Roadmap, plan_roadmap
from opcanvas.roadmap.dependencies import DependencyMap, dependency_map
from opcanvas.roadmap.governance import GovernancePack, governance_pack
from opcanvas.roadmap.lineage import KpiTree, kpi_lineage
from opcanvas.roadmap.tracking import Tracking
from opcanvas.value import GapValue, quantify, unquantified
from opcanvas.value.conventions import conventions as value_conventions
from opcanvas.value.prioritize import RankedGap, prioritize


@dataclass(frozen=True)
class Assessment:
    """Everything derived from one canvas, with the conventions each part was computed under."""

    canvas: Canvas
    flow: CanvasFlow
    values: tuple[GapValue, ...]
    unquantified: tuple[tuple[str, str], ...]
    priorities: tuple[RankedGap, ...]
    roadmap: Roadmap
    dependencies: DependencyMap
    governance: GovernancePack
    lineage: KpiTree
    conventions: dict[str, dict[str, str]]
    missing: tuple[str, ...]
    samples: int
    seed: int

    @property
    def completeness(self) -> Completeness:
        return self.flow.completeness

    @property
    def currency(self) -> str:
        return self.canvas.currency

    def value_of(self, gap_id: str) -> GapValue | None:
        for value in self.values:
            if value.gap_id == gap_id:
                return value
        return None

    def total_annual_value(self) -> float:
        """The sum of the gaps' point annual values (percentiles do not add up, so no band)."""
        return sum(value.annual_value for value in self.values)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the canvas as validated, then every derived result."""
        return {
            "organization": self.canvas.organization,
            "currency": self.canvas.currency,
            "samples": self.samples,
            "seed": self.seed,
            "conventions": self.conventions,
            "missing": list(self.missing),
            "completeness": self.completeness.to_dict(),
            "flow": self.flow.to_dict(),
            "gaps": [value.to_dict() for value in self.values],
            "unquantified": [{"gap": g, "reason": r} for g, r in self.unquantified],
            "priorities": [ranked.to_dict() for ranked in self.priorities],
            "roadmap": self.roadmap.to_dict(),
            "dependencies": self.dependencies.to_dict(),
            "governance": self.governance.to_dict(),
            "kpi_lineage": self.lineage.to_dict(),
            "canvas": self.canvas.model_dump(mode="json", exclude_none=True, warnings=False),
        }


def _missing(canvas: Canvas, values: list[GapValue], blank: list[tuple[str, str]]) -> list[str]:
    found = []
    if not canvas.engines or not any(e.streams for e in canvas.engines.values()):
        found.append("no value streams yet: map at least one stream per engine")
    if not canvas.gaps:
        found.append("no gaps yet: add gaps with value drivers to quantify, rank and plan them")
    elif not values:
        found.append("no gap is quantified yet: give each gap drivers (and formulas)")
    found += [f"gap {gap_id}: {reason}" for gap_id, reason in blank]
    if not canvas.handoffs:
        found.append("no cross-engine handoffs yet (the seed's Part 4)")
    if not canvas.kpis and not any(e.kpis for e in canvas.engines.values()):
        found.append("no engine or CEO-level KPIs yet: the KPI tree has no top")
    return found


def assess(
    canvas: Canvas, *, samples: int = 10_000, seed: int = 0, tracking: Tracking | None = None
) -> Assessment:
    """Compute everything derived from ``canvas``.

    ``samples`` and ``seed`` drive the Monte Carlo of gap values (the same seed gives the same
    numbers); ``tracking`` holds the dated KPI snapshots kept beside the canvas
    (:func:`opcanvas.roadmap.tracking.load_tracking`). Raises
    :class:`~opcanvas.errors.OpcanvasError` subclasses for a canvas that is wrong, not for one
    that is incomplete.
    """
    flow = analyze_canvas(canvas)
    values = quantify(canvas, samples=samples, seed=seed)
    blank = unquantified(canvas)
    ranked = prioritize(canvas, values)
    roadmap = plan_roadmap(canvas, values, ranked)
    governance = governance_pack(canvas, roadmap, tracking=tracking)
    conventions = {
        "flow": dict(flow.conventions),
        "value": value_conventions(canvas, samples=samples, seed=seed),
        "roadmap": dict(roadmap.conventions),
        "governance": dict(governance.conventions),
    }
    return Assessment(
        canvas=canvas,
        flow=flow,
        values=tuple(values),
        unquantified=tuple(blank),
        priorities=tuple(ranked),
        roadmap=roadmap,
        dependencies=dependency_map(canvas, values),
        governance=governance,
        lineage=kpi_lineage(canvas, values, roadmap),
        conventions=conventions,
        missing=tuple(_missing(canvas, values, blank)),
        samples=samples,
        seed=seed,
    )
