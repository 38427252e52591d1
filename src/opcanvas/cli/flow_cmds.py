"""The ``analyze`` command: flow metrics of a canvas, per engine and stream, as tables or JSON.

It loads the canvas, calls :func:`opcanvas.flow.analyze_canvas` (or ``analyze_stream`` with
``--stream``) and prints; the conventions in force are printed under the tables. Exit code 1
when ``--fail-on`` is given and a flag of that severity or worse was raised.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from opcanvas.canvas import load_canvas
from opcanvas.canvas.quantities import Calendar, format_percent
from opcanvas.cli.app import EXIT_FINDINGS, JsonOption, app, console, print_json
from opcanvas.errors import UnknownReferenceError
from opcanvas.flow import (
    CanvasFlow,
    Completeness,
    Flag,
    StreamFlow,
    analyze_canvas,
    analyze_stream,
    at_least,
    human_time,
)
from opcanvas.flow.results import SEVERITY_RANK

DASH = "—"
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


class FailOn(StrEnum):
    warning = "warning"
    error = "error"


def _time(minutes: float | None, cal: Calendar) -> str:
    return DASH if minutes is None else human_time(minutes, cal)


def _pct(fraction: float | None) -> str:
    if fraction is None:
        return DASH
    if 0 < fraction < 0.001:  # manufacturing flow efficiencies: keep two significant digits
        return f"{fraction * 100:.2g}%"
    return format_percent(fraction)


def _flag_summary(flags: tuple[Flag, ...]) -> str:
    counts = {name: sum(f.severity == name for f in flags) for name in ("error", "warning")}
    short = {"error": "err", "warning": "warn"}
    parts = [f"[{SEVERITY_STYLE[n]}]{c} {short[n]}[/]" for n, c in counts.items() if c]
    return ", ".join(parts) or DASH


def _complete(completeness: Completeness) -> str:
    return format_percent(completeness.fraction, 0)


def _figures(completeness: Completeness) -> str:
    done = completeness
    return f"{_complete(done)} ({done.filled} of {done.total} key figures filled in)"


_COLUMNS = (
    "stream",
    "LT",
    "PT",
    "flow eff.",
    "rolled %C&A",
    "takt",
    "bottleneck",
    "flags",
    "complete",
)


def _streams_table(title: str, streams: list[StreamFlow], cal: Calendar) -> Table:
    # no vertical rules, so the nine columns fit a normal terminal
    table = Table(title=escape(title), title_justify="left", box=box.SIMPLE_HEAD)
    for column in _COLUMNS:
        text = column in ("stream", "bottleneck")
        # names wrap rather than lose their ends; numbers stay on one line
        table.add_column(
            column,
            justify="left" if text else "right",
            overflow="fold",
            no_wrap=not text,
            min_width=10 if text else None,
        )
    for flow in streams:
        table.add_row(
            escape(flow.ref.partition("/")[2] or flow.ref),
            _time(flow.lead_time, cal),
            _time(flow.process_time, cal),
            _pct(flow.flow_efficiency),
            _pct(flow.rolled_cta),
            _time(flow.takt_time, cal),
            escape(flow.bottleneck or DASH),
            _flag_summary(flow.flags),
            _complete(flow.completeness),
        )
    return table


def print_canvas_flow(flow: CanvasFlow, cal: Calendar) -> None:
    """One table per engine (its streams and a total row), the flags, then the conventions."""
    for engine_id, engine in flow.engines.items():
        table = _streams_table(
            f"{engine.name} ({engine_id})", [flow.streams[r] for r in engine.streams], cal
        )
        table.add_section()
        table.add_row(
            "[bold]engine[/]",
            _time(engine.lead_time_total, cal),
            _time(engine.process_time_total, cal),
            _pct(engine.flow_efficiency),
            f"min {_pct(engine.lowest_rolled_cta)}",
            "",
            "",
            _flag_summary(tuple(f for r in engine.streams for f in flow.streams[r].flags)),
            _complete(engine.completeness),
        )
        console.print(table)
    if not flow.engines:
        console.print("the canvas has no engines yet")
    console.print(f"canvas completeness: {_figures(flow.completeness)}")
    _print_flags(flow.flags())
    _print_conventions(flow.conventions)


def print_stream_flow(flow: StreamFlow, cal: Calendar) -> None:
    """The stream's summary row, its steps (critical path marked *), flags and conventions."""
    console.print(_streams_table(flow.name, [flow], cal))
    manufacturing = flow.mode == "manufacturing"
    table = Table(title=f"steps ({flow.mode}; * = critical path)", title_justify="left")
    columns = ["step", "lane", "wait", "PT", "LT", "%C&A"]
    columns += ["C/T", "eff. C/T", "inv. days", "util."] if manufacturing else ["wait share"]
    for column in columns:
        text = column in ("step", "lane")
        table.add_column(
            column, justify="left" if text else "right", overflow="fold", no_wrap=not text
        )
    for step in flow.steps:
        cells = [
            ("* " if step.on_critical_path else "  ") + escape(step.id),
            escape(step.lane or DASH),
            _time(step.wait_time, cal),
            _time(step.process_time, cal),
            _time(step.lead_time, cal),
            _pct(step.complete_accurate),
        ]
        if manufacturing:
            days = DASH if step.inventory_days is None else f"{step.inventory_days:.3g}"
            cells += [
                _time(step.cycle_time, cal),
                _time(step.effective_cycle_time, cal),
                days,
                _pct(step.utilisation),
            ]
        else:
            cells.append(_pct(step.wait_share))
        table.add_row(*cells)
    console.print(table)
    console.print(f"critical path: {escape(' → '.join(flow.critical_path) or DASH)}")
    if flow.operators_needed is not None:
        console.print(f"operators needed (work content ÷ takt): {flow.operators_needed:.2f}")
    if flow.little is not None and flow.little.derived is not None:
        derived = getattr(flow.little, flow.little.derived)
        shown = _time(derived, cal) if flow.little.derived == "lead_time" else f"{derived:.3g}"
        console.print(f"Little's law: {flow.little.derived.replace('_', ' ')} = {shown}")
    console.print(f"completeness: {_figures(flow.completeness)}")
    if flow.completeness.missing:
        console.print("blank: " + escape(", ".join(flow.completeness.missing)), style="dim")
    _print_flags(flow.flags)
    _print_conventions(flow.conventions)


def _print_flags(flags: tuple[Flag, ...]) -> None:
    if not flags:
        console.print("no flags")
        return
    table = Table(title="flags", title_justify="left")
    for column in ("severity", "stream", "step", "message"):
        table.add_column(column, overflow="fold")
    ordered = sorted(flags, key=lambda f: -SEVERITY_RANK[f.severity])  # stable: canvas order
    for flag in ordered:
        table.add_row(
            f"[{SEVERITY_STYLE[flag.severity]}]{flag.severity}[/]",
            escape(flag.stream or DASH),
            escape(flag.step or DASH),
            escape(flag.message),
        )
    console.print(table)


def _print_conventions(conventions: dict[str, str]) -> None:
    console.print("conventions:", style="bold")
    for key, text in conventions.items():
        console.print(f"  {key}: {escape(text)}", style="dim", highlight=False)


@app.command()
def analyze(
    canvas: Annotated[Path, typer.Argument(help="The canvas file (YAML).")],
    stream: Annotated[
        str | None,
        typer.Option("--stream", "-s", help="Only this stream, as engine/stream; shows its steps."),
    ] = None,
    engine: Annotated[
        str | None, typer.Option("--engine", "-e", help="Only this engine's streams.")
    ] = None,
    json_output: JsonOption = False,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on", help="Exit with code 1 if a flag of this severity (or worse) is raised."
        ),
    ] = None,
) -> None:
    """Flow metrics per engine and stream: lead time, process time, flow efficiency.

    Also rolled %C&A, takt, the bottleneck, flags and completeness, with the conventions used.
    """
    model = load_canvas(canvas)
    result: CanvasFlow | StreamFlow
    if stream is not None:
        if engine is not None and stream.partition("/")[0] != engine:
            raise UnknownReferenceError(
                f'stream "{stream}" is not in engine "{engine}"',
                hint="drop --engine, or name a stream of that engine as engine/stream",
            )
        result = analyze_stream(model, stream)
        flags = result.flags
    else:
        result = analyze_canvas(model, engines=None if engine is None else [engine])
        flags = result.flags()
    if json_output:
        print_json(result.to_dict())
    elif isinstance(result, StreamFlow):
        print_stream_flow(result, model.calendar)
    else:
        print_canvas_flow(result, model.calendar)
    if fail_on is not None and at_least(flags, fail_on.value):
        raise typer.Exit(EXIT_FINDINGS)
