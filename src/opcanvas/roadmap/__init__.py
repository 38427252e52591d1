"""The 90-day sprint roadmap, cross-engine dependencies, governance, calendar export, KPI lineage.

>>> from opcanvas.canvas import load_canvas
>>> from opcanvas.value import quantify
>>> from opcanvas.value.prioritize import prioritize
>>> canvas = load_canvas("examples/sales-proposal.yaml")
>>> values = quantify(canvas, samples=100)
>>> round(plan_roadmap(canvas, values, prioritize(canvas, values)).value_optimised)
1494000
"""

from opcanvas.roadmap.analysis import PlanAnalysis, analyze_plan
from opcanvas.roadmap.dependencies import DependencyMap, Edge, HandoffView, Node, dependency_map
from opcanvas.roadmap.governance import GovernancePack, Review, SprintAgenda, governance_pack
from opcanvas.roadmap.ics import to_ics
from opcanvas.roadmap.lineage import GapLink, KpiNode, KpiTree, kpi_lineage
from opcanvas.roadmap.plan import MaturityPath, Placement, Roadmap, SprintPlan, plan_roadmap
from opcanvas.roadmap.tracking import (
    KpiTrack,
    RoiCheck,
    Tracking,
    kpi_tracks,
    load_tracking,
    roi_validation,
    tracking_path,
)

__all__ = [
    "DependencyMap",
    "Edge",
    "GapLink",
    "GovernancePack",
    "HandoffView",
    "KpiNode",
    "KpiTrack",
    "KpiTree",
    "MaturityPath",
    "Node",
    "Placement",
    "PlanAnalysis",
    "Review",
    "Roadmap",
    "RoiCheck",
    "SprintAgenda",
    "SprintPlan",
    "Tracking",
    "analyze_plan",
    "dependency_map",
    "governance_pack",
    "kpi_lineage",
    "kpi_tracks",
    "load_tracking",
    "plan_roadmap",
    "roi_validation",
    "to_ics",
    "tracking_path",
]
