"""Mined figures into the canvas, beside the workshop's estimates, and how far apart they are.

:func:`mine_into_canvas` reads the log, mines the stream, and writes ``measured`` blocks into
the canvas file through :func:`opcanvas.canvas.io.update_canvas` (comments kept, written
atomically, validated first): nothing is written unless everything succeeded, and estimates
are never touched. Values are written as text with units — durations in hours or minutes
(``"3.25h"``, never days, whose length depends on the calendar), percentages (``"85.2%"``),
rates per week (``"12.5/week"``) — with provenance (file, SHA-256, period, cases, events,
statistic, engine, time basis, mapping) on the stream.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from opcanvas.canvas.io import load_canvas, update_canvas
from opcanvas.canvas.model import Canvas, Step, Stream
from opcanvas.canvas.quantities import format_percent, point
from opcanvas.errors import EventLogError
from opcanvas.mining.columns import ColumnMap
from opcanvas.mining.eventlog import EventLog, Progress, ReadOptions
from opcanvas.mining.mapping import (
    StreamMapping,
    check_steps,
    load_mapping,
    match_steps,
    stream_mapping,
)
from opcanvas.mining.mine import MiningResult, MiningSettings, mine
from opcanvas.mining.readers import read_log
from opcanvas.mining.steps import StepStats
from opcanvas.mining.summary import Summary

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


@dataclass(frozen=True)
class MineReport:
    """What ``opcanvas mine`` did: the result, what it wrote, estimate vs measured."""

    canvas: str
    stream: str
    mapping: StreamMapping
    result: MiningResult
    written: dict[str, dict[str, Any]]
    comparisons: list[Comparison]
    unmeasured_steps: list[str]
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "canvas": self.canvas, "stream": self.stream, "dry_run": self.dry_run,
            "mapping": self.mapping.to_dict(), "written": self.written,
            "comparisons": [c.to_dict() for c in self.comparisons],
            "far_off": [c.to_dict() for c in self.comparisons if c.far_off],
            "unmeasured_steps": self.unmeasured_steps, "notes": self.notes,
            "result": self.result.to_dict(),
        }  # fmt: skip


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


def mine_into_canvas(
    canvas_path: str | Path,
    log_path: str | Path | None,
    stream: str,
    *,
    mapping_path: str | Path | None = None,
    statistic: str | None = None,
    engine: str = "duckdb",
    columns: ColumnMap | None = None,
    read_options: ReadOptions | None = None,
    basis: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MineReport:
    """Mine ``log_path`` for ``stream`` and write the measurements into the canvas file.

    ``statistic`` (mean, median, p85, p95) picks which duration statistic is written; by
    default the mapping's, else the canvas ``settings.statistic``. ``basis`` ("elapsed" or
    "working") overrides the mapping's calendar. With ``dry_run`` nothing is written.

    >>> report = mine_into_canvas("canvas.yaml", "crm.csv", "growth/mql-to-close")  # doctest: +SKIP
    >>> [c.step for c in report.comparisons if c.far_off]  # doctest: +SKIP
    ['proposal']
    """
    canvas_path = Path(canvas_path)
    canvas = load_canvas(canvas_path)
    target = canvas.stream(stream)
    parsed = load_mapping(mapping_path) if mapping_path else None
    base = Path(mapping_path).parent if mapping_path else None
    spec = stream_mapping(parsed, stream, base)
    source = Path(log_path) if log_path else spec.log
    if source is None:
        raise EventLogError(
            f"no event log for {stream}", hint="give LOG, or `log:` for the stream in --map"
        )
    options = read_options or ReadOptions()
    explicit = (columns or ColumnMap()).explicit()
    log = read_log(
        source, columns=ColumnMap.from_dict({**spec.columns.explicit(), **explicit}),
        format=spec.format, timestamp_format=options.timestamp_format or spec.timestamp_format,
        timezone=options.timezone if options.timezone != "UTC" else spec.timezone,
        object_type=options.object_type or spec.object_type, options=options, progress=progress,
    )  # fmt: skip
    steps = spec.steps
    notes: list[str] = []
    if steps is None:
        steps = match_steps(target, _activities(log))
        if not steps:
            raise EventLogError(
                f"no step of {stream} has the name of an activity in {source}",
                hint=f"map activities to steps with --map, or run `opcanvas mine --discover "
                f"{source}` to see the activities",
            )
        notes.append("steps matched to activities by name (no mapping file)")
    check_steps(stream, target, steps)
    chosen = statistic or spec.statistic or canvas.settings.statistic
    time_basis = spec.basis
    if basis is not None and basis != time_basis.kind:
        from opcanvas.mining.timebasis import TimeBasis

        time_basis = TimeBasis.elapsed() if basis == "elapsed" else TimeBasis.working()
    settings = MiningSettings(basis=time_basis, statistic=chosen, engine=engine)
    result = mine(log, steps, settings, progress=progress)
    written = _measured(result, chosen, canvas_path, source, stream)
    if time_basis.kind == "elapsed" and canvas.calendar.basis == "working":
        notes.append(
            "measured durations are elapsed time (nights and weekends included); the canvas "
            f"estimates are on {canvas.calendar.describe()}: give the mapping a working "
            "calendar to compare like with like"
        )
    unmeasured = [s.id for s in target.steps if s.id not in {x.step for x in result.steps}]
    if not dry_run:
        update_canvas(canvas_path, lambda doc: _write(doc, stream, written))
    comparisons = compare(canvas, target, result, chosen)
    return MineReport(
        str(canvas_path), stream, spec, result, written, comparisons, unmeasured,
        notes + result.notes, dry_run,
    )  # fmt: skip


def _activities(log: Any) -> list[str]:
    table = log.to_arrow() if not isinstance(log.data, Path) else None
    if table is not None:
        return sorted(set(table.column("activity").to_pylist()))
    from opcanvas.mining.eventlog import duck

    con = duck()
    try:
        rows = log.relation(con).aggregate("activity", "activity").fetchall()
        return sorted(str(r[0]) for r in rows)
    finally:
        con.close()


def _stat(summary: Summary | None, statistic: str) -> float | None:
    if summary is None or summary.count == 0:
        return None
    return summary.get(statistic)


def _step_measured(stats: StepStats, statistic: str, available: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    durations = {"process_time": stats.service, "wait_time": stats.wait,
                 "lead_time": stats.lead, "handoff_delay": stats.handoff_delay}  # fmt: skip
    for key, summary in durations.items():
        value = _stat(summary, statistic)
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


def _measured(
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
    lead = _stat(st.lead, statistic)
    if lead is not None:
        provenance["lead_time"] = human_duration(lead)
    active = _stat(st.active, statistic)
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


def _write(doc: CommentedMap, stream: str, written: dict[str, dict[str, Any]]) -> None:
    engine_id, _, stream_id = stream.partition("/")
    node = doc["engines"][engine_id]["streams"][stream_id]
    for step in node.get("steps", []) or []:
        values = written.get(str(step.get("id")))
        if values is not None:
            step.fa.set_block_style()  # a one-line step grows a measured block: no long lines
            step["measured"] = _block(values)
    node["measured"] = _block(written["_stream"])


def _block(values: dict[str, Any]) -> CommentedMap:
    block = CommentedMap()
    for key, value in values.items():
        if isinstance(value, dict):
            inner = CommentedMap()
            for name, items in value.items():
                seq = CommentedSeq(items)
                seq.fa.set_flow_style()
                inner[name] = seq
            block[key] = inner
        else:
            block[key] = value
    return block


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
    lead = _stat(result.stream.lead, statistic)
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
    rows = [
        ("process_time", "duration", pt, _stat(stats.service, statistic)),
        ("wait_time", "duration", wait, _stat(stats.wait, statistic)),
        ("lead_time", "duration", lt, _stat(stats.lead, statistic)),
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


def measured_values(
    result: MiningResult, statistic: str, source: str | Path, base: str | Path = "."
) -> dict[str, dict[str, Any]]:
    """The ``measured`` blocks :func:`mine_into_canvas` writes: step id → values, and the
    stream's provenance under ``"_stream"`` (human strings with units)."""
    return _measured(result, statistic, Path(base) / "canvas.yaml", Path(source), "")


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


def mine_stream(
    canvas: Canvas,
    stream: str,
    log: EventLog,
    steps: dict[str, list[str]] | None = None,
    settings: MiningSettings | None = None,
) -> MiningResult:
    """Mine ``log`` for a canvas stream; steps matched by name unless ``steps`` maps them.

    >>> result = mine_stream(canvas, "growth/mql-to-close", read_log("crm.csv"))  # doctest: +SKIP
    >>> canvas = apply_measured(canvas, "growth/mql-to-close", result)  # doctest: +SKIP
    """
    target = canvas.stream(stream)
    if steps is None:
        steps = match_steps(target, _activities(log))
        if not steps:
            raise EventLogError(
                f"no step of {stream} has the name of an activity in {log.source.name}",
                hint="pass steps={step id: [activities]}",
            )
    check_steps(stream, target, steps)
    chosen = settings or MiningSettings(statistic=canvas.settings.statistic)
    return mine(log, steps, chosen)
