"""The 90-day sprint roadmap, cross-engine dependencies, governance, calendar export, KPI lineage.

>>> from opcanvas.canvas import load_canvas
>>> from opcanvas.value import quantify
>>> from opcanvas.value.prioritize import prioritize
>>> canvas = load_canvas("examples/sales-proposal.yaml")
>>> values = quantify(canvas, samples=100)
>>> round(plan_roadmap(canvas, values, prioritize(canvas, values)).value_optimised)
1494000
"""

from opcanvas.roadmap.plan import MaturityPath, Placement, Roadmap, SprintPlan, plan_roadmap

__all__ = ["MaturityPath", "Placement", "Roadmap", "SprintPlan", "plan_roadmap"]
