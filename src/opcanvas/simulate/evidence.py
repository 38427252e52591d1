"""Back a gap's improvement with a simulated scenario, and record the link in the canvas.

The improvement is the relative reduction of a metric (lead time by default) from the current
to the future state: ``1 − future / current``, paired by replication. Its confidence interval
becomes a range ``[low, likely, high]`` (triangular): the value model can draw from it. The
canvas records it under the gap's ``evidence`` (scenario, metric, current and future values in
minutes, date, improvement range); with ``driver`` the range is also written into that value
driver, replacing a workshop guess with a simulated figure.

>>> improvement_range(-0.5, -0.6, -0.4)
Range(low=0.4, likely=0.5, high=0.6, dist='triangular', sd=None)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from opcanvas.canvas.io import update_canvas
from opcanvas.canvas.model import Canvas
from opcanvas.canvas.quantities import Range
from opcanvas.errors import Location, SimulationError, UnknownReferenceError
from opcanvas.simulate.results import Comparison

METRICS = {
    "lead_time": "lead_time_mean",
    "lead_time_p50": "lead_time_p50",
    "lead_time_p85": "lead_time_p85",
    "lead_time_p95": "lead_time_p95",
    "time_in_system": "time_in_system",
    "wip": "wip",
}
"""Metrics a gap's improvement can come from (lower is better for each)."""


def improvement_range(relative: float, low: float, high: float) -> Range:
    """The improvement (a reduction) from a relative change ``future/current − 1`` and its CI."""
    likely = -relative
    if not likely > 0:
        raise SimulationError(
            f"the scenario does not improve the metric (it changes by {relative:+.1%}); "
            "there is no improvement to record",
            hint="record evidence from a scenario that shortens the metric",
        )
    bounds = sorted((-low, -high))
    lo = min(max(bounds[0], 0.0), likely)
    hi = max(min(bounds[1], 1.0), likely)
    return Range(round(lo, 4), round(likely, 4), round(hi, 4))


def evidence_of(comparison: Comparison, metric: str = "lead_time") -> tuple[Range, float, float]:
    """The improvement range and the current and future means of ``metric``."""
    key = METRICS.get(metric)
    if key is None:
        raise SimulationError(f'unknown metric "{metric}"; expected one of {", ".join(METRICS)}')
    relative = comparison.relative.get(key)
    if relative is None:
        reason = comparison.current.reason or comparison.future.reason or "no result"
        raise SimulationError(f"no simulated improvement to record: {reason}")
    low, high = relative.low, relative.high
    if low != low:  # NaN: one replication, no interval
        low = high = relative.mean
    current = comparison.current.per_replication[key]
    future = comparison.future.per_replication[key]
    return (
        improvement_range(relative.mean, low, high),
        sum(current) / len(current),
        sum(future) / len(future),
    )


def _percents(r: Range) -> CommentedSeq:
    seq = CommentedSeq([f"{v * 100:.4g}%" for v in (r.low, r.likely, r.high)])
    seq.fa.set_flow_style()
    return seq


def record_gap_evidence(
    path: str | Path,
    gap_id: str,
    comparison: Comparison,
    *,
    metric: str = "lead_time",
    driver: str | None = None,
    today: dt.date | None = None,
) -> Canvas:
    """Write the simulated improvement into gap ``gap_id`` of the canvas file at ``path``.

    Comments and layout of the file survive (:func:`opcanvas.canvas.io.update_canvas`).
    """
    improvement, current, future = evidence_of(comparison, metric)
    recorded = (today or dt.date.today()).isoformat()

    def change(doc: CommentedMap) -> None:
        gaps = doc.get("gaps") or []
        index = next((i for i, g in enumerate(gaps) if g.get("id") == gap_id), None)
        if index is None:
            known = ", ".join(str(g.get("id")) for g in gaps) or "none"
            raise UnknownReferenceError(
                f'no gap "{gap_id}"; the canvas has: {known}', where=Location(path, key="gaps")
            )
        gap = gaps[index]
        if gap.get("stream") != comparison.ref:
            raise SimulationError(
                f'gap "{gap_id}" belongs to stream {gap.get("stream")}, but the simulation is of '
                f"{comparison.ref}",
                where=Location(path, key=f"gaps[{index}].stream"),
                hint="simulate the gap's own stream",
            )
        evidence = CommentedMap()
        evidence["scenario"] = comparison.scenario
        evidence["metric"] = metric
        evidence["current"] = round(current, 2)
        evidence["future"] = round(future, 2)
        evidence["recorded"] = recorded
        evidence["improvement"] = _percents(improvement)
        gap["evidence"] = evidence
        if driver is not None:
            if gap.get("drivers") is None:
                gap["drivers"] = CommentedMap()
            gap["drivers"][driver] = _percents(improvement)

    return update_canvas(path, change)
