"""Mined figures into the canvas file, beside the workshop's estimates.

:func:`mine_into_canvas` reads the log, mines the stream, and writes ``measured`` blocks
(:mod:`opcanvas.mining.measured`) into the canvas file through
:func:`opcanvas.canvas.io.update_canvas` (comments kept, written atomically, validated first):
nothing is written unless everything succeeded, and estimates are never touched. The report
sets estimate beside measured (:mod:`opcanvas.mining.compare`). :func:`mine_stream` is the
same without files, for library callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from opcanvas.canvas.io import load_canvas, update_canvas
from opcanvas.canvas.model import Canvas, Stream
from opcanvas.errors import EventLogError
from opcanvas.mining.columns import ColumnMap
from opcanvas.mining.compare import Comparison, compare
from opcanvas.mining.eventlog import EventLog, Progress, ReadOptions, duck
from opcanvas.mining.mapping import (
    StreamMapping,
    check_steps,
    load_mapping,
    match_steps,
    stream_mapping,
)
from opcanvas.mining.measured import stream_values
from opcanvas.mining.mine import MiningResult, MiningSettings, mine
from opcanvas.mining.readers import read_log
from opcanvas.mining.steps import unobserved_wait_notes
from opcanvas.mining.timebasis import TimeBasis


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
    spec = stream_mapping(parsed, stream, Path(mapping_path).parent if mapping_path else None)
    options = read_options or ReadOptions()
    log = _read(spec, log_path, columns, options, progress)
    steps, notes = _steps(spec, stream, target, log)
    chosen = statistic or spec.statistic or canvas.settings.statistic
    time_basis = spec.basis
    if basis is not None and basis != time_basis.kind:
        time_basis = TimeBasis.elapsed() if basis == "elapsed" else TimeBasis.working()
    settings = MiningSettings(
        basis=time_basis, statistic=chosen, engine=engine, memory_limit=options.memory_limit,
        temp_dir=options.temp_dir,
    )  # fmt: skip
    result = mine(log, steps, settings, progress=progress)
    written = stream_values(result, chosen, canvas_path, Path(log.source.name), stream)
    if time_basis.kind == "elapsed" and canvas.calendar.basis == "working":
        notes.append(
            "measured durations are elapsed time (nights and weekends included); the canvas "
            f"estimates are on {canvas.calendar.describe()}: give the mapping a working "
            "calendar to compare like with like"
        )
    notes += unobserved_wait_notes(result.steps)
    unmeasured = [s.id for s in target.steps if s.id not in {x.step for x in result.steps}]
    if not dry_run:
        update_canvas(canvas_path, lambda doc: _write(doc, stream, written))
    comparisons = compare(canvas, target, result, chosen)
    return MineReport(
        str(canvas_path), stream, spec, result, written, comparisons, unmeasured,
        notes + result.notes, dry_run,
    )  # fmt: skip


def _read(
    spec: StreamMapping,
    log_path: str | Path | None,
    columns: ColumnMap | None,
    options: ReadOptions,
    progress: Progress | None,
) -> EventLog:
    """The log named on the command line, else the mapping's; command-line options win."""
    source = Path(log_path) if log_path else spec.log
    if source is None:
        raise EventLogError(
            f"no event log for {spec.stream}", hint="give LOG, or `log:` for the stream in --map"
        )
    explicit = (columns or ColumnMap()).explicit()
    return read_log(
        source, columns=ColumnMap.from_dict({**spec.columns.explicit(), **explicit}),
        format=options.format or spec.format,
        timestamp_format=options.timestamp_format or spec.timestamp_format,
        timezone=options.timezone if options.timezone != "UTC" else spec.timezone,
        object_type=options.object_type or spec.object_type, options=options, progress=progress,
    )  # fmt: skip


def _steps(
    spec: StreamMapping, stream: str, target: Stream, log: EventLog
) -> tuple[dict[str, list[str]], list[str]]:
    """The mapping's steps, else canvas steps matched to activities by name; checked."""
    if spec.steps is not None:
        check_steps(stream, target, spec.steps)
        return spec.steps, []
    steps = match_steps(target, _activities(log))
    if not steps:
        raise EventLogError(
            f"no step of {stream} has the name of an activity in {log.source.name}",
            hint=f"map activities to steps with --map, or run `opcanvas mine --discover "
            f"{log.source.name}` to see the activities",
        )
    return steps, ["steps matched to activities by name (no mapping file)"]


def _activities(log: EventLog) -> list[str]:
    """The distinct activities, without loading a large log into memory."""
    if isinstance(log.data, pa.Table):
        return sorted(set(log.data.column("activity").to_pylist()))
    con = duck()
    try:
        rows = log.relation(con).aggregate("activity", "activity").fetchall()
        return sorted(str(r[0]) for r in rows)
    finally:
        con.close()


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
