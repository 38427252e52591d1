"""The conventions behind every value number, as text to print beside the results.

>>> from opcanvas.canvas import parse_canvas
>>> conventions(parse_canvas("organization: Acme"))["point estimate"]
'likely value of each range'
"""

from __future__ import annotations

from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import format_money, point
from opcanvas.value.finance import PAYBACK_DEFINITION, ROI_DEFINITION, npv_definition
from opcanvas.value.model import SEED_FORMULA
from opcanvas.value.prioritize import PRIORITY_DEFINITION, SCORE_DIRECTIONS


def value_tiers_text(canvas: Canvas) -> str:
    tiers = [point(t) or 0.0 for t in canvas.settings.value_tiers]
    money = [format_money(t, canvas.currency) for t in sorted(tiers)]
    parts = [f"1 < {money[0]}"] if money else ["1"]
    parts += [f"{i + 2} ≥ {m}" for i, m in enumerate(money)]
    return "value score: " + ", ".join(parts)


def conventions(
    canvas: Canvas, *, samples: int | None = None, seed: int | None = None
) -> dict[str, str]:
    """Every convention that changes a value number, keyed by a short label."""
    estimate = canvas.settings.point_estimate
    rate = point(canvas.roadmap.discount_rate) or 0.0
    out = {
        "currency": canvas.currency,
        "point estimate": "likely value of each range"
        if estimate == "likely"
        else "mean of each range",
        "built-in formula": f"annual_value = {SEED_FORMULA} (when a gap has no formulas)",
        "ROI": ROI_DEFINITION,
        "payback": PAYBACK_DEFINITION,
        "NPV": npv_definition(canvas.roadmap.horizon_years, rate),
        "priority": PRIORITY_DEFINITION,
        "score directions": SCORE_DIRECTIONS,
        "value tiers": value_tiers_text(canvas),
        "calendar": canvas.calendar.describe(),
    }
    if samples is not None:
        out["Monte Carlo"] = (
            f"{samples:,} samples, seed {seed}, drivers independent; P10/P50/P90 by linear "
            "interpolation; samples dividing by zero are left out and counted"
        )
    return out
