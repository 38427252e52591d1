"""The ``measured`` blocks mining writes: values as text with units, and provenance.

Durations in hours or minutes (``"3.25h"``; never days, whose length depends on the
calendar), percentages (``"85.2%"``), rates per week (``"12.5/week"``: a calendar week of
the log holds one week of the canvas, working or not). The stream block carries provenance:
file, SHA-256, period, cases, events, statistic, engine, time basis and the step mapping.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from opcanvas.canvas.model import Canvas
from opcanvas.mining.mine import MiningResult
from opcanvas.mining.steps import StepStats
from opcanvas.mining.summary import Summary


def human_duration(minutes: float) -> str:
    """Hours (or minutes below one hour), 4 significant digits, no exponent: ``"3.25h"``."""
    if minutes < 60:
        return f"{_digits(minutes)}min"
    return f"{_digits(minutes / 60)}h"


def _digits(value: float) -> str:
    text = f"{value:.4g}"
    if "e" in text:
        text = f"{value:.0f}"
    return text


def human_rate(per_week: float) -> str:
    return f"{_digits(per_week)}/week"


def human_percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


def stat(summary: Summary | None, statistic: str) -> float | None:
    if summary is None or summary.count == 0:
        return None
    return summary.get(statistic)


def _step_measured(stats: StepStats, statistic: str, available: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    durations = {"process_time": stats.service, "handoff_delay": stats.handoff_delay}
    if stats.wait_observable:  # else the log holds no queue before the step (it opens cases)
        durations.update(wait_time=stats.wait, lead_time=stats.lead)
    for key, summary in durations.items():
        value = stat(summary, statistic)
        if value is not None:
            values[key] = human_duration(value)
    values.update(
        executions=stats.executions, cases=stats.cases, reach=human_percent(stats.reach),
        rework_rate=human_percent(stats.rework_rate),
        first_pass_yield=human_percent(stats.first_pass_yield),
        throughput=human_rate(stats.throughput_per_week),
        arrival_rate=human_rate(stats.arrival_per_week), handoffs=stats.handoffs,
        service_time_available=available,
    )  # fmt: skip
    return values


def stream_values(
    result: MiningResult, statistic: str, canvas_path: Path, source: Path, stream: str
) -> dict[str, dict[str, Any]]:
    available = result.service_time_available
    written = {s.step: _step_measured(s, statistic, available) for s in result.steps}
    st = result.stream
    provenance: dict[str, Any] = {
        "source": _relative(source, canvas_path.parent),
        "sha256": result.log["sha256"] or "",
        "period_start": result.window[0], "period_end": result.window[1],
        "cases": st.cases, "events": int(result.log["events"]), "statistic": statistic,
        "engine": result.settings.engine, "time_basis": result.settings.basis.describe(),
    }  # fmt: skip
    lead = stat(st.lead, statistic)
    if lead is not None:
        provenance["lead_time"] = human_duration(lead)
    active = stat(st.active, statistic)
    if active is not None:
        provenance["active_time"] = human_duration(active)
    if st.flow_efficiency is not None:
        provenance["flow_efficiency"] = human_percent(st.flow_efficiency)
    provenance.update(
        wip=round(st.littles_law.wip_mean, 2), throughput=human_rate(st.throughput_per_week),
        arrival_rate=human_rate(st.arrival_per_week), variants=result.variants.count,
        mapping={k: list(v) for k, v in result.mapping.items()},
        service_time_available=available,
    )  # fmt: skip
    written["_stream"] = provenance
    return written


def _relative(path: Path, base: Path) -> str:
    try:
        relative = Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path.resolve().as_posix()
    return path.resolve().as_posix() if relative.startswith("../..") else relative


def measured_values(
    result: MiningResult, statistic: str, source: str | Path, base: str | Path = "."
) -> dict[str, dict[str, Any]]:
    """The ``measured`` blocks :func:`mine_into_canvas` writes: step id → values, and the
    stream's provenance under ``"_stream"`` (human strings with units)."""
    return stream_values(result, statistic, Path(base) / "canvas.yaml", Path(source), "")


def apply_measured(
    canvas: Canvas, stream: str, result: MiningResult, statistic: str | None = None
) -> Canvas:
    """A copy of ``canvas`` with ``result`` as the measured values of ``stream`` (no file).

    >>> canvas = apply_measured(canvas, "growth/mql-to-close", result)  # doctest: +SKIP
    """
    from opcanvas.canvas.fields import using_calendar
    from opcanvas.canvas.model import StepMeasured, StreamMeasured

    chosen = statistic or result.settings.statistic
    values = measured_values(result, chosen, str(result.log["source"]))
    target = canvas.stream(stream)
    with using_calendar(canvas.calendar):
        steps = [
            step.model_copy(update={"measured": StepMeasured.model_validate(values[step.id])})
            if step.id in values else step
            for step in target.steps
        ]  # fmt: skip
        measured = StreamMeasured.model_validate(values["_stream"])
    engine_id, _, stream_id = stream.partition("/")
    new_stream = target.model_copy(update={"steps": steps, "measured": measured})
    engine = canvas.engines[engine_id]
    streams = {**engine.streams, stream_id: new_stream}
    engines = {**canvas.engines, engine_id: engine.model_copy(update={"streams": streams})}
    return canvas.model_copy(update={"engines": engines})
