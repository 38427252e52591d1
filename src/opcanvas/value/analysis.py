"""One call for the gap analysis: values, the ranked backlog, what is missing, the conventions.

>>> from opcanvas.canvas import load_canvas
>>> analysis = analyze_gaps(load_canvas("examples/sales-proposal.yaml"), samples=100)
>>> analysis.ranked[0].gap_id, analysis.values[0].annual_value
('contract-approvals', 1440000.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opcanvas.canvas.model import Canvas
from opcanvas.value.conventions import conventions
from opcanvas.value.prioritize import RankedGap, prioritize
from opcanvas.value.quantify import GapValue, quantify, unquantified


@dataclass(frozen=True)
class GapAnalysis:
    values: tuple[GapValue, ...]
    ranked: tuple[RankedGap, ...]
    unquantified: tuple[tuple[str, str], ...]
    conventions: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "gaps": [v.to_dict() for v in self.values],
            "ranked": [r.to_dict() for r in self.ranked],
            "unquantified": [list(u) for u in self.unquantified],
            "conventions": dict(self.conventions),
        }


def analyze_gaps(canvas: Canvas, *, samples: int = 10_000, seed: int = 0) -> GapAnalysis:
    """Quantify every gap (Monte Carlo with ``samples`` and ``seed``) and rank them."""
    values = quantify(canvas, samples=samples, seed=seed)
    return GapAnalysis(
        values=tuple(values),
        ranked=tuple(prioritize(canvas, values)),
        unquantified=tuple(unquantified(canvas)),
        conventions=conventions(canvas, samples=samples, seed=seed),
    )
