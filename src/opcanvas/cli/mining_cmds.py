"""``opcanvas mine``: measure a stream from an event log and write it into the canvas.

``opcanvas mine CANVAS LOG --stream growth/mql-to-close [--map mining.yaml]`` reads the log,
mines the stream's steps, writes ``measured`` values (with provenance) beside the workshop's
estimates, and prints estimate vs measured. ``opcanvas mine --discover LOG`` proposes steps
and a stream from a log without a mapping. Library: :mod:`opcanvas.mining`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from opcanvas.canvas.io import load_canvas
from opcanvas.cli.app import JsonOption, app, console, err_console, print_json
from opcanvas.errors import EventLogError
from opcanvas.mining.columns import ColumnMap
from opcanvas.mining.compare import describe_value
from opcanvas.mining.discover import Discovery, discover
from opcanvas.mining.eventlog import Progress as ProgressCallback
from opcanvas.mining.eventlog import ReadOptions
from opcanvas.mining.into_canvas import MineReport, mine_into_canvas
from opcanvas.mining.measured import human_duration, human_percent, human_rate
from opcanvas.mining.mine import MiningResult, MiningSettings
from opcanvas.mining.readers import read_log
from opcanvas.mining.steps import unobserved_wait_notes
from opcanvas.mining.summary import Summary

Col = Annotated[str | None, typer.Option(help="Source column (default: the XES key).")]


@contextmanager
def _progress(quiet: bool) -> Iterator[ProgressCallback]:
    """A Rich progress bar on stderr for reading and mining (off with --json)."""
    bar = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=err_console, transient=True, disable=quiet,
    )  # fmt: skip
    task = bar.add_task("reading", total=1.0)

    def update(stage: str, fraction: float | None) -> None:
        bar.update(task, description=stage, completed=fraction if fraction is not None else None)

    with bar:
        yield update


@app.command()
def mine(
    canvas: Annotated[Path | None, typer.Argument(help="The canvas file to write into.")] = None,
    log: Annotated[
        Path | None,
        typer.Argument(help="The event log: .xes(.gz), .csv(.gz), .parquet, OCEL 2.0."),
    ] = None,
    stream: Annotated[
        str | None, typer.Option("--stream", "-s", help="engine/stream, e.g. growth/mql-to-close")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--map", help="Mapping file: log, steps, columns, calendar.")
    ] = None,
    statistic: Annotated[
        str | None,
        typer.Option(help="Duration statistic written: mean, median, p85, p95 (default: canvas)."),
    ] = None,
    basis: Annotated[
        str | None,
        typer.Option(help="Clock for durations: elapsed or working (default: the mapping's)."),
    ] = None,
    engine: Annotated[str, typer.Option(help="Query engine: duckdb or spark.")] = "duckdb",
    discover_log: Annotated[
        Path | None,
        typer.Option("--discover", help="Propose steps and a stream from this log, no canvas."),
    ] = None,
    min_reach: Annotated[
        float, typer.Option(help="--discover: keep activities reached by this share of cases.")
    ] = 0.05,
    case: Col = None,
    activity: Col = None,
    timestamp: Col = None,
    start_timestamp: Col = None,
    lifecycle: Col = None,
    resource: Col = None,
    role: Col = None,
    cost: Col = None,
    timestamp_format: Annotated[
        str | None, typer.Option(help='strptime layout, e.g. "%d/%m/%Y %H:%M", or epoch_s.')
    ] = None,
    timezone: Annotated[
        str, typer.Option(help="Zone of timestamps written without an offset.")
    ] = "UTC",
    log_format: Annotated[
        str | None,
        typer.Option("--format", help="xes, csv, parquet, ocel-json, ocel-xml or ocel-sqlite."),
    ] = None,
    csv_delimiter: Annotated[str | None, typer.Option(help="CSV: the delimiter.")] = None,
    csv_quote: Annotated[str | None, typer.Option(help="CSV: the quote character.")] = None,
    csv_encoding: Annotated[str | None, typer.Option(help="CSV: the encoding.")] = None,
    object_type: Annotated[
        str | None, typer.Option(help="OCEL: the object type that becomes the case.")
    ] = None,
    max_decompressed_bytes: Annotated[
        int, typer.Option(help="Refuse compressed files that expand beyond this.")
    ] = 8 * 1024**3,
    memory_limit: Annotated[
        str | None, typer.Option(help='Bound DuckDB\'s memory, e.g. "4GB" (it spills to disk).')
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Measure and compare, but do not write.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Measure a value stream from an event log; write the figures beside the estimates.

    Prints the conventions used (time basis, statistic, engine, time model), data-quality
    findings, per-step and per-stream figures, and estimate vs measured with the guesses that
    are off by 2× or more. The canvas is unchanged when anything fails.
    """
    columns = ColumnMap(case, activity, timestamp, start_timestamp, lifecycle, resource, role,
                        cost)  # fmt: skip
    options = ReadOptions(
        columns=columns, timestamp_format=timestamp_format, timezone=timezone,
        object_type=object_type, max_decompressed_bytes=max_decompressed_bytes,
        memory_limit=memory_limit, format=log_format, csv_delimiter=csv_delimiter,
        csv_quote=csv_quote, csv_encoding=csv_encoding,
    )  # fmt: skip
    if discover_log is not None:
        _discover(discover_log, options, min_reach, stream, engine, json_output)
        return
    if canvas is None or stream is None:
        raise EventLogError(
            "expected CANVAS and LOG (or log: in --map) with --stream engine/stream",
            hint="e.g. opcanvas mine canvas.yaml crm.csv --stream growth/mql-to-close; "
            "or opcanvas mine --discover LOG",
        )
    with _progress(json_output) as progress:
        report = mine_into_canvas(
            canvas, log, stream, mapping_path=mapping, statistic=statistic, engine=engine,
            columns=columns, read_options=options, basis=basis, dry_run=dry_run,
            progress=progress,
        )  # fmt: skip
    if json_output:
        print_json(report.to_dict())
        return
    _print_report(report)


def _discover(
    path: Path, options: ReadOptions, min_reach: float, stream: str | None, engine: str,
    json_output: bool,
) -> None:  # fmt: skip
    with _progress(json_output) as progress:
        log = read_log(path, options=options, progress=progress)
        found = discover(
            log, min_reach, MiningSettings(engine=engine, memory_limit=options.memory_limit)
        )
    if json_output:
        print_json(found.to_dict())
        return
    _print_conventions(found.result)
    _print_discovery(found)
    console.file.flush()
    sys.stdout.write(found.yaml(stream or "ENGINE/STREAM"))  # YAML: never wrapped by Rich


def _print_discovery(found: Discovery) -> None:
    table = Table(title="Proposed steps (typical order)", title_justify="left")
    for column in ("id", "activity", "position", "reach", "executions"):
        table.add_column(column, justify="left" if column in ("id", "activity") else "right")
    for step in found.steps:
        table.add_row(escape(step.id), escape(step.activity), f"{step.position:.2f}",
                      human_percent(step.reach), f"{step.executions:,}")  # fmt: skip
    console.print(table)
    if found.left_out:
        shown = ", ".join(found.left_out[:10]) + (" …" if len(found.left_out) > 10 else "")
        console.print(f"left out (reach below {found.min_reach:.0%}): {escape(shown)}", style="dim")


def _print_conventions(result: MiningResult) -> None:
    log, settings = result.log, result.settings
    console.print(
        f"[bold]{escape(str(log['source']))}[/] ({log['format']}): {log['events']:,} events, "
        f"{log['cases']:,} cases, {log['period_start']} to {log['period_end']}"
    )
    available = "yes" if result.service_time_available else "no (one timestamp per event)"
    console.print(
        f"time model: {result.counts.time_model}; service time available: {available}; "
        f"statistic: {settings.statistic}; engine: {settings.engine}"
    )
    console.print(f"time basis: {settings.basis.describe()}")
    for note in result.notes:
        if not note.startswith("time basis"):
            console.print(f"  · {escape(note)}", style="dim")


def _stat(summary: Summary | None, statistic: str) -> str:
    value = None if summary is None or not summary.count else summary.get(statistic)
    return "—" if value is None else human_duration(value)


UNSEEN = "not in log"
"""A step that opens most cases: the time before a case's first activity is not recorded."""


def _print_steps(result: MiningResult) -> None:
    stat = result.settings.statistic
    between = "wait" if result.service_time_available else "directly-follows"
    table = Table(title=f"Steps ({stat})", title_justify="left")
    headers = ["step", "executions", "cases", "reach", "service", between, "lead", "rework",
               "first pass", "handoffs"]  # fmt: skip
    for header in headers:
        table.add_column(header, justify="left" if header == "step" else "right")
    for s in result.steps:
        wait = s.wait if result.service_time_available else s.directly_follows
        before, lead = (
            (_stat(wait, stat), _stat(s.lead, stat)) if s.wait_observable else (UNSEEN, UNSEEN)
        )
        table.add_row(
            escape(s.step), f"{s.executions:,}", f"{s.cases:,}", human_percent(s.reach),
            _stat(s.service, stat), before, lead,
            human_percent(s.rework_rate), human_percent(s.first_pass_yield), f"{s.handoffs:,}",
        )  # fmt: skip
    console.print(table)
    for note in unobserved_wait_notes(result.steps):
        console.print(f"  · {escape(note)}", style="dim")
    st = result.stream
    efficiency = "—" if st.flow_efficiency is None else human_percent(st.flow_efficiency)
    law = st.littles_law
    gap = "" if law.relative_difference is None else f" ({law.relative_difference:+.1%})"
    console.print(
        f"stream: lead {_stat(st.lead, stat)}, active {_stat(st.active, stat)}, flow efficiency "
        f"{efficiency}, throughput {human_rate(st.throughput_per_week)}, arrivals "
        f"{human_rate(st.arrival_per_week)}; WIP {law.wip_mean:.2f} vs λ·W {law.predicted:.2f}"
        f"{gap}; {result.variants.count:,} variants, top 5 cover "
        f"{human_percent(result.variants.coverage[5])}"
    )


def _print_report(report: MineReport) -> None:
    result = report.result
    _print_conventions(result)
    for note in report.notes:
        if note not in result.notes:
            console.print(f"  · {escape(note)}", style="dim")
    _print_steps(result)
    canvas = load_canvas(report.canvas)
    table = Table(title="Estimate vs measured", title_justify="left")
    for header in ("step", "field", "estimate", "measured", "measured/estimate", ""):
        table.add_column(header, justify="left" if header in ("step", "field", "") else "right")
    for row in report.comparisons:
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
        flag = "[bold red]far off[/]" if row.far_off else ""
        table.add_row(
            escape(row.step or "(stream)"), row.field,
            describe_value(row.estimate, row.kind, canvas),
            describe_value(row.measured, row.kind, canvas), ratio, flag,
        )  # fmt: skip
    if report.comparisons:
        console.print(table)
    else:
        console.print("no workshop estimates to compare with", style="dim")
    if report.unmeasured_steps:
        console.print(f"steps without data: {escape(', '.join(report.unmeasured_steps))}")
    verb = "would write" if report.dry_run else "wrote"
    console.print(
        f"{verb} measured values for {len(report.written) - 1} step(s) and the stream into "
        f"{escape(report.canvas)} (estimates unchanged)"
    )
