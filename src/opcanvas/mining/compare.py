"""Workshop estimates beside mined measurements: the ratio, and which guesses were far off."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opcanvas.canvas.model import Canvas, Step, Stream
from opcanvas.canvas.quantities import format_percent, point
from opcanvas.mining.measured import human_duration, human_rate, stat
from opcanvas.mining.mine import MiningResult
from opcanvas.mining.steps import StepStats

FAR_OFF = 2.0
"""A guess is far off when measured / estimate is at least this, or at most its inverse."""


@dataclass(frozen=True)
class Comparison:
    """One estimate beside its measurement (canonical units: minutes, fractions, per minute)."""

    step: str | None
    field: str
    kind: str
    estimate: float | None
    measured: float | None

    @property
    def ratio(self) -> float | None:
        if self.estimate is None or self.measured is None or self.estimate == 0:
            return None
        return self.measured / self.estimate

    @property
    def far_off(self) -> bool:
        ratio = self.ratio
        return ratio is not None and (ratio >= FAR_OFF or ratio <= 1 / FAR_OFF)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "field": self.field, "kind": self.kind,
                "estimate": self.estimate, "measured": self.measured, "ratio": self.ratio,
                "far_off": self.far_off}  # fmt: skip


def compare(
    canvas: Canvas, stream: Stream, result: MiningResult, statistic: str
) -> list[Comparison]:
    """Estimate vs measured for every field the workshop estimated and the log measured."""
    est = canvas.settings.point_estimate
    week = canvas.calendar.unit_minutes()["w"]
    found = {s.step: s for s in result.steps}
    rows: list[Comparison] = []
    for step in stream.steps:
        stats = found.get(step.id)
        if stats is not None:
            rows.extend(_step_rows(step, stats, statistic, est, week))
    lead = stat(result.stream.lead, statistic)
    per_minute = result.stream.throughput_per_week / week
    for name, kind, estimate, measured in (
        ("lead_time", "duration", point(stream.lead_time, est), lead),
        ("throughput", "rate", point(stream.throughput, est), per_minute),
        ("wip", "count", point(stream.wip, est), result.stream.littles_law.wip_mean),
    ):
        if estimate is not None and measured is not None:
            rows.append(Comparison(None, name, kind, estimate, measured))
    return rows


def _step_rows(
    step: Step, stats: StepStats, statistic: str, est: Any, week: float
) -> list[Comparison]:
    """Rates compare per week: a calendar week of the log holds one week of the canvas."""
    pt, wait, lt = (point(step.process_time, est), point(step.wait_time, est),
                    point(step.lead_time, est))  # fmt: skip
    if lt is None and pt is not None and wait is not None:
        lt = pt + wait
    observable = stats.wait_observable  # a step that opens cases has no wait in the log
    rows = [
        ("process_time", "duration", pt, stat(stats.service, statistic)),
        ("wait_time", "duration", wait, stat(stats.wait, statistic) if observable else None),
        ("lead_time", "duration", lt, stat(stats.lead, statistic) if observable else None),
        ("rework_rate", "percent", point(step.rework_rate, est), stats.rework_rate),
        ("throughput", "rate", point(step.throughput, est),
         stats.throughput_per_week / week),
    ]  # fmt: skip
    return [
        Comparison(step.id, name, kind, e, m)
        for name, kind, e, m in rows
        if e is not None and m is not None
    ]


def describe_value(value: float | None, kind: str, canvas: Canvas) -> str:
    """A value in canonical units for people: durations in hours (unambiguous on any
    calendar), rates per week of the canvas calendar."""
    if value is None:
        return "—"
    if kind == "duration":
        return human_duration(value)
    if kind == "percent":
        return format_percent(value)
    if kind == "rate":
        return human_rate(value * canvas.calendar.unit_minutes()["w"])
    return f"{value:.3g}"
