"""One call for the transformation plan: gaps, roadmap, dependencies, governance and lineage.

>>> from opcanvas.canvas import load_canvas
>>> plan = analyze_plan(load_canvas("examples/sales-proposal.yaml"), samples=100)
>>> round(plan.roadmap.value_optimised), round(plan.roadmap.value_greedy)
(1494000, 1368000)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opcanvas.canvas.model import Canvas
from opcanvas.roadmap.dependencies import DependencyMap, dependency_map
from opcanvas.roadmap.governance import GovernancePack, governance_pack
from opcanvas.roadmap.lineage import KpiTree, kpi_lineage
from opcanvas.roadmap.plan import Roadmap, plan_roadmap
from opcanvas.roadmap.solver import TIME_LIMIT
from opcanvas.roadmap.tracking import Tracking
from opcanvas.value.analysis import GapAnalysis, analyze_gaps


@dataclass(frozen=True)
class PlanAnalysis:
    gaps: GapAnalysis
    roadmap: Roadmap
    dependencies: DependencyMap
    governance: GovernancePack
    lineage: KpiTree

    def to_dict(self) -> dict[str, Any]:
        return {
            "gaps": self.gaps.to_dict(),
            "roadmap": self.roadmap.to_dict(),
            "dependencies": self.dependencies.to_dict(),
            "governance": self.governance.to_dict(),
            "lineage": self.lineage.to_dict(),
        }


def analyze_plan(
    canvas: Canvas,
    *,
    samples: int = 10_000,
    seed: int = 0,
    tracking: Tracking | None = None,
    time_limit: float = TIME_LIMIT,
) -> PlanAnalysis:
    """Value, rank and plan the gaps; map dependencies; build the governance pack and lineage."""
    gaps = analyze_gaps(canvas, samples=samples, seed=seed)
    roadmap = plan_roadmap(canvas, gaps.values, gaps.ranked, time_limit=time_limit)
    return PlanAnalysis(
        gaps=gaps,
        roadmap=roadmap,
        dependencies=dependency_map(canvas, gaps.values),
        governance=governance_pack(canvas, roadmap, tracking=tracking),
        lineage=kpi_lineage(canvas, gaps.values, roadmap),
    )
