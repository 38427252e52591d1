"""The conventions flow figures depend on, in words, printed with every result.

Each entry states a setting (``canvas.settings`` or the calendar) or a fixed rule of the
analysis, so a reader of any number can tell how it was obtained.
"""

from __future__ import annotations

from opcanvas.canvas.model import Settings
from opcanvas.canvas.quantities import Calendar, format_percent, point

OFFICE_FIGURES = ("process_time", "wait_time", "complete_accurate", "lane", "people")
"""Key figures of an office step (Martin & Osterling's data box) counted for completeness."""
MANUFACTURING_FIGURES = ("cycle_time", "changeover", "uptime", "inventory_before", "operators")
"""Key figures of a manufacturing process box (Rother & Shook) counted for completeness."""
STREAM_FIGURES = {"office": ("steps", "demand"), "manufacturing": ("steps", "demand", "production")}


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def conventions(settings: Settings, cal: Calendar) -> dict[str, str]:
    """Every convention in force, keyed by setting name, in words.

    >>> conventions(Settings(), Calendar())["parallel"][:13]
    'critical_path'
    """
    estimate = settings.point_estimate
    includes = settings.lead_time_includes_process_time
    return {
        "time_basis": cal.describe(),
        "units": "JSON: durations in minutes, rates per minute, shares as fractions",
        "point_estimate": f"{estimate}: a range [low, likely, high] counts as its "
        + ("most likely value" if estimate == "likely" else "mean"),
        "prefer_measured": _yes(settings.prefer_measured)
        + (
            ": mined step figures replace workshop estimates where both exist"
            if settings.prefer_measured
            else ": workshop estimates win; mined figures fill blanks"
        ),
        "statistic": f"{settings.statistic}: the statistic of mined durations",
        "lead_time_includes_process_time": (
            "yes: step LT = wait before the step + PT (Martin & Osterling); "
            "flow efficiency = ΣPT ÷ ΣLT on the critical path"
            if includes
            else "no: step LT = the wait before the step (top rung of the Rother & Shook "
            "ladder); flow efficiency = ΣPT ÷ (ΣLT + ΣPT) on the critical path"
        ),
        "parallel": (
            "critical_path: stream LT follows the longest path through parallel branches"
            if settings.parallel == "critical_path"
            else "sum: stream LT adds every step, parallel or not"
        ),
        "decision": (
            "expected: over exclusive branches, LT, PT and %C&A are weighted by branch "
            "probability; the path shown is the longest path of the most likely choices"
            if settings.decision == "expected"
            else "longest: every decision is assumed to take the branch that makes the "
            "stream longest"
        ),
        "demand": f"{settings.demand}: stream demand (else trigger volume) per working day "
        "sets takt and inventory days",
        "available_time": "shifts × (shift length − breaks) when the stream sets production, "
        f"else one working day of {cal.hours_per_day:g} h",
        "takt": "available time per day ÷ demand per day; operators needed = work content "
        "(Σ C/T, or Σ PT in office mode, weighted by reach) ÷ takt",
        "effective_cycle_time": "(C/T + C/O ÷ batch size) ÷ uptime; C/O counts only with a "
        "batch size; utilisation = demand × effective C/T ÷ (people × available time)",
        "bottleneck": "office: the step with the largest wait before it (else the largest "
        "LT); manufacturing: the highest utilisation (else the longest effective C/T per "
        "person)",
        "wait_share": "a step's wait (weighted by the share of items reaching it under the "
        "expected rule) ÷ the stream's elapsed lead time; a stream's: Σ wait ÷ elapsed time on "
        "the critical path",
        "handoffs": "a step is a handoff when its lane differs from a predecessor's, or it "
        "sets handoff: true",
        "quality": "rolled %C&A = product of step %C&A, first-pass yield = product of step "
        "yields (1 − rework rate); a blank counts as 100 % and as missing",
        "thresholds": "min %C&A "
        + format_percent(point(settings.min_complete_accurate, estimate) or 0.0, 0)
        + ", max wait share "
        + format_percent(point(settings.max_wait_share, estimate) or 0.0, 0)
        + ", Little's law tolerance "
        + format_percent(point(settings.little_tolerance, estimate) or 0.0, 0),
        "completeness": "office steps: "
        + ", ".join(OFFICE_FIGURES)
        + "; manufacturing steps: "
        + ", ".join(MANUFACTURING_FIGURES)
        + "; streams: steps, demand (+ production in manufacturing)",
    }
