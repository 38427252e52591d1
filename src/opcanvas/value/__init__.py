"""Gaps in dollars: value drivers and formulas, Monte Carlo, ROI/NPV, priority score, WSJF.

>>> from opcanvas.canvas import load_canvas
>>> canvas = load_canvas("examples/sales-proposal.yaml")
>>> [round(v.annual_value) for v in quantify(canvas, samples=1000)][:1]
[1440000]
"""

from opcanvas.value.analysis import GapAnalysis, analyze_gaps
from opcanvas.value.conventions import conventions
from opcanvas.value.prioritize import RankedGap, prioritize, value_score
from opcanvas.value.quantify import (
    GapValue,
    TornadoBar,
    annual_value_samples,
    evaluate_gap,
    quantify,
    unquantified,
)

__all__ = [
    "GapAnalysis",
    "GapValue",
    "RankedGap",
    "TornadoBar",
    "analyze_gaps",
    "annual_value_samples",
    "conventions",
    "evaluate_gap",
    "prioritize",
    "quantify",
    "unquantified",
    "value_score",
]
