"""The flags flow analysis can raise, declared once with their severity and meaning.

Thresholds are settings (``min_complete_accurate``, ``max_wait_share``, ``little_tolerance``)
and are printed with the conventions. ``error`` means the figures cannot all be true or demand
cannot be met; ``warning`` a published threshold is crossed; ``info`` is worth knowing.
"""

from __future__ import annotations

from opcanvas.canvas.quantities import Calendar, format_duration, format_percent
from opcanvas.flow.results import Flag, Severity

FLAGS: dict[str, tuple[Severity, str]] = {
    "stream_wait_share": (
        "warning",
        "work waits for max_wait_share or more of the stream's lead time",
    ),
    "step_wait_share": (
        "warning",
        "the wait before one step is max_wait_share or more of the stream's lead time",
    ),
    "low_complete_accurate": ("warning", "a step's %C&A is below min_complete_accurate"),
    "cycle_time_above_takt": (
        "warning",
        "C/T per person is above takt: the step cannot keep pace with customer demand",
    ),
    "effective_cycle_time_above_takt": (
        "warning",
        "C/T is within takt, but not once uptime and changeover are counted",
    ),
    "over_capacity": ("error", "utilisation above 100 %: demand exceeds the step's capacity"),
    "handoffs": ("info", "work changes swim lane between steps (each a chance for delay)"),
    "lead_time_mismatch": ("warning", "a step's LT differs from its wait + PT by more than 1 %"),
    "process_exceeds_lead_time": ("error", "a step's PT or wait is longer than its LT"),
    "partial_figures": (
        "info",
        "some steps have no time figures, so totals count only known parts",
    ),
    "little_inconsistent": (
        "warning",
        "the stream's WIP, throughput and lead time miss Little's law by more than the tolerance",
    ),
    "map_vs_little": (
        "info",
        "the mapped lead time differs from Little's law (WIP ÷ throughput) by more than the "
        "tolerance: work may wait outside the mapped steps",
    ),
    "no_predecessor": ("info", "a step follows a decision point without being one of its exits"),
    "scenario_limit": (
        "warning",
        "too many decision combinations to weigh exactly: every branch is assumed taken",
    ),
    "no_steps": ("info", "the stream has no steps yet"),
}


def make_flag(
    code: str, message: str, *, step: str | None = None, stream: str | None = None
) -> Flag:
    """A flag whose severity comes from :data:`FLAGS` (an unknown code is a programming error).

    >>> make_flag("no_steps", "no steps yet").severity
    'info'
    """
    severity, _ = FLAGS[code]
    return Flag(code=code, severity=severity, message=message, step=step, stream=stream)


def human_time(minutes: float, cal: Calendar) -> str:
    """A duration for people: seconds below a minute (takt and C/T), else the calendar's units.

    >>> human_time(0.75, Calendar()), human_time(1440, Calendar())
    ('45s', '3d')
    """
    if 0 < abs(minutes) < 1:
        return f"{minutes * 60:.3g}s"
    return format_duration(minutes, cal)


def percent(fraction: float) -> str:
    return format_percent(fraction)
